package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// Reply codes the engine acts on.
const (
	codeServiceReady   = 220 // RFC 5321 4.2.2: greeting; RFC 3207 4: ready to start TLS
	codeClosing        = 221 // RFC 5321 4.2.2: closing the channel (QUIT)
	codeAuthOK         = 235 // RFC 4954 6: authentication succeeded
	codeOK             = 250 // RFC 5321 4.2.2
	codeAuthChallenge  = 334 // RFC 4954 4: server challenge
	codeStartMail      = 354 // RFC 5321 4.2.2: start mail input
	codeNotAvailable   = 421 // RFC 5321 3.8: service not available, closing
	codeAuthCancelled  = 501 // RFC 4954 4: the client cancelled with "*"
	codeCommandUnknown = 500 // RFC 5321 4.2.4: syntax error, command unrecognized
	codeNotImplemented = 502 // RFC 5321 4.2.4: command not implemented
)

// quitWait bounds the wait for the reply to QUIT when closing: quit and
// reconnect act within a second even when the server does not answer.
const quitWait = time.Second

// answered is a processed reply and the command it answered.
type answered struct {
	verb    string // "" for the greeting or an unsolicited reply
	reply   protocol.Reply
	latency time.Duration
	err     error // the connection ended with (or instead of) this reply
}

// maxUnsolicitedReplies is how many replies nobody asked for a connection
// tolerates: a 421 before closing is normal (RFC 5321 3.8), a stream of
// them is a server out of step, and each one costs memory in the display.
const maxUnsolicitedReplies = 10

