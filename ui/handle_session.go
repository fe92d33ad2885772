package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// Reply codes the UI reacts to.
const (
	codeStartMailInput = 354 // RFC 5321 4.2.2: DATA accepted, send the content
	codeAuthSucceeded  = 235 // RFC 4954 6: authentication successful
	codeAuthContinue   = 334 // RFC 4954 4: server challenge
	codeServiceReady   = 220 // RFC 5321 4.2.2: greeting
)

// handleSessionEvents applies a batch of events: lines go to the pane,
// replies to the reply list, state to the header and composer. Events of
// an older connection generation are dropped.
func (m *Model) handleSessionEvents(batch []session.Event) tea.Cmd {
	var cmds []tea.Cmd
	for i := range batch {
		e := &batch[i]
		if e.Gen < m.minGen || e.Gen < m.gen {
			continue
		}
		if e.Gen > m.gen {
			m.newGeneration(e.Gen)
		}
		cmds = append(cmds, m.handleEvent(e), m.observeLesson(e))
	}
	m.pump()
	m.noteQueued()
	m.composer.SetIdleHint(m.idleHint())
	m.syncPanel()
	return tea.Batch(cmds...)
}

// idleHint tells the user how to go on when the connection can take no
// command: gone, or out of step with its replies, or what an event
// suggests.
func (m *Model) idleHint() string {
	a := m.ctx.Keys.Actions
	reconnect := a.Reconnect.Help().Key
	switch {
	case m.suggest == session.SuggestImplicitTLS:
		return a.ReconnectTLS.Help().Key + " reconnects with TLS from the first byte (the port seems to expect it) · " + reconnect + " reconnects as before"
	case m.suggest == session.SuggestTrustCertificate && len(m.suggestPin) > 0:
		return a.TrustCertificate.Help().Key + " trusts this certificate for this run · " + a.ReconnectInsecure.Help().Key + " reconnects without verifying · " +
			a.SaveChain.Help().Key + " saves it"
	case m.conn == connClosed:
		return "not connected · " + reconnect + " reconnects"
	case m.state == protocol.StateDesync:
		return "replies no longer match commands · " + reconnect + " reconnects"
	}
	return ""
}

// newGeneration forgets what belonged to the previous connection.
func (m *Model) newGeneration(gen int) {
	m.endAwaiting()
	m.startRun() // a failure of the old connection does not explain the new one
	m.gen = gen
	m.conn = connConnecting
	m.snap = protocol.Snapshot{}
	m.state = protocol.StateDisconnected
	m.tls = nil
	m.auth = authNone
	m.greeting = ""
	m.awaitData, m.pendingBody, m.messageOut = false, nil, false
	m.awaitAuthReply, m.authByEngine = false, false
	m.downgrade, m.cleartextConfirmed = nil, false
	m.suggest, m.suggestPin = session.SuggestNothing, nil
	m.failure, m.lastError = nil, ""
	m.connectedAt = time.Time{}
	m.panel.SetFailure(nil)
	m.composer.EndSASL()
	m.composer.progress = nil
	if m.dataMode {
		m.leaveDataMode()
	}
	m.panel.SetTLS(nil)
	m.applySnapshot(m.snap)
}

