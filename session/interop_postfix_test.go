package session_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// Postfix's own greeting and EHLO facts, as scripts/postfix-interop.sh
// configures them.
const (
	postfixBannerMarker = "ESMTP Postfix"
	codeGreeting        = 220 // RFC 5321 4.2.2
	codeOK              = 250 // RFC 5321 4.2.2
)

func TestPostfixCapabilitiesBeforeAndAfterSTARTTLS(t *testing.T) {
	env := requirePostfix(t)
	w := watch(t, env.config(t, env.Addr))

	banner := w.reply("")
	if banner.Code != codeGreeting || !strings.Contains(banner.OneLine(), postfixBannerMarker) {
		t.Fatalf("greeting = %d %q, want 220 with %q", banner.Code, banner.OneLine(), postfixBannerMarker)
	}
	if p := protocol.DetectProvider(env.Addr, banner.OneLine()); p.ID != protocol.ProviderPostfix {
		t.Errorf("DetectProvider(%q) = %q, want postfix", banner.OneLine(), p.ID)
	}

	w.s.Send("EHLO " + interopHelo)
	before := protocol.ParseEHLO(w.reply(protocol.VerbEHLO))
	if !before.Has("STARTTLS") || before.Has("AUTH") {
		t.Fatalf("EHLO in plain text lists %v; want STARTTLS and no AUTH (smtpd_tls_auth_only)", before.Keywords())
	}

	w.s.StartTLS()
	tlsEvent := w.await("the TLS handshake", func(e session.Event) bool { return e.Kind == session.KindTLS })
	if info := tlsEvent.TLSInfo; !info.Verified || info.VerifyError != "" {
		t.Fatalf("STARTTLS with the interop CA: Verified=%v VerifyError=%q, want verified", info.Verified, info.VerifyError)
	}
	after := protocol.ParseEHLO(w.reply(protocol.VerbEHLO))
	if !after.Has("AUTH") || after.Has("STARTTLS") {
		t.Fatalf("EHLO inside TLS lists %v; want AUTH and no STARTTLS", after.Keywords())
	}

	changes := map[string]string{}
	for _, ch := range protocol.DiffCapabilities(before, after) {
		switch {
		case ch.Added():
			changes[ch.Keyword] = "added"
		case ch.Removed():
			changes[ch.Keyword] = "removed"
		default:
			changes[ch.Keyword] = "changed"
		}
	}
	if changes["AUTH"] != "added" || changes["STARTTLS"] != "removed" {
		t.Errorf("DiffCapabilities before/after STARTTLS = %v, want AUTH added and STARTTLS removed", changes)
	}
	if _, ok := changes["PIPELINING"]; ok {
		t.Errorf("PIPELINING is in the diff (%v) although Postfix lists it both times", changes)
	}

	snap := w.ready(true)
	if !snap.CapsBeforeTLS.Has("STARTTLS") || snap.CapsBeforeTLS.Has("AUTH") || !snap.Caps.Has("AUTH") {
		t.Errorf("snapshot after STARTTLS: caps before TLS %v, now %v; want the plain-text list kept for the diff",
			snap.CapsBeforeTLS.Keywords(), snap.Caps.Keywords())
	}
}

func TestPostfixSTARTTLSVerification(t *testing.T) {
	env := requirePostfix(t)
	tests := []struct {
		name       string
		configure  func(*session.Config)
		verified   bool
		insecure   bool
		errorWords []string // the failure names these, in plain words; nil: no failure
	}{
		{name: "trusted CA pool", configure: func(*session.Config) {}, verified: true},
		{name: "CA file", configure: func(c *session.Config) { c.RootCAs, c.CAFile = nil, env.CAFile }, verified: true},
		{name: "SNI among the names", configure: func(c *session.Config) { c.SNI = "localhost" }, verified: true},
		{
			name:       "unknown authority",
			configure:  func(c *session.Config) { c.RootCAs = nil },
			errorWords: []string{"smtpscope interop throwaway CA", "--ca"},
		},
		{
			name:       "wrong host name",
			configure:  func(c *session.Config) { c.SNI = "wrong.interop.test" },
			errorWords: []string{"wrong.interop.test", "localhost"},
		},
		{
			name:      "insecure",
			configure: func(c *session.Config) { c.RootCAs, c.Insecure = nil, true },
			insecure:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := env.config(t, env.Addr)
			tt.configure(&cfg)
			w := watch(t, cfg)
			w.reply("")
			w.s.Send("EHLO " + interopHelo)
			w.reply(protocol.VerbEHLO)
			w.s.StartTLS()

			info := w.await("the TLS handshake", func(e session.Event) bool { return e.Kind == session.KindTLS }).TLSInfo
			if info.Verified != tt.verified || info.Insecure != tt.insecure {
				t.Errorf("TLS facts: Verified=%v Insecure=%v (%q), want Verified=%v Insecure=%v",
					info.Verified, info.Insecure, info.VerifyError, tt.verified, tt.insecure)
			}
			if len(info.Chain) == 0 || !slices.Contains(info.Chain[0].DNSNames, "localhost") {
				t.Errorf("peer chain %+v: want the leaf for localhost first", info.Chain)
			}

			if tt.errorWords == nil {
				after := protocol.ParseEHLO(w.reply(protocol.VerbEHLO))
				if !after.Has("AUTH") {
					t.Errorf("EHLO after STARTTLS lists %v, want AUTH", after.Keywords())
				}
				return
			}
			// The reason and the command-line fix travel apart (the TUI
			// offers keys instead of flags); together they name both.
			for _, word := range tt.errorWords {
				if said := info.VerifyError + " " + info.VerifyHint; !strings.Contains(said, word) {
					t.Errorf("VerifyError %q, VerifyHint %q: want them to name %q", info.VerifyError, info.VerifyHint, word)
				}
			}
			failure := w.await("the verification failure", func(e session.Event) bool { return e.Kind == session.KindError })
			var certErr *session.CertificateError
			if !errors.As(failure.Err, &certErr) {
				t.Errorf("failure error = %T %v, want a *session.CertificateError", failure.Err, failure.Err)
			}
			if !strings.Contains(failure.Text, "not trusted") || !strings.Contains(failure.Text, info.VerifyError) {
				t.Errorf("failure reads %q, want it to say the certificate is not trusted, and why", failure.Text)
			}
			w.await("the connection closing", func(e session.Event) bool { return e.Kind == session.KindClosed })
			for _, e := range w.all() {
				if e.Kind == session.KindClient && e.TLS {
					t.Errorf("sent %q over a connection whose certificate failed verification", e.Text)
				}
			}
		})
	}
}

