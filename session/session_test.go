package session

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/internal/nettest"
	"github.com/smtpscope/smtpscope/protocol"
)

// ehloReply is a typical capability list.
func ehloReply(p *peer, caps ...string) {
	lines := append([]string{"mx.test greets you"}, caps...)
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		p.writeline("250" + sep + l)
	}
}

func TestSendAndReplyEventsAndTranscript(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test ESMTP ready")
		p.expect("EHLO client.test")
		ehloReply(p, "PIPELINING", "SIZE 1000000")
		p.expect("MAIL FROM:<a@b.test>")
		p.writeline("250 2.1.0 Ok")
		p.expect("QUIT")
		p.writeline("221 2.0.0 Bye")
	})
	s := New(Config{Address: addr, Helo: "client.test"})
	ev := watch(t, s)
	s.Connect()
	banner := ev.until("greeting reply", kind(KindReply))
	if banner.Reply.Code != 220 || banner.Command != "" {
		t.Fatalf("greeting = %d for %q, want 220 for the greeting", banner.Reply.Code, banner.Command)
	}
	if banner.Gen != 1 {
		t.Errorf("Gen = %d, want 1 for the first connection", banner.Gen)
	}
	s.Send("EHLO client.test")
	ehlo := ev.until("EHLO reply", replyTo("EHLO"))
	if len(ehlo.Reply.Lines) != 3 || ehlo.State != protocol.StateReady {
		t.Errorf("EHLO reply has %d lines, state %v; want 3 lines, READY", len(ehlo.Reply.Lines), ehlo.State)
	}
	st := ev.until("READY state with caps", func(e Event) bool {
		return e.Kind == KindState && e.Snapshot != nil && e.Snapshot.State == protocol.StateReady
	})
	if !st.Snapshot.Caps.Has("PIPELINING") || !st.Snapshot.Extended {
		t.Errorf("snapshot caps %v extended %v, want PIPELINING and extended", st.Snapshot.Caps.Keywords(), st.Snapshot.Extended)
	}
	s.Send("MAIL FROM:<a@b.test>")
	mail := ev.until("MAIL reply", replyTo("MAIL"))
	if mail.State != protocol.StateMail || mail.Reply.Enhanced.String() != "2.1.0" {
		t.Errorf("MAIL reply state %v enhanced %q, want MAIL and 2.1.0", mail.State, mail.Reply.Enhanced)
	}
	ev.finish()
	closed := ev.find(KindClosed)
	if len(closed) != 1 || closed[0].Err != nil {
		t.Fatalf("closed events = %+v, want one clean close", closed)
	}
	want := "• connecting to " + addr + "\n• connected to " + addr + "\nS: 220 mx.test ESMTP ready\nC: EHLO client.test\nS: 250-mx.test greets you\nS: 250-PIPELINING\nS: 250 SIZE 1000000\n" +
		"C: MAIL FROM:<a@b.test>\nS: 250 2.1.0 Ok\nC: QUIT\nS: 221 2.0.0 Bye\n• connection closed\n"
	if got := transcriptText(t, s, SaveOptions{}); got != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
	}
}

func TestAutoHelloWithoutSTARTTLSWarnsAboutCleartextAuth(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "AUTH PLAIN LOGIN")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr, AutoHello: true})
	ev := watch(t, s)
	s.Connect()
	ev.until("cleartext AUTH warning", textHas(KindWarning, "AUTH without TLS"))
}

func TestStartTLSRequireFailsClearlyWhenNotOffered(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "8BITMIME")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSRequire})
	ev := watch(t, s)
	s.Connect()
	e := ev.until("require error", kind(KindError))
	if !strings.Contains(e.Text, "does not offer STARTTLS") || !strings.Contains(e.Text, "--starttls=auto") {
		t.Errorf("error %q does not say STARTTLS is missing and how to continue", e.Text)
	}
	ev.until("closed", kind(KindClosed))
}

func TestPipelineSendsOneGroupAndMatchesReplies(t *testing.T) {
	got := make(chan string, 1)
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "PIPELINING")
		// Read the whole group before answering: a pipelining client must
		// not wait for replies inside a group.
		group := []string{p.readline(), p.readline(), p.readline()}
		got <- strings.Join(group, "|")
		p.write("250 sender ok\r\n550 5.1.1 no such user\r\n250 recipient ok\r\n")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.Send("EHLO x")
	ev.until("EHLO reply", replyTo("EHLO"))
	s.Pipeline([]string{"MAIL FROM:<>", "RCPT TO:<nobody@x>", "RCPT TO:<somebody@x>"})
	if g := <-got; g != "MAIL FROM:<>|RCPT TO:<nobody@x>|RCPT TO:<somebody@x>" {
		t.Errorf("server got group %q", g)
	}
	ev.until("MAIL reply", replyTo("MAIL"))
	r1 := ev.until("first RCPT reply", replyTo("RCPT"))
	r2 := ev.until("second RCPT reply", replyTo("RCPT"))
	if r1.Reply.Code != 550 || r2.Reply.Code != 250 || r2.State != protocol.StateRcpt {
		t.Errorf("RCPT replies %d, %d (state %v), want 550 then 250 in RCPT", r1.Reply.Code, r2.Reply.Code, r2.State)
	}
}

