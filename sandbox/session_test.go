package sandbox

import (
	"strings"
	"testing"
)

// TestSessionEveryCommand walks a learner's whole session through every
// command and checks what a user sees of each reply.
func TestSessionEveryCommand(t *testing.T) {
	s := startServer(t, Config{})
	c := dial(t, s.Addr())
	banner := c.expectReply(codeReady, "")
	if !strings.Contains(banner.Text(), "HELP") {
		t.Errorf("banner %q does not point to HELP", banner.Text())
	}

	ehlo := c.cmd("EHLO client.test", codeOK, "")
	for _, want := range []string{"PIPELINING", "SIZE 33554432", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING", "DSN", "STARTTLS"} {
		if !hasLine(ehlo, want) {
			t.Errorf("EHLO before TLS lacks %s: %q", want, ehlo.Raw())
		}
	}
	if hasLine(ehlo, "AUTH") {
		t.Errorf("AUTH advertised before STARTTLS: %q", ehlo.Raw())
	}

	help := c.cmd("HELP", codeHelp, "2.0.0")
	if !hasLine(help, "50 bad commands") || !hasLine(help, "demo-password") {
		t.Errorf("HELP does not state the error limit and the demo login: %q", help.Raw())
	}
	if r := c.cmd("help mail", codeHelp, "2.0.0"); !hasLine(r, "MAIL FROM:<address>") {
		t.Errorf("HELP MAIL = %q", r.Raw())
	}
	c.cmd("HELP FROB", codeNotImplemented, "5.5.1")
	c.cmd("NOOP", codeOK, "2.0.0")
	c.cmd("VRFY demo", codeCannotVerify, "2.5.0")
	c.cmd("EXPN staff", codeNotImplemented, "5.5.1")
	c.cmd("ETRN sandbox.test", codeNotImplemented, "5.5.1")

	c.startTLS(s)
	ehlo = c.cmd("EHLO client.test", codeOK, "")
	if hasLine(ehlo, "STARTTLS") || !hasLine(ehlo, "AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256 XOAUTH2") {
		t.Errorf("EHLO after TLS = %q", ehlo.Raw())
	}
	c.cmd("AUTH PLAIN "+plain("demo", "demo-password"), codeAuthOK, "2.7.0")

	c.cmd("MAIL FROM:<demo@sandbox.test> SIZE=100 BODY=8BITMIME", codeOK, "2.1.0")
	c.cmd("RCPT TO:<friend@sandbox.test> NOTIFY=SUCCESS,FAILURE", codeOK, "2.1.5")
	c.cmd("RCPT TO:<Postmaster>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw("Subject: hi\r\n\r\n..a line that starts with a dot\r\nbye\r\n.\r\n")
	accepted := c.expectReply(codeOK, "2.0.0")
	if !strings.Contains(accepted.Text(), "#1") {
		t.Errorf("acceptance %q does not name the message", accepted.Text())
	}

	c.cmd("MAIL FROM:<>", codeOK, "2.1.0")
	c.cmd("RSET", codeOK, "2.0.0")
	c.cmd("RCPT TO:<friend@sandbox.test>", codeBadSequence, "5.5.1") // RSET closed the transaction
	c.cmd("HELO client.test", codeOK, "")
	c.cmd("QUIT", codeClosing, "2.0.0")
	c.expectClosed()

	msgs := s.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages kept, want 1", len(msgs))
	}
	m := msgs[0]
	if want := "Subject: hi\r\n\r\n.a line that starts with a dot\r\nbye\r\n"; string(m.Data) != want {
		t.Errorf("content %q, want %q (dot-stuffing undone)", m.Data, want)
	}
	if m.From != "demo@sandbox.test" || strings.Join(m.To, ",") != "friend@sandbox.test,Postmaster" ||
		m.User != "demo" || !m.TLS || m.Helo != "client.test" || m.Size != int64(len(m.Data)) {
		t.Errorf("message envelope %+v", m)
	}
}

// TestPipelinedCommands checks that replies to a pipelined group come
// back in order (RFC 2920).
func TestPipelinedCommands(t *testing.T) {
	s := startServer(t, Config{})
	c := connect(t, s)
	c.writeRaw("EHLO a.test\r\nMAIL FROM:<a@sandbox.test>\r\nRCPT TO:<b@sandbox.test>\r\nRCPT TO:<c@elsewhere.test>\r\nDATA\r\n")
	c.expectReply(codeOK, "")
	c.expectReply(codeOK, "2.1.0")
	c.expectReply(codeOK, "2.1.5")
	c.expectReply(codeMailboxUnavail, "5.1.1")
	c.expectReply(codeStartData, "")
	c.writeRaw("x\r\n.\r\nQUIT\r\n")
	c.expectReply(codeOK, "2.0.0")
	c.expectReply(codeClosing, "2.0.0")
}

// TestBDAT sends a message in chunks (RFC 3030).
func TestBDAT(t *testing.T) {
	s := startServer(t, Config{})
	c := connect(t, s)
	c.cmd("EHLO a.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.writeRaw("BDAT 7\r\nHello\r\n")
	c.expectReply(codeOK, "2.0.0")
	c.cmd("DATA", codeBadSequence, "5.5.1")
	c.writeRaw("BDAT 6 LAST\r\n.dot\r\n")
	c.expectReply(codeOK, "2.0.0")
	msgs := s.Messages()
	if len(msgs) != 1 || string(msgs[0].Data) != "Hello\r\n.dot\r\n" || !msgs[0].Chunked {
		t.Fatalf("messages %+v", msgs)
	}
}

// TestEvents checks the notifications a front end shows.
func TestEvents(t *testing.T) {
	events := make(chan Event, 16)
	s := startServer(t, Config{OnEvent: func(e Event) { events <- e }})
	c := ehloTLS(t, s)
	c.cmd("AUTH PLAIN "+plain("demo", "nope"), codeAuthInvalid, "5.7.8")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw("hi\r\n.\r\n")
	c.expectReply(codeOK, "2.0.0")
	c.cmd("QUIT", codeClosing, "2.0.0")
	var kinds []string
	for e := range events {
		kinds = append(kinds, e.Kind.String())
		if e.Kind == EventAuth && (e.OK || e.User != "demo" || e.Mechanism != MechPlain) {
			t.Errorf("auth event %+v", e)
		}
		if e.Kind == EventMessage && (e.Message == nil || e.Message.ID != 1) {
			t.Errorf("message event %+v", e)
		}
		if e.Kind == EventDisconnect {
			if e.Err != nil {
				t.Errorf("disconnect after QUIT has error %v", e.Err)
			}
			break
		}
	}
	if got := strings.Join(kinds, " "); got != "connect tls auth message disconnect" {
		t.Errorf("events %q", got)
	}
}
