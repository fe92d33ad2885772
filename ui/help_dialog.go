package ui

import (
	"fmt"
	"math"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpColumnGap separates key groups laid out side by side.
const helpColumnGap = 3

// helpDialog shows every key binding, grouped, in as many columns as fit,
// and scrolls when the screen is short.
type helpDialog struct {
	dialogBox
	sections []KeySection
	offset   int
}

// NewHelpDialog returns the help dialog: every section of the context's
// KeyMap.
func NewHelpDialog(ctx *Context) Dialog {
	return newHelpDialog(ctx, ctx.Keys.SessionSections())
}

// newHelpDialog lists the given sections (tests pass small ones).
func newHelpDialog(ctx *Context, sections []KeySection) *helpDialog {
	return &helpDialog{dialogBox: newDialogBox(ctx, 0), sections: sections}
}

// Update scrolls and closes.
func (d *helpDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d, nil
	}
	hk := d.ctx.Keys.Help
	switch {
	case key.Matches(k, hk.Close):
		return d, emit(DialogClosedMsg{})
	case key.Matches(k, hk.Up):
		d.offset--
	case key.Matches(k, hk.Down):
		d.offset++
	case key.Matches(k, hk.PageUp):
		d.offset -= d.pageHeight()
	case key.Matches(k, hk.PageDown):
		d.offset += d.pageHeight()
	case key.Matches(k, hk.Top):
		d.offset = 0
	case key.Matches(k, hk.Bottom):
		d.offset = math.MaxInt32 // View clamps it to the last page
	}
	d.offset = max(0, d.offset)
	return d, nil
}

// helpChrome is the number of box lines around the key list: border, the
// title and its blank line, the blank line and the hint line.
const helpChrome = 6

func (d *helpDialog) pageHeight() int {
	if d.maxH <= 0 {
		return 1 << 16
	}
	return max(1, d.maxH-helpChrome)
}

// block renders one section as lines of "key  description".
func (d *helpDialog) block(g KeySection) []string {
	st := d.styles()
	keyW := 0
	for _, b := range g.Bindings {
		if b.Enabled() {
			keyW = max(keyW, ansi.StringWidth(b.Help().Key))
		}
	}
	var lines []string
	if g.Title != "" {
		lines = append(lines, st.HelpSection.Render(g.Title))
	}
	for _, b := range g.Bindings {
		if !b.Enabled() || b.Help().Key == "" {
			continue
		}
		h := b.Help()
		pad := strings.Repeat(" ", keyW-ansi.StringWidth(h.Key)+2)
		lines = append(lines, st.HelpKey.Render(h.Key)+pad+st.HelpDesc.Render(h.Desc))
	}
	return lines
}

// layout places the group blocks side by side while they fit in width,
// starting a new row of blocks when they do not.
func (d *helpDialog) layout(width int) []string {
	var out, row [][]string
	var rowW []int
	used := 0
	flush := func() {
		if len(row) == 0 {
			return
		}
		height := 0
		for _, b := range row {
			height = max(height, len(b))
		}
		lines := make([]string, height)
		for i, b := range row {
			for j := range height {
				cell := ""
				if j < len(b) {
					cell = b[j]
				}
				if i < len(row)-1 {
					cell = fitLine(cell, rowW[i]+helpColumnGap)
				}
				lines[j] += cell
			}
		}
		if len(out) > 0 {
			out = append(out, []string{""})
		}
		out = append(out, lines)
		row, rowW, used = nil, nil, 0
	}
	for _, g := range d.sections {
		b := d.block(g)
		if len(b) == 0 {
			continue
		}
		w := 0
		for _, l := range b {
			w = max(w, ansi.StringWidth(l))
		}
		if len(row) > 0 && used+helpColumnGap+w > width {
			flush()
		}
		if len(row) > 0 {
			used += helpColumnGap
		}
		row, rowW = append(row, b), append(rowW, w)
		used += w
	}
	flush()
	var lines []string
	for _, part := range out {
		lines = append(lines, part...)
	}
	return lines
}

// View draws the key list, scrolled, in a box as wide as the screen allows.
func (d *helpDialog) View() string {
	fw, _ := d.styles().DialogBorder.GetFrameSize()
	d.preferred = d.maxW
	if d.preferred <= 0 {
		d.preferred = dialogWideWidth * 2
	}
	lines := d.layout(max(1, d.preferred-fw))
	// Shrink the box to the widest line.
	widest := 0
	for _, l := range lines {
		widest = max(widest, ansi.StringWidth(l))
	}
	d.preferred = min(d.preferred, max(widest+fw, dialogMinWidth+fw))

	page := d.pageHeight()
	d.offset = min(d.offset, max(0, len(lines)-page))
	end := min(len(lines), d.offset+page)
	visible := lines[d.offset:end]
	hk := d.ctx.Keys.Help
	hint := hintLine(d.styles(), hk.Close)
	title := "Keys"
	if len(lines) > page {
		hint = hintLine(d.styles(), hk.Up, hk.Close)
		// Say that there is more, and where: a section title on the last
		// row would otherwise look like an empty section.
		title += fmt.Sprintf(" · %d–%d of %d", d.offset+1, end, len(lines))
	}
	return d.render(title, visible, hint)
}
