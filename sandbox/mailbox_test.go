package sandbox

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// deliverRaw sends content (CRLF line ends, no line starting with a dot)
// as one message and returns its ID.
func deliverRaw(t *testing.T, s *Server, content string) int {
	t.Helper()
	c := connect(t, s)
	c.cmd("EHLO client.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw(content + ".\r\n")
	c.expectReply(codeOK, "2.0.0")
	c.cmd("QUIT", codeClosing, "2.0.0")
	msgs := s.Messages()
	if len(msgs) == 0 {
		t.Fatal("no message kept")
	}
	return msgs[len(msgs)-1].ID
}

const mimeMessage = "From: =?utf-8?q?Jos=C3=A9?= <jose@sandbox.test>\r\n" +
	"To: b@sandbox.test\r\n" +
	"Subject: =?gb2312?B?xOO6ww==?= =?utf-8?q?_w=C3=B6rld?=\r\n" +
	"Date: Sat, 14 Mar 2026 15:09:26 +0100\r\n" +
	"Message-ID: <42@sandbox.test>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=b1\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=iso-8859-1\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Gr=FC=DFe\r\n" +
	"--b1\r\n" +
	"Content-Type: application/pdf\r\n" +
	"Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"JVBERi0xLjQgdGVzdA==\r\n" +
	"--b1--\r\n"

func TestMailbox(t *testing.T) {
	at := time.Date(2026, 3, 14, 15, 10, 0, 0, time.UTC)
	s := startServer(t, Config{Now: func() time.Time { return at }})
	id := deliverRaw(t, s, mimeMessage)

	m, ok := s.Message(id)
	if !ok {
		t.Fatalf("Message(%d) not found", id)
	}
	sum := m.Summary
	want := Summary{From: "José <jose@sandbox.test>", To: "b@sandbox.test", Subject: "你好 wörld", MessageID: "42@sandbox.test"}
	if sum.From != want.From || sum.To != want.To || sum.Subject != want.Subject || sum.MessageID != want.MessageID || sum.Problem != "" {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	if !sum.Date.Equal(time.Date(2026, 3, 14, 14, 9, 26, 0, time.UTC)) || !m.Received.Equal(at) {
		t.Errorf("date %v received %v", sum.Date, m.Received)
	}
	if len(sum.Header) != 7 || sum.Header[2].Name != "Subject" {
		t.Errorf("header fields %+v", sum.Header)
	}
	if m.Size != int64(len(mimeMessage)) {
		t.Errorf("size %d", m.Size)
	}

	src, ok := s.Source(id)
	if !ok || string(src) != mimeMessage {
		t.Errorf("Source = %q, %v", src, ok)
	}
	parts, err := m.Parts()
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	if p := parts[0]; p.ContentType != "text/plain" || string(p.Content) != "Grüße" || p.Attachment {
		t.Errorf("text part %+v", p)
	}
	if p := parts[1]; p.ContentType != "application/pdf" || p.Filename != "résumé.pdf" || !p.Attachment || string(p.Content) != "%PDF-1.4 test" {
		t.Errorf("attachment %+v", p)
	}

	if _, ok := s.Message(id + 1); ok {
		t.Error("Message of an unknown ID found")
	}
	if _, ok := s.Source(0); ok {
		t.Error("Source of ID 0 found")
	}
}

// Headers that are odd or hostile still give a summary that is safe to
// print, and a message that is not MIME is one text part.
func TestMailboxOddMessages(t *testing.T) {
	tests := []struct {
		name    string
		content string
		subject string
		problem string
		parts   int
	}{
		{"no header", "\r\njust a body\r\n", "", "no header", 1},
		{"plain text, not MIME", "Subject: hi\r\n\r\nbody\r\n", "hi", "", 1},
		{"escape in an encoded word", "Subject: =?utf-8?q?a=1B[31mred?=\r\n\r\nx\r\n", "a␛[31mred", "", 1},
		{"folded subject", "Subject: one\r\n two\r\n\r\nx\r\n", "one two", "", 1},
		{"header only", "Subject: only\r\n", "only", "", 1},
	}
	s := startServer(t, Config{})
	for _, tt := range tests {
		id := deliverRaw(t, s, tt.content)
		m, _ := s.Message(id)
		if m.Summary.Subject != tt.subject || !strings.Contains(m.Summary.Problem, tt.problem) {
			t.Errorf("%s: subject %q problem %q, want %q %q", tt.name, m.Summary.Subject, m.Summary.Problem, tt.subject, tt.problem)
		}
		if strings.ContainsRune(m.Summary.Subject, 0x1b) {
			t.Errorf("%s: escape character in the subject", tt.name)
		}
		if parts, err := m.Parts(); err != nil || len(parts) != tt.parts {
			t.Errorf("%s: %d parts, %v", tt.name, len(parts), err)
		}
	}
}

func TestMailboxWithoutContent(t *testing.T) {
	s := startServer(t, Config{MaxStoredMessages: -1})
	c := connect(t, s)
	c.cmd("EHLO client.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw("Subject: x\r\n\r\nbody\r\n.\r\n")
	c.expectReply(codeOK, "2.0.0")
	if _, ok := s.Source(1); ok {
		t.Error("Source found for a server that keeps no messages")
	}
	var m Message
	if _, err := m.Parts(); !errors.Is(err, ErrNoContent) {
		t.Errorf("Parts of a message without content: %v", err)
	}
}

// Whatever the content, the summary is safe to print and Parts does not
// panic.
func FuzzSummarize(f *testing.F) {
	f.Add([]byte(mimeMessage))
	f.Add([]byte("Subject: =?utf-8?q?a=1B?=\r\n\r\n"))
	f.Add([]byte("\r\n\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n--x--\r\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		s := summarize(content)
		for _, v := range []string{s.From, s.To, s.Subject, s.MessageID, s.Problem} {
			for _, r := range v {
				if r < 0x20 || r == 0x7f {
					t.Fatalf("control character in %q", v)
				}
			}
		}
		Message{Data: content}.Parts()
	})
}