// emit sends an event of the current generation, through the display
// boundary.
func (s *Session) emit(e Event) {
	if e.Gen == 0 {
		e.Gen = s.gen
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if s.c != nil && !s.c.dead && s.c.gen == e.Gen {
		e.TLS = s.c.tls != nil
	}
	s.present(&e)
	s.events.push(e)
}

// emitConn sends an event about connection c, through the display
// boundary.
func (s *Session) emitConn(c *conn, e Event) {
	e.Gen = c.gen
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.TLS = c.tls != nil
	s.present(&e)
	s.events.push(e)
}

// record adds a line to the transcript through the display boundary.
// withUsername, when not "", is the text with the AUTH username shown.
func (s *Session) record(l Line, withUsername string) {
	l.Text = s.safe(l.Text)
	if withUsername != "" {
		withUsername = s.safe(withUsername)
	}
	s.transcript.append(l, withUsername)
}

// note records a note in the transcript and emits it.
func (s *Session) note(c *conn, kind Kind, text string, err error) {
	s.record(Line{Time: time.Now(), Gen: c.gen, Dir: DirNote, TLS: c.tls != nil, Text: text}, "")
	s.emitConn(c, Event{Kind: kind, Text: text, Err: err})
}

// process turns one reader result into transcript lines and events, feeds
// the state machine, and lets the reader go on (except after a 220 to
// STARTTLS, where the stream now belongs to the TLS handshake).
func (s *Session) process(ctx context.Context, c *conn, res readResult) answered {
	s.showJunk(c, res)
	var a answered
	a.reply = res.reply
	if errors.Is(res.err, errTLSRecord) {
		err := worded(res.err, "%v: this port expects TLS from the first byte (implicit TLS, usually port 465) — connect with --tls", res.err)
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
		s.teardown(c, err)
		a.err = err
		return a
	}
	if len(res.reply.Lines) > 0 {
		s.takeReply(c, res, &a)
	}
	if res.err != nil {
		a.err = s.readFailure(c, res, a)
		return a
	}
	if c.dead {
		a.err = cmp.Or(c.outOfStep, errNotConnected)
		return a
	}
	if a.verb == protocol.VerbSTARTTLS && a.reply.Code == codeServiceReady {
		c.pauseReader()
		s.handshakeAfterStartTLS(ctx, c)
		return a
	}
	s.checkTurn(c, res)
	c.next()
	return a
}

// showJunk records and shows lines that could not start a reply.
func (s *Session) showJunk(c *conn, res readResult) {
	for _, j := range res.junk {
		text := displayLine(j.raw)
		s.record(Line{Time: j.when, Gen: c.gen, Dir: DirServer, TLS: c.tls != nil, Text: text}, "")
		s.emitConn(c, Event{Time: j.when, Kind: KindServer, Text: text, Raw: trimEOL(j.raw)})
		s.emitConn(c, Event{Time: j.when, Kind: KindWarning,
			Text: "the server sent a line that is not an SMTP reply (no three-digit code); shown as received"})
	}
}

// checkTurn notices a server talking out of turn: octets already received
// after a reply while no command waits for one (an early talker, or a
// reply sent twice). A 421 may come at any time and is left alone.
func (s *Session) checkTurn(c *conn, res readResult) {
	if res.trailing == 0 || len(c.pending) > 0 || c.outOfStep != nil {
		return
	}
	if head, err := c.rr.br.Peek(min(res.trailing, 3)); err == nil && string(head) == "421" {
		return
	}
	s.markOutOfStep(c, fmt.Sprintf("the server sent %d more octets right after its %03d reply, before smtpscope sent anything (it talks out of turn, or sent a reply twice)",
		res.trailing, res.reply.Code))
}

// markOutOfStep records, once per connection, that replies can no longer
// be trusted to answer the commands they are matched with.
func (s *Session) markOutOfStep(c *conn, why string) {
	if c.outOfStep != nil {
		return
	}
	c.outOfStep = worded(ErrOutOfStep, "%s: replies and commands are out of step, so later replies may answer other commands than the ones shown", why)
	s.note(c, KindWarning, c.outOfStep.Error(), nil)
}

// takeReply matches a reply with its command and emits it.
func (s *Session) takeReply(c *conn, res readResult, a *answered) {
	r := res.reply
	if len(c.pending) > 0 {
		p := c.pending[0]
		c.pending = c.pending[1:]
		a.verb = p.verb
		a.latency = res.first.Sub(p.sent)
		if a.latency < 0 {
			s.markOutOfStep(c, fmt.Sprintf("a %03d reply arrived before smtpscope sent %s", r.Code, verbName(p.verb)))
			a.latency = 0
		}
	} else if r.Code != codeNotAvailable {
		c.unsolicited++
		s.emitConn(c, Event{Kind: KindWarning, Text: fmt.Sprintf("reply %03d arrived with no command waiting for it: replies and commands are out of step", r.Code)})
	}
	s.track.received(a.verb, r)
	c.lastCode = r.Code
	challenge := a.verb == protocol.VerbAUTH && r.Code == codeAuthChallenge
	c.inAuth = challenge
	if a.verb == protocol.VerbAUTH && !challenge && !pendingVerb(c, protocol.VerbAUTH) {
		c.authOpen = false
	}
	if a.verb == protocol.VerbDATA && r.Code == codeStartMail {
		c.inData = true
	}
	if a.verb == protocol.VerbSTARTTLS && r.Code != codeServiceReady {
		c.tlsRefused = true
	}
	now := time.Now()
	for i, l := range r.Lines {
		text := displayLine([]byte(l.Raw))
		e := Event{Time: res.first, Kind: KindServer, Text: text, Raw: l.Raw, Command: a.verb}
		if i == 0 {
			e.Latency = a.latency
		} else {
			e.Time = now
		}
		if challenge {
			e.Decoded = decodeChallenge(l.Text)
		}
		s.record(Line{Time: e.Time, Gen: c.gen, Dir: DirServer, TLS: c.tls != nil, Code: l.Code, Text: text}, "")
		s.emitConn(c, e)
	}
	rc := r
	s.emitConn(c, Event{Kind: KindReply, Reply: &rc, Command: a.verb, Latency: a.latency, State: s.track.state()})
	s.track.announce(s, c)
	if c.unsolicited > maxUnsolicitedReplies && !c.dead {
		err := worded(ErrOutOfStep, "the server sent %d replies nobody asked for: replies and commands are out of step (desynchronized), so smtpscope closes the connection", c.unsolicited)
		c.outOfStep = err
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
		s.teardown(c, err)
	}
}

// pendingVerb reports whether a command with verb still waits for a reply.
func pendingVerb(c *conn, verb string) bool {
	for _, p := range c.pending {
		if p.verb == verb {
			return true
		}
	}
	return false
}

// readFailure reports why reading stopped and closes the connection.
func (s *Session) readFailure(c *conn, res readResult, a answered) error {
	var err error
	switch {
	case errors.Is(res.err, errTooManyLines):
		err = res.err
	case errors.Is(res.err, io.ErrUnexpectedEOF):
		err = worded(res.err, "the server closed the connection in the middle of a reply")
	case errors.Is(res.err, io.EOF):
		if a.verb == protocol.VerbQUIT || (len(c.pending) > 0 && c.pending[0].verb == protocol.VerbQUIT) {
			s.teardown(c, nil)
			return nil
		}
		err = worded(res.err, "the server closed the connection")
		if c.lastCode == codeNotAvailable {
			err = worded(res.err, "the server closed the connection after %03d (service not available)", c.lastCode)
		} else if len(c.pending) > 0 {
			err = worded(res.err, "the server closed the connection without answering %s", verbName(c.pending[0].verb))
			if c.pending[0].verb == "" && c.tls == nil {
				err = worded(res.err, "%v; if this port expects TLS from the first byte (implicit TLS, usually port 465), connect with --tls", err)
			}
		}
	case errors.Is(res.err, syscall.ECONNRESET):
		err = worded(res.err, "the server reset the connection")
		if len(c.pending) > 0 {
			err = worded(res.err, "the server reset the connection without answering %s", verbName(c.pending[0].verb))
		}
	default:
		if c.dead {
			return errNotConnected
		}
		err = fmt.Errorf("reading from the server failed: %w", res.err)
	}
	s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
	s.teardown(c, err)
	return err
}

// teardown closes c and reports it; the transcript stays.
func (s *Session) teardown(c *conn, reason error) {
	if c.dead {
		return
	}
	c.close()
	c.pending = nil
	c.inAuth, c.inData, c.authOpen = false, false, false
	text := "connection closed"
	if reason != nil {
		text = "connection closed: " + reason.Error()
	}
	s.record(Line{Time: time.Now(), Gen: c.gen, Dir: DirNote, TLS: c.tls != nil, Text: text}, "")
	s.track.closed()
	s.emitConn(c, Event{Kind: KindClosed, Text: text, Err: reason})
	s.track.announce(s, c)
}

// sendLines writes lines as typed, one flush per group, and registers the
// replies they cause. pipelined marks an RFC 2920 group. Nothing is sent
// when a line holds a CR or LF, or when --starttls=require forbids it.
func (s *Session) sendLines(c *conn, lines []string, pipelined bool) {
	for _, line := range lines {
		if err := checkLine(line); err != nil {
			s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
			return
		}
	}
	if !c.inData && !c.inAuth && !c.authOpen {
		for _, line := range lines {
			if err := s.clearTextRefusal(c, protocol.ParseCommand(line).Verb); err != nil {
				s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
				return
			}
		}
	}
	if pipelined && !s.track.snapshot().Caps.Has("PIPELINING") {
		s.emitConn(c, Event{Kind: KindWarning, Text: "the server did not advertise PIPELINING (RFC 2920); sending the group anyway"})
	}
	for _, line := range lines {
		if !s.writeTyped(c, line) {
			return
		}
	}
	s.flush(c)
}

// checkLine refuses a line that would not stay one line on the wire.
func checkLine(line string) error {
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		return worded(ErrLineBreak, "not sent: the line holds a %s at position %d, which would end it early and smuggle what follows in as another command",
			map[byte]string{'\r': "CR", '\n': "LF"}[line[i]], i+1)
	}
	return nil
}

