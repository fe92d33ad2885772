package session

import (
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// A hostile or broken server must end with a clear diagnostic, the
// transcript intact, and never a hang.

func TestEndlessMultilineReplyIsCut(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		for i := 0; i < maxReplyLines+50; i++ {
			p.write("220-still greeting\r\n")
		}
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	e := ev.until("too many lines", kind(KindError))
	if !strings.Contains(e.Text, "more than 1000 lines") {
		t.Errorf("error %q", e.Text)
	}
	ev.until("closed", kind(KindClosed))
	if n := s.Transcript().Len(); n < maxReplyLines {
		t.Errorf("transcript has %d lines, want the %d received kept", n, maxReplyLines)
	}
}

func TestMegabyteLineIsTruncatedAndTheSessionGoesOn(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.write("220 " + strings.Repeat("x", 1<<20) + "\r\n")
		p.expect("NOOP")
		p.writeline("250 ok")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	g := ev.until("greeting", kind(KindReply))
	if len(g.Reply.Lines[0].Raw) > maxLineOctets {
		t.Errorf("kept %d octets of the line, want at most %d", len(g.Reply.Lines[0].Raw), maxLineOctets)
	}
	found := false
	for _, d := range g.Reply.Diagnostics {
		if d.Kind == protocol.DiagLineTooLong && strings.Contains(d.Message, "only the first") {
			found = true
		}
	}
	if !found {
		t.Errorf("no truncation diagnostic in %+v", g.Reply.Diagnostics)
	}
	s.Send("NOOP")
	if r := ev.until("NOOP reply", replyTo("NOOP")); r.Reply.Code != 250 {
		t.Errorf("NOOP reply %d", r.Reply.Code)
	}
}

func TestNULBytesAndEscapesAreShownNotPassedThrough(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.write("220 evil\x00server \x1b[31mred\r\n")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	line := ev.until("server line", kind(KindServer))
	if strings.ContainsAny(line.Text, "\x00\x1b") || !strings.Contains(line.Text, "␀") || !strings.Contains(line.Text, "␛") {
		t.Errorf("server line %q: want NUL and ESC as visible symbols", line.Text)
	}
	ev.finish()
	if text := transcriptText(t, s, SaveOptions{}); strings.ContainsAny(text, "\x00\x1b") {
		t.Errorf("transcript holds raw control bytes: %q", text)
	}
}

func TestBareLFRepliesAreTolerated(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.write("220-bare\n220 lf\n")
		p.expect("QUIT")
		p.write("221 bye\n")
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	g := ev.until("greeting", kind(KindReply))
	if g.Reply.Code != 220 || len(g.Reply.Lines) != 2 {
		t.Fatalf("greeting %+v", g.Reply)
	}
	if g.Reply.Diagnostics[0].Kind != protocol.DiagBareLF {
		t.Errorf("diagnostics %+v, want bare LF noted", g.Reply.Diagnostics)
	}
}

func TestDropInTheMiddleOfData(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "8BITMIME")
		p.expect("MAIL")
		p.writeline("250 ok")
		p.expect("RCPT")
		p.writeline("250 ok")
		p.expect("DATA")
		p.writeline("354 go")
		p.readline()
		p.c.Close() // gone after the first line of content
	})
	s := New(Config{Address: addr, AutoHello: true, Timeouts: Timeouts{Data: testGuard}})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO reply", replyTo("EHLO"))
	body := strings.NewReader(strings.Repeat("a line of the message body\r\n", 1<<17)) // 3.5 MB
	s.SendMessage(Message{From: "a@x", To: []string{"b@x"}, Body: body, Size: -1})
	e := ev.until("error", kind(KindError))
	if !strings.Contains(e.Text, "message data") && !strings.Contains(e.Text, "closed the connection") {
		t.Errorf("error %q does not say the connection dropped during the data", e.Text)
	}
	ev.until("closed", kind(KindClosed))
	if text := transcriptText(t, s, SaveOptions{}); !strings.Contains(text, "S: 354 go") {
		t.Errorf("transcript lost the conversation:\n%s", text)
	}
}

func TestGarbageBase64ChallengeIsCancelled(t *testing.T) {
	got := make(chan string, 1)
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "AUTH LOGIN")
		p.expect("AUTH LOGIN")
		p.writeline("334 !!!not base64!!!")
		got <- p.readline()
		p.writeline("501 5.7.0 cancelled")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr, AutoHello: true})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO reply", replyTo("EHLO"))
	s.Auth(AuthRequest{Mechanism: "LOGIN", Username: "u", Secret: "p", AllowCleartext: true})
	ev.until("base64 warning", textHas(KindWarning, "not valid base64"))
	if l := <-got; l != "*" {
		t.Errorf("client answered %q, want the cancel \"*\"", l)
	}
	e := ev.until("auth failure", kind(KindError))
	if !strings.Contains(e.Text, "501") {
		t.Errorf("error %q", e.Text)
	}
}

func TestSlowBannerTimesOut(t *testing.T) {
	release := make(chan struct{})
	addr := serve(t, 1, func(p *peer) {
		select {
		case <-release:
		case <-time.After(testGuard):
		}
	})
	t.Cleanup(func() { close(release) })
	s := New(Config{Address: addr, Timeouts: Timeouts{Banner: 50 * time.Millisecond}})
	ev := watch(t, s)
	s.Connect()
	e := ev.until("timeout", kind(KindError))
	if !strings.HasPrefix(e.Text, "no greeting (220) from the server within 50ms") || !strings.Contains(e.Text, "--tls") {
		t.Errorf("error %q: want the missing greeting and the implicit TLS hint", e.Text)
	}
	ev.until("closed", kind(KindClosed))
}

func TestServerClosingAfter421IsReported(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("NOOP")
		p.writeline("421 4.4.2 idle too long, closing")
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.Send("NOOP")
	c := ev.until("closed", kind(KindClosed))
	if c.Err == nil || !strings.Contains(c.Err.Error(), "421") {
		t.Errorf("closed with %v, want the 421 named", c.Err)
	}
}
