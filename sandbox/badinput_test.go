package sandbox

import (
	"net"
	"strings"
	"testing"
	"time"
)

// TestOverlongLine discards a line past the limit with 500 5.5.2 and
// carries on.
func TestOverlongLine(t *testing.T) {
	s := startServer(t, Config{})
	c := connect(t, s)
	c.send("NOOP " + strings.Repeat("x", 1<<20))
	r := c.expectReply(codeUnrecognized, "5.5.2")
	if !strings.Contains(r.Text(), "too long") {
		t.Errorf("reply %q", r.Text())
	}
	c.cmd("NOOP", codeOK, "2.0.0")
	// Over 512 octets but under the limit: tolerated.
	c.cmd("NOOP "+strings.Repeat("y", 2000), codeOK, "2.0.0")
}

// TestBinaryJunk answers garbage with 500 and keeps serving.
func TestBinaryJunk(t *testing.T) {
	s := startServer(t, Config{})
	c := connect(t, s)
	c.writeRaw("\x00\xff\xfe\x16\x03\x01\x02\x00\x01\x1b[31m\r\n")
	r := c.expectReply(codeUnrecognized, "5.5.2")
	for _, l := range r.Lines {
		if strings.ContainsAny(l.Raw, "\x00\x1b") {
			t.Errorf("reply echoes control bytes: %q", l.Raw)
		}
	}
	c.writeRaw("\r\n")
	c.expectReply(codeUnrecognized, "5.5.2")
	c.cmd("QUIT", codeClosing, "2.0.0")
}

// TestUnfinishedData closes a connection whose body never ends, with 421.
func TestUnfinishedData(t *testing.T) {
	events := make(chan Event, 16)
	s := startServer(t, Config{DataTimeout: 100 * time.Millisecond, OnEvent: func(e Event) { events <- e }})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw("Subject: never ends\r\n\r\npart of a body")
	c.expectReply(codeUnavailable, "4.4.2")
	c.expectClosed()
	if len(s.Messages()) != 0 {
		t.Error("a message without its end marker was kept")
	}
	for e := range events {
		if e.Kind == EventDisconnect {
			if e.Err != errIdleTimeout {
				t.Errorf("disconnect reason %v", e.Err)
			}
			break
		}
	}
}

// TestIdleTimeout closes a silent client with 421 4.4.2.
func TestIdleTimeout(t *testing.T) {
	s := startServer(t, Config{IdleTimeout: 100 * time.Millisecond})
	c := connect(t, s)
	c.expectReply(codeUnavailable, "4.4.2")
	c.expectClosed()
}

// TestMessageTooBig refuses content past SIZE with 552 5.3.4, by DATA
// and by BDAT, without keeping it.
func TestMessageTooBig(t *testing.T) {
	s := startServer(t, Config{MaxMessageSize: 100})
	c := connect(t, s)
	ehlo := c.cmd("EHLO c.test", codeOK, "")
	if !hasLine(ehlo, "SIZE 100") {
		t.Errorf("SIZE not advertised: %q", ehlo.Raw())
	}
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw(strings.Repeat("0123456789\r\n", 20) + ".\r\n")
	c.expectReply(codeExceededStorage, "5.3.4")

	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.writeRaw("BDAT 80\r\n" + strings.Repeat("x", 80))
	c.expectReply(codeOK, "2.0.0")
	c.writeRaw("BDAT 80 LAST\r\n" + strings.Repeat("y", 80))
	c.expectReply(codeExceededStorage, "5.3.4")
	c.cmd("NOOP", codeOK, "2.0.0")
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d oversized messages kept", n)
	}
}

// TestErrorLimit hangs up after the limit of bad commands, with 421.
func TestErrorLimit(t *testing.T) {
	s := startServer(t, Config{MaxErrors: 4})
	c := connect(t, s)
	for range 3 {
		c.cmd("FROB", codeUnrecognized, "5.5.2")
	}
	c.send("FROB")
	c.expectReply(codeUnrecognized, "5.5.2")
	r := c.expectReply(codeUnavailable, "4.7.0")
	if !strings.Contains(r.Text(), "too many errors") {
		t.Errorf("reply %q", r.Text())
	}
	c.expectClosed()
}

// TestMaxClients refuses a connection past the limit with 421.
func TestMaxClients(t *testing.T) {
	s := startServer(t, Config{MaxClients: 1})
	first := connect(t, s)
	second := dial(t, s.Addr())
	second.expectReply(codeUnavailable, "4.7.0")
	second.expectClosed()
	first.cmd("QUIT", codeClosing, "2.0.0")
	first.expectClosed()
}

// TestCloseWithBusyConnections stops a server while clients sit in every
// phase: waiting for the banner, idle, in the middle of DATA and of AUTH.
// Every goroutine of the server must end.
func TestCloseWithBusyConnections(t *testing.T) {
	s, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	idle := connect(t, s)
	idle.cmd("EHLO c.test", codeOK, "")
	inData := connect(t, s)
	inData.cmd("EHLO c.test", codeOK, "")
	inData.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	inData.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	inData.cmd("DATA", codeStartData, "")
	inData.writeRaw("half a line")
	inAuth := ehloTLS(t, s)
	inAuth.cmd("AUTH LOGIN", codeAuthChallenge, "")
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	checkNoGoroutines(t, s)
	for _, c := range []*client{idle, inData, inAuth} {
		c.expectClosed()
	}
	if _, err := net.Dial("tcp", s.Addr()); err == nil {
		t.Error("still accepting after Close")
	}
}

// TestCloseDuringBannerDelay does not wait for a long banner delay.
func TestCloseDuringBannerDelay(t *testing.T) {
	s := startServer(t, Config{BannerDelay: time.Hour})
	c := dial(t, s.Addr())
	c.conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := c.r.ReadByte(); err == nil {
		t.Fatal("banner arrived before the delay")
	}
	s.Close()
	c.expectClosed()
}
