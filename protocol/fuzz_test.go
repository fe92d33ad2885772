package protocol

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// Seeds shared by the reply fuzzers: real shapes and hostile ones.
var replySeeds = []string{
	"250",
	"220 mx.example.com ESMTP Postfix\r\n",
	"250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH=LOGIN PLAIN\r\n250 AUTH PLAIN LOGIN\r\n",
	"535-5.7.8 Username and Password not accepted.\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials\r\n",
	"550-The account does not exist.\r\n550 5.1.1 check the address\r\n",
	"554 #5.1.8 bad sender\r\n553 sorry (#5.7.1)\r\n",
	"250-first\r\n251 second\r\n",
	"550 4.2.2 mismatch\n",
	"535 Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\r\n",
	"535 Error: ÇëÊ¹ÓÃÊÚÈ¨Âë\r\n",
	"220 evil\x1b[2J\x00\u202e\u009b banner\r\n",
	"250-a\rb\r\nno code\r\n250 end\r\n",
	"\x16\x03\x01\x00\xa5\x01\x00",
	"699 odd\r\n250OK\r\n",
	"250 " + strings.Repeat("x", 600) + "\r\n",
}

// splitWireLines splits data the way a line reader does: each line keeps
// its LF terminator; the last one may have none.
func splitWireLines(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			out = append(out, data)
			break
		}
		out = append(out, data[:i+1])
		data = data[i+1:]
	}
	return out
}

// stripTerminator removes a CRLF or LF line end; a CR alone is content.
func stripTerminator(b []byte) []byte {
	if !bytes.HasSuffix(b, []byte("\n")) {
		return b
	}
	b = b[:len(b)-1]
	return bytes.TrimSuffix(b, []byte("\r"))
}

func FuzzReplyBuilder(f *testing.F) {
	for _, s := range replySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b ReplyBuilder
		var fed [][]byte // lines of the reply in progress
		for _, line := range splitWireLines(data) {
			done, err := b.Add(line)
			if err != nil {
				if len(fed) != 0 {
					t.Fatalf("error on a continuation line %q: %v", line, err)
				}
				if len(line) >= 3 && isDigit(line[0]) && isDigit(line[1]) && isDigit(line[2]) {
					t.Fatalf("line %q starts with a code but was refused: %v", line, err)
				}
				if b.Len() != 0 {
					t.Fatal("a refused first line left the builder non-empty")
				}
				continue
			}
			fed = append(fed, line)
			if !done {
				continue
			}
			checkReply(t, b.Reply(), fed)
			fed = nil
		}
		if len(fed) > 0 {
			checkReply(t, b.Abort(), fed)
		}
	})
}

