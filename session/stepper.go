package session

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/smtpscope/smtpscope/protocol"
)

// Stepper runs one connection step by step, for a program that decides
// each next step from the last reply (smtpscope doctor). It drives the
// engine of [Session] — dialing, TLS and its verification, SASL,
// redaction, sanitizing, the transcript — and emits the same events, but
// its methods block until their step is done instead of queueing intents.
// A Stepper is used from one goroutine; every blocking step ends at its
// timeout or when ctx is cancelled.
type Stepper struct {
	s       *Session
	c       *conn
	drained chan struct{}
}

// NewStepper returns a stepper for cfg; cfg.AutoHello is ignored. Each
// event is handed to onEvent (nil discards them) on a goroutine of the
// stepper's, in order; [Stepper.Close] returns after the last one.
func NewStepper(cfg Config, onEvent func(Event)) *Stepper {
	st := &Stepper{s: New(cfg), drained: make(chan struct{})}
	go func() {
		defer close(st.drained)
		for batch := range st.s.events.out {
			for _, e := range batch {
				if onEvent != nil {
					onEvent(e)
				}
			}
		}
	}()
	return st
}

// errNoConnection is returned by a step taken before Open or after the
// connection ended.
var errNoConnection = errors.New("not connected")

// Transcript returns the conversation so far.
func (st *Stepper) Transcript() *Transcript { return st.s.transcript }

// Open dials the server (with the implicit TLS handshake when configured)
// and reads the greeting. A certificate that fails verification returns a
// [*CertificateError]; [Stepper.TLS] still has the facts.
func (st *Stepper) Open(ctx context.Context) (protocol.Reply, error) {
	c, err := st.s.open(ctx)
	st.c = c
	if err != nil {
		return protocol.Reply{}, err
	}
	a, err := st.s.awaitReply(ctx, c)
	return a.reply, err
}

// Hello sends EHLO (HELO when the server does not know EHLO). The error
// is set when the server refused both or did not answer.
func (st *Stepper) Hello(ctx context.Context) (protocol.Reply, error) {
	c, err := st.live()
	if err != nil {
		return protocol.Reply{}, err
	}
	a, err := st.s.hello(ctx, c)
	return a.reply, err
}

// Command sends one command line and returns its reply, whatever its code.
func (st *Stepper) Command(ctx context.Context, line string) (protocol.Reply, error) {
	c, err := st.live()
	if err != nil {
		return protocol.Reply{}, err
	}
	a, err := st.s.command(ctx, c, line)
	return a.reply, err
}

// StartTLS sends STARTTLS and runs the handshake; it returns the reply to
// STARTTLS. The error is set when the server refused STARTTLS or the
// handshake failed ([*TLSError], [*CertificateError]); send EHLO again
// after a success (RFC 3207 4.2).
func (st *Stepper) StartTLS(ctx context.Context) (protocol.Reply, error) {
	c, err := st.live()
	if err != nil {
		return protocol.Reply{}, err
	}
	c.last = protocol.Reply{}
	err = st.s.upgrade(ctx, c)
	return c.last, err
}

// Auth runs a SASL exchange and returns the server's final reply (the
// zero Reply when none came). The error is set when it did not end in 235.
func (st *Stepper) Auth(ctx context.Context, req AuthRequest) (protocol.Reply, error) {
	c, err := st.live()
	if err != nil {
		return protocol.Reply{}, err
	}
	c.last = protocol.Reply{}
	err = st.s.auth(ctx, c, req)
	return c.last, err
}

// Data streams body after DATA was answered 354 (dot-stuffed, CRLF line
// ends) and returns the reply to the end of data.
func (st *Stepper) Data(ctx context.Context, body io.Reader, size int64) (protocol.Reply, error) {
	c, err := st.live()
	if err != nil {
		return protocol.Reply{}, err
	}
	c.last = protocol.Reply{}
	err = st.s.sendBody(ctx, c, body, size)
	return c.last, err
}

// Snapshot returns the protocol state: capabilities, TLS, login.
func (st *Stepper) Snapshot() protocol.Snapshot { return st.s.track.snapshot() }

// TLS returns the facts of the TLS handshake, nil while plain.
func (st *Stepper) TLS() *TLSInfo {
	if st.c == nil {
		return nil
	}
	return st.c.tls
}

// RemoteAddr returns the address connected to, "" before a connection.
func (st *Stepper) RemoteAddr() string {
	if st.c == nil {
		return ""
	}
	return st.c.raw.RemoteAddr().String()
}

// Connected reports whether the connection is still open.
func (st *Stepper) Connected() bool { return st.c != nil && !st.c.dead }

// Close ends the connection (QUIT when it is idle; at once when a step
// was interrupted with replies still owed) and waits until every event
// was handed out. Close may be called more than once.
func (st *Stepper) Close() {
	if c := st.c; c != nil && !c.dead {
		if len(c.pending) > 0 {
			st.s.teardown(c, errors.New("stopped"))
		} else {
			st.s.quitAndClose()
		}
	}
	st.s.events.close()
	<-st.drained
}

// live returns the open connection.
func (st *Stepper) live() (*conn, error) {
	if st.c == nil || st.c.dead {
		return nil, fmt.Errorf("session: %w", errNoConnection)
	}
	return st.c, nil
}
