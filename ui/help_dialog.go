package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/themes"
)

// HelpGroupTitler may be implemented by the help.KeyMap given to
// [NewHelpDialog] to title its FullHelp groups, one title per group.
type HelpGroupTitler interface {
	HelpGroupTitles() []string
}

// helpColumnGap separates key groups laid out side by side.
const helpColumnGap = 3

// helpDialog shows every key binding, grouped, in as many columns as fit,
// and scrolls when the screen is short.
type helpDialog struct {
	dialogBox
	keys   DialogKeyMap
	groups []helpGroup
	offset int
}

type helpGroup struct {
	title    string
	bindings []key.Binding
}

// NewHelpDialog returns the help dialog for km's full help, followed by
// the keys that work inside dialogs.
func NewHelpDialog(st *themes.Styles, km help.KeyMap) Dialog {
	d := &helpDialog{
		dialogBox: dialogBox{st: st, preferred: 0},
		keys:      DefaultDialogKeyMap(),
	}
	var titles []string
	if t, ok := km.(HelpGroupTitler); ok {
		titles = t.HelpGroupTitles()
	}
	for i, g := range km.FullHelp() {
		title := ""
		if i < len(titles) {
			title = titles[i]
		}
		d.groups = append(d.groups, helpGroup{title: title, bindings: g})
	}
	dk := d.keys
	d.groups = append(d.groups, helpGroup{title: "In dialogs", bindings: []key.Binding{
		dk.Submit, dk.Send, dk.Next, dk.Prev, dk.Toggle, dk.Cancel,
	}})
	return d
}

// Update scrolls and closes.
func (d *helpDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d, nil
	}
	switch k.String() {
	case "esc", "q", "?", "enter", "f1":
		return d, emit(DialogClosedMsg{})
	case "up", "k", "shift+tab":
		d.offset--
	case "down", "j", "tab":
		d.offset++
	case "pgup":
		d.offset -= d.pageHeight()
	case "pgdown", "space":
		d.offset += d.pageHeight()
	case "home":
		d.offset = 0
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

// block renders one group as lines of "key  description".
func (d *helpDialog) block(g helpGroup) []string {
	st := d.st
	keyW := 0
	for _, b := range g.bindings {
		if b.Enabled() {
			keyW = max(keyW, ansi.StringWidth(b.Help().Key))
		}
	}
	var lines []string
	if g.title != "" {
		lines = append(lines, st.HelpSection.Render(g.title))
	}
	for _, b := range g.bindings {
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
	for _, g := range d.groups {
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
	fw, _ := d.st.DialogBorder.GetFrameSize()
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
	hint := hintLine(d.st, withHelp(d.keys.Cancel, "close"))
	if len(lines) > page {
		hint = hintLine(d.st, key.NewBinding(key.WithHelp("↑↓", "scroll")), withHelp(d.keys.Cancel, "close"))
	}
	return d.render("Keys", visible, hint)
}
