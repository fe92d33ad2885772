package message

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"github.com/smtpscope/smtpscope/protocol"
)

// testNow is the clock of every test.
var testNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.FixedZone("CET", 3600))

// caps parses an EHLO reply's keywords ("8BITMIME", "SIZE 1000", …).
func caps(t *testing.T, keywords ...string) protocol.Capabilities {
	t.Helper()
	lines := append([]string{"mx.test"}, keywords...)
	var b protocol.ReplyBuilder
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		if _, err := b.Add([]byte("250" + sep + l + "\r\n")); err != nil {
			t.Fatal(err)
		}
	}
	return protocol.ParseEHLO(b.Reply())
}

// zeros is a Random source that makes Message-IDs and boundaries fixed.
func zeros() io.Reader { return bytes.NewReader(make([]byte, 1024)) }

func opts(c protocol.Capabilities) Options {
	return Options{Now: testNow, Caps: c, Hostname: "client.test", Random: zeros()}
}

func addr(s string) Address { return Address{Addr: s} }

// part is one leaf of a parsed message.
type part struct {
	contentType string
	params      map[string]string
	encoding    string
	filename    string
	body        string // decoded
}

// parse reads content back with go-message, as a mail program would.
func parse(t *testing.T, content []byte) (mail.Header, []part) {
	t.Helper()
	r, err := mail.CreateReader(bytes.NewReader(content))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, content)
	}
	var parts []part
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("NextPart: %v\n%s", err, content)
		}
		body, err := io.ReadAll(p.Body)
		if err != nil {
			t.Fatalf("reading a part: %v", err)
		}
		var pt part
		pt.body = string(body)
		switch h := p.Header.(type) {
		case *mail.InlineHeader:
			pt.contentType, pt.params, _ = h.ContentType()
			pt.encoding = h.Get("Content-Transfer-Encoding")
		case *mail.AttachmentHeader:
			pt.contentType, pt.params, _ = h.ContentType()
			pt.encoding = h.Get("Content-Transfer-Encoding")
			pt.filename, _ = h.Filename()
		}
		parts = append(parts, pt)
	}
	return r.Header, parts
}

// checkWireForm checks what every composed message must be: CRLF line
// ends only, no line over 998 octets, ending with CRLF, Size equal to
// the octets sent.
func checkWireForm(t *testing.T, m *Message) {
	t.Helper()
	c := m.Content
	if !bytes.HasSuffix(c, []byte("\r\n")) {
		t.Errorf("the content does not end with CRLF")
	}
	if ends := protocol.FindBareLineEndings(c); len(ends) > 0 {
		t.Errorf("bare line endings at %v", ends)
	}
	for i, line := range strings.Split(string(c), "\r\n") {
		if len(line) > protocol.MaxContentLine {
			t.Errorf("line %d is %d octets", i+1, len(line))
		}
	}
	if m.Size != int64(len(c)) {
		t.Errorf("Size = %d, content is %d octets", m.Size, len(c))
	}
}
