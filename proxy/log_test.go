package proxy

import (
	"crypto/tls"
	"net/smtp"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/export"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// TestTheLogReadsAsTheApplicationsSessions: a proxy log read back by
// session.ReadJSONL is the applications' side of each connection, and
// smtpscope export rebuilds the delivering one: the server's address, the
// application's TLS and AUTH, the envelope and the message.
func TestTheLogReadsAsTheApplicationsSessions(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	// A first connection that only says hello, then one that delivers.
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("QUIT")
	app.reply()
	w.closed(1)
	body := "From: " + sandbox.DemoAddress + "\r\nSubject: from the log\r\n\r\nhello\r\n"
	if err := sendThroughTo(t, w, true, loginAuth{sandbox.DemoAddress, sandbox.DemoPassword}, sandbox.DemoAddress, "inbox@sandbox.test", body); err != nil {
		t.Fatal(err)
	}
	w.closed(2)

	lines, err := session.ReadJSONL(strings.NewReader(w.log.String()))
	if err != nil {
		t.Fatal(err)
	}
	gens := map[int]bool{}
	for _, l := range lines {
		gens[l.Gen] = true
	}
	if !gens[1] || !gens[2] || len(gens) != 2 {
		t.Errorf("generations %v, want the two connections", gens)
	}
	starttls := 0
	for _, l := range lines {
		if l.Gen == 2 && l.Dir == session.DirClient && l.Text == "STARTTLS" {
			starttls++
		}
	}
	if starttls != 1 { // the application's; smtpscope's own upstream one is left out
		t.Errorf("connection 2 shows %d STARTTLS commands, want the application's one", starttls)
	}

	s := export.FromLines(lines)
	if s.Address() != srv.Addr() || s.Security != export.StartTLS {
		t.Errorf("rebuilt address %s security %s, want %s with STARTTLS", s.Address(), s.Security, srv.Addr())
	}
	if s.Auth == nil || s.Auth.Mechanism != "LOGIN" || s.From != sandbox.DemoAddress || len(s.To) != 1 || s.To[0] != "inbox@sandbox.test" {
		t.Errorf("rebuilt %+v", s)
	}
	if got := strings.ReplaceAll(string(s.Message), "\r\n", "\n"); got != strings.ReplaceAll(body, "\r\n", "\n") {
		t.Errorf("rebuilt message %q, want %q", s.Message, body)
	}
}

func TestTheLogKeepsTheApplicationsTLSMode(t *testing.T) {
	srv := startSandbox(t, "")
	w := startProxy(t, Config{TLSListen: "127.0.0.1:0", Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	conn, err := tls.Dial("tcp", w.TLSAddr(), w.appTLS("localhost"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := smtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Auth(smtp.PlainAuth("", sandbox.DemoAddress, sandbox.DemoPassword, "127.0.0.1")); err != nil {
		t.Fatal(err)
	}
	c.Quit()
	w.closed(1)
	lines, err := session.ReadJSONL(strings.NewReader(w.log.String()))
	if err != nil {
		t.Fatal(err)
	}
	// The greeting came before smtpscope's STARTTLS upstream: the
	// application's leg was in TLS already, and that is what it chose.
	if s := export.FromLines(lines); s.Security != export.ImplicitTLS || s.Address() != srv.Addr() {
		t.Errorf("rebuilt %s at %s, want implicit TLS at %s", s.Security, s.Address(), srv.Addr())
	}
	if !strings.Contains(w.log.String(), `"upstream_tls":true`) {
		t.Error("no relayed line says it crossed the upstream leg in TLS")
	}
}
