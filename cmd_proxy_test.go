package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

func TestProxyUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"proxy"}, "give --upstream HOST[:PORT]"},
		{[]string{"proxy", "--upstream", "mx.example.com:99999"}, "is not a number from 1 to"},
		{[]string{"proxy", "--upstream", "smtp://mx.example.com"}, "is not HOST[:PORT]"},
		{[]string{"proxy", "--upstream", "mx.example.com", "--upstream-starttls", "maybe"}, "use auto, require or off"},
		{[]string{"proxy", "--upstream", "mx.example.com", "--theme", "nope"}, "dark"},
		{[]string{"proxy", "--upstream", "mx.example.com", "--max-conns", "0"}, "not --max-conns 0"},
		{[]string{"proxy", "--upstream", "mx.example.com", "--listen", "2525"}, "address \"2525\" is not HOST:PORT"},
		{[]string{"proxy", "--upstream", "mx.example.com", "--ca", "/nonexistent/ca.pem"}, "--ca file"},
		{[]string{"proxy", "--upstream", "mx.example.com", "--timeout", "-1s"}, "must be positive"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, strings.NewReader(""), &out, &errb)
		if code != exitUsage || !strings.Contains(out.String()+errb.String(), tc.want) {
			t.Errorf("smtpscope %v: exit %d, output %q; want exit %d and %q", tc.args, code, out.String()+errb.String(), exitUsage, tc.want)
		}
	}
}

func TestProxyUpstreamAddress(t *testing.T) {
	for _, tc := range []struct {
		in       string
		implicit bool
		want     string
	}{
		{"smtp.example.com", false, "smtp.example.com:587"},
		{"smtp.example.com", true, "smtp.example.com:465"},
		{"smtp.example.com:25", false, "smtp.example.com:25"},
		{"::1", false, "[::1]:587"},
		{"[::1]:2525", false, "[::1]:2525"},
	} {
		got, err := proxyUpstreamAddress(tc.in, tc.implicit)
		if err != nil || got != tc.want {
			t.Errorf("proxyUpstreamAddress(%q, %v) = %q, %v; want %q", tc.in, tc.implicit, got, err, tc.want)
		}
	}
	cfg, err := proxyConfig(proxyOptions{upstream: "smtp.example.com:465", upstreamSTLS: "auto", maxConns: 1})
	if err != nil || cfg.Upstream.TLSMode != session.TLSImplicit {
		t.Errorf("port 465 is not implicit TLS: %+v, %v", cfg.Upstream, err)
	}
}

// TestProxyHeadless runs `smtpscope proxy` without a terminal against the
// sandbox, sends a message through it with STARTTLS and AUTH, and checks
// the printed transcript, the log and the saved CA.
func TestProxyHeadless(t *testing.T) {
	saved := stdioIsTerminal
	stdioIsTerminal = func() bool { return false }
	t.Cleanup(func() { stdioIsTerminal = saved })
	srv, err := sandbox.Start(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	upCA, caOut, logFile := filepath.Join(dir, "upstream-ca.pem"), filepath.Join(dir, "ca.pem"), filepath.Join(dir, "log.jsonl")
	if err := os.WriteFile(upCA, srv.CACertificatePEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"proxy", "--upstream", srv.Addr(), "--ca", upCA, "--listen", "127.0.0.1:0",
			"--ca-out", caOut, "--log", logFile}, strings.NewReader(""), pw, pw)
		pw.Close()
	}()
	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var out []string
	next := func(what string, ok func(string) bool) string {
		t.Helper()
		guard := time.NewTimer(cmdTestGuard)
		defer guard.Stop()
		for {
			select {
			case l, more := <-lines:
				if !more {
					t.Fatalf("output ended before %s:\n%s", what, strings.Join(out, "\n"))
				}
				out = append(out, l)
				if ok(l) {
					return l
				}
			case <-guard.C:
				t.Fatalf("no %s in:\n%s", what, strings.Join(out, "\n"))
			}
		}
	}
	listening := next("listen address", func(l string) bool { return strings.HasPrefix(l, "listening on ") })
	addr := strings.Fields(strings.TrimPrefix(listening, "listening on "))[0]
	next("CA file note", func(l string) bool { return strings.Contains(l, "CA certificate written to "+caOut) })

	pem, err := os.ReadFile(caOut)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.StartTLS(&tls.Config{ServerName: "localhost", RootCAs: pool}); err != nil {
		t.Fatal(err)
	}
	if err := c.Auth(smtp.PlainAuth("", sandbox.DemoAddress, sandbox.DemoPassword, "127.0.0.1")); err != nil {
		t.Fatal(err)
	}
	c.Quit()
	next("end of the connection", func(l string) bool { return strings.Contains(l, "connection closed (application TLS") })
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d", code)
		}
	case <-time.After(cmdTestGuard):
		t.Fatal("the proxy did not stop when cancelled")
	}
	for l := range lines {
		out = append(out, l)
	}
	all := strings.Join(out, "\n")
	for _, want := range []string{"C: EHLO", "app     S: 220 ", "C: AUTH PLAIN ●●●●●●●●", "S: 235", "stopped; 1 connections"} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %q:\n%s", want, all)
		}
	}
	logData, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(all, sandbox.DemoPassword) || strings.Contains(string(logData), sandbox.DemoPassword) {
		t.Error("the password shows in the output or the log")
	}
	var rec session.JSONLine
	first, _, _ := strings.Cut(string(logData), "\n")
	if err := json.Unmarshal([]byte(first), &rec); err != nil || rec.Conn != 1 || rec.Time == "" {
		t.Errorf("first log line %q: %+v, %v", first, rec, err)
	}
	if st, err := os.Stat(logFile); err != nil || st.Mode().Perm() != privateMode {
		t.Errorf("log file mode %v, %v", st.Mode(), err)
	}
}

func TestDownstreamCAIsKeptAcrossRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ca-with-key.pem")
	first, created, err := loadDownstreamCA(path)
	if err != nil || !created {
		t.Fatalf("first run: created %v, %v", created, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != privateMode {
		t.Errorf("the CA with its key is mode %v, want %v", st.Mode().Perm(), os.FileMode(privateMode))
	}
	second, created, err := loadDownstreamCA(path)
	if err != nil || created || second.Fingerprint() != first.Fingerprint() {
		t.Fatalf("second run: created %v, %v, same CA %v", created, err, err == nil && second.Fingerprint() == first.Fingerprint())
	}
	os.WriteFile(path, []byte("not a CA"), privateMode)
	if _, _, err := loadDownstreamCA(path); err == nil || !strings.Contains(err.Error(), "delete the file") {
		t.Errorf("a broken file: %v", err)
	}
}
