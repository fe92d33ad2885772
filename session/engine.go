package session

import (
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

// quitWait bounds the wait for the reply to QUIT when closing.
const quitWait = 5 * time.Second

// answered is a processed reply and the command it answered.
type answered struct {
	verb    string // "" for the greeting or an unsolicited reply
	reply   protocol.Reply
	latency time.Duration
	err     error // the connection ended with (or instead of) this reply
}

// emit sends an event of the current generation.
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
	s.events.push(e)
}

// emitConn sends an event about connection c.
func (s *Session) emitConn(c *conn, e Event) {
	e.Gen = c.gen
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.TLS = c.tls != nil
	s.events.push(e)
}

// note records a note in the transcript and emits it as info.
func (s *Session) note(c *conn, kind Kind, text string, err error) {
	s.transcript.append(Line{Time: time.Now(), Gen: c.gen, Dir: DirNote, TLS: c.tls != nil, Text: text}, "")
	s.emitConn(c, Event{Kind: kind, Text: text, Err: err})
}

// process turns one reader result into transcript lines and events, feeds
// the state machine, and lets the reader go on (except after a 220 to
// STARTTLS, where the stream now belongs to the TLS handshake).
func (s *Session) process(c *conn, res readResult) answered {
	for _, j := range res.junk {
		text := displayLine(j.raw)
		s.transcript.append(Line{Time: j.when, Gen: c.gen, Dir: DirServer, TLS: c.tls != nil, Text: text}, "")
		s.emitConn(c, Event{Time: j.when, Kind: KindServer, Text: text})
		s.emitConn(c, Event{Time: j.when, Kind: KindWarning,
			Text: "the server sent a line that is not an SMTP reply (no three-digit code); shown as received"})
	}
	var a answered
	a.reply = res.reply
	if errors.Is(res.err, errTLSRecord) {
		err := fmt.Errorf("%w: this port expects TLS from the first byte (implicit TLS, usually port 465) — connect with --tls", res.err)
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
	if a.verb == protocol.VerbSTARTTLS && a.reply.Code == codeServiceReady {
		c.pauseReader()
		s.handshakeAfterStartTLS(c)
		return a
	}
	c.next()
	return a
}

// takeReply matches a reply with its command and emits it.
func (s *Session) takeReply(c *conn, res readResult, a *answered) {
	r := res.reply
	if len(c.pending) > 0 {
		p := c.pending[0]
		c.pending = c.pending[1:]
		a.verb = p.verb
		a.latency = res.first.Sub(p.sent)
	} else if r.Code != codeNotAvailable {
		s.emitConn(c, Event{Kind: KindWarning, Text: fmt.Sprintf("reply %03d arrived with no command waiting for it: replies and commands are out of step", r.Code)})
	}
	s.track.received(a.verb, r)
	c.lastCode, c.last = r.Code, r
	challenge := a.verb == protocol.VerbAUTH && r.Code == codeAuthChallenge
	c.inAuth = challenge
	if a.verb == protocol.VerbDATA && r.Code == codeStartMail {
		c.inData = true
	}
	now := time.Now()
	for i, l := range r.Lines {
		text := displayLine([]byte(l.Raw))
		e := Event{Time: res.first, Kind: KindServer, Text: text, Command: a.verb}
		if i == 0 {
			e.Latency = a.latency
		} else {
			e.Time = now
		}
		if challenge {
			e.Decoded = decodeChallenge(l.Text)
		}
		s.transcript.append(Line{Time: e.Time, Gen: c.gen, Dir: DirServer, TLS: c.tls != nil, Code: l.Code, Text: text}, "")
		s.emitConn(c, e)
	}
	rc := r
	s.emitConn(c, Event{Kind: KindReply, Reply: &rc, Command: a.verb, Latency: a.latency, State: s.track.state()})
	s.track.announce(s, c)
}

// readFailure reports why reading stopped and closes the connection.
func (s *Session) readFailure(c *conn, res readResult, a answered) error {
	var err error
	switch {
	case errors.Is(res.err, errTooManyLines):
		err = res.err
	case errors.Is(res.err, io.ErrUnexpectedEOF):
		err = errors.New("the server closed the connection in the middle of a reply")
	case errors.Is(res.err, io.EOF):
		if a.verb == protocol.VerbQUIT || (len(c.pending) > 0 && c.pending[0].verb == protocol.VerbQUIT) {
			s.teardown(c, nil)
			return nil
		}
		err = errors.New("the server closed the connection")
		if c.lastCode == codeNotAvailable {
			err = fmt.Errorf("the server closed the connection after %03d (service not available)", c.lastCode)
		} else if len(c.pending) > 0 {
			err = fmt.Errorf("the server closed the connection without answering %s", verbName(c.pending[0].verb))
			if c.pending[0].verb == "" && c.tls == nil {
				err = fmt.Errorf("%w; if this port expects TLS from the first byte (implicit TLS, usually port 465), connect with --tls", err)
			}
		}
	case errors.Is(res.err, syscall.ECONNRESET):
		err = errors.New("the server reset the connection")
		if len(c.pending) > 0 {
			err = fmt.Errorf("the server reset the connection without answering %s", verbName(c.pending[0].verb))
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
	c.inAuth, c.inData = false, false
	text := "connection closed"
	if reason != nil {
		text = "connection closed: " + reason.Error()
	}
	s.transcript.append(Line{Time: time.Now(), Gen: c.gen, Dir: DirNote, TLS: c.tls != nil, Text: text}, "")
	s.track.closed()
	s.emitConn(c, Event{Kind: KindClosed, Text: text, Err: reason})
	s.track.announce(s, c)
}

// sendLines writes lines as typed, one flush per group, and registers the
// replies they cause. pipelined marks an RFC 2920 group.
func (s *Session) sendLines(c *conn, lines []string, pipelined bool) {
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
	case c.inAuth:
		c.inAuth = false
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
	}
	s.track.sent(saslCommand(cmd))
	return s.write(c, line, out)
}

// outLine is how a line sent appears in events and the transcript.
type outLine struct {
	text         string        // display text, redacted
	withUsername string        // display text with the username shown, "" when none
	redacted     bool          //
	verb         string        // the verb this line belongs to
	expect       time.Duration // > 0: a reply is expected within this
}

// write buffers line + CRLF and records it. It reports false when the
// connection failed.
func (s *Session) write(c *conn, line string, out outLine) bool {
	if c.dead {
		return false
	}
	now := time.Now()
	c.nc.SetWriteDeadline(now.Add(s.timeouts.Command))
	c.bw.WriteString(line)
	if _, err := c.bw.WriteString("\r\n"); err != nil {
		s.writeFailure(c, err)
		return false
	}
	if out.expect > 0 {
		c.pending = append(c.pending, pending{verb: out.verb, sent: now, deadline: now.Add(out.expect)})
	}
	text := protocol.Sanitize(out.text)
	shown := text
	if s.cfg.ShowUsername && out.withUsername != "" {
		shown = protocol.Sanitize(out.withUsername)
	}
	s.transcript.append(Line{Time: now, Gen: c.gen, Dir: DirClient, TLS: c.tls != nil, Redacted: out.redacted, Text: text},
		protocol.Sanitize(out.withUsername))
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

// writeFailure reports a failed write and closes the connection.
func (s *Session) writeFailure(c *conn, err error) {
	err = fmt.Errorf("sending to the server failed: %w", err)
	s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
	s.teardown(c, err)
}

// quitAndClose ends the current connection politely when it is idle.
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
		for !c.dead && len(c.pending) > 0 {
			a, err := s.awaitReply(context.Background(), c)
			if err != nil || a.verb == protocol.VerbQUIT {
				break
			}
		}
	}
	s.teardown(c, nil)
}

// displayLine returns a received line as it is shown: decoded (UTF-8, or
// GBK recovered) and sanitized, without its terminator.
func displayLine(raw []byte) string {
	raw = []byte(strings.TrimRight(string(raw), "\r\n"))
	text, _ := protocol.DecodeText(raw)
	return protocol.Sanitize(text)
}

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