func (m *Model) handleEvent(e *session.Event) tea.Cmd {
	if e.Downgrade != nil {
		m.downgrade = e.Downgrade
	}
	if e.Suggest != session.SuggestNothing {
		m.suggest = e.Suggest
		if m.tls != nil && len(m.tls.Chain) > 0 {
			m.suggestPin = m.tls.Chain[0].DER
		}
	}
	switch e.Kind {
	case session.KindInfo, session.KindWarning:
		m.addRecord(e, e.Text)
	case session.KindError:
		text := e.Text
		if text == "" && e.Err != nil {
			text = e.Err.Error()
		}
		var ce *session.CertificateError
		if errors.As(e.Err, &ce) {
			// Its command-line flags give way to the keys the panel lists.
			text = "the server's certificate is not trusted: " + ce.Reason
		}
		m.addRecord(e, text)
		m.lastError = text
		if e.Err != nil {
			m.lastError = e.Err.Error()
		}
		if e.Command == protocol.VerbAUTH && m.authByEngine {
			m.authEnded()
		}
	case session.KindClient:
		m.commands++
		if mech, ok := authMechanism(e); ok {
			m.authMechanism = mech
		}
		userLine := e.Redacted && m.carriesUsername(e)
		i := m.addRecord(e, e.Text)
		m.pane.store.At(i).username = userLine
		m.awaitReply(e, i)
	case session.KindServer:
		m.addRecord(e, e.Text)
		if e.Command == protocol.VerbAUTH && e.Decoded != "" {
			m.saslPrompt = e.Decoded
		}
	case session.KindReply:
		return m.handleReply(e)
	case session.KindTLS:
		m.tls = e.TLSInfo
		m.panel.SetTLS(e.TLSInfo)
	case session.KindState:
		m.state = e.State
		if e.Snapshot != nil {
			m.applySnapshot(*e.Snapshot)
		}
	case session.KindProgress:
		p := e.Progress
		m.composer.progress = &p
		if p.Done {
			m.composer.progress = nil
		}
	case session.KindConnected:
		m.conn = connUp
		m.connectedAt = e.Time
		m.addRecord(e, session.ConnectedNote+e.Text)
	case session.KindClosed:
		m.noteDropInMessage()
		m.endAwaiting()
		m.conn = connClosed
		m.state = protocol.StateClosed
		text := "connection closed"
		switch {
		case e.Err != nil && e.Err.Error() == m.lastError:
			// The error line above says why; the panel explains it.
			if e.Text == "not connected" {
				text = e.Text
			}
		case e.Err != nil:
			text += ": " + e.Err.Error()
			if e.Text != "" {
				text = e.Text
			}
		case e.Text != "":
			text = e.Text
		}
		m.addRecord(e, text)
		if e.Err != nil {
			m.failure = m.failureOf(e.Err)
		}
		if m.dataMode {
			m.leaveDataMode()
		}
	}
	return nil
}

// noteDropInMessage says what a connection lost in the middle of a
// message means for its delivery: cut off before the final ".", the server
// must drop it (RFC 5321 4.1.1.4), so sending again is safe; lost after,
// before the reply, nobody knows, and sending again may deliver it twice.
func (m *Model) noteDropInMessage() {
	switch {
	case m.dataMode:
		m.note(session.KindWarning, "the connection dropped while you were typing the message: it was not sent")
		return
	case !m.messageOut:
		return
	}
	if p := m.composer.progress; p != nil && !p.Done {
		m.note(session.KindWarning, "the connection dropped while the message was being sent: an incomplete message must be discarded (RFC 5321 4.1.1.4), so sending it again is safe")
		return
	}
	m.note(session.KindWarning, "the connection dropped before the server answered the end of the message: delivery is unknown (the server may have accepted it), and sending it again may deliver it twice (RFC 5321 6.1)")
}

// addRecord appends a pane line for e with the given text.
func (m *Model) addRecord(e *session.Event, text string) int {
	return m.pane.Append(record{
		at:       nanos(e.Time),
		latency:  e.Latency,
		text:     text,
		decoded:  e.Decoded,
		kind:     e.Kind,
		tls:      e.TLS,
		redacted: e.Redacted,
		reply:    noReply,
	})
}

// carriesUsername reports whether a redacted client line held the AUTH
// username: a PLAIN initial response, or the answer to a decoded
// "Username:" prompt (LOGIN).
func (m *Model) carriesUsername(e *session.Event) bool {
	if strings.Contains(strings.ToLower(e.Text), "username") {
		return true
	}
	if n := m.pane.Len(); n > 0 {
		prev := m.pane.store.At(n - 1)
		return prev.isServer() && strings.Contains(strings.ToLower(prev.decoded), "user")
	}
	return false
}

