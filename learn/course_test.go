package learn

import (
	"testing"

	"github.com/smtpscope/smtpscope/session"
)

// lessonCase is one lesson's goal driven by injected events: a session
// that reaches it, and sessions that come close and must not.
type lessonCase struct {
	reach func(s *script)
	miss  map[string]func(s *script)
}

// lessonCases covers every lesson of the English track, by id.
var lessonCases = map[string]lessonCase{
	"greeting": {
		reach: func(s *script) { s.cmd("HELO laptop", "250 sandbox.test").ehlo() },
		miss: map[string]func(s *script){
			"EHLO only": func(s *script) { s.ehlo() },
			"HELO refused": func(s *script) {
				s.cmd("HELO", "501 5.5.4 Syntax: HELO hostname").ehlo()
			},
		},
	},
	"capabilities": {
		reach: func(s *script) {
			s.ehlo().cmd("MAIL FROM:<a@example.com> SIZE=2000 BODY=8BITMIME", "250 2.1.0 Sender OK")
		},
		miss: map[string]func(s *script){
			"no parameters": func(s *script) { s.ehlo().cmd("MAIL FROM:<a@example.com>", "250 2.1.0 Sender OK") },
			"SIZE only":     func(s *script) { s.ehlo().cmd("MAIL FROM:<a@example.com> SIZE=20", "250 2.1.0 Sender OK") },
			"too big, refused": func(s *script) {
				s.ehlo().cmd("MAIL FROM:<a@example.com> SIZE=99999999999 BODY=8BITMIME", "552 5.3.4 Message size exceeds fixed maximum")
			},
			"no EHLO list seen": func(s *script) {
				s.cmd("MAIL FROM:<a@example.com> SIZE=2000 BODY=8BITMIME", "250 2.1.0 Sender OK")
			},
		},
	},
	"first-message": {
		reach: func(s *script) {
			s.ehlo().envelope().message("Subject: hi", "", "hello").cmd("QUIT", "221 2.0.0 Bye")
		},
		miss: map[string]func(s *script){
			"no QUIT": func(s *script) { s.ehlo().envelope().message("hello") },
			"the message refused": func(s *script) {
				s.ehlo().envelope().cmd("DATA", "354 go ahead").bodyLine("hello").dot().
					reply(".", "554 5.7.1 Message rejected").cmd("QUIT", "221 Bye")
			},
			"RCPT refused, DATA too": func(s *script) {
				s.ehlo().cmd("MAIL FROM:<demo@sandbox.test>", "250 OK").cmd("RCPT TO:<x@elsewhere>", "550 5.1.1 no").
					cmd("DATA", "554 5.5.1 No valid recipients").cmd("QUIT", "221 Bye")
			},
			"sent by the message form": func(s *script) {
				s.ehlo().auto("MAIL FROM:<demo@sandbox.test>").reply("MAIL", "250 OK").
					auto("RCPT TO:<friend@sandbox.test>").reply("RCPT", "250 OK").
					auto("DATA").reply("DATA", "354 go").bodyLine("hi").dot().reply(".", "250 OK").
					cmd("QUIT", "221 Bye")
			},
		},
	},
	"reply-codes": {
		reach: func(s *script) {
			s.ehlo().cmd("RCPT TO:<friend@sandbox.test>", "503 5.5.1 Send MAIL FROM first").
				cmd("MAIL FROM:demo@sandbox.test", "501 5.5.4 Syntax error").
				cmd("MAIL FROM:<demo@sandbox.test> SIZE=5000", "552 5.3.4 too big").
				cmd("MAIL FROM:<demo@sandbox.test>", "250 OK").
				cmd("RCPT TO:<someone@elsewhere.example>", "550 5.1.1 Recipient address rejected")
		},
		miss: map[string]func(s *script){
			"three of four": func(s *script) {
				s.ehlo().cmd("RCPT TO:<friend@sandbox.test>", "503 5.5.1 Send MAIL FROM first").
					cmd("MAIL FROM:demo@sandbox.test", "501 5.5.4 Syntax error").
					cmd("MAIL FROM:<demo@sandbox.test> SIZE=5000", "552 5.3.4 too big")
			},
			"503 to another command": func(s *script) {
				s.ehlo().cmd("DATA", "503 5.5.1 Send MAIL FROM first").
					cmd("MAIL FROM:demo@sandbox.test", "501 5.5.4 Syntax error").
					cmd("MAIL FROM:<demo@sandbox.test> SIZE=5000", "552 5.3.4 too big").
					cmd("MAIL FROM:<demo@sandbox.test>", "250 OK").
					cmd("RCPT TO:<someone@elsewhere.example>", "550 5.1.1 rejected")
			},
		},
	},
	"starttls": {
		reach: func(s *script) { s.ehlo().handshake(true).auto("EHLO laptop").reply("EHLO", ehloTLS) },
		miss: map[string]func(s *script){
			"STARTTLS refused": func(s *script) {
				s.ehlo().cmd("STARTTLS", "454 4.7.0 TLS not available").ehlo()
			},
			"certificate not verified": func(s *script) {
				s.ehlo().handshake(false).auto("EHLO laptop").reply("EHLO", ehloTLS)
			},
			"no EHLO after the handshake": func(s *script) { s.ehlo().handshake(true) },
		},
	},
	"auth-plain": {
		reach: func(s *script) {
			s.ehlo().handshake(true).ehlo().authPlainByHand("235 2.7.0 Authentication successful")
		},
		miss: map[string]func(s *script){
			"refused": func(s *script) {
				s.ehlo().handshake(true).ehlo().authPlainByHand("535 5.7.8 Authentication credentials invalid")
			},
			"through the AUTH dialog": func(s *script) {
				s.ehlo().handshake(true).ehlo().auto("AUTH PLAIN ●●●●●●●● (username and password, redacted)").
					reply("AUTH", "235 2.7.0 Authentication successful")
			},
			"another mechanism": func(s *script) {
				s.ehlo().handshake(true).ehlo().authLogin(false, "235 2.7.0 Authentication successful")
			},
			"cancelled": func(s *script) {
				s.ehlo().handshake(true).ehlo().send("AUTH PLAIN").reply("AUTH", "334 ").send("*").
					reply("AUTH", "501 5.0.0 Authentication cancelled")
			},
		},
	},
	"auth-login": {
		reach: func(s *script) {
			s.ehlo().handshake(true).ehlo().authLogin(false, "235 2.7.0 Authentication successful")
		},
		miss: map[string]func(s *script){
			"wrong password": func(s *script) {
				s.ehlo().handshake(true).ehlo().authLogin(false, "535 5.7.8 Authentication credentials invalid")
			},
			"run by the AUTH dialog": func(s *script) {
				s.ehlo().handshake(true).ehlo().authLogin(true, "235 2.7.0 Authentication successful")
			},
			"PLAIN instead": func(s *script) {
				s.ehlo().handshake(true).ehlo().authPlainByHand("235 2.7.0 Authentication successful")
			},
		},
	},
	"message-format": {
		reach: func(s *script) {
			s.ehlo().envelope().message("From: <demo@sandbox.test>", "To: <friend@sandbox.test>", "Subject: dots",
				"", "first line", "..profile", "last line")
		},
		miss: map[string]func(s *script){
			"no dotted line": func(s *script) {
				s.ehlo().envelope().message("From: a", "To: b", "Subject: c", "", "plain body")
			},
			"no Subject": func(s *script) {
				s.ehlo().envelope().message("From: a", "To: b", "", "..x")
			},
			"no body": func(s *script) {
				s.ehlo().envelope().message("From: a", "To: b", "Subject: c", "..x")
			},
			"refused": func(s *script) {
				s.ehlo().envelope().cmd("DATA", "354 go").bodyLine("From: a").bodyLine("To: b").bodyLine("Subject: c").
					bodyLine("").bodyLine("..x").dot().reply(".", "552 5.3.4 too big")
			},
		},
	},
	"pipelining": {
		reach: func(s *script) {
			s.ehlo().send("MAIL FROM:<demo@sandbox.test>").send("RCPT TO:<friend@sandbox.test>").send("DATA").
				reply("MAIL", "250 OK").reply("RCPT", "250 OK").reply("DATA", "354 go").
				bodyLine("hi").dot().reply(".", "250 OK")
		},
		miss: map[string]func(s *script){
			"one at a time": func(s *script) { s.ehlo().envelope().message("hi") },
			"RCPT refused in the group": func(s *script) {
				s.ehlo().send("MAIL FROM:<demo@sandbox.test>").send("RCPT TO:<x@elsewhere>").send("DATA").
					reply("MAIL", "250 OK").reply("RCPT", "550 5.1.1 no").reply("DATA", "554 5.5.1 No valid recipients")
			},
		},
	},
	"provider-fix": {
		reach: func(s *script) {
			s.ehlo().handshake(true).ehlo().
				authLogin(true, "534-5.7.9 Application-specific password required.\n534 5.7.9 https://support.google.com/mail/?p=InvalidSecondFactor").
				authLogin(true, "235 2.7.0 Accepted")
		},
		miss: map[string]func(s *script){
			"right away": func(s *script) { s.ehlo().handshake(true).ehlo().authLogin(true, "235 2.7.0 Accepted") },
			"never fixed": func(s *script) {
				s.ehlo().handshake(true).ehlo().authLogin(true, "534 5.7.9 Application-specific password required").
					authLogin(true, "535 5.7.8 Username and Password not accepted")
			},
		},
	},
	"greylisting": {
		reach: func(s *script) {
			s.ehlo().cmd("MAIL FROM:<demo@sandbox.test>", "250 OK").
				cmd("RCPT TO:<friend@sandbox.test>", "450 4.2.0 Greylisted").
				cmd("RCPT TO:<friend@sandbox.test>", "250 OK").message("hi")
		},
		miss: map[string]func(s *script){
			"never deferred": func(s *script) { s.ehlo().envelope().message("hi") },
			"gave up": func(s *script) {
				s.ehlo().cmd("MAIL FROM:<demo@sandbox.test>", "250 OK").
					cmd("RCPT TO:<friend@sandbox.test>", "450 4.2.0 Greylisted").cmd("QUIT", "221 Bye")
			},
		},
	},
}

