package ui

import (
	"net"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// outItem is a line waiting in the outbox. A DATA line of a paste carries
// the message lines that followed it.
type outItem struct {
	line string
	body *pastedMessage
}

// pastedMessage is the content pasted after a DATA line.
type pastedMessage struct {
	text  string // CRLF-terminated lines, the final "." not included
	ended bool   // a line holding a single "." ended it
}

// Why the outbox holds its lines back; empty when it may send.
const (
	holdGreeting = "the server's 220 greeting"
	holdAuth     = "the server's answer to AUTH"
	holdData     = "the server's 354 to DATA"
	holdClosed   = "a connection (" // completed with the reconnect key
)

// enqueue adds lines typed or pasted, in order, and sends what may go
// now. Lines that must wait are marked as queued in the pane, a possible
// SASL answer without its text.
func (m *Model) enqueue(items ...outItem) {
	for _, it := range items {
		m.outbox = append(m.outbox, it)
	}
	m.pump()
	m.noteQueued()
}

// noteQueued marks in the pane each line the outbox still holds that has
// not been marked yet.
func (m *Model) noteQueued() {
	hold := m.outboxHold()
	if hold == "" {
		return
	}
	if hold == holdClosed {
		hold += m.ctx.Keys.Actions.Reconnect.Help().Key + " reconnects)"
	}
	afterAuth := m.awaitAuthReply || m.composer.AnsweringSASL()
	for i := range m.outbox {
		it := &m.outbox[i]
		if isAuthLine(it.line) {
			afterAuth = true
		}
		if i < m.queuedNoted {
			continue
		}
		shown := it.line
		if afterAuth || isAuthLine(it.line) {
			shown = redactedQueued(it.line)
		}
		m.note(session.KindInfo, "queued until %s: %s", hold, shown)
	}
	m.queuedNoted = len(m.outbox)
}

// redactedQueued shows a queued line that may carry credentials: the AUTH
// verb and mechanism, or nothing of an answer.
func redactedQueued(line string) string {
	if isAuthLine(line) {
		f := strings.Fields(line)
		if len(f) > 2 {
			return f[0] + " " + f[1] + " " + redactedMark
		}
		return line
	}
	return redactedMark + " (possible SASL answer, hidden)"
}

// redactedMark stands for a hidden credential, as in the session pane.
const redactedMark = "●●●●●●●●"

// outboxHold says what the outbox waits for before it sends its next
// line; "" when it may send.
func (m *Model) outboxHold() string {
	switch {
	case m.conn == connClosed:
		return holdClosed
	case m.conn != connUp || m.state == protocol.StateGreeting || m.state == protocol.StateDisconnected:
		return holdGreeting
	case m.awaitAuthReply:
		return holdAuth
	case m.awaitData:
		return holdData
	}
	return ""
}

// pump sends queued lines while nothing holds them back. A SASL answer
// goes out as one (after its 334); an AUTH in clear text to a remote
// server stops the pump and waits in the composer for a confirmation.
func (m *Model) pump() {
	for len(m.outbox) > 0 && m.outboxHold() == "" {
		it := m.outbox[0]
		m.outbox = m.outbox[1:]
		m.queuedNoted = max(0, m.queuedNoted-1)
		if m.composer.AnsweringSASL() {
			m.sendSASLAnswer(it.line)
			continue
		}
		cmd := protocol.ParseCommand(it.line)
		if reason := m.cleartextAuthProblem(cmd); reason != "" {
			m.composer.SetValue(it.line, -1)
			m.composer.Warn(it.line, reason)
			return
		}
		if !isAuthLine(it.line) {
			m.composer.remember(it.line)
		}
		if it.body != nil {
			m.pendingBody = it.body
		}
		m.sendLine(it.line, cmd)
	}
}

// sendSASLAnswer puts one answer to a 334 on the wire. It is a secret:
// the session shows it redacted, and it never enters the history.
func (m *Model) sendSASLAnswer(wire string) {
	m.composer.EndSASL()
	m.awaitAuthReply = true
	m.eng.Send(wire)
}

// cleartextAuthProblem says why AUTH should not go out now: no TLS on a
// connection that leaves this machine (the secret would cross the network
// in clear), or --starttls=require. "" when it may go.
func (m *Model) cleartextAuthProblem(cmd protocol.Command) string {
	if cmd.Verb != protocol.VerbAUTH || m.tls != nil || m.snap.TLS {
		return ""
	}
	if m.downgrade != nil {
		return "STARTTLS did not happen (" + m.downgrade.Reason + "): the credentials would travel in clear text"
	}
	if m.loopback() {
		return ""
	}
	host := hostOf(m.opts.Address)
	why := "no TLS: the credentials would cross the network to " + host + " in clear text, readable by anyone on the path"
	if m.snap.Caps.Has("STARTTLS") {
		why += " (" + m.ctx.Keys.Actions.StartTLS.Help().Key + " upgrades first)"
	}
	return why
}

// loopback reports whether the server is on this machine, where a secret
// in clear text crosses no network. TreatLoopbackAsRemote turns it off,
// for tests and for checking what a remote user would see.
func (m *Model) loopback() bool {
	if m.opts.TreatLoopbackAsRemote {
		return false
	}
	host := hostOf(m.opts.Address)
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostOf returns the host of a host:port address (or the address).
func hostOf(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}
