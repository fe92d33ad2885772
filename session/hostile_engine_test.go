package session

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/session/sasl"
)

// endless is a message body that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
		if i%80 == 79 {
			p[i] = '\n'
		}
	}
	return len(p), nil
}

// stallingServer runs first for the first connection and then, for the
// reconnect, greets and waits for QUIT.
func stallingServer(t *testing.T, first func(p *peer)) string {
	release := make(chan struct{})
	var n atomic.Int32
	addr := serve(t, 2, func(p *peer) {
		if n.Add(1) == 1 {
			first(p)
			select {
			case <-release:
			case <-time.After(testGuard):
			}
			return
		}
		p.writeline("220 second.test")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	t.Cleanup(func() { close(release) })
	return addr
}

// stallConn is a network that stops taking data after limit octets: a
// write then blocks until a write deadline in the past releases it, as a
// full socket buffer towards a server that stopped reading does.
type stallConn struct {
	net.Conn
	limit   int
	written int
	stalled chan struct{} // closed when a write blocks
	release chan struct{} // closed by a write deadline in the past
	once    sync.Once
	relOnce sync.Once
}

func (c *stallConn) Write(p []byte) (int, error) {
	if c.written+len(p) <= c.limit {
		c.written += len(p)
		return c.Conn.Write(p)
	}
	c.once.Do(func() { close(c.stalled) })
	<-c.release
	return 0, os.ErrDeadlineExceeded
}

func (c *stallConn) SetWriteDeadline(t time.Time) error {
	if !t.IsZero() && t.Before(time.Now()) {
		c.relOnce.Do(func() { close(c.release) })
	}
	return c.Conn.SetWriteDeadline(t)
}

// Reconnect cuts a message upload blocked on a server that stopped
// reading at once, not after the data timeout (an hour here).
func TestReconnectCutsAStalledUpload(t *testing.T) {
	addr := stallingServer(t, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("MAIL")
		p.writeline("250 ok")
		p.expect("RCPT")
		p.writeline("250 ok")
		p.expect("DATA")
		p.writeline("354 go")
		// and never read again
	})
	first := &stallConn{limit: 1 << 20, stalled: make(chan struct{}), release: make(chan struct{})}
	dials := 0
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if dials++; dials == 1 && err == nil {
			first.Conn = c
			return first, nil
		}
		return c, err
	}
	s := New(Config{Address: addr, Dial: dial, Timeouts: Timeouts{Data: time.Hour, Command: time.Hour}})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.SendMessage(Message{From: "a@x.test", To: []string{"b@x.test"}, Body: endless{}, Size: -1})
	select {
	case <-first.stalled:
	case <-time.After(testGuard):
		t.Fatal("the upload never blocked")
	}
	s.Reconnect()
	g := ev.until("second connection's greeting", func(e Event) bool { return e.Kind == KindReply && e.Gen == 2 })
	if g.Reply.Code != 220 {
		t.Errorf("second greeting %d", g.Reply.Code)
	}
	for _, e := range ev.find(KindError) {
		if e.Gen == 1 {
			t.Errorf("the abandoned upload reported an error: %q", e.Text)
		}
	}
}

// Reconnect cuts a TLS handshake that the server never answers.
func TestReconnectCutsAStalledTLSHandshake(t *testing.T) {
	helloSeen := make(chan struct{})
	addr := stallingServer(t, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("STARTTLS")
		p.writeline("220 go ahead")
		if _, err := p.r.ReadByte(); err == nil { // the ClientHello begins; no answer ever
			close(helloSeen)
		}
	})
	s := New(Config{Address: addr, Timeouts: Timeouts{Connect: time.Hour, Command: time.Hour}})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.StartTLS()
	select {
	case <-helloSeen: // the client now waits in the handshake for the ServerHello
	case <-time.After(testGuard):
		t.Fatal("no ClientHello")
	}
	s.Reconnect()
	ev.until("second connection's greeting", func(e Event) bool { return e.Kind == KindReply && e.Gen == 2 })
}

// A SCRAM server asking for two billion iterations gets a clear refusal,
// not a core busy for minutes.
func TestSCRAMIterationBombIsRefused(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "AUTH SCRAM-SHA-256")
		p.expect("AUTH SCRAM-SHA-256")
		p.writeline("334 " + base64.StdEncoding.EncodeToString([]byte("r=clientnonceSERVERNONCE,s=c2FsdA==,i=2000000000")))
		if p.readline() == "*" {
			p.writeline("501 5.7.0 cancelled")
		}
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSOff})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO reply", replyTo("EHLO"))
	s.Auth(AuthRequest{Mechanism: "SCRAM-SHA-256", Username: "u", Secret: "password", AllowCleartext: true})
	w := ev.until("cancel", textHas(KindWarning, "cancelling"))
	if !strings.Contains(w.Text, "2000000000 PBKDF2 iterations") {
		t.Errorf("warning %q: want the iteration count named", w.Text)
	}
	ev.until("auth failure", textHas(KindError, "501"))
}

