package sandbox

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// authCancel is the response that aborts an AUTH exchange (RFC 4954 4).
const authCancel = "*"

// AUTH replies.
var (
	authNeedsEHLO = reply(codeBadSequence, enhInvalidCommand,
		"Send EHLO first - AUTH is an ESMTP extension, offered in the EHLO reply (RFC 4954 4)")
	authAgain = reply(codeBadSequence, enhInvalidCommand,
		"Already authenticated - AUTH is allowed once per session (RFC 4954 4)")
	authInTransaction = reply(codeBadSequence, enhInvalidCommand,
		"AUTH is not allowed during a mail transaction - send RSET first (RFC 4954 4)")
	// Postfix says "503 5.5.1 Error: authentication not enabled" here.
	authNotOffered = reply(codeBadSequence, enhInvalidCommand,
		"AUTH is not offered before TLS here - send STARTTLS, then EHLO again, and AUTH appears (RFC 3207 4.2, RFC 4954 4)")
	authCancelled = reply(codeSyntaxArgs, enhAuthCancelled, "Authentication cancelled (RFC 4954 4)")
	authBadBase64 = reply(codeSyntaxArgs, enhSyntax,
		"Cannot decode the response: AUTH data must be base64 (RFC 4954 4)")
	authOK = reply(codeAuthOK, enhAuthOK, "Authentication successful")
)

// auth runs an AUTH exchange (RFC 4954 4): 334 challenges until the
// mechanism is done, then 235 or 535.
func (c *conn) auth(cmd protocol.Command) {
	switch {
	case c.helo == "" || !c.extended:
		c.send(authNeedsEHLO)
		return
	case c.user != "":
		c.send(authAgain)
		return
	case c.txn.open:
		c.send(authInTransaction)
		return
	}
	if !c.offersAuth() {
		c.send(authNotOffered)
		return
	}
	if r := problemReply(cmd); r != nil {
		c.send(r)
		return
	}
	mech := strings.ToUpper(cmd.Args[0])
	if !c.offersMechanism(mech) {
		c.send(reply(codeParamNotImpl, enhBadArgs, fmt.Sprintf(
			"Unrecognized authentication type %s - this server offers %s", protocol.Sanitize(cmd.Args[0]),
			strings.Join(c.srv.scenario.mechanisms(), " "))))
		return
	}
	var ir []byte
	hasIR := len(cmd.Args) > 1
	if hasIR && cmd.Args[1] != "=" {
		var err error
		if ir, err = base64.StdEncoding.DecodeString(cmd.Args[1]); err != nil {
			c.send(authBadBase64)
			return
		}
	}
	srv := newSASLServer(mech, c.srv.cfg.Hostname, c.srv.scram)
	challenge, done, err := srv.Start(ir, hasIR)
	for !done && err == nil {
		c.write(protocol.FormatReply(codeAuthChallenge, "", base64.StdEncoding.EncodeToString(challenge)))
		resp, rerr := c.readResponse()
		switch {
		case rerr != nil:
			c.readFailed(rerr)
			return
		case resp == authCancel:
			c.send(authCancelled)
			return
		}
		decoded, derr := base64.StdEncoding.DecodeString(resp)
		if derr != nil {
			c.send(authBadBase64)
			return
		}
		challenge, done, err = srv.Next(decoded)
	}
	if errors.Is(err, errMalformed) {
		c.send(reply(codeSyntaxArgs, enhSyntax, err.Error()))
		return
	}
	c.finishAuth(srv.Attempt())
}

// readResponse reads one AUTH response line, without its terminator.
func (c *conn) readResponse() (string, error) {
	line, err := c.readLine(c.srv.cfg.IdleTimeout)
	if errors.Is(err, errLineTooLong) {
		return "", fmt.Errorf("AUTH response longer than %d octets (RFC 4954 4)", maxLineOctets)
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// refusalText is the default 535's words: the demo login for the
// mechanism tried, worded as no provider words it (the sandbox's own
// replies must explain as what they are, not as Amazon SES's template) and
// naming a token only when one was sent.
func refusalText(a AuthAttempt) string {
	if a.Token {
		return "Authentication failed - the sandbox accepts the token " + DemoToken + " for " + DemoUsername
	}
	return "Authentication failed - the sandbox accepts " + DemoUsername + " / " + DemoPassword
}

// finishAuth sends the verdict: the scenario's reply, or 235 / 535.
func (c *conn) finishAuth(a AuthAttempt) {
	r := authOK
	if a.Verdict != AuthAccepted {
		r = reply(codeAuthInvalid, enhAuthInvalid, refusalText(a))
	}
	if h := c.srv.hooks.Auth; h != nil {
		if hr := h(c.view(), a); hr != nil {
			r = hr
		}
	}
	ok := r.Code == codeAuthOK
	if ok {
		c.user = a.Username
	}
	c.srv.emit(Event{Kind: EventAuth, Conn: c.id, Remote: c.remote, User: a.Username, Mechanism: a.Mechanism, OK: ok})
	c.send(r)
}

// offersMechanism reports whether the scenario offers mech.
func (c *conn) offersMechanism(mech string) bool {
	for _, m := range c.srv.scenario.mechanisms() {
		if m == mech {
			return true
		}
	}
	return false
}
