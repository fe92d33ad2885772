package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

func plain(m *Model) string { return ansi.Strip(screen(m)) }

// panelText is the side panel as shown, without styles.
func panelText(m *Model) string { return ansi.Strip(m.panel.Render()) }

func TestEventsShowInPaneAndHeader(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	out := plain(m)
	for _, want := range []string{
		"S: 220 sandbox.test ESMTP smtpscope sandbox ready",
		"C: EHLO client.example",
		"S: 250 SMTPUTF8",
		"+38ms",
		"state: READY",
		"SANDBOX",
		"12:00:01.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
}

func TestFrameIsExactlyTerminalSize(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {100, 30}, {60, 16}, {200, 60}} {
		m, _ := newTestModel(t, size[0], size[1])
		feed(m, afterEHLO())
		checkFrameSize(t, plain(m), size[0], size[1])
	}
}

func checkFrameSize(t *testing.T, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) != h {
		t.Errorf("%dx%d: frame has %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("%dx%d: line %d is %d cells wide: %q", w, h, i, got, l)
		}
	}
}

func TestTooSmallTerminal(t *testing.T) {
	m, _ := newTestModel(t, 50, 10)
	out := plain(m)
	if !strings.Contains(out, "terminal too small") || !strings.Contains(out, fmt.Sprintf("%dx%d", MinWidth, MinHeight)) {
		t.Fatalf("want a too-small message naming %dx%d, got:\n%s", MinWidth, MinHeight, out)
	}
	// Growing again restores the screen.
	m.Update(tea.WindowSizeMsg{Width: 90, Height: 30})
	if out := plain(m); !strings.Contains(out, "smtp>") {
		t.Fatalf("after resize the composer should be back:\n%s", out)
	}
}

func TestStaleGenerationDropped(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	press(m, "ctrl+r")
	if !slices.Contains(eng.Calls(), "reconnect") {
		t.Fatalf("ctrl+r should reconnect, calls %v", eng.Calls())
	}
	late := newScript()
	late.client("NOOP from the old connection", "NOOP")
	feed(m, late)
	if strings.Contains(plain(m), "old connection") {
		t.Fatal("an event of the old generation was shown after reconnect")
	}
	fresh := newScript()
	fresh.gen = 2
	fresh.connected()
	fresh.reply("", time.Millisecond, "220 fresh banner", protocol.StateGreeted)
	feed(m, fresh)
	out := plain(m)
	if !strings.Contains(out, "220 fresh banner") || !strings.Contains(out, "state: GREETED") {
		t.Fatalf("new generation not shown:\n%s", out)
	}
}

// TestPanelLeavesOldFailuresBehind: the panel explains the first failure
// of what the user did last; a reconnect, a login from the dialog or an
// action key is something new, and an old failure no longer answers it.
func TestPanelLeavesOldFailuresBehind(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := afterEHLO()
	s.client("MAIL FROM:<a@b.example>", "MAIL")
	s.reply("MAIL", time.Millisecond, "550 5.7.1 Sender blocked", protocol.StateReady)
	s.client("NOOP", "NOOP")
	s.reply("NOOP", time.Millisecond, "250 2.0.0 Ok", protocol.StateReady)
	typeText(m, "MAIL FROM:<a@b.example>")
	press(m, "enter")
	feed(m, s)
	if out := panelText(m); !strings.Contains(out, "550") {
		t.Fatalf("the failure of the command typed is not explained:\n%s", out)
	}
	press(m, "alt+n")
	s.client("NOOP", "NOOP")
	s.reply("NOOP", time.Millisecond, "250 2.0.0 Ok again", protocol.StateReady)
	feed(m, s)
	if out := panelText(m); strings.Contains(out, "550") {
		t.Errorf("after alt+n the old 550 is still explained:\n%s", out)
	}
	press(m, "ctrl+r")
	fresh := newScript()
	fresh.gen = 2
	fresh.connected()
	fresh.reply("", time.Millisecond, "220 fresh.example ESMTP", protocol.StateGreeted)
	feed(m, fresh)
	if out := panelText(m); !strings.Contains(out, "220") || strings.Contains(out, "550") {
		t.Errorf("after a reconnect the panel should explain the new greeting:\n%s", out)
	}
}