func TestSCRAMDerivationIsCancellable(t *testing.T) {
	c, err := sasl.NewScramClient(sasl.ScramSHA256, "u", "password")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	serverFirst := "r=" + "x" + ",s=c2FsdA==,i=1000000"
	_, err = c.(sasl.ContextClient).NextContext(ctx, []byte(serverFirst))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("NextContext with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestConnectRefusedKeepsTheSystemError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	e := ev.until("connect error", kind(KindError))
	if !errors.Is(e.Err, syscall.ECONNREFUSED) || !strings.Contains(e.Text, "connection refused") {
		t.Errorf("error %q (%T): want the words and errors.Is(err, ECONNREFUSED)", e.Text, e.Err)
	}
}

func TestRefusalsAreReplyErrors(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		p.writeline("550 5.7.1 go away")
		p.readline() // the probe hangs up, with or without QUIT
	})
	_, err := Probe(context.Background(), Config{Address: addr})
	var re *ReplyError
	if !errors.As(err, &re) || re.Command != "EHLO" || re.Reply.Code != 550 || re.Temporary() {
		t.Fatalf("probe error %v: want a permanent ReplyError for EHLO", err)
	}
	if want := "the server refused EHLO: 550 5.7.1 go away"; re.Error() != want {
		t.Errorf("Error() = %q, want %q", re.Error(), want)
	}
}

// panicky is a message body whose Read panics, as a bug in a caller's
// reader would.
type panicky struct{}

func (panicky) Read([]byte) (int, error) { panic("boom in the body reader") }

// A panic inside the session becomes an error event and a closed
// connection; the session itself goes on (it runs inside the TUI).
func TestPanicInTheSessionBecomesAnErrorEvent(t *testing.T) {
	addr := serve(t, 2, func(p *peer) {
		p.writeline("220 mx.test")
		for {
			l := p.readline()
			switch {
			case l == "":
				return
			case strings.HasPrefix(l, "DATA"):
				p.writeline("354 go")
			case strings.HasPrefix(l, "QUIT"):
				p.writeline("221 bye")
				return
			default:
				p.writeline("250 ok")
			}
		}
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.SendMessage(Message{From: "a@x.test", To: []string{"b@x.test"}, Body: panicky{}, Size: -1})
	e := ev.until("internal error", kind(KindError))
	if !strings.Contains(e.Text, "internal error") || !strings.Contains(e.Text, "boom") {
		t.Errorf("error %q", e.Text)
	}
	ev.until("closed", kind(KindClosed))
	s.Reconnect()
	ev.until("the session still works", func(e Event) bool { return e.Kind == KindReply && e.Gen == 2 })
}

// panickingConn fails inside the reader goroutine.
type panickingConn struct{ net.Conn }

func (panickingConn) Read([]byte) (int, error) { panic("boom in Read") }

func TestPanicInTheReaderBecomesAnErrorEvent(t *testing.T) {
	addr := serve(t, 1, func(p *peer) { p.readline() })
	s := New(Config{Address: addr, Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		return panickingConn{c}, err
	}})
	ev := watch(t, s)
	s.Connect()
	e := ev.until("internal error", kind(KindError))
	if !strings.Contains(e.Text, "internal error") {
		t.Errorf("error %q", e.Text)
	}
	ev.until("closed", kind(KindClosed))
}

// No line with a CR or LF inside leaves smtpscope: typed, pipelined, the
// EHLO name, or an address.
func TestLineBreaksInsideValuesAreRefused(t *testing.T) {
	got := make(chan string, 8)
	addr := serve(t, 1, func(p *peer) {
		defer close(got)
		p.writeline("220 mx.test")
		for {
			l := p.readline()
			if l == "" {
				return
			}
			got <- l
			p.writeline("250 ok")
			if strings.HasPrefix(l, "QUIT") {
				return
			}
		}
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	for _, send := range []func(){
		func() { s.Send("NOOP\r\nRCPT TO:<injected@example>") },
		func() { s.Send("NOOP\nRSET") },
		func() { s.Pipeline([]string{"NOOP", "RSET\rQUIT"}) },
		func() {
			s.SendMessage(Message{From: "a@x.test\nRCPT TO:<injected@example>", To: []string{"b@x.test"}, Body: strings.NewReader("x"), Size: 1})
		},
	} {
		send()
	}
	s.Send("NOOP")
	ev.until("last NOOP", replyTo("NOOP"))
	ev.finish()
	var lines []string
	for l := range got {
		lines = append(lines, l)
	}
	for _, l := range lines {
		if strings.Contains(l, "injected") || strings.HasPrefix(l, "RSET") {
			t.Errorf("the server got %q", l)
		}
	}
	refused := 0
	for _, e := range ev.find(KindError) {
		if errors.Is(e.Err, ErrLineBreak) {
			refused++
		}
	}
	if refused != 4 {
		t.Errorf("%d refusals for a line break, want one per bad value; server got %q", refused, lines)
	}
}

func TestLineBreakInTheEHLONameIsRefused(t *testing.T) {
	got := make(chan string, 4)
	addr := serve(t, 1, func(p *peer) {
		defer close(got)
		p.writeline("220 mx.test")
		for l := p.readline(); l != ""; l = p.readline() {
			got <- l
			p.writeline("221 bye")
		}
	})
	s := New(Config{Address: addr, AutoHello: true, Helo: "client.test\r\nRCPT TO:<injected@example>"})
	ev := watch(t, s)
	s.Connect()
	if e := ev.until("refusal", kind(KindError)); !errors.Is(e.Err, ErrLineBreak) {
		t.Errorf("error %v, want ErrLineBreak", e.Err)
	}
	ev.finish()
	for l := range got {
		if l != "QUIT" {
			t.Errorf("the server got %q", l)
		}
	}
}