func TestPostfixImplicitTLS(t *testing.T) {
	env := requirePostfix(t)
	cfg := env.config(t, env.SMTPS)
	cfg.TLSMode = session.TLSImplicit
	w := watch(t, cfg)

	info := w.await("the TLS handshake", func(e session.Event) bool { return e.Kind == session.KindTLS }).TLSInfo
	if !info.Verified {
		t.Fatalf("implicit TLS on the smtps port: not verified: %s", info.VerifyError)
	}
	greeting := w.await("the greeting", func(e session.Event) bool { return e.Kind == session.KindServer })
	if !greeting.TLS || !strings.HasPrefix(greeting.Text, "220 ") {
		t.Errorf("first server line %q (TLS=%v), want a 220 greeting inside TLS", greeting.Text, greeting.TLS)
	}
	w.reply("")
	w.s.Send("EHLO " + interopHelo)
	caps := protocol.ParseEHLO(w.reply(protocol.VerbEHLO))
	if !caps.Has("AUTH") || caps.Has("STARTTLS") {
		t.Errorf("EHLO on the smtps port lists %v; want AUTH and no STARTTLS", caps.Keywords())
	}
	if snap := w.ready(true); !snap.TLS {
		t.Errorf("snapshot on the smtps port says TLS=false")
	}
}

func TestPostfixSubmissionRequiresSTARTTLS(t *testing.T) {
	env := requirePostfix(t)
	cfg := env.config(t, env.Submission)
	cfg.AutoHello, cfg.StartTLS = true, session.StartTLSRequire
	w := watch(t, cfg)
	snap := w.ready(true)
	if !snap.CapsBeforeTLS.Has("STARTTLS") || !snap.Caps.Has("AUTH") {
		t.Fatalf("submission port: caps before TLS %v, after %v; want STARTTLS, then AUTH",
			snap.CapsBeforeTLS.Keywords(), snap.Caps.Keywords())
	}
	if snap.CapsBeforeTLS.Has("AUTH") {
		t.Errorf("submission port lists AUTH before TLS: %v", snap.CapsBeforeTLS.Keywords())
	}
}

// TestPostfixOutOfSequence sends commands in the wrong order and checks
// that protocol.Check predicted exactly what Postfix answered.
func TestPostfixOutOfSequence(t *testing.T) {
	env := requirePostfix(t)
	tests := []struct {
		name  string
		setup []string // sent first, each must succeed
		line  string
	}{
		{name: "RCPT before MAIL", line: "RCPT TO:<someone@" + env.Domain + ">"},
		{name: "DATA before MAIL", line: "DATA"},
		{name: "nested MAIL", setup: []string{"MAIL FROM:<a@" + env.Domain + ">"}, line: "MAIL FROM:<b@" + env.Domain + ">"},
		{name: "AUTH before STARTTLS", line: "AUTH PLAIN"},
		{name: "SIZE over the limit", line: "MAIL FROM:<a@" + env.Domain + "> SIZE=999999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := env.config(t, env.Addr)
			cfg.AutoHello, cfg.StartTLS = true, session.StartTLSOff
			w := watch(t, cfg)
			snap := w.ready(false)
			for _, line := range tt.setup {
				cmd := protocol.ParseCommand(line)
				w.s.Send(line)
				e := w.replyEvent(cmd.Verb)
				if e.Reply.Code != codeOK {
					t.Fatalf("setup %q: %d %s", line, e.Reply.Code, e.Reply.OneLine())
				}
				snap = w.awaitSnapshot("state "+e.State.String(), func(s protocol.Snapshot) bool { return s.State == e.State })
			}
			cmd := protocol.ParseCommand(tt.line)
			pred := protocol.Check(snap, cmd)
			if pred == nil {
				t.Fatalf("Check(state %s, %q) = nil, want a prediction", snap.State, tt.line)
			}
			w.s.Send(tt.line)
			e := w.replyEvent(cmd.Verb)
			if got := e.Reply; got.Code != pred.Code || got.Enhanced.String() != pred.Enhanced {
				t.Errorf("%q in state %s: Postfix said %d %s %q, Check predicted %s",
					tt.line, snap.State, got.Code, got.Enhanced, got.OneLine(), pred)
			}
			if e.State != snap.State {
				t.Errorf("state after the refused %q = %s, want it unchanged (%s)", tt.line, e.State, snap.State)
			}
		})
	}
}
