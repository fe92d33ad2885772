package protocol

// Reason names why a server answered the way it did, from a fixed
// vocabulary. The identifiers are stable: they appear in `smtpscope
// explain --json` output ("reason") and in docs/explain.md.
type Reason string

// The reason vocabulary. Each explanation names exactly one.
const (
	// Success and progress.
	ReasonAccepted Reason = "accepted" // a 2xx reply: the command worked
	ReasonContinue Reason = "continue" // a 3xx reply: the server waits for more

	// Login.
	ReasonAuthFailed      Reason = "auth-failed"       // credentials refused, nothing more specific known
	ReasonAuthAppPassword Reason = "auth-app-password" // an app password or authorization code (授权码) is needed, not the account password
	ReasonAuthDisabled    Reason = "auth-disabled"     // SMTP AUTH or password login is off for the account, mailbox, tenant or service
	ReasonAuthToken       Reason = "auth-token"        // an OAuth token refused: expired, wrong scope or audience, wrong user
	ReasonAuthMechanism   Reason = "auth-mechanism"    // the mechanism is not supported, or it needs TLS
	ReasonAuthRequired    Reason = "auth-required"     // log in before MAIL
	ReasonAuthLocked      Reason = "auth-locked"       // login blocked: too many failures, suspicious login, web sign-in required

	// Transport.
	ReasonTLSRequired    Reason = "tls-required"    // the server wants STARTTLS (or TLS) first
	ReasonTLSUnavailable Reason = "tls-unavailable" // TLS cannot be set up: not offered, handshake failed, or the certificate does not verify
	ReasonTLSMismatch    Reason = "tls-mismatch"    // plain SMTP spoken to an implicit-TLS port, or TLS to a plain one
	ReasonNetwork        Reason = "network"         // cannot connect, timed out, or the connection closed
	ReasonPortBlocked    Reason = "port-blocked"    // a network on the way filters the port

	// Sender.
	ReasonSenderDenied      Reason = "sender-denied"      // not allowed to send as this address
	ReasonSenderInvalid     Reason = "sender-invalid"     // the sender address is malformed, or its domain does not exist
	ReasonSenderAuth        Reason = "sender-auth"        // SPF, DKIM or DMARC failed
	ReasonRelayDenied       Reason = "relay-denied"       // the server will not relay to that domain for this client
	ReasonAccountRestricted Reason = "account-restricted" // the sending account is suspended, unverified, in a sandbox, or may not send

	// Recipient.
	ReasonRecipientUnknown  Reason = "recipient-unknown"  // no such user or mailbox
	ReasonRecipientInvalid  Reason = "recipient-invalid"  // the recipient address is malformed
	ReasonMailboxFull       Reason = "mailbox-full"       // the recipient's mailbox is over quota
	ReasonMailboxDisabled   Reason = "mailbox-disabled"   // the mailbox exists but is disabled or inactive
	ReasonMailboxMoved      Reason = "mailbox-moved"      // the recipient has a new address
	ReasonHostUnknown       Reason = "host-unknown"       // the recipient's domain does not exist or accepts no mail
	ReasonRecipientRejected Reason = "recipient-rejected" // refused without a more specific reason

	// Reputation and content.
	ReasonBlocked      Reason = "blocked"       // the client IP or domain is blocked or block-listed, bad reputation
	ReasonReverseDNS   Reason = "reverse-dns"   // missing or mismatched PTR record, or a bad HELO name
	ReasonSpam         Reason = "spam"          // the message was judged to be spam
	ReasonVirus        Reason = "virus"         // malware or a forbidden attachment was found
	ReasonContent      Reason = "content"       // headers or content broken or not RFC-compliant
	ReasonPolicy       Reason = "policy"        // a local policy refused it, no more said
	ReasonTooBig       Reason = "too-big"       // the message is larger than allowed
	ReasonRateLimited  Reason = "rate-limited"  // too many messages, recipients, connections or commands per time
	ReasonSendingQuota Reason = "sending-quota" // the account's daily or hourly sending quota is used up
	ReasonGreylisted   Reason = "greylisted"    // deferred on purpose; a retry is accepted

	// Session.
	ReasonSequence           Reason = "sequence"            // a command out of order
	ReasonSyntax             Reason = "syntax"              // a command or argument written wrongly
	ReasonNotImplemented     Reason = "not-implemented"     // a command or parameter this server does not support
	ReasonTooManyErrors      Reason = "too-many-errors"     // the server hangs up after too many bad commands
	ReasonServiceUnavailable Reason = "service-unavailable" // the server is not taking connections or mail now
	ReasonServerError        Reason = "server-error"        // a local error on the server (storage, lookups, a backend)
	ReasonExpired            Reason = "expired"             // a queue gave up retrying
	ReasonUnknown            Reason = "unknown"             // nothing but the code is known
)

