package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// lineIndex is the pane record whose text is text, or fails.
func lineIndex(t *testing.T, m *Model, kind session.Kind, text string) int {
	t.Helper()
	for i := m.pane.Len() - 1; i >= 0; i-- {
		if r := m.pane.store.At(i); r.kind == kind && r.text == text {
			return i
		}
	}
	t.Fatalf("no %v line %q in the pane", kind, text)
	return -1
}

func explainText(m *Model) string {
	m.panel.SetTab(TabExplain)
	// Joined and re-spaced, so that wrapped sentences read whole.
	return strings.Join(strings.Fields(ansi.Strip(strings.Join(m.panel.content(TabExplain), "\n"))), " ")
}

// TestSelectedCommandExplainsItsReply: a C: line selected in the pane
// brings its own reply to the panel, also when commands were pipelined and
// other replies came after; one without a reply says so, and says it
// never will once the connection is gone.
func TestSelectedCommandExplainsItsReply(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := afterEHLO()
	s.client("MAIL FROM:<a@example.com>", "MAIL")
	s.client("RCPT TO:<nobody@example.com>", "RCPT")
	s.client("RCPT TO:<b@example.com>", "RCPT")
	s.reply("MAIL", time.Millisecond, "250 2.1.0 Sender OK", protocol.StateMail)
	s.reply("RCPT", time.Millisecond, "550 5.1.1 No such user here", protocol.StateMail)
	feed(m, s)

	m.pane.SelectIndex(lineIndex(t, m, session.KindClient, "MAIL FROM:<a@example.com>"))
	m.syncPanel()
	if got := m.panel.reply; got == nil || got.Code != 250 || !strings.Contains(got.OneLine(), "Sender OK") {
		t.Fatalf("MAIL selected: the panel shows %v, want the 250 to MAIL", got)
	}
	m.pane.SelectIndex(lineIndex(t, m, session.KindClient, "RCPT TO:<nobody@example.com>"))
	m.syncPanel()
	if got := m.panel.reply; got == nil || got.Code != 550 {
		t.Fatalf("the first RCPT selected: the panel shows %v, want its 550", got)
	}
	m.pane.SelectIndex(lineIndex(t, m, session.KindClient, "RCPT TO:<b@example.com>"))
	m.syncPanel()
	if got := explainText(m); !strings.Contains(got, "No reply yet") || !strings.Contains(got, "RCPT TO:<b@example.com>") {
		t.Fatalf("the unanswered RCPT selected: the panel says\n%s", got)
	}

	s.reply("RCPT", time.Millisecond, "250 2.1.5 Recipient OK", protocol.StateRcpt)
	s.client("DATA", "DATA")
	s.add(session.Event{Kind: session.KindClosed})
	feed(m, s)
	m.pane.SelectIndex(lineIndex(t, m, session.KindClient, "RCPT TO:<b@example.com>"))
	m.syncPanel()
	if got := m.panel.reply; got == nil || got.Code != 250 || !strings.Contains(got.OneLine(), "Recipient OK") {
		t.Fatalf("the RCPT answered later: the panel shows %v, want its 250", got)
	}
	m.pane.SelectIndex(lineIndex(t, m, session.KindClient, "DATA"))
	m.syncPanel()
	if got := explainText(m); !strings.Contains(got, "No reply: the connection closed") {
		t.Fatalf("DATA lost with the connection: the panel says\n%s", got)
	}
}
