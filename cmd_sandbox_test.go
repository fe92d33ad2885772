package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/sandbox"
)

// cmdTestGuard bounds waits in these tests; it only stops a hang.
const cmdTestGuard = 10 * time.Second

func TestSandboxCmdListsScenarios(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"sandbox", "--scenario", "list"}, strings.NewReader(""), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, s := range sandbox.Scenarios() {
		if !strings.Contains(out.String(), s.Name+" ") || !strings.Contains(out.String(), s.Description) {
			t.Errorf("list lacks %s: %s", s.Name, out.String())
		}
	}
}

func TestSandboxCmdUnknownScenario(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"sandbox", "--scenario", "hotmail"}, strings.NewReader(""), &out, &errOut)
	if code != exitUsage || !strings.Contains(errOut.String(), "--scenario list") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

// TestSandboxCmdServes runs the command, sends it a message and stops it
// by cancelling its context, as Ctrl-C does.
func TestSandboxCmdServes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sandbox", "--scenario", "gmail"}, strings.NewReader(""), pw, &errOut)
		pw.Close()
	}()

	var addr string
	var intro []string
	for addr == "" {
		l := nextLine(t, lines)
		intro = append(intro, l)
		if rest, ok := strings.CutPrefix(l, "listening on "); ok {
			addr, _, _ = strings.Cut(rest, " ")
		}
	}
	for !strings.HasPrefix(intro[len(intro)-1], "mail is accepted") {
		intro = append(intro, nextLine(t, lines))
	}
	text := strings.Join(intro, "\n")
	for _, want := range []string{"scenario gmail", "demo-password", "account-password", "534 5.7.9"} {
		if !strings.Contains(text, want) {
			t.Errorf("intro lacks %q:\n%s", want, text)
		}
	}

	sendGmailMessage(t, addr)
	if l := nextLine(t, lines); !strings.Contains(l, "message #1 from <a@sandbox.test> to <b@sandbox.test>") {
		t.Errorf("message line %q", l)
	}
	cancel()
	if l := nextLine(t, lines); l != "stopped; messages received: 1" {
		t.Errorf("last line %q", l)
	}
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d: %s", code, errOut.String())
		}
	case <-time.After(cmdTestGuard):
		t.Fatal("sandbox did not stop")
	}
}

// sendGmailMessage sends one message the way the gmail scenario wants it:
// STARTTLS, EHLO again, AUTH with the demo app password, the transaction.
func sendGmailMessage(t *testing.T, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, cmdTestGuard)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(cmdTestGuard))
	r := bufio.NewReader(conn)
	expect := func(code string) {
		t.Helper()
		for {
			l, err := r.ReadString('\n')
			if err != nil || !strings.HasPrefix(l, code) {
				t.Fatalf("got %q (%v), want %s", l, err, code)
			}
			if l[3] == ' ' {
				return
			}
		}
	}
	expect("220")
	for _, step := range []struct{ line, code string }{
		{"EHLO c.test", "250"}, {"STARTTLS", "220"},
	} {
		io.WriteString(conn, step.line+"\r\n")
		expect(step.code)
	}
	tc := tlsClient(conn)
	r = bufio.NewReader(tc)
	conn = tc
	for _, step := range []struct{ line, code string }{
		{"EHLO c.test", "250"},
		{"AUTH PLAIN AGRlbW8AZGVtby1wYXNzd29yZA==", "235"},
		{"MAIL FROM:<a@sandbox.test>", "250"},
		{"RCPT TO:<b@sandbox.test>", "250"},
		{"DATA", "354"},
		{"Subject: hi\r\n\r\nhello\r\n.", "250"},
		{"QUIT", "221"},
	} {
		io.WriteString(conn, step.line+"\r\n")
		expect(step.code)
	}
}

func nextLine(t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatal("output ended")
		}
		return l
	case <-time.After(cmdTestGuard):
		t.Fatal("no output")
	}
	return ""
}

func TestIsLoopbackListen(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:0":    true,
		"[::1]:2525":     true,
		"localhost:25":   true,
		"0.0.0.0:2525":   false,
		":2525":          false,
		"192.0.2.7:25":   false,
		"[::]:25":        false,
		"mail.test:25":   false,
		"not an address": false,
	} {
		if got := isLoopbackListen(addr); got != want {
			t.Errorf("isLoopbackListen(%q) = %v, want %v", addr, got, want)
		}
	}
}

// tlsClient runs a TLS handshake without verification: the test checks
// the command's plumbing, and the sandbox tests check the certificate.
func tlsClient(conn net.Conn) *tls.Conn {
	tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true})
	tc.SetDeadline(time.Now().Add(cmdTestGuard))
	return tc
}
