package message

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/smtpscope/smtpscope/protocol"
)

// The text part's encoding follows the content and what the server
// offers; the decoded text is always what was typed.
func TestComposeTextEncoding(t *testing.T) {
	long := strings.Repeat("0123456789", 120) // 1200 octets on one line
	wide := strings.Repeat("w", 100)
	tests := []struct {
		name     string
		text     string
		caps     []string
		encoding string
		charset  string
		eightBit bool
		note     string // part of a note; "" = no note expected
	}{
		{"ASCII", "Hello,\nworld.\n", nil, Enc7Bit, "us-ascii", false, ""},
		{"ASCII with CRLF and CR line ends", "a\r\nb\rc", nil, Enc7Bit, "us-ascii", false, ""},
		{"UTF-8 with 8BITMIME", "Grüße aus Köln\n", []string{"8BITMIME"}, Enc8Bit, "utf-8", true, "8BITMIME"},
		{"UTF-8 without 8BITMIME", "Grüße aus Köln\n", nil, EncQuotedPrintable, "utf-8", false, "did not offer 8BITMIME"},
		{"mostly non-ASCII without 8BITMIME", "你好，世界。这是一封测试邮件。\n", nil, EncBase64, "utf-8", false, "did not offer 8BITMIME"},
		{"a line over 998", "short\n" + long + "\n", []string{"8BITMIME"}, EncQuotedPrintable, "us-ascii", false, "longer than 998"},
		{"a UTF-8 line over 998 with 8BITMIME", strings.Repeat("é", 600) + "\n", []string{"8BITMIME"}, EncBase64, "utf-8", false, "longer than 998"},
		{"lines over 78", wide + "\n" + wide + "\n", nil, Enc7Bit, "us-ascii", false, "2 lines are longer than 78"},
		{"empty text", "", nil, Enc7Bit, "us-ascii", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Compose(Draft{From: addr("a@sender.test"), To: []Address{addr("b@rcpt.test")}, Text: tt.text}, nil, opts(caps(t, tt.caps...)))
			if err != nil {
				t.Fatal(err)
			}
			checkWireForm(t, m)
			_, parts := parse(t, m.Content)
			if len(parts) != 1 {
				t.Fatalf("%d parts, want 1", len(parts))
			}
			p := parts[0]
			if p.encoding != tt.encoding || m.Encoding != tt.encoding || p.params["charset"] != tt.charset {
				t.Errorf("encoding %s (reported %s), charset %s; want %s, %s", p.encoding, m.Encoding, p.params["charset"], tt.encoding, tt.charset)
			}
			if want := normalizeText(tt.text); p.body != strings.ReplaceAll(want, "\n", "\r\n") && p.body != want {
				t.Errorf("decoded text %q, want %q", abbrev(p.body), abbrev(want))
			}
			if m.Needs.EightBit != tt.eightBit {
				t.Errorf("Needs.EightBit = %v, want %v", m.Needs.EightBit, tt.eightBit)
			}
			notes := strings.Join(m.Notes, "\n")
			if tt.note != "" && !strings.Contains(notes, tt.note) {
				t.Errorf("notes %q do not mention %q", notes, tt.note)
			}
			if tt.note == "" && notes != "" {
				t.Errorf("unexpected notes %q", notes)
			}
		})
	}
}

// The top header has what a mail program writes: RFC 2047 words for
// non-ASCII text, the Date of the injected clock, a Message-ID on the
// sender's domain, MIME-Version.
func TestComposeHeader(t *testing.T) {
	d := Draft{
		From:    Address{Name: "José Núñez", Addr: "jose@Sender.Example"},
		To:      []Address{addr("b@rcpt.test"), {Name: "Ann, Jr.", Addr: "ann@rcpt.test"}},
		Subject: "Grüße – " + strings.Repeat("a long subject ", 8),
		Text:    "hi\n",
	}
	m, err := Compose(d, nil, opts(caps(t)))
	if err != nil {
		t.Fatal(err)
	}
	checkWireForm(t, m)
	head, _, _ := bytes.Cut(m.Content, []byte("\r\n\r\n"))
	if !isASCII(string(head)) {
		t.Errorf("the header is not ASCII:\n%s", head)
	}
	for _, want := range []string{"\r\nMIME-Version: 1.0\r\n", "\r\nDate: Sat, 14 Mar 2026 15:09:26 +0100\r\n", "\r\nMessage-ID: <", "@sender.example>\r\n", "=?utf-8?"} {
		if !bytes.Contains(m.Content, []byte(want)) {
			t.Errorf("the header lacks %q:\n%s", want, head)
		}
	}
	h, _ := parse(t, m.Content)
	if s, _ := h.Subject(); s != strings.TrimSpace(d.Subject) {
		t.Errorf("Subject decodes to %q, want %q", s, d.Subject)
	}
	from, _ := h.AddressList("From")
	if len(from) != 1 || from[0].Name != d.From.Name || from[0].Address != d.From.Addr {
		t.Errorf("From = %v", from)
	}
	to, _ := h.AddressList("To")
	if len(to) != 2 || to[1].Name != "Ann, Jr." {
		t.Errorf("To = %v", to)
	}
	if date, _ := h.Date(); !date.Equal(testNow) {
		t.Errorf("Date = %v, want %v", date, testNow)
	}
	if id, _ := h.MessageID(); id != m.MessageID || !strings.HasSuffix(id, "@sender.example") {
		t.Errorf("Message-ID %q, reported %q", id, m.MessageID)
	}
	if m.Needs != (protocol.MessageNeeds{}) {
		t.Errorf("Needs = %+v, want none: encoded words are ASCII", m.Needs)
	}
}

