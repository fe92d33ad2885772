package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// Composer limits.
const (
	composerPrompt = "smtp> "
	// maxHistory bounds the command history kept in memory.
	maxHistory = 500
	// maxHintItems is how many suggested commands the "next:" hint names.
	maxHintItems = 5
)

// sequenceWarning is the pending out-of-sequence (or malformed) command:
// enter on the same line again sends it anyway.
type sequenceWarning struct {
	line string
	text string
}

// warningChoice ends every sequence warning, and is never cut off:
// " · enter again: send anyway · esc: cancel".
func (c *composer) warningChoice() string {
	k := c.ctx.Keys
	return " · " + k.Composer.Send.Help().Key + " again: send anyway · " + k.Global.Back.Help().Key + ": cancel"
}

// composer is the one-line command input under the session pane, with
// completion from the protocol state, history and the sequence warning.
type composer struct {
	ctx     *Context
	input   textinput.Model
	width   int // outer
	height  int
	focused bool

	history []string
	histPos int    // len(history) when not browsing
	draft   string // what was typed before browsing history

	suggestions []protocol.Suggestion
	// params returns the ESMTP parameters offered for a verb (MAIL, RCPT).
	params   func(verb string) []protocol.Suggestion
	matches  []completion
	matchIdx int
	cycling  bool

	warning  *sequenceWarning
	sasl     *saslAnswer // set while a 334 waits for an answer
	notice   string
	idle     string // replaces the next-command hint when nothing can be sent
	progress *session.Progress
	boxes    [2]box // border unfocused, focused
}

func newComposer(ctx *Context) *composer {
	in := textinput.New()
	in.Prompt = composerPrompt
	in.ShowSuggestions = true
	in.KeyMap = composerInputKeys()
	c := &composer{ctx: ctx, input: in}
	c.restyle()
	c.input.Focus()
	c.focused = true
	return c
}

// restyle applies the context's theme to the input.
func (c *composer) restyle() {
	c.input.SetStyles(c.ctx.Styles.TextInput())
	c.SetSize(c.width, c.height)
}

// SetSize sets the outer size, border included.
func (c *composer) SetSize(w, h int) {
	c.width, c.height = w, h
	inner := w - c.frame().GetHorizontalFrameSize()
	c.input.SetWidth(max(1, inner-ansi.StringWidth(composerPrompt)-1))
	c.boxes = [2]box{newBox(c.ctx.Styles.PaneBorder, w), newBox(c.ctx.Styles.PaneBorderFocused, w)}
}

// SetFocused shows or hides the cursor.
func (c *composer) SetFocused(on bool) {
	c.focused = on
	if on {
		c.input.Focus()
	} else {
		c.input.Blur()
	}
}

func (c *composer) frame() lipgloss.Style {
	if c.focused {
		return c.ctx.Styles.PaneBorderFocused
	}
	return c.ctx.Styles.PaneBorder
}

// Value returns the line typed so far.
func (c *composer) Value() string { return c.input.Value() }

// SetValue replaces the line and puts the cursor at pos (-1: the end).
func (c *composer) SetValue(s string, pos int) {
	c.setInput(s)
	if pos < 0 {
		c.input.CursorEnd()
	} else {
		c.input.SetCursor(pos)
	}
}

// SetSuggestions updates what completion offers: the commands legal now.
func (c *composer) SetSuggestions(list []protocol.Suggestion) {
	c.suggestions = list
	c.input.SetSuggestions(c.templates())
}

// templates are the suggestions' command templates, for the input's
// inline completion; none while a SASL answer is typed.
func (c *composer) templates() []string {
	if c.sasl != nil {
		return nil
	}
	out := make([]string, len(c.suggestions))
	for i, s := range c.suggestions {
		out[i] = s.Template
	}
	return out
}

// setInput replaces the input's text. bubbles' SetValue keeps the inline
// completion matched to the old text (it would show "AUTH LOGIN" after
// the line went out, or a masked ghost of it in a password), so the
// suggestions are matched again.
func (c *composer) setInput(s string) {
	c.input.SetValue(s)
	c.input.SetSuggestions(c.templates())
}

