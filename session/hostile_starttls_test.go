package session

import (
	"errors"
	"strings"
	"testing"
)

// refusingServer offers STARTTLS, answers it with refusal, and records
// every line it receives after that on got (closed when the client left).
func refusingServer(t *testing.T, refusal string, offer bool) (string, <-chan string) {
	got := make(chan string, 16)
	addr := serve(t, 1, func(p *peer) {
		defer close(got)
		p.writeline("220 mx.test")
		p.expect("EHLO")
		if offer {
			ehloReply(p, "AUTH PLAIN LOGIN", "STARTTLS")
			p.expect("STARTTLS")
			p.writeline(refusal)
		} else {
			ehloReply(p, "AUTH PLAIN LOGIN")
		}
		for {
			l := p.readline()
			if l == "" {
				return
			}
			got <- l
			switch {
			case strings.HasPrefix(l, "QUIT"):
				p.writeline("221 bye")
				return
			case strings.HasPrefix(l, "AUTH"):
				p.writeline("235 ok")
			default:
				p.writeline("250 ok")
			}
		}
	})
	return addr, got
}

func drainLines(ch <-chan string) []string {
	var out []string
	for l := range ch {
		out = append(out, l)
	}
	return out
}

// A man in the middle who injects a 454 must not get the password: with
// --starttls=require the session sends QUIT and nothing else.
func TestStartTLSRequireFailsClosedWhenRefused(t *testing.T) {
	for _, refusal := range []string{"454 4.7.0 TLS not available", "502 5.5.1 no", "250 ok?"} {
		t.Run(refusal[:3], func(t *testing.T) {
			addr, got := refusingServer(t, refusal, true)
			s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSRequire})
			ev := watch(t, s)
			s.Connect()
			e := ev.until("require error", func(e Event) bool { return e.Kind == KindError && errors.Is(e.Err, ErrTLSRequired) })
			if !strings.Contains(e.Text, "--starttls=require") || e.Downgrade == nil || !e.Downgrade.Refused {
				t.Errorf("error %q (downgrade %+v): want it to name --starttls=require and mark the refusal", e.Text, e.Downgrade)
			}
			ev.until("closed", kind(KindClosed))
			s.Auth(AuthRequest{Mechanism: "PLAIN", Username: "u", Secret: "secret-password", AllowCleartext: true})
			s.Send("MAIL FROM:<a@x.test>")
			ev.finish()
			if lines := drainLines(got); len(lines) != 1 || lines[0] != "QUIT" {
				t.Errorf("after the refusal the server got %q, want QUIT alone", lines)
			}
		})
	}
}

func TestStartTLSRequireStopsWhenNotOffered(t *testing.T) {
	addr, got := refusingServer(t, "", false)
	s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSRequire})
	ev := watch(t, s)
	s.Connect()
	e := ev.until("require error", kind(KindError))
	if !errors.Is(e.Err, ErrTLSRequired) || e.Downgrade == nil || e.Downgrade.Refused {
		t.Errorf("error %v (downgrade %+v): want ErrTLSRequired, marked as not offered", e.Err, e.Downgrade)
	}
	ev.until("closed after QUIT", kind(KindClosed))
	ev.finish()
	if lines := drainLines(got); len(lines) != 1 || lines[0] != "QUIT" {
		t.Errorf("the server got %q, want QUIT alone", lines)
	}
}

// In manual mode the user types the commands; require still holds: only
// greeting commands, STARTTLS, NOOP, RSET and QUIT before TLS, only QUIT
// after a refused STARTTLS.
func TestStartTLSRequireGatesTypedCommands(t *testing.T) {
	addr, got := refusingServer(t, "454 4.7.0 TLS not available", true)
	s := New(Config{Address: addr, StartTLS: StartTLSRequire})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.Send("EHLO client.test")
	ev.until("EHLO reply", replyTo("EHLO"))
	s.Send("AUTH PLAIN AHVAc2VjcmV0LXBhc3N3b3Jk")
	if e := ev.until("refusal", kind(KindError)); !errors.Is(e.Err, ErrTLSRequired) {
		t.Errorf("AUTH before TLS: %v, want ErrTLSRequired", e.Err)
	}
	s.Send("STARTTLS")
	ev.until("STARTTLS reply", replyTo("STARTTLS"))
	s.Send("NOOP")
	if e := ev.until("refusal after 454", kind(KindError)); !errors.Is(e.Err, ErrTLSRequired) || !strings.Contains(e.Text, "nothing but QUIT") {
		t.Errorf("NOOP after a refused STARTTLS: %q", e.Text)
	}
	ev.finish()
	if lines := drainLines(got); strings.Join(lines, "|") != "QUIT" {
		t.Errorf("the server got %q after STARTTLS, want QUIT alone", lines)
	}
}

// With auto, a refused or missing STARTTLS is loud, marks the connection,
// and AUTH waits for the user's confirmation before sending anything.
func TestStartTLSAutoDowngradeNeedsCleartextConfirmation(t *testing.T) {
	for _, tc := range []struct {
		name    string
		offer   bool
		refused bool
	}{{"refused", true, true}, {"stripped", false, false}} {
		t.Run(tc.name, func(t *testing.T) {
			addr, got := refusingServer(t, "454 4.7.0 TLS not available", tc.offer)
			s := New(Config{Address: addr, AutoHello: true})
			ev := watch(t, s)
			s.Connect()
			w := ev.until("downgrade warning", func(e Event) bool { return e.Kind == KindWarning && e.Downgrade != nil })
			if w.Downgrade.Refused != tc.refused || !strings.Contains(w.Text, "clear text") {
				t.Errorf("warning %q, downgrade %+v", w.Text, w.Downgrade)
			}
			s.Auth(AuthRequest{Mechanism: "PLAIN", Username: "u", Secret: "secret-password"})
			e := ev.until("refused AUTH", kind(KindError))
			if !errors.Is(e.Err, ErrCleartextAuth) {
				t.Fatalf("AUTH without confirmation: %v, want ErrCleartextAuth", e.Err)
			}
			s.Auth(AuthRequest{Mechanism: "PLAIN", Username: "u", Secret: "secret-password", AllowCleartext: true})
			ev.until("authenticated", textHas(KindInfo, "authenticated"))
			ev.finish()
			lines := drainLines(got)
			if len(lines) != 2 || !strings.HasPrefix(lines[0], "AUTH PLAIN ") || lines[1] != "QUIT" {
				t.Errorf("the server got %q: want one AUTH (the confirmed one), then QUIT", lines)
			}
		})
	}
}
