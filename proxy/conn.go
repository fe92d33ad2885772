package proxy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// connGen is the generation of every proxied connection's events: each
// application connection is a session of its own, never reconnected.
const connGen = 1

// Buffer sizes per leg. A connection holds two readers and two writers
// of these sizes, whatever the size of the messages that pass.
const (
	readBufferSize  = 32 << 10
	writeBufferSize = 32 << 10
)

// conn is one proxied connection: the application's leg, the upstream
// leg, and what is known of the session on each.
//
// Two goroutines run it. The downstream one (relayCommands) reads the
// application's commands and message content and writes them upstream;
// the upstream one (relayReplies) reads the server's replies and writes
// them to the application. A command whose reply decides how the next
// bytes are read (EHLO, STARTTLS, AUTH, DATA, QUIT) makes the downstream
// goroutine wait for its reply; every other command flows on, so
// pipelined groups stay groups (RFC 2920).
type conn struct {
	p          *Proxy
	cfg        *Config
	id         uint64
	implicit   bool // accepted on the implicit-TLS listener
	remote     string
	started    time.Time
	transcript *session.Transcript

	// The application's leg. app is appRaw or TLS over it; appR belongs to
	// the downstream goroutine; appW is shared under appMu.
	appRaw net.Conn
	app    net.Conn
	appR   *bufio.Reader
	appMu  sync.Mutex
	appW   *bufio.Writer

	// The upstream leg. upR belongs to the upstream goroutine; upW is
	// shared under upMu; up changes (STARTTLS) under mu.
	upRaw net.Conn
	up    net.Conn
	upR   *bufio.Reader
	upMu  sync.Mutex
	upW   *bufio.Writer

	dead    chan struct{} // closed when the connection ends
	endOnce sync.Once
	wg      sync.WaitGroup // the upstream goroutine

	mu        sync.Mutex // guards everything below
	pending   []*pending
	appLeg    legTracker
	upLeg     legTracker
	provider  protocol.Provider
	auth      authState
	secrets   secretSet
	messages  int
	lastCode  int
	endErr    error
	ended     time.Time
	lines     int    // transcript lines recorded
	linesFull bool   // the transcript cap was reached
	hello     []byte // the application's latest EHLO/HELO line, as sent
	quit      bool   // the application sent QUIT
	upTried   bool   // the upstream STARTTLS was attempted
	throttled bool   // the application reached maxOutstanding unanswered commands

	chunks *dataState // the BDAT message in progress; the downstream goroutine's own
}

// pending is a command on the upstream wire waiting for its reply.
type pending struct {
	verb     string
	sent     time.Time // on the proxy's clock, for latency
	deadline time.Time // on the wall clock, for the socket
	done     chan struct{}
	code     int // the reply's code, set before done is closed

	lastChunk bool // BDAT … LAST: its 250 accepts a message
	greeting  bool // the server's 220 (or 421, 554) at connect
}

// errConnEnded is what a wait returns when the connection is gone.
var errConnEnded = errors.New("connection ended")

func newConn(p *Proxy, id uint64, nc net.Conn, implicit bool) *conn {
	c := &conn{
		p: p, cfg: &p.cfg, id: id, implicit: implicit,
		remote:     nc.RemoteAddr().String(),
		started:    p.cfg.Now(),
		transcript: session.NewTranscript(),
		appRaw:     nc, app: nc,
		appR: bufio.NewReaderSize(nc, readBufferSize),
		appW: bufio.NewWriterSize(nc, writeBufferSize),
		dead: make(chan struct{}),
	}
	c.appLeg.m = protocol.NewMachine()
	c.upLeg.m = protocol.NewMachine()
	c.appLeg.m.Connected()
	return c
}

// serve runs the connection from accept to close. It never panics: a
// panic in the proxy's own code ends this connection with an error event.
func (c *conn) serve(ctx context.Context) {
	defer c.recoverPanic("application")
	c.emit(Event{Leg: LegApp, Event: session.Event{Kind: session.KindConnected, Text: c.remote}})
	if c.implicit {
		c.appLeg.m.SetImplicitTLS()
		if !c.acceptImplicitTLS() {
			c.finish()
			return
		}
	}
	if err := c.openUpstream(ctx); err != nil {
		c.refuse(enhNoRoute, "smtpscope cannot reach the upstream server: "+err.Error())
		c.end(err)
		c.finish()
		return
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer c.recoverPanic("upstream")
		c.relayReplies()
	}()
	c.relayCommands()
	c.finish()
}

// recoverPanic turns a panic into an error event and ends the connection,
// so that a bug in one connection never takes the process (and the
// user's terminal) down.
func (c *conn) recoverPanic(where string) {
	if r := recover(); r != nil {
		err := fmt.Errorf("smtpscope bug on the %s side of connection %d: %v", where, c.id, r)
		c.note(LegBoth, session.KindError, err.Error()+" (please report it with the stack below)\n"+string(debug.Stack()))
		c.end(err)
	}
}

// end closes both legs, once; reason nil means a clean end. Every
// blocked read and write returns.
func (c *conn) end(reason error) {
	c.endOnce.Do(func() {
		c.mu.Lock()
		c.endErr = reason
		c.ended = c.cfg.Now()
		for _, p := range c.pending {
			close(p.done)
		}
		c.pending = nil
		upRaw := c.upRaw
		c.mu.Unlock()
		close(c.dead)
		// Closing the sockets under any TLS ends every read, write and
		// handshake on them at once; a TLS close_notify could block.
		c.appRaw.Close()
		if upRaw != nil {
			upRaw.Close()
		}
	})
}

