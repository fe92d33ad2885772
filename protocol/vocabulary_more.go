package protocol

// vocabularyMore is the shared vocabulary the sixth pass added: the words
// of server families the first corpus did not hold (Coremail-style
// bilingual code lists, IceWarp, MDaemon, gateways' rejection tables,
// hosting providers' knowledge bases) and the client libraries' own
// sentences. Each group is a situation many servers word alike, not one
// collected line (protocol/reading_rules6_test.go).
var vocabularyMore = concatCues(
	// The server's own trouble: its queue, its database, its code.
	say(weightSpecific, ReasonServerError,
		"queue unavailable", "queue is unavailable", "queue busy", "database temporary error", "temporary database error",
		"database unavailable", "database is unavailable", "database failure", "exception sending", "points to local host", "队列忙", "数据访问失败", "数据库错误"),
	// qmail-queue's failures, reported by qmail-smtpd as "451 qq …".
	say(weightDecisive, ReasonServerError, "qq trouble", "qq write error", "qq read error", "qq temporary problem",
		"qq internal bug", "qq out of memory", "qq timeout"),
	// A SASL back end that failed (Postfix's "Temporary authentication
	// failure"): the server's problem, not the credentials.
	say(weightDecisive, ReasonServerError, "temporary authentication failure", "认证临时失败"),

	// Login.
	say(weightDecisive, ReasonAuthMechanism, "auth mode unsupported", "authentication mode", "auth mode",
		"unsupported auth", "不支持的认证模式", "认证模式"),
	say(weightSpecific, ReasonAuthFailed, "auth error", "could not authenticate", "couldn't authenticate",
		"unable to authenticate"),
	say(weightDecisive, ReasonAuthMechanism, "does not support authentication method",
		"doesn't support authentication method", "does not support authentication mechanism"),
	sayRoles(weightDecisive, ReasonAuthDisabled, ReasonAuthDisabled, ReasonAuthDisabled,
		"does not support authentication", "doesn't support authentication", "authentication is not supported",
		"authentication not supported"),

	// Session.
	say(weightSpecific, ReasonSequence, "sequence error", "transaction is already in progress", "already in progress",
		"transaction in progress", "序列错误"),
	say(weightSpecific, ReasonSyntax, "parse error", "cannot parse", "unable to parse", "invalid input", "违背协议"),
	say(weightSpecific, ReasonContent, "stray newline", "stray cr", "stray lf", "does not conform to standards",
		"not conform to", "does not conform to rfc", "not rfc compliant"),
	say(weightSpecific, ReasonPolicy, "is mandatory", "are mandatory"),

	// A sender known for spam, or its address, is blocked; the message
	// itself judged spam is spam.
	say(weightDecisive, ReasonBlocked, "black ip", "blacked ip", "black mail address", "black address", "spam site",
		"sending spam", "sent spam", "spammer", "openrelay", "ip is rejected", "ip is blocked", "ip被禁止",
		"黑邮件地址", "开放中继"),
	// A recipient's own list refuses the sender, or an ESP's suppression
	// list refuses the recipient.
	say(weightDecisive+1, ReasonRecipientRejected, "reject list", "suppression list", "suppressed address",
		"on the suppression", "recipient not authorized", "recipient is not authorized"),
	withRole(roleRecipient, say(weightGeneric, ReasonRecipientRejected, "user rejected")),

	// Recipient: the non-native English of Asian servers ("user not
	// known", "don't exists") and clients' own sentences.
	say(weightSpecific, ReasonRecipientUnknown, "user not known", "unavailable mail user", "mail user unavailable",
		"don't exists", "doesn't exists", "not exists", "not user of", "not a user of", "address was not found",
		"recipient verification failed", "rcpt verification failed"),
	say(weightDecisive, ReasonRecipientUnknown, "该用户未开通", "用户未开通", "收件人未开通", "对方未开通"),
	sayRoles(weightSpecific, ReasonRecipientInvalid, ReasonSenderInvalid, "",
		"characters in address", "null path", "address must contain a domain", "must contain a domain"),
	// gen_smtp's "501 Invalid command or cannot parse to address": the
	// address, not the command, is what it could not read.
	withRole(roleRecipient, say(weightDecisive+1, ReasonRecipientInvalid, "parse to address")),
	withRole(roleSender, say(weightSpecific, ReasonSenderInvalid, "parse from address", "mail from invalid",
		"sender address illegal", "must be a valid domain", "valid mx or a record", "发件人地址不合法")),
	withRole(roleSender, say(weightDecisive, ReasonSenderDenied, "denies the sender", "拒绝发件人",
		"sender signature", "is not authorized to perform")),

	// Sending account.
	say(weightSpecific, ReasonAccountRestricted, "sending for this account", "message sending for",
		"unusual sending activity", "sending for your account"),
	// The account named as the one that sent too much: its own cap.
	say(weightDecisive+2, ReasonSendingQuota, "account has sent", "number of sent", "sent emails within",
		"sent messages within"),
	say(weightSpecific, ReasonRateLimited, "too many e-mails", "too many e-mail", "submission rate", "message rate",
		"sending rate exceeded"),

	// Size.
	say(weightDecisive, ReasonTooBig, "size exceeded", "email size", "mail size", "larger than the destination",
		"message is larger than", "e-mail message is larger"),
	// Storage, in German.
	// Storage words name the mailbox's quota even in a 4xx whose English
	// half says "limit exceeded" (a throttle's words).
	say(weightDecisive+2, ReasonMailboxFull, "speicherplatz", "kontingent überschritten", "kontingent ueberschritten"),

	// Service.
	say(weightSpecific, ReasonServiceUnavailable, "try another server", "not ready", "is busy", "network is busy",
		"server is busy", "server busy", "system busy", "too busy"),

	// Transport and TLS.
	say(weightSpecific, ReasonNetwork, "missing port in address", "readtimeout", "opentimeout", "read timeout",
		"net::readtimeout", "net::opentimeout", "resolving error"),
	say(weightDecisive, ReasonTLSUnavailable, "pkix path validation failed", "certpathvalidatorexception",
		"validity check failed", "sslhandshakeexception"),
	// A TLS ClientHello (0x16 0x03) logged by a plain SMTP server: the
	// client spoke TLS to a STARTTLS or plain port.
	say(weightDecisive+1, ReasonTLSMismatch, `\026\003`, `\x16\x03`, `\\x16\\x03`),
	say(weightSpecific, ReasonTLSRequired, "encrypted smtp session", "via an encrypted", "encrypted session",
		"encrypted connection required", "requires encryption"),

	// Relay: the server does not take mail for that domain from this
	// client (qmail's rcpthosts, a gateway whose domain list lacks it, an
	// MX told to take submissions).
	say(weightDecisive, ReasonRelayDenied, "rcpthosts", "not in my list of allowed", "use submission",
		"not configured to use this mx", "not configured on this server"),

	// Recipient domain without mail exchangers, as MTAs and client
	// libraries say it.
	say(weightDecisive, ReasonHostUnknown, "querymx", "no mx found", "mx server for", "resolve any ip addresses for the mx",
		"no mx record", "no mx records"),
)
