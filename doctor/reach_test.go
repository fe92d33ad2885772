package doctor

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/internal/nettest"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// Short limits for ports that never answer; ports that answer get a
// generous one, so that a loaded machine does not change the outcome.
const (
	silentTimeout = 300 * time.Millisecond
	answerTimeout = 10 * time.Second
)

// silentAddr is a listener that accepts connections and says nothing.
func silentAddr(t *testing.T) string {
	t.Helper()
	return nettest.Serve(t, func(c net.Conn) { io.Copy(io.Discard, c) })
}

// filtered marks a port whose packets a firewall drops: the connect
// waits until it times out.
const filtered = "filtered"

// portDialer routes mail.test:PORT to the loopback address the test chose.
func portDialer(t *testing.T, routes map[string]string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		to, ok := routes[port]
		if !ok {
			t.Errorf("unexpected dial to %s", addr)
			to = nettest.ClosedAddr(t)
		}
		if to == filtered {
			<-ctx.Done()
			return nil, ctx.Err()
		}
		var d net.Dialer
		return d.DialContext(ctx, network, to)
	}
}

func TestReachSweep(t *testing.T) {
	srv := startSandbox(t, sandbox.Config{TLSListen: "127.0.0.1:0"})
	tests := []struct {
		name    string
		port    string
		sweep   []SweepPort
		quiet   bool // no port of the sweep answers: give it the short limit
		routes  map[string]string
		reason  protocol.Reason
		variant string
		summary string
		details []string
	}{
		{name: "closed port, 587 answers", port: "25",
			routes: map[string]string{"25": nettest.ClosedAddr(t), "587": srv.Addr(), "465": srv.TLSAddr(), "2525": nettest.ClosedAddr(t)},
			reason: protocol.ReasonNetwork, variant: "unreachable",
			summary: "nothing listens on port 25 (connection refused); 587 with STARTTLS answers: use that",
			details: []string{"port 465 with implicit TLS answers", "port 2525 with STARTTLS refused"}},
		{name: "filtered port, 587 answers", port: "25",
			routes: map[string]string{"25": filtered, "587": srv.Addr(), "465": nettest.ClosedAddr(t), "2525": nettest.ClosedAddr(t)},
			reason: protocol.ReasonPortBlocked, variant: "port-blocked",
			summary: "port 25 is filtered on this network (timed out); 587 with STARTTLS answers: use that"},
		{name: "silent port, 465 answers", port: "587",
			routes: map[string]string{"587": silentAddr(t), "465": srv.TLSAddr(), "25": nettest.ClosedAddr(t), "2525": nettest.ClosedAddr(t)},
			reason: protocol.ReasonNetwork, variant: "silent",
			summary: "port 587 accepts connections but never greets (no 220 within the timeout); 465 with implicit TLS answers: use that"},
		// A plain client on a private implicit-TLS port waits for a greeting
		// that comes only after a handshake: the same port with TLS answers.
		{name: "silent port that wants TLS from the first byte", port: "2465",
			sweep:  []SweepPort{{"587", false}},
			routes: map[string]string{"2465": srv.TLSAddr(), "587": nettest.ClosedAddr(t)},
			reason: protocol.ReasonTLSMismatch, variant: "tls-mismatch",
			summary: "port 2465 does not answer in plain text with STARTTLS, but answers with implicit TLS (--tls): use that"},
		// Port 465 itself is taken as implicit TLS unless told otherwise;
		// another implicit-TLS port in the sweep shows the same mistake.
		{name: "plain text to an implicit TLS port", port: "4650",
			sweep:  []SweepPort{{"587", false}, {"4650", true}},
			routes: map[string]string{"4650": srv.TLSAddr(), "587": nettest.ClosedAddr(t)},
			reason: protocol.ReasonTLSMismatch, variant: "tls-mismatch",
			summary: "port 4650 does not answer in plain text with STARTTLS, but answers with implicit TLS (--tls): use that"},
		{name: "nothing answers", port: "25", quiet: true,
			routes: map[string]string{"25": silentAddr(t), "587": filtered, "465": silentAddr(t), "2525": nettest.ClosedAddr(t)},
			reason: protocol.ReasonNetwork, variant: "silent",
			summary: "no other SMTP port answers either",
			details: []string{"port 587 with STARTTLS timed out", "port 465 with implicit TLS silent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := Options{
				Address: "mail.test:" + tt.port,
				Session: session.Config{RootCAs: srv.RootCAs(), SNI: srv.Hostname(), Dial: portDialer(t, tt.routes),
					Timeouts: session.Timeouts{Connect: silentTimeout, Banner: silentTimeout, Command: answerTimeout}},
				Now:          func() time.Time { return fixedNow },
				SweepTimeout: answerTimeout,
				SweepPorts:   tt.sweep,
			}
			if tt.quiet {
				o.SweepTimeout = silentTimeout
			}
			rep := run(t, o)
			v := rep.Verdict
			res, _ := rep.Result(StageReach)
			if v.Stage != StageReach || v.Reason != tt.reason || v.Variant != tt.variant || !strings.Contains(res.Summary, tt.summary) {
				t.Fatalf("verdict %s/%s/%s, summary %q; want %s/%s, %q\n%s", v.Stage, v.Reason, v.Variant, res.Summary, tt.reason, tt.variant, tt.summary, dump(rep))
			}
			details := strings.Join(res.Details, "\n")
			for _, d := range tt.details {
				if !strings.Contains(details, d) {
					t.Errorf("details lack %q:\n%s", d, details)
				}
			}
		})
	}
}

func TestRunEndsWhenCancelled(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		cancel() // the doctor now waits for a greeting that never comes
		buf := make([]byte, 1)
		c.Read(buf)
	}()
	o := Options{Address: ln.Addr().String(), Now: func() time.Time { return fixedNow },
		Session: session.Config{Timeouts: session.Timeouts{Connect: time.Minute, Banner: time.Minute, Command: time.Minute}}}
	done := make(chan *Report, 1)
	go func() {
		rep, _ := Run(ctx, o)
		done <- rep
	}()
	select {
	case rep := <-done:
		if rep.Verdict.OK || rep.Verdict.Stage != StageReach {
			t.Errorf("a cancelled run: %s", dump(rep))
		}
		if res, _ := rep.Result(StageReach); len(res.Details) > 1 {
			t.Errorf("a cancelled run swept other ports: %q", res.Details)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("cancelling did not end the diagnosis")
	}
}