// checkReply holds the invariants of a parsed reply against the lines fed.
func checkReply(t *testing.T, r Reply, fed [][]byte) {
	t.Helper()
	if len(r.Lines) != len(fed) {
		t.Fatalf("reply has %d lines, %d were fed", len(r.Lines), len(fed))
	}
	for i, l := range r.Lines {
		if want := string(stripTerminator(fed[i])); l.Raw != want {
			t.Fatalf("line %d Raw = %q, want the bytes received %q", i, l.Raw, want)
		}
		if l.Code != 0 {
			if got := int(l.Raw[0]-'0')*100 + int(l.Raw[1]-'0')*10 + int(l.Raw[2]-'0'); got != l.Code {
				t.Fatalf("line %d Code = %d but the line starts %q", i, l.Code, l.Raw[:3])
			}
		}
		if !utf8.ValidString(l.Text) {
			t.Fatalf("line %d Text %q is not valid UTF-8", i, l.Text)
		}
		if s := Sanitize(l.Text); terminalUnsafe(s) {
			t.Fatalf("Sanitize(%q) = %q keeps terminal controls", l.Text, s)
		}
		if !l.Enhanced.IsZero() && l.Enhanced.Class != 2 && l.Enhanced.Class != 4 && l.Enhanced.Class != 5 {
			t.Fatalf("line %d enhanced code %v has an impossible class", i, l.Enhanced)
		}
	}
	last := r.Lines[len(r.Lines)-1]
	if last.Code != 0 && r.Code != last.Code {
		t.Fatalf("reply Code %d differs from its last line's %d", r.Code, last.Code)
	}
	if r.Class() != ClassOf(r.Code) {
		t.Fatalf("Class() %v disagrees with ClassOf(%d)", r.Class(), r.Code)
	}
	if !r.Enhanced.IsZero() && ClassOf(r.Code) != ClassUnknown && r.Enhanced.Class != r.Code/100 {
		found := false
		for _, d := range r.Diagnostics {
			found = found || d.Kind == DiagEnhancedMismatch
		}
		if !found {
			t.Fatalf("enhanced %v on code %d without a mismatch diagnostic", r.Enhanced, r.Code)
		}
	}
	for _, d := range r.Diagnostics {
		if d.Line < -1 || d.Line >= len(r.Lines) {
			t.Fatalf("diagnostic %+v points at no line", d)
		}
	}
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		"EHLO client.example", "ehlo", "HELO", "MAIL FROM:<a@b.example> SIZE=10 BODY=8BITMIME SMTPUTF8",
		"MAIL FROM: <a@b>", "MAIL FROM:a@b", "mail from:<> ret=hdrs envid=x+2By", "RCPT TO:<c@d> NOTIFY=NEVER,SUCCESS ORCPT=rfc822;c@d",
		`RCPT TO:<"a>b"@c>`, "RCPT TO:<@relay:c@d>", "DATA now", "BDAT 10 LAST", "BDAT", "AUTH PLAIN AGRlbW8AeA==",
		"AUTH", "STARTTLS", "QUIT", "XYZZY", "", "   ", "\x1b[2J", "MAIL FROM:<用户@例子.广告> SMTPUTF8",
		"MAIL FROM:<a@b> BY=10;RT MT-PRIORITY=-9 HOLDUNTIL=x", "NOOP a\rb\n", "\tNOOP",
	} {
		f.Add(s)
	}
	snaps := []Snapshot{
		{State: StateGreeting}, {State: StateGreeted}, {State: StateReady, Extended: true},
		{State: StateMail, Extended: true}, {State: StateRcpt}, {State: StateData, Chunking: true},
		{State: StateGreeted, Refused: true}, {State: StateReady, Authenticated: true, TLS: true},
	}
	f.Fuzz(func(t *testing.T, line string) {
		c := ParseCommand(line)
		if want := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"); c.Raw != want {
			t.Fatalf("Raw = %q, want %q", c.Raw, want)
		}
		if c.Verb != strings.ToUpper(c.Verb) {
			t.Fatalf("Verb %q is not upper case", c.Verb)
		}
		for _, p := range c.Problems {
			if strings.ContainsAny(p.Message, "\x1b\x00\x07\r\n") {
				t.Fatalf("problem %q echoes control bytes", p.Message)
			}
		}
		if c.Known() && len(c.Problems) == 0 {
			// A well-formed command survives its canonical form.
			again := ParseCommand(c.Canonical())
			if again.Verb != c.Verb || again.Path != c.Path || len(again.Params) != len(c.Params) {
				t.Fatalf("Canonical %q of %q parses as %+v", c.Canonical(), line, again)
			}
		}
		for _, s := range snaps {
			if p := Check(s, c); p != nil && (p.Code < 200 || p.Code > 599) {
				t.Fatalf("Check predicted code %d", p.Code)
			}
		}
		m := NewMachine()
		m.Connected()
		m.Received(Reply{Code: 220, Lines: []ReplyLine{{Code: 220, Last: true}}})
		m.Sent(c)
		m.Received(Reply{Code: 250, Lines: []ReplyLine{{Code: 250, Last: true}}})
	})
}

