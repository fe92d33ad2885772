package protocol

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func diagKinds(r Reply) []DiagnosticKind {
	out := make([]DiagnosticKind, len(r.Diagnostics))
	for i, d := range r.Diagnostics {
		out[i] = d.Kind
	}
	return out
}

func TestParseReply(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		code     int
		enhanced string
		text     string
		lines    int
		diags    []DiagnosticKind // exactly these kinds, in any order
	}{
		{name: "bare 250", in: "250", code: 250, text: "", lines: 1},
		{name: "bare 250 with space", in: "250 ", code: 250, text: "", lines: 1},
		{name: "simple", in: "250 2.1.0 Ok\r\n", code: 250, enhanced: "2.1.0", text: "Ok", lines: 1},
		{name: "no enhanced", in: "220 mx.example.com ESMTP Postfix", code: 220, text: "mx.example.com ESMTP Postfix", lines: 1},
		{name: "multi-line EHLO", in: "250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 1000\r\n",
			code: 250, text: "mx.example.com\nPIPELINING\nSIZE 1000", lines: 3},
		{name: "enhanced only on last line", in: "550-The account does not exist.\r\n550 5.1.1 Please check the address",
			code: 550, enhanced: "5.1.1", text: "The account does not exist.\nPlease check the address", lines: 2},
		{name: "qmail trailing hash", in: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
			code: 553, enhanced: "5.7.1", text: "sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", lines: 1,
			diags: []DiagnosticKind{DiagQmailEnhanced}},
		{name: "qmail trailing hash with period", in: "451 qq temporary problem (#4.3.0).",
			code: 451, enhanced: "4.3.0", text: "qq temporary problem (#4.3.0).", lines: 1, diags: []DiagnosticKind{DiagQmailEnhanced}},
		{name: "parenthesis that is no code", in: "250 ok (#queued)", code: 250, text: "ok (#queued)", lines: 1},
		{name: "qmail leading hash", in: "554 #5.1.8 bad sender domain", code: 554, enhanced: "5.1.8",
			text: "bad sender domain", lines: 1, diags: []DiagnosticKind{DiagQmailEnhanced}},
		{name: "gmail two spaces", in: "535-5.7.8 Username and Password not accepted. For more information, go to\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1-20020a",
			code: 535, enhanced: "5.7.8", text: "Username and Password not accepted. For more information, go to\nhttps://support.google.com/mail/?p=BadCredentials x1-20020a", lines: 2},
		{name: "enhanced with colon", in: "550 5.7.1: Relay access denied", code: 550, enhanced: "5.7.1", text: "Relay access denied", lines: 1},
		{name: "code mismatch", in: "250-first\r\n251 second", code: 251, text: "first\nsecond", lines: 2,
			diags: []DiagnosticKind{DiagCodeMismatch}},
		{name: "enhanced class mismatch", in: "550 4.2.2 mailbox full", code: 550, enhanced: "4.2.2", text: "mailbox full", lines: 1,
			diags: []DiagnosticKind{DiagEnhancedMismatch}},
		{name: "enhanced inconsistent", in: "550-5.1.1 a\r\n550 5.1.2 b", code: 550, enhanced: "5.1.2", text: "a\nb", lines: 2,
			diags: []DiagnosticKind{DiagEnhancedInconsists}},
		{name: "bare LF line ends", in: "250-a\n250 b\n", code: 250, text: "a\nb", lines: 2,
			diags: []DiagnosticKind{DiagBareLF}},
		{name: "no separator", in: "250OK", code: 250, text: "OK", lines: 1, diags: []DiagnosticKind{DiagNoSeparator}},
		{name: "unusual code", in: "699 what", code: 699, text: "what", lines: 1, diags: []DiagnosticKind{DiagUnusualCode}},
		{name: "8-bit UTF-8", in: "550 Adresse inconnue: réessayez plus tard", code: 550, text: "Adresse inconnue: réessayez plus tard", lines: 1,
			diags: []DiagnosticKind{DiagEightBit}},
		{name: "GBK", in: "535 Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\xb5\xc7\xc2\xbc", code: 535, text: "Error: 请使用授权码登录", lines: 1,
			diags: []DiagnosticKind{DiagDecodedGBK, DiagEightBit}},
		{name: "mojibake", in: "535 Error: ÇëÊ¹ÓÃÊÚÈ¨Âë", code: 535, text: "Error: 请使用授权码", lines: 1,
			diags: []DiagnosticKind{DiagMojibake}},
		{name: "control chars", in: "220 evil\x1b[2Jbanner", code: 220, text: "evil\x1b[2Jbanner", lines: 1,
			diags: []DiagnosticKind{DiagControlChars}},
	}
	for _, tt := range tests {
		r, err := ParseReply(tt.in)
		if err != nil {
			t.Errorf("%s: ParseReply(%q): %v", tt.name, tt.in, err)
			continue
		}
		if r.Code != tt.code || r.Enhanced.String() != tt.enhanced || r.Text() != tt.text || len(r.Lines) != tt.lines {
			t.Errorf("%s: ParseReply(%q) = %d %q %q (%d lines), want %d %q %q (%d)",
				tt.name, tt.in, r.Code, r.Enhanced, r.Text(), len(r.Lines), tt.code, tt.enhanced, tt.text, tt.lines)
		}
		got := diagKinds(r)
		for _, want := range tt.diags {
			if !slices.Contains(got, want) {
				t.Errorf("%s: diagnostics %v, missing %s", tt.name, got, want)
			}
		}
		for _, k := range got {
			if !slices.Contains(tt.diags, k) {
				t.Errorf("%s: unexpected diagnostic %s (%v)", tt.name, k, r.Diagnostics)
			}
		}
	}
}

