package proxy

import (
	"encoding/base64"
	"errors"
	"net/smtp"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// loginAuth is AUTH LOGIN for net/smtp, which has only PLAIN and CRAM-MD5.
type loginAuth struct{ user, pass string }

func (a loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }

func (a loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch p := strings.ToLower(string(challenge)); {
	case strings.Contains(p, "user"):
		return []byte(a.user), nil
	case strings.Contains(p, "pass"):
		return []byte(a.pass), nil
	}
	return nil, errors.New("unexpected LOGIN prompt " + string(challenge))
}

// sendThrough logs in with auth through the proxy (STARTTLS when tls)
// and sends one message to the sandbox.
func sendThrough(t *testing.T, w *watched, tls bool, auth smtp.Auth, from, body string) error {
	t.Helper()
	return sendThroughTo(t, w, tls, auth, from, "someone@"+sandbox.MailDomain, body)
}

func TestAuthThroughTheProxyIsDecodedAndRedacted(t *testing.T) {
	for _, tc := range []struct {
		name string
		auth smtp.Auth
	}{
		{"PLAIN", smtp.PlainAuth("", sandbox.DemoAddress, sandbox.DemoPassword, "127.0.0.1")},
		{"LOGIN", loginAuth{sandbox.DemoAddress, sandbox.DemoPassword}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startSandbox(t, "")
			w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
			body := "From: " + sandbox.DemoAddress + "\r\nSubject: auth " + tc.name + "\r\n\r\nhello\r\n"
			if err := sendThrough(t, w, true, tc.auth, sandbox.DemoAddress, body); err != nil {
				t.Fatalf("%v\n%s", err, w.dump())
			}
			e := w.closed(1)
			if !e.Info.Authenticated || e.Info.Mechanism != tc.name || e.Info.Messages != 1 {
				t.Errorf("summary %+v", e.Info)
			}
			if msgs := srv.Messages(); len(msgs) != 1 || string(msgs[0].Data) != body || msgs[0].User == "" {
				t.Errorf("sandbox got %+v", msgs)
			}
			plain := base64.StdEncoding.EncodeToString([]byte("\x00" + sandbox.DemoAddress + "\x00" + sandbox.DemoPassword))
			assertNoSecret(t, w, 1, sandbox.DemoPassword, base64.StdEncoding.EncodeToString([]byte(sandbox.DemoPassword)), plain)
			if tc.name == "LOGIN" {
				// The prompts are decoded for the pane.
				w.until("decoded prompt", func(e Event) bool { return e.Kind == session.KindServer && e.Decoded == "Password:" })
			}
			// The username is not shown unless asked for.
			for _, e := range w.events() {
				if e.Command == "AUTH" && strings.Contains(e.Text+e.Decoded, sandbox.DemoAddress) {
					t.Errorf("the username shows in %q", e.Text)
				}
			}
		})
	}
}

func TestShowUsernameNamesTheUserButNeverTheSecret(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{ShowUsername: true, Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	if err := sendThrough(t, w, true, loginAuth{sandbox.DemoAddress, sandbox.DemoPassword}, sandbox.DemoAddress, "x\r\n"); err != nil {
		t.Fatal(err)
	}
	w.closed(1)
	w.until("username shown", kindText(session.KindClient, `username "`+sandbox.DemoAddress+`"`))
	assertNoSecret(t, w, 1, sandbox.DemoPassword)
}

func TestAuthWithoutTLSIsExplained(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	// net/smtp sends PLAIN without TLS to a loopback server.
	if err := sendThrough(t, w, false, smtp.PlainAuth("", sandbox.DemoUsername, sandbox.DemoPassword, "127.0.0.1"), sandbox.DemoAddress, "x\r\n"); err != nil {
		t.Fatal(err)
	}
	e := w.until("explanation", kindText(session.KindWarning, "sent AUTH without TLS although STARTTLS was offered"))
	if !strings.Contains(e.Text, "upgraded the upstream leg itself") {
		t.Errorf("explanation %q does not say why it worked here", e.Text)
	}
}

func TestUsernameNotTheFullAddressIsExplained(t *testing.T) {
	srv := startSandbox(t, "gmail")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	// Whether the sandbox's Gmail takes "demo" does not matter here: the
	// advice comes as soon as the username is sent.
	_ = sendThrough(t, w, true, loginAuth{sandbox.DemoUsername, sandbox.DemoPassword}, sandbox.DemoAddress, "x\r\n")
	e := w.until("explanation", kindText(session.KindWarning, "has no @domain"))
	if !strings.Contains(e.Text, "Gmail") {
		t.Errorf("explanation %q does not name the provider", e.Text)
	}
}

func TestSenderNotTheAccountIsExplained(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	body := "From: Someone Else <boss@example.com>\r\nSubject: x\r\n\r\nx\r\n"
	if err := sendThrough(t, w, true, smtp.PlainAuth("", sandbox.DemoAddress, sandbox.DemoPassword, "127.0.0.1"), "other@example.com", body); err != nil {
		t.Fatal(err)
	}
	w.until("MAIL FROM advice", kindText(session.KindWarning, "sends as other@example.com in MAIL FROM"))
	w.until("From: advice", kindText(session.KindWarning, "sends as boss@example.com in the From: header"))
}

func TestMechanismNotOfferedIsExplained(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	app.reply()
	app.writeline("AUTH DIGEST-MD5")
	app.reply()
	e := w.until("explanation", kindText(session.KindWarning, "chose AUTH DIGEST-MD5, which the server does not offer"))
	if !strings.Contains(e.Text, "PLAIN") {
		t.Errorf("explanation %q does not list what is offered", e.Text)
	}
}

func TestSASLParts(t *testing.T) {
	b := func(s string) []byte { return []byte(s) }
	for _, tc := range []struct {
		mech, prompt string
		step         int
		raw          []byte
		user, secret string
	}{
		{"PLAIN", "", 0, b("\x00me@x.test\x00pw"), "me@x.test", "pw"},
		{"PLAIN", "", 0, b("admin\x00me\x00pw"), "me", "pw"},
		{"LOGIN", "Username:", 0, b("me"), "me", ""},
		{"LOGIN", "Password:", 1, b("pw"), "", "pw"},
		{"LOGIN", "Who are you?", 0, b("me"), "me", ""},
		{"LOGIN", "And the secret word", 1, b("pw"), "", "pw"},
		{"LOGIN", "", 1, b("pw"), "", "pw"},
		{"CRAM-MD5", "", 0, b("me 0123abcd"), "me", "0123abcd"},
		{"XOAUTH2", "", 0, b("user=me@x.test\x01auth=Bearer tok123\x01\x01"), "me@x.test", "tok123"},
		{"OAUTHBEARER", "", 0, b("n,a=me@x.test,\x01host=x\x01auth=Bearer tok123\x01\x01"), "me@x.test", "tok123"},
		{"SCRAM-SHA-256", "", 0, b("n,,n=me=2Cx,r=nonce"), "me,x", ""},
		{"SCRAM-SHA-256", "", 1, b("c=biws,r=nonce,p=proof"), "", ""},
	} {
		user, secret := saslParts(tc.mech, tc.raw, tc.step, tc.prompt)
		if user != tc.user || secret != tc.secret {
			t.Errorf("%s step %d %q: got %q, %q; want %q, %q", tc.mech, tc.step, tc.raw, user, secret, tc.user, tc.secret)
		}
	}
}