// ReasonInfo documents one reason of the vocabulary.
type ReasonInfo struct {
	ID      Reason
	Title   string // the reason in a few words, for a headline: "Mailbox full"
	Meaning string // one sentence: what the reason covers
	Group   string // "login", "transport", "sender", "recipient", "reputation and content", "session", "success"
}

// Reason groups, in display order.
const (
	groupSuccess   = "success and progress"
	groupLogin     = "login"
	groupTransport = "transport"
	groupSender    = "sender"
	groupRecipient = "recipient"
	groupContent   = "reputation and content"
	groupSession   = "session"
)

// reasonInfos is the vocabulary in display order.
var reasonInfos = []ReasonInfo{
	{ReasonAccepted, "Accepted", "A 2xx reply: the command did what was asked.", groupSuccess},
	{ReasonContinue, "Continue", "A 3xx reply: the server waits for the next part (354 for the message, 334 for a login step).", groupSuccess},

	{ReasonAuthFailed, "Login refused", "The credentials were refused and nothing more specific is known.", groupLogin},
	{ReasonAuthAppPassword, "App password needed", "The provider wants an app password or authorization code (授权码), not the account password.", groupLogin},
	{ReasonAuthDisabled, "SMTP login disabled", "SMTP AUTH or password login is turned off for the account, mailbox, tenant or service (incl. \"SMTP service not enabled\").", groupLogin},
	{ReasonAuthToken, "OAuth token refused", "An OAuth token was refused: expired, wrong scope or audience, or issued for another user.", groupLogin},
	{ReasonAuthMechanism, "Login method refused", "The AUTH mechanism is not supported here, or it is only allowed over TLS.", groupLogin},
	{ReasonAuthRequired, "Login required", "The server wants AUTH before it accepts a sender.", groupLogin},
	{ReasonAuthLocked, "Login blocked", "Logins are blocked for now: too many failures, a suspicious login, or a web sign-in is required.", groupLogin},

	{ReasonTLSRequired, "TLS required", "The server wants STARTTLS (or an implicit-TLS connection) before this command.", groupTransport},
	{ReasonTLSUnavailable, "TLS unavailable", "TLS cannot be set up: the server does not offer it, the handshake fails, or its certificate does not verify.", groupTransport},
	{ReasonTLSMismatch, "Plain vs TLS mismatch", "One side speaks TLS and the other plain SMTP: implicit TLS (--tls, port 465) against a STARTTLS port, or the reverse.", groupTransport},
	{ReasonNetwork, "Network failure", "No connection: refused, timed out, unreachable, or closed by the other side.", groupTransport},
	{ReasonPortBlocked, "Port blocked", "A network on the way (ISP, hosting provider, firewall) filters the SMTP port.", groupTransport},

	{ReasonSenderDenied, "Sender not allowed", "This client may not send as this address (not its own, not a verified identity, no Send As right).", groupSender},
	{ReasonSenderInvalid, "Sender address invalid", "The sender address is malformed, or its domain does not exist.", groupSender},
	{ReasonSenderAuth, "SPF/DKIM/DMARC failed", "Sender authentication (SPF, DKIM or DMARC) failed for the message.", groupSender},
	{ReasonRelayDenied, "Relay denied", "The server will not pass mail on to that domain for this client (not logged in, not trusted).", groupSender},
	{ReasonAccountRestricted, "Account restricted", "The sending account is suspended, unverified, in a sandbox, or not allowed to send.", groupSender},

	{ReasonRecipientUnknown, "No such recipient", "The recipient address does not exist at that server.", groupRecipient},
	{ReasonRecipientInvalid, "Recipient address invalid", "The recipient address is malformed.", groupRecipient},
	{ReasonMailboxFull, "Mailbox full", "The recipient's mailbox is over its storage quota.", groupRecipient},
	{ReasonMailboxDisabled, "Mailbox disabled", "The recipient's mailbox exists but is disabled, suspended or inactive.", groupRecipient},
	{ReasonMailboxMoved, "Mailbox moved", "The recipient has moved to another address.", groupRecipient},
	{ReasonHostUnknown, "Domain does not take mail", "The recipient's domain does not exist, has no mail server, or accepts no mail.", groupRecipient},
	{ReasonRecipientRejected, "Recipient refused", "The recipient was refused without a more specific reason.", groupRecipient},

	{ReasonBlocked, "Blocked", "The client's IP or domain is blocked or on a block list, or its reputation is too poor.", groupContent},
	{ReasonReverseDNS, "Reverse DNS problem", "The client IP has no or a mismatched PTR record, or the HELO name is bad.", groupContent},
	{ReasonSpam, "Judged as spam", "The message was classified as spam.", groupContent},
	{ReasonVirus, "Virus or forbidden attachment", "Malware or a forbidden attachment type was found in the message.", groupContent},
	{ReasonContent, "Message malformed", "The headers or content are broken or not RFC-compliant.", groupContent},
	{ReasonPolicy, "Refused by policy", "A local policy refused it, and the reply says no more.", groupContent},
	{ReasonTooBig, "Message too big", "The message is larger than the server or mailbox allows.", groupContent},
	{ReasonRateLimited, "Rate limited", "Too many messages, recipients, connections or commands in a short time.", groupContent},
	{ReasonSendingQuota, "Sending quota used up", "The account's daily or hourly sending quota is used up.", groupContent},
	{ReasonGreylisted, "Greylisted", "Deferred on purpose on a first attempt; a retry after a few minutes is accepted.", groupContent},

	{ReasonSequence, "Out of sequence", "A command came at the wrong point of the session.", groupSession},
	{ReasonSyntax, "Syntax error", "A command or its arguments are written wrongly.", groupSession},
	{ReasonNotImplemented, "Not supported", "The server does not support this command, parameter or extension.", groupSession},
	{ReasonTooManyErrors, "Too many errors", "The server ends the session after too many bad commands.", groupSession},
	{ReasonServiceUnavailable, "Service unavailable", "The server is not taking connections or mail right now (overloaded, shutting down, or refusing service).", groupSession},
	{ReasonServerError, "Server error", "The server had a local problem of its own: storage, a lookup, a backend.", groupSession},
	{ReasonExpired, "Gave up retrying", "A queue tried for too long and gave up.", groupSession},
	{ReasonUnknown, "Unknown", "Only the code is known; the text says nothing more specific.", groupSession},
}

