package session

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/internal/nettest"
	"github.com/smtpscope/smtpscope/sandbox"
)

// countingDial counts the connections a probe opens.
func countingDial(n *atomic.Int32) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		n.Add(1)
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
}

// A plain probe of a port for implicit TLS finds out, and reports over TLS,
// instead of waiting for a greeting that never comes.
func TestProbeFindsAnImplicitTLSPort(t *testing.T) {
	srv := startSandbox(t, "")
	cfg := Config{Address: srv.TLSAddr(), RootCAs: srv.RootCAs(), Timeouts: Timeouts{Silence: 50 * time.Millisecond, Banner: time.Minute}}
	rep, err := ProbeDetectingTLS(context.Background(), cfg)
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	if rep.TLSMode != "implicit" || rep.TLS == nil || rep.BannerCode != 220 {
		t.Fatalf("report: mode %q, TLS %v, banner %d", rep.TLSMode, rep.TLS != nil, rep.BannerCode)
	}
	if len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "port for implicit TLS") || !strings.Contains(rep.Warnings[0], "--tls") {
		t.Errorf("the report does not say why it is over TLS: %q", rep.Warnings)
	}
}

// A server that greets at once is probed on one connection.
func TestProbeOfAPromptServerOpensOneConnection(t *testing.T) {
	srv := startSandbox(t, "")
	var dials atomic.Int32
	cfg := Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), Dial: countingDial(&dials), Timeouts: Timeouts{Silence: testGuard}}
	rep, err := ProbeDetectingTLS(context.Background(), cfg)
	if err != nil || rep.TLSMode != "starttls" {
		t.Fatalf("probe: %v, mode %q", err, rep.TLSMode)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d connections for a server that greets at once", n)
	}
}

// A plain server slow to greet is still probed in plain: the TLS attempt
// beside it is refused and changes nothing.
func TestProbeOfASlowPlainServerStaysPlain(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Config{BannerDelay: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg := Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), Timeouts: Timeouts{Silence: 20 * time.Millisecond, Banner: time.Minute}}
	rep, err := ProbeDetectingTLS(context.Background(), cfg)
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	if rep.TLSMode != "starttls" || rep.BannerCode != 220 {
		t.Errorf("report: mode %q, banner %d", rep.TLSMode, rep.BannerCode)
	}
	for _, w := range rep.Warnings {
		if strings.Contains(w, "port for implicit TLS") {
			t.Errorf("a plain server reported as a TLS port: %q", w)
		}
	}
}

// A port that accepts and says nothing, in plain or TLS, fails at the
// banner as before: the TLS attempt beside it found no TLS either.
func TestProbeOfASilentPortFailsAtTheBanner(t *testing.T) {
	addr := nettest.Serve(t, func(c net.Conn) { io.Copy(io.Discard, c) }) // open, silent
	cfg := Config{Address: addr, Timeouts: Timeouts{Silence: 20 * time.Millisecond, Connect: 200 * time.Millisecond, Banner: 400 * time.Millisecond}}
	rep, err := ProbeDetectingTLS(context.Background(), cfg)
	var pe *ProbeError
	if !errors.As(err, &pe) || pe.Stage != StageBanner {
		t.Fatalf("err %v, want a failure at the banner", err)
	}
	if rep.TLSMode == "implicit" {
		t.Errorf("a silent port reported as TLS")
	}
}

// Cancelling stops both connections.
func TestProbeDetectingTLSIsCancellable(t *testing.T) {
	accepted := make(chan struct{}, 2)
	addr := nettest.Serve(t, func(c net.Conn) {
		accepted <- struct{}{}
		io.Copy(io.Discard, c) // open and silent until the probe goes
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ProbeDetectingTLS(ctx, Config{Address: addr, Timeouts: Timeouts{Silence: 10 * time.Millisecond}})
		done <- err
	}()
	<-accepted
	<-accepted // the TLS attempt
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a cancelled probe reported success")
		}
	case <-time.After(testGuard):
		t.Fatal("the probe did not stop when cancelled")
	}
}
