package export

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/session"
)

// lines builds a transcript from "C: …", "S: …" and "# …" lines; a line
// "gen N" starts generation N.
func lines(text string) []session.Line {
	var out []session.Line
	gen, tls := 1, false
	for _, raw := range strings.Split(strings.TrimSpace(text), "\n") {
		raw = strings.TrimSpace(raw)
		switch {
		case strings.HasPrefix(raw, "gen "):
			gen++
			tls = false
			continue
		case raw == "tls":
			tls = true
			continue
		}
		dir, body, _ := strings.Cut(raw, ":")
		l := session.Line{Gen: gen, TLS: tls, Text: strings.TrimPrefix(body, " ")}
		switch dir {
		case "C":
			l.Dir = session.DirClient
		case "S":
			l.Dir = session.DirServer
		default:
			l.Dir, l.Text = session.DirNote, strings.TrimPrefix(raw, "# ")
		}
		out = append(out, l)
	}
	return out
}

func TestFromLinesFollowsTheDialogue(t *testing.T) {
	cases := []struct {
		name, transcript string
		check            func(t *testing.T, s Session)
	}{
		{"pipelined transaction after a reset", `
			# connecting to mx.example.com:25
			S: 220 mx
			C: EHLO client.example
			S: 250-mx
			S: 250 PIPELINING
			C: MAIL FROM:<old@example.com>
			S: 250 ok
			C: RSET
			S: 250 ok
			C: MAIL FROM:<new@example.com> SIZE=20
			C: RCPT TO:<a@example.net>
			C: RCPT TO:<b@example.net>
			C: DATA
			S: 250 ok
			S: 550 5.1.1 no
			S: 250 ok
			S: 354 go
			C: Subject: hi
			C: 
			C: ..dot
			C: ␉tab
			C: .
			S: 250 queued`, func(t *testing.T, s Session) {
			if s.Address() != "mx.example.com:25" || s.Security != Plain || s.Helo != "client.example" || s.Auth != nil {
				t.Errorf("connection = %+v", s)
			}
			if s.From != "new@example.com" || strings.Join(s.To, ",") != "a@example.net,b@example.net" {
				t.Errorf("envelope = %q → %q", s.From, s.To)
			}
			if string(s.Message) != "Subject: hi\r\n\r\n.dot\r\n\ttab\r\n" {
				t.Errorf("message = %q", s.Message)
			}
			if !strings.Contains(strings.Join(s.Notes, " "), "a@example.net") {
				t.Errorf("notes %q do not mention the refused recipient", s.Notes)
			}
		}},
		{"the delivering connection wins over a later failed one", `
			# connecting to first.example:465
			tls
			S: 220 first
			C: EHLO a
			S: 250 ok
			C: MAIL FROM:<x@example.com>
			S: 250 ok
			C: RCPT TO:<y@example.com>
			S: 250 ok
			C: DATA
			S: 354 go
			C: body
			C: .
			S: 250 ok
			gen 2
			# connecting to second.example:25
			S: 220 second
			C: MAIL FROM:<z@example.com>
			S: 530 auth first`, func(t *testing.T, s Session) {
			if s.Host != "first.example" || s.Security != ImplicitTLS || s.From != "x@example.com" {
				t.Errorf("session = %+v", s)
			}
		}},
		{"STARTTLS, AUTH LOGIN with the username shown, BDAT", `
			# connecting to smtp.example.com:587
			S: 220 hi
			C: EHLO me
			S: 250 STARTTLS
			C: STARTTLS
			S: 220 go ahead
			tls
			# TLS handshake complete: TLS 1.3, X, certificate NOT verified (--insecure)
			C: EHLO me
			S: 250 AUTH LOGIN
			C: AUTH LOGIN
			S: 334 VXNlcm5hbWU6
			C: bWVAZXhhbXBsZS5jb20= (username "me@example.com")
			S: 334 UGFzc3dvcmQ6
			C: ●●●●●●●● (password, redacted)
			S: 235 ok
			C: MAIL FROM:<me@example.com>
			S: 250 ok
			C: RCPT TO:<you@example.com>
			S: 250 ok
			C: BDAT 120 LAST
			# [120 octets of message data]
			S: 250 ok`, func(t *testing.T, s Session) {
			if s.Security != StartTLS || !s.Insecure || s.Auth == nil || s.Auth.Mechanism != "LOGIN" || s.Auth.Username != "me@example.com" {
				t.Errorf("session = %+v auth %+v", s, s.Auth)
			}
			if s.Message != nil || !strings.Contains(s.MessageMissing, "BDAT") {
				t.Errorf("message %q, missing %q", s.Message, s.MessageMissing)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.check(t, FromLines(lines(c.transcript))) })
	}
}

// TestFromLinesConcurrentConnections reads a proxy log's shape: the lines
// of connections that ran at the same time arrive interleaved. However
// they interleave, each connection's dialogue must be followed on its own
// (a reset at every switch once read message content as commands and lost
// the STARTTLS of the connection exported).
func TestFromLinesConcurrentConnections(t *testing.T) {
	delivering := lines(`
		# connecting to smtp.example.com:587
		S: 220 hi
		C: EHLO app.example
		S: 250-smtp.example.com
		S: 250 STARTTLS
		C: STARTTLS
		S: 220 go ahead
		tls
		C: EHLO app.example
		S: 250-smtp.example.com
		S: 250 AUTH PLAIN
		C: AUTH PLAIN ●●●●●●●● (username and password, redacted)
		S: 235 ok
		C: MAIL FROM:<app@example.com>
		S: 250 ok
		C: RCPT TO:<ops@example.org>
		S: 250 ok
		C: DATA
		S: 354 go
		C: Subject: disk full
		C: 
		C: MAIL FROM:<not-a-command@example.com>
		C: ..
		C: .
		S: 250 queued`)
	failing := lines(`
		# connecting to smtp.example.com:587
		S: 220 hi
		C: EHLO other.example
		S: 250 smtp.example.com
		C: MAIL FROM:<other@example.com>
		C: RCPT TO:<x@example.org>
		C: DATA
		S: 250 ok
		S: 550 5.1.1 no such user
		S: 554 no valid recipients`)
	for i := range failing {
		failing[i].Gen = 2
	}
	want := FromLines(delivering)
	if want.Security != StartTLS || want.Auth == nil || want.From != "app@example.com" ||
		string(want.Message) != "Subject: disk full\r\n\r\nMAIL FROM:<not-a-command@example.com>\r\n.\r\n" {
		t.Fatalf("the connection alone reads as %+v, message %q", want, want.Message)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 50 {
		var mixed []session.Line
		a, b := delivering, failing
		for len(a) > 0 || len(b) > 0 {
			if len(b) == 0 || (len(a) > 0 && rng.IntN(2) == 0) {
				mixed, a = append(mixed, a[0]), a[1:]
			} else {
				mixed, b = append(mixed, b[0]), b[1:]
			}
		}
		got := FromLines(mixed)
		if got.Security != want.Security || got.Helo != want.Helo || got.From != want.From ||
			strings.Join(got.To, ",") != strings.Join(want.To, ",") || string(got.Message) != string(want.Message) ||
			got.Auth == nil || got.Auth.Mechanism != want.Auth.Mechanism {
			t.Fatalf("interleaving %d reads as %+v (auth %+v), message %q; alone: %+v", round, got, got.Auth, got.Message, want)
		}
	}
}

// TestFromLinesLeavesOutTheProxysOwnExchange: in a proxy's transcript
// (the one its view saves or exports) the lines only the upstream leg
// carried are smtpscope's own STARTTLS and EHLO with the server; the
// export repeats the application's session, which stayed plain.
func TestFromLinesLeavesOutTheProxysOwnExchange(t *testing.T) {
	tr := lines(`
		# connecting to smtp.example.com:587
		S: 220 hi
		C: EHLO app.example
		S: 250-smtp.example.com
		S: 250 STARTTLS
		C: STARTTLS
		S: 220 go ahead
		C: EHLO app.example
		S: 250-smtp.example.com
		S: 250 AUTH PLAIN
		S: 250-smtp.example.com
		S: 250-STARTTLS
		S: 250 AUTH PLAIN
		C: AUTH PLAIN ●●●●●●●● (username and password, redacted)
		S: 235 ok
		C: MAIL FROM:<app@example.com>
		S: 250 ok
		C: RCPT TO:<ops@example.org>
		S: 250 ok
		C: DATA
		S: 354 go
		C: hello
		C: .
		S: 250 queued`)
	// Lines 3–9 went between smtpscope and the server only (the server's
	// first EHLO answer, smtpscope's STARTTLS and its repeated EHLO);
	// lines 10–12 are the list the application got.
	for i := 3; i <= 9; i++ {
		tr[i].Leg = session.LegUpstream
	}
	for i := 10; i <= 12; i++ {
		tr[i].Leg = session.LegApp
	}
	s := FromLines(tr)
	if s.Security != Plain || s.Auth == nil || string(s.Message) != "hello\r\n" {
		t.Errorf("the application's session reads as %+v (auth %+v), message %q", s, s.Auth, s.Message)
	}
}
