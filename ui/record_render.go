package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/session"
)

// piece is one wrapped line of a record: text in a style, and maybe a
// decoded prompt after it.
type piece struct {
	text  string
	extra string
	style lipgloss.Style
}

// decodedArrow introduces the decoded form of a base64 334 challenge.
const decodedArrow = "⟶ "

// prefixWidth returns the width of the columns before the wire text.
func (p *sessionPane) prefixWidth() int {
	w := latencyWidth + 1 + markWidth + 1 + dirWidth + 1
	if !p.compact() {
		w += timestampWidth + 1
	}
	return w
}

// compact reports whether the pane is too narrow for timestamps.
func (p *sessionPane) compact() bool { return p.innerW < compactBelow }

// renderRecord wraps r to the pane and styles it. A selected record is
// drawn in the selection style across the whole width.
func (p *sessionPane) renderRecord(r *record, selected bool) []string {
	textW := max(minTextWidth, p.innerW-p.prefixWidth())
	text, textStyle := p.displayText(r)

	var pieces []piece
	for _, l := range wrapText(text, textW) {
		pieces = append(pieces, piece{text: l, style: textStyle})
	}
	if extra := p.decodedText(r); extra != "" {
		last := &pieces[len(pieces)-1]
		if ansi.StringWidth(last.text)+2+ansi.StringWidth(extra) <= textW {
			last.extra = extra
		} else {
			// Hard wrap: a decoded challenge is one long token, and a word
			// wrap would leave the arrow alone on its line.
			for _, l := range wrapText(extra, textW) {
				pieces = append(pieces, piece{text: l, style: p.ctx.Styles.Decoded})
			}
		}
	}

	prefix := p.prefix(r, selected)
	blank := strings.Repeat(" ", p.prefixWidth())
	out := make([]string, len(pieces))
	for i, pc := range pieces {
		head := blank
		if i == 0 {
			head = prefix
		}
		if selected {
			line := head + pc.text
			if pc.extra != "" {
				line += "  " + pc.extra
			}
			out[i] = p.ctx.Styles.Selected.Render(padRight(line, p.innerW))
			continue
		}
		body := pc.style.Render(pc.text)
		if pc.extra != "" {
			body += "  " + p.ctx.Styles.Decoded.Render(pc.extra)
		}
		out[i] = p.pad(head + body)
	}
	return out
}

// prefix renders the timestamp, latency, TLS mark and direction columns.
func (p *sessionPane) prefix(r *record, plain bool) string {
	render := func(st lipgloss.Style, s string) string {
		if plain {
			return s
		}
		return st.Render(s)
	}
	var b strings.Builder
	if !p.compact() {
		b.WriteString(render(p.ctx.Styles.Timestamp, p.ctx.Local(time.Unix(0, r.at)).Format(timestampLayout)))
		b.WriteByte(' ')
	}
	b.WriteString(render(p.ctx.Styles.Latency, padLeft(formatLatency(r.latency), latencyWidth)))
	b.WriteByte(' ')
	if r.tls {
		b.WriteString(render(p.ctx.Styles.TLSMark, tlsMark))
	} else {
		b.WriteString("  ")
	}
	b.WriteByte(' ')
	dir, st := p.direction(r)
	b.WriteString(render(st, dir))
	b.WriteByte(' ')
	return b.String()
}

// direction returns the two-cell direction label of a record and its style.
func (p *sessionPane) direction(r *record) (string, lipgloss.Style) {
	switch r.kind {
	case session.KindClient:
		return "C:", p.ctx.Styles.ClientLine
	case session.KindServer:
		return "S:", p.ctx.Styles.ServerReply(lineCode(r.text))
	case session.KindWarning:
		return "! ", p.ctx.Styles.WarnLine
	case session.KindError:
		return "✗ ", p.ctx.Styles.ErrorLine
	}
	return "• ", p.ctx.Styles.InfoLine
}

// displayText returns the text to draw for r and its style.
func (p *sessionPane) displayText(r *record) (string, lipgloss.Style) {
	switch r.kind {
	case session.KindClient:
		if r.redacted {
			return r.text, p.ctx.Styles.Redacted
		}
		return r.text, p.ctx.Styles.ClientLine
	case session.KindServer:
		return r.text, p.ctx.Styles.ServerReply(lineCode(r.text))
	case session.KindWarning:
		return r.text, p.ctx.Styles.WarnLine
	case session.KindError:
		return r.text, p.ctx.Styles.ErrorLine
	}
	return r.text, p.ctx.Styles.InfoLine
}

// decodedText is what follows the wire text: a decoded 334 prompt, or the
// username when the user asked to reveal it.
func (p *sessionPane) decodedText(r *record) string {
	if r.decoded != "" {
		return decodedArrow + strconv.Quote(r.decoded)
	}
	if p.revealUser && p.username != "" && r.username {
		return decodedArrow + "username " + strconv.Quote(p.username) + " (revealed)"
	}
	return ""
}

// lineCode returns the reply code at the start of a server line, or 0.
func lineCode(text string) int {
	if len(text) < 3 {
		return 0
	}
	code, err := strconv.Atoi(text[:3])
	if err != nil {
		return 0
	}
	return code
}

// formatLatency renders a reply latency in at most latencyWidth cells.
func formatLatency(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d < time.Millisecond:
		return "+<1ms"
	case d < time.Second:
		return fmt.Sprintf("+%dms", d.Milliseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("+%.1fs", d.Seconds())
	case d < 100*time.Second:
		return fmt.Sprintf("+%ds", int(d.Seconds()))
	}
	return "+99s+"
}

// padLeft right-aligns s in w cells.
func padLeft(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

// padRight left-aligns s in w cells, cutting it when longer.
func padRight(s string, w int) string {
	n := ansi.StringWidth(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-n)
}

// plural formats a count with a noun in the right number.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