func TestCompletionFillsTemplateWithCursorInside(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	typeText(m, "ma")
	press(m, "tab")
	if got := m.composer.Value(); got != "MAIL FROM:<>" {
		t.Fatalf("tab after 'ma' = %q, want MAIL FROM:<>", got)
	}
	typeText(m, "me@example.com")
	if got := m.composer.Value(); got != "MAIL FROM:<me@example.com>" {
		t.Fatalf("typing after completion = %q, want the address inside <>", got)
	}
	press(m, "enter")
	if calls := eng.Calls(); !slices.Contains(calls, "send MAIL FROM:<me@example.com>") {
		t.Fatalf("enter did not send the command: %v", calls)
	}
	if m.composer.Value() != "" {
		t.Fatalf("composer not cleared after send: %q", m.composer.Value())
	}
}

func TestCompletionCyclesAndListsMatches(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	press(m, "tab")
	first := m.composer.Value()
	press(m, "tab")
	second := m.composer.Value()
	if first == "" || second == "" || first == second {
		t.Fatalf("tab on an empty line should cycle through commands, got %q then %q", first, second)
	}
	if !strings.Contains(plain(m), first) {
		t.Fatalf("the completion list should show %q:\n%s", first, plain(m))
	}
}

func TestOutOfSequenceWarnsThenSendsOnSecondEnter(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	typeText(m, "RCPT TO:<bob@example.com>")
	press(m, "enter")
	if slices.ContainsFunc(eng.Calls(), func(c string) bool { return strings.HasPrefix(c, "send RCPT") }) {
		t.Fatal("RCPT before MAIL was sent without a warning")
	}
	out := plain(m)
	if !strings.Contains(out, "server will likely answer 503") || !strings.Contains(out, "enter again: send anyway") {
		t.Fatalf("no sequence warning shown:\n%s", out)
	}
	press(m, "enter")
	if !slices.Contains(eng.Calls(), "send RCPT TO:<bob@example.com>") {
		t.Fatalf("second enter should send anyway, calls %v", eng.Calls())
	}
}

func TestEscCancelsWarning(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	typeText(m, "DATA")
	press(m, "enter", "esc", "enter")
	if slices.Contains(eng.Calls(), "send DATA") {
		t.Fatal("esc should cancel the warning: the next enter must warn again, not send")
	}
}

func TestHistory(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	for _, c := range []string{"NOOP", "HELP"} {
		typeText(m, c)
		press(m, "enter")
	}
	typeText(m, "dra")
	press(m, "up")
	if got := m.composer.Value(); got != "HELP" {
		t.Fatalf("up = %q, want HELP", got)
	}
	press(m, "up")
	if got := m.composer.Value(); got != "NOOP" {
		t.Fatalf("up up = %q, want NOOP", got)
	}
	press(m, "down", "down")
	if got := m.composer.Value(); got != "dra" {
		t.Fatalf("down back to the draft = %q, want dra", got)
	}
}

func TestStartTLSTypedUsesHandshake(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	typeText(m, "starttls")
	press(m, "enter")
	if !slices.Contains(eng.Calls(), "starttls") {
		t.Fatalf("typed STARTTLS should run the engine's handshake, calls %v", eng.Calls())
	}
	press(m, "ctrl+t")
	if n := countCalls(eng, "starttls"); n != 2 {
		t.Fatalf("ctrl+t should run STARTTLS too, got %d calls", n)
	}
}

func countCalls(eng *fakeEngine, call string) int {
	n := 0
	for _, c := range eng.Calls() {
		if c == call {
			n++
		}
	}
	return n
}

