package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// intentKind names what a user asked the session to do.
type intentKind int

const (
	intentConnect intentKind = iota
	intentSend
	intentPipeline
	intentStartTLS
	intentAuth
	intentBody
	intentChunk
	intentMessage
	intentReconnect
	intentClose
)

// intent is one queued request from the consumer.
type intent struct {
	kind     intentKind
	reconfig *ReconnectOptions // for intentReconnect: settings to change first
	lines    []string
	chunk    []byte // for intentChunk
	auth     AuthRequest
	body     io.Reader
	size     int64
	msg      Message
}

// errInterrupted ends a wait that Reconnect or Close cut short.
var errInterrupted = errors.New("interrupted")

// loop is the session goroutine: it carries out intents in order and,
// between them, takes replies the server sends on its own (a 421 before
// closing, replies to commands sent with Send). Each intent runs with a
// context that Reconnect and Close cancel; a cancelled intent also gets a
// write deadline in the past on its connection, so that a blocked write
// (a stalled message upload) returns at once.
func (s *Session) loop() {
	defer close(s.done)
	defer s.events.close()
	for {
		in, ok := s.nextIntent()
		ctx, cancel := context.WithCancel(context.Background())
		s.mu.Lock()
		s.opCancel = cancel
		s.mu.Unlock()
		if ok {
			fired := make(chan struct{})
			stop := context.AfterFunc(ctx, func() { s.interruptIO(); close(fired) })
			s.guard(func() { s.run(ctx, in) })
			if !stop() {
				<-fired
				s.resumeIO()
			}
		} else {
			s.guard(func() { s.idle(ctx) })
		}
		s.mu.Lock()
		s.opCancel = nil
		s.mu.Unlock()
		cancel()
		if ok && in.kind == intentClose {
			return
		}
	}
}

// interruptIO cuts the blocking step of the intent in progress; it runs on
// its own goroutine when the intent's context is cancelled.
func (s *Session) interruptIO() {
	if c := s.active.Load(); c != nil {
		c.interrupt()
	}
}

// resumeIO lifts an interrupt from a connection that came through it
// alive (the intent was waiting, not writing): Close can still say QUIT.
func (s *Session) resumeIO() {
	if c := s.c; c != nil && !c.dead {
		c.lift()
	}
}

// guard runs fn and turns a panic into an error event and a closed
// connection: the session runs inside the TUI's process, and a bug in it
// must not take the user's terminal down.
func (s *Session) guard(fn func()) {
	defer func() {
		if r := recover(); r != nil {
			err := fmt.Errorf("internal error in smtpscope (please report it): %v", r)
			s.emit(Event{Kind: KindError, Text: err.Error(), Err: err})
			if c := s.c; c != nil && !c.dead {
				s.teardown(c, err)
			}
		}
	}()
	fn()
}

// nextIntent pops the oldest intent. While closing, only Close is taken.
func (s *Session) nextIntent() (intent, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.intents) > 0 {
		in := s.intents[0]
		s.intents[0] = intent{}
		s.intents = s.intents[1:]
		if s.closing && in.kind != intentClose {
			continue
		}
		return in, true
	}
	return intent{}, false
}

// idle waits for an intent, a reply, or the deadline of a pending reply.
func (s *Session) idle(ctx context.Context) {
	c := s.c
	if c == nil || c.dead || !c.reading {
		<-s.wake
		return
	}
	var timeout <-chan time.Time
	if d := c.deadline(); !d.IsZero() {
		t := time.NewTimer(time.Until(d))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-s.wake:
	case res := <-c.replies:
		s.process(ctx, c, res)
	case <-timeout:
		s.timedOut(ctx, c)
	}
}

// run carries out one intent.
func (s *Session) run(ctx context.Context, in intent) {
	s.composing = composes(in.kind)
	defer func() { s.composing = false }()
	switch in.kind {
	case intentConnect:
		s.connect(ctx)
	case intentReconnect:
		s.quitAndClose()
		if in.reconfig != nil {
			s.reconfigure(*in.reconfig)
		}
		s.connect(ctx)
	case intentClose:
		s.quitAndClose()
	case intentSend:
		if c := s.live(); c != nil {
			s.sendLines(c, in.lines, false)
		}
	case intentPipeline:
		if c := s.live(); c != nil {
			s.sendLines(c, in.lines, true)
		}
	case intentStartTLS:
		if c := s.live(); c != nil {
			s.startTLS(ctx, c)
		}
	case intentAuth:
		if c := s.live(); c != nil {
			s.auth(ctx, c, in.auth)
		}
	case intentBody:
		if c := s.live(); c != nil {
			s.sendBody(ctx, c, in.body, in.size)
		}
	case intentChunk:
		if c := s.live(); c != nil {
			s.sendChunk(ctx, c, in.chunk)
		}
	case intentMessage:
		if c := s.live(); c != nil {
			s.sendMessage(ctx, c, in.msg)
		}
	}
}

// composes reports whether the lines an intent writes are composed by
// smtpscope rather than given by the consumer.
func composes(k intentKind) bool {
	switch k {
	case intentSend, intentPipeline, intentBody:
		return false
	}
	return true
}

// live returns the current connection, or reports that there is none.
func (s *Session) live() *conn {
	if s.c == nil || s.c.dead {
		s.emit(Event{Kind: KindError, Text: "not connected: reconnect first", Err: errNotConnected})
		return nil
	}
	return s.c
}