// clearTextRefusal returns why verb may not be sent now because
// --starttls=require was given and the connection is not inside TLS, or
// nil. Before TLS only the greeting commands, STARTTLS, NOOP, RSET and
// QUIT go out; after a refused or failed STARTTLS only QUIT.
func (s *Session) clearTextRefusal(c *conn, verb string) error {
	if s.cfg.StartTLS != StartTLSRequire || c.tls != nil || verb == protocol.VerbQUIT {
		return nil
	}
	if c.tlsRefused {
		return worded(ErrTLSRequired, "not sent: STARTTLS failed on this connection and --starttls=require was given, so nothing but QUIT goes out in clear text (reconnect, or use --starttls=auto to go on without TLS)")
	}
	switch verb {
	case protocol.VerbEHLO, protocol.VerbHELO, protocol.VerbSTARTTLS, protocol.VerbNOOP, protocol.VerbRSET:
		return nil
	}
	return worded(ErrTLSRequired, "not sent: --starttls=require was given and the connection is not inside TLS yet; send STARTTLS first (only EHLO, STARTTLS, NOOP, RSET and QUIT go out in clear text)")
}

// writeTyped buffers one typed line, deciding whether it is a command, a
// SASL response or message content.
func (s *Session) writeTyped(c *conn, line string) bool {
	switch {
	case c.inData:
		if line == "." {
			c.inData = false
			s.track.sentEndOfData()
			return s.write(c, line, outLine{text: line, verb: protocol.EndOfDataVerb, expect: s.timeouts.Data})
		}
		return s.write(c, line, outLine{text: line, verb: protocol.VerbDATA})
	case c.inAuth || c.authOpen:
		// A SASL response: an answer to a 334, or one typed (pasted)
		// before the 334 it answers arrived. Its value is a secret from
		// now on, wherever it shows up again.
		c.inAuth = false
		s.secrets.addResponse(line)
		out := redactSASLResponse(line)
		out.verb, out.expect = protocol.VerbAUTH, s.timeouts.Command
		s.track.sent(protocol.Command{Verb: protocol.VerbAUTH})
		return s.write(c, line, out)
	}
	cmd := protocol.ParseCommand(line)
	out := outLine{text: line, verb: cmd.Verb, expect: s.timeouts.Command}
	if (cmd.Verb == protocol.VerbEHLO || cmd.Verb == protocol.VerbHELO) && len(cmd.Args) > 0 {
		// The fresh EHLO after STARTTLS repeats the name the user chose.
		c.hello = cmd.Args[0]
	}
	if cmd.Verb == protocol.VerbAUTH {
		out = redactAuthCommand(cmd, s.cfg.ShowUsername)
		out.verb, out.expect = protocol.VerbAUTH, s.timeouts.Command
		c.authOpen = true
		if len(cmd.Args) > 1 {
			s.secrets.addResponse(cmd.Args[1])
		}
	}
	s.track.sent(saslCommand(cmd))
	return s.write(c, line, out)
}