// run feeds a script to a course on the given lesson and reports whether
// the goal was reached, and at which event.
func run(t *testing.T, tr *Track, id string, build func(s *script)) (bool, int) {
	t.Helper()
	c := NewCourse(tr, Progress{Current: id})
	if c.Lesson().ID != id {
		t.Fatalf("course started at %s, want %s", c.Lesson().ID, id)
	}
	s := newScript(t)
	build(s)
	reachedAt := -1
	for i, e := range s.events {
		if c.Observe(e) {
			if reachedAt >= 0 {
				t.Errorf("goal reported reached twice (events %d and %d)", reachedAt, i)
			}
			reachedAt = i
		}
	}
	if c.Reached() != (reachedAt >= 0) {
		t.Errorf("Reached() = %v, but Observe reported %d", c.Reached(), reachedAt)
	}
	return c.Reached(), reachedAt
}

func TestEveryLessonGoalFromEvents(t *testing.T) {
	tr := english(t)
	for _, l := range tr.Lessons {
		tc, ok := lessonCases[l.ID]
		if !ok {
			t.Errorf("lesson %s has no goal test: add it to lessonCases", l.ID)
			continue
		}
		t.Run(l.ID, func(t *testing.T) {
			reached, at := run(t, tr, l.ID, tc.reach)
			if !reached {
				t.Fatal("the goal was not reached")
			}
			// The goal is reached by the last event that matters, not
			// before: drop events from the end until it is not.
			s := newScript(t)
			tc.reach(s)
			if at < len(s.events)-1 {
				// Later events (state after the reply) may follow.
				for _, e := range s.events[at+1:] {
					if e.Kind == session.KindReply {
						t.Errorf("goal reached before the reply %v", e.Reply.Code)
					}
				}
			}
			if len(tc.miss) == 0 {
				t.Error("no negative case")
			}
			for name, miss := range tc.miss {
				if reached, _ := run(t, tr, l.ID, miss); reached {
					t.Errorf("%s: the goal was reached, it must not be", name)
				}
			}
		})
	}
	for id := range lessonCases {
		if tr.Index(id) < 0 {
			t.Errorf("lessonCases has %s, which the track has not", id)
		}
	}
}

