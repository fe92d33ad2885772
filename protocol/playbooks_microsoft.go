package protocol

// Microsoft documents cited by the playbooks.
const (
	msSMTPAuthDoc = "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission"
	msOAuthDoc    = "https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth"
	msSendAsDoc   = "https://learn.microsoft.com/exchange/recipients-in-exchange-online/manage-permissions-for-recipients"
	msDelistPage  = "https://sender.office.com"
)

// microsoftRules: Microsoft 365 / Exchange Online, Outlook.com and their
// MX (Exchange Online Protection).
var microsoftRules = []playbookRule{
	{
		provider: ProviderMicrosoft,
		reason:   ReasonAuthDisabled,
		summary:  "Microsoft refused the login because SMTP AUTH (basic authentication for SMTP) is turned off for this mailbox or the whole tenant.",
		causes: []string{
			"The tenant's \"SMTP AUTH\" setting is off (the default for new tenants), or it is off for this mailbox, or Security Defaults block basic authentication.",
			"Personal Outlook.com/Hotmail accounts no longer accept passwords over SMTP at all; an app password does not help there.",
		},
		steps: []string{
			"Admin, for one mailbox: Microsoft 365 admin center > Users > Active users > the user > Mail > Manage email apps > tick Authenticated SMTP (PowerShell: Set-CASMailbox -Identity USER -SmtpClientAuthenticationDisabled $false).",
			"Admin, for the tenant: Exchange admin center > Settings > Mail flow > untick \"Turn off SMTP AUTH protocol for your organization\" (PowerShell: Set-TransportConfig -SmtpClientAuthenticationDisabled $false); Security Defaults must allow it.",
			"Without an admin, or for Outlook.com: log in with OAuth2 (AUTH XOAUTH2) using a token for https://outlook.office.com/SMTP.Send.",
		},
		refs: []string{"https://aka.ms/smtp_auth_disabled", msSMTPAuthDoc, msOAuthDoc},
	},
	{
		provider: ProviderMicrosoft,
		reason:   ReasonAuthToken,
		summary:  "Microsoft refused the OAuth token.",
		causes: []string{
			"The token has expired, was issued for another mailbox than the one in the AUTH string, or lacks the SMTP.Send permission (scope https://outlook.office.com/SMTP.Send).",
			"For app-only tokens: the service principal was not registered in Exchange (New-ServicePrincipal) or has no permission on the mailbox.",
		},
		steps: []string{
			"Refresh the token and check its aud (https://outlook.office.com) and scp (SMTP.Send) claims, and that the user in the XOAUTH2 string is the token's user.",
			"SMTP AUTH must also be enabled for the mailbox, even with OAuth.",
		},
		refs: []string{msOAuthDoc},
	},
	{
		provider: ProviderMicrosoft, enhanced: []string{"5.7.139"}, identifies: true,
		reason:  ReasonAuthFailed,
		summary: "Microsoft refused the login (5.7.139): the credentials were wrong, or password logins are not allowed for this account.",
		causes: []string{
			"A wrong username or password (the username must be the full mailbox address).",
			"Multi-factor authentication or Conditional Access blocks password logins for SMTP.",
		},
		steps: []string{
			"Check the username (full address) and password, or the app password if MFA is on.",
			"If the account has MFA or Security Defaults, use OAuth2 (AUTH XOAUTH2) instead.",
		},
		refs: []string{"RFC 4954 6", msSMTPAuthDoc},
	},
	{
		provider: ProviderMicrosoft, enhanced: []string{"5.7.57"}, identifies: true,
		reason:  ReasonAuthRequired,
		summary: "Microsoft 365 refused MAIL FROM because the client is not logged in (Microsoft's 5.7.57).",
		causes: []string{
			"The client never sent AUTH, or AUTH failed and the client carried on anyway.",
			"The client did not STARTTLS first, so smtp.office365.com never offered AUTH.",
		},
		steps: []string{
			"Connect to smtp.office365.com on port 587, send STARTTLS, EHLO again, then AUTH with the mailbox's credentials (or OAuth2).",
			"Check the earlier AUTH reply: if it was 535 5.7.139 or 535 5.7.3, fix that first.",
		},
		refs: []string{"RFC 4954 6", msSMTPAuthDoc},
	},
	{
		provider: ProviderMicrosoft, enhanced: []string{"5.7.3"}, codes: []int{basicAuthFailed}, all: []string{"Authentication unsuccessful"},
		reason:  ReasonAuthFailed,
		summary: "Microsoft refused the username and password.",
		causes: []string{
			"A wrong password, or an account with MFA that needs an app password.",
			"Legacy authentication blocked by Security Defaults or a Conditional Access policy.",
		},
		steps: []string{
			"Check the credentials (full address as username).",
			"If MFA or Security Defaults are on, switch to OAuth2, or ask the admin to allow SMTP AUTH for this mailbox.",
		},
		refs: []string{"RFC 4954 6", msSMTPAuthDoc},
	},
	{
		provider: ProviderMicrosoft, enhanced: []string{"5.7.60"}, identifies: true,
		reason:  ReasonSenderDenied,
		summary: "Microsoft 365 refused to send as this address: the logged-in mailbox has no Send As permission for the sender address (5.7.60).",
		steps: []string{
			"Use the logged-in mailbox's own address as MAIL FROM and From:.",
			"Or have the admin grant this user Send As on that address (Exchange admin center > mailbox > Delegation).",
		},
		refs: []string{msSendAsDoc},
	},
	{
		provider: ProviderMicrosoft, any: []string{"SendAsDenied"}, identifies: true,
		reason:  ReasonSenderDenied,
		summary: "Microsoft refused the message because the sender address is not the logged-in mailbox, and the user has no Send As right on it.",
		causes:  []string{"The From: or MAIL FROM address differs from the account that logged in (often a form or app sending \"as\" a visitor or another domain)."},
		steps: []string{
			"Send from the authenticated address; put other addresses in Reply-To.",
			"Or grant Send As on that address (or use a shared mailbox the user may send as).",
		},
		refs: []string{msSendAsDoc},
	},
	{
		provider: ProviderMicrosoft, any: []string{"SubmissionQuotaExceeded"}, identifies: true,
		reason:  ReasonSendingQuota,
		summary: "The Microsoft 365 mailbox went over its sending limit.",
		causes:  []string{"Exchange Online limits authenticated submission (10,000 recipients a day, 30 messages a minute)."},
		steps: []string{
			"Wait for the limit to reset (up to 24 hours) and send more slowly.",
			"For bulk or application mail, use a connector or a sending service.",
		},
		retry: "This is a quota: retrying before it resets fails again, whatever the code says.",
		refs:  []string{"https://learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits"},
	},
	{
		provider: ProviderMicrosoft, enhanced: []string{"5.7.501", "5.7.502", "5.7.503"}, identifies: true,
		reason:  ReasonAccountRestricted,
		summary: "Microsoft blocked this account or tenant from sending because it sent spam.",
		causes:  []string{"The outbound spam policy flagged the account (often a compromised password)."},
		steps: []string{
			"Secure the account (reset the password, check for rules forwarding mail).",
			"The admin must then release the user under Restricted entities in the Microsoft Defender portal.",
		},
		refs: []string{"http://go.microsoft.com/fwlink/?LinkId=526653"},
	},
	{
		provider: ProviderMicrosoft, enhanced: []string{"4.7.650", "4.7.500", "4.7.651"}, identifies: true,
		reason:  ReasonBlocked,
		summary: "Microsoft is temporarily rate-limiting your IP because of its reputation.",
		causes:  []string{"A new IP, a sudden rise in volume, or complaints from recipients."},
		steps: []string{
			"Slow down and let the queue retry.",
			"Enrol the IP in Microsoft SNDS and JMRP (https://postmaster.live.com) to see its reputation, and fix SPF, DKIM and DMARC.",
		},
		refs: []string{"https://postmaster.live.com"},
	},
	{
		provider: ProviderMicrosoft, any: []string{"Spamhaus", "blocked using"},
		reason:  ReasonBlocked,
		summary: "Microsoft's filter refused the connection because your IP is on a public block list (the text names it).",
		steps: []string{
			"Look the IP up on the named list (Spamhaus: https://check.spamhaus.org) and follow its removal process.",
			"Find out why it was listed (a compromised host, open relay, or a dynamic IP range) before asking for removal.",
		},
		refs: []string{"RFC 5782"},
	},
	{
		provider: ProviderMicrosoft, any: []string{"block list", "S3150", "S3140"}, codes: []int{basicMailboxUnavail},
		reason:  ReasonBlocked,
		summary: "Outlook.com refused your IP: it, or its network, is on Microsoft's own block list.",
		steps: []string{
			"Request delisting at " + msDelistPage + " (Microsoft 365) or through the Outlook.com sender support form.",
			"If the whole range is listed, ask your provider to deal with it, or send through a relay.",
		},
		refs: []string{"https://mail.live.com/mail/troubleshooting.aspx"},
	},
	{
		provider: ProviderMicrosoft, enhanced: []string{"5.4.1"}, all: []string{"Access denied"},
		reason:  ReasonRecipientUnknown,
		summary: "Exchange Online does not know this recipient: the domain uses Directory-Based Edge Blocking, so unknown addresses are refused (5.4.1 here means \"no such user\").",
		steps:   []string{"Check the address; if it is correct, the recipient's admin must create it or fix directory sync."},
		refs:    []string{"https://learn.microsoft.com/exchange/mail-flow-best-practices/use-directory-based-edge-blocking"},
	},
	{
		provider: ProviderMicrosoft, any: []string{"RecipientNotFound"}, identifies: true,
		reason:  ReasonRecipientUnknown,
		summary: "Exchange Online has no such recipient (RESOLVER.ADR.RecipientNotFound).",
		steps:   []string{"Check the address for typos; if it is correct the mailbox was deleted, so stop sending to it."},
		refs:    []string{"RFC 3463"},
	},
	{
		provider: ProviderMicrosoft, enhanced: []string{"5.3.4"}, any: []string{"sign in to your account"}, identifies: true,
		reason:  ReasonAccountRestricted,
		summary: "Outlook.com stopped this account from sending until you sign in on the web and verify it.",
		causes:  []string{"New or unusual accounts are held until a phone or CAPTCHA check is done."},
		steps:   []string{"Sign in at https://outlook.live.com, complete the verification it asks for, then send again."},
		retry:   "Retrying before you sign in will fail again.",
		refs:    []string{"https://outlook.live.com"},
	},
	{
		provider: ProviderMicrosoft, enhanced: []string{"5.7.1"}, any: []string{"Unable to relay"},
		reason:  ReasonRelayDenied,
		summary: "Microsoft will not relay this message: the connection is not authenticated, or the sender is not in this tenant.",
		steps:   []string{"Log in (AUTH) before sending to outside domains, or configure a connector for this IP."},
		refs:    []string{msSMTPAuthDoc},
	},
}