func TestReplyKeepsRawLines(t *testing.T) {
	in := "250-mx.example.com Hello\r\n250-AUTH=LOGIN PLAIN\r\n250 8BITMIME"
	r := replyOf(t, in)
	if r.Raw() != in {
		t.Errorf("Raw() = %q, want %q", r.Raw(), in)
	}
	if r.Lines[1].Raw != "250-AUTH=LOGIN PLAIN" || r.Lines[1].Last || !r.Lines[2].Last {
		t.Errorf("lines = %+v", r.Lines)
	}
	gbk := "535 \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb"
	if got := replyOf(t, gbk).Lines[0].Raw; got != gbk {
		t.Errorf("GBK line Raw = %q, want the original bytes", got)
	}
}

func TestReplyLineTooLong(t *testing.T) {
	line := "550 " + strings.Repeat("x", MaxReplyLineOctets) + "\r\n"
	var b ReplyBuilder
	done, err := b.Add([]byte(line))
	if err != nil || !done {
		t.Fatalf("Add = %v, %v", done, err)
	}
	if r := b.Reply(); !slices.Contains(diagKinds(r), DiagLineTooLong) {
		t.Errorf("a %d-octet line has diagnostics %v, want line-too-long", len(line), diagKinds(r))
	}
	// Exactly 512 octets with CRLF is allowed.
	ok := "250 " + strings.Repeat("x", MaxReplyLineOctets-6) + "\r\n"
	if _, err := b.Add([]byte(ok)); err != nil {
		t.Fatal(err)
	}
	if r := b.Reply(); slices.Contains(diagKinds(r), DiagLineTooLong) {
		t.Errorf("a %d-octet line was flagged too long", len(ok))
	}
}

func TestReplyBareCR(t *testing.T) {
	var b ReplyBuilder
	if _, err := b.Add([]byte("250 a\rb\r\n")); err != nil {
		t.Fatal(err)
	}
	if r := b.Reply(); !slices.Contains(diagKinds(r), DiagBareCR) {
		t.Errorf("diagnostics %v, want bare-cr", diagKinds(r))
	}
}

func TestReplyBuilderStreaming(t *testing.T) {
	var b ReplyBuilder
	lines := []string{"250-mx\r\n", "250-PIPELINING\r\n", "250 SIZE 10\r\n"}
	for i, l := range lines {
		done, err := b.Add([]byte(l))
		if err != nil {
			t.Fatal(err)
		}
		if done != (i == len(lines)-1) {
			t.Fatalf("line %d: done = %v", i, done)
		}
		if b.Len() != i+1 {
			t.Fatalf("Len() = %d after %d lines", b.Len(), i+1)
		}
	}
	if r := b.Reply(); r.Code != 250 || len(r.Lines) != 3 {
		t.Errorf("reply = %d with %d lines", r.Code, len(r.Lines))
	}
	if b.Len() != 0 {
		t.Error("Reply() did not reset the builder")
	}
	// A continuation without a code is kept and noted.
	b.Add([]byte("250-first\r\n"))
	b.Add([]byte("no code here\r\n"))
	done, err := b.Add([]byte("250 last\r\n"))
	r := b.Reply()
	if !done || err != nil || len(r.Lines) != 3 || !slices.Contains(diagKinds(r), DiagMissingCode) {
		t.Errorf("missing-code reply: done %v err %v lines %d diags %v", done, err, len(r.Lines), diagKinds(r))
	}
	// A dropped connection mid-reply still yields what arrived.
	b.Add([]byte("451-4.3.0 one\r\n"))
	if r := b.Abort(); r.Code != 451 || len(r.Lines) != 1 {
		t.Errorf("Abort() = %d with %d lines, want 451 with 1", r.Code, len(r.Lines))
	}
	if r := b.Abort(); len(r.Lines) != 0 {
		t.Error("Abort on an empty builder returned lines")
	}
}