// A goal needs its own events: what happened before the lesson started,
// or on a connection that ended, does not count toward an in-order step.
func TestGoalCountsOnlyEventsAfterTheLessonStarts(t *testing.T) {
	tr := english(t)
	c := NewCourse(tr, Progress{Current: "first-message"})
	s := newScript(t)
	s.ehlo().envelope().message("hello")
	for _, e := range s.events {
		c.Observe(e)
	}
	c.Go(tr.Index("first-message")) // the lesson starts again
	s2 := &script{t: t, gen: s.gen, at: s.at}
	s2.cmd("QUIT", "221 Bye")
	for _, e := range s2.events {
		if c.Observe(e) {
			t.Fatal("reached with the steps done before the lesson started")
		}
	}
	if st := c.Steps(); st[0].Done || !st[0].Next {
		t.Errorf("steps %+v: want the first step next, not done", st)
	}
}

func TestStepsShowProgress(t *testing.T) {
	tr := english(t)
	c := NewCourse(tr, Progress{Current: "first-message"})
	s := newScript(t)
	s.ehlo().envelope()
	for _, e := range s.events {
		c.Observe(e)
	}
	st := c.Steps()
	if len(st) != 5 || !st[0].Done || !st[1].Done || st[2].Done || !st[2].Next || st[3].Next {
		t.Errorf("after MAIL and RCPT: %+v", st)
	}
	// A refused DATA does not move the list on.
	for _, e := range (&script{t: t, gen: s.gen, at: s.at}).cmd("DATA", "503 5.5.1 no").events {
		c.Observe(e)
	}
	if st := c.Steps(); st[2].Done {
		t.Errorf("a 503 to DATA ticked the DATA step: %+v", st)
	}
}

