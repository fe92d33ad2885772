package proxy

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// maxCommandOctets bounds a command line as kept for parsing and display
// (RFC 4954 4 asks servers to take AUTH lines of 12288 octets; RFC 5321
// 4.5.3.1.4 allows 512 for others). Longer lines are cut, and said so.
const maxCommandOctets = 16 << 10

// maxOutstanding bounds the commands relayed to the server whose replies
// have not come back. RFC 2920 sets no limit on a pipelined group, and
// real clients send groups of at most a few hundred RCPTs; an application
// that floods commands without waiting would otherwise make smtpscope hold
// a record for each (in the proxy and in both legs' state machines) for
// as long as the socket buffers between it and the server take more:
// about 500 MB for 13 MB of NOOPs. Past the bound the application's next
// commands wait in its socket until the server answers.
const maxOutstanding = 1000

// errAppQuit is how a connection ends when the application closes it
// without QUIT.
var errAppQuit = errors.New("the application closed the connection without QUIT")

// relayCommands reads the application's commands and relays them until
// the application's leg ends.
func (c *conn) relayCommands() {
	// The application's time starts when it has been greeted, as with a
	// server of its own; what it sends before waits in the socket.
	if !c.drainPending() {
		return
	}
	if !c.implicit && c.sniffClientHello() {
		return
	}
	for !c.isDead() {
		c.appRaw.SetReadDeadline(time.Now().Add(c.cfg.IdleTimeout))
		line, cut, err := readLine(c.appR, maxCommandOctets)
		if err != nil {
			c.appReadFailed(err, line)
			return
		}
		if cut > 0 {
			c.note(LegBoth, session.KindWarning, fmt.Sprintf(
				"the application sent a line of %d octets; smtpscope relays only the first %d (RFC 5321 4.5.3.1.4 allows 512, RFC 4954 4 12288 for AUTH)",
				len(line)+cut, maxCommandOctets))
		}
		c.mu.Lock()
		inSASL := c.auth.active && c.auth.challenge
		c.mu.Unlock()
		if inSASL {
			if !c.relaySASL(line) {
				return
			}
			continue
		}
		if !c.relayCommand(line) {
			return
		}
	}
}

// relayCommand relays one command line and, for the commands whose reply
// decides what follows, waits for that reply. It reports false when the
// connection is over.
func (c *conn) relayCommand(line []byte) bool {
	if !c.throttle() {
		return false
	}
	cmd := protocol.ParseCommand(string(line))
	shown, redacted := strings.TrimRight(string(line), "\r\n"), false
	machineCmd := cmd
	switch cmd.Verb {
	case protocol.VerbSTARTTLS:
		return c.startTLSDownstream(cmd)
	case protocol.VerbAUTH:
		shown, redacted = c.authShown(cmd)
		machineCmd = session.CredentialFree(cmd)
		c.mu.Lock()
		c.learnAuth(cmd)
		c.mu.Unlock()
	case protocol.VerbEHLO, protocol.VerbHELO:
		c.mu.Lock()
		c.hello = append(c.hello[:0], line...)
		c.mu.Unlock()
	case protocol.VerbQUIT:
		c.mu.Lock()
		c.quit = true
		c.mu.Unlock()
	case protocol.VerbMAIL, protocol.VerbRSET:
		c.chunks = nil // a new transaction: BDAT content starts over
	}
	c.recordCommand(LegBoth, c.redact(shown), redacted, machineCmd, cmd.Verb)
	switch cmd.Verb {
	case protocol.VerbAUTH:
		c.adviseAuth(cmd)
		if len(cmd.Args) > 1 {
			c.adviseUsername()
		}
	case protocol.VerbMAIL:
		c.adviseSender("MAIL FROM", cmd.Path)
	}
	p := c.expect(cmd.Verb, c.cfg.Upstream.Timeouts.Command)
	if cmd.Verb == protocol.VerbBDAT {
		n, ok := cmd.ChunkSize()
		p.lastChunk = cmd.LastChunk()
		if err := c.writeUp(line, false); err != nil {
			return c.upWriteFailed(err)
		}
		if ok {
			return c.relayChunk(n, p.lastChunk)
		}
		return c.flushUnlessPipelined()
	}
	if err := c.writeUp(line, false); err != nil {
		return c.upWriteFailed(err)
	}
	if !waitsForReply(cmd.Verb) {
		return c.flushUnlessPipelined()
	}
	if err := c.flushUp(); err != nil {
		return c.upWriteFailed(err)
	}
	code, err := c.wait(p)
	if err != nil {
		return false
	}
	if cmd.Verb == protocol.VerbDATA && code == codeStartMail {
		return c.relayData()
	}
	return true
}