func FuzzParseEHLO(f *testing.F) {
	for _, s := range replySeeds {
		f.Add(s)
	}
	f.Add(gmailEHLOAfterTLS)
	f.Add("250-mx\r\n250-LIMITS RCPTMAX=100 =5 MAILMAX=\r\n250-AUTH=\r\n250-=\r\n250 SIZE -1\r\n")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := ParseReply(text)
		if err != nil {
			return
		}
		c := ParseEHLO(r)
		seen := map[string]bool{}
		for _, cp := range c.List {
			if cp.Keyword == "" || cp.Keyword != strings.ToUpper(cp.Keyword) {
				t.Fatalf("keyword %q is empty or not upper case", cp.Keyword)
			}
			if seen[cp.Keyword] {
				t.Fatalf("keyword %s listed twice", cp.Keyword)
			}
			seen[cp.Keyword] = true
			if !c.Has(cp.Keyword) {
				t.Fatalf("Has(%q) = false for a listed keyword", cp.Keyword)
			}
		}
		if n, ok := c.Size(); n < 0 || (!ok && n != 0) {
			t.Fatalf("Size() = %d, %v", n, ok)
		}
		for _, m := range c.AuthMechanisms() {
			if m != strings.ToUpper(m) {
				t.Fatalf("mechanism %q not upper case", m)
			}
		}
		if d := DiffCapabilities(c, c); len(d) != 0 {
			t.Fatalf("a list differs from itself: %+v", d)
		}
		if d := DiffCapabilities(Capabilities{}, c); len(d) != len(c.List) {
			t.Fatalf("diff from nothing has %d changes for %d keywords", len(d), len(c.List))
		}
		s := Snapshot{State: StateReady, Extended: true, Caps: c}
		for _, sg := range append(Suggest(s), SuggestParams(s, VerbMAIL)...) {
			if sg.Cursor < 0 || sg.Cursor > len(sg.Template) {
				t.Fatalf("suggestion %q has cursor %d outside it", sg.Template, sg.Cursor)
			}
		}
	})
}

func FuzzDotWriter(f *testing.F) {
	f.Add([]byte("a\r\n.\r\nb"), uint8(3))
	f.Add([]byte("\n.\n\r.\r\r\n..\n"), uint8(1))
	f.Add([]byte(""), uint8(0))
	f.Fuzz(func(t *testing.T, body []byte, split uint8) {
		want := DotStuff(body)
		// Any write pattern gives the same output.
		var buf bytes.Buffer
		d := NewDotWriter(&buf)
		step := int(split)%7 + 1
		for i := 0; i < len(body); i += step {
			if _, err := d.Write(body[i:min(i+step, len(body))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("writes of %d bytes give %q, one write %q", step, buf.Bytes(), want)
		}
		// The end marker appears once, at the end; no line ends in a bare LF.
		if i := bytes.Index(want, []byte("\r\n.\r\n")); i >= 0 && i != len(want)-5 {
			t.Fatalf("DotStuff(%q) = %q ends the data early at %d", body, want, i)
		}
		if !bytes.HasSuffix(want, []byte(EndOfData)) {
			t.Fatalf("DotStuff(%q) = %q lacks the end marker", body, want)
		}
		for _, e := range FindBareLineEndings(want) {
			if !e.CR {
				t.Fatalf("DotStuff(%q) = %q has a bare LF at %d", body, want, e.Offset)
			}
		}
		if want := longLines(want); d.LongLines() != want {
			t.Fatalf("LongLines() = %d, want %d for %q", d.LongLines(), want, body)
		}
		if d.BareCR() != countBare(FindBareLineEndings(body), true)-trailingCR(body) {
			t.Fatalf("BareCR() = %d for %q", d.BareCR(), body)
		}
	})
}

func countBare(es []BareEnding, cr bool) int {
	n := 0
	for _, e := range es {
		if e.CR == cr {
			n++
		}
	}
	return n
}

// trailingCR is 1 when body ends with a CR, which the DotWriter completes
// to CRLF instead of counting it.
func trailingCR(body []byte) int {
	if len(body) > 0 && body[len(body)-1] == '\r' {
		return 1
	}
	return 0
}

// longLines counts the over-long lines of dot-stuffed output, the slow way:
// split on CRLF and ignore the transparency dot.
func longLines(wire []byte) int {
	n := 0
	for _, l := range bytes.Split(bytes.TrimSuffix(wire, []byte(EndOfData)), []byte("\r\n")) {
		if bytes.HasPrefix(l, []byte("..")) {
			l = l[1:]
		}
		if len(l) > MaxTextLineOctets-2 {
			n++
		}
	}
	return n
}
