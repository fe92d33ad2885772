package main

import (
	"encoding/base64"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"
)

// rawControlAt returns the position of the first character that must not
// reach a terminal raw (C0 but LF, DEL, C1, bidi controls, invisible
// characters, invalid UTF-8), or -1.
func rawControlAt(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1,
			r < 0x20 && r != '\n', r == 0x7f, r >= 0x80 && r < 0xa0, r == 0xad,
			r >= 0x200b && r <= 0x200d, r >= 0x2028 && r <= 0x202e, r >= 0x2060 && r <= 0x2069, r == 0xfeff:
			return i
		}
		i += n
	}
	return -1
}

// explainHostileShapes are the paste shapes explain reads, each with %s
// where hostile text goes.
var explainHostileShapes = []string{
	"550 5.7.1 %s text", "%s 550 5.7.1", "550-5.7.1 a%s\r\n550 5.7.1 b%s",
	"(535, b'5.7.8 %s x')", "(535, '5.7.8 %s x')", "SMTPAuthenticationError(550, 'a%s')",
	"Remote Server returned '550 5.1.1 %s'",
	"host mx%s.example.com[192.0.2.1] said: 550 5.1.1 x%s (in reply to RCPT%s TO command)",
	"SMTP error from remote mail server after RCPT TO:<a%s@b>: host mx.ex%s.com [192.0.2.1]: 550 x%s",
	"NOQUEUE: reject: RCPT from x[192.0.2.1]: 554 5.7.1 <a%s@b>: Relay access denied; from=<a%s> to=<b> proto=ESMTP helo=<x%s>",
	"334 %s", "5.7.57 SMTP; %s x", "%s", `{"code":550,"message":"%s"}`, "<<< 550 %s\n>>> RCPT TO:<%s>",
	"C: AUTH XOAUTH2 %s\nS: 535 %s", "got response [530 5.7.0 %s]", `"421, ""4.7.0"", %s"`,
	"qmail: Remote_host_said:_550_%s/", "dial tcp: lookup smtp.%s.com: no such host",
	"x509: certificate is valid for %s, not smtp.example.com", "mx.%s.org\nRemote Server returned '550 5.1.1 x'",
	"while talking to mx.%s.com.:\n>>> DATA\n<<< 550 x",
}

// Whatever a paste holds — escape sequences, C1 controls, bidi and
// invisible characters, NUL, invalid UTF-8, the same as Python escapes,
// inside every shape explain reads, in the flags, and inside a base64
// 334 challenge — the text and JSON output and the errors show it as
// visible symbols.
func TestExplainOutputNeverCarriesRawControls(t *testing.T) {
	payloads := []string{"\x1b]0;pwn\x07", "\x1b[31m", "\u202e", "\u2066", "\x00", "\xff", "\xc2\x9b", "\r", "\t", "\x08",
		"\u200b", "\u2028", "\x7f", "\u00ad", "\\x1b", "\\x9b", "\\u202e", "\\x00", "\\r"}
	check := func(in string, args ...string) {
		t.Helper()
		for _, json := range []bool{false, true} {
			a := args
			if json {
				a = append([]string{"--json"}, args...)
			}
			_, out, errOut := runExplainArgs(t, in, a...)
			if json {
				out = strings.ReplaceAll(out, `\`, "") // JSON's own escapes are no raw bytes
			}
			for _, s := range []string{out, errOut} {
				if i := rawControlAt(s); i >= 0 {
					t.Fatalf("explain %q %v: raw control at %d: %q", in, a, i, s[max(0, i-60):min(len(s), i+20)])
				}
			}
		}
	}
	fill := func(shape string, p func() string) string {
		args := make([]any, strings.Count(shape, "%s"))
		for i := range args {
			args[i] = p()
		}
		return fmt.Sprintf(shape, args...)
	}
	for _, shape := range explainHostileShapes {
		for _, p := range payloads {
			in := fill(shape, func() string { return p })
			check(in, "-")
			check("", "--host", "smtp."+p+".example", "--command", "AUTH"+p, "--mechanism", p, in)
		}
	}
	for _, p := range payloads {
		for _, decoded := range []string{`{"status":"401` + p + `","schemes":"` + p + `Bearer","scope":"https://mail.google.com/` + p + `"}`, p + "Username:" + p} {
			check("334 "+base64.StdEncoding.EncodeToString([]byte(decoded)), "-")
		}
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 500; i++ {
		in := fill(explainHostileShapes[rng.Intn(len(explainHostileShapes))], func() string {
			b := make([]byte, rng.Intn(20))
			for k := range b {
				b[k] = byte(rng.Intn(256))
			}
			return string(b)
		})
		check(in, "-")
	}
}

// A paste larger than explain reads is refused after reading at most one
// octet past the bound, saying what to paste instead.
func TestExplainRefusesAHugePaste(t *testing.T) {
	code, _, errOut := runExplainArgs(t, strings.Repeat("550 5.7.1 blocked\n", 10<<20/18), "-")
	if code != exitUsage || !strings.Contains(errOut, "larger than 64 KiB") || !strings.Contains(errOut, "paste the lines around the failure") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}
