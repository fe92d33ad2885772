package proxy

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// TestSmtpscopeSessionAsTheApplication: smtpscope's own engine pipelines
// MAIL/RCPT and sends the message with BDAT when CHUNKING is offered,
// which the sandbox does.
func TestSmtpscopeSessionAsTheApplication(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	s := session.New(session.Config{Address: w.Addr(), AutoHello: true, StartTLS: session.StartTLSRequire, RootCAs: w.CA().Pool(), SNI: "localhost"})
	defer s.Close()
	events := s.Events()
	next := func(what string, ok func(session.Event) bool) session.Event {
		t.Helper()
		for batch := range events {
			for _, e := range batch {
				if e.Kind == session.KindError {
					t.Fatalf("%s: session error %s\n%s", what, e.Text, w.dump())
				}
				if ok(e) {
					return e
				}
			}
		}
		t.Fatalf("no %s", what)
		return session.Event{}
	}
	s.Connect()
	next("EHLO in TLS", func(e session.Event) bool { return e.Kind == session.KindReply && e.Command == "EHLO" && e.TLS })
	s.Auth(session.AuthRequest{Mechanism: "SCRAM-SHA-256", Username: sandbox.DemoUsername, Secret: sandbox.DemoPassword})
	next("authenticated", func(e session.Event) bool { return e.Kind == session.KindState && e.Snapshot.Authenticated })
	body := "From: " + sandbox.DemoAddress + "\r\nSubject: chunks\r\n\r\n" + strings.Repeat("line of the message\r\n", 5000)
	s.SendMessage(session.Message{From: sandbox.DemoAddress, To: []string{"a@sandbox.test", "b@sandbox.test"}, Body: strings.NewReader(body), Size: int64(len(body))})
	r := next("message accepted", func(e session.Event) bool {
		return e.Kind == session.KindReply && (e.Command == "BDAT" || e.Command == protocol.EndOfDataVerb) && e.State == protocol.StateReady
	})
	if r.Reply.Code != 250 {
		t.Fatalf("message reply %d", r.Reply.Code)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || !msgs[0].Chunked || string(msgs[0].Data) != body || len(msgs[0].To) != 2 {
		t.Fatalf("sandbox got %d messages; first chunked=%v size=%d", len(msgs), len(msgs) > 0 && msgs[0].Chunked, len(msgs[0].Data))
	}
	w.until("BDAT note", kindText(session.KindInfo, "octets of message data]"))
	assertNoSecret(t, w, 1, sandbox.DemoPassword)
}

// TestTwoApplicationsAtOnce interleaves two applications' commands; each
// connection's events carry only its own session.
func TestTwoApplicationsAtOnce(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	apps := []*peer{dialApp(t, w.Addr()), dialApp(t, w.Addr())}
	step := func(line, want string) {
		t.Helper()
		for i, a := range apps {
			a.writeline(strings.ReplaceAll(line, "N", fmt.Sprint(i+1)))
		}
		for i, a := range apps {
			r := a.reply()
			if len(r) == 0 || !strings.HasPrefix(r[len(r)-1], want) {
				t.Fatalf("application %d, %s: %q", i+1, line, r)
			}
		}
	}
	for _, a := range apps {
		a.reply()
	}
	step("EHLO appN.test", "250")
	step("MAIL FROM:<senderN@app.test>", "250")
	step("RCPT TO:<rcptN@sandbox.test>", "250")
	step("DATA", "354")
	step("Subject: from application N\r\n\r\nbody N\r\n.", "250")
	step("QUIT", "221")
	for _, id := range []uint64{1, 2} {
		w.closed(id)
		text := w.texts(id)
		var shown []string // the applications whose sender this connection shows
		for n := 1; n <= 2; n++ {
			if strings.Contains(text, fmt.Sprintf("sender%d@app.test", n)) {
				shown = append(shown, fmt.Sprint(n))
			}
		}
		if len(shown) != 1 {
			t.Errorf("connection %d shows the senders of applications %v, want exactly one:\n%s", id, shown, text)
		}
	}
	if msgs := srv.Messages(); len(msgs) != 2 {
		t.Fatalf("sandbox got %d messages, want 2", len(msgs))
	}
}

func TestCancellingTheContextStopsTheProxy(t *testing.T) {
	srv := startSandbox(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	p, err := Start(ctx, Config{Listen: "127.0.0.1:0", Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	if err != nil {
		t.Fatal(err)
	}
	app := dialApp(t, p.Addr())
	app.expect("220")
	cancel()
	var closed *Event
	for batch := range p.Events() { // ends: Close closes it
		for _, e := range batch {
			if e.Kind == session.KindClosed && e.Leg == LegApp {
				closed = &e
			}
		}
	}
	if closed == nil || closed.Err == nil || !strings.Contains(closed.Err.Error(), "stopped") {
		t.Fatalf("the open connection ended with %+v", closed)
	}
	if app.readline() != "" {
		t.Error("the application's connection is still open")
	}
}
