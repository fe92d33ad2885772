package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/themes"
)

// fakeMailbox holds messages for the mailbox view.
type fakeMailbox struct{ msgs []MailboxMessage }

func (f fakeMailbox) List() []MailboxEntry {
	var out []MailboxEntry
	for _, m := range f.msgs {
		out = append(out, m.Entry)
	}
	return out
}

func (f fakeMailbox) Open(id int) (MailboxMessage, error) {
	for _, m := range f.msgs {
		if m.Entry.ID == id {
			return m, nil
		}
	}
	return MailboxMessage{}, errors.New("gone")
}

var attachmentBytes = []byte("%PDF-1.4 fake but exact content\x00\x01\x02")

func testMailbox() fakeMailbox {
	at := testEpoch.Add(time.Minute)
	return fakeMailbox{msgs: []MailboxMessage{{
		Entry: MailboxEntry{ID: 1, Received: at, From: "Demo <demo@sandbox.test>", To: "friend@sandbox.test", Subject: "hello \x1b[31mthere", Size: 812,
			EnvelopeFrom: "bounce@sandbox.test", EnvelopeTo: []string{"friend@sandbox.test", "bcc@sandbox.test"}, Via: "TLS, logged in as demo, DATA"},
		Header: [][2]string{{"From", "Demo <demo@sandbox.test>"}, {"Subject", "hello ␛[31mthere"}},
		Parts: []MailboxPart{
			{ContentType: "text/plain", Content: []byte("Hi!\r\n")},
			{ContentType: "application/pdf", Filename: "report.pdf", Attachment: true, Content: attachmentBytes},
		},
		Source: []byte("From: Demo <demo@sandbox.test>\r\nSubject: hello\r\n\r\nHi!\r\n"),
	}}}
}

// TestMailboxViewListsAndOpens opens the sandbox's mailbox, then a
// message: its header, its parts with a checksum that proves the
// attachment arrived intact, and its source.
func TestMailboxViewListsAndOpens(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	m.opts.Mailbox = testMailbox()
	_, cmd := m.Update(keyPress("alt+m"))
	for cmd != nil {
		_, cmd = m.Update(cmd())
	}
	d, ok := m.dialog.(*mailboxDialog)
	if !ok {
		t.Fatalf("alt+m should open the mailbox, got %T", m.dialog)
	}
	list := ansi.Strip(d.View())
	if !strings.Contains(list, "1 message") || !strings.Contains(list, "friend@sandbox.test") {
		t.Errorf("the list lacks the message:\n%s", list)
	}
	if strings.Contains(d.View(), "\x1b[31m") {
		t.Error("a subject's escape sequence reaches the terminal")
	}
	_, cmd = m.Update(keyPress("enter"))
	for cmd != nil {
		_, cmd = m.Update(cmd())
	}
	view := ansi.Strip(d.View())
	sum := sha256.Sum256(attachmentBytes)
	// The envelope shows beside the header: a Bcc recipient is only there.
	for _, want := range []string{"Message #1", "report.pdf", hex.EncodeToString(sum[:8]), "Source",
		"MAIL FROM     <bounce@sandbox.test>", "RCPT TO       <bcc@sandbox.test>", "Via           TLS, logged in as demo"} {
		if !strings.Contains(view, want) {
			t.Errorf("the open message lacks %q:\n%s", want, view)
		}
	}
	answer(m, "esc")
	if d.open != nil || m.dialog == nil {
		t.Error("esc should go back to the list")
	}
	answer(m, "esc")
	if m.dialog != nil {
		t.Error("esc on the list should close the mailbox")
	}
}

// TestMailboxOnlyOnTheSandbox presses the key on a real server.
func TestMailboxOnlyOnTheSandbox(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	press(m, "alt+m")
	if m.dialog != nil || !strings.Contains(plain(m), "sandbox") {
		t.Errorf("without a mailbox the key should say why:\n%s", plain(m))
	}
}

func TestMailboxGolden(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		d := newMailboxDialog(testContext(themes.NoColor()), testMailbox().List())
		d.SetSize(size[0], size[1])
		checkPanelGolden(t, "dialog_mailbox_list_"+sizeName(size), d.View())
		msg, _ := testMailbox().Open(1)
		d.SetMessage(msg, nil)
		checkPanelGolden(t, "dialog_mailbox_message_"+sizeName(size), d.View())
	}
}

func sizeName(s [2]int) string { return strings.Join([]string{itoa(s[0]), itoa(s[1])}, "x") }

func itoa(n int) string { return strconv.Itoa(n) }
