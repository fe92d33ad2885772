package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// flowTimeout guards every wait on the real session; tests never assert
// on time.
const flowTimeout = 10 * time.Second

// liveModel is a model on a real session against an in-process sandbox.
type liveModel struct {
	m   *Model
	s   *session.Session
	srv *sandbox.Server
}

func startLive(t *testing.T) *liveModel {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	s := session.New(session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), SNI: srv.Hostname()})
	t.Cleanup(func() {
		s.Close()
		select {
		case <-s.Done():
		case <-time.After(flowTimeout):
		}
	})
	m := New(Options{
		Engine: s, Styles: themes.NoColor(), ThemeFixed: true,
		Address: srv.Addr(), Host: srv.Hostname(), Sandbox: true, Username: sandbox.DemoUsername,
		SandboxCA: srv.CACertificatePEM(),
	})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	s.Connect()
	return &liveModel{m: m, s: s, srv: srv}
}

// pump feeds event batches into the model until cond holds.
func (l *liveModel) pump(t *testing.T, what string, cond func(m *Model) bool) {
	t.Helper()
	deadline := time.After(flowTimeout)
	for !cond(l.m) {
		select {
		case batch, ok := <-l.s.Events():
			if !ok {
				t.Fatalf("session ended while waiting for %s", what)
			}
			l.m.Update(EventsMsg(batch))
		case <-deadline:
			t.Fatalf("timed out waiting for %s:\n%s", what, plain(l.m))
		}
	}
}

// run executes a command's message (and the messages it leads to) the way
// the program would.
func (l *liveModel) run(cmd tea.Cmd) {
	for cmd != nil {
		msg := cmd()
		if msg == nil {
			return
		}
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				l.run(c)
			}
			return
		}
		_, cmd = l.m.Update(msg)
	}
}

// TestSecretNeverRenderedNorSaved logs in to the sandbox through the AUTH
// dialog and checks that no frame and no default-mode saved transcript
// holds the secret (nor, in the saved file, the username).
func TestSecretNeverRenderedNorSaved(t *testing.T) {
	l := startLive(t)
	l.pump(t, "the banner", func(m *Model) bool { return m.greeting != "" })
	typeText(l.m, "EHLO client.example")
	press(l.m, "enter")
	l.pump(t, "EHLO", func(m *Model) bool { return m.snap.Extended })
	press(l.m, "ctrl+t")
	l.pump(t, "TLS and the second EHLO", func(m *Model) bool { return m.tls != nil && len(m.snap.Caps.AuthMechanisms()) > 0 })

	secret := sandbox.DemoPassword
	var frames []string
	press(l.m, "ctrl+a")
	frames = append(frames, screen(l.m))
	for _, r := range secret {
		l.m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		frames = append(frames, screen(l.m))
	}
	_, cmd := l.m.Update(keyPress("enter"))
	l.run(cmd)
	l.pump(t, "AUTH to succeed", func(m *Model) bool { return m.auth == authOK })
	frames = append(frames, screen(l.m))
	press(l.m, "shift+tab")
	for range l.m.pane.Len() {
		press(l.m, "up")
		frames = append(frames, screen(l.m))
	}
	for i, f := range frames {
		if strings.Contains(ansi.Strip(f), secret) {
			t.Fatalf("frame %d shows the secret:\n%s", i, ansi.Strip(f))
		}
	}

	path := filepath.Join(t.TempDir(), "transcript.txt")
	_, cmd = l.m.Update(SaveSubmitMsg{Path: path})
	l.run(cmd)
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(saved)
	if !strings.Contains(text, "235") {
		t.Fatalf("saved transcript lacks the AUTH exchange:\n%s", text)
	}
	if strings.Contains(text, secret) {
		t.Fatalf("saved transcript holds the secret:\n%s", text)
	}
	if regexp.MustCompile(`\bdemo\b`).MatchString(strings.ReplaceAll(text, "demo-", "")) {
		t.Fatalf("default-mode transcript shows the username:\n%s", text)
	}
}

// stripped removes escape sequences and blanks, so that text the renderer
// wrote with cursor moves in between can still be found.
func stripped(b []byte) string {
	return strings.Join(strings.Fields(ansi.Strip(string(b))), "")
}

// TestProgramFlowOnSandbox runs the real tea.Program (teatest) on the
// sandbox: the banner arrives, EHLO is typed, its reply is drawn, and
// ctrl+q ends the program.
func TestProgramFlowOnSandbox(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	s := session.New(session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), SNI: srv.Hostname()})
	m := New(Options{
		Engine: s, Events: s.Events(), Styles: themes.NoColor(), ThemeFixed: true,
		Address: srv.Addr(), Host: srv.Hostname(), Sandbox: true,
	})
	s.Connect()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	waitText := func(text string) {
		t.Helper()
		want := strings.Join(strings.Fields(text), "")
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(stripped(b), want) },
			teatest.WithDuration(flowTimeout), teatest.WithCheckInterval(20*time.Millisecond))
	}
	waitText("220 sandbox.test ESMTP")
	tm.Type("EHLO client.example")
	tm.Send(keyPress("enter"))
	waitText("250 STARTTLS")
	tm.Send(keyPress("ctrl+q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowTimeout))
	select {
	case <-s.Done():
	case <-time.After(flowTimeout):
		t.Fatal("the session did not end after quitting")
	}
}

// TestScreenAndSavedTranscriptAgree runs a session with the UI's own
// notes, a refused command and a reconnect: every line the pane shows is
// in the saved text transcript, in order, with its time, the old
// connection's last lines included.
func TestScreenAndSavedTranscriptAgree(t *testing.T) {
	l := startLive(t)
	l.pump(t, "the banner", func(m *Model) bool { return m.greeting != "" })
	typeText(l.m, "EHLO client.example")
	press(l.m, "enter")
	l.pump(t, "EHLO", func(m *Model) bool { return m.snap.Extended })
	typeText(l.m, "RCPT TO:<x@sandbox.test>")
	press(l.m, "enter", "enter") // warned, then sent anyway: refused
	l.pump(t, "the refusal", func(m *Model) bool { return m.errors > 0 })
	press(l.m, "ctrl+r")
	l.pump(t, "the second greeting", func(m *Model) bool { return m.gen == 2 && m.greeting != "" })

	path := filepath.Join(t.TempDir(), "t.txt")
	_, cmd := l.m.Update(SaveSubmitMsg{Path: path})
	l.run(cmd)
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	file := string(saved)
	at := 0
	for i := range l.m.pane.Len() {
		r := l.m.pane.store.At(i)
		stamp := l.m.ctx.Local(time.Unix(0, r.at)).Format(session.TextTimeLayout)
		want := stamp + " " + transcriptMark(r) + " " + r.text
		j := strings.Index(file[at:], want)
		if j < 0 {
			t.Fatalf("the pane shows %q; the saved transcript, from where it was, lacks it:\n%s", want, file[at:])
		}
		at += j + len(want)
	}
	if !strings.Contains(file, "# connection 2") || !strings.Contains(file, "reconnecting") {
		t.Errorf("the transcript lacks the reconnect:\n%s", file)
	}
}

// transcriptMark is how a saved text transcript marks a pane record.
func transcriptMark(r *record) string {
	switch r.kind {
	case session.KindClient:
		return "C:"
	case session.KindServer:
		return "S:"
	case session.KindWarning:
		return "⚠"
	case session.KindError:
		return "✗"
	}
	return "•"
}
