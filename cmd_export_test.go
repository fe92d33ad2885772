package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// savedTranscript is a transcript as the TUI saves it (JSON lines): a
// STARTTLS session with AUTH PLAIN, the username hidden, and a message.
const savedTranscript = `{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"note","tls":false,"text":"connecting to smtp.example.com:587"}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"S","tls":false,"text":"220 smtp.example.com ESMTP","code":220}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"C","tls":false,"text":"EHLO laptop.example.org"}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"S","tls":false,"text":"250-smtp.example.com","code":250}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"S","tls":false,"text":"250 STARTTLS","code":250}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"C","tls":false,"text":"STARTTLS"}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"S","tls":false,"text":"220 2.0.0 go ahead","code":220}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"note","tls":true,"text":"TLS handshake complete: TLS 1.3, TLS_AES_128_GCM_SHA256, certificate verified"}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"C","tls":true,"text":"EHLO laptop.example.org"}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"S","tls":true,"text":"250-smtp.example.com","code":250}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"S","tls":true,"text":"250 AUTH PLAIN LOGIN","code":250}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"C","tls":true,"text":"AUTH PLAIN ●●●●●●●● (username and password, redacted)","redacted":true}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"S","tls":true,"text":"235 2.7.0 ok","code":235}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"C","tls":true,"text":"MAIL FROM:<me@example.com>"}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"S","tls":true,"text":"250 2.1.0 ok","code":250}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"C","tls":true,"text":"RCPT TO:<you@example.net>"}
{"time":"2026-01-02T10:00:00Z","gen":1,"dir":"S","tls":true,"text":"550 5.1.1 no such user you@example.net","code":550}
`

func writeTranscript(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "session.jsonl")
	if err := os.WriteFile(path, []byte(savedTranscript), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExportCommand(t *testing.T) {
	file := writeTranscript(t)
	out := filepath.Join(t.TempDir(), "send.py")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"export", "--format", "python", file, "-o", out, "--user", "me@example.com", "--to", "a@example.org,b@example.org"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	py, _ := os.ReadFile(out)
	for _, want := range []string{"smtplib.SMTP(HOST, PORT", "starttls(context=tls_context())", `"me@example.com"`, `PORT = 587`, `HELO = "laptop.example.org"`, `TO = ["a@example.org", "b@example.org"]`} {
		if !strings.Contains(string(py), want) {
			t.Errorf("the script lacks %q:\n%s", want, py)
		}
	}
	for _, want := range []string{"SMTP_PASSWORD", "refused RCPT", "test message"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	stdout.Reset()
	stderr.Reset()
	code = run(context.Background(), []string{"export", "-f", "report", "--hide-addresses", file}, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK || !strings.Contains(stdout.String(), "550 5.1.1") || strings.Contains(stdout.String(), "you@example.net") {
		t.Errorf("report: exit %d, stderr %s\n%s", code, stderr.String(), stdout.String())
	}
	for _, bad := range [][]string{{"export", "--format", "perl", file}, {"export", "--server", "x:99999", file}} {
		stderr.Reset()
		if code := run(context.Background(), bad, strings.NewReader(""), &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", bad, code, exitUsage, stderr.String())
		}
	}
	if code := run(context.Background(), []string{"export", filepath.Join(t.TempDir(), "none.jsonl")}, strings.NewReader(""), &stdout, &stderr); code != exitError {
		t.Errorf("a missing file: exit %d", code)
	}
	stderr.Reset()
	code = run(context.Background(), []string{"export", "-"}, strings.NewReader("not json\n"), &stdout, &stderr)
	if code != exitError || !strings.Contains(stderr.String(), "line 1") {
		t.Errorf("garbage on stdin: exit %d, %q", code, stderr.String())
	}
}

// TestExportCommandSaysWhichFlagGivesTheRecipient: without a recipient in
// the transcript or on the command line, the error names --to.
func TestExportCommandSaysWhichFlagGivesTheRecipient(t *testing.T) {
	var kept []string
	for _, l := range strings.Split(savedTranscript, "\n") {
		if !strings.Contains(l, "RCPT TO") && !strings.Contains(l, "no such user") {
			kept = append(kept, l)
		}
	}
	path := filepath.Join(t.TempDir(), "norcpt.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(kept, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"export", "--format", "python", path}, strings.NewReader(""), &stdout, &stderr)
	if code == exitOK || !strings.Contains(stderr.String(), "no recipient to export; give one with --to ADDRESS") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
}

// TestExportCommandChoosesAConnection: a log of several connections (a
// proxy's, numbered by "conn") exports the last that delivered, says so,
// and --conn picks another; a number the log does not hold is a usage
// error that names the numbers it does.
func TestExportCommandChoosesAConnection(t *testing.T) {
	var log strings.Builder
	for n := 1; n <= 2; n++ {
		for _, l := range strings.Split(strings.TrimSpace(savedTranscript), "\n") {
			l = strings.Replace(l, `"gen":1`, `"conn":`+strconv.Itoa(n)+`,"gen":1`, 1)
			if n == 2 {
				l = strings.Replace(l, "laptop.example.org", "second.example.org", 1)
			}
			log.WriteString(l + "\n")
		}
	}
	path := filepath.Join(t.TempDir(), "proxy.jsonl")
	if err := os.WriteFile(path, []byte(log.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	export := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"export", "--format", "python", "--user", "me@example.com", path}, args...), strings.NewReader(""), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	code, out, errOut := export()
	if code != exitOK || !strings.Contains(out, `HELO = "second.example.org"`) || !strings.Contains(errOut, "the transcript holds 2 connections; this is connection 2") {
		t.Errorf("default: exit %d, stderr %s\n%s", code, errOut, out)
	}
	code, out, errOut = export("--conn", "1")
	if code != exitOK || !strings.Contains(out, `HELO = "laptop.example.org"`) || strings.Contains(errOut, "connections") {
		t.Errorf("--conn 1: exit %d, stderr %s\n%s", code, errOut, out)
	}
	code, _, errOut = export("--conn", "3")
	if code != exitUsage || !strings.Contains(errOut, "numbered 1 to 2") {
		t.Errorf("--conn 3: exit %d, stderr %s", code, errOut)
	}
}
