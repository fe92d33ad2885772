package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// box draws a border around lines that already are exactly inner cells
// wide. It does what lipgloss' bordered Style.Render does, without
// measuring and re-wrapping every line of a full-screen pane each frame.
type box struct {
	top, bottom, left, right string
}

// newBox prepares the border of frame (a style with a border and its
// colours) for a box of outer width w.
func newBox(frame lipgloss.Style, w int) box {
	b := frame.GetBorderStyle()
	paint := lipgloss.NewStyle()
	if c := frame.GetBorderTopForeground(); c != nil {
		paint = paint.Foreground(c)
	}
	if c := frame.GetBorderTopBackground(); c != nil {
		paint = paint.Background(c)
	}
	inner := max(0, w-lipgloss.Width(b.Left)-lipgloss.Width(b.Right))
	return box{
		top:    paint.Render(b.TopLeft + strings.Repeat(b.Top, inner) + b.TopRight),
		bottom: paint.Render(b.BottomLeft + strings.Repeat(b.Bottom, inner) + b.BottomRight),
		left:   paint.Render(b.Left),
		right:  paint.Render(b.Right),
	}
}

// draw returns the boxed lines: a border line, each content line between
// the side borders, and a border line.
func (b box) draw(lines []string) []string {
	out := make([]string, 0, len(lines)+2)
	out = append(out, b.top)
	for _, l := range lines {
		out = append(out, b.left+l+b.right)
	}
	return append(out, b.bottom)
}
