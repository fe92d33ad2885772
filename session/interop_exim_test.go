package session_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// The Exim interop suite runs against the Exim that
// scripts/exim-interop.sh starts on loopback; its "env" command prints
// these variables. Exim differs from Postfix where a client can trip:
// its replies carry no enhanced status codes, it offers PIPECONNECT and
// CHUNKING, and its texts are its own.
const (
	envEximAddr     = "SMTPSCOPE_EXIM_ADDR"  // SMTP, STARTTLS offered, AUTH after TLS
	envEximSMTPS    = "SMTPSCOPE_EXIM_SMTPS" // implicit TLS
	envEximCA       = "SMTPSCOPE_EXIM_CA"
	envEximUser     = "SMTPSCOPE_EXIM_USER"
	envEximPassword = "SMTPSCOPE_EXIM_PASSWORD"
	envEximDomain   = "SMTPSCOPE_EXIM_DOMAIN"
	envEximMaildir  = "SMTPSCOPE_EXIM_MAILDIR"
)

// eximMechanisms are the authenticators testdata/exim/exim.conf.in
// defines (exim4-daemon-light has no SCRAM).
var eximMechanisms = []string{"PLAIN", "LOGIN", "CRAM-MD5"}

// requireExim returns the instance (in the shape the Postfix suite's
// helpers take), or skips the test when the suite was not set up.
func requireExim(t *testing.T) postfixEnv {
	t.Helper()
	env := postfixEnv{
		Addr: os.Getenv(envEximAddr), SMTPS: os.Getenv(envEximSMTPS), CAFile: os.Getenv(envEximCA),
		User: os.Getenv(envEximUser), Password: os.Getenv(envEximPassword),
		Domain: os.Getenv(envEximDomain), Maildir: os.Getenv(envEximMaildir),
	}
	if env.Addr == "" {
		t.Skipf("Exim interop suite skipped: %s is not set; run scripts/exim-interop.sh start and eval \"$(scripts/exim-interop.sh env)\" first", envEximAddr)
	}
	for name, v := range map[string]string{envEximSMTPS: env.SMTPS, envEximCA: env.CAFile, envEximUser: env.User,
		envEximPassword: env.Password, envEximDomain: env.Domain} {
		if v == "" {
			t.Fatalf("%s is set but %s is not: eval the whole output of scripts/exim-interop.sh env", envEximAddr, name)
		}
	}
	return env
}

// eximReady connects with STARTTLS required and waits for the EHLO list
// inside TLS.
func eximReady(t *testing.T, env postfixEnv) (*watcher, protocol.Snapshot) {
	t.Helper()
	cfg := env.config(t, env.Addr)
	cfg.AutoHello, cfg.StartTLS = true, session.StartTLSRequire
	w := watch(t, cfg)
	return w, w.ready(true)
}

func TestEximProbe(t *testing.T) {
	env := requireExim(t)
	for _, tc := range []struct {
		name string
		addr string
		mode session.TLSMode
	}{{"starttls", env.Addr, session.TLSNone}, {"implicit TLS", env.SMTPS, session.TLSImplicit}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := env.config(t, tc.addr)
			cfg.TLSMode = tc.mode
			rep, err := session.Probe(context.Background(), cfg)
			if err != nil {
				t.Fatalf("probe: %v", err)
			}
			if rep.TLS == nil || !rep.TLS.Verified || rep.Provider != "Exim" {
				t.Errorf("TLS %+v, provider %q: want verified TLS and Exim recognised", rep.TLS, rep.Provider)
			}
			has := map[string]bool{}
			for _, c := range rep.CapabilitiesTLS {
				has[c.Keyword] = true
				if c.Keyword == "PIPECONNECT" && c.Name == "" {
					t.Error("PIPECONNECT is not explained")
				}
			}
			for _, kw := range []string{"PIPECONNECT", "CHUNKING", "PIPELINING", "AUTH"} {
				if !has[kw] {
					t.Errorf("capabilities inside TLS lack %s: %+v", kw, rep.CapabilitiesTLS)
				}
			}
			if tc.mode == session.TLSNone && len(rep.Changes) == 0 {
				t.Error("no capability change reported across STARTTLS (AUTH appears inside TLS)")
			}
		})
	}
}

// Exim's replies have no enhanced status codes: success and failure are
// read from the basic code alone, and the failure is a ReplyError.
func TestEximAuthWithoutEnhancedCodes(t *testing.T) {
	env := requireExim(t)
	for _, mech := range eximMechanisms {
		t.Run(mech, func(t *testing.T) {
			w, snap := eximReady(t, env)
			if !strings.Contains(strings.Join(snap.Caps.AuthMechanisms(), " "), mech) {
				t.Fatalf("Exim offers AUTH %v, want %s", snap.Caps.AuthMechanisms(), mech)
			}
			w.s.Auth(session.AuthRequest{Mechanism: mech, Username: env.User, Secret: "not-" + env.Password})
			bad := w.replyEvent(protocol.VerbAUTH)
			if bad.Reply.Code != codeAuthFailed || !bad.Reply.Enhanced.IsZero() {
				t.Fatalf("wrong password: %d %s %q, want a bare 535", bad.Reply.Code, bad.Reply.Enhanced, bad.Reply.OneLine())
			}
			failure := w.await("the AUTH failure", func(e session.Event) bool { return e.Kind == session.KindError })
			var re *session.ReplyError
			if !errors.As(failure.Err, &re) || re.Command != protocol.VerbAUTH || re.Reply.Code != codeAuthFailed {
				t.Errorf("failure %v: want a ReplyError for AUTH", failure.Err)
			}
			w.s.Auth(session.AuthRequest{Mechanism: mech, Username: env.User, Secret: env.Password})
			if ok := w.reply(protocol.VerbAUTH); ok.Code != codeAuthOK {
				t.Fatalf("right password: %d %q", ok.Code, ok.OneLine())
			}
			w.awaitSnapshot("the authenticated state", func(s protocol.Snapshot) bool { return s.Authenticated })
			assertNoSecrets(t, w, mech, env.User, env.Password, "not-"+env.Password)
		})
	}
}

// With CHUNKING offered, SendMessage sends the message with BDAT; Exim
// takes it and delivers it.
func TestEximSendMessageWithBDAT(t *testing.T) {
	env := requireExim(t)
	w, _ := eximReady(t, env)
	body, marker := interopMessage(env.Domain)
	start := len(w.all())
	w.s.SendMessage(session.Message{From: "sender@" + env.Domain, To: []string{"one@" + env.Domain},
		Body: strings.NewReader(body), Size: int64(len(body))})
	last := w.await("the reply to BDAT LAST", func(e session.Event) bool {
		return e.Kind == session.KindReply && e.Command == protocol.VerbBDAT && e.Reply.Code != codeOK ||
			e.Kind == session.KindProgress && e.Progress.Done
	})
	if last.Kind == session.KindReply {
		t.Fatalf("BDAT refused: %d %s", last.Reply.Code, last.Reply.OneLine())
	}
	bdat := 0
	for _, e := range w.all()[start:] {
		if e.Kind == session.KindClient && strings.HasPrefix(e.Text, "BDAT ") {
			bdat++
		}
		if e.Kind == session.KindClient && e.Text == "DATA" {
			t.Error("DATA was sent although the server offers CHUNKING")
		}
	}
	if bdat == 0 {
		t.Error("no BDAT chunk was sent")
	}
	for _, msg := range env.delivered(t, marker, 1) {
		if !strings.Contains(msg, stuffedLines) {
			t.Errorf("delivered message lost its dotted lines; want %q in:\n%s", stuffedLines, msg)
		}
	}
}
