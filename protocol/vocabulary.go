package protocol

// The shared phrase vocabulary: words any server uses for a situation,
// whatever its software. A reply's text is matched against all of them in
// one pass (see [phraseMatcher]); the strongest match names the reason.
//
// Weights order the evidence when several phrases match:
//
//	weightGeneric  "rejected", "denied", "policy": says little
//	weightHint     a word that leans one way ("blocked", "spam", "too many")
//	weightSpecific a phrase with one meaning ("user unknown", "over quota")
//	weightDecisive a phrase that overrides others in the same reply
//	               ("open resolver" in a block-list reply is the receiver's
//	               own DNS problem, not a listing)
//
// When two matches overlap, the longer one wins ("relay access denied"
// over "access denied", "sending quota exceeded" over "quota exceeded").
const (
	weightGeneric  = 1
	weightHint     = 2
	weightSpecific = 3
	weightDecisive = 4
	// weightProvider is a provider's own phrase: it beats every shared one.
	weightProvider = weightDecisive + 2
)

// addrRole is whose address or what step a phrase is about.
type addrRole int

const (
	roleNone addrRole = iota
	roleRecipient
	roleSender
	roleLogin
	roleHelo // the client's HELO/EHLO name
)

// cue is what one phrase says.
type cue struct {
	phrase string
	reason Reason
	// sender and login replace reason when the phrase is about the sender
	// address or the login ("domain not found" of a sender is
	// sender-invalid; "account disabled" at login is auth-disabled).
	sender, login Reason
	// helo replaces reason when the phrase is about the HELO name
	// ("invalid domain name" of the EHLO argument is reverse-dns).
	helo      Reason
	temporary bool // the phrase calls the refusal temporary
	weight    int
	role      addrRole // the phrase names whose address the reply is about
	transient bool     // only on a 4xx reply (greylisting)
	provider  string   // only for replies from this provider
	marks     string   // the phrase identifies this provider (no reason)
	rank      int      // a marker's place in providerMarkers: lower wins
	// needsRole cues name a reason only for a known role: sender and
	// login (possibly "") replace reason, and without a role they say
	// nothing ("rejected" alone could be anything).
	needsRole bool
}

