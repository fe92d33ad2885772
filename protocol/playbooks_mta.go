package protocol

// Documentation of the MTA software.
const (
	postfixSMTPDDoc  = "https://www.postfix.org/postconf.5.html"
	postfixSASLDoc   = "https://www.postfix.org/SASL_README.html"
	postfixRelayDoc  = "https://www.postfix.org/SMTPD_ACCESS_README.html"
	postfixAddrClass = "https://www.postfix.org/ADDRESS_CLASS_README.html"
	eximACLDoc       = "https://www.exim.org/exim-html-current/doc/html/spec_html/ch-access_control_lists.html"
	eximAuthDoc      = "https://www.exim.org/exim-html-current/doc/html/spec_html/ch-smtp_authentication.html"
	sendmailRelayDoc = "https://www.sendmail.org/~ca/email/relayingdenied.html"
)

// postfixRules: Postfix smtpd's fixed texts.
var postfixRules = []playbookRule{
	{
		provider: ProviderPostfix, any: []string{"Relay access denied"},
		reason:  ReasonRelayDenied,
		summary: "Postfix will not relay to this recipient: the domain is not handled here and the client is not allowed to relay.",
		causes: []string{
			"As a submission server: the client did not log in (AUTH) before RCPT.",
			"As an MX: the recipient domain is missing from mydestination, virtual_mailbox_domains or relay_domains.",
		},
		steps: []string{
			"Sending mail: connect to port 587, STARTTLS, AUTH, then MAIL/RCPT.",
			"Running the server: add the domain to mydestination, virtual_mailbox_domains or relay_domains, or the client to mynetworks.",
		},
		retry: "A 454 \"Relay access denied\" is not temporary in practice: it fails the same way until you log in or the configuration changes.",
		refs:  []string{"RFC 5321 3.6", postfixRelayDoc},
	},
	{
		provider: ProviderPostfix, any: []string{"Greylisted", "greylisting"},
		reason:  ReasonGreylisted,
		summary: "Greylisting: the server deferred the first attempt from this sender, recipient and IP on purpose.",
		causes:  []string{"A policy service (postgrey or similar) defers unknown senders once; real mail servers retry, most spam software does not."},
		steps: []string{
			"Retry after a few minutes (postgrey's default delay is 5 minutes); the retry from the same IP is accepted.",
			"If you send from a pool of IPs, retry from the same IP or ask the receiver to allow-list you.",
		},
		refs: []string{"RFC 6647"},
	},
	{
		provider: ProviderPostfix, all: []string{"Sender address rejected", "Domain not found"},
		reason:  ReasonSenderInvalid,
		summary: "Postfix refused the sender because its domain does not resolve (no MX or A record).",
		causes:  []string{"reject_unknown_sender_domain: the MAIL FROM domain has no DNS records, or the receiver's DNS lookup failed."},
		steps: []string{
			"Use a MAIL FROM domain that has an MX or A record (bounce or return-path domains too).",
			"If the domain does resolve, the receiver's resolver has a problem; the 4xx lets the queue retry.",
		},
		refs: []string{postfixSMTPDDoc + "#reject_unknown_sender_domain"},
	},
	{
		provider: ProviderPostfix, any: []string{"User unknown in local recipient table", "User unknown in virtual mailbox table"},
		reason:  ReasonRecipientUnknown,
		summary: "Postfix has no such local user.",
		causes:  []string{"The domain is listed as local (mydestination) but no user or alias exists; a domain in both mydestination and virtual_mailbox_domains causes this too."},
		steps: []string{
			"Check the address.",
			"Running the server: create the user or alias, or list the domain in only one address class.",
		},
		refs: []string{postfixAddrClass},
	},
	{
		provider: ProviderPostfix, any: []string{"Must declare SMTPUTF8"},
		reason:  ReasonNotImplemented,
		summary: "The address has non-ASCII characters but MAIL FROM did not carry the SMTPUTF8 parameter.",
		steps:   []string{"Send MAIL FROM:<…> SMTPUTF8 when the server advertises SMTPUTF8, or use an ASCII (IDNA) address."},
		refs:    []string{"RFC 6531 3.4", postfixSMTPDDoc + "#smtputf8_enable"},
	},
	{
		provider: ProviderPostfix, any: []string{"Quota exceeded", "mailbox full"},
		reason:  ReasonMailboxFull,
		summary: "The recipient's mailbox is full (reported by a quota service, even when the code says otherwise).",
		steps:   []string{"Tell the recipient by another channel; retry after they free space."},
		refs:    []string{"RFC 3463"},
	},
	{
		provider: ProviderPostfix, any: []string{"another step is needed"},
		reason:  ReasonSyntax,
		summary: "The SASL login stopped half-way: the client sent something the mechanism did not expect, typically a username that was not base64-encoded.",
		steps:   []string{"With AUTH LOGIN, send the username and the password each base64-encoded, one per 334 prompt."},
		refs:    []string{"RFC 4954 4", postfixSASLDoc},
	},
	{
		provider: ProviderPostfix, enhanced: []string{"5.7.8"}, any: []string{"authentication failed"},
		reason:  ReasonAuthFailed,
		summary: "Postfix's SASL backend (Dovecot or Cyrus) refused the username or password.",
		causes: []string{
			"A wrong password, or the username in the wrong form (the backend may want the full address or just the local part).",
			"The SASL backend does not know the user.",
		},
		steps: []string{
			"Check the credentials and the username form the server expects.",
			"Running the server: check the Dovecot or Cyrus log for why the user was refused.",
		},
		refs: []string{"RFC 4954 6", postfixSASLDoc},
	},
}

