package ui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/doctor"
	"github.com/smtpscope/smtpscope/session"
)

// DoctorRunner runs smtpscope doctor against the server of this session,
// on a connection of its own, handing each step to observe; it returns
// when the diagnosis is over or ctx is cancelled. The program builds it
// with the session's settings (cmd_connect.go); tests pass a fake.
type DoctorRunner func(ctx context.Context, observe func(doctor.Event))

// doctorQueue bounds the steps waiting for the UI; a diagnosis sends a
// few dozen at most.
const doctorQueue = 64

// doctorEventMsg is one step of a running diagnosis.
type doctorEventMsg struct {
	run   int
	event doctor.Event
}

// doctorDoneMsg reports that a diagnosis has ended.
type doctorDoneMsg struct{ run int }

// doctorState is the diagnosis in progress, if any.
type doctorState struct {
	run     int // increments with each run; messages of older runs are dropped
	running bool
	cancel  context.CancelFunc
	events  chan doctor.Event
}

// startDoctor begins a diagnosis: the runner goes on a goroutine started
// by the returned command, never inside Update.
func (m *Model) startDoctor() tea.Cmd {
	if m.opts.Doctor == nil {
		m.note(session.KindWarning, "the doctor is not available in this session")
		return nil
	}
	if m.doctor.running {
		m.note(session.KindInfo, "the doctor is still running; its verdict comes in the pane")
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.doctor = doctorState{run: m.doctor.run + 1, running: true, cancel: cancel, events: make(chan doctor.Event, doctorQueue)}
	login := ""
	if m.opts.DoctorLogin != "" {
		login = ", logging in with " + m.opts.DoctorLogin
	}
	m.note(session.KindInfo, "doctor: diagnosing %s stage by stage, on a connection of its own%s (this session is left as it is)", m.opts.Address, login)
	run, events, runner := m.doctor.run, m.doctor.events, m.opts.Doctor
	start := func() tea.Msg {
		go func() {
			defer close(events)
			defer func() {
				if r := recover(); r != nil {
					events <- doctor.Event{Kind: doctor.EventVerdict, Verdict: &doctor.Verdict{Title: fmt.Sprintf("the doctor stopped: %v", r)}}
				}
			}()
			runner(ctx, func(e doctor.Event) {
				select {
				case events <- e:
				case <-ctx.Done():
				}
			})
		}()
		return waitDoctor(run, events)()
	}
	return start
}

// waitDoctor returns a command that waits for the next step of run.
func waitDoctor(run int, events <-chan doctor.Event) tea.Cmd {
	return func() tea.Msg {
		e, ok := <-events
		if !ok {
			return doctorDoneMsg{run: run}
		}
		return doctorEventMsg{run: run, event: e}
	}
}

// handleDoctorMsg renders a step in the pane and waits for the next.
func (m *Model) handleDoctorMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case doctorEventMsg:
		if msg.run != m.doctor.run {
			return nil, true
		}
		m.noteDoctorEvent(msg.event)
		return waitDoctor(msg.run, m.doctor.events), true
	case doctorDoneMsg:
		if msg.run == m.doctor.run {
			m.doctor.running = false
			m.doctor.cancel()
		}
		return nil, true
	}
	return nil, false
}

// doctorKinds shows each status as a pane note of the matching colour.
var doctorKinds = map[doctor.Status]session.Kind{
	doctor.StatusPass: session.KindInfo, doctor.StatusSkip: session.KindInfo,
	doctor.StatusWarn: session.KindWarning, doctor.StatusFail: session.KindError,
}

// doctorMarks mark a stage's status in its note.
var doctorMarks = map[doctor.Status]string{
	doctor.StatusPass: "✓", doctor.StatusWarn: "!", doctor.StatusFail: "✗", doctor.StatusSkip: "·",
}

// doctorInputWords say why the doctor of this session lacked a stage's
// input: it takes the login given when smtpscope started, and sends no
// mail.
var doctorInputWords = map[doctor.Input]string{
	doctor.InputSender:    "the doctor here tests no sender unless the login name is an address",
	doctor.InputRecipient: "the doctor here tests no recipient",
	doctor.InputUser:      "the doctor here logs in only with the username smtpscope was started with",
	doctor.InputSecret:    "the doctor here logs in only with a password given when smtpscope started",
	doctor.InputSend:      "the doctor here sends no message",
}

// noteDoctorEvent writes one step of the diagnosis as pane notes.
func (m *Model) noteDoctorEvent(e doctor.Event) {
	switch e.Kind {
	case doctor.EventStageDone:
		r := e.Result
		summary := r.Summary
		if how := doctorInputWords[r.Needs]; how != "" {
			summary += " (" + how + ")"
		}
		m.note(doctorKinds[r.Status], "doctor %s %-9s %s", doctorMarks[r.Status], r.Stage, summary)
		for _, w := range r.Warnings {
			m.note(session.KindWarning, "doctor     %s", w)
		}
	case doctor.EventVerdict:
		v := e.Verdict
		m.panel.SetVerdict(v)
		if v.OK {
			m.note(session.KindInfo, "doctor verdict: %s", v.Title)
			return
		}
		m.note(session.KindError, "doctor verdict (%s): %s", v.Stage, v.Title)
		for i, f := range v.Fix {
			m.note(session.KindInfo, "doctor   %d. %s", i+1, f)
		}
	}
}
