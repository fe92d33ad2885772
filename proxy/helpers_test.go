package proxy

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// testGuard bounds every wait in a test: a broken proxy fails the test
// instead of hanging it. No test asserts how long anything took.
const testGuard = 15 * time.Second

// startSandbox runs the sandbox as the upstream server, with an
// implicit-TLS listener too.
func startSandbox(t *testing.T, scenario string) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Config{TLSListen: "127.0.0.1:0", Scenario: scenario})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// watched is a running proxy and every event it emitted.
type watched struct {
	*Proxy
	t    *testing.T
	log  *syncBuffer
	mu   sync.Mutex
	all  []Event
	more chan struct{}
	done chan struct{}
}

// startProxy starts a proxy on loopback ports the system picks and
// gathers its events until the test ends.
func startProxy(t *testing.T, cfg Config) *watched {
	t.Helper()
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	w := &watched{t: t, log: &syncBuffer{}, more: make(chan struct{}, 1), done: make(chan struct{})}
	if cfg.Log == nil {
		cfg.Log = w.log
	}
	if cfg.Upstream.Timeouts == (session.Timeouts{}) {
		cfg.Upstream.Timeouts = session.Timeouts{Connect: testGuard, Banner: testGuard, Command: testGuard, Data: testGuard}
	}
	p, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.Proxy = p
	go func() {
		defer close(w.done)
		for batch := range p.Events() {
			w.mu.Lock()
			w.all = append(w.all, batch...)
			w.mu.Unlock()
			select {
			case w.more <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		p.Close()
		select {
		case <-w.done:
		case <-time.After(testGuard):
			t.Error("the event channel was not closed after Close")
		}
	})
	return w
}

// until waits for the first event (from the start) that ok accepts.
func (w *watched) until(what string, ok func(Event) bool) Event {
	w.t.Helper()
	deadline := time.NewTimer(testGuard)
	defer deadline.Stop()
	for {
		w.mu.Lock()
		for _, e := range w.all {
			if ok(e) {
				w.mu.Unlock()
				return e
			}
		}
		w.mu.Unlock()
		select {
		case <-w.more:
		case <-deadline.C:
			w.t.Fatalf("no %s; events:\n%s", what, w.dump())
		}
	}
}

// closed waits for connection id to end.
func (w *watched) closed(id uint64) Event {
	w.t.Helper()
	return w.until(fmt.Sprintf("end of connection %d", id), func(e Event) bool {
		return e.Conn == id && e.Kind == session.KindClosed && e.Leg == LegApp
	})
}

// events returns a copy of the events so far.
func (w *watched) events() []Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Event(nil), w.all...)
}

// dump lists the events for failure messages.
func (w *watched) dump() string {
	var b strings.Builder
	for _, e := range w.events() {
		fmt.Fprintf(&b, "  #%d %-8s %-6s %s\n", e.Conn, kindName(e.Kind), e.Leg, e.Text)
	}
	return b.String()
}

// texts returns the text of every event of connection id, one per line.
func (w *watched) texts(id uint64) string {
	var b strings.Builder
	for _, e := range w.events() {
		if e.Conn == id {
			b.WriteString(e.Text + "\n")
			b.WriteString(e.Decoded + "\n")
		}
	}
	return b.String()
}

func kindName(k session.Kind) string {
	return [...]string{"info", "warning", "error", "C:", "S:", "reply", "tls", "state", "progress", "connected", "closed"}[k]
}

// kindText matches an event of kind whose text contains sub.
func kindText(k session.Kind, sub string) func(Event) bool {
	return func(e Event) bool { return e.Kind == k && strings.Contains(e.Text, sub) }
}

// syncBuffer is a bytes buffer safe for the proxy's log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// appTLS is the TLS configuration of an application that trusts the
// proxy's CA.
func (w *watched) appTLS(name string) *tls.Config {
	pool := x509.NewCertPool()
	pool.AddCert(w.CA().Certificate())
	return &tls.Config{RootCAs: pool, ServerName: name}
}