// Update passes an editing key or paste to the input and forgets a
// completion cycle or warning that no longer applies.
func (c *composer) Update(msg tea.Msg) tea.Cmd {
	before := c.input.Value()
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	if c.input.Value() != before {
		c.cycling, c.matches = false, nil
		c.notice = ""
		if c.warning != nil && c.warning.line != c.input.Value() {
			c.warning = nil
		}
	}
	return cmd
}

// Complete fills in the next command template matching what was typed;
// pressed again it cycles through the matches.
func (c *composer) Complete() {
	value := c.input.Value()
	if c.cycling && len(c.matches) > 0 && value == c.matches[c.matchIdx].Template {
		c.matchIdx = (c.matchIdx + 1) % len(c.matches)
	} else {
		c.matches = completeWords(matchSuggestions(c.suggestions, value), value)
		if len(c.matches) == 0 && c.params != nil {
			c.matches = matchParams(c.params, value)
		}
		c.matchIdx = 0
	}
	if len(c.matches) == 0 {
		c.cycling = false
		return
	}
	c.cycling = true
	s := c.matches[c.matchIdx]
	pos := s.Cursor
	if pos <= 0 || pos > len(s.Template) {
		pos = -1
	}
	c.SetValue(s.Template, pos)
}

// completion is one candidate of a tab completion: the suggestion whose
// template replaces the line, and its label, the part of it that the
// candidates list shows — what it completes, not the words already typed.
type completion struct {
	protocol.Suggestion
	label string
}

// completeWords returns list as completions of typed: each label is its
// template less the words typed before the last space ("AUTH " completes
// to "PLAIN", "LOGIN"), or the whole template when that is not its start.
func completeWords(list []protocol.Suggestion, typed string) []completion {
	done := ""
	if sp := strings.LastIndexByte(typed, ' '); sp >= 0 {
		done = typed[:sp+1]
	}
	out := make([]completion, len(list))
	for i, s := range list {
		label := s.Template
		if done != "" && len(label) > len(done) && strings.EqualFold(label[:len(done)], done) {
			label = label[len(done):]
		}
		out[i] = completion{Suggestion: s, label: label}
	}
	return out
}

// matchSuggestions returns the suggestions whose template starts with
// typed (ignoring case), or whose verb starts with typed's first word.
func matchSuggestions(list []protocol.Suggestion, typed string) []protocol.Suggestion {
	typedUp := strings.ToUpper(strings.TrimLeft(typed, " "))
	firstWord, _, _ := strings.Cut(typedUp, " ")
	var out []protocol.Suggestion
	for _, s := range list {
		if strings.HasPrefix(strings.ToUpper(s.Template), typedUp) ||
			(firstWord != "" && !strings.Contains(typedUp, " ") && strings.HasPrefix(s.Verb, firstWord)) {
			out = append(out, s)
		}
	}
	return out
}

// matchParams completes an ESMTP parameter after the path of a MAIL or
// RCPT line ("MAIL FROM:<a@b> SI" -> "MAIL FROM:<a@b> SIZE="), skipping
// parameters the line already has. Each is labelled with the parameter
// alone ("SIZE=").
func matchParams(params func(string) []protocol.Suggestion, line string) []completion {
	verb, _, _ := strings.Cut(strings.TrimLeft(line, " "), " ")
	closing := strings.LastIndexByte(line, '>')
	if closing < 0 {
		return nil
	}
	head, partial := strings.TrimRight(line, " "), ""
	if sp := strings.LastIndexByte(line, ' '); sp > closing && sp < len(line)-1 {
		head, partial = line[:sp], line[sp+1:]
	}
	upperLine := strings.ToUpper(head)
	var out []completion
	for _, p := range params(verb) {
		word := strings.TrimSpace(p.Template)
		name, _, _ := strings.Cut(word, "=")
		if !strings.HasPrefix(word, strings.ToUpper(partial)) || strings.Contains(upperLine, " "+name) {
			continue
		}
		out = append(out, completion{
			Suggestion: protocol.Suggestion{Verb: p.Verb, Template: head + p.Template, Cursor: len(head) + p.Cursor, Help: p.Help},
			label:      word,
		})
	}
	return out
}

