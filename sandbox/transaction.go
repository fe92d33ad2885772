package sandbox

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// Sequencing replies: each says what to send instead (RFC 5321 4.1.4).
var (
	needEHLO = reply(codeBadSequence, enhInvalidCommand,
		"Send EHLO <your host name> first - the session starts with a greeting")
	needMAIL = reply(codeBadSequence, enhInvalidCommand,
		"Send MAIL FROM:<address> first - a transaction starts with MAIL")
	needRCPT = reply(codeBadSequence, enhInvalidCommand,
		"Send RCPT TO:<address> first - the message needs at least one recipient")
	nestedMAIL = reply(codeBadSequence, enhInvalidCommand,
		"Nested MAIL command - a transaction is already open; send RSET to start over")
	// Postfix says "503 5.5.1 Error: RCPT after BDAT".
	rcptAfterBDAT = reply(codeBadSequence, enhInvalidCommand,
		"RCPT cannot follow BDAT - the recipients come before the message; finish with BDAT 0 LAST, or RSET")
	noValidRcpts = reply(codeTransactionFailed, enhInvalidCommand,
		"No valid recipients - every RCPT TO was refused; add an accepted one or RSET (RFC 5321 3.3)")
)

// postmaster is the mailbox every server accepts without a domain
// (RFC 5321 4.5.1).
const postmaster = "postmaster"

// needTransaction returns the reply for a command that needs an open
// transaction (RCPT, DATA, BDAT) when there is none: EHLO comes first,
// then MAIL. It returns nil when the transaction is open.
func (c *conn) needTransaction() *Reply {
	switch {
	case c.helo == "":
		return needEHLO
	case !c.txn.open:
		return needMAIL
	}
	return nil
}

// needRecipients returns the reply for message content (DATA, BDAT) sent
// before any recipient was accepted, or nil when there is one.
func (c *conn) needRecipients() *Reply {
	switch {
	case len(c.txn.rcpts) == 0 && c.txn.rcptAttempts == 0:
		return needRCPT
	case len(c.txn.rcpts) == 0:
		return noValidRcpts
	}
	return nil
}

// paramsRefusal returns the reply to a MAIL or RCPT command that the
// parser found fault with, or whose parameters checkParam refuses; nil
// when the command and every parameter are acceptable.
func paramsRefusal(cmd protocol.Command, checkParam func(protocol.Param) *Reply) *Reply {
	if r := problemReply(cmd); r != nil {
		return r
	}
	for _, p := range cmd.Params {
		if r := checkParam(p); r != nil {
			return r
		}
	}
	return nil
}

// resetTransaction forgets the open transaction (RSET, EHLO, STARTTLS).
func (c *conn) resetTransaction() {
	c.txn.chunks.reset()
	c.txn = transaction{chunks: c.txn.chunks}
}

// mail answers MAIL FROM (RFC 5321 4.1.1.2).
func (c *conn) mail(cmd protocol.Command) {
	switch {
	case c.helo == "":
		c.send(needEHLO)
		return
	case c.txn.open:
		c.send(nestedMAIL)
		return
	}
	// A non-ASCII path without SMTPUTF8 is a problem of the grammar:
	// 553 5.6.7 (RFC 6531 3.5).
	_, utf8 := cmd.Param(extSMTPUTF8)
	if r := paramsRefusal(cmd, c.checkMailParam); r != nil {
		c.send(r)
		return
	}
	c.txn = transaction{open: true, from: cmd.Path, smtputf8: utf8, chunks: c.txn.chunks}
	c.send(reply(codeOK, enhSenderOK, fmt.Sprintf("Sender <%s> OK - now RCPT TO:<address>", cmd.Path)))
}

// needSMTPUTF8 is Postfix's reply to a non-ASCII recipient in a
// transaction whose MAIL FROM had no SMTPUTF8 parameter (RFC 6531 3.4).
var needSMTPUTF8 = reply(codeMailboxNotAllowed, enhSMTPUTF8,
	"Must declare SMTPUTF8 to send unicode address - add SMTPUTF8 to MAIL FROM")

// checkMailParam validates one MAIL FROM parameter against what was advertised.
func (c *conn) checkMailParam(p protocol.Param) *Reply {
	if !c.extended {
		return reply(codeParamsUnsupported, enhBadArgs,
			"MAIL parameters need EHLO: HELO turns no extensions on (RFC 5321 4.1.1.11)")
	}
	sc := c.srv.scenario
	switch p.Name {
	case extSize:
		if !sc.hasExtension(extSize) {
			break
		}
		n, err := strconv.ParseInt(p.Value, 10, 64)
		if err != nil || n < 0 {
			return reply(codeSyntaxArgs, enhBadArgs, "SIZE=<octets> wants a number (RFC 1870 6)")
		}
		if n > c.srv.cfg.MaxMessageSize {
			return reply(codeExceededStorage, enhTooBig, fmt.Sprintf(
				"Message size exceeds fixed maximum message size: %d octets declared, the limit is %d", n, c.srv.cfg.MaxMessageSize))
		}
		return nil
	case "BODY":
		if !sc.hasExtension(ext8BitMIME) {
			break
		}
		switch strings.ToUpper(p.Value) {
		case "7BIT", "8BITMIME":
			return nil
		}
		return reply(codeParamsUnsupported, enhBadArgs, "BODY= takes 7BIT or 8BITMIME here (RFC 6152 2)")
	case extSMTPUTF8:
		if sc.hasExtension(extSMTPUTF8) && !p.HasValue {
			return nil
		}
	case "RET", "ENVID":
		if sc.hasExtension(extDSN) {
			return nil
		}
	case extAuth:
		// RFC 4954 5: AUTH=<mailbox> or AUTH=<>, accepted when AUTH is offered.
		if c.offersAuth() {
			return nil
		}
	}
	return unsupportedParam("MAIL", p)
}