// inTransaction drives the script to RCPT accepted.
func inTransaction(s *script) *script {
	s.client("MAIL FROM:<alice@example.com>", "MAIL")
	s.reply("MAIL", time.Millisecond, "250 2.1.0 Sender OK", protocol.StateMail)
	s.client("RCPT TO:<bob@example.com>", "RCPT")
	return s.reply("RCPT", time.Millisecond, "250 2.1.5 Recipient OK", protocol.StateRcpt)
}

func TestDataModeEditorSendsBody(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := inTransaction(afterEHLO())
	feed(m, s)
	// The user types the envelope, so the headers come from it.
	m.envFrom, m.envTo = "alice@example.com", []string{"bob@example.com"}
	typeText(m, "DATA")
	press(m, "enter")
	s.client("DATA", "DATA")
	s.reply("DATA", time.Millisecond, "354 Start mail input; end with <CRLF>.<CRLF>", protocol.StateData)
	feed(m, s)
	if !m.dataMode {
		t.Fatalf("354 after a typed DATA should open the body editor:\n%s", plain(m))
	}
	out := plain(m)
	for _, want := range []string{"DATA: the message", "From: <alice@example.com>", "To: <bob@example.com>", "Subject: ", "Message-ID: <", "ctrl+d send"} {
		if !strings.Contains(out, want) {
			t.Errorf("DATA screen lacks %q:\n%s", want, out)
		}
	}
	typeText(m, "Hello Bob.")
	press(m, "ctrl+d")
	if len(eng.bodies) != 1 {
		t.Fatalf("ctrl+d should send the body once, calls %v", eng.Calls())
	}
	body := eng.bodies[0]
	if !strings.HasPrefix(body, "From: <alice@example.com>\n") || !strings.HasSuffix(body, "\nHello Bob.\n") {
		t.Fatalf("body = %q", body)
	}
	if m.dataMode {
		t.Fatal("the editor should close after sending")
	}
}

func TestDataReplyToSendMessageDoesNotOpenEditor(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := inTransaction(afterEHLO())
	s.client("DATA", "DATA")
	s.reply("DATA", time.Millisecond, "354 go ahead", protocol.StateData)
	feed(m, s)
	if m.dataMode {
		t.Fatal("a 354 to a DATA the user did not type (send message form) must not open the editor")
	}
}

func TestMultiLinePasteSendsOneCommandPerLineAndBody(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	m.Update(tea.PasteMsg{Content: "MAIL FROM:<a@example.com>\nRCPT TO:<b@example.com>\nDATA\nSubject: hi\n\nbody line\n.\n"})
	want := []string{"send MAIL FROM:<a@example.com>", "send RCPT TO:<b@example.com>", "send DATA"}
	if got := eng.Calls(); !slices.Equal(got, want) {
		t.Fatalf("paste sent %v, want %v", got, want)
	}
	s := newScript()
	s.reply("DATA", time.Millisecond, "354 go ahead", protocol.StateData)
	feed(m, s)
	if len(eng.bodies) != 1 || eng.bodies[0] != "Subject: hi\r\n\r\nbody line\r\n" {
		t.Fatalf("pasted body sent as %q", eng.bodies)
	}
	if m.dataMode {
		t.Fatal("a pasted body is sent at once, without the editor")
	}
}

func TestQuitConfirmsWhenTransactionOpen(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, inTransaction(afterEHLO()))
	_, cmd := m.Update(keyPress("ctrl+c"))
	if m.dialog == nil {
		t.Fatal("quitting in a transaction should ask first")
	}
	if cmd != nil {
		if _, ok := cmd().(tea.QuitMsg); ok {
			t.Fatal("quit without confirmation")
		}
	}
	_, cmd = m.Update(ConfirmMsg{Yes: true})
	if cmd == nil || !isQuit(cmd()) || !slices.Contains(eng.Calls(), "close") {
		t.Fatalf("confirming should close the session and quit, calls %v", eng.Calls())
	}
}

func TestQuitWithoutTransactionIsImmediate(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	_, cmd := m.Update(keyPress("ctrl+q"))
	if m.dialog != nil || cmd == nil || !isQuit(cmd()) || !slices.Contains(eng.Calls(), "close") {
		t.Fatal("ctrl+q outside a transaction should close and quit at once")
	}
}

