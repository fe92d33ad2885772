package learn

import (
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// awaitGuard bounds every wait for the sandbox; it is a guard against a
// hang, not a measure of speed.
const awaitGuard = 20 * time.Second

// greylistDelay is the sandbox's greylist in the test, on a fake clock.
const greylistDelay = 5 * time.Second

// fakeClock is the sandbox's clock in the greylisting lesson.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// learner drives a real session against a real sandbox the way a person
// in the lesson would, and feeds every event to a course on the lesson.
type learner struct {
	t      *testing.T
	s      *session.Session
	course *Course
	clock  *fakeClock
	seen   []session.Event
	pos    int
}

// newLearner starts the sandbox the lesson's setup asks for and a session
// to it that sends nothing by itself, as the sandbox session of the TUI.
func newLearner(t *testing.T, tr *Track, id string, setup Setup) *learner {
	t.Helper()
	// The sandbox makes its certificate from its clock and the session
	// verifies it with the real one, so the fake clock starts now; from
	// there only the test moves it.
	clock := &fakeClock{now: time.Now()}
	srv, err := sandbox.Start(sandbox.Config{
		Scenario: setup.Scenario, MaxMessageSize: setup.MaxSize, GreylistDelay: greylistDelay, Now: clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	s := session.New(session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), SNI: srv.Hostname()})
	l := &learner{t: t, s: s, course: NewCourse(tr, Progress{Current: id}), clock: clock}
	t.Cleanup(l.close)
	s.Connect()
	l.await("the greeting", func(e session.Event) bool { return e.Kind == session.KindReply && e.Command == "" })
	return l
}

// await reads events, feeding each to the course, until one satisfies ok.
func (l *learner) await(what string, ok func(session.Event) bool) session.Event {
	l.t.Helper()
	guard := time.NewTimer(awaitGuard)
	defer guard.Stop()
	for {
		for ; l.pos < len(l.seen); l.pos++ {
			if e := l.seen[l.pos]; ok(e) {
				l.pos++
				return e
			}
		}
		select {
		case batch, open := <-l.s.Events():
			if !open {
				l.t.Fatalf("the session ended before %s:\n%s", what, l.dump())
			}
			for _, e := range batch {
				l.course.Observe(e)
			}
			l.seen = append(l.seen, batch...)
		case <-guard.C:
			l.t.Fatalf("no %s:\n%s", what, l.dump())
		}
	}
}

// replyTo waits for the next reply to verb and checks its code.
func (l *learner) replyTo(verb string, code int) {
	l.t.Helper()
	e := l.await("a reply to "+verb, func(e session.Event) bool { return e.Kind == session.KindReply && e.Command == verb })
	if e.Reply.Code != code {
		l.t.Fatalf("%s answered %d, the lesson expects %d:\n%s", verb, e.Reply.Code, code, l.dump())
	}
}

// cmd types a command and checks the reply the lesson expects.
func (l *learner) cmd(line string, code int) {
	l.t.Helper()
	l.s.Send(line)
	l.replyTo(protocol.ParseCommand(line).Verb, code)
}

// answer types the answer to a 334 and checks the reply.
func (l *learner) answer(line string, code int) {
	l.t.Helper()
	l.s.Send(line)
	l.replyTo(protocol.VerbAUTH, code)
}

// startTLS upgrades the way the composer does for a typed STARTTLS.
func (l *learner) startTLS() {
	l.t.Helper()
	l.s.StartTLS()
	l.await("EHLO inside TLS", func(e session.Event) bool {
		return e.Kind == session.KindReply && e.Command == protocol.VerbEHLO && e.TLS
	})
}

// body sends message content after a 354 and checks the final reply.
func (l *learner) body(text string, code int) {
	l.t.Helper()
	l.s.SendBody(strings.NewReader(text), int64(len(text)))
	l.replyTo(protocol.EndOfDataVerb, code)
}

func (l *learner) close() {
	l.s.Close()
	guard := time.NewTimer(awaitGuard)
	defer guard.Stop()
	for {
		select {
		case _, open := <-l.s.Events():
			if !open {
				return
			}
		case <-guard.C:
			l.t.Error("the session did not end after Close")
			return
		}
	}
}

func (l *learner) dump() string {
	var b strings.Builder
	for _, e := range l.seen {
		if e.Kind == session.KindClient || e.Kind == session.KindServer || e.Kind == session.KindError {
			b.WriteString(e.Text + "\n")
		}
	}
	return b.String()
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// solutions play each lesson as a learner following its hints would.
var solutions = map[string]func(l *learner){
	"greeting": func(l *learner) {
		l.cmd("HELO laptop.example", 250)
		l.cmd("EHLO laptop.example", 250)
	},
	"capabilities": func(l *learner) {
		l.cmd("EHLO laptop.example", 250)
		l.cmd("MAIL FROM:<you@example.com> SIZE=2000 BODY=8BITMIME", 250)
	},
	"first-message": func(l *learner) {
		l.cmd("EHLO laptop.example", 250)
		l.cmd("MAIL FROM:<demo@sandbox.test>", 250)
		l.cmd("RCPT TO:<friend@sandbox.test>", 250)
		l.cmd("DATA", 354)
		l.body("Subject: hello\r\n\r\nHello by hand\r\n", 250)
		l.cmd("QUIT", 221)
	},
	"reply-codes": func(l *learner) {
		l.cmd("EHLO laptop.example", 250)
		l.cmd("RCPT TO:<friend@sandbox.test>", 503)
		l.cmd("MAIL FROM:demo@sandbox.test", 501)
		l.cmd("MAIL FROM:<demo@sandbox.test> SIZE=5000", 552)
		l.cmd("MAIL FROM:<demo@sandbox.test>", 250)
		l.cmd("RCPT TO:<someone@elsewhere.example>", 550)
	},
	"starttls": func(l *learner) {
		l.cmd("EHLO laptop.example", 250)
		l.startTLS()
	},
	"auth-plain": func(l *learner) {
		l.cmd("EHLO laptop.example", 250)
		l.startTLS()
		l.cmd("AUTH PLAIN", 334)
		l.answer(b64("\x00demo\x00demo-password"), 235)
	},
	"auth-login": func(l *learner) {
		l.cmd("EHLO laptop.example", 250)
		l.startTLS()
		l.cmd("AUTH LOGIN", 334)
		l.answer(b64("demo"), 334)
		l.answer(b64("demo-password"), 235)
	},
	"message-format": func(l *learner) {
		l.cmd("EHLO laptop.example", 250)
		l.cmd("MAIL FROM:<demo@sandbox.test>", 250)
		l.cmd("RCPT TO:<friend@sandbox.test>", 250)
		l.cmd("DATA", 354)
		l.body("From: <demo@sandbox.test>\r\nTo: <friend@sandbox.test>\r\nSubject: dots\r\n\r\nfirst\r\n.profile\r\nend\r\n", 250)
	},
	"pipelining": func(l *learner) {
		l.cmd("EHLO laptop.example", 250)
		l.s.Pipeline([]string{"MAIL FROM:<demo@sandbox.test>", "RCPT TO:<friend@sandbox.test>", "DATA"})
		l.replyTo(protocol.VerbDATA, 354)
		l.body("Subject: together\r\n\r\nhi\r\n", 250)
	},
	"provider-fix": func(l *learner) {
		l.cmd("EHLO laptop.example", 250)
		l.startTLS()
		l.s.Auth(session.AuthRequest{Mechanism: "LOGIN", Username: sandbox.DemoAddress, Secret: sandbox.DemoAccountPassword})
		l.replyTo(protocol.VerbAUTH, 334)
		l.replyTo(protocol.VerbAUTH, 334)
		l.replyTo(protocol.VerbAUTH, 534)
		l.s.Auth(session.AuthRequest{Mechanism: "PLAIN", Username: sandbox.DemoAddress, Secret: sandbox.DemoPassword})
		l.replyTo(protocol.VerbAUTH, 235)
	},
	"greylisting": func(l *learner) {
		l.cmd("EHLO laptop.example", 250)
		l.cmd("MAIL FROM:<demo@sandbox.test>", 250)
		l.cmd("RCPT TO:<friend@sandbox.test>", 450)
		l.clock.Advance(greylistDelay + time.Second)
		l.cmd("RCPT TO:<friend@sandbox.test>", 250)
		l.cmd("DATA", 354)
		l.body("Subject: at last\r\n\r\nhi\r\n", 250)
	},
}

// TestLessonsAgainstTheSandbox plays every lesson through a real session
// against the real sandbox set up as the lesson says: each reply code the
// catalog's goal waits for is the one the sandbox sends, so the catalog
// cannot drift from the sandbox.
func TestLessonsAgainstTheSandbox(t *testing.T) {
	tr := english(t)
	for _, lesson := range tr.Lessons {
		solve, ok := solutions[lesson.ID]
		if !ok {
			t.Errorf("lesson %s has no solution to play against the sandbox: add it to solutions", lesson.ID)
			continue
		}
		t.Run(lesson.ID, func(t *testing.T) {
			t.Parallel()
			l := newLearner(t, tr, lesson.ID, lesson.Sandbox)
			solve(l)
			if !l.course.Reached() {
				t.Fatalf("the goal was not reached; steps %+v\n%s", l.course.Steps(), l.dump())
			}
		})
	}
}

// What comes close against the real sandbox must not pass: the server's
// refusal of the right command, the right result reached by smtpscope
// instead of by hand, or the lesson's failure on a sandbox not set up for
// it.
func TestLessonsAgainstTheSandboxNotPassed(t *testing.T) {
	tr := english(t)
	cases := []struct {
		name, lesson string
		setup        Setup
		play         func(l *learner)
	}{
		{"AUTH PLAIN typed with a wrong password", "auth-plain", Setup{}, func(l *learner) {
			l.cmd("EHLO laptop.example", 250)
			l.startTLS()
			l.cmd("AUTH PLAIN "+b64("\x00demo\x00not-the-password"), 535)
		}},
		{"AUTH PLAIN before TLS", "auth-plain", Setup{}, func(l *learner) {
			l.cmd("EHLO laptop.example", 250)
			l.s.Send("AUTH PLAIN " + b64("\x00demo\x00demo-password"))
			e := l.await("the refusal", func(e session.Event) bool { return e.Kind == session.KindReply && e.Command == protocol.VerbAUTH })
			if e.Reply.Code < 400 {
				l.t.Fatalf("AUTH before TLS answered %d", e.Reply.Code)
			}
		}},
		{"AUTH PLAIN run by smtpscope", "auth-plain", Setup{}, func(l *learner) {
			l.cmd("EHLO laptop.example", 250)
			l.startTLS()
			l.s.Auth(session.AuthRequest{Mechanism: "PLAIN", Username: sandbox.DemoUsername, Secret: sandbox.DemoPassword})
			l.replyTo(protocol.VerbAUTH, 235)
		}},
		{"a message sent by the form", "first-message", Setup{}, func(l *learner) {
			l.cmd("EHLO laptop.example", 250)
			body := "Subject: form\r\n\r\nhi\r\n"
			l.s.SendMessage(session.Message{From: "demo@sandbox.test", To: []string{"friend@sandbox.test"},
				Body: strings.NewReader(body), Size: int64(len(body))})
			l.await("the message's reply", func(e session.Event) bool {
				return e.Kind == session.KindReply && (e.Command == protocol.EndOfDataVerb || e.Command == protocol.VerbBDAT) && e.Reply.Code == 250
			})
			l.cmd("QUIT", 221)
		}},
		{"SIZE=5000 on the default size limit", "reply-codes", Setup{}, func(l *learner) {
			l.cmd("EHLO laptop.example", 250)
			l.cmd("RCPT TO:<friend@sandbox.test>", 503)
			l.cmd("MAIL FROM:demo@sandbox.test", 501)
			l.cmd("MAIL FROM:<demo@sandbox.test> SIZE=5000", 250)
			l.cmd("RCPT TO:<someone@elsewhere.example>", 550)
		}},
		{"commands one at a time", "pipelining", Setup{}, func(l *learner) {
			l.cmd("EHLO laptop.example", 250)
			l.cmd("MAIL FROM:<demo@sandbox.test>", 250)
			l.cmd("RCPT TO:<friend@sandbox.test>", 250)
			l.cmd("DATA", 354)
			l.body("hi\r\n", 250)
		}},
		{"a recipient not yet greylisted on the default sandbox", "greylisting", Setup{}, func(l *learner) {
			l.cmd("EHLO laptop.example", 250)
			l.cmd("MAIL FROM:<demo@sandbox.test>", 250)
			l.cmd("RCPT TO:<friend@sandbox.test>", 250)
			l.cmd("DATA", 354)
			l.body("hi\r\n", 250)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l := newLearner(t, tr, c.lesson, c.setup)
			c.play(l)
			if l.course.Reached() {
				t.Errorf("the goal of %s was reached; steps %+v\n%s", c.lesson, l.course.Steps(), l.dump())
			}
		})
	}
}