// sharedVocabulary is the English phrase list. Chinese phrases are in
// vocabularyChinese.
var sharedVocabulary = concatCues(
	// Login.
	say(weightSpecific, ReasonAuthFailed,
		"authentication failed", "authentication failure", "authentication unsuccessful", "auth failed",
		"auth failure", "login failed", "login fail", "invalid login", "login incorrect", "incorrect authentication data",
		"authentication credentials invalid", "invalid credentials", "bad credentials", "username and password not accepted",
		"username or password", "username and password", "bad username", "wrong password", "incorrect password", "password incorrect",
		"invalid password", "password is incorrect", "credentials were incorrect", "user credentials were incorrect",
		"authentication rejected", "invalid user name or password", "login or password", "authentication error",
		"invalid username", "passwd", "bad password", "password was incorrect", "wrong credentials", "credentials invalid",
		"authentication credentials", "authenticationinvalidcredentials", "logincredentials", "badcredentials",
		"login denied", "auth_failed", "authentication_failed"),
	say(weightDecisive, ReasonAuthAppPassword,
		"application-specific password", "application specific password", "app password", "app-specific password",
		"app specific password", "authorization code", "apppasswords", "invalidsecondfactor", "application password",
		"enter your authorization"),
	sayRoles(weightDecisive, ReasonAuthDisabled, ReasonAuthDisabled, ReasonAuthDisabled,
		"basic authentication is disabled", "smtpclientauthentication is disabled", "smtp auth is disabled",
		"authentication is disabled", "smtp auth disabled", "smtp_auth_disabled", "smtp service not enabled",
		"smtp is not enabled", "smtp access is disabled", "smtp access disabled", "not enabled for smtp",
		"has no permission", "password login is disabled", "legacy authentication", "smtp authentication is disabled",
		"basic auth is disabled", "imap/smtp is disabled", "smtp is disabled", "smtp has been disabled",
		"smtp service is not enabled", "smtp service is disabled", "please enable smtp"),
	say(weightDecisive, ReasonAuthToken,
		"invalid token", "token expired", "expired token", "invalid_token", "invalid_grant", "oauth", "access token",
		"token is expired", "token has expired", "bearer token", "invalid bearer", "xoauth2 token", "authorization grant",
		"xoauth2 auth data", "invalid xoauth2"),
	say(weightSpecific, ReasonAuthMechanism,
		"mechanism is too weak", "mechanism too weak", "unrecognized authentication type", "unsupported authentication mechanism",
		"authentication mechanism not supported", "invalid authentication mechanism", "mechanism not supported",
		"unknown authentication mechanism", "no supported authentication", "unrecognized authentication",
		"authentication mechanism", "encryption required for requested authentication mechanism",
		"plaintext authentication disallowed", "auth mechanism", "mechanism not available", "no mechanism",
		"authentication method", "mechanisms supported", "mechansims"),
	say(weightSpecific, ReasonAuthRequired,
		"authentication required", "authentication is required", "auth required", "must authenticate",
		"not authenticated", "unauthenticated senders", "smtp authentication is required", "requires authentication",
		"authentication needed", "need ehlo and auth", "not logged in", "please login", "must be authenticated",
		"anonymous mail", "authenticate first", "please log in", "must log in", "login first", "auth first",
		"authentication first", "turn on smtp authentication", "you must authenticate", "must first authenticate",
		"sender must authenticate", "authentication is needed"),
	say(weightHint, ReasonAuthRequired, "please authenticate"),
	needRole(sayRoles(weightSpecific, "", "", ReasonAuthLocked, "suspicious", "unusual sign-in", "unusual activity")),
	sayRoles(weightDecisive, ReasonAuthLocked, ReasonAuthLocked, ReasonAuthLocked,
		"authenticate too many", "too many failed logins", "too many times",
		"too many login attempts", "too many bad auth attempts", "too many failed", "too many authentication failures",
		"too many auth", "too many invalid logins", "too many login failures", "log in via your web browser",
		"log in with your web browser", "login via your web browser", "web login required",
		"too much fail authentication", "account is temporarily locked", "login temporarily blocked",
		"temporarily blocked for login", "sign in via your web browser", "too many failed login",
		"prove you are not a robot", "use web for sending"),
	sayRoles(weightSpecific, ReasonMailboxDisabled, ReasonAccountRestricted, ReasonAuthLocked,
		"account is locked", "account locked", "account has been locked", "user is locked", "mailbox is locked",
		"account is blocked", "account has been blocked", "account blocked"),

	// Transport.
	say(weightSpecific, ReasonTLSRequired,
		"must issue a starttls command first", "starttls first", "starttls required", "tls required", "requires tls",
		"must use tls", "tls is required", "secure connection required", "requires a secure connection",
		"ssl required", "tls needed", "encryption needed", "encryption required", "requiretls",
		"starttls is required", "tls encryption is required", "issue a starttls", "must use starttls",
		"encryption is required", "requires a secure", "tls must be used", "use starttls", "without ssl/tls",
		"without ssl", "without tls", "without encryption"),
	say(weightHint, ReasonTLSMismatch, "ssl routines"),
	say(weightDecisive, ReasonTLSUnavailable, "does not support starttls", "host does not support starttls",
		"starttls command used when not advertised"),
	say(weightSpecific, ReasonTLSUnavailable,
		"tls not available", "starttls not available", "tls is not available", "starttls extension not supported",
		"does not support starttls", "starttls is not supported", "tls not supported", "handshake failure",
		"handshake failed", "tls handshake", "ssl handshake", "no shared cipher", "unsupported protocol",
		"no protocols available", "protocol version", "tlsv1 alert", "sslv3 alert", "no ciphers available",
		"does not support secure connection", "doesn't support secure connection", "secure connection is not supported",
		"starttls not supported", "starttls is not available", "tls unavailable", "unencrypted connection",
		"does not support tls", "does not support secure connections", "missing_requirement",
		"does not support the starttls", "could not convert socket to tls", "unable to convert socket to tls"),
	say(weightDecisive, ReasonTLSUnavailable, // certificate verification failures: see docs/explain.md
		"certificate verify failed", "certificate_verify_failed", "x509:", "self signed certificate",
		"self-signed certificate", "self_signed_cert", "unable to verify the first certificate",
		"unable to get local issuer certificate", "certificate has expired", "cert_has_expired",
		"does not match certificate", "err_tls_cert_altname_invalid", "certificate is not valid", "remote certificate is invalid",
		"certificate signed by unknown authority", "pkix path building failed", "unable to find valid certification path",
		"unable_to_verify_leaf_signature", "certificate is valid for", "certificate verification failed",
		"certificate verification error", "not valid for name", "hostname mismatch", "certificate expired",
		"unknown ca", "bad certificate", "peer certificate", "certificate unknown", "remotecertificatenamemismatch", "remotecertificatechainerrors"),
	say(weightDecisive, ReasonTLSMismatch,
		"wrong version number", "wrong_version_number", "first record does not look like a tls handshake",
		"ssl3_get_record", "packet length too long", "record layer failure", "oversized record", "unknown protocol",
		"http request to an https server", "eproto", "unexpected tls packet", "tls: first record", "unexpected message",
		"not an ssl/tls record", "plaintext connection", "ssl_error_rx_record_too_long", "record too long"),
	// A server that writes "connection refused" in a reply refuses the
	// client for a reason the rest of its words give: network words are
	// hints that name the reason only when nothing else does.
	say(weightHint, ReasonNetwork,
		"connection refused", "econnrefused", "etimedout", "timed out", "timeout", "i/o timeout", "no route to host",
		"ehostunreach", "enetunreach", "network is unreachable", "connection unexpectedly closed", "connection closed",
		"connection reset", "econnreset", "broken pipe", "epipe", "enotfound", "getaddrinfo", "no such host",
		"name or service not known", "could not connect", "couldn't connect", "unable to connect", "failed to connect",
		"connect failed", "connect() failed", "not connected", "eof", "server disconnected", "smtpserverdisconnected", "connection lost",
		"connection dropped", "host unreachable", "temporary failure in name resolution", "nodename nor servname",
		"esocket", "econnection", "greeting never received", "connection was closed", "forcibly closed",
		"socket closed", "following server failed", "could not open connection", "connection aborted",
		"econnaborted", "unexpected eof", "connection to server lost", "disconnected", "getaddrinfow",
		"no address associated", "connection failed", "cannot connect", "can't connect", "unreachable",
		"lost connection", "closed connection", "timedout", "timeouterror", "eaddrnotavail", "error connecting",
		"timed-out", "cannot assign requested address", "empty reply", "no response from server",
		"server closed the connection", "connection closed by", "errno -2", "errno -3", "eai_again", "gaierror",
		"remote host closed connection", "network error"),
	// The sending MTA's own DNS trouble (Postfix's "Malformed or
	// unexpected name server reply", "Host not found, try again"), and
	// Exim deferring until its retry time for unreachable hosts.
	say(weightDecisive, ReasonNetwork, "unexpected name server reply", "host not found, try again",
		"retry time not reached"),
	say(weightDecisive+1, ReasonNetwork, "wasn't able to establish an smtp connection", "unable to establish an smtp connection",
		"no smtp connection got far enough", "delivery temporarily suspended"),
	say(weightDecisive, ReasonExpired, "in the queue too long"),
	say(weightDecisive, ReasonPortBlocked,
		"port 25 is blocked", "port 25 blocked", "outbound port 25", "blocked port", "port is blocked", "port blocked",
		"smtp port is blocked", "port 25 outbound", "port 587 is blocked", "port 465 is blocked", "blocks port",
		"blocking port"),

	// Sender.
	say(weightSpecific, ReasonSenderDenied,
		"not allowed to send as", "sendasdenied", "send as denied", "not owned by", "not one of your addresses",
		"verified sender identity", "sender identity", "mail from must equal", "must be same as authorization user",
		"not authorized to send", "sender not allowed", "sender is not allowed", "not permitted to send",
		"permissions to send as", "permission to send as", "must match authenticated", "does not match the authenticated",
		"doesn't conform with authentication", "local user only", "not verified", "sender not authorized",
		"address is not verified", "identities failed the check", "not your address", "do not own",
		"does not belong to", "authenticated user", "authorization user", "authorized user", "not allowed to send from",
		"sender denied", "send mail as", "mail from address must", "same as login", "sender address is not allowed",
		"unauthorized sender", "sender unauthorized", "not allowed to use the domain", "as a sender domain",
		"unconfigured sending domain", "not a sender signature", "fake sender", "sender domain not verified",
		"not local sender", "mail from not owned"),
	withRole(roleSender, say(weightGeneric, ReasonSenderDenied,
		"sender address rejected", "sender rejected", "sender refused", "sender blocked")),
	say(weightDecisive, ReasonSenderDenied, "relaying disallowed as"),
	withRole(roleSender, say(weightSpecific, ReasonSenderInvalid,
		"domain of sender address", "sender domain not found", "sender domain does not exist", "invalid sender",
		"bad sender", "sender syntax", "sender address invalid", "sender verify failed", "could not verify sender",
		"sender verification failed", "sender address must contain a domain", "unverifiable sender",
		"sender address does not exist", "sender domain must exist", "sender domain is invalid",
		"bad sender address syntax", "invalid sender address", "sender domain unknown", "unknown sender domain",
		"sender address has null mx", "sender has null mx", "verification failed for", "valid sender domain",
		"invalid dns mx or a/aaaa", "null sender is not allowed", "emetteur invalide", "from: domain is invalid",
		"from domain is invalid", "ip addresses are not allowed as a from")),
	say(weightDecisive, ReasonSenderAuth,
		"spf", "dkim", "dmarc", "sender policy framework", "domainkeys", "arc validation", "authentication checks",
		"unauthenticated email", "mail is unauthenticated", "pass authentication", "sender authentication",
		"does not have authentication information", "sender is unauthenticated", "email is unauthenticated",
		"message is unauthenticated", "because it is unauthenticated", "not authenticated by", "authentication information", "spoofed", "spoofing",
		"forged sender", "forged", "is not allowed to send mail from"),
	say(weightDecisive, ReasonRelayDenied,
		"relay access denied", "relaying denied", "relay not permitted", "unable to relay", "relaying disallowed",
		"relay denied", "relay not allowed", "not permitted to relay", "relaying not allowed", "we do not relay",
		"relay prohibited", "no relaying", "relaying is not allowed", "relaying not permitted", "relay access",
		"cannot relay", "can't relay", "will not relay", "not allowed to relay", "relay forbidden", "relay rejected",
		"open relay not allowed", "domain of forward path", "relay is not permitted", "relaying mail to",
		"allowed rcpthosts", "non-local e-mail address", "non-local email address", "to a non-local"),
	say(weightHint, ReasonRelayDenied, "relay", "relaying"),
	sayRoles(weightSpecific, ReasonMailboxDisabled, ReasonAccountRestricted, ReasonAuthDisabled,
		"account suspended", "account has been suspended", "account is suspended", "account disabled",
		"account is disabled", "account has been disabled", "suspended", "deactivated", "account is inactive",
		"account not active", "account is not active", "account inactive"),
	say(weightSpecific, ReasonAccountRestricted,
		"sending is disabled", "sending disabled", "sandbox subdomains", "sandbox domain", "sandbox mode",
		"in the sandbox", "account is in sandbox", "unverified account",
		"verify your account", "spam abuse detected", "banned sender", "outgoing blocked", "outgoing mail blocked",
		"blocked from sending", "not allowed to send", "sending has been disabled", "account under review",
		"outbound spam", "restricted from sending", "sending privileges", "account is restricted",
		"sending limit reached for your account", "account has been restricted", "account restricted",
		"sign in to your account", "account verification", "bad outbound sender", "suspected of sending spam",
		"sending suspended", "sending paused", "sending is paused", "sending is suspended", "sending has been suspended",
		"sending has been paused", "isn't allowed to send", "not allowed to send email"),
	// A destination the sender may not write to is a local rule, not the
	// account's state.
	say(weightSpecific, ReasonPolicy, "not allowed to send to", "not permitted to send to"),
	say(weightSpecific, ReasonMailboxDisabled, "isn't allowed to receive", "not allowed to receive"),

	// Recipient.
	sayRoles(weightSpecific, ReasonRecipientUnknown, ReasonSenderInvalid, "",
		"user unknown", "unknown user", "no such user", "not our user", "user not found", "user does not exist", "user doesn't exist",
		"user not exist", "recipient not found", "recipientnotfound", "recipnotfound", "unknown recipient",
		"recipient unknown", "no such recipient", "address not found", "mailbox not found", "no such mailbox",
		"mailbox does not exist", "mailbox doesn't exist", "account does not exist", "tried to reach does not exist",
		"not a valid mailbox", "invalid mailbox", "no mailbox here by that name", "unknown mailbox", "mailbox unknown",
		"not our customer", "no such account", "invalid recipient", "doesn't exist", "dosn't exist", "does not exist",
		"unknown local part", "unknown address", "address unknown", "no mailbox", "recipient does not exist",
		"addressee unknown", "not a valid user", "invalid user", "unknown account", "user invalid", "no such address",
		"bad recipient", "recipient invalid", "mailbox unavailable or not local",
		"user not local", "no user", "not exist", "nonexistent", "non-existent", "unknown or illegal alias",
		"not listed in domino directory", "recipient address does not exist",
		"no longer exists", "mailbox name not allowed", "does not have an account", "invalid-recipient",
		"not in recipient list", "no longer valid", "doesn't have a"),
	aboutHelo(ReasonReverseDNS, sayRoles(weightSpecific, ReasonRecipientInvalid, ReasonSenderInvalid, "",
		"bad destination mailbox address syntax", "invalid address", "address syntax", "malformed address",
		"bad address", "recipient address reserved", "reserved by rfc", "invalid email address", "address is invalid",
		"illegal address", "bad recipient address syntax", "recipient syntax", "syntax error in address",
		"invalid mail address", "malformed recipient", "invalid characters", "address contains", "not a valid address",
		"needs fully-qualified", "need fully-qualified address", "fully-qualified address", "domain name required",
		"bad address syntax", "invalid domain name", "invalid domain address", "rfc-5321 address", "rfc 5321 address",
		"rfc5321 address")),
	say(weightDecisive, ReasonMailboxFull,
		"mailbox full", "mailbox is full", "mailbox has exceeded", "over quota", "overquota", "quota exceeded",
		"exceeded storage allocation", "exceeds quota", "quota exceed", "mailbox quota", "mailbox space", "space not enough",
		"storage quota", "out of storage", "storage full", "inbox is full", "disk quota", "mailbox size limit exceeded",
		"mail box full", "account is full", "full mailbox", "mailbox exceeded", "quota full", "mailbox is over", "est pleine",
		"over its quota", "over the quota", "exceeded its quota", "exceeded the quota", "exceed quota",
		"overquotatemp", "quota has been exceeded", "insufficient space in mailbox", "mailbox would exceed",
		"would exceed mailbox", "mailbox size", "exceeding its mailbox", "user quota", "mailbox storage", "mailbox exceeds",
		"recipient overquota", "boite du destinataire pleine", "quota violation", "folder full", "folder is full",
		"postfach des empfängers ist voll", "ist voll"),
	sayRoles(weightSpecific, ReasonMailboxDisabled, ReasonAccountRestricted, ReasonAuthDisabled,
		"mailbox disabled", "mailbox is disabled", "tried to reach is disabled", "inactivity", "no longer in use",
		"no longer active", "mailbox is inactive", "mailbox inactive", "disabled mailbox", "disableduser",
		"mailbox has been disabled", "user disabled", "user is disabled", "expired due to", "has been terminated",
		"account expired", "mailbox expired", "frozen", "mailbox is frozen", "recipient disabled", "inactive",
		"disabled recipient", "disabled account", "user inactive", "account has expired"),
	say(weightSpecific, ReasonMailboxMoved,
		"no longer on server", "has moved", "moved to", "mailbox moved", "forwarding address", "user not local; please try",
		"new address", "address has changed", "changed address", "mailbox has moved"),
	aboutHelo(ReasonReverseDNS, sayRoles(weightSpecific, ReasonHostUnknown, ReasonSenderInvalid, "",
		"domain not found", "no such domain", "unrouteable address", "unroutable address", "unrouteable",
		"unroutable", "host not found", "domain does not exist", "domain doesn't exist", "find any host named",
		"find a mail exchanger or ip address", "no mx", "does not accept mail", "host or domain name not found", "domain not exist", "null mx", "nullmx",
		"no mail exchanger", "domain is not configured", "unknown domain", "invalid domain", "domain unknown",
		"no such host or domain", "bad destination system", "mx lookup", "non-existent domain", "domain has no",
		"name service error", "unresolvable", "host unknown", "unknown host", "nxdomain", "domain not in dns",
		"dns query error", "domain invalid")),
	// RFC 5321's own text for 550, when nothing else is said, is an
	// unknown recipient (an unavailable sender after MAIL).
	sayRoles(weightGeneric, ReasonRecipientUnknown, ReasonSenderDenied, "", "action not taken: mailbox unavailable"),
	// A recipient refused in words that contain a hint of another
	// reason ("prohibited", "temporarily unavailable"): the whole phrase
	// is about the recipient.
	withRole(roleRecipient, say(weightHint, ReasonRecipientRejected, "recipient prohibited",
		"delivery is not allowed to this address", "delivery not allowed to")),
	withRole(roleRecipient, say(weightGeneric, ReasonRecipientRejected,
		"recipient address rejected", "recipient rejected", "recipient not accepted",
		"rcpt rejected", "recipient refused", "not accepted", "recipients are invalid", "not in route list",
		"recipient blocked", "rejected recipient", "recipients refused", "mailbox unavailable", "mailbox not available")),
	// The recipient's own block list ("Blocked by this recipient",
	// Mimecast's "manually Blocked Senders" and "User Entry").
	say(weightDecisive, ReasonRecipientRejected, "blocked by this recipient", "blocked senders", "user entry",
		"user domain entry", "doesn't want your mail", "does not want your mail", "sendernotauthenticatedforgroup",
		"delivery restriction check failed", "restricted to members"),
	needRole(sayRoles(weightGeneric, ReasonRecipientRejected, ReasonSenderDenied, "",
		"address rejected", "access denied", "not allowed", "rejected", "denied",
		"refused", "not permitted", "forbidden", "unavailable")),

	// Reputation and content.
	say(weightSpecific, ReasonBlocked,
		"blocked using", "blacklist*", "blocklist*", "block list", "black list", "spamhaus", "barracuda", "spamcop",
		"sorbs", "rbl", "dnsbl", "listed in", "listed at", "is listed", "listed on",
		"reputation", "banned", "not in whitelist", "not in allowlist", "bad ip", "spam sender", "ip you're using",
		"ip you are using", "user complaints", "complaints", "not on the allow list", "traffic not accepted",
		"ip address rejected", "dynamic ip", "residential", "cloudmark", "junkmail rejected",
		"ip blocked", "ip is blocked", "ip address is blocked", "ip has been blocked", "client host rejected",
		"connection rejected", "refused to talk", "block-list", "blacklisted", "deny list", "denylist",
		"uceprotect", "proofpoint", "rejected due to listing", "abusix",
		"spam source", "ip rejected", "not allowed to connect", "poor sending",
		"temporarily blocked", "permanently deferred", "access denied, banned", "ip not allowed",
		"invalid ip", "network not allowed", "ip address is not allowed", "your access to this mail system", "access to submit messages",
		"ip is hangup", "block listed", "is listed on", "bloquee pour incident de spam", "adresse ip source bloquee"),
	say(weightHint, ReasonBlocked, "blocked", "block", "your ip", "sending ip", "your network", "ip address"),
	// Senders refused for where they send from: a dial-up or dynamic
	// address that should go through its ISP's server, a known spam
	// sender.
	say(weightDecisive, ReasonBlocked, "dynamic ip", "dialup", "dial-up", "dynamic address", "residential ip",
		"smtp server of your isp", "your isp's smtp", "your isp's mail server", "use a mailgateway", "spam sender",
		"known spammer"),
	say(weightDecisive, ReasonBlocked, "poor reputation", "low reputation", "bad reputation", "ip reputation",
		"originating from your ip", "from your ip address", "user complaints",
		"reputation of the sending", "very low reputation"),
	say(weightDecisive+1, ReasonBlocked, "you may be infected"),
	// The client named as an open or insecure relay is refused for what it
	// is ("open relay not allowed" is the server's own rule: relay-denied).
	say(weightDecisive+1, ReasonBlocked, "open relay", "insecure mail relay", "insecure relay"),
	say(weightDecisive+1, ReasonRelayDenied, "open relay not allowed", "not an open relay"),
	say(weightDecisive, ReasonReverseDNS,
		"ptr", "reverse dns", "rdns", "reverse lookup", "reverse-dns", "reverse mapping", "reverse hostname",
		"cannot find your hostname", "cannot find your reverse", "no reverse", "fully-qualified hostname",
		"fully qualified hostname", "invalid hostname", "bad helo", "helo command rejected", "real hostname",
		"forward dns", "does not resolve", "hostname does not resolve", "reverse dns entry", "fcrdns",
		"helo name", "ehlo name", "invalid helo", "helo rejected", "not a fqdn", "fqdn", "ip name lookup failed",
		"hostname lookup", "host name lookup", "reverse address", "helo/ehlo rejected", "invalid helo argument",
		"ehlo rejected", "helo argument", "dns look-up", "no ptr record"),
	say(weightSpecific, ReasonSpam,
		"as spam", "classified as spam", "identified as spam", "considered spam", "detected as spam", "spam detected",
		"looks like spam", "message is spam", "spam content", "spam message", "likely spam", "spam score",
		"content filter", "marked as spam", "rejected as spam", "junk", "unsolicited", "possible spam", "spamed",
		"spam denied",
		"behaviour spam", "behavior spam", "high probability of spam", "spam filter", "suspected spam",
		"bulk mail", "spamassassin", "spam engine", "same size mails", "spammy", "spam-like", "phish*", "scam",
		"suspicion of spam", "mcspamsignature", "ube", "looks like spam"),
	// A refused content that names no spam marker is a policy (LABELING);
	// with one ("suspected spam", "UBE") it is spam.
	say(weightHint, ReasonPolicy,
		"inappropriate", "content denied", "content rejected", "content reject", "message content rejected",
		"content is not accepted", "message blocked", "content policy", "message filtered", "mail filtered",
		"mailpolicy", "mail policy", "list software not permitted"),
	say(weightHint, ReasonSpam, "spam*"),
	say(weightDecisive+1, ReasonSpam, "spam or virus"),
	say(weightDecisive, ReasonSpam, "blacklisted url", "url in message", "uribl", "surbl", "spam score", "score exceeds"),
	say(weightDecisive, ReasonVirus,
		"virus", "malware", "infected", "trojan", "forbidden attachment", "attachment type", "banned attachment",
		"executable", "illegal attachment", "unacceptable attachment", "potential security issue", "security issue", "malicious",
		"blocked attachment", "dangerous attachment", "file type", "attachment is not allowed", "prohibited attachment",
		"viral", "banned file", "file extensions are dangerous"),
	say(weightSpecific, ReasonContent,
		"bare cr", "bare lf", "bare <cr>", "bare <lf>", "bare linefeed", "bare newline", "line is too long",
		"line too long", "message-id", "rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "rfc 822",
		"822.bis", "rfc compliant", "rfc-compliant", "malformed message", "mime", "8-bit", "8bit", "encoding",
		"character set", "charset", "from: header", "invalid message", "message format", "non-ascii", "smtputf8",
		"utf-8", "unicode address", "message-id:", "broken message", "purported responsible address"),
	say(weightHint, ReasonContent, "header", "headers"),
	say(weightDecisive, ReasonContent, "line is too long", "line too long", "line limit", "headers too large",
		"header too large", "too many headers", "header is too long", "line length"),
	say(weightHint, ReasonPolicy,
		"policy", "local policy", "policy reasons", "administrative prohibition", "prohibited", "rejected by policy",
		"policy violation", "denied by policy", "refused by policy", "policy rejection", "not accepted for policy reasons",
		"by policy", "message not allowed", "policy restrictions", "external forwarding", "policies",
		"delivery requirements"),
	say(weightDecisive, ReasonTooBig,
		"message size", "size exceeds", "too large", "too big", "message exceeded", "size limit", "exceeds the maximum",
		"exceeds size", "message length exceeds", "maximum message size", "size limits", "message is too large",
		"message file too big", "exceeded mailsize", "mailsize", "bytes long", "attachment is too long",
		"length of data content", "message too long", "size guidelines", "exceeds maximum size", "maxsizeerror",
		"message exceeds", "over the size", "oversized", "message too large", "message is too big",
		"mail is too large", "email is too large"),
	say(weightSpecific, ReasonTooBig, "too long"),
	say(weightSpecific, ReasonRateLimited,
		"too many connections", "too many concurrent", "too many messages",
		"too many recipients", "too many rcpt", "frequency limited", "frequency", "sending rate",
		"sending too fast", "slow down", "unusual rate", "too much email",
		"too much mail", "too fast", "exceeded the rate", "max connections", "connection limit",
		"concurrent connections", "maximum sending rate", "rcpt numbers", "maximum number of",
		"maximum threshold", "too many mails", "too many emails", "mail flood", "flood", "per hour", "per minute",
		"per second", "rate of", "recipients limit", "recipient limit", "too many recipient", "limit exceeded",
		"exceeded the limit", "over the limit", "too many sessions", "number of rcpt",
		"high volume", "volume of", "exceeded the maximum", "too many commands", "too many transactions",
		"too quickly", "too frequently", "too often", "at a rate", "per transaction", "too many concurrent connections",
		"per connection", "per session", "too many sessions", "too much email", "receiving mail at a rate",
		"received too much", "too many messages", "max message per", "max number of messages",
		"excessive volume", "excessive traffic", "excessive mail", "excessive messages", "excessive sending"),
	// "try again in 30 seconds" is a retry hint: greylisting and throttles
	// both say it, so it only leans.
	say(weightHint, ReasonRateLimited, "too many", "too much", "limit", "try again in"),
	// A throttle that says so is rate-limited even when it names the
	// reputation behind it ("IP reputation ratelimit in effect").
	say(throttleWeight, ReasonRateLimited, "rate limit*", "rate-limit*", "ratelimit*", "throttl*"),
	say(weightDecisive, ReasonRateLimited, "queue quota exceeded"),
	say(weightDecisive+1, ReasonSendingQuota,
		"sending quota", "daily user sending quota", "daily sending quota", "daily limit",
		"daily quota", "hourly quota", "message limit", "submissionquotaexceeded", "maximum credits exceeded",
		"credits exceeded", "daily message limit", "relay quota", "messages per day", "per day", "daily sending limit",
		"quota of", "daily send", "daily recipient", "outbound quota", "submission quota", "messages today",
		"hour limit", "hourly limit", "outgoing limit*", "message quota", "max emails per hour",
		"defers and failures per hour", "relay limit exceeded", "over your daily", "package exceeded"),
	// A quota named for the recipients' domain is the receiver throttling
	// this sender, not the sending account's own quota (LABELING.md,
	// "rate-limited vs sending-quota").
	say(weightDecisive+1, ReasonRateLimited, "recipients domain hourly quota", "recipients domain daily quota",
		"recipient domain hourly quota", "recipient domain daily quota", "recipients hourly quota",
		"recipients daily quota"),
	say(weightSpecific, ReasonSendingQuota, "sending limit*", "send limit"),
	say(weightDecisive, ReasonGreylisted,
		"greylist*", "graylist*", "grey-list*", "gray-list*", "greylisting", "postgrey", "grey listed",
		"gray listed", "greylisted"),
	// A bare "try again later" names no cause: the service is not
	// available now (LABELING.md); greylisting says its own name.
	say(weightHint, ReasonServiceUnavailable,
		"try again later", "please try again later", "retry later", "try later", "please try later",
		"veuillez essayer plus tard", "service refuse", "service refused"),

	// Session.
	say(weightSpecific, ReasonSequence,
		"bad sequence", "need mail", "need rcpt", "send helo", "send ehlo", "helo first", "ehlo first",
		"helo/ehlo first", "ehlo/helo first", "mail first", "rcpt first", "out of sequence", "nested mail command",
		"already authenticated", "sender already specified", "must precede", "must be preceded",
		"command pipelining", "synchronization error", "sender not yet given", "no valid recipients",
		"say helo", "say ehlo", "polite people", "no sender", "need mail command", "need rcpt command",
		"valid rcpt command must precede", "mail command first", "rcpt command first", "out of order",
		"not allowed during", "wrong sequence", "allowed to pipeline", "pipelining not allowed",
		"before smtp greeting", "before greeting", "before the greeting", "before the banner"),
	// A protocol error names no step: the client wrote something wrongly.
	say(weightHint, ReasonSyntax, "protocol violation", "protocol error", "protocol deviation"),
	// Words that only restate the reply's class ("451 Temporary failure")
	// name no reason: nothing but the code is known (LABELING.md).
	say(weightGeneric, ReasonUnknown, "temporary failure", "temporarily rejected"),
	say(weightSpecific, ReasonSyntax,
		"syntax error", "bad syntax", "cannot decode", "invalid base64", "base64", "syntax", "malformed command",
		"invalid argument", "invalid arguments", "bad command", "invalid parameter", "parameter error",
		"cannot decode response", "unrecognized parameter", "line too long for"),
	// An unknown command is one the server does not implement; said of
	// AUTH, the server offers no login here.
	sayRoles(weightDecisive, ReasonNotImplemented, ReasonNotImplemented, ReasonAuthDisabled,
		"command unrecognized", "unrecognized command", "unknown command", "command not recognized", "invalid command",
		"not recognized", "unimplemented", "command not implemented", "not implemented"),
	sayRoles(weightDecisive, ReasonAuthDisabled, ReasonAuthDisabled, ReasonAuthDisabled,
		"auth command used when not advertised", "authentication not enabled", "auth extension not supported",
		"auth not available", "auth not supported", "auth not enabled", "authentication not available",
		"did not meet the criteria to be authenticated", "não atendeu aos critérios"),
	sayRoles(weightSpecific, ReasonNotImplemented, ReasonNotImplemented, ReasonAuthDisabled,
		"not supported", "unsupported", "not recognized or not implemented",
		"parameter not implemented", "parameters not recognized", "must declare smtputf8", "command disabled",
		"not available on this server", "not supported by this server", "command not allowed", "is disabled on this server",
		"service not supported"),
	say(weightDecisive, ReasonTooManyErrors,
		"too many errors", "too many invalid commands", "too many bad commands", "too many syntax",
		"too many unrecognized commands", "error limit", "too many protocol errors", "too many bad recipients",
		"too many rcpt errors", "too many invalid recipients", "too many unknown recipients", "too many failures",
		"errors, closing", "rcpt attempts"),
	say(weightGeneric, ReasonServiceUnavailable, "not available"),
	say(weightHint, ReasonServiceUnavailable, "service unavailable", "service not available", "temporarily unavailable"),
	say(weightHint, ReasonServiceUnavailable,
		"shutting down", "closing transmission channel", "server busy", "too busy", "system busy", "overloaded",
		"maintenance", "not accepting", "server is busy", "out of service", "no smtp service", "service is unavailable",
		"server unavailable", "try again later, closing connection", "temporarily not available", "load too high",
		"system load", "resources unavailable", "no service", "restarting", "currently unavailable"),
	say(weightHint, ReasonServerError, "backend", "server error"),
	say(weightSpecific, ReasonServerError,
		"local error", "error in processing", "temporary local problem", "internal error",
		"temporary lookup failure", "lookup failure", "dns failure", "system error", "insufficient system storage",
		"disk full", "queue file write error", "unable to process", "database error", "storage error",
		"internal server error", "connection lost to authentication server", "routing loop",
		"misconfigured", "configuration error", "local problem", "could not load", "unable to load", "failed to load", "processing error",
		"dns lookup failure", "transient error", "unexpected error", "insufficient storage", "loop detected",
		"loops back", "mail loop", "too many hops", "hop count exceeded", "local configuration error",
		"lock failure", "can't create", "cannot create", "license expired", "upstream error", "disk space", "system problem",
		"temporary system", "unexpected failure", "temporary server error", "local problem", "failed to be replicated"),
	say(weightDecisive+1, ReasonServerError,
		"open resolver", "public resolver", "returnc", "excessive number of queries", "query refused",
		"lookup failure", "dns lookup failure", "temporary lookup failure", "connection lost to authentication server",
		"dnsbl query", "rbl query"),
	say(weightDecisive, ReasonExpired,
		"retry timeout exceeded", "delivery time expired", "message expired", "too long in the queue",
		"gave up", "expired after", "delivery expired", "could not be delivered within", "has been delayed for",
		"queue lifetime", "maximal queue lifetime", "retry time exceeded", "message is too old", "expired in queue",
		"envelope expired", "have been failing for a long time",
		"failing for a long time", "too many retries", "undeliverable for", "for too long"),
	say(weightHint, ReasonExpired, "giving up", "giving up on", "delivery attempts", "will not continue trying"),
	say(weightGeneric, ReasonExpired, "attempts"),

	// A few other languages servers answer in (German, French, Spanish,
	// Portuguese, Italian), for the situations met most.
	say(weightDecisive, ReasonMailboxFull, "postfach ist voll", "postfach voll", "boîte pleine", "boite pleine",
		"boîte aux lettres pleine", "buzón lleno", "buzon lleno", "caixa cheia", "casella piena"),
	say(weightSpecific, ReasonRecipientUnknown, "empfänger unbekannt", "benutzer unbekannt", "unbekannter empfänger",
		"destinataire inconnu", "utilisateur inconnu", "usuario desconocido", "destinatario desconocido",
		"usuário desconhecido", "utente sconosciuto"),
	say(weightSpecific, ReasonAuthFailed, "autenticação malsucedida", "authentifizierung fehlgeschlagen",
		"échec de l'authentification", "autenticación fallida", "code d'authentification invalide",
		"authentification echouee", "identifiants invalides"),
	say(weightSpecific, ReasonAuthRequired, "authentification requise", "authentifizierung erforderlich",
		"autenticación requerida", "autenticação necessária"),
	say(weightSpecific, ReasonMailboxDisabled, "compte du destinataire est bloque", "compte desactive",
		"postfach gesperrt", "cuenta deshabilitada"),
	// More of the same situations in German, French, Spanish,
	// Portuguese, Russian and Japanese.
	say(weightDecisive, ReasonMailboxFull, "quota überschritten", "quota dépassé", "quota depasse",
		"cuota excedida", "cota excedida", "caixa postal cheia", "caixa de correio cheia", "ящик переполнен",
		"переполнен", "превышен размер ящика", "превышена квота", "メールボックスがいっぱい", "容量超過", "容量オーバー"),
	say(weightSpecific, ReasonRecipientUnknown, "benutzer existiert nicht", "empfänger existiert nicht",
		"postfach existiert nicht", "adresse inconnue", "adresse inexistante", "boîte aux lettres inexistante",
		"n'existe pas", "usuario no existe", "el usuario no existe", "no existe", "usuário não existe", "não existe",
		"пользователь не найден", "нет такого пользователя", "не существует", "неизвестный пользователь",
		"宛先不明", "ユーザーが存在しません", "存在しないユーザー", "該当ユーザーなし"),
	say(weightSpecific, ReasonAuthFailed, "anmeldung fehlgeschlagen", "falsches passwort", "mot de passe incorrect",
		"contraseña incorrecta", "senha incorreta", "неверный пароль", "ошибка авторизации", "ошибка аутентификации",
		"認証失敗", "認証に失敗"),
	say(weightDecisive, ReasonSpam, "als spam", "comme spam", "como spam", "как спам", "迷惑メール"),
	say(weightSpecific, ReasonRelayDenied, "relais nicht erlaubt", "relais refusé", "relais interdit",
		"relay no permitido", "relay não permitido", "ретрансляция запрещена"),

	// Whose address.
	roleWords(roleSender, "sender", "mail from", "from address", "envelope from", "return-path", "return path",
		"mailfrom", "originator", "sending domain", "from domain", "your domain"),
	roleWords(roleRecipient, "recipient", "rcpt", "to address", "forward path", "destination address",
		"addressee", "rcpt to"),
	roleWords(roleLogin, "login", "log in", "logon", "sign in", "auth", "authentication", "authenticate"),
	roleWords(roleHelo, "helo", "ehlo", "helo/ehlo", "my name was rejected", "hostname", "host name"),
	temporaryWords("temporarily", "temporary", "temporarily deferred", "temporarily blocked"),
)