func isQuit(msg tea.Msg) bool {
	_, ok := msg.(tea.QuitMsg)
	return ok
}

func TestScrollStopsFollowingAndEndResumes(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := afterEHLO()
	for i := range 500 {
		s.client(fmt.Sprintf("NOOP %d", i), "NOOP")
	}
	feed(m, s)
	if !strings.Contains(plain(m), "NOOP 499") {
		t.Fatal("the pane should follow the newest line")
	}
	press(m, "pgup")
	out := plain(m)
	if strings.Contains(out, "NOOP 499") || !strings.Contains(out, "more lines") {
		t.Fatalf("after pgup the newest line should be out of view with a note:\n%s", out)
	}
	more := newScript()
	more.client("NOOP new", "NOOP")
	feed(m, more)
	if strings.Contains(plain(m), "NOOP new") {
		t.Fatal("new lines must not pull the view down while the user reads back")
	}
	press(m, "shift+tab", "end")
	if !strings.Contains(plain(m), "NOOP new") {
		t.Fatal("end should follow the newest line again")
	}
}

func TestHomeShowsFirstLine(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := afterEHLO()
	for i := range 300 {
		s.client(fmt.Sprintf("NOOP %d", i), "NOOP")
	}
	feed(m, s)
	press(m, "shift+tab", "home")
	if !strings.Contains(plain(m), "connected to 127.0.0.1:2525") {
		t.Fatalf("home should show the first line:\n%s", plain(m))
	}
}

func TestSelectingALineDrivesThePanel(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, inTransaction(afterEHLO()))
	latest := m.shownReply
	if latest != len(m.replies)-1 {
		t.Fatalf("panel shows reply %d, want the latest %d", latest, len(m.replies)-1)
	}
	press(m, "shift+tab") // focus the pane
	// Walk up to the banner, the second line.
	for range m.pane.Len() - 1 {
		press(m, "up")
	}
	if m.shownReply != 0 || m.replies[0].reply.Code != codeServiceReady {
		t.Fatalf("selecting the banner line should show reply 0 (220), shows %d", m.shownReply)
	}
	if m.replies[0].explanation == nil {
		t.Fatal("the selected reply should be explained")
	}
	press(m, "esc")
	if m.shownReply != len(m.replies)-1 {
		t.Fatal("esc should go back to the latest reply")
	}
}

func TestLongLinesWrapInsideThePane(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	s := newScript().connected()
	long := "220 " + strings.Repeat("very-long-banner-word ", 12) + "END"
	s.reply("", time.Millisecond, long, protocol.StateGreeted)
	feed(m, s)
	out := plain(m)
	if !strings.Contains(out, "END") {
		t.Fatalf("the end of a long line should wrap into view:\n%s", out)
	}
	checkFrameSize(t, out, 80, 24)
}

func TestDecodedPromptAndRedaction(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := afterEHLO()
	s.client("AUTH LOGIN", "AUTH")
	s.reply("AUTH", time.Millisecond, "334 VXNlcm5hbWU6", protocol.StateAuth)
	s.add(session.Event{Kind: session.KindClient, Text: "●●●●●●●● (SASL response, redacted)", Redacted: true, Command: "AUTH"})
	s.reply("AUTH", time.Millisecond, "334 UGFzc3dvcmQ6", protocol.StateAuth)
	s.add(session.Event{Kind: session.KindClient, Text: "●●●●●●●● (SASL response, redacted)", Redacted: true, Command: "AUTH"})
	s.reply("AUTH", time.Millisecond, "535 5.7.8 Authentication credentials invalid", protocol.StateReady)
	feed(m, s)
	m.authUser = "demo"
	out := plain(m)
	for _, want := range []string{`⟶ "Username:"`, `⟶ "Password:"`, "(SASL response, redacted)", "AUTH ✗"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `"demo"`) {
		t.Fatal("the username must stay hidden until revealed")
	}
	press(m, "alt+u")
	out = plain(m)
	if n := strings.Count(out, `username "demo" (revealed)`); n != 1 {
		t.Fatalf("alt+u should reveal the username on exactly the LOGIN username line, found %d:\n%s", n, out)
	}
}

