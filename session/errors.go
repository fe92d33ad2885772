package session

import (
	"errors"
	"fmt"

	"github.com/smtpscope/smtpscope/protocol"
)

// ReplyError is a reply that refused what smtpscope asked for: the command
// it answered and the whole reply, raw lines kept (secrets redacted), in
// the manner of go-smtp's SMTPError and mox's smtpclient.Error. Get it
// from any session error with errors.As.
type ReplyError struct {
	// Command is the verb the reply answered: "EHLO", "STARTTLS", "AUTH",
	// "MAIL", "RCPT", "DATA", "BDAT", [protocol.EndOfDataVerb], or "" for
	// the greeting.
	Command string
	// Reply is the reply as received and parsed.
	Reply protocol.Reply

	what string // what failed, in words; "" says "the server refused COMMAND"
}

// Error says what failed and quotes the reply, sanitized.
func (e *ReplyError) Error() string {
	what := e.what
	if what == "" {
		what = "the server refused " + verbName(e.Command)
	}
	text := e.Reply.Excerpt()
	if !e.Reply.Enhanced.IsZero() {
		text = e.Reply.Enhanced.String() + " " + text
	}
	return protocol.Sanitize(fmt.Sprintf("%s: %03d %s", what, e.Reply.Code, text))
}

// Temporary reports a 4yz reply: the same command may succeed later.
func (e *ReplyError) Temporary() bool { return e.Reply.Class() == protocol.ClassTransient }

// replyError builds a ReplyError for a reply of this session, with known
// secrets taken out of the reply it keeps.
func (s *Session) replyError(command, what string, r protocol.Reply) *ReplyError {
	return &ReplyError{Command: command, Reply: s.redactedReply(r), what: what}
}

// Sentinel errors a consumer can test with errors.Is.
var (
	// ErrOutOfStep reports a server whose replies no longer match the
	// commands: replies nobody asked for, a reply sent before its
	// command, or a doubled reply. The connection is not trustworthy
	// after it.
	ErrOutOfStep = errors.New("replies and commands are out of step")

	// ErrTLSRequired reports a command refused because --starttls=require
	// was given and the connection is not inside TLS.
	ErrTLSRequired = errors.New("TLS is required and the connection is not encrypted")

	// ErrCleartextAuth reports an AUTH refused because STARTTLS was
	// refused, failed or not offered on this connection (see [Downgrade]):
	// credentials would travel in clear text. Ask the user, then retry
	// with [AuthRequest.AllowCleartext].
	ErrCleartextAuth = errors.New("credentials would travel in clear text after STARTTLS was refused or missing")

	// ErrLineBreak reports a value with a CR or LF inside, which would end
	// the command line early and smuggle in another command.
	ErrLineBreak = errors.New("a CR or LF inside a command line")
)

// wordedError is an error in words for people that keeps the error it
// explains, so that errors.Is(err, syscall.ECONNREFUSED) still works.
type wordedError struct {
	msg string
	err error
}

func (e *wordedError) Error() string { return e.msg }
func (e *wordedError) Unwrap() error { return e.err }

// worded returns an error reading msg (formatted) that wraps cause.
func worded(cause error, format string, args ...any) error {
	return &wordedError{msg: fmt.Sprintf(format, args...), err: cause}
}