// outLine is how a line sent appears in events and the transcript.
type outLine struct {
	text         string        // display text, redacted
	withUsername string        // display text with the username shown, "" when none
	redacted     bool          // the line hides a username or secret
	secret       bool          // the line carried the secret: its wire form is redacted wherever it shows up
	verb         string        // the verb this line belongs to
	expect       time.Duration // > 0: a reply is expected within this
}

// write buffers line + CRLF and records it. It reports false when the
// line was not sent: the connection failed, or the line held a CR or LF
// (every line smtpscope builds passes here, so none can smuggle another).
func (s *Session) write(c *conn, line string, out outLine) bool {
	if c.dead {
		return false
	}
	if err := checkLine(line); err != nil {
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err, Command: out.verb})
		return false
	}
	now := time.Now()
	c.setWriteDeadline(s.timeouts.Command)
	c.bw.WriteString(line)
	if _, err := c.bw.WriteString("\r\n"); err != nil {
		s.writeFailure(c, err)
		return false
	}
	if out.expect > 0 {
		c.pending = append(c.pending, pending{verb: out.verb, sent: now, deadline: now.Add(out.expect)})
	}
	shown := out.text
	if s.cfg.ShowUsername && out.withUsername != "" {
		shown = out.withUsername
	}
	s.record(Line{Time: now, Gen: c.gen, Dir: DirClient, TLS: c.tls != nil, Redacted: out.redacted, Text: out.text}, out.withUsername)
	s.emitConn(c, Event{Time: now, Kind: KindClient, Text: shown, Redacted: out.redacted, Command: out.verb})
	return true
}

