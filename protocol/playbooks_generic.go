package protocol

// genericRules recognise well-known texts that any server may send. They
// say what the reply means; there is no provider playbook for them.
var genericRules = []playbookRule{
	{
		any:     []string{"bare CR", "bare LF", "bare <CR>", "bare <LF>", "bare linefeed", "bare newline"},
		reason:  ReasonContent,
		summary: "The server refused the message because its body has a bare CR or LF (a line ending that is not CRLF).",
		causes:  []string{"Since the 2023 \"SMTP smuggling\" fixes, many servers refuse bodies with lone CR or LF characters (RFC 5321 2.3.8)."},
		steps: []string{
			"Normalise every line ending in the message to CRLF before sending.",
			"smtpscope does this for typed bodies; for files, check the generator of the message.",
		},
		refs: []string{"RFC 5321 2.3.8", "RFC 5322 2.3"},
	},
	{
		any:     []string{"Greylisted", "greylisting", "try again later, greylist"},
		reason:  ReasonGreylisted,
		summary: "Greylisting: the server deferred the first attempt on purpose and will accept a retry.",
		steps:   []string{"Retry after a few minutes from the same IP; a normal mail server does this on its own."},
		refs:    []string{"RFC 6647"},
	},
	{
		any:     []string{"Must issue a STARTTLS command first", "STARTTLS first"},
		reason:  ReasonTLSRequired,
		summary: "The server wants TLS before this command.",
		steps:   []string{"Send STARTTLS, then EHLO again, then repeat the command."},
		refs:    []string{"RFC 3207 4"},
	},
	{
		any:     []string{"relay access denied", "relaying denied", "relay not permitted", "unable to relay", "relaying disallowed"},
		reason:  ReasonRelayDenied,
		summary: "The server will not relay this message for you: the recipient's domain is not local to it, and you are not logged in or trusted.",
		steps:   []string{"Log in (AUTH) before sending, or send to the recipient domain's own MX."},
		refs:    []string{"RFC 5321 3.6"},
	},
	{
		any:     []string{"Domain of sender address", "sender domain not found", "Domain not found"},
		reason:  ReasonSenderInvalid,
		summary: "The receiver refused the sender because the sender's domain has no DNS records (no MX or A), so bounces could not reach it.",
		steps:   []string{"Use a MAIL FROM (return-path) domain that has an MX or A record."},
		refs:    []string{"RFC 5321 5.1"},
	},
	{
		any:     []string{"Spamhaus", "blocked using", "blacklist", "blocklist", "block list", "listed at"},
		reason:  ReasonBlocked,
		summary: "Your IP (or domain) is on a block list the server uses.",
		steps: []string{
			"Look the IP up on the list named in the text and follow its removal process.",
			"Fix the cause (compromised host, open relay, dynamic IP range) first, or send through a relay.",
		},
		refs: []string{"RFC 5782"},
	},
	{
		any:     []string{"DMARC", "SPF", "DKIM"},
		reason:  ReasonSenderAuth,
		summary: "The server refused the message for failing sender authentication (SPF, DKIM or DMARC).",
		steps:   []string{"Publish SPF for the sending IP, DKIM-sign the mail, and align both with the From: domain."},
		refs:    []string{"RFC 7208", "RFC 6376", "RFC 7489"},
	},
	{
		any:     []string{"rate limit", "too many connections", "too many messages", "frequency limited", "throttl"},
		reason:  ReasonRateLimited,
		summary: "The server is rate-limiting you.",
		steps:   []string{"Send more slowly and retry later."},
		refs:    []string{"RFC 3463"},
	},
}