func TestDemoCredentialsKey(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	press(m, "ctrl+d")
	if !strings.Contains(plain(m), "demo-password") {
		t.Fatalf("ctrl+d on the sandbox should show the demo credentials:\n%s", plain(m))
	}
}

func TestMessageHeaders(t *testing.T) {
	now := time.Date(2025, 3, 14, 13, 0, 0, 0, time.UTC)
	got := messageHeaders("a@example.com", []string{"b@example.com", "c@example.com"}, now, "mx.test")
	want := "From: <a@example.com>\nTo: <b@example.com>, <c@example.com>\nSubject: smtpscope test message\n" +
		"Date: Fri, 14 Mar 2025 13:00:00 +0000\nMessage-ID: <" + fmt.Sprint(now.UnixNano()) + ".smtpscope@example.com>\n\n"
	if got != want {
		t.Fatalf("messageHeaders =\n%q\nwant\n%q", got, want)
	}
}

func TestFormatLatency(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, ""}, {500 * time.Microsecond, "+<1ms"}, {38 * time.Millisecond, "+38ms"},
		{1234 * time.Millisecond, "+1.2s"}, {42 * time.Second, "+42s"}, {5 * time.Minute, "+99s+"},
	} {
		if got := formatLatency(c.d); got != c.want || len([]rune(got)) > latencyWidth {
			t.Errorf("formatLatency(%v) = %q, want %q (at most %d cells)", c.d, got, c.want, latencyWidth)
		}
	}
}

func TestCompletionOfESMTPParameters(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	typeText(m, "MAIL FROM:<a@example.com> si")
	press(m, "tab")
	if got := m.composer.Value(); got != "MAIL FROM:<a@example.com> SIZE=" {
		t.Fatalf("tab after the path = %q, want the SIZE= parameter", got)
	}
	typeText(m, "100 ")
	press(m, "tab")
	got := m.composer.Value()
	if !strings.HasPrefix(got, "MAIL FROM:<a@example.com> SIZE=100 ") || strings.Count(got, "SIZE") != 1 {
		t.Fatalf("the next tab should offer another parameter, not SIZE again: %q", got)
	}
}

// TestCompletionListShowsOnlyWhatCompletes: the candidates under the line
// name what tab adds — the parameter, the word after the typed ones — not
// the whole line again; tab still puts the whole line in place.
func TestCompletionListShowsOnlyWhatCompletes(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	typeText(m, "MAIL FROM:<a@example.com> ")
	press(m, "tab")
	if got := m.composer.Value(); !strings.HasPrefix(got, "MAIL FROM:<a@example.com> ") || got == "MAIL FROM:<a@example.com> " {
		t.Fatalf("tab after the path = %q, want the line with a parameter", got)
	}
	list := ansi.Strip(strings.Join(m.composer.statusLines(120), "\n"))
	if !strings.Contains(list, "SIZE=") || strings.Contains(list, "MAIL FROM") {
		t.Errorf("the candidates list = %q, want the parameters alone", list)
	}

	m, _ = newTestModel(t, 120, 40)
	feed(m, afterEHLOReply(ehloAuthInClear))
	typeText(m, "AUTH ")
	press(m, "tab")
	if got := m.composer.Value(); !strings.HasPrefix(got, "AUTH ") || got == "AUTH " {
		t.Fatalf("tab after AUTH = %q, want a mechanism filled in", got)
	}
	list = ansi.Strip(strings.Join(m.composer.statusLines(120), "\n"))
	if strings.Contains(list, "AUTH") || !strings.Contains(list, "PLAIN") {
		t.Errorf("the candidates list = %q, want the mechanisms alone", list)
	}
}
