package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// panelIndent is the hanging indent of bullets and wrapped values in the
// side panel.
const panelIndent = 2

// textBuilder collects the side panel's content as display lines already
// wrapped to one width. Text is wrapped before it is styled, so styles
// never have to be sliced.
type textBuilder struct {
	width int
	lines []string
}

func newTextBuilder(width int) *textBuilder {
	if width < 1 {
		width = 1
	}
	return &textBuilder{width: width}
}

// wrapPlain wraps unstyled text to width cells, breaking at spaces and
// hyphens when it can and inside words when it must.
func wrapPlain(text string, width int) []string {
	if width < 1 {
		width = 1
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, wrapText(para, width)...)
	}
	return out
}

// blank adds an empty line, but never two in a row or one at the top.
func (b *textBuilder) blank() {
	if n := len(b.lines); n > 0 && b.lines[n-1] != "" {
		b.lines = append(b.lines, "")
	}
}

// para adds text wrapped to the full width in one style.
func (b *textBuilder) para(st lipgloss.Style, text string) {
	for _, l := range wrapPlain(text, b.width) {
		b.lines = append(b.lines, st.Render(l))
	}
}

// indented adds text wrapped with every line indented by n cells.
func (b *textBuilder) indented(st lipgloss.Style, text string, n int) {
	pad := strings.Repeat(" ", n)
	for _, l := range wrapPlain(text, b.width-n) {
		b.lines = append(b.lines, pad+st.Render(l))
	}
}

// bullet adds one list item: a marker, then the text with a hanging indent.
func (b *textBuilder) bullet(markSt lipgloss.Style, mark string, st lipgloss.Style, text string) {
	indent := ansi.StringWidth(mark) + 1
	if indent >= b.width {
		b.para(st, mark+" "+text)
		return
	}
	pad := strings.Repeat(" ", indent)
	for i, l := range wrapPlain(text, b.width-indent) {
		if i == 0 {
			b.lines = append(b.lines, markSt.Render(mark)+" "+st.Render(l))
			continue
		}
		b.lines = append(b.lines, pad+st.Render(l))
	}
}

// field adds "Label  value" with the label padded to labelWidth; a value
// too long for the rest of the line wraps under itself.
func (b *textBuilder) field(labelSt lipgloss.Style, label string, labelWidth int, valueSt lipgloss.Style, value string) {
	if labelWidth+1 >= b.width/2 {
		// Too narrow for two columns: label above, value indented below.
		b.para(labelSt, label)
		b.indented(valueSt, value, panelIndent)
		return
	}
	pad := strings.Repeat(" ", labelWidth+1)
	for i, l := range wrapPlain(value, b.width-labelWidth-1) {
		if i == 0 {
			gap := strings.Repeat(" ", max(1, labelWidth+1-ansi.StringWidth(label)))
			b.lines = append(b.lines, labelSt.Render(label)+gap+valueSt.Render(l))
			continue
		}
		b.lines = append(b.lines, pad+valueSt.Render(l))
	}
}

// joined adds items separated by " · ", wrapping between items where it can.
func (b *textBuilder) joined(st lipgloss.Style, items []string) {
	const sep = " · "
	line := ""
	for _, it := range items {
		switch {
		case line == "":
			line = it
		case ansi.StringWidth(line)+ansi.StringWidth(sep)+ansi.StringWidth(it) <= b.width:
			line += sep + it
		default:
			b.para(st, line)
			line = it
		}
	}
	if line != "" {
		b.para(st, line)
	}
}

// fitLine truncates a styled line to width cells and pads it with spaces
// so that every line of a box is exactly width cells wide.
func fitLine(line string, width int) string {
	w := ansi.StringWidth(line)
	if w > width {
		line = ansi.Truncate(line, width, "…")
		w = ansi.StringWidth(line)
	}
	if w < width {
		line += strings.Repeat(" ", width-w)
	}
	return line
}

// fitMeasured is fitLine for a line whose width w is already known: only
// a line too wide is measured again (to truncate it).
func fitMeasured(line string, w, width int) string {
	switch {
	case w > width:
		return fitLine(line, width)
	case w < width:
		return line + strings.Repeat(" ", width-w)
	}
	return line
}

// blankBox returns a w×h block of spaces, for sizes too small to draw in.
func blankBox(w, h int) string {
	if w < 0 {
		w = 0
	}
	if h <= 0 {
		return ""
	}
	row := strings.Repeat(" ", w)
	rows := make([]string, h)
	for i := range rows {
		rows[i] = row
	}
	return strings.Join(rows, "\n")
}

// drawBorder puts rows, each exactly width cells wide, inside the border
// of style. It draws the border itself: lipgloss's Render would measure
// every line again, which costs more than the rest of a frame.
func drawBorder(style lipgloss.Style, rows []string, width int) string {
	b := style.GetBorderStyle()
	paint := lipgloss.NewStyle()
	if c := style.GetBorderTopForeground(); c != nil {
		paint = paint.Foreground(c)
	}
	left, right := paint.Render(b.Left), paint.Render(b.Right)
	var sb strings.Builder
	sb.Grow((len(rows) + 2) * (width + 2*len(left) + 8))
	sb.WriteString(paint.Render(b.TopLeft + strings.Repeat(b.Top, width) + b.TopRight))
	for _, r := range rows {
		sb.WriteByte('\n')
		sb.WriteString(left)
		sb.WriteString(r)
		sb.WriteString(right)
	}
	sb.WriteByte('\n')
	sb.WriteString(paint.Render(b.BottomLeft + strings.Repeat(b.Bottom, width) + b.BottomRight))
	return sb.String()
}
