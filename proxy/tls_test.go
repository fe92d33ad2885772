package proxy

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/session"
)

func TestTLSSpokenToTheSTARTTLSPortIsExplained(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	conn, err := net.DialTimeout("tcp", w.Addr(), testGuard)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tc := tls.Client(conn, w.appTLS("localhost"))
	tc.SetDeadline(time.Now().Add(testGuard))
	err = tc.Handshake()
	if err == nil || !strings.Contains(err.Error(), "first record does not look like a TLS handshake") {
		t.Errorf("the application's handshake failed with %v, want the plain greeting to break it as a real STARTTLS port does", err)
	}
	e := w.until("explanation", kindText(session.KindError, "started a TLS handshake on the STARTTLS listener"))
	for _, want := range []string{"wrong version number", "set the application to STARTTLS", "--downstream-tls-listen"} {
		if !strings.Contains(strings.ToLower(e.Text), strings.ToLower(want)) {
			t.Errorf("explanation %q does not say %q", e.Text, want)
		}
	}
	w.closed(1)
}

func TestPlainSMTPToTheImplicitTLSListenerIsExplained(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{TLSListen: "127.0.0.1:0", PlainClientWait: 20 * time.Millisecond,
		TLSHandshakeTimeout: testGuard, Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	// An application set for STARTTLS waits for a greeting that never comes.
	waiting := dialApp(t, w.TLSAddr())
	e := w.until("waiting note", kindText(session.KindWarning, "waiting for a plain SMTP greeting"))
	if !strings.Contains(e.Text, w.Addr()) {
		t.Errorf("note %q does not name the STARTTLS listener", e.Text)
	}
	waiting.c.Close()
	// One that talks first gets its plain text named.
	talker := dialApp(t, w.TLSAddr())
	talker.writeline("EHLO app.test")
	w.until("plain text explanation", kindText(session.KindError, `sent plain text ("EHLO`))
}

func TestApplicationRefusingSmtpscopesCertificateIsExplained(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	c, err := smtp.Dial(w.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// The application trusts only the system roots, as most do.
	err = c.StartTLS(&tls.Config{ServerName: "localhost", RootCAs: x509.NewCertPool()})
	if err == nil {
		t.Fatal("the handshake succeeded without trusting smtpscope's CA")
	}
	e := w.until("explanation", kindText(session.KindError, "refused smtpscope's certificate"))
	if !strings.Contains(e.Text, "--ca-out") {
		t.Errorf("explanation %q does not say how to trust the CA", e.Text)
	}
}

func TestUpstreamCertificateIsVerified(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: x509.NewCertPool()}})
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	got := app.expect("421 4.7.0")
	if !strings.Contains(got, "not trusted") {
		t.Errorf("the application got %q", got)
	}
	e := w.until("error", kindText(session.KindError, "certificate is not trusted"))
	for _, want := range []string{"--ca FILE", "--insecure"} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("error %q does not mention %s", e.Text, want)
		}
	}
}

func TestInsecureUpstreamIsSaidLoudly(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: x509.NewCertPool(), Insecure: true}})
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	app.reply()
	w.until("insecure warning", kindText(session.KindWarning, "NOT verified (--insecure)"))
	e := w.until("upstream TLS", func(e Event) bool { return e.Kind == session.KindTLS && e.Leg == LegUpstream })
	if e.TLSInfo.Verified || !e.TLSInfo.Insecure {
		t.Errorf("TLS info %+v", e.TLSInfo)
	}
}

func TestUpstreamTLSModeMismatchesAreExplained(t *testing.T) {
	srv := startSandbox(t, "")
	t.Run("plain to an implicit TLS port", func(t *testing.T) {
		// The TLS server waits for a ClientHello, smtpscope for a greeting.
		w := startProxy(t, Config{PlainClientWait: 10 * time.Millisecond, Upstream: session.Config{Address: srv.TLSAddr(), RootCAs: srv.RootCAs(),
			Timeouts: session.Timeouts{Banner: 200 * time.Millisecond}}})
		app := dialApp(t, w.Addr())
		w.until("early hint", kindText(session.KindWarning, "run smtpscope proxy with --upstream-tls"))
		if got := app.expect("421"); !strings.Contains(got, "--upstream-tls") {
			t.Errorf("the application got %q", got)
		}
		w.until("explanation", kindText(session.KindError, "--upstream-tls"))
	})
	t.Run("implicit TLS to a plain port", func(t *testing.T) {
		w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), TLSMode: session.TLSImplicit}})
		app := dialApp(t, w.Addr())
		if got := app.expect("421"); !strings.Contains(got, "plain SMTP") {
			t.Errorf("the application got %q", got)
		}
		w.until("explanation", kindText(session.KindError, "drop --upstream-tls"))
	})
}

func TestImplicitTLSUpstreamWithSTARTTLSFromTheApplication(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.TLSAddr(), RootCAs: srv.RootCAs(), TLSMode: session.TLSImplicit}})
	c, err := smtp.Dial(w.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not offered to the application")
	}
	if err := c.StartTLS(w.appTLS("localhost")); err != nil {
		t.Fatal(err)
	}
	if err := c.Auth(smtp.PlainAuth("", "demo", "demo-password", "127.0.0.1")); err != nil {
		t.Fatal(err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
	e := w.closed(1)
	if e.Info.App.TLS == nil || e.Info.UpstreamLeg.TLS == nil || !e.Info.UpstreamLeg.TLS.Verified || !e.Info.Authenticated {
		t.Errorf("connection summary %+v", e.Info)
	}
	// Upstream leg: no STARTTLS was ever sent there.
	for _, ev := range w.events() {
		if ev.Kind == session.KindClient && ev.Leg != LegApp && ev.Text == "STARTTLS" {
			t.Errorf("STARTTLS went upstream on an implicit-TLS leg")
		}
	}
}
