package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// paneSearch is the session pane's search, as in less: "/" asks for a
// pattern in the footer, enter finds the next line holding it, n and N
// move to the next and previous match. Matching ignores case and looks at
// what the pane shows (redacted lines never match their secret).
type paneSearch struct {
	ctx     *Context
	input   textinput.Model
	editing bool   // the footer is the search prompt
	pattern string // the last pattern searched, lower-cased
	status  string // the footer's note after a search
}

func newPaneSearch(ctx *Context) *paneSearch {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "search the session"
	in.KeyMap = composerInputKeys()
	s := &paneSearch{ctx: ctx, input: in}
	s.restyle()
	return s
}

func (s *paneSearch) restyle() { s.input.SetStyles(s.ctx.Styles.TextInput()) }

// Start opens the prompt with the last pattern to edit.
func (s *paneSearch) Start() tea.Cmd {
	s.editing, s.status = true, ""
	s.input.SetValue(s.pattern)
	s.input.CursorEnd()
	return s.input.Focus()
}

// Stop closes the prompt.
func (s *paneSearch) Stop() {
	s.editing = false
	s.input.Blur()
}

// Active reports whether the footer shows the search (prompt or result).
func (s *paneSearch) Active() bool { return s.editing || s.status != "" }

// Footer is the footer line while the search is active.
func (s *paneSearch) Footer(width int) string {
	if s.editing {
		s.input.SetWidth(max(1, width-2))
		return s.input.View()
	}
	return s.ctx.Styles.Hint.Render(s.status)
}

// handleSearchKey runs a key while the search prompt is open: enter
// searches, esc closes, the rest edits the pattern.
func (m *Model) handleSearchKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.ctx.Keys.Pane
	switch {
	case key.Matches(msg, k.SearchRun):
		m.search.Stop()
		pattern := strings.ToLower(strings.TrimSpace(m.search.input.Value()))
		if pattern == "" {
			return nil
		}
		m.search.pattern = pattern
		m.findMatch(1)
	case key.Matches(msg, m.ctx.Keys.Global.Back):
		m.search.Stop()
	default:
		var cmd tea.Cmd
		m.search.input, cmd = m.search.input.Update(msg)
		return cmd
	}
	return nil
}

// findMatch selects the next record (dir 1) or the previous one (dir -1)
// whose text holds the search pattern, starting from the selection (or
// the top of the view) and wrapping around, and says where it is.
func (m *Model) findMatch(dir int) {
	s := m.search
	n := m.pane.Len()
	if s.pattern == "" || n == 0 {
		return
	}
	start := m.pane.Selected()
	if start < 0 {
		start = m.pane.current().rec - dir
	}
	for step := 1; step <= n; step++ {
		i := ((start+dir*step)%n + n) % n
		if m.recordMatches(i) {
			m.pane.SelectIndex(i)
			m.setFocus(focusPane)
			m.syncPanel()
			s.status = m.matchStatus(i)
			return
		}
	}
	s.status = "no line holds " + strconv.Quote(s.pattern) + " · " + m.ctx.Keys.Global.Back.Help().Key + " closes"
}

// recordMatches reports whether record i shows the search pattern.
func (m *Model) recordMatches(i int) bool {
	r := m.pane.store.At(i)
	return strings.Contains(strings.ToLower(r.text), m.search.pattern) ||
		(r.decoded != "" && strings.Contains(strings.ToLower(r.decoded), m.search.pattern))
}

// matchStatus says which match of how many record i is.
func (m *Model) matchStatus(i int) string {
	nth, total := 0, 0
	for j := range m.pane.Len() {
		if m.recordMatches(j) {
			total++
			if j <= i {
				nth++
			}
		}
	}
	k := m.ctx.Keys.Pane
	return "/" + m.search.pattern + " · match " + strconv.Itoa(nth) + " of " + strconv.Itoa(total) +
		" · " + k.SearchNext.Help().Key + " next · " + k.SearchPrev.Help().Key + " previous · " +
		m.ctx.Keys.Global.Back.Help().Key + " closes"
}
