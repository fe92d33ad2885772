package proxy

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// Real applications in front of the proxy: swaks (installed by .ci/run
// from Debian's packages) and Python's smtplib. Each test skips, saying
// why, when its tool is missing.

// needTool returns the path of name or skips the test.
func needTool(t *testing.T, name, why string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (%s); .ci/run installs it", name, why)
	}
	return path
}

// caFile writes the proxy's CA certificate where a tool can read it.
func caFile(t *testing.T, w *watched) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "smtpscope-ca.pem")
	if err := os.WriteFile(path, w.CA().CertificatePEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runTool runs a command bounded by testGuard and returns its output.
func runTool(t *testing.T, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestSwaksThroughTheProxy(t *testing.T) {
	swaks := needTool(t, "swaks", "the swaks interop test")
	srv := startSandbox(t, "")
	w := startProxy(t, Config{TLSListen: "127.0.0.1:0", Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	ca := caFile(t, w)
	base := []string{"--auth-user", sandbox.DemoAddress, "--auth-password", sandbox.DemoPassword,
		"--from", sandbox.DemoAddress, "--to", "inbox@" + sandbox.MailDomain, "--tls-verify", "--tls-ca-path", ca}
	runs := []struct {
		name string
		args []string
	}{
		{"STARTTLS, AUTH PLAIN", []string{"--server", w.Addr(), "--tls", "--auth", "PLAIN"}},
		{"STARTTLS, AUTH LOGIN", []string{"--server", w.Addr(), "--tls", "--auth", "LOGIN"}},
		{"implicit TLS listener, AUTH PLAIN", []string{"--server", w.TLSAddr(), "--tlsc", "--auth", "PLAIN"}},
	}
	for i, r := range runs {
		out, err := runTool(t, nil, swaks, append(r.args, base...)...)
		if err != nil {
			t.Fatalf("%s: swaks failed: %v\n%s\nproxy events:\n%s", r.name, err, out, w.dump())
		}
		e := w.closed(uint64(i + 1))
		if !e.Info.Authenticated || e.Info.Messages != 1 || e.Info.App.TLS == nil || e.Info.UpstreamLeg.TLS == nil {
			t.Errorf("%s: summary %+v", r.name, e.Info)
		}
		assertNoSecret(t, w, uint64(i+1), sandbox.DemoPassword, "ZGVtby1wYXNzd29yZA==")
	}
	if n := len(srv.Messages()); n != len(runs) {
		t.Errorf("sandbox got %d messages, want %d", n, len(runs))
	}
	// swaks set for implicit TLS, pointed at the STARTTLS port: OpenSSL's
	// "wrong version number", which the proxy explains.
	out, err := runTool(t, nil, swaks, "--server", w.Addr(), "--tlsc", "--quit-after", "connect")
	if err == nil || !strings.Contains(out, "wrong version number") {
		t.Errorf("swaks --tlsc against the STARTTLS port: %v\n%s", err, out)
	}
	w.until("explanation", kindText(session.KindError, "started a TLS handshake on the STARTTLS listener"))
}

// smtplibScript sends one message the way the Python documentation shows.
const smtplibScript = `
import os, smtplib, ssl, sys
from email.message import EmailMessage
host, port, cafile, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(cafile=cafile)
msg = EmailMessage()
msg["From"] = os.environ["SMTP_USER"]
msg["To"] = "inbox@sandbox.test"
msg["Subject"] = "from smtplib through smtpscope"
msg.set_content("hello from Python\n.a dotted line\n")
if mode == "implicit":
    s = smtplib.SMTP_SSL(host, port, context=ctx, timeout=15)
else:
    s = smtplib.SMTP(host, port, timeout=15)
    s.starttls(context=ctx)
s.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
s.send_message(msg)
s.quit()
`

func TestPythonSmtplibThroughTheProxy(t *testing.T) {
	python := needTool(t, "python3", "the smtplib interop test")
	srv := startSandbox(t, "")
	w := startProxy(t, Config{TLSListen: "127.0.0.1:0", Upstream: session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs()}})
	ca := caFile(t, w)
	env := []string{"SMTP_USER=" + sandbox.DemoAddress, "SMTP_PASSWORD=" + sandbox.DemoPassword}
	for i, listener := range []struct{ mode, addr string }{{"starttls", w.Addr()}, {"implicit", w.TLSAddr()}} {
		host, port, _ := strings.Cut(listener.addr, ":")
		out, err := runTool(t, env, python, "-c", smtplibScript, host, port, ca, listener.mode)
		if err != nil {
			t.Fatalf("%s: smtplib failed: %v\n%s\nproxy events:\n%s", listener.mode, err, out, w.dump())
		}
		e := w.closed(uint64(i + 1))
		if !e.Info.Authenticated || e.Info.Messages != 1 {
			t.Errorf("%s: summary %+v", listener.mode, e.Info)
		}
		assertNoSecret(t, w, uint64(i+1), sandbox.DemoPassword)
	}
	msgs := srv.Messages()
	if len(msgs) != 2 || !strings.Contains(string(msgs[0].Data), "\r\n.a dotted line\r\n") {
		t.Fatalf("sandbox got %d messages: %+v", len(msgs), msgs)
	}
}
