package proxy

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/session"
)

// The Postfix interop suite runs against the Postfix + Dovecot instance
// that scripts/postfix-interop.sh starts on loopback (see docs/interop.md);
// its "env" command prints these variables, and without them the tests
// skip.
const (
	envPostfixAddr       = "SMTPSCOPE_POSTFIX_ADDR"       // plain SMTP, STARTTLS offered
	envPostfixSubmission = "SMTPSCOPE_POSTFIX_SUBMISSION" // submission, STARTTLS required
	envPostfixSMTPS      = "SMTPSCOPE_POSTFIX_SMTPS"      // implicit TLS
	envPostfixCA         = "SMTPSCOPE_POSTFIX_CA"
	envPostfixUser       = "SMTPSCOPE_POSTFIX_USER"
	envPostfixPassword   = "SMTPSCOPE_POSTFIX_PASSWORD"
	envPostfixDomain     = "SMTPSCOPE_POSTFIX_DOMAIN"
	envPostfixMaildir    = "SMTPSCOPE_POSTFIX_MAILDIR"

	deliveryPoll = 50 * time.Millisecond // how often the maildir is looked at
)

type postfixEnv struct {
	mx, submission, smtps, ca, user, password, domain, maildir string
}

func requirePostfix(t *testing.T) postfixEnv {
	t.Helper()
	if os.Getenv(envPostfixAddr) == "" {
		t.Skipf("Postfix interop suite skipped: %s is not set; run scripts/postfix-interop.sh start and eval \"$(scripts/postfix-interop.sh env)\" first", envPostfixAddr)
	}
	e := postfixEnv{
		mx: os.Getenv(envPostfixAddr), submission: os.Getenv(envPostfixSubmission), smtps: os.Getenv(envPostfixSMTPS), ca: os.Getenv(envPostfixCA),
		user: os.Getenv(envPostfixUser), password: os.Getenv(envPostfixPassword),
		domain: os.Getenv(envPostfixDomain), maildir: os.Getenv(envPostfixMaildir),
	}
	if e.submission == "" || e.smtps == "" || e.ca == "" || e.user == "" || e.password == "" || e.domain == "" {
		t.Fatalf("%s is set but not the rest: eval the whole output of scripts/postfix-interop.sh env", envPostfixAddr)
	}
	return e
}

// marker returns a unique word to find a message in the maildir by.
func marker(t *testing.T) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "smtpscope-proxy-" + hex.EncodeToString(b)
}

// delivered waits for a message holding marker in the maildir; "" when
// the maildir is not set or not readable (delivery is then not checked).
func (e postfixEnv) delivered(t *testing.T, marker string) string {
	t.Helper()
	if e.maildir == "" {
		t.Logf("%s is not set: delivery not checked", envPostfixMaildir)
		return ""
	}
	for deadline := time.Now().Add(testGuard); time.Now().Before(deadline); time.Sleep(deliveryPoll) {
		for _, sub := range []string{"new", "cur"} {
			entries, _ := os.ReadDir(filepath.Join(e.maildir, sub))
			for _, ent := range entries {
				data, err := os.ReadFile(filepath.Join(e.maildir, sub, ent.Name()))
				if errors.Is(err, fs.ErrPermission) {
					t.Logf("cannot read the maildir (%v): delivery not checked", err)
					return ""
				}
				if err == nil && strings.Contains(string(data), marker) {
					return string(data)
				}
			}
		}
	}
	t.Fatalf("no message with %s delivered to %s within %s (see the Postfix log beside it)", marker, e.maildir, testGuard)
	return ""
}

func TestPostfixThroughTheProxy(t *testing.T) {
	env := requirePostfix(t)
	for _, tc := range []struct {
		name        string
		addr        string
		implicit    bool
		upstreamOff bool // --upstream-starttls=off
		appSTARTTLS bool
		auth        smtp.Auth
	}{
		{"MX port, plain on both legs, no AUTH", env.mx, false, true, false, nil},
		{"submission, STARTTLS on both legs, PLAIN", env.submission, false, false, true, smtp.PlainAuth("", env.user, env.password, "127.0.0.1")},
		{"submission, STARTTLS upstream only, LOGIN", env.submission, false, false, false, loginAuth{env.user, env.password}},
		{"smtps, implicit TLS upstream, LOGIN", env.smtps, true, false, true, loginAuth{env.user, env.password}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := session.Config{Address: tc.addr, CAFile: env.ca}
			if tc.implicit {
				up.TLSMode = session.TLSImplicit
			}
			if tc.upstreamOff {
				up.StartTLS = session.StartTLSOff
			}
			w := startProxy(t, Config{Upstream: up})
			m := marker(t)
			body := "From: <" + env.user + ">\r\nTo: <inbox@" + env.domain + ">\r\nSubject: " + m + "\r\n\r\n" +
				"first line\r\n.leading dot survives\r\n.\r\nafter a lone dot\r\n"
			if err := sendThroughTo(t, w, tc.appSTARTTLS, tc.auth, env.user, "inbox@"+env.domain, body); err != nil {
				t.Fatalf("%v\n%s", err, w.dump())
			}
			e := w.closed(1)
			upTLS := e.Info.UpstreamLeg.TLS
			if e.Info.Authenticated != (tc.auth != nil) || e.Info.Messages != 1 || (upTLS == nil) != tc.upstreamOff || (upTLS != nil && !upTLS.Verified) {
				t.Errorf("summary %+v", e.Info)
			}
			if !tc.appSTARTTLS && tc.auth != nil {
				w.until("AUTH without TLS advice", kindText(session.KindWarning, "sent AUTH without TLS"))
			}
			assertNoSecret(t, w, 1, env.password)
			if got := env.delivered(t, m); got != "" {
				want := strings.ReplaceAll(body[strings.Index(body, "\r\n\r\n")+4:], "\r\n", "\n")
				if !strings.Contains(got, want) {
					t.Errorf("delivered message does not end with the body sent; want %q in:\n%s", want, got)
				}
			}
		})
	}
}

// sendThroughTo is sendThrough with the recipient given.
func sendThroughTo(t *testing.T, w *watched, tls bool, auth smtp.Auth, from, to, body string) error {
	t.Helper()
	c, err := smtp.Dial(w.Addr())
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("app.test"); err != nil {
		return err
	}
	if tls {
		if err := c.StartTLS(w.appTLS("localhost")); err != nil {
			return err
		}
	}
	if auth != nil {
		if err := c.Auth(auth); err != nil {
			return err
		}
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	wc, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := wc.Write([]byte(body)); err != nil {
		return err
	}
	if err := wc.Close(); err != nil {
		return err
	}
	return c.Quit()
}
