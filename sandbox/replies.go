package sandbox

import (
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// Reply codes the sandbox sends (RFC 5321 4.2.2-4.2.3 unless noted).
const (
	codeHelp              = 214 // help message
	codeReady             = 220 // service ready (greeting; RFC 3207 4: STARTTLS go-ahead)
	codeClosing           = 221 // closing the channel (QUIT)
	codeAuthOK            = 235 // RFC 4954 6: authentication succeeded
	codeOK                = 250 // requested action okay
	codeCannotVerify      = 252 // RFC 5321 3.5.3: cannot VRFY, will accept
	codeAuthChallenge     = 334 // RFC 4954 4: server challenge
	codeStartData         = 354 // start mail input
	codeUnavailable       = 421 // service not available, closing
	codeMailboxBusy       = 450 // mailbox unavailable (greylisting)
	codeInsufficient      = 452 // insufficient storage / too many recipients
	codeUnrecognized      = 500 // syntax error, command unrecognized
	codeSyntaxArgs        = 501 // syntax error in parameters or arguments
	codeNotImplemented    = 502 // command not implemented
	codeBadSequence       = 503 // bad sequence of commands
	codeParamNotImpl      = 504 // command parameter not implemented (unknown AUTH mechanism)
	codeAuthRequired      = 530 // RFC 4954 6: authentication required
	codeAuthInvalid       = 535 // RFC 4954 6: authentication credentials invalid
	codeMailboxUnavail    = 550 // mailbox unavailable
	codeExceededStorage   = 552 // exceeded storage allocation (message too big)
	codeMailboxNotAllowed = 553 // mailbox name not allowed
	codeTransactionFailed = 554 // transaction failed (no valid recipients)
	codeParamsUnsupported = 555 // RFC 5321 4.1.1.11: MAIL/RCPT parameters not recognized
)

// Enhanced status codes (RFC 3463, RFC 4954 6, RFC 3207 4).
const (
	enhOK              = "2.0.0"
	enhSenderOK        = "2.1.0"
	enhRecipientOK     = "2.1.5"
	enhCannotVerify    = "2.5.0" // RFC 5321 3.5.3 example
	enhAuthOK          = "2.7.0" // RFC 4954 6
	enhNoMailbox       = "5.1.1" // bad destination mailbox
	enhMailboxFull     = "4.2.2" // mailbox full (temporary)
	enhMailboxFullPerm = "5.2.2"
	enhGreylisted      = "4.2.0"
	enhTooBig          = "5.3.4" // message too big for system
	enhTimeout         = "4.4.2" // bad connection
	enhTooManyRcpts    = "4.5.3" // too many recipients
	enhInvalidCommand  = "5.5.1"
	enhSyntax          = "5.5.2"
	enhBadArgs         = "5.5.4" // invalid command arguments
	enhSMTPUTF8        = "5.6.7" // RFC 6531 3.5: non-ASCII address without SMTPUTF8
	enhPolicy          = "4.7.0" // other security or policy status (closing)
	enhAuthRequired    = "5.7.0" // RFC 4954 6: authentication required
	enhAuthCancelled   = "5.0.0"
	enhAuthInvalid     = "5.7.8" // RFC 4954 6: credentials invalid
	enhTransientSystem = "4.3.2" // system not accepting network messages
	enhSystem          = "4.3.0" // RFC 3463 3.4: other or undefined mail system status
)

// reply builds a *Reply; for hooks and handlers.
func reply(code int, enhanced string, lines ...string) *Reply {
	return &Reply{Code: code, Enhanced: enhanced, Lines: lines}
}

// problemReply turns the first problem ParseCommand found into the reply
// a strict server gives, with the grammar's code and enhanced code (so
// that protocol.Check predicts it exactly), or nil when the command is
// well-formed. The sandbox is tolerant where servers differ (problems
// without a code: a source route, white space before the verb) and of
// the 512-octet command length rule, up to maxLineOctets.
func problemReply(cmd protocol.Command) *Reply {
	for _, p := range cmd.Problems {
		if p.Code == 0 || p.Ref == refCommandLength {
			continue
		}
		return reply(p.Code, p.Enhanced, wrapText(p.String())...)
	}
	return nil
}

// refCommandLength is the Problem.Ref of the 512-octet command line limit.
const refCommandLength = "RFC 5321 4.5.3.1.4"

// maxReplyText keeps reply lines well under RFC 5321 4.5.3.1.5's 512 octets.
const maxReplyText = 400

// wrapText splits text into reply lines of at most maxReplyText octets,
// at spaces when it can.
func wrapText(text string) []string {
	var lines []string
	for len(text) > maxReplyText {
		cut := strings.LastIndexByte(text[:maxReplyText], ' ')
		if cut <= 0 {
			cut = maxReplyText
		}
		lines = append(lines, text[:cut])
		text = strings.TrimLeft(text[cut:], " ")
	}
	return append(lines, text)
}
