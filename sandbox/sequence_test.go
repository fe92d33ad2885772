package sandbox

import (
	"strings"
	"testing"
)

// TestSequencingErrors sends each command where it does not belong and
// checks the code and that the text says what to do instead.
func TestSequencingErrors(t *testing.T) {
	tests := []struct {
		name     string
		setup    []string // sent first, each must succeed (2yz/3yz)
		tls      bool     // run STARTTLS + EHLO after setup
		line     string
		code     int
		enhanced string
		hint     string // the reply text must contain it
	}{
		{"MAIL before EHLO", nil, false, "MAIL FROM:<a@sandbox.test>", 503, "5.5.1", "EHLO"},
		{"RCPT before MAIL", []string{"EHLO c.test"}, false, "RCPT TO:<a@sandbox.test>", 503, "5.5.1", "MAIL FROM:<address> first"},
		{"RCPT before EHLO", nil, false, "RCPT TO:<a@sandbox.test>", 503, "5.5.1", "EHLO"},
		{"DATA before MAIL", []string{"EHLO c.test"}, false, "DATA", 503, "5.5.1", "MAIL FROM"},
		{"DATA before RCPT", []string{"EHLO c.test", "MAIL FROM:<a@sandbox.test>"}, false, "DATA", 503, "5.5.1", "RCPT TO"},
		{"nested MAIL", []string{"EHLO c.test", "MAIL FROM:<a@sandbox.test>"}, false, "MAIL FROM:<b@sandbox.test>", 503, "5.5.1", "RSET"},
		{"AUTH before EHLO", nil, false, "AUTH PLAIN", 503, "5.5.1", "EHLO"},
		{"AUTH after HELO", []string{"HELO c.test"}, false, "AUTH PLAIN", 503, "5.5.1", "EHLO"},
		{"AUTH before STARTTLS", []string{"EHLO c.test"}, false, "AUTH PLAIN", 503, "5.5.1", "STARTTLS"},
		{"AUTH in a transaction", []string{"MAIL FROM:<a@sandbox.test>"}, true, "AUTH PLAIN", 503, "5.5.1", "RSET"},
		{"STARTTLS before EHLO", nil, false, "STARTTLS", 503, "5.5.1", "EHLO"},
		{"STARTTLS twice", nil, true, "STARTTLS", 503, "5.5.1", "already active"},
		{"STARTTLS with an argument", []string{"EHLO c.test"}, false, "STARTTLS now", 501, "5.5.4", "STARTTLS"},
		{"unknown command", nil, false, "FROB", 500, "5.5.2", "HELP"},
		{"misspelled command", nil, false, "RCTP TO:<a@sandbox.test>", 500, "5.5.2", "RCPT"},
		{"obsolete command", []string{"EHLO c.test"}, false, "TURN", 502, "5.5.1", "RFC 5321"},
		{"MAIL parameter after HELO", []string{"HELO c.test"}, false, "MAIL FROM:<a@sandbox.test> SIZE=10", 555, "5.5.4", "EHLO"},
		{"MAIL without FROM", []string{"EHLO c.test"}, false, "MAIL <a@sandbox.test>", 501, "5.5.4", "FROM"},
		{"EHLO without a name", nil, false, "EHLO", 501, "5.5.4", "host name"},
		{"foreign recipient", []string{"EHLO c.test", "MAIL FROM:<a@sandbox.test>"}, false, "RCPT TO:<x@example.com>", 550, "5.1.1", "@sandbox.test"},
		{"SIZE over the limit", []string{"EHLO c.test"}, false, "MAIL FROM:<a@sandbox.test> SIZE=999999999999", 552, "5.3.4", "limit"},
		{"unknown MAIL parameter", []string{"EHLO c.test"}, false, "MAIL FROM:<a@sandbox.test> FROB=1", 555, "5.5.4", "FROB"},
		{"REQUIRETLS not offered", []string{"EHLO c.test"}, false, "MAIL FROM:<a@sandbox.test> REQUIRETLS", 555, "5.5.4", "REQUIRETLS"},
		{"unicode without SMTPUTF8", []string{"EHLO c.test"}, false, "MAIL FROM:<josé@sandbox.test>", 553, "5.6.7", "SMTPUTF8"},
		{"unknown AUTH mechanism", nil, true, "AUTH NTLM", 504, "5.5.4", "PLAIN LOGIN"},
		{"AUTH twice", []string{"AUTH PLAIN " + plain("demo", "demo-password")}, true, "AUTH PLAIN", 503, "5.5.1", "once"},
	}
	s := startServer(t, Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := connect(t, s)
			if tt.tls {
				c.cmd("EHLO c.test", codeOK, "")
				c.startTLS(s)
				c.cmd("EHLO c.test", codeOK, "")
			}
			for _, l := range tt.setup {
				c.send(l)
				if r := c.reply(); r.Code >= 400 {
					t.Fatalf("setup %q: %q", l, r.Raw())
				}
			}
			r := c.cmd(tt.line, tt.code, tt.enhanced)
			if !strings.Contains(r.OneLine(), tt.hint) {
				t.Errorf("%q: text %q does not mention %q", tt.line, r.OneLine(), tt.hint)
			}
			c.cmd("NOOP", codeOK, "2.0.0") // the session goes on
		})
	}
}

// TestDataWithoutValidRecipients is RFC 5321 3.3: recipients were tried
// and all refused, so DATA gets 554 rather than 503.
func TestDataWithoutValidRecipients(t *testing.T) {
	s := startServer(t, Config{})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<x@example.com>", codeMailboxUnavail, "5.1.1")
	c.cmd("DATA", codeTransactionFailed, "5.5.1")
}

// TestBDATOutOfSequence reads the refused chunk, so that its octets are
// not taken for commands.
func TestBDATOutOfSequence(t *testing.T) {
	s := startServer(t, Config{})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.writeRaw("BDAT 12\r\nQUIT\r\nQUIT\r\n")
	c.expectReply(codeBadSequence, "5.5.1")
	c.cmd("NOOP", codeOK, "2.0.0")
}

// TestTooManyRecipients enforces the configured limit with 452 4.5.3.
func TestTooManyRecipients(t *testing.T) {
	s := startServer(t, Config{MaxRecipients: 2})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("RCPT TO:<c@sandbox.test>", codeOK, "2.1.5")
	c.cmd("RCPT TO:<d@sandbox.test>", codeInsufficient, "4.5.3")
}

// TestSMTPUTF8 accepts a unicode address once SMTPUTF8 is declared.
func TestSMTPUTF8(t *testing.T) {
	s := startServer(t, Config{})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<josé@sandbox.test> SMTPUTF8", codeOK, "2.1.0")
	c.cmd("RCPT TO:<élodie@sandbox.test>", codeOK, "2.1.5")
}
