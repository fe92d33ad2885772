package proxy

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// Bounds of a reply from the server. RFC 5321 4.5.3.1.5 allows 512
// octets per line; real servers stay far below these caps, which exist so
// that a broken server cannot make smtpscope hold unbounded memory.
const (
	maxReplyLineOctets = 64 << 10 // longer lines are cut (and said so)
	maxReplyLines      = 1000     // more: the server is treated as broken
	maxReplyOctets     = 1 << 20  // more: likewise
	maxJunkLines       = 100      // non-reply lines in a row before giving up
	// maxUnsolicited is how many replies with no command waiting the
	// server may send before the proxy gives up on it (the session engine
	// allows as many): past that, relaying would only feed the
	// application a flood.
	maxUnsolicited = 10
)

// TLS record octets that open a TLS stream (RFC 8446 5.1): a plain reader
// that meets them is talking to a TLS port.
const (
	tlsRecordAlert     = 0x15
	tlsRecordHandshake = 0x16
	tlsRecordMajor     = 0x03
)

// Why reading from the server stopped.
var (
	errReplyTooBig = fmt.Errorf("the server sent a reply of more than %d lines or %d octets; treating the connection as broken", maxReplyLines, maxReplyOctets)
	errTooMuchJunk = fmt.Errorf("the server sent %d lines in a row that are not SMTP replies; treating the connection as broken", maxJunkLines)
	errOutOfStep   = fmt.Errorf("the server sent more than %d replies no command was waiting for; treating the connection as broken", maxUnsolicited)
	errUpstreamTLS = errors.New("the upstream server answered with TLS bytes instead of an SMTP greeting: it speaks TLS from the first byte (implicit TLS, usually port 465) — run smtpscope proxy with --upstream-tls")
)

// relayReplies reads the server's replies and relays each to the
// application, until the upstream leg ends.
func (c *conn) relayReplies() {
	c.awaitGreeting()
	first := true
	unsolicited := 0
	for {
		r, err := c.readReply(first)
		first = false
		if err != nil {
			c.upReadFailed(err)
			return
		}
		p, latency := c.popPending(r)
		verb := ""
		if p != nil {
			verb = p.verb
		} else if r.Code != codeNotAvailable {
			if unsolicited++; unsolicited > maxUnsolicited {
				c.upReadFailed(errOutOfStep)
				return
			}
			c.note(LegBoth, session.KindWarning, fmt.Sprintf("the server sent reply %03d with no command waiting for it: replies and commands are out of step", r.Code))
		}
		ok := true
		switch {
		case p != nil && p.greeting:
			c.onGreeting(r, latency)
		case verb == protocol.VerbEHLO && r.Code == codeOK:
			ok = c.onEHLO(r, latency)
		case verb == protocol.VerbHELO && r.Code == codeOK:
			ok = c.onHELO(r, latency)
		default:
			ok = c.relay(r, verb, latency)
		}
		c.afterReply(p, verb, r)
		if !ok {
			c.end(errConnEnded)
			return
		}
	}
}

// awaitGreeting says early when a plain upstream leg stays silent: a
// server that expects TLS from the first byte waits for a ClientHello
// while smtpscope waits for its greeting, until the banner timeout.
func (c *conn) awaitGreeting() {
	if c.upLegTLS() != nil {
		return
	}
	c.mu.Lock()
	banner := time.Time{}
	if len(c.pending) > 0 {
		banner = c.pending[0].deadline
	}
	c.up.SetReadDeadline(time.Now().Add(c.cfg.PlainClientWait))
	c.mu.Unlock()
	_, err := c.upR.Peek(1)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		c.note(LegUpstream, session.KindWarning, fmt.Sprintf("no greeting from the server after %s: if this port expects TLS from the first byte (implicit TLS, usually 465), run smtpscope proxy with --upstream-tls", c.cfg.PlainClientWait))
	}
	c.mu.Lock()
	c.up.SetReadDeadline(banner)
	c.mu.Unlock()
}

// popPending takes the command r answers; nil for an unsolicited reply.
// The next command's deadline then applies to the socket.
func (c *conn) popPending(r reply) (*pending, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) == 0 {
		return nil, 0
	}
	p := c.pending[0]
	c.pending[0] = nil
	c.pending = c.pending[1:]
	var next time.Time
	if len(c.pending) > 0 {
		next = c.pending[0].deadline
	}
	c.up.SetReadDeadline(next)
	return p, r.first.Sub(p.sent)
}

// afterReply updates what the reply changed and lets a waiting
// downstream goroutine go on.
func (c *conn) afterReply(p *pending, verb string, r reply) {
	c.mu.Lock()
	switch {
	case verb == protocol.VerbAUTH:
		c.afterAuthReply(r)
	case r.Code == codeOK && (verb == protocol.EndOfDataVerb || (verb == protocol.VerbBDAT && p.lastChunk)):
		c.messages++
	}
	if p != nil {
		p.code = r.Code
		close(p.done)
	}
	c.mu.Unlock()
	if verb == protocol.VerbAUTH || verb == protocol.EndOfDataVerb || verb == protocol.VerbBDAT {
		c.announce()
	}
}

// relay sends r to the application unchanged and records it on both
// legs. Replies to pipelined commands leave together: the write is
// flushed only when no more of the server's bytes are waiting.
func (c *conn) relay(r reply, verb string, latency time.Duration) bool {
	c.recordReply(LegBoth, verb, r, latency)
	if err := c.writeApp(r.raw, c.upR.Buffered() == 0); err != nil {
		return c.appWriteFailed(err)
	}
	return true
}

