package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// panelScrollLines is how far one panel scroll key moves.
const panelScrollLines = 3

// handleKey routes a key press: an open dialog takes every key; then the
// global actions; then the focused child.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.dialog != nil {
		if _, isHelp := m.dialog.(*helpDialog); !isHelp && msg.Text == "" && key.Matches(msg, m.ctx.Keys.Global.Help) {
			// f1 (never a typed "?"): the keys, over the dialog, which
			// comes back when the help closes.
			m.underHelp = m.dialog
			m.openDialog(NewHelpDialog(m.ctx))
			return nil
		}
		var cmd tea.Cmd
		m.dialog, cmd = m.dialog.Update(msg)
		return cmd
	}
	if key.Matches(msg, m.ctx.Keys.Global.Quit) {
		return m.requestQuit()
	}
	if m.lay.tooSmall {
		return nil
	}
	if m.search.editing {
		return m.handleSearchKey(msg)
	}
	if m.opts.Observer {
		return m.handleObserverKey(msg)
	}
	if cmd, ok := m.handleLessonKey(msg); ok {
		return cmd
	}
	if cmd, ok := m.handleGlobalKey(msg); ok {
		return cmd
	}
	if m.dataMode {
		return m.handleDataKey(msg)
	}
	switch m.focus {
	case focusPane:
		return m.handlePaneKey(msg)
	case focusLessons:
		return m.handleLessonPaneKey(msg)
	case focusPanel:
		return m.handlePanelKey(msg)
	}
	return m.handleComposerKey(msg)
}

// handleObserverKey runs the keys of a read-only view: move through the
// pane and panel, search, save, copy or export what was seen; nothing
// that sends a command.
func (m *Model) handleObserverKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.ctx.Keys
	switch {
	case key.Matches(msg, k.Actions.Save):
		m.openDialog(NewSaveDialog(m.ctx, defaultSavePath(m.ctx.Now())))
	case key.Matches(msg, k.Actions.Copy):
		return m.copyTranscript()
	case key.Matches(msg, k.Actions.Export):
		m.openDialog(NewExportDialog(m.ctx))
	case key.Matches(msg, k.Actions.SaveChain):
		m.openChainDialog()
	case key.Matches(msg, k.Pane.Search):
		return m.search.Start()
	case key.Matches(msg, k.Panel.NextTab):
		m.panel.NextTab()
	case key.Matches(msg, k.Global.Focus):
		if m.focus == focusPane && m.lay.panel.h > 0 {
			m.setFocus(focusPanel)
		} else {
			m.setFocus(focusPane)
		}
	case key.Matches(msg, k.Pane.PageUp):
		m.pane.PageUp()
	case key.Matches(msg, k.Pane.PageDown):
		m.pane.PageDown()
	case key.Matches(msg, k.Panel.ScrollUp):
		m.panel.ScrollBy(-panelScrollLines)
	case key.Matches(msg, k.Panel.ScrollDown):
		m.panel.ScrollBy(panelScrollLines)
	case m.focus == focusPanel:
		return m.handlePanelKey(msg)
	default:
		return m.handlePaneKey(msg)
	}
	m.syncPanel()
	return nil
}