var errNotConnected = errors.New("not connected")

// awaitReply waits for the next reply on c (processing it) until the
// oldest pending command's deadline. It returns the reply and the verb it
// answered.
func (s *Session) awaitReply(ctx context.Context, c *conn) (answered, error) {
	if c.dead {
		return answered{}, errNotConnected
	}
	if len(c.pending) == 0 {
		return answered{}, fmt.Errorf("session: waiting for a reply with no command pending")
	}
	t := time.NewTimer(time.Until(c.deadline()))
	defer t.Stop()
	var silence <-chan time.Time
	if c.pending[0].verb == "" && c.tls == nil && !c.silenceNoted {
		st := time.NewTimer(s.timeouts.Silence)
		defer st.Stop()
		silence = st.C
	}
	for {
		select {
		case res := <-c.replies:
			a := s.process(ctx, c, res)
			if a.err != nil {
				return a, a.err
			}
			return a, nil
		case <-silence:
			silence = nil
			c.silenceNoted = true
			if c.received.Load() > 0 {
				continue // a server that talks is no implicit-TLS port waiting for a handshake
			}
			s.emitConn(c, Event{Kind: KindWarning, Suggest: SuggestImplicitTLS, Text: fmt.Sprintf(
				"no greeting after %s: a server on a port for implicit TLS (usually 465) sends nothing until the TLS handshake — reconnect with TLS (--tls)",
				s.timeouts.Silence)})
		case <-t.C:
			return s.timedOut(ctx, c)
		case <-ctx.Done():
			return answered{}, errInterrupted
		}
	}
}

// drain waits for the replies to every pending command.
func (s *Session) drain(ctx context.Context, c *conn) error {
	for len(c.pending) > 0 && !c.dead {
		if _, err := s.awaitReply(ctx, c); err != nil {
			return err
		}
	}
	if c.dead {
		return errNotConnected
	}
	return nil
}

// partialWait bounds how long a timed-out wait gives the reader to hand
// over the lines of a reply it had begun.
const partialWait = time.Second

// timedOut handles an overdue reply. The reader is told to give up its
// read at once: a reply it completed at that very moment is still taken;
// otherwise the lines it had of a reply that had begun (100 "250-" lines
// and no last one) are shown, and the connection ends with the timeout.
func (s *Session) timedOut(ctx context.Context, c *conn) (answered, error) {
	overdue := c.pending[0]
	if c.reading {
		c.raw.SetReadDeadline(time.Now())
		t := time.NewTimer(partialWait)
		defer t.Stop()
		select {
		case res := <-c.replies:
			if res.err == nil {
				c.raw.SetReadDeadline(time.Time{})
				a := s.process(ctx, c, res)
				return a, a.err
			}
			s.showPartial(c, res)
			return answered{}, s.replyTimeout(c, overdue, &res)
		case <-t.C:
		}
	}
	return answered{}, s.replyTimeout(c, overdue, nil)
}

// replyTimeout ends a connection whose reply to p did not come in time.
// partial is what the reader had of it, when it handed that over: a reply
// that began but never ended is worded as such, not as silence (and a
// server that talks is no implicit-TLS port waiting for a handshake).
func (s *Session) replyTimeout(c *conn, p pending, partial *readResult) error {
	limit := p.deadline.Sub(p.sent).Round(time.Millisecond)
	what := "no reply to " + p.verb
	if p.verb == "" {
		what = "no greeting (220) from the server"
	}
	err := fmt.Errorf("%s within %s", what, limit)
	if begun := partialWords(partial); begun != "" {
		what = "the reply to " + p.verb
		if p.verb == "" {
			what = "the greeting"
		}
		err = fmt.Errorf("%s did not end within %s: %s", what, limit, begun)
	} else if p.verb == "" && c.tls == nil {
		err = fmt.Errorf("%w; if this port expects TLS from the first byte (implicit TLS, usually port 465), connect with --tls", err)
	}
	s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
	s.teardown(c, err)
	return err
}

// partialWords says what had arrived of a reply that did not end in
// time, or "" when nothing had.
func partialWords(res *readResult) string {
	if res == nil {
		return ""
	}
	lines := len(res.reply.Lines) + len(res.junk)
	var parts []string
	if res.unended > 0 {
		lines--
	}
	if lines > 0 {
		parts = append(parts, fmt.Sprintf("%d lines arrived and none was a last line (a code followed by a space, RFC 5321 4.2.1)", lines))
	}
	if res.unended > 0 {
		line := fmt.Sprintf("%d octets of a line arrived without a line end", res.unended)
		if res.bareCR {
			line += "; the server ends its lines with a bare CR, which does not end a line in SMTP (CRLF does, RFC 5321 2.3.8)"
		}
		parts = append(parts, line)
	}
	return strings.Join(parts, "; then ")
}

// showPartial records and shows what the reader had of a reply that was
// cut off, with a warning saying so.
func (s *Session) showPartial(c *conn, res readResult) {
	s.showJunk(c, res)
	if len(res.reply.Lines) == 0 {
		return
	}
	var a answered
	s.takeReply(c, res, &a)
	s.note(c, KindWarning, fmt.Sprintf("the reply was cut off after %d lines without its last line; shown as received", len(res.reply.Lines)), nil)
}