// Remember adds a sent line to the history and clears the input.
func (c *composer) Remember(line string) {
	c.remember(line)
	c.Clear()
}

// remember adds a line to the history. AUTH lines never enter it: their
// arguments are credentials.
func (c *composer) remember(line string) {
	if line == "" || isAuthLine(line) || (len(c.history) > 0 && c.history[len(c.history)-1] == line) {
		return
	}
	c.history = append(c.history, line)
	if len(c.history) > maxHistory {
		c.history = c.history[len(c.history)-maxHistory:]
	}
}

// Clear empties the input and ends history browsing.
func (c *composer) Clear() {
	c.histPos = len(c.history)
	c.draft = ""
	c.warning = nil
	c.cycling, c.matches = false, nil
	c.setInput("")
}

// isAuthLine reports whether line is an AUTH command, whose arguments
// (an initial response) are credentials.
func isAuthLine(line string) bool {
	verb, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	return strings.EqualFold(verb, protocol.VerbAUTH)
}

// HistoryPrev recalls the previous command.
func (c *composer) HistoryPrev() {
	if c.histPos == 0 {
		return
	}
	if c.histPos == len(c.history) {
		c.draft = c.input.Value()
	}
	c.histPos--
	c.SetValue(c.history[c.histPos], -1)
}

// HistoryNext goes forward in the history, back to the draft at the end.
func (c *composer) HistoryNext() {
	if c.histPos >= len(c.history) {
		return
	}
	c.histPos++
	if c.histPos == len(c.history) {
		c.SetValue(c.draft, -1)
		return
	}
	c.SetValue(c.history[c.histPos], -1)
}

// Warn shows why line should not go out as it is (the reply the server
// will likely give, a malformed argument, a password in clear); the same
// line sent again goes out anyway.
func (c *composer) Warn(line string, reasons ...string) {
	c.warning = &sequenceWarning{line: line, text: strings.Join(reasons, "; ")}
}

// predictionText says which reply the server will likely give.
func predictionText(p *protocol.Prediction) string {
	text := fmt.Sprintf("server will likely answer %d", p.Code)
	if p.Enhanced != "" {
		text += " " + p.Enhanced
	}
	if p.Why != "" {
		text += ": " + p.Why
	} else if p.Text != "" {
		text += " " + p.Text
	}
	return text
}

// problemText says what is wrong with a command's syntax.
func problemText(pr protocol.Problem) string {
	if pr.Ref != "" {
		return pr.Message + " (" + pr.Ref + ")"
	}
	return pr.Message
}

// Confirmed reports whether line was already warned about, so a second
// enter sends it.
func (c *composer) Confirmed(line string) bool {
	return c.warning != nil && c.warning.line == line
}

// Cancel drops the warning and the completion list; it reports whether
// there was anything to drop.
func (c *composer) Cancel() bool {
	had := c.warning != nil || c.cycling || c.notice != ""
	c.warning, c.cycling, c.matches, c.notice = nil, false, nil, ""
	return had
}

// maxStatusRows bounds the lines a warning or notice may take under the
// input; the box grows by as many, so nothing the user must read is cut.
const maxStatusRows = 4

// Rows returns the content rows the composer needs at outer width w: the
// input line and its status lines.
func (c *composer) Rows(w int) int {
	inner := w - c.frame().GetHorizontalFrameSize()
	return 1 + len(c.statusLines(max(1, inner)))
}

// Render draws the composer box at its set size, one string per row.
func (c *composer) Render() []string {
	frame := c.frame()
	inner := c.width - frame.GetHorizontalFrameSize()
	rows := max(1, c.height-frame.GetVerticalFrameSize())
	lines := []string{padRight(c.input.View(), inner)}
	for _, l := range c.statusLines(inner) {
		if len(lines) == rows {
			break
		}
		lines = append(lines, padRight(l, inner))
	}
	for len(lines) < rows {
		lines = append(lines, strings.Repeat(" ", inner))
	}
	if c.focused {
		return c.boxes[1].draw(lines)
	}
	return c.boxes[0].draw(lines)
}

