package sandbox

import "github.com/smtpscope/smtpscope/protocol"

// STARTTLS replies (RFC 3207 4).
var (
	tlsAgain = reply(codeBadSequence, enhInvalidCommand,
		"TLS is already active - STARTTLS works once per connection (RFC 3207 4.2)")
	tlsNeedsEHLO = reply(codeBadSequence, enhInvalidCommand,
		"Send EHLO first - STARTTLS is an extension offered in the EHLO reply (RFC 3207 4)")
	tlsReady = reply(codeReady, enhOK, "Ready to start TLS - begin the handshake now")
)

// starttls answers STARTTLS and runs the handshake. Afterwards the
// session starts over: the client must send EHLO again (RFC 3207 4.2).
func (c *conn) starttls(cmd protocol.Command) {
	switch {
	case c.tls:
		c.send(tlsAgain)
		return
	case c.helo == "" || !c.extended:
		c.send(tlsNeedsEHLO)
		return
	}
	if r := problemReply(cmd); r != nil {
		c.send(r)
		return
	}
	c.send(tlsReady)
	if err := c.flush(); err != nil {
		return
	}
	// Anything the client sent after STARTTLS in clear text is dropped:
	// it must not be taken as sent under TLS (the STARTTLS command
	// injection problem, RFC 3207 5 and CVE-2011-0411). The new reader
	// below starts empty.
	if err := c.handshake(); err != nil {
		c.end(err)
		return
	}
	c.helo, c.extended, c.user = "", false, ""
	c.resetTransaction()
}