func TestReplyNotSMTP(t *testing.T) {
	for _, in := range []string{"", "\x16\x03\x01\x02\x00", "HTTP/1.1 400 Bad Request", "2", "25"} {
		var b ReplyBuilder
		if _, err := b.Add([]byte(in + "\r\n")); !errors.Is(err, ErrNotReply) {
			t.Errorf("Add(%q) err = %v, want ErrNotReply", in, err)
		}
	}
	if _, err := ParseReply("250-incomplete"); !errors.Is(err, ErrIncompleteReply) {
		t.Errorf("ParseReply(continuation only) err = %v, want ErrIncompleteReply", err)
	}
	if _, err := ParseReply("250 done\r\n250 extra"); err == nil {
		t.Error("ParseReply accepted text after the last line")
	}
	if _, err := ParseReply("\r\n"); !errors.Is(err, ErrNotReply) {
		t.Errorf("ParseReply(empty) = %v, want ErrNotReply", err)
	}
}

func TestFormatReply(t *testing.T) {
	tests := []struct {
		code     int
		enhanced string
		text     []string
		want     string
	}{
		{250, "", nil, "250 \r\n"},
		{250, "2.0.0", []string{"Ok"}, "250 2.0.0 Ok\r\n"},
		{250, "", []string{"mx", "PIPELINING", "SIZE 10"}, "250-mx\r\n250-PIPELINING\r\n250 SIZE 10\r\n"},
		{535, "5.7.8", []string{"a", "b"}, "535-5.7.8 a\r\n535 5.7.8 b\r\n"},
	}
	for _, tt := range tests {
		got := FormatReply(tt.code, tt.enhanced, tt.text...)
		if got != tt.want {
			t.Errorf("FormatReply(%d, %q, %q) = %q, want %q", tt.code, tt.enhanced, tt.text, got, tt.want)
		}
		r := replyOf(t, got)
		if r.Code != tt.code || r.Enhanced.String() != tt.enhanced || len(r.Diagnostics) != 0 {
			t.Errorf("FormatReply output parses as %d %q %v", r.Code, r.Enhanced, r.Diagnostics)
		}
	}
}

func TestClassOf(t *testing.T) {
	tests := map[int]Class{250: ClassSuccess, 354: ClassIntermediate, 451: ClassTransient, 550: ClassPermanent, 199: ClassUnknown, 600: ClassUnknown}
	for code, want := range tests {
		if got := ClassOf(code); got != want {
			t.Errorf("ClassOf(%d) = %v, want %v", code, got, want)
		}
	}
	names := map[Class]string{ClassSuccess: "success", ClassIntermediate: "intermediate", ClassTransient: "transient", ClassPermanent: "permanent", ClassUnknown: "unknown"}
	for c, want := range names {
		if c.String() != want {
			t.Errorf("%d.String() = %q, want %q", c, c.String(), want)
		}
	}
}

func TestParseEnhancedCode(t *testing.T) {
	good := map[string]EnhancedCode{"5.7.8": {5, 7, 8}, "2.0.0": {2, 0, 0}, "4.7.650": {4, 7, 650}, "5.7.139": {5, 7, 139}}
	for in, want := range good {
		if got, ok := ParseEnhancedCode(in); !ok || got != want || got.String() != in {
			t.Errorf("ParseEnhancedCode(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "5.7", "3.1.1", "5.7.8.1", "55.7.8", "5.1000.1", "5.a.1", "5..1", "a.b.c"} {
		if _, ok := ParseEnhancedCode(in); ok {
			t.Errorf("ParseEnhancedCode(%q) accepted", in)
		}
	}
	if (EnhancedCode{}).String() != "" || !(EnhancedCode{}).IsZero() {
		t.Error("the zero EnhancedCode is not empty")
	}
}

func TestReplyOneLine(t *testing.T) {
	r := replyOf(t, "550-5.1.1 The email account that you tried to reach does\r\n550-5.1.1 not exist.  Please try\r\n550 5.1.1 double-checking.")
	want := "The email account that you tried to reach does not exist. Please try double-checking."
	if got := r.OneLine(); got != want {
		t.Errorf("OneLine() = %q, want %q", got, want)
	}
}