// exchangeRules: Exchange Server on premises.
var exchangeRules = []playbookRule{
	{
		provider: ProviderExchange, any: []string{"permissions to send as this sender"}, identifies: true,
		reason:  ReasonSenderDenied,
		summary: "Exchange refused to send as this address: the logged-in user has no Send As permission for it.",
		steps: []string{
			"Send from the logged-in user's own address.",
			"Or have the admin grant Send As (Add-ADPermission -ExtendedRights \"Send As\") on the sender mailbox.",
		},
		refs: []string{msSendAsDoc},
	},
	{
		provider: ProviderExchange, any: []string{"Client was not authenticated"}, identifies: true,
		reason:  ReasonAuthRequired,
		summary: "The Exchange receive connector requires a login: anonymous clients may not send here.",
		causes:  []string{"With pipelining the client may see this only after DATA, when MAIL and RCPT were sent blind."},
		steps: []string{
			"Log in with AUTH (LOGIN, or NTLM where offered) before MAIL FROM.",
			"Or ask the admin for a dedicated receive connector that allows anonymous relay from your IP only.",
		},
		refs: []string{"RFC 4954 6"},
	},
	{
		provider: ProviderExchange, enhanced: []string{"5.7.1", "5.7.54"}, any: []string{"Unable to relay"},
		reason:  ReasonRelayDenied,
		summary: "Exchange will not relay for this client.",
		steps:   []string{"Log in before sending to outside domains, or ask the admin for a relay connector scoped to your IP."},
		refs:    []string{"RFC 5321 3.6"},
	},
	{
		provider: ProviderExchange, enhanced: []string{"5.7.3"},
		reason:  ReasonAuthFailed,
		summary: "Exchange refused the username and password.",
		steps:   []string{"Check the credentials (DOMAIN\\user or the full address, as the server expects) and that the account is not locked."},
		refs:    []string{"RFC 4954 6"},
	},
}