// handleGlobalKey runs the actions available everywhere.
func (m *Model) handleGlobalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.ctx.Keys
	a := k.Actions
	switch {
	case key.Matches(msg, k.Global.Help) && m.helpKeyFree(msg):
		m.openDialog(NewHelpDialog(m.ctx))
	case key.Matches(msg, k.Pane.Search) && m.helpKeyFree(msg):
		return m.search.Start(), true
	case key.Matches(msg, a.StartTLS):
		m.startRun()
		m.eng.StartTLS()
	case key.Matches(msg, a.Auth):
		m.startAuth()
	case key.Matches(msg, a.Message):
		m.openDialog(NewMessageDialog(m.ctx, m.envFrom, strings.Join(m.envTo, ", ")))
	case key.Matches(msg, a.Reset):
		m.startRun()
		m.sendLine("RSET", protocol.ParseCommand("RSET"))
	case key.Matches(msg, a.Noop):
		m.startRun()
		m.sendLine("NOOP", protocol.ParseCommand("NOOP"))
	case key.Matches(msg, a.Reconnect):
		m.reconnect()
	case key.Matches(msg, a.Save):
		m.openDialog(NewSaveDialog(m.ctx, defaultSavePath(m.ctx.Now())))
	case key.Matches(msg, a.Copy):
		return m.copyTranscript(), true
	case key.Matches(msg, a.Export):
		m.openDialog(NewExportDialog(m.ctx))
	case key.Matches(msg, a.Profile):
		m.openProfileDialog()
	case key.Matches(msg, a.Mailbox):
		return m.openMailbox(), true
	case key.Matches(msg, a.SaveChain):
		m.openChainDialog()
	case key.Matches(msg, a.ReconnectTLS) && m.suggest == session.SuggestImplicitTLS:
		m.reconnectWith(session.ReconnectOptions{ImplicitTLS: true})
	case key.Matches(msg, a.TrustCertificate) && m.suggest == session.SuggestTrustCertificate && len(m.suggestPin) > 0:
		m.reconnectWith(session.ReconnectOptions{PinCert: m.suggestPin})
	case key.Matches(msg, a.ReconnectInsecure) && m.suggest == session.SuggestTrustCertificate:
		m.reconnectWith(session.ReconnectOptions{Insecure: true})
	case key.Matches(msg, a.Doctor):
		return m.startDoctor(), true
	case key.Matches(msg, a.RevealUser):
		m.revealUser = !m.revealUser
		m.pane.SetRevealUser(m.revealUser, m.authUser)
	case key.Matches(msg, a.DemoCreds) && !m.dataMode:
		m.showDemoCredentials()
	case key.Matches(msg, k.Panel.NextTab):
		m.panel.NextTab()
	case key.Matches(msg, k.Global.Focus):
		m.cycleFocus()
	case key.Matches(msg, k.Pane.PageUp):
		m.pane.PageUp()
	case key.Matches(msg, k.Pane.PageDown):
		m.pane.PageDown()
	case key.Matches(msg, k.Panel.ScrollUp):
		m.panel.ScrollBy(-panelScrollLines)
	case key.Matches(msg, k.Panel.ScrollDown):
		m.panel.ScrollBy(panelScrollLines)
	default:
		return nil, false
	}
	m.syncPanel()
	return nil, true
}

// helpKeyFree reports whether a key that types text ("?", "/") means its
// action here rather than a character typed into the composer or the
// body: only where nothing is being typed.
func (m *Model) helpKeyFree(msg tea.KeyPressMsg) bool {
	if msg.Text == "" {
		return true // f1
	}
	if m.dataMode {
		return false
	}
	return m.focus != focusComposer || m.composer.Value() == ""
}

// cycleFocus moves the focus composer -> pane -> lessons -> panel ->
// composer, skipping what the layout does not show.
func (m *Model) cycleFocus() {
	next := (m.focus + 1) % numFocusAreas
	for (next == focusLessons && m.lay.lesson.h == 0) || (next == focusPanel && m.lay.panel.h == 0) {
		next = (next + 1) % numFocusAreas
	}
	m.setFocus(next)
}

// handlePaneKey scrolls and selects in the session pane; typing goes back
// to the composer.
func (m *Model) handlePaneKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.ctx.Keys.Pane
	switch {
	case key.Matches(msg, k.Up):
		m.pane.Select(-1)
	case key.Matches(msg, k.Down):
		m.pane.Select(1)
	case key.Matches(msg, k.Top):
		m.pane.Home()
	case key.Matches(msg, k.Bottom):
		m.pane.End()
	case key.Matches(msg, k.SearchNext):
		m.findMatch(1)
	case key.Matches(msg, k.SearchPrev):
		m.findMatch(-1)
	case key.Matches(msg, m.ctx.Keys.Global.Back) && m.search.status != "":
		m.search.status = ""
	case key.Matches(msg, m.ctx.Keys.Global.Back):
		m.pane.End()
		m.setFocus(focusComposer)
	case msg.Text != "" && !m.opts.Observer:
		m.setFocus(focusComposer)
		return m.composer.Update(msg)
	}
	m.syncPanel()
	return nil
}