func TestSendMessageStreamsDotStuffedBody(t *testing.T) {
	body := make(chan string, 1)
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "SIZE 1000")
		p.expect("MAIL FROM:<a@x> SIZE=")
		p.writeline("250 ok")
		p.expect("RCPT TO:<b@x>")
		p.writeline("250 ok")
		p.expect("DATA")
		p.writeline("354 go ahead")
		var sb strings.Builder
		for {
			l, err := p.r.ReadString('\n')
			if err != nil || l == ".\r\n" {
				break
			}
			sb.WriteString(strings.TrimSuffix(l, "\r\n") + "\n")
		}
		body <- sb.String()
		p.writeline("250 2.0.0 queued as 42")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSOff})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO reply", replyTo("EHLO"))
	msg := "Subject: hi\n\n.leading dot\nend"
	s.SendMessage(Message{From: "a@x", To: []string{"b@x"}, Body: strings.NewReader(msg), Size: int64(len(msg))})
	done := ev.until("end-of-data reply", replyTo(protocol.EndOfDataVerb))
	if done.Reply.Code != 250 || done.State != protocol.StateReady {
		t.Errorf("end of data reply %d state %v, want 250 READY", done.Reply.Code, done.State)
	}
	if b := <-body; b != "Subject: hi\n\n..leading dot\nend\n" {
		t.Errorf("server received body %q, want the dot doubled and CRLF endings", b)
	}
	prog := ev.find(KindProgress)
	if len(prog) == 0 || !prog[len(prog)-1].Progress.Done {
		t.Errorf("no final progress event: %+v", prog)
	}
	text := transcriptText(t, s, SaveOptions{})
	if !strings.Contains(text, "C: ..leading dot\nC: end\nC: .\nS: 250 2.0.0 queued as 42") {
		t.Errorf("transcript does not show the body as sent:\n%s", text)
	}
}

func TestReconnectStartsANewGeneration(t *testing.T) {
	addr := serve(t, 2, func(p *peer) {
		p.writeline("220 mx.test")
		if l := p.readline(); strings.HasPrefix(l, "QUIT") {
			p.writeline("221 bye")
		}
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	ev.until("first greeting", kind(KindReply))
	s.Reconnect()
	second := ev.until("second greeting", func(e Event) bool { return e.Kind == KindReply && e.Gen == 2 })
	if second.Reply.Code != 220 {
		t.Errorf("second greeting %d", second.Reply.Code)
	}
	closed := ev.find(KindClosed)
	if len(closed) != 1 || closed[0].Gen != 1 {
		t.Errorf("want the first generation closed once before the second; got %+v", closed)
	}
}

func TestConnectRefusedSaysWhatToTry(t *testing.T) {
	s := New(Config{Address: nettest.ClosedAddr(t), Timeouts: Timeouts{Connect: testGuard}})
	ev := watch(t, s)
	s.Connect()
	e := ev.until("connect error", kind(KindError))
	if !strings.Contains(e.Text, "connection refused") || !strings.Contains(e.Text, "port") {
		t.Errorf("error %q does not explain the refusal", e.Text)
	}
	ev.until("closed", kind(KindClosed))
}

func TestSendWhenNotConnectedIsAnError(t *testing.T) {
	s := New(Config{Address: nettest.ClosedAddr(t)})
	ev := watch(t, s)
	s.Send("NOOP")
	e := ev.until("error", kind(KindError))
	if !strings.Contains(e.Text, "not connected") {
		t.Errorf("error %q", e.Text)
	}
}

// A QUIT typed by hand ends the session normally: the server's close
// that follows its 221 (here in a read of its own, after the reply was
// shown) is no error.
func TestTypedQUITThenCloseIsNoError(t *testing.T) {
	replied := make(chan struct{})
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("QUIT")
		p.writeline("221 2.0.0 Bye")
		select {
		case <-replied:
		case <-time.After(testGuard):
		}
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.Send("QUIT")
	ev.until("QUIT reply", replyTo("QUIT"))
	close(replied)
	closed := ev.until("close", kind(KindClosed))
	if closed.Err != nil {
		t.Errorf("close after 221 to QUIT: %v, want a clean close", closed.Err)
	}
	if errs := ev.find(KindError); len(errs) != 0 {
		t.Errorf("errors %+v, want none after QUIT", errs)
	}
}

func TestManualDataLinesGetNoReplyUntilDot(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("DATA")
		p.writeline("354 go")
		p.expect("Subject: x")
		p.expect(".")
		p.writeline("250 accepted")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.Send("DATA")
	ev.until("354", replyTo("DATA"))
	s.Send("Subject: x")
	s.Send(".")
	r := ev.until("end of data reply", replyTo(protocol.EndOfDataVerb))
	if r.Reply.Code != 250 {
		t.Errorf("reply %d", r.Reply.Code)
	}
}

func TestSendBodyOutsideDataIsRefused(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.SendBody(strings.NewReader("x"), 1)
	e := ev.until("error", kind(KindError))
	if !strings.Contains(e.Text, "send DATA first") {
		t.Errorf("error %q", e.Text)
	}
}

func TestBDATWhenChunkingIsOffered(t *testing.T) {
	got := make(chan string, 1)
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "CHUNKING", "PIPELINING")
		p.expect("MAIL FROM:<a@x>")
		p.expect("RCPT TO:<b@x>")
		p.write("250 ok\r\n250 ok\r\n")
		l := p.expect("BDAT ")
		var n int
		if _, err := fmt.Sscanf(l, "BDAT %d LAST", &n); err != nil {
			t.Errorf("BDAT line %q: %v", l, err)
			return
		}
		buf := make([]byte, n)
		io.ReadFull(p.r, buf)
		got <- string(buf)
		p.writeline("250 2.0.0 chunk ok")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr, AutoHello: true})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO reply", replyTo("EHLO"))
	s.SendMessage(Message{From: "a@x", To: []string{"b@x"}, Body: strings.NewReader("A: b\n\n.dot\n"), Size: -1})
	r := ev.until("BDAT reply", replyTo("BDAT"))
	if r.State != protocol.StateReady {
		t.Errorf("state after BDAT LAST %v, want READY", r.State)
	}
	if b := <-got; b != "A: b\r\n\r\n.dot\r\n" {
		t.Errorf("chunk %q: want CRLF endings and no dot-stuffing", b)
	}
}