// finish waits for the upstream goroutine and reports the end.
func (c *conn) finish() {
	c.end(nil)
	c.wg.Wait()
	c.mu.Lock()
	err := c.endErr
	c.appLeg.m.Closed()
	c.upLeg.m.Closed()
	c.mu.Unlock()
	text := "connection closed"
	if err != nil {
		text = "connection closed: " + err.Error()
	}
	c.record(LegApp, session.DirNote, text, 0, false)
	c.emit(Event{Leg: LegApp, Event: session.Event{Kind: session.KindClosed, Text: c.redact(text), Err: err}})
	c.p.connDone(c)
}

// isDead reports whether the connection is over.
func (c *conn) isDead() bool {
	select {
	case <-c.dead:
		return true
	default:
		return false
	}
}

// refuse answers the application with a 421 of smtpscope's own (RFC 5321
// 3.8) before closing, so that its log says why instead of "connection
// reset".
func (c *conn) refuse(enh, text string) {
	if c.isDead() {
		return
	}
	c.sendApp(protocol.FormatReply(codeNotAvailable, enh, text), "")
}

// openUpstream dials the server (and runs the implicit TLS handshake).
func (c *conn) openUpstream(ctx context.Context) error {
	ucfg := c.cfg.Upstream
	c.note(LegUpstream, session.KindInfo, session.ConnectNote(ucfg.Address))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-c.dead:
			cancel()
		case <-ctx.Done():
		}
	}()
	raw, err := session.Dial(ctx, ucfg)
	if err != nil {
		c.note(LegUpstream, session.KindError, err.Error())
		return err
	}
	c.mu.Lock()
	c.upRaw, c.up = raw, raw
	c.mu.Unlock()
	if c.isDead() {
		raw.Close()
		return errConnEnded
	}
	c.upLeg.m.Connected()
	if ucfg.TLSMode == session.TLSImplicit {
		c.upLeg.m.SetImplicitTLS()
		if err := c.upstreamHandshake(true); err != nil {
			return err
		}
	} else {
		c.setUpstream(raw)
	}
	c.emit(Event{Leg: LegUpstream, Event: session.Event{Kind: session.KindConnected, Text: raw.RemoteAddr().String()}})
	c.mu.Lock()
	greeting := c.newPending("", c.cfg.Upstream.Timeouts.Banner)
	greeting.greeting = true
	c.pending = append(c.pending, greeting)
	c.mu.Unlock()
	c.announce()
	return nil
}

// setUpstream makes nc (the plain socket or TLS over it) the upstream
// stream, with fresh buffers.
func (c *conn) setUpstream(nc net.Conn) {
	c.mu.Lock()
	c.up = nc
	c.mu.Unlock()
	c.upR = bufio.NewReaderSize(nc, readBufferSize)
	c.upMu.Lock()
	c.upW = bufio.NewWriterSize(nc, writeBufferSize)
	c.upMu.Unlock()
}

// newPending makes a pending reply due within timeout; the caller holds
// mu and appends it.
func (c *conn) newPending(verb string, timeout time.Duration) *pending {
	p := &pending{verb: verb, sent: c.cfg.Now(), deadline: time.Now().Add(timeout), done: make(chan struct{})}
	if len(c.pending) == 0 && c.up != nil {
		c.up.SetReadDeadline(p.deadline)
	}
	return p
}

// expect registers a command sent upstream whose reply is awaited.
func (c *conn) expect(verb string, timeout time.Duration) *pending {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.newPending(verb, timeout)
	if c.isDead() {
		close(p.done)
		return p
	}
	c.pending = append(c.pending, p)
	return p
}

// wait blocks until p is answered (and the reply relayed) or the
// connection ends; it returns the reply code.
func (c *conn) wait(p *pending) (int, error) {
	select {
	case <-p.done:
	case <-c.dead:
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p.code == 0 {
		return 0, errConnEnded
	}
	return p.code, nil
}

// writeUp writes raw bytes to the server; flush sends them.
func (c *conn) writeUp(b []byte, flush bool) error {
	c.upMu.Lock()
	defer c.upMu.Unlock()
	c.up.SetWriteDeadline(time.Now().Add(c.cfg.Upstream.Timeouts.Command))
	if _, err := c.upW.Write(b); err != nil {
		return err
	}
	if flush {
		return c.upW.Flush()
	}
	return nil
}

// flushUp sends what is buffered for the server.
func (c *conn) flushUp() error {
	c.upMu.Lock()
	defer c.upMu.Unlock()
	c.up.SetWriteDeadline(time.Now().Add(c.cfg.Upstream.Timeouts.Command))
	return c.upW.Flush()
}

// writeApp writes raw bytes to the application; flush sends them.
func (c *conn) writeApp(b []byte, flush bool) error {
	c.appMu.Lock()
	defer c.appMu.Unlock()
	c.app.SetWriteDeadline(time.Now().Add(c.cfg.IdleTimeout))
	if _, err := c.appW.Write(b); err != nil {
		return err
	}
	if flush {
		return c.appW.Flush()
	}
	return nil
}

// sendApp writes a reply of smtpscope's own to the application and
// records it on the application's leg; verb is the command it answers.
func (c *conn) sendApp(reply, verb string) {
	r, err := protocol.ParseReply(reply)
	if err != nil {
		panic("proxy: malformed reply of our own: " + reply)
	}
	if werr := c.writeApp([]byte(reply), true); werr != nil {
		c.note(LegApp, session.KindWarning, "could not tell the application: "+werr.Error())
		return
	}
	c.recordReply(LegApp, verb, replyOf(r, []byte(reply), c.cfg.Now()), 0)
}