// handlePanelKey scrolls the panel and switches its tabs.
func (m *Model) handlePanelKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.ctx.Keys.Panel
	switch {
	case key.Matches(msg, k.LineUp):
		m.panel.ScrollBy(-1)
	case key.Matches(msg, k.LineDown):
		m.panel.ScrollBy(1)
	case key.Matches(msg, k.TabRight):
		m.panel.NextTab()
	case key.Matches(msg, k.TabLeft):
		m.panel.PrevTab()
	case key.Matches(msg, m.ctx.Keys.Global.Back):
		m.setFocus(focusComposer)
	case msg.Text != "" && !m.opts.Observer:
		m.setFocus(focusComposer)
		return m.composer.Update(msg)
	}
	return nil
}

// handleComposerKey sends, completes, walks the history, or edits.
func (m *Model) handleComposerKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.ctx.Keys.Composer
	switch {
	case key.Matches(msg, k.Send):
		m.startRun()
		m.submit()
	case key.Matches(msg, k.Complete):
		m.composer.Complete()
	case key.Matches(msg, k.HistoryPrev):
		m.composer.HistoryPrev()
	case key.Matches(msg, k.HistoryNext):
		m.composer.HistoryNext()
	case key.Matches(msg, k.SASLPlain) && m.composer.AnsweringSASL():
		m.composer.ToggleSASLPlain()
	case key.Matches(msg, m.ctx.Keys.Global.Back):
		if !m.composer.Cancel() {
			m.pane.End()
		}
		m.syncPanel()
	default:
		return m.composer.Update(msg)
	}
	return nil
}

// submit sends the typed line, or warns first when the server will
// probably refuse it (or when it would send a password in clear); enter
// again sends it anyway. After a 334 the line is the SASL answer.
func (m *Model) submit() {
	if m.composer.AnsweringSASL() {
		m.submitSASLAnswer()
		return
	}
	line := m.composer.Value()
	if strings.TrimSpace(line) == "" {
		return
	}
	cmd := protocol.ParseCommand(line)
	if cmd.Verb == protocol.VerbAUTH && m.opts.RequireTLS && m.tls == nil && !m.snap.TLS {
		m.composer.notice = "not sent: with --starttls=require no AUTH goes out without TLS"
		return
	}
	if !m.composer.Confirmed(line) {
		var reasons []string
		if r := m.cleartextAuthProblem(cmd); r != "" {
			reasons = append(reasons, r)
		}
		if p := protocol.Check(m.snapWhenSent(), cmd); p != nil {
			reasons = append(reasons, predictionText(p))
		} else if len(cmd.Problems) > 0 {
			reasons = append(reasons, problemText(cmd.Problems[0]))
		}
		if len(reasons) > 0 {
			m.composer.Warn(line, reasons...)
			return
		}
	}
	m.composer.Remember(line)
	if m.outboxHold() != "" || len(m.outbox) > 0 {
		m.enqueue(outItem{line: line})
		return
	}
	m.sendLine(line, cmd)
}

// snapWhenSent is the protocol state a command typed now meets: a command
// held until the greeting is sent after it.
func (m *Model) snapWhenSent() protocol.Snapshot {
	s := m.snap
	if m.outboxHold() == holdGreeting && (s.State == protocol.StateGreeting || s.State == protocol.StateDisconnected) {
		s.State = protocol.StateGreeted
	}
	return s
}

// submitSASLAnswer sends the line typed after a 334 as the answer to the
// challenge; an empty answer needs a second enter.
func (m *Model) submitSASLAnswer() {
	wire := m.composer.SASLWire()
	if wire == "" && !m.composer.Confirmed("") {
		m.composer.Warn("", "an empty answer: most servers refuse it (RFC 4954 4 allows it for some mechanisms)")
		return
	}
	if why := m.composer.SASLNotBase64(); why != "" && !m.composer.Confirmed(m.composer.Value()) {
		m.composer.Warn(m.composer.Value(), why)
		return
	}
	m.composer.Clear()
	m.sendSASLAnswer(wire)
}

