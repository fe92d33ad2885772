package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/session"
)

func footerText(m *Model) string { return ansi.Strip(m.renderFooter()) }

// TestFooterFollowsTheState: the footer lists keys that act now — not
// STARTTLS inside TLS, nor send and AUTH on a closed connection, where it
// offers reconnect — and always the help key.
func TestFooterFollowsTheState(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, afterEHLOReply(ehloAuthInClear))
	got := footerText(m)
	for _, want := range []string{"ctrl+t", "ctrl+a", "ctrl+n", "? help"} {
		if !strings.Contains(got, want) {
			t.Errorf("after EHLO the footer lacks %q: %s", want, got)
		}
	}
	s := newScript()
	s.gen = 1
	s.add(session.Event{Kind: session.KindClosed, Text: "connection closed"})
	feed(m, s)
	got = footerText(m)
	for _, not := range []string{"ctrl+t", "ctrl+a", "ctrl+n", "enter"} {
		if strings.Contains(got, not) {
			t.Errorf("after a disconnect the footer still lists %q: %s", not, got)
		}
	}
	if !strings.Contains(got, "ctrl+r reconnect") || !strings.Contains(got, "? help") {
		t.Errorf("after a disconnect the footer = %s, want ctrl+r reconnect and ? help", got)
	}
}

// TestFooterOfAnOpenDialog: while a dialog is open the footer lists its
// keys, not the composer's, and f1 for help, which opens over the dialog
// and gives it back when it closes.
func TestFooterOfAnOpenDialog(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	press(m, "ctrl+s")
	if _, ok := m.dialog.(*saveDialog); !ok {
		t.Fatalf("ctrl+s opened %T", m.dialog)
	}
	got := footerText(m)
	if strings.Contains(got, "ctrl+t") || strings.Contains(got, "history") || !strings.Contains(got, "esc cancel") || !strings.Contains(got, "f1 help") {
		t.Errorf("the save dialog's footer = %s", got)
	}
	press(m, "f1")
	if _, ok := m.dialog.(*helpDialog); !ok {
		t.Fatalf("f1 in a dialog opened %T, want the help", m.dialog)
	}
	answer(m, "esc")
	if _, ok := m.dialog.(*saveDialog); !ok {
		t.Fatalf("closing the help left %T, want the save dialog back", m.dialog)
	}
}

// TestFooterOfTheFocusedPanes: with the lesson pane or the side panel
// focused (shift+tab), the footer lists the keys that act there, not the
// composer's send and complete.
func TestFooterOfTheFocusedPanes(t *testing.T) {
	m, _, _ := newLessonModel(t, 120, 40, "reply-codes", true)
	for _, tt := range []struct {
		focus     focusArea
		want, not []string
	}{
		{focusPane, []string{"previous line", "? help"}, []string{"enter send", "reveal username"}}, // nobody logged in yet
		{focusLessons, []string{"↑↓ scroll the lesson", "enter lessons", "esc back to composer", "? help"}, []string{"enter send", "tab complete"}},
		{focusPanel, []string{"←→ tabs", "↑↓ scroll", "esc back to composer", "? help"}, []string{"enter send", "tab complete"}},
		{focusComposer, []string{"enter send"}, nil},
	} {
		press(m, "shift+tab")
		if m.focus != tt.focus {
			t.Fatalf("shift+tab gave focus %d, want %d", m.focus, tt.focus)
		}
		got := footerText(m)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("focus %d: footer %q lacks %q", tt.focus, got, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(got, n) {
				t.Errorf("focus %d: footer %q lists %q, which does not act there", tt.focus, got, n)
			}
		}
	}
}

// Once a login has a username to hide, the pane's footer offers to show it.
func TestPaneFooterOffersTheUsernameAfterALogin(t *testing.T) {
	m, _, _ := newLessonModel(t, 120, 40, "reply-codes", true)
	m.focus = focusPane
	m.authUser = "demo"
	if got := footerText(m); !strings.Contains(got, "reveal username") {
		t.Errorf("footer %q lacks the username key after a login", got)
	}
}
