package proxy

import (
	"net/smtp"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/session"
)

// TestNetSMTPThroughProxyToSandbox: Go's net/smtp is the application,
// the sandbox the server; STARTTLS on both legs, AUTH PLAIN, a message.
func TestNetSMTPThroughProxyToSandbox(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	cred := srv.Credentials()[0]
	c, err := smtp.Dial(w.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("app.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not offered to the application")
	}
	if err := c.StartTLS(w.appTLS("localhost")); err != nil {
		t.Fatalf("STARTTLS: %v\n%s", err, w.dump())
	}
	if err := c.Auth(smtp.PlainAuth("", cred.Username, cred.Secret, "127.0.0.1")); err != nil {
		t.Fatalf("AUTH: %v\n%s", err, w.dump())
	}
	body := "From: demo@sandbox.test\r\nTo: x@sandbox.test\r\nSubject: hi\r\n\r\n.leading dot\r\nbye\r\n"
	if err := c.Mail("demo@sandbox.test"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("x@sandbox.test"); err != nil {
		t.Fatal(err)
	}
	wc, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	wc.Write([]byte(body))
	if err := wc.Close(); err != nil {
		t.Fatal(err)
	}
	c.Quit()
	w.closed(1)
	msgs := srv.Messages()
	if len(msgs) != 1 || string(msgs[0].Data) != body {
		t.Fatalf("sandbox got %d messages (%+v), want one with %q", len(msgs), msgs, body)
	}
	t.Log(w.dump())
	if strings.Contains(w.texts(1)+w.log.String(), cred.Secret) {
		t.Error("the secret shows")
	}
}
