package protocol

import "strings"

// BasicInfo describes a three-digit SMTP reply code in general, without
// the context of the command it answered.
type BasicInfo struct {
	Code    int
	Name    string // the short phrase the RFC gives the code
	Meaning string // what it means, in plain words
	RFC     string // where it is defined: "RFC 5321 4.2.3"
}

// Reply codes the knowledge base speaks about, with the RFC that defines
// each.
const (
	basicSystemStatus      = 211 // RFC 5321 4.2.3
	basicHelp              = 214 // RFC 5321 4.2.3
	basicServiceReady      = 220 // RFC 5321 4.2.3
	basicClosing           = 221 // RFC 5321 4.2.3
	basicAuthSucceeded     = 235 // RFC 4954 6
	basicOK                = 250 // RFC 5321 4.2.3
	basicUserNotLocal      = 251 // RFC 5321 4.2.3
	basicCannotVerify      = 252 // RFC 5321 4.2.3
	basicAuthChallenge     = 334 // RFC 4954 4
	basicStartInput        = 354 // RFC 5321 4.2.3
	basicNotAvailable      = 421 // RFC 5321 4.2.3
	basicPasswordTransit   = 432 // RFC 4954 6
	basicMailboxBusy       = 450 // RFC 5321 4.2.3
	basicLocalError        = 451 // RFC 5321 4.2.3
	basicInsufficientSpace = 452 // RFC 5321 4.2.3
	basicTempAuthFailure   = 454 // RFC 4954 6; RFC 3207 4
	basicParamsTempFailure = 455 // RFC 5321 4.2.3
	basicUnrecognized      = 500 // RFC 5321 4.2.3
	basicSyntaxParams      = 501 // RFC 5321 4.2.3
	basicNotImplemented    = 502 // RFC 5321 4.2.3
	basicBadSequence       = 503 // RFC 5321 4.2.3
	basicParamNotImpl      = 504 // RFC 5321 4.2.3
	basicNoMail            = 521 // RFC 7504 3
	basicEncryptionNeeded  = 523 // RFC 5248
	basicAuthRequired      = 530 // RFC 4954 6; RFC 3207 4
	basicMechTooWeak       = 534 // RFC 4954 6
	basicAuthFailed        = 535 // RFC 4954 6
	basicEncryptForMech    = 538 // RFC 4954 6 (historical)
	basicMailboxUnavail    = 550 // RFC 5321 4.2.3
	basicUserNotLocalFail  = 551 // RFC 5321 4.2.3
	basicExceededStorage   = 552 // RFC 5321 4.2.3
	basicMailboxNameBad    = 553 // RFC 5321 4.2.3
	basicTransactionFailed = 554 // RFC 5321 4.2.3
	basicParamsNotRecog    = 555 // RFC 5321 4.2.3
	basicDomainNoMail      = 556 // RFC 7504 3
)

