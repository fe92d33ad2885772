package ui

import (
	"strings"

	"github.com/smtpscope/smtpscope/themes"
)

// drawTextBox draws a side box of outer size w×h — the explain panel, the
// lesson pane: the border (focused or not), a title row, and the window
// of lines that starts at offset, inside the panel's padding. widths
// holds each line's measured width. title is given the content width and
// whether lines are hidden above and below, for its scroll marks.
func drawTextBox(st *themes.Styles, focused bool, w, h int, lines []string, widths []int, offset int,
	title func(width int, more, less bool) string) string {
	border := st.PaneBorder
	if focused {
		border = st.PaneBorderFocused
	}
	fw, fh := border.GetFrameSize()
	iw, ih := w-fw, h-fh
	if iw < 1 || ih < 1 {
		return blankBox(w, h)
	}
	page := ih - 1
	off := min(offset, max(0, len(lines)-page))
	pad := panelPadding(iw)
	cw := iw - 2*len(pad)
	rows := make([]string, 0, ih)
	rows = append(rows, pad+fitLine(title(cw, off > 0, off+page < len(lines)), cw)+pad)
	for i := off; i < off+page; i++ {
		if i < len(lines) {
			rows = append(rows, pad+fitMeasured(lines[i], widths[i], cw)+pad)
		} else {
			rows = append(rows, strings.Repeat(" ", iw))
		}
	}
	return drawBorder(border, rows, iw)
}
