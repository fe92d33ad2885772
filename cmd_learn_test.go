package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/learn"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/ui"
)

// learnGuard bounds every wait on the sandbox in these tests.
const learnGuard = 20 * time.Second

// Flag mistakes are usage errors, reported before the terminal check and
// before the progress is touched: --reset without a terminal resets
// nothing.
func TestLearnUsageErrors(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	store := learn.Store{Dir: filepath.Join(state, "smtpscope")}
	if err := store.Save(learn.Progress{Current: "starttls", Completed: []string{"greeting"}}); err != nil {
		t.Fatal(err)
	}
	saved := stdioIsTerminal
	stdioIsTerminal = func() bool { return false }
	t.Cleanup(func() { stdioIsTerminal = saved })
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"learn", "--lesson", "99"}, "choose a lesson from 1 to"},
		{[]string{"learn", "--lesson", "-1"}, "choose a lesson from 1 to"},
		{[]string{"learn", "--lesson", "two"}, "invalid argument"},
		{[]string{"learn", "--theme", "nope"}, "dark, light"},
		{[]string{"learn", "now"}, "unknown command"},
		{[]string{"learn", "--reset"}, "needs a terminal"},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), c.args, strings.NewReader(""), &out, &errOut)
		if code != exitUsage || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errOut.String(), exitUsage, c.want)
		}
	}
	if p, err := store.Load(); err != nil || p.Current != "starttls" {
		t.Errorf("progress after failed runs: %+v, %v; want it untouched", p, err)
	}
}

func TestStartCourse(t *testing.T) {
	track, err := learn.Load(learn.DefaultLanguage)
	if err != nil {
		t.Fatal(err)
	}
	store := learn.Store{Dir: t.TempDir()}
	if err := store.Save(learn.Progress{Current: "starttls"}); err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]string{0: "starttls", 1: "greeting", 7: "auth-login"} {
		c, err := startCourse(track, store, n)
		if err != nil || c.Lesson().ID != want {
			t.Errorf("--lesson %d: %v, at %s; want %s", n, err, c.Lesson().ID, want)
		}
	}
	if err := os.WriteFile(store.Path(), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := startCourse(track, store, 0); err == nil || !strings.Contains(err.Error(), "--reset") {
		t.Errorf("damaged progress: %v", err)
	}
}

// events reads a session's events until one satisfies ok.
type eventReader struct {
	t *testing.T
	s *session.Session
}

func (r eventReader) until(what string, ok func(session.Event) bool) session.Event {
	r.t.Helper()
	guard := time.NewTimer(learnGuard)
	defer guard.Stop()
	for {
		select {
		case batch, open := <-r.s.Events():
			if !open {
				r.t.Fatalf("the session ended before %s", what)
			}
			for _, e := range batch {
				if e.Kind == session.KindError {
					r.t.Logf("session error: %s", e.Text)
				}
				if ok(e) {
					return e
				}
			}
		case <-guard.C:
			r.t.Fatalf("no %s", what)
		}
	}
}

func greeting(e session.Event) bool { return e.Kind == session.KindReply && e.Command == "" }

// The runner restarts the sandbox with a lesson's setup when the session
// reconnects: same address, same trust, the new scenario's replies.
func TestSandboxRunnerRestartsForALesson(t *testing.T) {
	runner, err := startSandboxRunner(learn.Setup{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { runner.Close() })
	var cfg session.Config
	var opts ui.Options
	runner.configure(&cfg, &opts)
	addr := cfg.Address
	s := session.New(cfg)
	t.Cleanup(func() {
		s.Close()
		select {
		case <-s.Done():
		case <-time.After(learnGuard):
		}
	})
	ev := eventReader{t, s}
	s.Connect()
	if g := ev.until("the greeting", greeting); strings.Contains(g.Reply.OneLine(), "gsmtp") {
		t.Fatalf("the default sandbox greets like Gmail: %s", g.Reply.OneLine())
	}

	creds, err := runner.Prepare(learn.Setup{Scenario: "gmail"})
	if err != nil || !strings.Contains(strings.Join(creds, "\n"), "app password") {
		t.Fatalf("Prepare(gmail) = %v, %v; want Gmail's demo logins", creds, err)
	}
	s.Reconnect()
	if g := ev.until("Gmail's greeting", greeting); !strings.Contains(g.Reply.OneLine(), "gsmtp") {
		t.Fatalf("after the restart: %s", g.Reply.OneLine())
	}
	s.Send("EHLO laptop.example")
	ev.until("EHLO", func(e session.Event) bool { return e.Kind == session.KindReply && e.Command == protocol.VerbEHLO })
	s.StartTLS()
	tlsEvent := ev.until("the TLS handshake", func(e session.Event) bool {
		return e.Kind == session.KindTLS || (e.Kind == session.KindError && strings.Contains(e.Text, "certificate"))
	})
	if tlsEvent.Kind != session.KindTLS || !tlsEvent.TLSInfo.Verified {
		t.Fatalf("the restarted sandbox is not trusted: %s", tlsEvent.Text)
	}

	if _, err := runner.Prepare(learn.Setup{MaxSize: 1000}); err != nil {
		t.Fatal(err)
	}
	s.Reconnect()
	ev.until("the default greeting again", greeting)
	s.Send("EHLO laptop.example")
	ehlo := ev.until("EHLO", func(e session.Event) bool { return e.Kind == session.KindReply && e.Command == protocol.VerbEHLO })
	if caps := protocol.ParseEHLO(*ehlo.Reply); !strings.Contains(strings.Join(caps.Keywords(), " "), "SIZE") {
		t.Fatalf("EHLO %s", ehlo.Reply.OneLine())
	} else if limit, _ := caps.Size(); limit != 1000 {
		t.Errorf("SIZE %d after the restart, want 1000", limit)
	}
	if runner.srv.Addr() != addr || runner.Running().MaxSize != 1000 {
		t.Errorf("the sandbox moved to %s (%+v)", runner.srv.Addr(), runner.Running())
	}
	if _, err := runner.Prepare(learn.Setup{Scenario: "nope"}); err == nil {
		t.Error("Prepare accepted an unknown scenario")
	}
}

// A restart that fails puts the running setup back, so that the next
// reconnect finds a sandbox again.
func TestSandboxRunnerRestartFailureKeepsTheSandbox(t *testing.T) {
	runner, err := startSandboxRunner(learn.Setup{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { runner.Close() })
	runner.want = learn.Setup{Scenario: "no-such-scenario"}
	if err := runner.restartIfWanted(); err == nil || !strings.Contains(err.Error(), "no-such-scenario") {
		t.Fatalf("restart error %v", err)
	}
	conn, err := runner.dial(context.Background(), "tcp", runner.srv.Addr())
	if err != nil {
		t.Fatalf("after a failed restart: %v", err)
	}
	conn.Close()
	if !runner.Running().Same(learn.Setup{}) {
		t.Errorf("running %+v", runner.Running())
	}
}
