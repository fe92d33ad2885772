package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// windowTitle is the terminal title while smtpscope runs.
const windowTitle = "smtpscope"

// View draws the whole screen. It only reads state prepared by Update.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = windowTitle + " · " + m.opts.Address
	return v
}

// render composes the screen as a string of exactly width x height cells.
func (m *Model) render() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	if m.lay.tooSmall {
		msg := fmt.Sprintf("terminal too small: %dx%d\nsmtpscope needs at least %dx%d", m.width, m.height, MinWidth, MinHeight)
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, m.st.TooSmall.Render(msg))
	}
	var middle string
	switch {
	case m.lay.panel.h == 0:
		middle = m.pane.Render()
	case m.lay.panelRight:
		middle = lipgloss.JoinHorizontal(lipgloss.Top, m.pane.Render(), m.panel.Render())
	default:
		middle = lipgloss.JoinVertical(lipgloss.Left, m.pane.Render(), m.panel.Render())
	}
	var bottom string
	if m.dataMode {
		bottom = m.body.Render(m.keys)
	} else {
		bottom = m.composer.Render()
	}
	screen := strings.Join([]string{m.renderHeader(m.width), middle, bottom, m.renderFooter()}, "\n")
	if m.dialog == nil {
		return screen
	}
	return m.overlay(screen, m.dialog.View())
}

// renderFooter is the short help for what has the focus.
func (m *Model) renderFooter() string {
	var km help.KeyMap = m.keys
	switch {
	case m.dataMode:
		km = dataHelp{m.keys}
	case m.focus == focusPane:
		km = paneHelp{m.keys}
	}
	return padRight(m.help.View(km), m.width)
}

// overlay draws a dialog centred over the screen.
func (m *Model) overlay(screen, dialog string) string {
	w, h := lipgloss.Width(dialog), lipgloss.Height(dialog)
	x, y := max(0, (m.width-w)/2), max(0, (m.height-h)/2)
	out := lipgloss.NewCompositor(
		lipgloss.NewLayer(screen),
		lipgloss.NewLayer(dialog).X(x).Y(y).Z(1),
	).Render()
	// The compositor trims trailing blanks; keep the frame full size.
	lines := strings.Split(out, "\n")
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = padRight(l, m.width)
	}
	return strings.Join(lines, "\n")
}
