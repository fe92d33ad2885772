package session

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// A server that sends complete replies nobody asked for, without end, is
// declared out of step and closed after a bounded number of them.
func TestUnsolicitedRepliesCloseTheConnection(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		for i := 0; i < 10_000; i++ {
			if _, err := p.c.Write([]byte("250 nobody asked\r\n")); err != nil {
				return
			}
		}
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	e := ev.until("out-of-step error", kind(KindError))
	if !errors.Is(e.Err, ErrOutOfStep) || !strings.Contains(e.Text, "desynchronized") {
		t.Errorf("error %q: want ErrOutOfStep, worded", e.Text)
	}
	ev.until("closed", kind(KindClosed))
	ev.finish()
	if n := len(ev.find(KindReply)); n > maxUnsolicitedReplies+2 {
		t.Errorf("%d replies taken before closing, want at most %d", n, maxUnsolicitedReplies+2)
	}
}

// An early talker (the EHLO reply sent with the greeting) and a doubled
// reply are noticed: octets already waiting after a reply while no
// command was sent.
func TestServerTalkingOutOfTurnIsNoticed(t *testing.T) {
	for name, script := range map[string]func(p *peer){
		"early talker": func(p *peer) {
			p.write("220 mx.test\r\n250-mx.test\r\n250 AUTH PLAIN\r\n")
			p.readline()
			p.writeline("250-mx.test")
			p.writeline("250 STARTTLS")
			p.readline()
		},
		"doubled reply": func(p *peer) {
			p.writeline("220 mx.test")
			p.expect("EHLO")
			p.write("250-mx.test\r\n250 STARTTLS\r\n250-mx.test\r\n250 STARTTLS\r\n")
			p.readline()
		},
	} {
		t.Run(name, func(t *testing.T) {
			addr := serve(t, 1, script)
			s := New(Config{Address: addr, StartTLS: StartTLSOff, AutoHello: true})
			ev := watch(t, s)
			s.Connect()
			w := ev.until("out-of-step warning", textHas(KindWarning, "out of step"))
			if !strings.Contains(w.Text, "talks out of turn") {
				t.Errorf("warning %q", w.Text)
			}
		})
	}
}

// 999 lines of 65 KB: the reply keeps its head (bounded), its last line
// and a count of what was dropped, and the session goes on.
func TestHugeReplyKeepsItsHeadAndCountsTheRest(t *testing.T) {
	long := strings.Repeat("x", 65_000)
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		for i := 0; i < 998; i++ {
			p.writeline("250-" + long)
		}
		p.writeline("250 last line")
		p.expect("NOOP")
		p.writeline("250 ok")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr, Timeouts: Timeouts{Command: testGuard}})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.Send("EHLO client.test")
	r := ev.until("EHLO reply", replyTo("EHLO")).Reply
	kept := 0
	for _, l := range r.Lines {
		kept += len(l.Raw)
	}
	if kept > maxReplyOctets+maxLineOctets+maxTailOctets {
		t.Errorf("kept %d octets of the reply, want at most about %d", kept, maxReplyOctets)
	}
	if last := r.Lines[len(r.Lines)-1]; !last.Last || last.Text != "last line" || r.Code != 250 {
		t.Errorf("last line %+v, code %d: want the real last line kept", last, r.Code)
	}
	var diag string
	for _, d := range r.Diagnostics {
		if d.Kind == protocol.DiagReplyTooLong {
			diag = d.Message
		}
	}
	if !strings.Contains(diag, fmt.Sprintf("%d more lines", 999-len(r.Lines))) {
		t.Errorf("diagnostic %q: want the dropped lines counted", diag)
	}
	s.Send("NOOP")
	if n := ev.until("NOOP reply", replyTo("NOOP")); n.Reply.Code != 250 {
		t.Errorf("NOOP got %d", n.Reply.Code)
	}
}

