package session_test

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// Replies to AUTH (RFC 4954 6) and what Postfix adds to them.
const (
	codeAuthOK       = 235 // RFC 4954 6: authentication succeeded
	codeAuthFailed   = 535 // RFC 4954 6: credentials invalid
	enhancedAuthOK   = "2.7.0"
	enhancedBadCreds = "5.7.8" // RFC 4954 6 / RFC 3463 X.7.8
)

// postfixMechanisms are the SASL mechanisms scripts/postfix-interop.sh
// asks Dovecot to offer.
var postfixMechanisms = []string{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256"}

// submission connects to the submission port, upgrades with STARTTLS and
// waits for the EHLO list inside TLS.
func (e postfixEnv) submission(t *testing.T) (*watcher, protocol.Snapshot, protocol.Reply) {
	t.Helper()
	cfg := e.config(t, e.Submission)
	cfg.AutoHello, cfg.StartTLS = true, session.StartTLSRequire
	w := watch(t, cfg)
	greeting := w.reply("")
	return w, w.ready(true), greeting
}

// TestPostfixAuthEveryMechanism authenticates with each mechanism Dovecot
// offers: first with a wrong password (535 5.7.8, explained as Postfix's),
// then with the right one (235), and checks that no secret reached the
// events or the saved transcript.
func TestPostfixAuthEveryMechanism(t *testing.T) {
	env := requirePostfix(t)
	w, snap, _ := env.submission(t)
	offered := snap.Caps.AuthMechanisms()
	for _, m := range postfixMechanisms {
		if !slices.Contains(offered, m) {
			t.Errorf("Postfix offers AUTH %v, want %s among them (see testdata/postfix/dovecot.conf.in)", offered, m)
		}
	}
	w.s.Close()

	for _, mech := range offered {
		t.Run(mech, func(t *testing.T) {
			t.Parallel()
			w, snap, greeting := env.submission(t)
			wrong := "not-" + env.Password

			w.s.Auth(session.AuthRequest{Mechanism: mech, Username: env.User, Secret: wrong})
			failed := w.reply(protocol.VerbAUTH)
			if failed.Code != codeAuthFailed || failed.Enhanced.String() != enhancedBadCreds {
				t.Fatalf("AUTH %s with a wrong password: %d %s %q, want 535 5.7.8", mech, failed.Code, failed.Enhanced, failed.OneLine())
			}
			ex := protocol.Explain(failed, protocol.ExplainContext{
				Command: protocol.VerbAUTH, Host: env.Submission, Greeting: greeting.OneLine(), Caps: &snap.Caps, TLS: true,
			})
			if ex.Provider.ID != protocol.ProviderPostfix || ex.Code != codeAuthFailed || ex.Enhanced != enhancedBadCreds {
				t.Errorf("Explain(535 from Postfix) = provider %q, code %d %s; want postfix, 535 5.7.8", ex.Provider.ID, ex.Code, ex.Enhanced)
			}
			if ex.Summary == "" || len(ex.Actions) == 0 {
				t.Errorf("Explain(535 from Postfix) has no summary or next steps: %+v", ex)
			}

			w.s.Auth(session.AuthRequest{Mechanism: mech, Username: env.User, Secret: env.Password})
			ok := w.reply(protocol.VerbAUTH)
			if ok.Code != codeAuthOK || ok.Enhanced.String() != enhancedAuthOK {
				t.Fatalf("AUTH %s with the right password: %d %s %q, want 235 2.7.0", mech, ok.Code, ok.Enhanced, ok.OneLine())
			}
			w.awaitSnapshot("the authenticated state", func(s protocol.Snapshot) bool { return s.Authenticated })

			assertNoSecrets(t, w, mech, env.User, env.Password, wrong)
		})
	}
}

// TestPostfixAuthStrongestMechanism lets the session choose: with SCRAM
// offered it must not fall back to a mechanism that sends the password.
func TestPostfixAuthStrongestMechanism(t *testing.T) {
	env := requirePostfix(t)
	w, _, _ := env.submission(t)
	w.s.Auth(session.AuthRequest{Username: env.User, Secret: env.Password})
	sent := w.await("the AUTH command", func(e session.Event) bool {
		return e.Kind == session.KindClient && e.Command == protocol.VerbAUTH
	})
	if !strings.HasPrefix(sent.Text, "AUTH SCRAM-SHA-256") {
		t.Errorf("with %v offered the session sent %q, want AUTH SCRAM-SHA-256", postfixMechanisms, sent.Text)
	}
	if r := w.reply(protocol.VerbAUTH); r.Code != codeAuthOK {
		t.Fatalf("AUTH with the strongest mechanism: %d %s", r.Code, r.OneLine())
	}
}

// assertNoSecrets fails when a password, or the username (not asked to be
// shown), appears in any event or in the transcript saved as text or JSON
// lines, plainly or base64-encoded the way SASL sends it.
func assertNoSecrets(t *testing.T, w *watcher, mech, user string, passwords ...string) {
	t.Helper()
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	forbidden := map[string]string{"the username": user, "the username in base64": b64(user)}
	for i, p := range passwords {
		n := strconv.Itoa(i + 1)
		forbidden["password "+n] = p
		forbidden["password "+n+" in base64"] = b64(p)
		forbidden["the PLAIN response with password "+n] = b64("\x00" + user + "\x00" + p)
	}
	check := func(where, text string) {
		for what, s := range forbidden {
			if strings.Contains(text, s) {
				t.Errorf("AUTH %s: %s shows %s: %q", mech, where, what, text)
			}
		}
	}
	for _, e := range w.all() {
		check("an event", e.Text+"\n"+e.Decoded)
	}
	var text, jsonl bytes.Buffer
	if err := w.s.Transcript().WriteText(&text, session.SaveOptions{}); err != nil {
		t.Fatalf("WriteText: %v", err)
	}
	if err := w.s.Transcript().WriteJSONL(&jsonl, session.SaveOptions{}); err != nil {
		t.Fatalf("WriteJSONL: %v", err)
	}
	check("the text transcript", text.String())
	check("the JSONL transcript", jsonl.String())
	if !strings.Contains(text.String(), "AUTH "+mech) {
		t.Errorf("the text transcript does not show the AUTH %s command:\n%s", mech, text.String())
	}
}