// flush sends what is buffered; the send time of pending replies is the
// flush time, so latency measures the server.
func (s *Session) flush(c *conn) bool {
	if c.dead {
		return false
	}
	if err := c.bw.Flush(); err != nil {
		s.writeFailure(c, err)
		return false
	}
	now := time.Now()
	for i := range c.pending {
		if p := &c.pending[i]; p.sent.Before(now) && p.deadline.After(now) {
			p.deadline = now.Add(p.deadline.Sub(p.sent))
		}
	}
	return true
}

// errAbandoned is why a connection ends when Reconnect or Close cut a
// write short.
var errAbandoned = errors.New("abandoned in the middle of sending (reconnect or quit)")

// writeFailure reports a failed write and closes the connection. What the
// server sent before it went away is taken first, so the transcript shows
// its last words (often the reason it closed).
func (s *Session) writeFailure(c *conn, err error) {
	if c.wasInterrupted() {
		s.teardown(c, errAbandoned)
		return
	}
	s.salvage(c)
	if c.dead {
		return
	}
	err = fmt.Errorf("sending to the server failed: %w", err)
	s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
	s.teardown(c, err)
}

// salvage takes the replies the reader still delivers on a connection
// that can no longer be written to, until the reader stops (the server's
// close) or quitWait has passed.
func (s *Session) salvage(c *conn) {
	t := time.NewTimer(quitWait)
	defer t.Stop()
	for c.reading && !c.dead {
		select {
		case res := <-c.replies:
			s.showJunk(c, res)
			var a answered
			if len(res.reply.Lines) > 0 {
				s.takeReply(c, res, &a)
			}
			if res.err != nil {
				if !c.dead {
					s.readFailure(c, res, a) // the server's close, in words
				}
				return
			}
			c.next()
		case <-t.C:
			return
		}
	}
}

// quitAndClose ends the current connection politely when it can: QUIT,
// and at most quitWait for the replies still due (an interrupted command's
// included), so that Reconnect and Close act within a second.
func (s *Session) quitAndClose() {
	c := s.c
	if c == nil || c.dead {
		return
	}
	if c.inData || !c.reading {
		s.teardown(c, nil)
		return
	}
	if s.write(c, "QUIT", outLine{text: "QUIT", verb: protocol.VerbQUIT, expect: min(quitWait, s.timeouts.Command)}) && s.flush(c) {
		ctx, cancel := context.WithTimeout(context.Background(), quitWait)
		defer cancel()
		for !c.dead && len(c.pending) > 0 {
			a, err := s.awaitReply(ctx, c)
			if err != nil || a.verb == protocol.VerbQUIT {
				break
			}
		}
	}
	s.teardown(c, nil)
}

// trimEOL returns a received line without its terminator.
func trimEOL(raw []byte) string { return strings.TrimRight(string(raw), "\r\n") }

// verbName names a pending verb in messages.
func verbName(verb string) string {
	switch verb {
	case "":
		return "the greeting"
	case protocol.EndOfDataVerb:
		return "the end of message data"
	}
	return verb
}