// unsupportedParam is the 555 for a parameter not advertised (RFC 5321 4.1.1.11).
func unsupportedParam(verb string, p protocol.Param) *Reply {
	return reply(codeParamsUnsupported, enhBadArgs, fmt.Sprintf(
		"%s parameter %s is not offered here - check the EHLO list (RFC 5321 4.1.1.11)", verb, protocol.Sanitize(p.Name)))
}

// rcpt answers RCPT TO (RFC 5321 4.1.1.3).
func (c *conn) rcpt(cmd protocol.Command) {
	if r := c.needTransaction(); r != nil {
		c.send(r)
		return
	}
	if c.txn.chunked {
		c.send(rcptAfterBDAT)
		return
	}
	if !c.txn.smtputf8 && !isASCII(cmd.Path) {
		c.send(needSMTPUTF8)
		return
	}
	if r := paramsRefusal(cmd, c.checkRcptParam); r != nil {
		c.send(r)
		return
	}
	c.txn.rcptAttempts++
	if len(c.txn.rcpts) >= c.srv.cfg.MaxRecipients {
		c.send(reply(codeInsufficient, enhTooManyRcpts, fmt.Sprintf(
			"Too many recipients: at most %d per message; send the rest in another transaction", c.srv.cfg.MaxRecipients)))
		return
	}
	if !c.acceptsDomain(cmd.Path) {
		c.send(reply(codeMailboxUnavail, enhNoMailbox, fmt.Sprintf(
			"<%s>: Recipient address rejected: the sandbox keeps mail only for @%s addresses", protocol.Sanitize(cmd.Path), MailDomain)))
		return
	}
	if h := c.srv.hooks.Recipient; h != nil {
		if r := h(c.view(), cmd.Path); r != nil {
			c.send(r)
			return
		}
	}
	c.txn.rcpts = append(c.txn.rcpts, cmd.Path)
	c.send(reply(codeOK, enhRecipientOK, fmt.Sprintf("Recipient <%s> OK - add more, or send DATA", cmd.Path)))
}

// checkRcptParam validates one RCPT TO parameter.
func (c *conn) checkRcptParam(p protocol.Param) *Reply {
	if !c.extended {
		return reply(codeParamsUnsupported, enhBadArgs,
			"RCPT parameters need EHLO: HELO turns no extensions on (RFC 5321 4.1.1.11)")
	}
	switch p.Name {
	case "NOTIFY", "ORCPT":
		if c.srv.scenario.hasExtension(extDSN) {
			return nil
		}
	}
	return unsupportedParam("RCPT", p)
}

// acceptsDomain reports whether the sandbox keeps mail for path.
func (c *conn) acceptsDomain(path string) bool {
	if strings.EqualFold(path, postmaster) {
		return true
	}
	at := strings.LastIndexByte(path, '@')
	if at < 0 {
		return false
	}
	domain := path[at+1:]
	return strings.EqualFold(domain, MailDomain) || strings.EqualFold(domain, c.srv.cfg.Hostname)
}

// rset answers RSET (RFC 5321 4.1.1.5).
func (c *conn) rset(cmd protocol.Command) {
	if r := problemReply(cmd); r != nil {
		c.send(r)
		return
	}
	c.resetTransaction()
	c.send(reply(codeOK, enhOK, "Reset OK - the transaction is gone; EHLO and AUTH still count"))
}

// quit answers QUIT (RFC 5321 4.1.1.10) and ends the connection.
func (c *conn) quit(cmd protocol.Command) {
	c.send(reply(codeClosing, enhOK, c.srv.cfg.Hostname+" closing connection - bye"))
	c.closing = true
}

// vrfy answers VRFY as RFC 5321 3.5.3 suggests for a server that does not disclose.
func (c *conn) vrfy(cmd protocol.Command) {
	if r := problemReply(cmd); r != nil {
		c.send(r)
		return
	}
	c.send(reply(codeCannotVerify, enhCannotVerify,
		"Cannot VRFY user, but will accept message and attempt delivery (RFC 5321 3.5.3)"))
}

// expn refuses EXPN: mailing lists are not disclosed (RFC 5321 3.5.3).
func (c *conn) expn(cmd protocol.Command) {
	if r := problemReply(cmd); r != nil {
		c.send(r)
		return
	}
	c.send(reply(codeNotImplemented, enhInvalidCommand, "EXPN is not offered here: the sandbox has no mailing lists to expand"))
}

// etrn refuses ETRN (RFC 1985): the sandbox queues nothing for relay and
// does not offer it, so the arguments are not even read.
func (c *conn) etrn(cmd protocol.Command) {
	c.send(reply(codeNotImplemented, enhInvalidCommand, "ETRN is not offered here: the sandbox keeps no outgoing queue"))
}

// unknown answers a command the grammar does not know (500) or an
// obsolete one (502), with the parser's advice.
func (c *conn) unknown(cmd protocol.Command) {
	if r := problemReply(cmd); r != nil {
		r.Lines[len(r.Lines)-1] += " - type HELP for the list"
		c.send(r)
		return
	}
	c.send(reply(codeUnrecognized, enhSyntax, "Command unrecognized - type HELP for the list"))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