// sendLine puts one command on the wire and keeps the envelope for the
// DATA headers. STARTTLS goes through the engine's handshake.
func (m *Model) sendLine(line string, cmd protocol.Command) {
	switch cmd.Verb {
	case protocol.VerbSTARTTLS:
		m.eng.StartTLS()
		return
	case protocol.VerbMAIL:
		m.envFrom, m.envTo = cmd.Path, nil
	case protocol.VerbRCPT:
		m.envTo = append(m.envTo, cmd.Path)
	case protocol.VerbDATA:
		m.awaitData = true
	case protocol.VerbAUTH:
		m.awaitAuthReply = true
	case protocol.VerbBDAT:
		if size, ok := cmd.ChunkSize(); ok && size > 0 && len(cmd.Problems) == 0 {
			m.eng.Send(line)
			m.enterChunkMode(size) // the cursor is steady: no blink command to run
			return
		}
	case protocol.VerbRSET, protocol.VerbEHLO, protocol.VerbHELO:
		m.envFrom, m.envTo = "", nil
	}
	m.eng.Send(line)
}

// handlePaste queues a multi-line paste one command per line, whatever
// ends its lines (CR, LF or CRLF: terminals send CR): a bare CR never
// reaches the wire inside a command. The lines after a pasted DATA are the
// message, up to a line holding a single "."; AUTH answers wait for their
// 334.
func (m *Model) handlePaste(msg tea.PasteMsg) tea.Cmd {
	if m.dataMode && !m.body.filePrompt {
		m.pasteIntoBody(msg.Content)
		return nil
	}
	if m.dialog != nil || m.dataMode || !strings.ContainsAny(msg.Content, "\r\n") {
		return m.forwardToFocused(msg)
	}
	m.setFocus(focusComposer)
	m.startRun()
	items := pastedItems(splitLines(msg.Content))
	m.enqueue(items...)
	m.composer.notice = "pasted " + plural(len(items), "command") + ", sent one per line"
	return nil
}

// splitLines splits text at CRLF, LF and bare CR; empty lines stay (a
// message needs the one between its headers and its body).
func splitLines(text string) []string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	return strings.Split(strings.TrimSuffix(text, "\n"), "\n")
}

// pastedItems turns pasted lines into outbox items: blank lines are
// dropped between commands; a DATA takes the lines after it as its
// message, up to a line holding a single ".".
func pastedItems(lines []string) []outItem {
	var items []outItem
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.TrimSpace(line) == "" {
			continue
		}
		it := outItem{line: line}
		if protocol.ParseCommand(line).Verb == protocol.VerbDATA && i+1 < len(lines) {
			body := &pastedMessage{}
			var text strings.Builder
			for i++; i < len(lines); i++ {
				if lines[i] == "." {
					body.ended = true
					break
				}
				text.WriteString(lines[i] + "\r\n")
			}
			body.text = text.String()
			it.body = body
		}
		items = append(items, it)
	}
	return items
}

// handleMouse scrolls the pane or the panel under the wheel, and selects
// the line clicked in the pane.
func (m *Model) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if m.dialog != nil || m.lay.tooSmall {
		return nil
	}
	mouse := msg.Mouse()
	inPanel := m.lay.panel.h > 0 && inside(m.lay.panel, mouse.X, mouse.Y)
	inLesson := m.lay.lesson.h > 0 && m.lessons != nil && inside(m.lay.lesson, mouse.X, mouse.Y)
	switch msg.(type) {
	case tea.MouseWheelMsg:
		delta := wheelLines
		if mouse.Button == tea.MouseWheelUp {
			delta = -wheelLines
		}
		switch {
		case inLesson:
			m.lessons.pane.ScrollBy(delta)
		case inPanel:
			m.panel.ScrollBy(delta)
		case delta < 0:
			m.pane.ScrollUp(-delta)
		default:
			m.pane.ScrollDown(delta)
		}
	case tea.MouseClickMsg:
		if mouse.Button != tea.MouseLeft || !inside(m.lay.pane, mouse.X, mouse.Y) {
			return nil
		}
		row := mouse.Y - m.lay.pane.y - m.ctx.Styles.PaneBorder.GetBorderTopSize()
		if rec := m.pane.RecordAtRow(row); rec >= 0 {
			m.pane.SelectIndex(rec)
			m.setFocus(focusPane)
			m.syncPanel()
		}
	}
	return nil
}

