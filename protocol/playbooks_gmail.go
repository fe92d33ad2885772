package protocol

// Google help pages cited by Gmail's own replies.
const (
	gmailAppPasswords   = "https://myaccount.google.com/apppasswords"
	gmailSenderGuide    = "https://support.google.com/mail/answer/81126"
	gmailPostmasterTool = "https://postmaster.google.com"
)

// gmailRules: Gmail, Google Workspace, smtp.gmail.com and Google's MX.
var gmailRules = []playbookRule{
	{
		provider: ProviderGmail, enhanced: []string{"5.7.8"},
		reason:  ReasonAuthFailed,
		summary: "Gmail refused the username and password.",
		causes: []string{
			"The account has 2-Step Verification, or Google no longer allows plain passwords for this app (\"less secure apps\" access ended in 2022).",
			"The password is simply wrong, or the username is not the full address.",
		},
		steps: []string{
			"Create a 16-character app password at " + gmailAppPasswords + " and log in with it instead of the account password (needs 2-Step Verification on).",
			"Or log in with OAuth2 (AUTH XOAUTH2) using a token for the https://mail.google.com/ scope.",
			"Use the full address (user@gmail.com or your Workspace address) as the username.",
		},
		refs: []string{"RFC 4954 6", "https://support.google.com/mail/?p=BadCredentials"},
	},
	{
		provider: ProviderGmail,
		reason:   ReasonAuthToken,
		summary:  "Gmail refused the OAuth token.",
		causes:   []string{"The access token expired (they live an hour), was issued for another account than the user in the XOAUTH2 string, or lacks the https://mail.google.com/ scope."},
		steps: []string{
			"Refresh the access token with the refresh token, and request the https://mail.google.com/ scope.",
			"Put the same account in the XOAUTH2 string (user=...) as the one the token was issued to.",
		},
		refs: []string{"https://developers.google.com/gmail/imap/xoauth2-protocol"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.7.9"},
		reason:  ReasonAuthAppPassword,
		summary: "Gmail wants an app password: the account password cannot be used for SMTP on this account.",
		causes:  []string{"2-Step Verification is on, so Google refuses the normal password for mail clients."},
		steps: []string{
			"Create an app password at " + gmailAppPasswords + " and use it as the SMTP password.",
			"Or switch the client to OAuth2 (AUTH XOAUTH2).",
		},
		refs: []string{"RFC 4954 6", "https://support.google.com/accounts/answer/185833"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.7.14"},
		reason:  ReasonAuthLocked,
		summary: "Google blocked this sign-in as suspicious and wants you to confirm it in a web browser.",
		causes:  []string{"A login from a new place, device or app that Google did not trust."},
		steps: []string{
			"Sign in to the account in a web browser from the same network and confirm the activity (https://accounts.google.com/DisplayUnlockCaptcha on older accounts).",
			"Then log in with an app password or OAuth2.",
		},
		refs: []string{"RFC 5248", "https://support.google.com/mail/answer/78754"},
	},
	{
		provider: ProviderGmail, all: []string{"STARTTLS"}, codes: []int{basicAuthRequired},
		reason:  ReasonTLSRequired,
		summary: "Gmail wants TLS before anything else: send STARTTLS (port 587) or use implicit TLS (port 465).",
		causes:  []string{"The client sent AUTH or MAIL on a plain connection."},
		steps: []string{
			"Send STARTTLS, then EHLO again, then AUTH (smtpscope: ctrl+t, or --starttls=require).",
			"Or connect to port 465 with --tls.",
		},
		refs: []string{"RFC 3207 4"},
	},
	{
		provider: ProviderGmail, all: []string{"too many login attempts"},
		reason:  ReasonAuthLocked,
		summary: "Gmail is rate-limiting logins from this client.",
		causes:  []string{"The client logs in for every message, or something keeps retrying a wrong password."},
		steps: []string{
			"Stop retrying for a while; do not re-enter the password in a loop.",
			"Keep one authenticated connection open and send several messages over it instead of logging in per message.",
		},
		refs: []string{"RFC 4954 6"},
	},
	{
		provider: ProviderGmail, all: []string{"TLS required for RCPT domain"},
		reason:  ReasonTLSRequired,
		summary: "The recipient's Google Workspace domain only accepts mail over TLS.",
		causes:  []string{"The recipient domain's admin enforces TLS for inbound mail, and this connection is not encrypted."},
		steps:   []string{"Use STARTTLS when delivering to this domain (and make sure the TLS handshake succeeds)."},
		retry:   "Retrying without TLS will fail every time, despite the 4xx code.",
		refs:    []string{"RFC 3207 4", "https://support.google.com/a/answer/3726730"},
	},
	{
		provider: ProviderGmail, all: []string{"not in whitelist"},
		reason:  ReasonBlocked,
		summary: "The recipient's Google Workspace domain only accepts mail from allow-listed IP addresses.",
		causes:  []string{"The domain routes inbound mail through a gateway and rejects direct delivery from other IPs."},
		steps:   []string{"Deliver through the domain's inbound gateway, or ask its admin to add your sending IP to the allow list."},
		retry:   "Retrying from the same IP will keep failing, despite the 4xx code.",
		refs:    []string{"https://support.google.com/a/answer/3726730"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"4.7.28"},
		reason:  ReasonRateLimited,
		summary: "Gmail is rate-limiting your IP: it saw an unusual rate of unsolicited mail from it.",
		causes:  []string{"A burst of mail, complaints from recipients, or weak sender authentication on this IP."},
		steps: []string{
			"Slow down and let the queue retry later; it usually clears.",
			"Check SPF, DKIM and DMARC for the sending domain, and reverse DNS for the IP.",
			"Watch the domain in Google Postmaster Tools (" + gmailPostmasterTool + ") and lower the complaint rate.",
		},
		refs: []string{"https://support.google.com/mail/?p=UnsolicitedRateLimitError", gmailSenderGuide},
	},
	{
		provider: ProviderGmail, enhanced: []string{"4.7.32"},
		reason:  ReasonSenderAuth,
		summary: "Gmail is throttling this mail because the From: domain is not aligned with SPF or DKIM (DMARC alignment).",
		causes:  []string{"Since 2024 Gmail requires bulk senders to align the From: domain with the DKIM d= or SPF domain."},
		steps: []string{
			"Sign with DKIM using the From: domain (d= equal to, or a parent of, the From: domain).",
			"Or make the envelope sender (MAIL FROM) use the From: domain and pass SPF.",
			"Publish a DMARC record for the domain.",
		},
		refs: []string{gmailSenderGuide},
	},
	{
		provider: ProviderGmail, enhanced: []string{"4.7.0", "5.7.1"}, any: []string{"low reputation", "suspicious"},
		reason:  ReasonBlocked,
		summary: "Gmail is deferring or blocking mail because the sending IP's reputation is very low.",
		causes:  []string{"A new or recycled IP (VPS), a shared IP with bad neighbours, or spam sent from it."},
		steps: []string{
			"Retry later with low volume, or send through a reputable relay instead of this IP.",
			"Set reverse DNS, SPF, DKIM and DMARC, and warm the IP up slowly.",
		},
		refs: []string{"https://support.google.com/mail/answer/188131"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.7.1"}, all: []string{"unsolicited"},
		reason:  ReasonSpam,
		summary: "Gmail blocked the sending IP for sending unsolicited mail.",
		causes:  []string{"The IP has a bad reputation: often a recycled VPS address, or spam sent from it."},
		steps: []string{
			"Send from a clean IP or through a reputable relay.",
			"Set reverse DNS (PTR), SPF, DKIM and DMARC, then watch Google Postmaster Tools (" + gmailPostmasterTool + ").",
		},
		refs: []string{"https://support.google.com/mail/?p=UnsolicitedIPError", gmailSenderGuide},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.7.1"}, all: []string{"IPv6"},
		reason:  ReasonReverseDNS,
		summary: "Gmail refused mail over IPv6 because the IPv6 address lacks a PTR record or the mail lacks SPF/DKIM.",
		causes:  []string{"Gmail is stricter with IPv6 senders: they need reverse DNS and authentication."},
		steps: []string{
			"Give the IPv6 address a PTR record whose name resolves back to it, and pass SPF or DKIM.",
			"Or deliver to Gmail over IPv4.",
		},
		refs: []string{"https://support.google.com/mail/?p=ipv6_authentication_error"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.7.1"}, any: []string{"From: header", "From header"},
		reason:  ReasonContent,
		summary: "Gmail refused the message because its From: header is missing or not a valid address.",
		causes:  []string{"The message has no From: header, several, or one Gmail cannot parse (RFC 5322 3.6.2)."},
		steps:   []string{"Put exactly one valid From: header with a proper address in the message."},
		refs:    []string{"RFC 5322 3.6.2"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.7.26"}, all: []string{"DMARC"},
		reason:  ReasonSenderAuth,
		summary: "Gmail refused the message: it fails the sender domain's DMARC policy (Gmail's meaning of 5.7.26).",
		causes:  []string{"The From: domain publishes DMARC with p=reject or p=quarantine, and the message passed neither an aligned SPF nor an aligned DKIM check."},
		steps: []string{
			"Sign the message with DKIM for the From: domain, or send from a server listed in the domain's SPF record.",
			"If you send on behalf of someone else's domain, use your own domain in From: and put theirs in Reply-To.",
		},
		refs: []string{"RFC 7489", "RFC 7372", "https://support.google.com/mail/answer/2451690"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.7.26"},
		reason:  ReasonSenderAuth,
		summary: "Gmail refused unauthenticated mail: the message passed neither SPF nor DKIM.",
		causes:  []string{"Since 2022 Gmail requires every message to pass SPF or DKIM."},
		steps: []string{
			"Add the sending IP to the SPF record of the envelope sender's domain.",
			"Or DKIM-sign the message for the From: domain.",
		},
		refs: []string{"RFC 7208", "RFC 6376", gmailSenderGuide},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.7.25"},
		reason:  ReasonReverseDNS,
		summary: "Gmail refused the sending IP because it has no valid reverse DNS (PTR) record.",
		causes:  []string{"The IP has no PTR name, or the name does not resolve back to the same IP (common with IPv6 and new VPSs)."},
		steps: []string{
			"Ask the IP's owner (VPS or ISP) to set a PTR record naming your mail host, and give that name an A/AAAA record pointing back to the IP.",
			"If only IPv6 lacks it, deliver over IPv4 until it is set.",
		},
		refs: []string{"RFC 7372 3.3", gmailSenderGuide},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.1.1"},
		reason:  ReasonRecipientUnknown,
		summary: "The Gmail or Google Workspace address does not exist.",
		causes:  []string{"A typo, a deleted account, or an address that never existed."},
		steps:   []string{"Check the address for typos; remove it from your lists if it is correct (retrying cannot help)."},
		refs:    []string{"RFC 3463", "https://support.google.com/mail/?p=NoSuchUser"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.2.1"},
		reason:  ReasonMailboxDisabled,
		summary: "The recipient's Gmail account is disabled.",
		steps:   []string{"Stop sending to this address and remove it from your lists."},
		refs:    []string{"https://support.google.com/mail/?p=DisabledUser"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"4.2.2", "5.2.2"},
		reason:  ReasonMailboxFull,
		summary: "The recipient's Gmail mailbox is over its storage quota.",
		steps:   []string{"Retry later; the recipient has to free space (tell them by another channel)."},
		refs:    []string{"https://support.google.com/mail/?p=OverQuotaTemp"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.2.3", "5.3.4"},
		reason:  ReasonTooBig,
		summary: "The message is larger than Gmail accepts (25 MB, encoding included).",
		causes:  []string{"Attachments are base64-encoded, which adds about a third to their size."},
		steps:   []string{"Make the message smaller, or share large files as a link (Google Drive or similar)."},
		refs:    []string{"RFC 1870", "https://support.google.com/mail/answer/8770"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.4.5", "4.5.3"},
		reason:  ReasonSendingQuota,
		summary: "The Gmail account reached its daily sending limit.",
		causes:  []string{"Gmail caps how many messages and recipients an account sends per day (about 500 for consumer accounts, 2,000 for Workspace)."},
		steps:   []string{"Wait about 24 hours for the limit to reset.", "For bulk mail, use a sending service instead of a mailbox account."},
		refs:    []string{"https://support.google.com/a/answer/166852"},
	},
	{
		provider: ProviderGmail, enhanced: []string{"5.5.2"}, codes: []int{basicParamsNotRecog, basicSyntaxParams},
		reason:  ReasonSyntax,
		summary: "Gmail could not decode the AUTH response: it is not valid base64, or the credentials contain characters the client encoded wrongly.",
		steps:   []string{"Check the client's SASL encoding: the response must be base64 of the exact UTF-8 bytes.", "Try AUTH PLAIN with a freshly encoded initial response."},
		refs:    []string{"RFC 4954 4", "https://support.google.com/a/answer/3221692"},
	},
}