// handleReply records a complete reply, links its lines to it, and reacts
// to the replies that change what the UI shows.
func (m *Model) handleReply(e *session.Event) tea.Cmd {
	if e.Reply == nil {
		return nil
	}
	idx := len(m.replies)
	m.replies = append(m.replies, replyEntry{reply: e.Reply, command: e.Command, at: e.Time, latency: e.Latency})
	m.linkReplyLines(idx, len(e.Reply.Lines))
	m.answerCommand(e.Command, idx)
	// The snapshot with the new capabilities follows in its own event,
	// maybe in the next batch; until then the composer already judges
	// commands by the state this reply left.
	m.state = e.State
	m.snap.State = e.State
	if e.Latency > 0 {
		m.lastLatency = e.Latency
	}
	if e.Reply.Code >= 400 {
		m.errors++
	}
	code := e.Reply.Code
	switch {
	case e.Command == "" && m.greeting == "":
		if m.suggest == session.SuggestImplicitTLS {
			m.suggest = session.SuggestNothing // it greeted after all: only slowly
		}
		m.greeting = e.Reply.OneLine()
		m.bannerDelay = e.Latency
		m.provider = protocol.DetectProvider(m.opts.Host, m.greeting)
	case e.Command == protocol.VerbAUTH:
		m.awaitAuthReply = false
		switch {
		case code == codeAuthSucceeded:
			m.auth = authOK
		case code == codeAuthContinue:
			m.auth = authRunning
		default:
			m.auth = authFailed
		}
		switch {
		case code == codeAuthContinue && !m.authByEngine:
			m.composer.StartSASL(m.saslPrompt)
		case code != codeAuthContinue:
			m.composer.EndSASL()
			m.authByEngine = false
		}
		m.saslPrompt = ""
	case e.Command == protocol.EndOfDataVerb || e.Command == protocol.VerbBDAT:
		m.messageOut = false
	case e.Command == protocol.VerbDATA && code == codeStartMailInput:
		return m.startData()
	case e.Command == protocol.VerbDATA:
		m.awaitData, m.pendingBody = false, nil
	}
	return nil
}

// linkReplyLines points the last n server lines at reply idx, so that
// selecting any of them shows the reply's explanation.
func (m *Model) linkReplyLines(idx, n int) {
	for i := m.pane.Len() - 1; i >= 0 && n > 0; i-- {
		r := m.pane.store.At(i)
		if !r.isServer() {
			continue
		}
		if r.reply != noReply {
			break
		}
		r.reply = idx
		n--
	}
}

// startData reacts to 354: a pasted message ended by "." goes out at
// once; one without its "." opens in the body editor to be finished;
// otherwise the editor opens with headers from the envelope.
func (m *Model) startData() tea.Cmd {
	pasted := m.pendingBody
	m.pendingBody = nil
	if pasted != nil && pasted.ended {
		m.awaitData = false
		m.messageOut = true
		m.eng.SendBody(strings.NewReader(pasted.text), int64(len(pasted.text)))
		return nil
	}
	if !m.awaitData {
		// SendMessage streams its own body.
		return nil
	}
	m.awaitData = false
	text := messageHeaders(m.envFrom, m.envTo, m.ctx.Now(), m.snap.Caps.Domain)
	if pasted != nil {
		text = strings.ReplaceAll(pasted.text, "\r\n", "\n")
	}
	return m.enterDataMode(text)
}

// enterDataMode swaps the composer for the body editor holding text.
func (m *Model) enterDataMode(text string) tea.Cmd {
	m.dataMode = true
	m.relayout()
	m.setFocus(focusComposer)
	return m.body.Open(text)
}

// leaveDataMode brings the composer back.
func (m *Model) leaveDataMode() {
	m.dataMode = false
	m.body.chunk = 0
	m.body.Close()
	m.relayout()
	m.setFocus(focusComposer)
}

