package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
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
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, m.ctx.Styles.TooSmall.Render(msg))
	}
	rows := make([]string, 0, m.height)
	if !m.opts.Observer {
		rows = append(rows, m.renderHeader(m.width))
	}
	pane, side := m.pane.Render(), m.sideRows()
	if m.lay.panelRight {
		for i, l := range pane {
			if i < len(side) {
				l += side[i]
			}
			rows = append(rows, l)
		}
	} else {
		rows = append(rows, pane...)
		rows = append(rows, side...)
	}
	switch {
	case m.opts.Observer:
	case m.dataMode:
		rows = append(rows, m.body.Render())
	default:
		rows = append(rows, m.composer.Render()...)
	}
	if !m.opts.Observer {
		rows = append(rows, m.renderFooter())
	}
	screen := strings.Join(rows, "\n")
	if m.dialog == nil {
		return screen
	}
	return m.overlay(screen, m.dialog.View())
}

// sideRows are the rows beside the session pane (or under it on a
// narrow screen): the lesson pane, then the explain panel, each when the
// layout gives it room.
func (m *Model) sideRows() []string {
	var rows []string
	if m.lay.lesson.h > 0 && m.lessons != nil {
		rows = append(rows, strings.Split(m.lessons.pane.Render(), "\n")...)
	}
	if m.lay.panel.h > 0 {
		rows = append(rows, strings.Split(m.panel.Render(), "\n")...)
	}
	return rows
}

// footerKey is what the footer depends on; the rendered footer is kept
// until it changes.
type footerKey struct {
	width int
	keys  string // the bindings' help keys and descriptions
	theme string
}

// renderFooter is the short help for the open dialog, or for what has the
// focus in the session's state, or the search.
func (m *Model) renderFooter() string {
	if m.search.Active() && m.dialog == nil {
		return padRight(m.search.Footer(m.width), m.width)
	}
	bindings := m.footerBindings()
	var sig strings.Builder
	for _, b := range bindings {
		sig.WriteString(b.Help().Key + "\x00" + b.Help().Desc + "\x00")
	}
	k := footerKey{m.width, sig.String(), m.ctx.Styles.Name}
	if k != m.footerKey || m.footer == "" {
		m.footer, m.footerKey = padRight(fittedShortHelp(m.help, bindings, m.width), m.width), k
	}
	return m.footer
}

// footerBindings are the keys the footer lists now.
func (m *Model) footerBindings() []key.Binding {
	keys := m.ctx.Keys
	switch {
	case m.dialog != nil:
		return dialogFooter(keys, m.dialog)
	case m.dataMode:
		return dataHelp{k: keys, chunk: m.body.chunk > 0}.ShortHelp()
	case m.focus == focusPane:
		return paneHelp{k: keys, user: m.authUser != ""}.ShortHelp()
	case m.focus == focusLessons:
		return lessonPaneHelp{keys}.ShortHelp()
	case m.focus == focusPanel:
		return focusedPanelHelp{keys}.ShortHelp()
	case m.lessonsShown() && m.conn != connClosed:
		return lessonHelp{keys}.ShortHelp()
	}
	return m.sessionFooter()
}

// helpDesc is the description of the footer's entry for the help key.
const helpDesc = "help"

// fittedShortHelp renders bindings as a footer line of at most width
// cells. When they do not all fit, the entries at the end give way first,
// except the help key's: a newcomer must always see where the rest are.
func fittedShortHelp(h help.Model, bindings []key.Binding, width int) string {
	h.SetWidth(0) // measured here, not truncated with an ellipsis
	shown := slices.Clone(bindings)
	for {
		line := h.ShortHelpView(shown)
		if ansi.StringWidth(line) <= width {
			return line
		}
		drop := -1
		for i := len(shown) - 1; i >= 0; i-- {
			if shown[i].Help().Desc != helpDesc {
				drop = i
				break
			}
		}
		if drop < 0 {
			return ansi.Truncate(line, width, "…")
		}
		shown = slices.Delete(shown, drop, drop+1)
	}
}

// overlay draws a dialog centred over the screen.
func (m *Model) overlay(screen, dialog string) string {
	return overlayCentered(screen, dialog, m.width, m.height)
}

// overlayCentered draws dialog centred over a width x height screen.
func overlayCentered(screen, dialog string, width, height int) string {
	w, h := lipgloss.Width(dialog), lipgloss.Height(dialog)
	x, y := max(0, (width-w)/2), max(0, (height-h)/2)
	out := lipgloss.NewCompositor(
		lipgloss.NewLayer(screen),
		lipgloss.NewLayer(dialog).X(x).Y(y).Z(1),
	).Render()
	// The compositor trims trailing blanks; keep the frame full size.
	lines := strings.Split(out, "\n")
	for len(lines) < height {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = padRight(l, width)
	}
	return strings.Join(lines, "\n")
}