// inside reports whether the cell x, y is in r.
func inside(r rect, x, y int) bool {
	return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// startAuth runs AUTH with the credentials from the command line, or
// opens the AUTH dialog. Without TLS to a server elsewhere it asks first;
// with --starttls=require it refuses.
func (m *Model) startAuth() {
	if why := m.noAuthOffered(); why != "" && (m.opts.Auth == nil || m.opts.Auth.Mechanism == "") {
		m.composer.notice = why
		return
	}
	if m.tls == nil && !m.snap.TLS {
		if m.opts.RequireTLS {
			m.composer.notice = "no AUTH without TLS (--starttls=require): " + m.ctx.Keys.Actions.StartTLS.Help().Key + " upgrades first"
			return
		}
		if why := m.cleartextAuthProblem(protocol.Command{Verb: protocol.VerbAUTH}); why != "" && !m.cleartextConfirmed {
			m.openDialog(NewConfirmDialog(m.ctx, confirmCleartextAuth, "Log in anyway? "+capitalize(why)+"."))
			return
		}
	}
	m.runAuth()
}

// runAuth starts the AUTH exchange the session runs by itself: with the
// credentials from the command line, or from the AUTH dialog.
func (m *Model) runAuth() {
	if m.opts.Auth != nil {
		m.engineAuth(*m.opts.Auth)
		return
	}
	d := NewAuthDialog(m.ctx, m.snap.Caps.AuthMechanisms(), m.authUser).(*authDialog)
	if m.opts.Sandbox {
		// Never on a real server: these are the practice server's own.
		d.demo = demoLoginEntries(m.opts.DemoCredentials)
		d.fills = m.opts.DemoLogins
	}
	m.openDialog(d)
}

// noAuthOffered says why there is no mechanism to choose from, and what
// to do about it, when the server has advertised none; "" when it has.
// Without one, the AUTH dialog could only fail.
func (m *Model) noAuthOffered() string {
	if len(m.snap.Caps.AuthMechanisms()) > 0 {
		return ""
	}
	keys := m.ctx.Keys.Actions
	switch {
	case !m.snap.Extended:
		return "no AUTH mechanisms known yet: the server lists them in its EHLO reply — send EHLO first"
	case !m.snap.TLS && m.snap.Caps.Has(protocol.VerbSTARTTLS):
		return "no AUTH offered before TLS (many servers list it only after STARTTLS): " + keys.StartTLS.Help().Key + " first, then " + keys.Auth.Help().Key
	}
	return "the server advertises no AUTH: it takes no login here (type AUTH and a mechanism to try anyway)"
}

// engineAuth hands an AUTH request to the session, which answers every
// 334 itself.
func (m *Model) engineAuth(req session.AuthRequest) {
	req.AllowCleartext = m.cleartextConfirmed
	m.authUser = req.Username
	m.pane.SetRevealUser(m.revealUser, m.authUser)
	m.authBefore, m.auth = m.auth, authRunning
	m.authByEngine = true
	m.eng.Auth(req)
}

// authEnded takes an AUTH exchange the session gave up on: no reply
// decides it, so the header's mark goes back to what it was when the
// exchange began, unless a reply has already set it.
func (m *Model) authEnded() {
	m.authByEngine = false
	if m.auth == authRunning {
		m.auth = m.authBefore
	}
}

// openProfileDialog asks for the name to save this connection under; the
// sandbox has none worth saving (its port changes every run).
func (m *Model) openProfileDialog() {
	if m.opts.Profile == nil {
		m.composer.notice = "the sandbox's address changes every run: profiles are for real servers"
		return
	}
	m.openDialog(NewProfileDialog(m.ctx, m.opts.Profile.Address(), suggestProfileName(m.opts.Profile.Host)))
}

// capitalize upper-cases the first letter of a sentence.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// reconnectWith starts a new connection with changed settings.
func (m *Model) reconnectWith(o session.ReconnectOptions) {
	m.minGen = m.gen + 1
	m.eng.ReconnectWith(o)
}

// reconnect starts a new connection; events of the old one are dropped.
func (m *Model) reconnect() {
	m.minGen = m.gen + 1
	m.note(session.KindInfo, "reconnecting…")
	m.eng.Reconnect()
}

// showDemoCredentials lists the sandbox's demo accounts in the pane.
func (m *Model) showDemoCredentials() {
	if !m.opts.Sandbox || len(m.opts.DemoCredentials) == 0 {
		m.composer.notice = "demo credentials exist only on the sandbox (run smtpscope with no arguments)"
		return
	}
	for _, line := range m.opts.DemoCredentials {
		m.note(session.KindInfo, "%s", line)
	}
	m.pane.End()
}
