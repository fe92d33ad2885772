package learn

import (
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// script builds the events a session emits, in the order it emits them:
// a client line, later its reply, a state event after an EHLO or TLS.
type script struct {
	t      *testing.T
	gen    int
	tls    bool
	at     time.Time
	events []session.Event
}

func newScript(t *testing.T) *script {
	s := &script{t: t, gen: 1, at: time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)}
	s.add(session.Event{Kind: session.KindConnected, Text: "127.0.0.1:2525"})
	return s.reply("", "220 sandbox.test ESMTP ready")
}

func (s *script) add(e session.Event) *script {
	s.at = s.at.Add(time.Millisecond)
	e.Gen, e.Time, e.TLS = s.gen, s.at, e.TLS || s.tls
	s.events = append(s.events, e)
	return s
}

// send is a line the user typed; auto one smtpscope composed.
func (s *script) send(line string) *script { return s.line(line, false) }
func (s *script) auto(line string) *script { return s.line(line, true) }

func (s *script) line(line string, auto bool) *script {
	verb := protocol.ParseCommand(line).Verb
	return s.add(session.Event{Kind: session.KindClient, Text: line, Command: verb, Auto: auto})
}

// sasl is an answer to a 334, shown redacted as the session shows it.
func (s *script) sasl(auto bool) *script {
	return s.add(session.Event{Kind: session.KindClient, Text: "●●●●●●●● (SASL response, redacted)", Redacted: true,
		Command: protocol.VerbAUTH, Auto: auto})
}

// bodyLine is a line of message content as sent (already dot-stuffed).
func (s *script) bodyLine(line string) *script {
	return s.add(session.Event{Kind: session.KindClient, Text: line, Command: protocol.VerbDATA})
}

// dot ends the message.
func (s *script) dot() *script {
	return s.add(session.Event{Kind: session.KindClient, Text: ".", Command: protocol.EndOfDataVerb})
}

// reply is the complete reply to verb; text holds its lines.
func (s *script) reply(verb, text string) *script {
	s.t.Helper()
	r, err := protocol.ParseReply(strings.ReplaceAll(text, "\n", "\r\n") + "\r\n")
	if err != nil {
		s.t.Fatalf("reply %q: %v", text, err)
	}
	s.add(session.Event{Kind: session.KindReply, Reply: &r, Command: verb})
	if (verb == protocol.VerbEHLO || verb == protocol.VerbHELO) && r.Code == 250 {
		snap := protocol.Snapshot{State: protocol.StateReady, TLS: s.tls, Extended: verb == protocol.VerbEHLO}
		if verb == protocol.VerbEHLO {
			snap.Caps = protocol.ParseEHLO(r)
		}
		s.add(session.Event{Kind: session.KindState, State: snap.State, Snapshot: &snap})
	}
	return s
}

// cmd is a typed command and its reply.
func (s *script) cmd(line, reply string) *script {
	s.t.Helper()
	return s.send(line).reply(protocol.ParseCommand(line).Verb, reply)
}

// handshake is STARTTLS's 220 and the TLS handshake that follows.
func (s *script) handshake(verified bool) *script {
	s.t.Helper()
	s.cmd("STARTTLS", "220 2.0.0 Ready to start TLS")
	s.tls = true
	s.add(session.Event{Kind: session.KindTLS, TLSInfo: &session.TLSInfo{Version: "TLS 1.3", Verified: verified}})
	snap := protocol.Snapshot{State: protocol.StateGreeted, TLS: true}
	return s.add(session.Event{Kind: session.KindState, State: snap.State, Snapshot: &snap})
}

// reconnect starts a new connection generation.
func (s *script) reconnect() *script {
	s.add(session.Event{Kind: session.KindClosed, Text: "connection closed"})
	s.gen++
	s.tls = false
	s.add(session.Event{Kind: session.KindConnected, Text: "127.0.0.1:2525"})
	return s.reply("", "220 sandbox.test ESMTP ready")
}

// The sandbox's EHLO replies, before and inside TLS.
const (
	ehloPlain = "250-sandbox.test Hello laptop\n250-PIPELINING\n250-SIZE 33554432\n250-8BITMIME\n250-ENHANCEDSTATUSCODES\n250-CHUNKING\n250 STARTTLS"
	ehloTLS   = "250-sandbox.test Hello laptop\n250-PIPELINING\n250-SIZE 33554432\n250-8BITMIME\n250-ENHANCEDSTATUSCODES\n250-CHUNKING\n250 AUTH PLAIN LOGIN"
)

// ehlo greets with EHLO, in or out of TLS.
func (s *script) ehlo() *script {
	s.t.Helper()
	if s.tls {
		return s.cmd("EHLO laptop", ehloTLS)
	}
	return s.cmd("EHLO laptop", ehloPlain)
}

// message sends DATA and the lines, ended by a dot, with a 250.
func (s *script) message(lines ...string) *script {
	s.t.Helper()
	s.cmd("DATA", "354 End data with <CR><LF>.<CR><LF>")
	for _, l := range lines {
		s.bodyLine(l)
	}
	return s.dot().reply(protocol.EndOfDataVerb, "250 2.0.0 Message accepted")
}

// envelope opens a transaction with one recipient.
func (s *script) envelope() *script {
	s.t.Helper()
	return s.cmd("MAIL FROM:<demo@sandbox.test>", "250 2.1.0 Sender OK").
		cmd("RCPT TO:<friend@sandbox.test>", "250 2.1.5 Recipient OK")
}

// authPlainByHand logs in with AUTH PLAIN, the answer typed after the 334.
func (s *script) authPlainByHand(final string) *script {
	s.t.Helper()
	return s.send("AUTH PLAIN").reply(protocol.VerbAUTH, "334 ").sasl(false).reply(protocol.VerbAUTH, final)
}

// authLogin runs AUTH LOGIN; auto says who answered the prompts.
func (s *script) authLogin(auto bool, final string) *script {
	s.t.Helper()
	return s.line("AUTH LOGIN", auto).reply(protocol.VerbAUTH, "334 VXNlcm5hbWU6").
		sasl(auto).reply(protocol.VerbAUTH, "334 UGFzc3dvcmQ6").
		sasl(auto).reply(protocol.VerbAUTH, final)
}
