package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/sandbox"
)

// testGuard bounds every wait of these tests; it is no timing assertion.
const testGuard = 10 * time.Second

// countingListener accepts connections on loopback and counts them, for
// tests that check that nothing was sent before a usage error.
func countingListener(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().String(), &n
}

func runCmd(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// Every user value that goes on the wire is checked before any connection:
// a CR LF in --helo would inject a second command.
func TestBadFlagValuesAreUsageErrorsBeforeConnecting(t *testing.T) {
	saved := stdioIsTerminal
	stdioIsTerminal = func() bool { return false }
	t.Cleanup(func() { stdioIsTerminal = saved })
	addr, accepted := countingListener(t)
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	os.WriteFile(notPEM, []byte("hello, I am not a certificate\n"), 0o600)
	huge := filepath.Join(dir, "huge.pem")
	os.WriteFile(huge, bytes.Repeat([]byte("A"), 5<<20), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"probe", addr, "--helo", "client.test\r\nRCPT TO:<injected@example>"}, "line break"},
		{[]string{"connect", addr, "--helo", "client.test\nQUIT"}, "line break"},
		{[]string{"probe", addr, "--helo", "two words"}, "space or control"},
		{[]string{"probe", addr, "--ca", notPEM}, "holds no PEM certificate"},
		{[]string{"probe", addr, "--ca", huge}, "larger than"},
		{[]string{"connect", addr, "--ca", notPEM}, "holds no PEM certificate"},
		{[]string{"probe", "127.0.0.1:25:extra"}, "not an IPv6 address"},
		{[]string{"connect", "127.0.0.1:25:extra"}, "not an IPv6 address"},
		{[]string{"probe", "mail example.com"}, "cannot be a host name"},
	} {
		code, _, stderr := runCmd(c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", c.args, code, stderr, exitUsage, c.want)
		}
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if code, _, stderr := runCmd("probe", addr, "--ca", "/dev/zero"); code != exitUsage || !strings.Contains(stderr, "larger than") {
			t.Errorf("--ca /dev/zero: exit %d, stderr %q", code, stderr)
		}
	}
	if n := accepted.Load(); n != 0 {
		t.Errorf("%d connections were made before the usage errors", n)
	}
}

func TestPasswordCommandIsBoundedAndExplained(t *testing.T) {
	_, err := readSecret(context.Background(), connectOptions{passwordCmd: "exec sleep 30", passwordCmdTimeout: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "did not finish within 100ms") {
		t.Errorf("hanging --password-cmd: %v", err)
	}
	_, err = readSecret(context.Background(), connectOptions{passwordCmd: "echo 'vault: \x1b[31mlocked' >&2; exit 3"})
	if err == nil || !strings.Contains(err.Error(), "vault: ␛[31mlocked") {
		t.Errorf("failing --password-cmd: %v, want its stderr quoted, sanitized", err)
	}
	if got, err := readSecret(context.Background(), connectOptions{passwordCmd: "echo noise >&2; printf 'tok\\n'"}); err != nil || got != "tok" {
		t.Errorf("--password-cmd with stderr noise = %q, %v", got, err)
	}
}

// hostileServer speaks SMTP with escape sequences and bidi controls in
// every text probe reports, and injects bytes after its 220 to STARTTLS
// (the handshake then fails: the probe must still report both).
func hostileServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	const evil = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1b]8;;http://evil.test/\x1b\\x\x1b]8;;\x1b\\\x1b[31m\x00\u202e\xc2\x9b"
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(testGuard))
		r := bufio.NewReader(c)
		c.Write([]byte("220 mx.test " + evil + "\r\n"))
		r.ReadString('\n')
		c.Write([]byte("250-mx.test " + evil + "\r\n250-AUTH PLAIN " + evil + "\r\n250-X-" + evil + " " + evil + "\r\n250 STARTTLS\r\n"))
		r.ReadString('\n')
		c.Write([]byte("220 ready\r\n250 injected " + evil + "\r\n"))
		r.ReadString('\n')
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().String()
}

func TestProbeOutputIsSafeAgainstAHostileServer(t *testing.T) {
	code, out, _ := runCmd("probe", hostileServer(t), "--timeout", "2s")
	if code != exitProbeTLS {
		t.Errorf("exit %d, want %d (the TLS handshake fails)", code, exitProbeTLS)
	}
	for i, line := range strings.Split(out, "\n") {
		if !protocol.IsDisplaySafe(line) {
			t.Errorf("text report line %d is not display-safe: %q", i, line)
		}
	}
	for _, want := range []string{"␛]0;pwned␇", "STARTTLS command-injection"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd("probe", hostileServer(t), "--timeout", "2s", "--json")
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON (exit %d): %v\n%s", code, err, out)
	}
	checkJSONStrings(t, "", doc)
	if _, ok := doc["starttls_injection"]; !ok {
		t.Errorf("JSON lacks starttls_injection: %s", out)
	}
}

// checkJSONStrings fails for every decoded JSON string that is not
// display-safe: the JSON encoder's escaping is not what keeps a consumer
// that prints the values safe.
func checkJSONStrings(t *testing.T, path string, v any) {
	switch x := v.(type) {
	case string:
		if !protocol.IsDisplaySafe(x) {
			t.Errorf("JSON %s = %q is not display-safe", path, x)
		}
	case []any:
		for i, e := range x {
			checkJSONStrings(t, path+"["+string(rune('0'+i%10))+"]", e)
		}
	case map[string]any:
		for k, e := range x {
			checkJSONStrings(t, path+"."+k, e)
		}
	}
}

// A sandbox client chooses the addresses the sandbox command prints.
func TestSandboxEventLinesAreSanitized(t *testing.T) {
	var out bytes.Buffer
	m := &sandbox.Message{ID: 1, From: "a\x1b]0;pwned\x07@x.test", To: []string{"b\u202e@x.test"}, User: "u\x1b[2J"}
	printSandboxEvent(&out, sandbox.Event{Kind: sandbox.EventMessage, Message: m}, true)
	printSandboxEvent(&out, sandbox.Event{Kind: sandbox.EventAuth, User: "\x1b[31mroot", Mechanism: "PLAIN\x07"}, true)
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if !protocol.IsDisplaySafe(line) {
			t.Errorf("line %q is not display-safe", line)
		}
	}
	if !strings.Contains(out.String(), "a␛]0;pwned␇@x.test") {
		t.Errorf("output %q: want the address shown with visible symbols", out.String())
	}
}
