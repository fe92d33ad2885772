package ui

import (
	"fmt"
	"strings"

	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// progressBarMax is the widest the progress bar gets.
const progressBarMax = 40

// renderProgress draws "sending ████░░░░ 45% 4.5 MB of 10 MB" in width
// cells; with an unknown total it shows the octets sent so far.
func renderProgress(st *themes.Styles, p session.Progress, width int) string {
	if p.Total <= 0 {
		return st.Hint.Render(padRight("sending message data: "+formatBytes(p.Sent)+" so far", width))
	}
	frac := min(float64(p.Sent)/float64(p.Total), 1)
	label := fmt.Sprintf(" %3.0f%% %s of %s", frac*100, formatBytes(p.Sent), formatBytes(p.Total))
	barW := min(progressBarMax, width-len("sending ")-len(label))
	if barW < 4 {
		return st.Hint.Render(padRight("sending"+label, width))
	}
	full := int(frac * float64(barW))
	bar := st.ProgressFull.Render(strings.Repeat("█", full)) + st.ProgressEmpty.Render(strings.Repeat("░", barW-full))
	return st.Hint.Render("sending ") + bar + st.Hint.Render(label)
}

// formatBytes renders an octet count for people: "512 B", "4.5 MB".
func formatBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
