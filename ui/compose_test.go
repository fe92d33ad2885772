package ui

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// submitMessage hands the form's result to the model, runs the command
// that builds the message, and hands its result back, as Bubble Tea does.
func submitMessage(t *testing.T, m *Model, msg MessageSubmitMsg) {
	t.Helper()
	_, cmd := m.Update(msg)
	if cmd == nil {
		t.Fatal("submitting the form started no command")
	}
	m.Update(cmd())
}

func sentContent(t *testing.T, eng *fakeEngine) (session.Message, string) {
	t.Helper()
	if len(eng.messages) != 1 {
		t.Fatalf("%d messages sent, want 1 (calls %v)", len(eng.messages), eng.Calls())
	}
	msg := eng.messages[0]
	b, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	return msg, string(b)
}

// The form's message is real MIME, its SIZE is the octets sent, and its
// needs follow the content.
func TestMessageFormComposesMIME(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	submitMessage(t, m, MessageSubmitMsg{From: "Zoë <zoe@sandbox.test>", To: []string{"a@sandbox.test"}, Subject: "Grüße", Body: "Hallo Köln"})
	msg, content := sentContent(t, eng)
	for _, want := range []string{"MIME-Version: 1.0\r\n", "Subject: =?utf-8?", "Content-Transfer-Encoding: 8bit\r\n", "@sandbox.test>\r\n", "Hallo Köln\r\n"} {
		if !strings.Contains(content, want) {
			t.Errorf("the message lacks %q:\n%s", want, content)
		}
	}
	if msg.From != "zoe@sandbox.test" || msg.Size != int64(len(content)) || !msg.EightBit || msg.UTF8 {
		t.Errorf("envelope %q size %d (content %d) 8bit %v utf8 %v", msg.From, msg.Size, len(content), msg.EightBit, msg.UTF8)
	}
}

// A bad address is refused with a reason; nothing is sent.
func TestMessageFormRefusesBadAddress(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	submitMessage(t, m, MessageSubmitMsg{From: "alice@testbed.localsecond test", To: []string{"a@sandbox.test"}, Body: "x"})
	if len(eng.messages) != 0 {
		t.Fatalf("sent %+v", eng.messages)
	}
	if out := plain(m); !strings.Contains(out, "has a space in") {
		t.Errorf("the pane does not say why:\n%s", out)
	}
}

// Attachments are read in the command and go out base64.
func TestMessageFormAttaches(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(path, []byte("%PDF-1.4 test"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, eng := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	submitMessage(t, m, MessageSubmitMsg{From: "a@sandbox.test", To: []string{"b@sandbox.test"}, Body: "see attached", Attachments: []string{path}})
	_, content := sentContent(t, eng)
	for _, want := range []string{"multipart/mixed", "Content-Type: application/pdf\r\n", "filename=report.pdf", "JVBERi0xLjQgdGVzdA=="} {
		if !strings.Contains(content, want) {
			t.Errorf("the message lacks %q:\n%s", want, content)
		}
	}
	if !strings.Contains(plain(m), "attached report.pdf") {
		t.Errorf("no note of the attachment:\n%s", plain(m))
	}
}

// An @file with its own header goes as it is, SIZE counting its LF line
// ends as CRLF, and the pane says which form fields it overrides.
func TestMessageFormFileOverrides(t *testing.T) {
	path := filepath.Join(t.TempDir(), "msg.eml")
	file := "From: other@sandbox.test\nTo: a@sandbox.test\nSubject: from the file\n\nbody\n"
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	m, eng := newTestModel(t, 160, 40)
	feed(m, afterEHLO())
	submitMessage(t, m, MessageSubmitMsg{From: "me@sandbox.test", To: []string{"a@sandbox.test"}, Subject: "typed", File: path})
	msg, content := sentContent(t, eng)
	if content != file || msg.Size != int64(len(file)+strings.Count(file, "\n")) {
		t.Errorf("sent %q with size %d", content, msg.Size)
	}
	out := plain(m)
	for _, want := range []string{"From: other@sandbox.test", `Subject: "from the file"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the pane does not mention %q:\n%s", want, out)
		}
	}
}

// An @file without a header becomes the text of a composed message.
func TestMessageFormFileWithoutHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("just text\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, eng := newTestModel(t, 160, 40)
	feed(m, afterEHLO())
	submitMessage(t, m, MessageSubmitMsg{From: "me@sandbox.test", To: []string{"a@sandbox.test"}, Subject: "notes", File: path})
	_, content := sentContent(t, eng)
	if !strings.Contains(content, "Subject: notes\r\n") || !strings.HasSuffix(content, "\r\n\r\njust text\r\n") {
		t.Errorf("sent %q", content)
	}
}

// A file whose needs the server lacks is refused before anything is sent.
func TestMessageFormFileNeedsExtension(t *testing.T) {
	path := filepath.Join(t.TempDir(), "utf8.eml")
	if err := os.WriteFile(path, []byte("From: a@sandbox.test\nSubject: Grüße\n\nx\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, eng := newTestModel(t, 200, 40)
	feed(m, newScript().connected().reply("", time.Millisecond, "220 mx.test", protocol.StateGreeted))
	submitMessage(t, m, MessageSubmitMsg{From: "a@sandbox.test", To: []string{"b@sandbox.test"}, File: path})
	if len(eng.messages) != 0 {
		t.Fatalf("sent %+v", eng.messages)
	}
	if out := plain(m); !strings.Contains(out, "needs SMTPUTF8") {
		t.Errorf("the pane does not say what is missing:\n%s", out)
	}
}