// waitsForReply reports whether the bytes after verb can be read only
// once its reply is known: after EHLO smtpscope may upgrade the upstream
// leg, after AUTH a 334 makes the next line a credential, after DATA a
// 354 makes what follows message content. RFC 2920 3.1 puts each of them
// last in a pipelined group, so a conforming client waits here anyway.
func waitsForReply(verb string) bool {
	switch verb {
	case protocol.VerbEHLO, protocol.VerbHELO, protocol.VerbAUTH, protocol.VerbDATA, protocol.VerbQUIT:
		return true
	}
	return false
}

// throttle waits, while maxOutstanding commands are unanswered, for the
// server to answer the oldest, saying so once per connection. It reports
// false when the connection is over.
func (c *conn) throttle() bool {
	for {
		c.mu.Lock()
		var oldest *pending
		if len(c.pending) >= maxOutstanding {
			oldest = c.pending[0]
		}
		first := oldest != nil && !c.throttled
		c.throttled = c.throttled || first
		c.mu.Unlock()
		if oldest == nil {
			return true
		}
		if first {
			c.note(LegBoth, session.KindWarning, fmt.Sprintf(
				"the application has sent %d commands without waiting for a reply; smtpscope relays the next ones as the server answers (none is lost)",
				maxOutstanding))
		}
		if err := c.flushUp(); err != nil {
			return c.upWriteFailed(err)
		}
		if _, err := c.wait(oldest); err != nil {
			return false
		}
	}
}

// relaySASL relays one line sent in answer to a 334: redacted, its
// credentials remembered for redaction, the username noted.
func (c *conn) relaySASL(line []byte) bool {
	text := strings.TrimRight(string(line), "\r\n")
	c.mu.Lock()
	before := c.auth.user
	c.auth.challenge = false
	c.learnResponse(text)
	shown, redacted := c.responseShownLocked(text, before)
	learned := c.auth.user != before
	c.mu.Unlock()
	c.recordCommand(LegBoth, shown, redacted, protocol.Command{Verb: protocol.VerbAUTH}, protocol.VerbAUTH)
	if learned {
		c.adviseUsername()
	}
	p := c.expect(protocol.VerbAUTH, c.cfg.Upstream.Timeouts.Command)
	if err := c.writeUp(line, true); err != nil {
		return c.upWriteFailed(err)
	}
	_, err := c.wait(p)
	return err == nil
}

// flushUnlessPipelined sends what is buffered for the server unless the
// application has already sent another complete line, which then leaves
// in the same write: the groups the application made stay groups.
func (c *conn) flushUnlessPipelined() bool {
	if c.appHasLine() {
		return true
	}
	if err := c.flushUp(); err != nil {
		return c.upWriteFailed(err)
	}
	return true
}

// appHasLine reports whether a complete line from the application waits
// in the buffer.
func (c *conn) appHasLine() bool {
	n := c.appR.Buffered()
	if n == 0 {
		return false
	}
	b, _ := c.appR.Peek(n)
	for _, x := range b {
		if x == '\n' {
			return true
		}
	}
	return false
}

// drainPending waits until every reply owed to the application has been
// relayed (replies come in command order, RFC 2920 3.2).
func (c *conn) drainPending() bool {
	for {
		c.mu.Lock()
		var last *pending
		if n := len(c.pending); n > 0 {
			last = c.pending[n-1]
		}
		c.mu.Unlock()
		if last == nil {
			return !c.isDead()
		}
		if _, err := c.wait(last); err != nil {
			return false
		}
	}
}

// appReadFailed ends the connection after a failed read from the
// application, saying why.
func (c *conn) appReadFailed(err error, partial []byte) {
	if c.isDead() {
		return
	}
	c.mu.Lock()
	quit := c.quit
	c.mu.Unlock()
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF) && len(partial) == 0 && quit:
		c.end(nil)
	case errors.Is(err, io.EOF):
		if len(partial) > 0 {
			c.note(LegApp, session.KindWarning, fmt.Sprintf("the application's last line %q had no line ending (CRLF) and was not relayed", firstWord(partial)))
		}
		c.note(LegApp, session.KindInfo, errAppQuit.Error())
		c.end(errAppQuit)
	case errors.As(err, &ne) && ne.Timeout():
		err := fmt.Errorf("the application sent nothing for %s", c.cfg.IdleTimeout)
		c.note(LegApp, session.KindError, err.Error())
		c.refuse(enhSystemTimeout, "smtpscope: no command within "+c.cfg.IdleTimeout.String()+"; closing")
		c.end(err)
	default:
		err = fmt.Errorf("reading from the application failed: %w", err)
		c.note(LegApp, session.KindError, err.Error())
		c.end(err)
	}
}

// upWriteFailed ends the connection after a failed write to the server.
func (c *conn) upWriteFailed(err error) bool {
	if c.isDead() {
		return false
	}
	err = fmt.Errorf("sending to the server failed: %w", err)
	c.note(LegUpstream, session.KindError, err.Error())
	c.refuse(enhNoRoute, "smtpscope: the connection to the upstream server failed")
	c.end(err)
	return false
}
