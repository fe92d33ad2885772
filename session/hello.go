package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// maxInjectedShown bounds how much of the bytes injected after STARTTLS
// is quoted in the warning.
const maxInjectedShown = 200

// errNoStartTLS is the StartTLSRequire failure when STARTTLS is missing.
var errNoStartTLS = worded(ErrTLSRequired, "the server does not offer STARTTLS, and --starttls=require was given: stopping before anything else is sent in clear text (use --starttls=auto to continue without TLS)")

// command sends one command line (not typed by the user: never a secret)
// and waits for its reply, after the replies to anything sent before.
func (s *Session) command(ctx context.Context, c *conn, line string) (answered, error) {
	if err := s.drain(ctx, c); err != nil {
		return answered{}, err
	}
	if !s.writeTyped(c, line) || !s.flush(c) {
		return answered{}, cmp.Or(c.tlsErr, errNotConnected)
	}
	return s.awaitReply(ctx, c)
}

// hello sends EHLO, falling back to HELO when the server does not know
// EHLO (RFC 5321 4.1.4: 500/502 to EHLO from an old server).
func (s *Session) hello(ctx context.Context, c *conn) (answered, error) {
	a, err := s.command(ctx, c, "EHLO "+s.heloName(c))
	if err != nil || a.reply.Code == codeOK {
		return a, err
	}
	if a.reply.Code == codeCommandUnknown || a.reply.Code == codeNotImplemented {
		s.emitConn(c, Event{Kind: KindInfo, Text: "the server does not know EHLO; trying HELO (no extensions available)"})
		return s.command(ctx, c, "HELO "+s.heloName(c))
	}
	return a, s.replyError(protocol.VerbEHLO, "", a.reply)
}

// autoHello is the greeting sequence: EHLO, STARTTLS per the policy, and
// EHLO again inside TLS. With --starttls=require a missing, refused or
// failed STARTTLS ends the connection with QUIT and nothing else; with
// auto it is reported loudly and marks the connection (see [Downgrade]).
func (s *Session) autoHello(ctx context.Context, c *conn) error {
	if _, err := s.hello(ctx, c); err != nil {
		return err
	}
	if c.tls == nil && s.cfg.StartTLS != StartTLSOff {
		if !s.track.snapshot().Caps.Has(protocol.VerbSTARTTLS) {
			if s.cfg.StartTLS == StartTLSRequire {
				s.failClosed(c, errNoStartTLS, false)
				return errNoStartTLS
			}
			s.downgraded(c, false, "the server does not offer STARTTLS",
				"this session stays in clear text, where anyone on the path can read it — and a man in the middle can strip STARTTLS from the list (RFC 3207 6)")
		} else if err := s.upgrade(ctx, c); err != nil {
			if s.cfg.StartTLS == StartTLSRequire && !c.dead {
				err = worded(ErrTLSRequired, "%v — and --starttls=require was given: stopping, nothing but QUIT was sent in clear text (use --starttls=auto to continue without TLS)", err)
				s.failClosed(c, err, true)
			}
			return err
		} else if _, err := s.hello(ctx, c); err != nil {
			return err
		}
	}
	if c.tls == nil && s.track.snapshot().Caps.Has(protocol.VerbAUTH) {
		s.emitConn(c, Event{Kind: KindWarning, Text: "the server offers AUTH without TLS: a password sent now travels in clear text"})
	}
	return nil
}

// failClosed ends a connection that --starttls=require does not allow to
// go on in clear text: the error, then QUIT and close.
func (s *Session) failClosed(c *conn, err error, refused bool) {
	c.tlsRefused = true
	reason := "the server does not offer STARTTLS"
	if refused {
		reason = "STARTTLS failed"
	}
	c.downgrade = &Downgrade{Reason: reason, Refused: refused}
	s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err, Downgrade: c.downgrade})
	s.quitAndClose()
}

// downgraded marks c as left in clear text although TLS was wanted and
// says so loudly; AUTH on it then needs the user's confirmation.
func (s *Session) downgraded(c *conn, refused bool, reason, consequence string) {
	c.downgrade = &Downgrade{Reason: reason, Refused: refused}
	text := reason + ": " + consequence + "; AUTH will ask before sending credentials"
	s.emitConn(c, Event{Kind: KindWarning, Text: text, Downgrade: c.downgrade})
}

// startTLS is the StartTLS intent: STARTTLS, the handshake, a fresh EHLO.
func (s *Session) startTLS(ctx context.Context, c *conn) {
	if err := s.upgrade(ctx, c); err != nil {
		return
	}
	s.hello(ctx, c)
}

// upgrade sends STARTTLS and, on 220, lets process run the handshake. A
// refusal is an error event; on a plain connection where TLS is wanted it
// also marks the connection as downgraded.
func (s *Session) upgrade(ctx context.Context, c *conn) error {
	if c.tls != nil {
		err := errors.New("the connection is already inside TLS")
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
		return err
	}
	a, err := s.command(ctx, c, protocol.VerbSTARTTLS)
	if err != nil {
		return err
	}
	if a.reply.Code != codeServiceReady {
		err := s.replyError(protocol.VerbSTARTTLS, "the server refused STARTTLS", a.reply)
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
		if s.cfg.StartTLS == StartTLSAuto {
			s.downgraded(c, true, fmt.Sprintf("the server refused STARTTLS (%03d)", a.reply.Code),
				"this session stays in clear text, and a refusal is also what a man in the middle who wants your password would inject")
		}
		return err
	}
	return c.tlsErr
}

// handshakeAfterStartTLS runs the TLS handshake after the 220 to STARTTLS.
// The reader has stopped; bytes it had already received after the 220
// came before the handshake and are discarded and reported (RFC 3207 5:
// the STARTTLS command-injection class of bug).
func (s *Session) handshakeAfterStartTLS(ctx context.Context, c *conn) {
	c.pending = nil // RFC 3207 4.2: anything pipelined after STARTTLS is void
	if n := c.rr.buffered(); n > 0 {
		junk, _ := c.rr.br.Peek(n)
		shown := junk
		if len(shown) > maxInjectedShown {
			shown = shown[:maxInjectedShown]
		}
		c.injected, c.injectedN = append([]byte(nil), shown...), n
		s.note(c, KindWarning, fmt.Sprintf("the server sent %d octets after its 220 to STARTTLS and before the TLS handshake; they were discarded unread (a sign of the STARTTLS injection bug): %q", n, displayLine(shown)), nil)
		c.rr.br.Discard(n)
	}
	start := time.Now()
	tc, info, err := s.tlsHandshake(ctx, c.raw, false)
	if tc != nil {
		s.switchToTLS(c, tc, info)
	}
	if err != nil {
		c.tlsErr, c.tlsRefused = err, true
		if ctx.Err() != nil {
			s.teardown(c, errAbandoned)
			return
		}
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err, Latency: time.Since(start)})
		s.teardown(c, err)
		return
	}
	s.track.tlsStarted()
	s.track.announce(s, c)
	c.startReader(false)
}