// onGreeting relays the server's greeting and learns who the server is.
func (c *conn) onGreeting(r reply, latency time.Duration) {
	c.mu.Lock()
	c.provider = protocol.DetectProvider(c.cfg.Upstream.Address, r.OneLine())
	c.mu.Unlock()
	c.relay(r, "", latency)
}

// readReply reads one complete reply from the server, keeping its bytes.
// Lines that are not replies are relayed and recorded as they come.
// greeting makes it recognise TLS bytes where a greeting belongs.
func (c *conn) readReply(greeting bool) (reply, error) {
	if greeting && c.upLegTLS() == nil {
		if head, err := c.upR.Peek(2); len(head) == 2 && head[1] == tlsRecordMajor &&
			(head[0] == tlsRecordHandshake || head[0] == tlsRecordAlert) {
			return reply{}, errUpstreamTLS
		} else if err != nil && len(head) == 0 {
			return reply{}, err
		}
	}
	var b protocol.ReplyBuilder
	var r reply
	junk := 0
	for {
		line, cut, err := readLine(c.upR, maxReplyLineOctets)
		if len(line) > 0 && r.first.IsZero() {
			r.first = c.cfg.Now()
		}
		if err != nil {
			if b.Len() > 0 || len(line) > 0 {
				return r, io.ErrUnexpectedEOF
			}
			return r, err
		}
		if cut > 0 {
			c.note(LegBoth, session.KindWarning, fmt.Sprintf("the server sent a line of %d octets; smtpscope relays only the first %d (RFC 5321 4.5.3.1.5 allows 512)", len(line)+cut, maxReplyLineOctets))
		}
		done, perr := b.Add(line)
		if perr != nil {
			junk++
			if junk > maxJunkLines {
				return r, errTooMuchJunk
			}
			c.recordJunk(line)
			if werr := c.writeApp(line, c.upR.Buffered() == 0); werr != nil {
				return r, werr
			}
			r.first = time.Time{}
			continue
		}
		junk = 0
		r.raw = append(r.raw, line...)
		if len(r.raw) > maxReplyOctets || b.Len() > maxReplyLines {
			return r, errReplyTooBig
		}
		if done {
			r.Reply = b.Reply()
			return r, nil
		}
	}
}

// upLegTLS returns the upstream leg's TLS facts, nil while plain.
func (c *conn) upLegTLS() *session.TLSInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.upLeg.tls
}

// upReadFailed ends the connection after reading from the server stopped,
// saying why, and tells the application with a 421 when the server left
// a command unanswered.
func (c *conn) upReadFailed(err error) {
	if c.isDead() {
		return
	}
	c.mu.Lock()
	var waiting *pending
	if len(c.pending) > 0 {
		waiting = c.pending[0]
	}
	quit := c.quit
	c.mu.Unlock()
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF) && (waiting == nil || waiting.verb == protocol.VerbQUIT) && quit:
		c.end(nil)
		return
	case errors.Is(err, errUpstreamTLS), errors.Is(err, errReplyTooBig), errors.Is(err, errTooMuchJunk), errors.Is(err, errOutOfStep):
	case errors.As(err, &ne) && ne.Timeout() && waiting != nil:
		err = fmt.Errorf("no %s from the server within %s", awaited(waiting), c.timeoutFor(waiting))
		if waiting.greeting && c.upLegTLS() == nil {
			err = fmt.Errorf("%w; if this port expects TLS from the first byte (implicit TLS, usually 465), use --upstream-tls", err)
		}
		c.note(LegUpstream, session.KindError, err.Error())
		c.refuse(enhSystemTimeout, "smtpscope: "+err.Error())
		c.end(err)
		return
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = errors.New("the server closed the connection in the middle of a reply")
	case errors.Is(err, io.EOF) && waiting != nil:
		err = fmt.Errorf("the server closed the connection without answering %s", answering(waiting))
		if waiting.greeting && c.upLegTLS() == nil {
			err = fmt.Errorf("%w; if this port expects TLS from the first byte (implicit TLS, usually 465), use --upstream-tls", err)
		}
	case errors.Is(err, io.EOF):
		err = errors.New("the server closed the connection")
	case errors.Is(err, syscall.ECONNRESET):
		err = errors.New("the server reset the connection")
	default:
		err = fmt.Errorf("reading from the server failed: %w", err)
	}
	c.note(LegUpstream, session.KindError, err.Error())
	if waiting != nil {
		c.refuse(enhNoRoute, "smtpscope: "+err.Error())
	}
	c.end(err)
}

// timeoutFor returns the reply timeout of a pending command.
func (c *conn) timeoutFor(p *pending) time.Duration {
	switch {
	case p.greeting:
		return c.cfg.Upstream.Timeouts.Banner
	case p.verb == protocol.EndOfDataVerb:
		return c.cfg.Upstream.Timeouts.Data
	}
	return c.cfg.Upstream.Timeouts.Command
}

// awaited names what a pending command waits for, in messages.
func awaited(p *pending) string {
	if p.greeting {
		return "greeting (220)"
	}
	return "reply to " + answering(p)
}

// answering names the command a pending reply answers.
func answering(p *pending) string {
	switch {
	case p.greeting:
		return "the greeting"
	case p.verb == "":
		return "an empty line"
	}
	return session.VerbName(p.verb)
}

// appWriteFailed ends the connection after a failed write to the
// application.
func (c *conn) appWriteFailed(err error) bool {
	if c.isDead() {
		return false
	}
	err = fmt.Errorf("sending to the application failed: %w", err)
	c.note(LegApp, session.KindError, err.Error())
	c.end(err)
	return false
}