// reasonIndex finds a reason's info by identifier.
var reasonIndex = func() map[Reason]ReasonInfo {
	m := make(map[Reason]ReasonInfo, len(reasonInfos))
	for _, r := range reasonInfos {
		m[r.ID] = r
	}
	return m
}()

// Reasons returns the whole vocabulary in display order.
func Reasons() []ReasonInfo { return append([]ReasonInfo(nil), reasonInfos...) }

// LookupReason returns the info of a reason identifier.
func LookupReason(id Reason) (ReasonInfo, bool) {
	info, ok := reasonIndex[id]
	return info, ok
}

// Title returns the reason in a few words ("Mailbox full"), or the
// identifier itself when it is not in the vocabulary.
func (r Reason) Title() string {
	if info, ok := reasonIndex[r]; ok {
		return info.Title
	}
	return string(r)
}

// ReasonSource says which evidence decided the reason. The values are
// stable: they appear in JSON output as "reason_from".
type ReasonSource string

// Where a reason came from, strongest first.
const (
	FromText     ReasonSource = "text"     // the server's words (a provider's phrase or the shared vocabulary)
	FromEnhanced ReasonSource = "enhanced" // the enhanced status code (the provider's private meaning, else the registry's)
	FromCode     ReasonSource = "code"     // the basic reply code alone
	FromContext  ReasonSource = "context"  // the basic code together with the command it answered
	FromWords    ReasonSource = "words"    // the words compared with real replies by the learned reader (no phrase the rules know)
)