func TestCRLFNormalizerAcrossChunks(t *testing.T) {
	var n crlfNormalizer
	var out []byte
	for _, part := range []string{"a\r", "\nb\n", "c"} {
		out = n.normalize(out, []byte(part))
	}
	out = n.finish(out)
	if !bytes.Equal(out, []byte("a\r\nb\r\nc\r\n")) {
		t.Errorf("normalized %q", out)
	}
}

func TestNormalizeAddressAndDefaults(t *testing.T) {
	for in, want := range map[string]string{
		"mx.example.com": "mx.example.com:25", "::1": "[::1]:25", "[::1]": "[::1]:25",
		"[::1]:587": "[::1]:587", "127.0.0.1:2525": "127.0.0.1:2525",
	} {
		if got := NormalizeAddress(in); got != want {
			t.Errorf("NormalizeAddress(%q) = %q, want %q", in, got, want)
		}
	}
	if DefaultTLSMode("smtp.test:465") != TLSImplicit || DefaultTLSMode("smtp.test:587") != TLSNone {
		t.Error("DefaultTLSMode: want implicit TLS on 465 only")
	}
	if d := (Timeouts{}).withDefaults(); d.Banner != DefaultBannerTimeout || d.Data != DefaultDataTimeout {
		t.Errorf("defaults %+v", d)
	}
}

func TestEventsAreBatchedForASlowConsumer(t *testing.T) {
	q := newEventQueue(5, 1<<20)
	for i := 0; i < 8; i++ {
		q.push(Event{Kind: KindServer, Text: "x", Gen: 1})
	}
	q.push(Event{Kind: KindReply, Gen: 1})
	q.close()
	var got []Event
	timer := time.NewTimer(testGuard)
	defer timer.Stop()
	for {
		select {
		case b, ok := <-q.out:
			if !ok {
				if len(got) != 6 {
					t.Fatalf("got %d events, want 5 lines and one drop warning: %+v", len(got), got)
				}
				last := got[len(got)-1]
				if last.Kind != KindWarning || !strings.Contains(last.Text, "4 events") {
					t.Errorf("last event %+v, want the drop notice for 3 lines and the reply", last)
				}
				return
			}
			got = append(got, b...)
		case <-timer.C:
			t.Fatal("queue never closed")
		}
	}
}

func TestIPv6Loopback(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback here:", err)
	}
	addr := serveOn(t, ln, 1, func(p *peer) {
		p.writeline("220 v6.test")
		p.readline() // whatever comes, QUIT at the end
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	g := ev.until("greeting", kind(KindReply))
	if g.Reply.Code != 220 {
		t.Errorf("greeting %d", g.Reply.Code)
	}
	conn := ev.all[0]
	for _, e := range ev.all {
		if e.Kind == KindConnected {
			conn = e
		}
	}
	if !strings.HasPrefix(conn.Text, "[::1]:") {
		t.Errorf("connected to %q, want [::1]", conn.Text)
	}
}
