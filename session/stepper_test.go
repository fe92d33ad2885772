package session

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/sandbox"
)

// eventLog collects a stepper's events for assertions.
type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) add(e Event) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

func (l *eventLog) texts(kind Kind) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.events {
		if e.Kind == kind {
			out = append(out, e.Text)
		}
	}
	return out
}

func TestStepperWholeTransaction(t *testing.T) {
	srv := startSandbox(t, "")
	var log eventLog
	st := NewStepper(Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), SNI: srv.Hostname()}, log.add)
	ctx := context.Background()
	steps := []struct {
		name string
		run  func() (int, error)
		want int
	}{
		{"greeting", func() (int, error) { r, err := st.Open(ctx); return r.Code, err }, 220},
		{"EHLO", func() (int, error) { r, err := st.Hello(ctx); return r.Code, err }, 250},
		{"STARTTLS", func() (int, error) { r, err := st.StartTLS(ctx); return r.Code, err }, 220},
		{"EHLO in TLS", func() (int, error) { r, err := st.Hello(ctx); return r.Code, err }, 250},
		{"AUTH", func() (int, error) {
			r, err := st.Auth(ctx, AuthRequest{Mechanism: "PLAIN", Username: sandbox.DemoUsername, Secret: sandbox.DemoPassword})
			return r.Code, err
		}, 235},
		{"MAIL", func() (int, error) {
			r, err := st.Command(ctx, "MAIL FROM:<"+sandbox.DemoAddress+">")
			return r.Code, err
		}, 250},
		{"RCPT", func() (int, error) {
			r, err := st.Command(ctx, "RCPT TO:<someone@"+sandbox.MailDomain+">")
			return r.Code, err
		}, 250},
		{"DATA", func() (int, error) { r, err := st.Command(ctx, "DATA"); return r.Code, err }, 354},
		{"end of data", func() (int, error) {
			r, err := st.Data(ctx, strings.NewReader("Subject: t\r\n\r\n.hi\r\n"), -1)
			return r.Code, err
		}, 250},
	}
	for _, s := range steps {
		code, err := s.run()
		if err != nil || code != s.want {
			t.Fatalf("%s: %d, %v; want %d", s.name, code, err, s.want)
		}
	}
	if info := st.TLS(); info == nil || !info.Verified {
		t.Errorf("TLS facts = %+v, want a verified handshake", info)
	}
	if snap := st.Snapshot(); !snap.Authenticated || !snap.TLS {
		t.Errorf("snapshot = %+v, want authenticated inside TLS", snap)
	}
	st.Close()
	st.Close() // a second Close is harmless
	if st.Connected() {
		t.Error("still connected after Close")
	}
	sent := strings.Join(log.texts(KindClient), "\n")
	if !strings.Contains(sent, "QUIT") || strings.Contains(sent, sandbox.DemoPassword) {
		t.Errorf("client lines: want QUIT and no secret:\n%s", sent)
	}
	if msgs := srv.Messages(); len(msgs) != 1 {
		t.Errorf("the sandbox received %d messages, want 1", len(msgs))
	}
}

func TestStepperRefusalsAreReplies(t *testing.T) {
	srv := startSandbox(t, "gmail")
	st := NewStepper(Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), SNI: srv.Hostname()}, nil)
	defer st.Close()
	ctx := context.Background()
	if _, err := st.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Hello(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := st.Command(ctx, "MAIL FROM:<"+sandbox.DemoAddress+">")
	if err != nil || r.Code != 530 {
		t.Fatalf("MAIL in clear = %d, %v; want 530 as a reply", r.Code, err)
	}
	if _, err := st.StartTLS(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Hello(ctx); err != nil {
		t.Fatal(err)
	}
	r, err = st.Auth(ctx, AuthRequest{Mechanism: "LOGIN", Username: sandbox.DemoAddress, Secret: sandbox.DemoAccountPassword})
	if err == nil || r.Code != 534 || r.Enhanced.String() != "5.7.9" {
		t.Fatalf("AUTH with the account password = %d %s, %v; want 534 5.7.9 and an error", r.Code, r.Enhanced, err)
	}
}

func TestStepperCertificateAndCancel(t *testing.T) {
	srv := startSandbox(t, "tls-expired")
	st := NewStepper(Config{Address: srv.TLSAddr(), TLSMode: TLSImplicit, RootCAs: srv.RootCAs(), SNI: srv.Hostname()}, nil)
	_, err := st.Open(context.Background())
	var cert *CertificateError
	if !errors.As(err, &cert) || st.TLS() == nil {
		t.Fatalf("Open = %v, TLS %v; want a certificate error with the TLS facts", err, st.TLS())
	}
	st.Close()

	// A silent server: the greeting never comes; cancelling ends the wait.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			defer c.Close()
			buf := make([]byte, 1)
			c.Read(buf) // until the client goes
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	st = NewStepper(Config{Address: ln.Addr().String()}, nil)
	done := make(chan error, 1)
	go func() { _, err := st.Open(ctx); done <- err }()
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("Open of a silent server returned no error")
		}
	case <-time.After(time.Minute):
		t.Fatal("cancelling did not end Open")
	}
	st.Close()
	if _, err := st.Command(context.Background(), "NOOP"); err == nil {
		t.Error("a step after Close did not fail")
	}
}