// eximRules: Exim's fixed texts (also cPanel hosting).
var eximRules = []playbookRule{
	{
		provider: ProviderExim, any: []string{"Incorrect authentication data"}, identifies: true,
		reason:  ReasonAuthFailed,
		summary: "Exim refused the username or password.",
		causes:  []string{"A wrong password, a username that is not the full address (cPanel wants user@domain), or an empty username."},
		steps:   []string{"Log in with the full mailbox address and its password (as set in cPanel > Email Accounts)."},
		refs:    []string{"RFC 4954 6", eximAuthDoc},
	},
	{
		provider: ProviderExim, any: []string{"turn on SMTP Authentication", "relay not permitted", "not permitted to relay"}, identifies: true,
		reason:  ReasonRelayDenied,
		summary: "Exim will not relay for this client: it did not log in.",
		steps: []string{
			"Turn on SMTP authentication in the client and log in before sending (port 587 with STARTTLS, or 465).",
			"Running the server: allow the client's IP in the relay host list only if it really is trusted.",
		},
		refs: []string{"RFC 5321 3.6", eximACLDoc},
	},
	{
		provider: ProviderExim, any: []string{"Callout verification failed"},
		reason:  ReasonRecipientUnknown,
		summary: "An Exim relay checked the address with the next server (a callout), and that server refused it.",
		steps:   []string{"Read the quoted reply inside the text: it is the final server's answer. Fix the address it refused."},
		refs:    []string{eximACLDoc},
	},
}

// sendmailRules: Sendmail's fixed texts.
var sendmailRules = []playbookRule{
	{
		provider: ProviderSendmail, any: []string{"Relaying denied"}, identifies: true,
		reason:  ReasonRelayDenied,
		summary: "Sendmail will not relay for this client.",
		causes:  []string{"The client did not log in, and its IP is not trusted for relaying (\"IP name lookup failed\" adds that the IP has no reverse DNS)."},
		steps: []string{
			"Log in with AUTH if the server offers it, then send.",
			"Running the server: allow the client in the access database (Connect:IP RELAY) only if trusted.",
		},
		refs: []string{"RFC 5321 3.6", sendmailRelayDoc},
	},
}