// applySnapshot takes a new protocol state: completion, panel, AUTH mark.
func (m *Model) applySnapshot(s protocol.Snapshot) {
	m.snap = s
	m.state = s.State
	if s.Authenticated {
		m.auth = authOK
	}
	m.composer.SetSuggestions(protocol.Suggest(s))
	m.panel.SetSnapshot(s)
}

// syncPanel shows the selected reply (or the latest) in the explain panel
// and refreshes the session summary.
func (m *Model) syncPanel() {
	idx := m.replyToExplain()
	if sel := m.pane.Selected(); sel >= 0 {
		switch rec := m.pane.store.At(sel); {
		case rec.reply >= 0:
			idx = rec.reply
		case rec.reply == awaitingReply || rec.reply == neverAnswered:
			m.panel.SetUnanswered(rec.text, rec.reply == neverAnswered)
			m.shownReply, idx = -1, -1
		}
	}
	if m.failure != nil && m.pane.Selected() < 0 {
		m.panel.SetFailure(m.failure)
		m.shownReply, idx = -1, -1
	}
	if idx >= 0 && idx != m.shownReply {
		entry := &m.replies[idx]
		if entry.explanation == nil {
			exp := protocol.Explain(*entry.reply, m.explainContext(entry.command))
			entry.explanation = &exp
		}
		m.panel.SetReply(entry.reply, entry.explanation)
		m.shownReply = idx
	}
	m.panel.SetSummary(SessionSummary{
		Address:     m.opts.Address,
		Provider:    m.provider,
		Sandbox:     m.opts.Sandbox,
		Connected:   m.connectedAt,
		Commands:    m.commands,
		Replies:     len(m.replies),
		Errors:      m.errors,
		LastLatency: m.lastLatency,
		BannerDelay: m.bannerDelay,
		Generation:  m.gen,
		DemoLogins:  m.opts.DemoCredentials,
	})
}

// replyToExplain is the reply the panel shows when no line is selected:
// the latest, or, when the user's last action sent several commands at
// once (a paste, a pipelined message), the first of their replies that
// failed — the RCPT refusal, not the 503 to DATA it caused.
func (m *Model) replyToExplain() int {
	latest := len(m.replies) - 1
	for i := max(m.runStart, 0); i < latest; i++ {
		if m.replies[i].reply.Code >= 400 {
			return i
		}
	}
	return latest
}

// startRun marks that the user acted: the replies from here on answer it.
func (m *Model) startRun() { m.runStart = len(m.replies) }

// explainContext is what Explain needs to know about this session.
func (m *Model) explainContext(command string) protocol.ExplainContext {
	caps := m.snap.Caps
	return protocol.ExplainContext{
		Command:   command,
		Host:      m.opts.Host,
		Greeting:  m.greeting,
		Caps:      &caps,
		TLS:       m.snap.TLS,
		Mechanism: m.authMechanism,
	}
}

// authMechanism returns the mechanism an AUTH line sent ("AUTH XOAUTH2
// ●●●●" gives XOAUTH2), so a refused token reads as a token problem.
func authMechanism(e *session.Event) (string, bool) {
	if e.Command != protocol.VerbAUTH {
		return "", false
	}
	f := strings.Fields(e.Text)
	if len(f) < 2 || !strings.EqualFold(f[0], protocol.VerbAUTH) {
		return "", false
	}
	return strings.ToUpper(f[1]), true
}

// note adds a line from smtpscope itself to the pane, and to the
// transcript, so that a saved transcript says what the screen said.
func (m *Model) note(kind session.Kind, format string, args ...any) {
	text := protocol.Sanitize(fmt.Sprintf(format, args...)) // paths and names the user typed
	at := m.ctx.Now()
	m.pane.Append(record{at: nanos(at), kind: kind, text: text, reply: noReply})
	m.eng.Annotate(at, noteLevel(kind), text)
}

// noteLevel is the transcript's level for a pane note of kind.
func noteLevel(kind session.Kind) session.NoteLevel {
	switch kind {
	case session.KindWarning:
		return session.NoteWarning
	case session.KindError:
		return session.NoteError
	}
	return session.NoteInfo
}