func TestHints(t *testing.T) {
	tr := english(t)
	c := NewCourse(tr, Progress{})
	n := len(c.Lesson().Hints)
	for i := 1; i <= n; i++ {
		if !c.ShowHint() || len(c.Hints()) != i {
			t.Fatalf("hint %d: shown %d", i, len(c.Hints()))
		}
	}
	if c.ShowHint() || len(c.Hints()) != n {
		t.Errorf("after the last hint: %d shown", len(c.Hints()))
	}
	c.Next()
	if len(c.Hints()) != 0 {
		t.Errorf("a new lesson starts with %d hints shown", len(c.Hints()))
	}
}

func TestCourseStartsWhereTheLearnerLeft(t *testing.T) {
	tr := english(t)
	ids := func(n int) []string {
		var out []string
		for _, l := range tr.Lessons[:n] {
			out = append(out, l.ID)
		}
		return out
	}
	tests := []struct {
		name string
		p    Progress
		want int
	}{
		{"fresh", Progress{}, 0},
		{"current kept", Progress{Current: tr.Lessons[4].ID}, 4},
		{"first not completed", Progress{Completed: ids(3)}, 3},
		{"unknown current", Progress{Current: "gone", Completed: ids(2)}, 2},
		{"all completed", Progress{Completed: ids(len(tr.Lessons))}, 0},
	}
	for _, tt := range tests {
		c := NewCourse(tr, tt.p)
		if c.Index() != tt.want {
			t.Errorf("%s: at %d, want %d", tt.name, c.Index(), tt.want)
		}
	}
	c := NewCourse(tr, Progress{Current: "gone", Completed: []string{"gone", tr.Lessons[1].ID}})
	if p := c.Progress(); len(p.Completed) != 1 || p.Completed[0] != tr.Lessons[1].ID || p.Current != tr.Lessons[0].ID {
		t.Errorf("progress %+v: unknown ids must be dropped", p)
	}
	if c.Go(-1) || c.Go(len(tr.Lessons)) || c.Index() != 0 {
		t.Errorf("Go out of range moved the course to %d", c.Index())
	}
	c.Go(len(tr.Lessons) - 1)
	if c.Next() {
		t.Error("Next after the last lesson")
	}
	c.Go(0)
	if c.Prev() {
		t.Error("Prev before the first lesson")
	}
}

func english(t *testing.T) *Track {
	t.Helper()
	tr, err := Load(DefaultLanguage)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
