package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/doctor"
	"github.com/smtpscope/smtpscope/protocol"
)

// fakeDoctor replays a diagnosis that fails at AUTH.
func fakeDoctor(ctx context.Context, observe func(doctor.Event)) {
	results := []doctor.Result{
		{Stage: doctor.StageReach, Status: doctor.StatusPass, Summary: "127.0.0.1:2525 answers: 220 sandbox.test ESMTP"},
		{Stage: doctor.StageSTARTTLS, Status: doctor.StatusWarn, Summary: "not enforced", Warnings: []string{"the server takes mail without TLS"}},
		{Stage: doctor.StageAuth, Status: doctor.StatusFail, Summary: "LOGIN refused: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.", Reason: protocol.ReasonAuthDisabled},
	}
	for _, r := range results {
		observe(doctor.Event{Kind: doctor.EventStageStarted, Stage: r.Stage})
		res := r
		observe(doctor.Event{Kind: doctor.EventStageDone, Stage: r.Stage, Result: &res})
	}
	observe(doctor.Event{Kind: doctor.EventVerdict, Verdict: &doctor.Verdict{Stage: doctor.StageAuth,
		Title: "SMTP AUTH is disabled for the whole Microsoft 365 tenant", Fix: []string{"Set-TransportConfig -SmtpClientAuthenticationDisabled $false"}}})
}

// drain runs cmd and every command its messages lead to, as the program
// would, and returns the messages seen.
func drain(t *testing.T, m *Model, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var seen []tea.Msg
	for i := 0; cmd != nil; i++ {
		if i > 100 {
			t.Fatal("the doctor's commands never end")
		}
		msg := cmd()
		seen = append(seen, msg)
		_, cmd = m.Update(msg)
	}
	return seen
}

// TestDoctorSaysWhoseLoginItTries: the doctor's own login can pass where
// the one typed in the session failed; the pane names the login it uses.
func TestDoctorSaysWhoseLoginItTries(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	m.opts.Doctor = fakeDoctor
	m.opts.DoctorLogin = "the sandbox's demo login demo@sandbox.test (not a login typed here)"
	_, cmd := m.Update(keyPress("alt+g"))
	drain(t, m, cmd)
	if text := paneText(m); !strings.Contains(text, "logging in with the sandbox's demo login demo@sandbox.test") {
		t.Errorf("the pane does not say which login the doctor tries:\n%s", text)
	}
}

func TestDoctorKeyShowsEachStageInThePane(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	m.opts.Doctor = fakeDoctor
	_, cmd := m.Update(keyPress("alt+g"))
	if cmd == nil {
		t.Fatal("the doctor key returned no command")
	}
	if !m.doctor.running {
		t.Error("the model does not know a diagnosis runs")
	}
	_, again := m.Update(keyPress("alt+g"))
	if again != nil {
		t.Error("a second press while running started another diagnosis")
	}
	msgs := drain(t, m, cmd)
	if _, ok := msgs[len(msgs)-1].(doctorDoneMsg); !ok || m.doctor.running {
		t.Errorf("the run did not end: %v", msgs)
	}
	text := paneText(m)
	for _, want := range []string{"doctor: diagnosing 127.0.0.1:2525", "doctor ✓ reach", "doctor ! starttls", "the server takes mail without TLS",
		"doctor ✗ auth", "doctor verdict (auth): SMTP AUTH is disabled for the whole Microsoft 365 tenant",
		"1. Set-TransportConfig -SmtpClientAuthenticationDisabled $false"} {
		if !strings.Contains(text, want) {
			t.Errorf("the pane lacks %q:\n%s", want, text)
		}
	}
	for _, c := range eng.Calls() {
		if !strings.HasPrefix(c, "note ") { // notes are kept in the transcript; nothing else may reach the session
			t.Errorf("the doctor touched the session: %s", c)
		}
	}
	if !strings.Contains(screen(m), "doctor verdict") {
		t.Errorf("the verdict is not on screen:\n%s", screen(m))
	}
}

func TestDoctorDropsStaleRunsAndWorksWithout(t *testing.T) {
	m, _ := newTestModel(t, 100, 30)
	m.Update(keyPress("alt+g"))
	if !strings.Contains(paneText(m), "not available") {
		t.Errorf("no runner: the pane should say so:\n%s", paneText(m))
	}
	m.opts.Doctor = fakeDoctor
	n := m.pane.Len()
	m.Update(doctorEventMsg{run: 41, event: doctor.Event{Kind: doctor.EventVerdict, Verdict: &doctor.Verdict{OK: true, Title: "stale"}}})
	if m.pane.Len() != n {
		t.Error("a message of an older run was shown")
	}
	// A runner that panics ends with a note, not a crash.
	m.opts.Doctor = func(context.Context, func(doctor.Event)) { panic("boom") }
	_, cmd := m.Update(keyPress("alt+g"))
	drain(t, m, cmd)
	if !strings.Contains(paneText(m), "the doctor stopped: boom") {
		t.Errorf("a panicking runner left no note:\n%s", paneText(m))
	}
}

// panelView is the side panel as drawn, without colour.
func panelView(m *Model) string { return ansi.Strip(m.panel.Render()) }

func TestDoctorVerdictTakesTheExplainTabUntilTheNextReply(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := afterEHLO()
	feed(m, s)
	m.panel.SetTab(TabCapabilities)
	m.opts.Doctor = fakeDoctor
	_, cmd := m.Update(keyPress("alt+g"))
	drain(t, m, cmd)
	if m.panel.Tab() != TabExplain {
		t.Errorf("the verdict left the panel on %v", m.panel.Tab())
	}
	panel := panelView(m)
	for _, want := range []string{"Doctor: ✗ stopped at auth", "SMTP AUTH is disabled for the whole", "Set-TransportConfig"} {
		if !strings.Contains(panel, want) {
			t.Errorf("the panel lacks %q after the verdict:\n%s", want, panel)
		}
	}
	if strings.Contains(panel, "Nothing to fix") {
		t.Errorf("the panel still explains the EHLO reply beside a failed diagnosis:\n%s", panel)
	}

	s.client("NOOP", "NOOP")
	s.reply("NOOP", time.Millisecond, "250 2.0.0 OK", protocol.StateReady)
	feed(m, s)
	if panel := panelView(m); strings.Contains(panel, "Doctor:") || !strings.Contains(panel, "250 2.0.0 OK") {
		t.Errorf("the next reply did not take the Explain tab back:\n%s", panel)
	}
}

// TestDoctorSkipsInTUIWords: a stage skipped for want of an input says
// why in the words of this screen, never with a command-line flag.
func TestDoctorSkipsInTUIWords(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	for _, in := range []doctor.Input{doctor.InputSender, doctor.InputRecipient, doctor.InputUser, doctor.InputSecret, doctor.InputSend} {
		m.noteDoctorEvent(doctor.Event{Kind: doctor.EventStageDone, Result: &doctor.Result{
			Stage: doctor.StageRecipient, Status: doctor.StatusSkip, Needs: in, Summary: "not tested"}})
	}
	if got := paneText(m); strings.Contains(got, "--") || strings.Count(got, "the doctor here") != 5 {
		t.Errorf("the pane says:\n%s", got)
	}
}