// statusLines are the lines under the input: a warning (wrapped, whole),
// progress, the completion list, a notice, the SASL answer's prompt, or
// the next-command hint, in that order of importance.
func (c *composer) statusLines(width int) []string {
	st := c.ctx.Styles
	switch {
	case c.warning != nil:
		return c.warningLines(width)
	case c.progress != nil && !c.progress.Done:
		return []string{renderProgress(st, *c.progress, width)}
	case c.cycling && len(c.matches) > 1:
		return []string{c.matchList(width)}
	case c.notice != "":
		return wrapStyledRows(st.Hint, c.notice, width)
	case c.sasl != nil:
		return c.saslLines(width)
	}
	return []string{c.hint(width)}
}

// warningLines are the warning, wrapped whole, and the choice it offers
// (enter again, esc) kept together on the last line or one of its own.
func (c *composer) warningLines(width int) []string {
	st := c.ctx.Styles.Warning
	choice := c.warningChoice()
	lines := wrapText("⚠ "+c.warning.text, width)
	last := len(lines) - 1
	if ansi.StringWidth(lines[last]+choice) <= width {
		lines[last] += choice
	} else {
		lines = append(lines, strings.TrimPrefix(choice, " · "))
	}
	if len(lines) > maxStatusRows {
		// Keep the choice: cut the reason instead.
		keep := lines[:maxStatusRows-2]
		keep = append(keep, ansi.Truncate(lines[maxStatusRows-2]+" "+lines[maxStatusRows-1], width, "…"))
		lines = append(keep, lines[len(lines)-1])
	}
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return lines
}

// wrapStyledRows wraps text to width in one style, at most maxStatusRows
// lines (the last one cut with "…" if it must be).
func wrapStyledRows(style lipglossStyle, text string, width int) []string {
	lines := wrapText(text, width)
	if len(lines) > maxStatusRows {
		lines = lines[:maxStatusRows]
		lines[maxStatusRows-1] = ansi.Truncate(lines[maxStatusRows-1]+" …", width, "…")
	}
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

// matchList shows the completion candidates with the current one marked.
func (c *composer) matchList(width int) string {
	parts := make([]string, len(c.matches))
	for i, s := range c.matches {
		if i == c.matchIdx {
			parts[i] = c.ctx.Styles.CompletionSelected.Render(s.label)
		} else {
			parts[i] = c.ctx.Styles.CompletionItem.Render(s.label)
		}
	}
	return ansi.Truncate(strings.Join(parts, c.ctx.Styles.Hint.Render(" · ")), width, "…")
}

// SetIdleHint sets what the hint line says while no command can be sent
// (disconnected, out of step); "" brings back the next-command hint.
func (c *composer) SetIdleHint(s string) { c.idle = s }

// hint names the commands that make sense next.
func (c *composer) hint(width int) string {
	if c.idle != "" {
		return c.ctx.Styles.Hint.Render(ansi.Truncate(c.idle, width, "…"))
	}
	if len(c.suggestions) == 0 {
		return ""
	}
	names := hintNames(c.suggestions)
	text := "next: " + strings.Join(names, " · ")
	if tab := text + "   (tab completes)"; ansi.StringWidth(tab) <= width {
		text = tab // the reminder goes first when the line is short
	}
	return c.ctx.Styles.Hint.Render(ansi.Truncate(text, width, "…"))
}

// hintNames picks what the hint names: one AUTH (the server's first
// mechanism; tab lists the others), then the suggestions in order, and
// QUIT last whenever it applies, so the way out is always in sight.
func hintNames(sugs []protocol.Suggestion) []string {
	var names []string
	quit, auth := false, false
	for _, s := range sugs {
		switch {
		case s.Verb == protocol.VerbQUIT:
			quit = true
			continue
		case s.Verb == protocol.VerbAUTH && auth:
			continue
		case s.Verb == protocol.VerbAUTH:
			auth = true
		}
		if len(names) < maxHintItems-1 {
			names = append(names, hintName(s.Template))
		}
	}
	if quit {
		names = append(names, protocol.VerbQUIT)
	}
	return names
}

// hintName shortens a template for the hint: "MAIL FROM:<>" -> "MAIL FROM".
func hintName(template string) string {
	return strings.TrimRight(strings.TrimSuffix(template, "<>"), ": ")
}
