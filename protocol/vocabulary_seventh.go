package protocol

// vocabularySeventh is what the seventh pass added, from the failures of
// the second held-out set (unseen-2026-12b, now collected-2026-12b): the
// same situations in other servers' words. Each group is a wording many
// servers share, not one collected line (protocol/reading_rules7_test.go).
var vocabularySeventh = concatCues(
	// Unknown users, in the words of university and ISP servers.
	withRole(roleRecipient, say(weightSpecific, ReasonRecipientUnknown,
		"not a known user", "is not a known user", "no mail box available", "no mailbox available",
		"bad_recipient", "no such mail box", "not a valid user")),
	// A mailbox that holds too much, however the server puts it.
	say(weightDecisive, ReasonMailboxFull,
		"mailfolder is full", "mail folder is full", "mailfolder full", "too many messages on the server",
		"too many messages in the mailbox", "too many messages in mailbox", "zuviele mails", "exceeding their quota",
		"exceeding the quota", "exceeding its quota", "disk space limit", "storage limit exceeded"),
	// Spam judged by content or volume, and spam block lists.
	say(weightDecisive, ReasonSpam, "bulk email", "bulk e-mail", "bulk mailer", "mass mailer", "mass mailing",
		"mass mail", "spam pattern", "spam content", "spam contents", "dspam"),
	say(weightDecisive, ReasonBlocked, "spam list", "spamlist", "black listed", "black-listed", "badmailfrom",
		"deny file", "deny-list", "deny table", "block file"),
	// Loops and broken local delivery: the receiving server's own trouble.
	say(weightSpecific, ReasonServerError, "message looping", "looping", "forwarding loop", "aliasing loop",
		"aliasing/forwarding loop", "loop broken", "command died", "mail transport error", "transport error",
		"host lookup did not complete", "lookup did not complete"),
	// A queue that gave up on a message.
	say(weightDecisive, ReasonExpired, "message timed out", "not been collected", "not collected after"),
	// Sizes said the long way round.
	say(weightDecisive, ReasonTooBig, "longer than the maximum", "larger than the maximum", "maximum size allowed",
		"exceeds the size", "bigger than the maximum"),
	// Content a server will not take (in a command, the same words are
	// the command's syntax).
	say(weightDecisive+1, ReasonSyntax, "not allowed in smtp commands", "characters are not allowed in smtp commands"),
	say(weightDecisive, ReasonContent, "nul character", "nul characters", "null character", "null characters",
		"resent-from field", "no message-id", "missing message-id", "header field given"),
	// A sending quota per period.
	say(weightDecisive+1, ReasonSendingQuota, "for the current period", "quota for the period"),
	// A relay or submission account whose service is off.
	sayRoles(weightSpecific, ReasonAuthDisabled, ReasonAuthDisabled, ReasonAuthDisabled,
		"not enabled for this account", "is not enabled for your account", "not activated for this account"),
	say(weightDecisive, ReasonRelayDenied, "remote domains not supported", "mailing to remote domains",
		"relaying not permitted", "not permitted to relay"),
	// A client with no mechanism in common with the server.
	say(weightDecisive, ReasonAuthMechanism, "no compatible authentication", "compatible authentication mechanism",
		"no supported authentication", "no suitable authentication", "no authentication mechanisms"),
	// Server logs' own words (Exim, Postfix, Sendmail, ASSP): a client
	// whose address has no name, logins failing in a row, a map or
	// service of the server failing, an ACL that dropped a client.
	say(weightDecisive, ReasonReverseDNS, "no host name found for ip address", "no ip address found for host"),
	say(weightDecisive, ReasonAuthLocked, "too much auth errors", "too many auth errors"),
	say(weightDecisive, ReasonSyntax, "invalid base64 data", "invalid base64"),
	say(weightDecisive, ReasonServerError, "problem talking to service", "map lookup problem", "lookup problem",
		"can't contact ldap server", "cannot contact ldap server"),
	say(weightSpecific, ReasonPolicy, "closed by drop in acl", "drop in acl"),
	say(weightDecisive, ReasonSequence, "pregreet"), // postscreen: the client spoke before the greeting
	say(weightSpecific, ReasonSpam, "rejected by local_scan"),
	// Transport failures in mail clients' and MTAs' words.
	say(weightSpecific, ReasonNetwork, "connection to mail exchanger failed", "connection to mail exchanger",
		"connection failed", "could not connect to"),
	// A recipient this sender may not write to (a per-recipient rule),
	// not an account that may not send at all.
	withRole(roleRecipient, say(weightSpecific, ReasonRecipientRejected, "not allowed to send mail to",
		"not allowed to send messages to")),
)
