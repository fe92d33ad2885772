package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// The sending side of the engine: every line smtpscope puts on the wire
// passes through write, which refuses a line with a CR or LF inside,
// records it (redacted) and registers the reply it expects.

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