// basicCodes is the general meaning of every reply code a client may meet
// (RFC 5321 4.2.2 and 4.2.3, RFC 4954 6, RFC 3207 4, RFC 7504).
var basicCodes = map[int]BasicInfo{
	basicSystemStatus:      {Name: "System status, or system help reply", Meaning: "Status information about the server, in answer to HELP or a status request.", RFC: "RFC 5321 4.2.3"},
	basicHelp:              {Name: "Help message", Meaning: "Help text meant for a person reading the session.", RFC: "RFC 5321 4.2.3"},
	basicServiceReady:      {Name: "Service ready", Meaning: "The server is ready: the greeting, or the go-ahead to start the TLS handshake after STARTTLS.", RFC: "RFC 5321 4.2.3"},
	basicClosing:           {Name: "Service closing transmission channel", Meaning: "The server says goodbye and closes the connection, normally in answer to QUIT.", RFC: "RFC 5321 4.2.3"},
	basicAuthSucceeded:     {Name: "Authentication succeeded", Meaning: "The login worked; the session is now authenticated.", RFC: "RFC 4954 6"},
	basicOK:                {Name: "Requested mail action okay, completed", Meaning: "The command was accepted.", RFC: "RFC 5321 4.2.3"},
	basicUserNotLocal:      {Name: "User not local; will forward", Meaning: "The recipient is not local, but the server will forward the message.", RFC: "RFC 5321 4.2.3"},
	basicCannotVerify:      {Name: "Cannot VRFY user, but will accept message and attempt delivery", Meaning: "The server will not confirm whether the address exists, but would accept mail for it.", RFC: "RFC 5321 4.2.3"},
	basicAuthChallenge:     {Name: "Server challenge", Meaning: "The AUTH exchange continues: the text is a base64 challenge and the server waits for the next base64 response.", RFC: "RFC 4954 4"},
	basicStartInput:        {Name: "Start mail input", Meaning: "Send the message now, and end it with a line holding a single dot (<CRLF>.<CRLF>).", RFC: "RFC 5321 4.2.3"},
	basicNotAvailable:      {Name: "Service not available, closing transmission channel", Meaning: "The server is closing the connection; it may be overloaded, shutting down, or refusing this client for now.", RFC: "RFC 5321 4.2.3"},
	basicPasswordTransit:   {Name: "A password transition is needed", Meaning: "The account's password must be changed before this login method can be used.", RFC: "RFC 4954 6"},
	basicMailboxBusy:       {Name: "Requested mail action not taken: mailbox unavailable", Meaning: "The mailbox cannot be used right now (busy, temporarily blocked, or greylisted); try again later.", RFC: "RFC 5321 4.2.3"},
	basicLocalError:        {Name: "Requested action aborted: local error in processing", Meaning: "The server had a temporary problem of its own, or is deferring the request; try again later.", RFC: "RFC 5321 4.2.3"},
	basicInsufficientSpace: {Name: "Requested action not taken: insufficient system storage", Meaning: "The server is short of space, or a recipient count limit was reached; try again later or in a new transaction.", RFC: "RFC 5321 4.2.3"},
	basicTempAuthFailure:   {Name: "Temporary authentication failure", Meaning: "Authentication or TLS is not possible right now for a temporary reason; try again later.", RFC: "RFC 4954 6; RFC 3207 4"},
	basicParamsTempFailure: {Name: "Server unable to accommodate parameters", Meaning: "The server cannot handle the MAIL or RCPT parameters right now.", RFC: "RFC 5321 4.2.3"},
	basicUnrecognized:      {Name: "Syntax error, command unrecognized", Meaning: "The server did not understand the command, or the line was too long.", RFC: "RFC 5321 4.2.3"},
	basicSyntaxParams:      {Name: "Syntax error in parameters or arguments", Meaning: "The command is known but its arguments are wrong.", RFC: "RFC 5321 4.2.3"},
	basicNotImplemented:    {Name: "Command not implemented", Meaning: "The server does not support this command.", RFC: "RFC 5321 4.2.3"},
	basicBadSequence:       {Name: "Bad sequence of commands", Meaning: "The command is valid but not at this point of the session.", RFC: "RFC 5321 4.2.3"},
	basicParamNotImpl:      {Name: "Command parameter not implemented", Meaning: "The server does not support this parameter (or AUTH mechanism).", RFC: "RFC 5321 4.2.3"},
	basicNoMail:            {Name: "Host does not accept mail", Meaning: "This host never accepts mail.", RFC: "RFC 7504 3"},
	basicEncryptionNeeded:  {Name: "Encryption needed", Meaning: "The server wants an encrypted connection for this.", RFC: "RFC 5248"},
	basicAuthRequired:      {Name: "Authentication required", Meaning: "The server wants you to log in (AUTH), or to start TLS, before this command.", RFC: "RFC 4954 6; RFC 3207 4"},
	basicMechTooWeak:       {Name: "Authentication mechanism is too weak", Meaning: "The server refuses this login method or credential type.", RFC: "RFC 4954 6"},
	basicAuthFailed:        {Name: "Authentication credentials invalid", Meaning: "The login failed: the username, password or token was not accepted.", RFC: "RFC 4954 6"},
	basicEncryptForMech:    {Name: "Encryption required for requested authentication mechanism", Meaning: "This login method is only allowed after STARTTLS.", RFC: "RFC 4954 6"},
	basicMailboxUnavail:    {Name: "Requested action not taken: mailbox unavailable", Meaning: "Refused: the mailbox does not exist, or a policy (block list, permissions, anti-spam) refused the request.", RFC: "RFC 5321 4.2.3"},
	basicUserNotLocalFail:  {Name: "User not local", Meaning: "The recipient is not handled here and the server will not forward it.", RFC: "RFC 5321 4.2.3"},
	basicExceededStorage:   {Name: "Requested mail action aborted: exceeded storage allocation", Meaning: "The message is too big, or the mailbox is full.", RFC: "RFC 5321 4.2.3"},
	basicMailboxNameBad:    {Name: "Requested action not taken: mailbox name not allowed", Meaning: "The address is not allowed: malformed, or not one this sender may use.", RFC: "RFC 5321 4.2.3"},
	basicTransactionFailed: {Name: "Transaction failed", Meaning: "The transaction failed; as a greeting, it means no SMTP service for you here.", RFC: "RFC 5321 4.2.3"},
	basicParamsNotRecog:    {Name: "MAIL FROM/RCPT TO parameters not recognized or not implemented", Meaning: "A MAIL or RCPT parameter is unknown to the server.", RFC: "RFC 5321 4.2.3"},
	basicDomainNoMail:      {Name: "Domain does not accept mail", Meaning: "The recipient's domain accepts no mail (null MX).", RFC: "RFC 7504 3"},
}