func TestComposeMessageIDDomain(t *testing.T) {
	tests := []struct {
		from     Address
		hostname string
		want     string
	}{
		{addr("a@example.com"), "client.test", "@example.com"},
		{Address{}, "client.test", "@client.test"},
		{Address{}, "", "@" + fallbackDomain},
		{addr("a@bücher.test"), "client.test", "@client.test"},
	}
	for _, tt := range tests {
		o := opts(caps(t, "SMTPUTF8", "8BITMIME"))
		o.Hostname = tt.hostname
		m, err := Compose(Draft{From: tt.from, To: []Address{addr("b@rcpt.test")}}, nil, o)
		if err != nil {
			t.Fatalf("%v: %v", tt.from, err)
		}
		if !strings.HasSuffix(m.MessageID, tt.want) {
			t.Errorf("From %q, hostname %q: Message-ID %q, want it to end %q", tt.from.Addr, tt.hostname, m.MessageID, tt.want)
		}
	}
}

// Two messages composed at the same instant still get different IDs and
// boundaries: both take randomness.
func TestComposeUnique(t *testing.T) {
	o := Options{Now: testNow}
	fsys := fstest.MapFS{"a.txt": {Data: []byte("x")}}
	d := Draft{From: addr("a@x.test"), To: []Address{addr("b@x.test")}, Attachments: []string{"a.txt"}}
	m1, err1 := Compose(d, fsys, o)
	m2, err2 := Compose(d, fsys, o)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if m1.MessageID == m2.MessageID || bytes.Equal(m1.Content, m2.Content) {
		t.Errorf("two messages share a Message-ID %q or content", m1.MessageID)
	}
}

func TestComposeNullSender(t *testing.T) {
	m, err := Compose(Draft{To: []Address{addr("b@rcpt.test")}, Text: "bounce\n"}, nil, opts(caps(t)))
	if err != nil {
		t.Fatal(err)
	}
	if m.From != "" {
		t.Errorf("envelope sender %q, want <>", m.From)
	}
	h, _ := parse(t, m.Content)
	if from := h.Get("From"); !strings.Contains(from, "MAILER-DAEMON@client.test") {
		t.Errorf("From: %q", from)
	}
	if !strings.Contains(strings.Join(m.Notes, " "), "bounce") {
		t.Errorf("notes %q do not explain the null sender", m.Notes)
	}
}

// A UTF-8 address needs SMTPUTF8: with it the message says so, without
// it Compose refuses before anything is sent.
func TestComposeUTF8Address(t *testing.T) {
	d := Draft{From: addr("a@sender.test"), To: []Address{addr("josé@rcpt.test")}, Text: "hi\n"}
	m, err := Compose(d, nil, opts(caps(t, "8BITMIME", "SMTPUTF8")))
	if err != nil {
		t.Fatal(err)
	}
	if !m.Needs.UTF8 || !m.Needs.EightBit {
		t.Errorf("Needs = %+v, want SMTPUTF8 and 8BITMIME", m.Needs)
	}
	params, err := protocol.MailParams(caps(t, "8BITMIME", "SMTPUTF8"), m.Size, m.Needs)
	if err != nil || len(params) != 2 {
		t.Errorf("MailParams = %v, %v", params, err)
	}
	for _, offered := range [][]string{nil, {"8BITMIME"}} {
		_, err = Compose(d, nil, opts(caps(t, offered...)))
		var ee *protocol.ExtensionError
		if !errors.As(err, &ee) || ee.Extension != protocol.ExtSMTPUTF8 || !strings.Contains(err.Error(), "josé@rcpt.test") {
			t.Errorf("offered %v: err = %v, want an SMTPUTF8 ExtensionError naming the address", offered, err)
		}
	}
}

func TestComposeRefuses(t *testing.T) {
	tests := []struct {
		name string
		d    Draft
		want string
	}{
		{"no recipient", Draft{From: addr("a@x.test")}, "To: needs at least one"},
		{"sender with a space", Draft{From: addr("alice@testbed.localsecond test"), To: []Address{addr("b@x.test")}}, "space"},
		{"recipient with CRLF", Draft{From: addr("a@x.test"), To: []Address{addr("b@x.test\r\nDATA")}}, "line break"},
		{"NUL in the text", Draft{From: addr("a@x.test"), To: []Address{addr("b@x.test")}, Text: "a\x00b"}, "NUL"},
	}
	for _, tt := range tests {
		_, err := Compose(tt.d, nil, opts(caps(t)))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}

// A subject cannot add header fields.
func TestComposeSubjectInjection(t *testing.T) {
	m, err := Compose(Draft{From: addr("a@x.test"), To: []Address{addr("b@x.test")}, Subject: "hi\r\nBcc: victim@x.test"}, nil, opts(caps(t)))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(m.Content, []byte("\r\nBcc:")) {
		t.Fatalf("the subject added a field:\n%s", m.Content)
	}
	if h, _ := parse(t, m.Content); h.Get("Subject") != "hi  Bcc: victim@x.test" {
		t.Errorf("Subject %q", h.Get("Subject"))
	}
}

func TestComposeSizeLimit(t *testing.T) {
	o := opts(caps(t))
	o.MaxSize = 1000
	_, err := Compose(Draft{From: addr("a@x.test"), To: []Address{addr("b@x.test")}, Text: strings.Repeat("x\n", 1000)}, nil, o)
	var se *SizeError
	if !errors.As(err, &se) || se.Limit != 1000 {
		t.Errorf("err = %v, want a SizeError", err)
	}
}

func abbrev(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