// After the last AUTH round the client cancels once; a server that goes
// on challenging is a protocol violation, not an endless exchange.
func TestEndless334IsCancelledOnceThenEnded(t *testing.T) {
	answers := make(chan int, 1)
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "AUTH LOGIN")
		p.expect("AUTH LOGIN")
		n := 0
		for {
			p.writeline("334 UGFzc3dvcmQ6")
			if p.readline() == "" {
				break
			}
			n++
		}
		answers <- n
	})
	s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSOff})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO reply", replyTo("EHLO"))
	s.Auth(AuthRequest{Mechanism: "LOGIN", Username: "u", Secret: "password", AllowCleartext: true})
	e := ev.until("violation", kind(KindError))
	if !strings.Contains(e.Text, "protocol violation") || !errors.Is(e.Err, ErrOutOfStep) {
		t.Errorf("error %q", e.Text)
	}
	ev.until("closed", kind(KindClosed))
	select {
	case n := <-answers:
		if n > maxAuthRounds+2 {
			t.Errorf("the client answered %d challenges, want at most %d", n, maxAuthRounds+2)
		}
	case <-time.After(testGuard):
		t.Fatal("the server never saw the connection end")
	}
	cancels := 0
	for _, c := range ev.find(KindClient) {
		if c.Text == "*" {
			cancels++
		}
	}
	if cancels != 1 {
		t.Errorf("sent %d cancels, want exactly one", cancels)
	}
}

// A reply cut off by the timeout after 100 "250-" lines keeps them.
func TestReplyCutByTheTimeoutIsShown(t *testing.T) {
	release := make(chan struct{})
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		for i := 0; i < 100; i++ {
			p.writeline(fmt.Sprintf("250-line %d", i))
		}
		select {
		case <-release:
		case <-time.After(testGuard):
		}
	})
	t.Cleanup(func() { close(release) }) // before serve's cleanup waits for the script
	s := New(Config{Address: addr, Timeouts: Timeouts{Command: 100 * time.Millisecond}})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.Send("EHLO client.test")
	w := ev.until("cut-off warning", textHas(KindWarning, "cut off"))
	if !strings.Contains(w.Text, "100 lines") {
		t.Errorf("warning %q", w.Text)
	}
	if e := ev.until("timeout", kind(KindError)); !strings.Contains(e.Text, "the reply to EHLO did not end within 100ms: 100 lines arrived") {
		t.Errorf("error %q", e.Text)
	}
	ev.finish()
	if text := transcriptText(t, s, SaveOptions{}); !strings.Contains(text, "S: 250-line 0\n") || !strings.Contains(text, "S: 250-line 99\n") {
		t.Errorf("transcript lacks the partial reply:\n%s", text)
	}
}

func TestTranscriptIsBounded(t *testing.T) {
	tr := NewTranscript()
	tr.maxLines, tr.maxOctets = 10, 1<<20
	for i := 0; i < 25; i++ {
		tr.append(Line{Dir: DirServer, Text: fmt.Sprintf("250 line %d", i)}, "")
	}
	if tr.Len() != 11 || tr.Dropped() != 15 {
		t.Fatalf("Len %d, Dropped %d: want 10 lines, one note, 15 counted", tr.Len(), tr.Dropped())
	}
	var sb strings.Builder
	tr.WriteText(&sb, SaveOptions{})
	if text := untimed(sb.String()); !strings.Contains(text, "• the transcript is full") || !strings.HasSuffix(text, "• 15 more lines were not kept\n") {
		t.Errorf("transcript text:\n%s", sb.String())
	}
}

// Every event kind is bounded; the ones that mark a connection's life are
// kept, and the latest state always gets through.
func TestEventQueueBoundsEveryKind(t *testing.T) {
	q := newEventQueue(4, 1<<20)
	for i := 0; i < 20; i++ {
		q.push(Event{Kind: Kind(i % int(KindProgress+1)), Gen: 1, Text: "x"})
	}
	q.push(Event{Kind: KindState, Gen: 1, State: protocol.StateMail})
	q.push(Event{Kind: KindClosed, Gen: 1})
	q.close()
	var got []Event
	for b := range q.out {
		got = append(got, b...)
	}
	if len(got) > 4+int(KindProgress)+3 {
		t.Errorf("%d events delivered from a queue of 4", len(got))
	}
	var lastState protocol.State = -1
	closed := false
	for _, e := range got {
		if e.Kind == KindState {
			lastState = e.State
		}
		closed = closed || e.Kind == KindClosed
	}
	if lastState != protocol.StateMail || !closed {
		t.Errorf("last state %v, closed %v: want the latest state and the close kept", lastState, closed)
	}
}