// basicClassMeaning is what the first digit alone says (RFC 5321 4.2.1);
// clients must be able to act on it for codes they do not know.
var basicClassMeaning = map[Class]string{
	ClassSuccess:      "The command succeeded.",
	ClassIntermediate: "The server accepted the command and waits for more input.",
	ClassTransient:    "The command failed for now; the same command may succeed later.",
	ClassPermanent:    "The command failed; repeating it unchanged will fail again.",
}

// LookupBasic returns the general meaning of a reply code. For a code that
// no RFC defines, it returns false and a BasicInfo whose Meaning is what
// the first digit says (RFC 5321 4.2.1).
func LookupBasic(code int) (BasicInfo, bool) {
	if info, ok := basicCodes[code]; ok {
		info.Code = code
		return info, true
	}
	return BasicInfo{Code: code, Meaning: basicClassMeaning[ClassOf(code)], RFC: "RFC 5321 4.2.1"}, false
}

// contextKey selects a meaning by the command that got the reply and the
// code (or, with code 0, its class given as 1-5 in digit).
type contextKey struct {
	verb  string
	code  int
	digit int
}

// contextMeanings says what a reply means after a given command (RFC 5321
// 4.3.2, RFC 4954, RFC 3207, RFC 3030). The verb "" is the greeting.
var contextMeanings = map[contextKey]string{
	{verb: "", code: basicServiceReady}:      "The server greeted you and is ready: send EHLO next.",
	{verb: "", code: basicNotAvailable}:      "The server refused the connection at the greeting; it may be overloaded or be refusing your IP for now.",
	{verb: "", code: basicTransactionFailed}: "The server will not talk SMTP with you at all (often a block on your IP); QUIT is the only thing left to send.",
	{verb: "", code: basicNoMail}:            "This host accepts no mail at all.",

	{verb: "EHLO", code: basicOK}:             "The server accepted your greeting; the lines after the first list the extensions it offers.",
	{verb: "EHLO", code: basicNotImplemented}: "The server does not know EHLO: it is an old server; greet it with HELO instead.",
	{verb: "EHLO", code: basicSyntaxParams}:   "The server did not like the name you gave in EHLO; use your fully qualified host name or an address literal like [192.0.2.1].",
	{verb: "HELO", code: basicOK}:             "The server accepted your greeting (HELO: no extensions are available in this session).",
	{verb: "HELO", code: basicSyntaxParams}:   "The server did not like the name you gave in HELO; use your fully qualified host name.",

	{verb: "MAIL", code: basicOK}:           "The sender was accepted and a mail transaction is open: add recipients with RCPT TO.",
	{verb: "MAIL", code: basicBadSequence}:  "MAIL is not allowed now: greet with EHLO first, finish or RSET the current transaction, or log in first.",
	{verb: "MAIL", code: basicAuthRequired}: "The server wants you to log in (or start TLS) before it accepts a sender.",
	{verb: "MAIL", digit: 4}:                "The sender was refused for now; the transaction did not start. Retry later.",
	{verb: "MAIL", digit: 5}:                "The sender was refused; no transaction is open. Change the sender (or the login) before trying again.",

	{verb: "RCPT", code: basicOK}:           "This recipient was accepted. Add more with RCPT TO, or send DATA.",
	{verb: "RCPT", code: basicUserNotLocal}: "The recipient was accepted and will be forwarded elsewhere.",
	{verb: "RCPT", code: basicBadSequence}:  "RCPT is not allowed now: a MAIL FROM must be accepted first.",
	{verb: "RCPT", digit: 4}:                "This recipient was refused for now; others in the transaction are not affected. Retry it later.",
	{verb: "RCPT", digit: 5}:                "This recipient was refused; the transaction stays open for other recipients.",

	{verb: "DATA", code: basicStartInput}:        "Go ahead: send the message, then a line with a single dot.",
	{verb: "DATA", code: basicBadSequence}:       "DATA is not allowed now: it needs an accepted MAIL FROM and at least one accepted RCPT TO.",
	{verb: "DATA", code: basicTransactionFailed}: "No valid recipients, or the transaction failed: the message was not taken.",
	{verb: "DATA", digit: 4}:                     "DATA was refused for now; the message was not sent.",
	{verb: "DATA", digit: 5}:                     "DATA was refused; the message was not sent.",

	{verb: ".", code: basicOK}: "The message was accepted for delivery: the server now takes responsibility for it.",
	{verb: ".", digit: 4}:      "The message was not accepted this time; it may be accepted if sent again later.",
	{verb: ".", digit: 5}:      "The message was refused after its content was sent; sending it again unchanged will fail again.",

	{verb: "BDAT", code: basicOK}:          "The chunk was received; send the next one, or this was the last and the message is accepted.",
	{verb: "BDAT", code: basicBadSequence}: "BDAT is not allowed now: it needs an accepted MAIL FROM and RCPT TO, and cannot follow BDAT LAST.",
	{verb: "BDAT", digit: 4}:               "The chunk was refused for now; do not send more chunks (RFC 3030 2).",
	{verb: "BDAT", digit: 5}:               "The chunk was refused; do not send more chunks (RFC 3030 2).",

	{verb: "AUTH", code: basicAuthSucceeded}:       "You are logged in.",
	{verb: "AUTH", code: basicAuthChallenge}:       "The server asks for the next step of the login; answer in base64 (or '*' to cancel).",
	{verb: "AUTH", code: basicBadSequence}:         "AUTH is not allowed now: you are already logged in, or a mail transaction is open.",
	{verb: "AUTH", code: basicParamNotImpl}:        "The server does not offer this login mechanism; pick one from its EHLO AUTH line.",
	{verb: "AUTH", code: basicSyntaxParams}:        "The AUTH exchange was cancelled or a response was not valid base64.",
	{verb: "AUTH", code: basicAuthFailed}:          "The login was refused at its last step: the credentials were not accepted.",
	{verb: "AUTH", code: basicMechTooWeak}:         "The server refuses this way of logging in; it wants another mechanism or another kind of credential.",
	{verb: "AUTH", code: basicAuthRequired}:        "The server wants TLS before any login: send STARTTLS first.",
	{verb: "AUTH", code: basicEncryptForMech}:      "This login mechanism needs TLS: send STARTTLS first.",
	{verb: "AUTH", code: basicTempAuthFailure}:     "Login is temporarily impossible; do not re-enter the password, retry later.",
	{verb: "AUTH", code: basicPasswordTransit}:     "The account's password must be changed before logging in this way.",
	{verb: "AUTH", code: basicMailboxUnavail}:      "The login was refused (some servers use 550 for a failed or forbidden login).",
	{verb: "AUTH", digit: 4}:                       "The login failed for a temporary reason; retry later.",
	{verb: "AUTH", digit: 5}:                       "The login failed; the session is still unauthenticated.",
	{verb: "STARTTLS", code: basicServiceReady}:    "Start the TLS handshake now; afterwards send EHLO again (RFC 3207 4.2).",
	{verb: "STARTTLS", code: basicTempAuthFailure}: "TLS is not available right now.",
	{verb: "STARTTLS", code: basicSyntaxParams}:    "STARTTLS takes no arguments.",
	{verb: "STARTTLS", code: basicBadSequence}:     "TLS is already active on this connection, or STARTTLS is not allowed now.",

	{verb: "RSET", code: basicOK}:             "The transaction was reset; you can start again with MAIL FROM.",
	{verb: "NOOP", code: basicOK}:             "The server is alive and the session is in sync.",
	{verb: "QUIT", code: basicClosing}:        "The server closed the session.",
	{verb: "VRFY", code: basicCannotVerify}:   "The server will not say whether the address exists (most servers answer this way now).",
	{verb: "VRFY", code: basicNotImplemented}: "VRFY is disabled on this server.",
	{verb: "EXPN", code: basicNotImplemented}: "EXPN is disabled on this server.",
}

// anyCommandMeanings apply after any command when nothing more specific is
// known (RFC 5321 4.3.2 "unusual circumstances").
var anyCommandMeanings = map[int]string{
	basicNotAvailable:   "The server is closing the connection; reconnect later.",
	basicUnrecognized:   "The server did not recognise the command, or the line was too long.",
	basicSyntaxParams:   "The command's arguments are wrong (or it takes none).",
	basicNotImplemented: "The server does not implement this command.",
	basicBadSequence:    "The command is out of sequence for where the session stands.",
	basicAuthRequired:   "The server requires AUTH (or STARTTLS) before this command.",
}

// MeaningAfter says what a reply code means as the answer to verb: "" for
// the greeting, "." (end of data) for the reply after the message content,
// otherwise an upper-case command verb. It returns "" when nothing more
// specific than the code's general meaning is known.
func MeaningAfter(verb string, code int) string {
	verb = strings.ToUpper(verb)
	if m, ok := contextMeanings[contextKey{verb: verb, code: code}]; ok {
		return m
	}
	if m, ok := anyCommandMeanings[code]; ok && verb != "" {
		return m
	}
	if m, ok := contextMeanings[contextKey{verb: verb, digit: code / 100}]; ok {
		return m
	}
	return ""
}
