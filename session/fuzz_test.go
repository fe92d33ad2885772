package session

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// fuzzWait bounds each wait of a fuzzed session.
const fuzzWait = 200 * time.Millisecond

// fuzzState is where in a conversation the fuzzed server bytes arrive.
type fuzzState byte

const (
	fuzzGreeting  fuzzState = iota // as the greeting
	fuzzAfterEHLO                  // as the reply to EHLO
	fuzzInside334                  // after the first 334 of AUTH LOGIN, as the next challenge
	fuzzAfter354                   // after the message data, as the reply to its end
	fuzzStates
)

// fuzzPeer is the server side of a net.Pipe: it reads the client's lines
// on its own goroutine so that the session never blocks on a write.
type fuzzPeer struct {
	c     net.Conn
	lines chan string
}

func newFuzzPeer(c net.Conn) *fuzzPeer {
	p := &fuzzPeer{c: c, lines: make(chan string, 1024)}
	go func() {
		defer close(p.lines)
		r := bufio.NewReader(c)
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return
			}
			select {
			case p.lines <- strings.TrimRight(l, "\r\n"):
			default: // a flood of client lines is not what is under test
			}
		}
	}()
	return p
}

// until waits for a client line starting with prefix; false when the
// client went away or took too long.
func (p *fuzzPeer) until(prefix string) bool {
	t := time.NewTimer(testGuard)
	defer t.Stop()
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				return false
			}
			if strings.HasPrefix(l, prefix) {
				return true
			}
		case <-t.C:
			return false
		}
	}
}

func (p *fuzzPeer) write(s string) bool {
	p.c.SetWriteDeadline(time.Now().Add(testGuard))
	_, err := p.c.Write([]byte(s))
	return err == nil
}

// script brings the conversation to state, then sends data.
func (p *fuzzPeer) script(state fuzzState, data []byte) {
	defer p.c.Close()
	ok := true
	if state != fuzzGreeting {
		ok = p.write("220 fuzz.test\r\n") && p.until("EHLO")
	}
	switch state {
	case fuzzInside334:
		ok = ok && p.write("250-fuzz.test\r\n250 AUTH LOGIN\r\n") && p.until("AUTH LOGIN") &&
			p.write("334 VXNlcm5hbWU6\r\n") && p.until("")
	case fuzzAfter354:
		ok = ok && p.write("250 fuzz.test\r\n") && p.until("MAIL") && p.write("250 ok\r\n") &&
			p.until("RCPT") && p.write("250 ok\r\n") && p.until("DATA") && p.write("354 go\r\n") && p.until(".")
	}
	if ok {
		p.write(string(data))
	}
}

// FuzzSessionStates feeds arbitrary server bytes to the session at four
// points of a conversation and checks that it never hangs, that every
// event's display strings are safe, and that the transcript is complete:
// each line shown is in it, and it ends with the connection's close.
func FuzzSessionStates(f *testing.F) {
	for _, seed := range []struct {
		state fuzzState
		data  string
	}{
		{fuzzGreeting, "220 ok\r\n"},
		{fuzzGreeting, "220-a\r\n220-b\n\x1b]0;t\x07\r\n220 c\r\n250 early\r\n"},
		{fuzzAfterEHLO, "250-x\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n250 doubled\r\n"},
		{fuzzAfterEHLO, "421 4.3.0 bye\r\n"},
		{fuzzAfterEHLO, "250-" + strings.Repeat("y", 70_000) + "\r\n250 z\r\n"},
		{fuzzInside334, "334 UGFzc3dvcmQ6\r\n334 UGFzc3dvcmQ6\r\n334 x\r\n"},
		{fuzzInside334, "235 2.7.0 ok\r\n"},
		{fuzzAfter354, "250 2.0.0 queued\r\n"},
		{fuzzAfter354, "\x00\xff\r\n5"},
	} {
		f.Add(byte(seed.state), []byte(seed.data))
	}
	f.Fuzz(func(t *testing.T, stateByte byte, data []byte) {
		state := fuzzState(stateByte % byte(fuzzStates))
		client, server := net.Pipe()
		peer := newFuzzPeer(server)
		go peer.script(state, data)
		s := New(Config{
			Address:  "fuzz.test:25",
			Helo:     "client.test",
			StartTLS: StartTLSOff,
			// Short bounds: a fuzzed reply that never ends must end the run
			// quickly; nothing asserts how long anything took.
			Timeouts: Timeouts{Connect: testGuard, Banner: fuzzWait, Command: fuzzWait, Data: fuzzWait},
			Dial:     func(context.Context, string, string) (net.Conn, error) { return client, nil },
		})
		var events []Event
		done := make(chan struct{})
		closed := make(chan struct{}, 1)
		go func() {
			defer close(done)
			for b := range s.Events() {
				for _, e := range b {
					if e.Kind == KindClosed {
						select {
						case closed <- struct{}{}:
						default:
						}
					}
				}
				events = append(events, b...)
			}
		}()
		s.Connect()
		switch state {
		case fuzzAfterEHLO:
			s.Send("EHLO client.test")
		case fuzzInside334:
			s.Send("EHLO client.test")
			s.Auth(AuthRequest{Mechanism: "LOGIN", Username: "user", Secret: "fuzz-password", AllowCleartext: true})
		case fuzzAfter354:
			s.Send("EHLO client.test")
			s.SendMessage(Message{From: "a@x.test", To: []string{"b@x.test"}, Body: strings.NewReader("hello\r\n"), Size: 7})
		}
		s.Send("NOOP")
		select { // the peer hangs up after its bytes, or a timeout ends it
		case <-closed:
		case <-time.After(2 * testGuard):
			t.Fatalf("state %d: the connection never ended", state)
		}
		s.Close()
		select {
		case <-done:
		case <-time.After(2 * testGuard):
			t.Fatalf("state %d: the session did not end after Close", state)
		}
		for i, e := range events {
			displayStrings(e, func(path, text string) {
				if !protocol.IsDisplaySafe(text) {
					t.Fatalf("state %d, event %d%s = %q is not display-safe", state, i, path, text)
				}
			})
		}
		checkTranscriptComplete(t, s, events)
	})
}

// checkTranscriptComplete checks that every line event has its line in
// the transcript, in order, and that the close is recorded after the last
// line (notes, such as a refused late command, may follow it).
func checkTranscriptComplete(t *testing.T, s *Session, events []Event) {
	t.Helper()
	tr := s.Transcript()
	var shown []string
	for _, e := range events {
		if e.Kind == KindServer || e.Kind == KindClient {
			shown = append(shown, e.Text)
		}
	}
	var kept []string
	closed := false // a close note after the last wire line
	for i := 0; i < tr.Len(); i++ {
		l := tr.Line(i)
		if !protocol.IsDisplaySafe(l.Text) {
			t.Fatalf("transcript line %d = %q is not display-safe", i, l.Text)
		}
		if l.Dir != DirNote {
			kept = append(kept, l.Text)
			closed = false
		} else if strings.HasPrefix(l.Text, "connection closed") {
			closed = true
		}
	}
	if len(shown) != len(kept) {
		t.Fatalf("%d lines shown, %d in the transcript", len(shown), len(kept))
	}
	for i := range shown {
		if shown[i] != kept[i] && !strings.Contains(shown[i], "username") {
			t.Fatalf("line %d shown as %q, kept as %q", i, shown[i], kept[i])
		}
	}
	if len(kept) > 0 && !closed {
		t.Fatal("the transcript does not record the close after the last line")
	}
}
