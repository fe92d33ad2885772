package protocol

// Help pages of the consumer mail services.
const (
	yahooErrorCodes  = "https://postmaster.yahooinc.com/error-codes"
	yahooAppPassword = "https://help.yahoo.com/kb/SLN15241.html"
	appleMailPolicy  = "https://support.apple.com/en-us/HT204137"
	appleAppPassword = "https://support.apple.com/en-us/102654"
	zohoSMTPHelp     = "https://www.zoho.com/mail/help/zoho-smtp.html"
	yandexSMTPHelp   = "https://yandex.com/support/mail/mail-clients/others.html"
)

// yahooRules: Yahoo Mail and AOL (submission and MX).
var yahooRules = []playbookRule{
	{
		provider: ProviderYahoo, any: []string{"AUTH005", "bad auth attempts"}, identifies: true,
		reason:  ReasonAuthLocked,
		summary: "Yahoo refused the login, and after several failures it locks logins for a while.",
		causes:  []string{"Yahoo does not accept the account password from mail clients: it needs an app password (or OAuth2)."},
		steps: []string{
			"Yahoo account > Account security > Generate app password, and use that as the SMTP password (" + yahooAppPassword + ").",
			"Wait before trying again if the login is locked.",
		},
		refs: []string{"RFC 4954 6", yahooAppPassword},
	},
	{
		provider: ProviderYahoo, any: []string{"TSS04"}, identifies: true,
		reason:  ReasonRateLimited,
		summary: "Yahoo is deferring mail from your IP because of unexpected volume or user complaints (TSS04).",
		steps: []string{
			"Let the queue retry later, at a lower rate.",
			"Lower the complaint rate (clean lists, easy unsubscribe) and check SPF, DKIM and DMARC.",
		},
		refs: []string{yahooErrorCodes},
	},
	{
		provider: ProviderYahoo, any: []string{"TSS06", "TSS09", "permanently deferred"}, identifies: true,
		reason:  ReasonBlocked,
		summary: "Yahoo has blocked your IP; retrying will not succeed (TSS06).",
		steps: []string{
			"Stop retrying from this IP.",
			"Fix the reason (reputation, complaints, authentication), then ask for a review through Yahoo's sender support.",
		},
		retry: "Yahoo says explicitly that retrying will not succeed.",
		refs:  []string{yahooErrorCodes},
	},
	{
		provider: ProviderYahoo, any: []string{"policy reasons", "Message not allowed"},
		reason:  ReasonPolicy,
		summary: "Yahoo refused the message for policy reasons: usually failed authentication (DMARC) or content that looks like spam.",
		causes:  []string{"At Yahoo, 5.7.9 means a content or authentication policy refusal, not a weak login mechanism."},
		steps: []string{
			"Authenticate the mail with SPF, DKIM and DMARC aligned with the From: domain.",
			"Review the content and links; check the IP's and domain's reputation.",
		},
		refs: []string{yahooErrorCodes},
	},
	{
		provider: ProviderYahoo, all: []string{"Request failed", "Mailbox unavailable"},
		reason:  ReasonSenderDenied,
		summary: "Yahoo refused the sender: the From or MAIL FROM address is not the logged-in Yahoo address (or a content policy refused it).",
		steps:   []string{"Send from the address you log in with (check the client's \"From\" setting)."},
		refs:    []string{yahooErrorCodes},
	},
}

// icloudRules: iCloud Mail (smtp.mail.me.com and Apple's MX).
var icloudRules = []playbookRule{
	{
		provider: ProviderICloud, any: []string{"not one of your addresses"}, identifies: true,
		reason:  ReasonSenderDenied,
		summary: "iCloud refused the sender: the From address is not this account's address or one of its aliases.",
		steps: []string{
			"Send from the iCloud address, an alias, or a custom-domain address set up in iCloud+.",
			"Log in with the primary Apple ID mail address and an app-specific password (" + appleAppPassword + ").",
		},
		refs: []string{appleAppPassword},
	},
	{
		provider: ProviderICloud, any: []string{"local policy", "HT204137"},
		reason:  ReasonPolicy,
		summary: "Apple's filter refused the message under its local policy (spam, reputation or authentication).",
		steps:   []string{"Check SPF, DKIM and DMARC, the sending IP's reputation and the content, following Apple's postmaster page."},
		refs:    []string{appleMailPolicy},
	},
	{
		provider: ProviderICloud, enhanced: []string{"5.1.1"},
		reason:  ReasonRecipientUnknown,
		summary: "The iCloud recipient does not exist.",
		steps:   []string{"Check the address; remove it from your lists if it is right."},
		refs:    []string{"RFC 3463"},
	},
	{
		provider: ProviderICloud, codes: []int{basicAuthFailed},
		reason:  ReasonAuthFailed,
		summary: "iCloud refused the login.",
		steps:   []string{"Use an app-specific password (" + appleAppPassword + ") with the full iCloud address as username."},
		refs:    []string{"RFC 4954 6", appleAppPassword},
	},
}

// zohoRules: Zoho Mail.
var zohoRules = []playbookRule{
	{
		provider: ProviderZoho, any: []string{"Relaying disallowed"},
		reason:  ReasonSenderDenied,
		summary: "Zoho refused the sender address: it is not the logged-in mailbox or one of its verified aliases or domains.",
		steps:   []string{"Send as the Zoho account's address (or a verified alias); put the visitor's address in Reply-To."},
		refs:    []string{zohoSMTPHelp},
	},
	{
		provider: ProviderZoho, codes: []int{basicAuthFailed},
		reason:  ReasonAuthFailed,
		summary: "Zoho refused the login.",
		causes: []string{
			"A wrong password, or an account with two-factor authentication that needs an application-specific password.",
			"The wrong data-centre host: accounts on zoho.eu or zoho.in must use smtp.zoho.eu or smtp.zoho.in.",
		},
		steps: []string{
			"Generate an application-specific password in Zoho Accounts > Security and use it.",
			"Connect to the host of your account's data centre (smtp.zoho.com, smtp.zoho.eu, smtp.zoho.in, …).",
		},
		refs: []string{"RFC 4954 6", zohoSMTPHelp},
	},
}

// yandexRules: Yandex Mail.
var yandexRules = []playbookRule{
	{
		provider: ProviderYandex, any: []string{"not owned by auth user"},
		reason:  ReasonSenderDenied,
		summary: "Yandex requires MAIL FROM to be the mailbox you logged in with.",
		steps:   []string{"Use the logged-in Yandex address as MAIL FROM (not an empty <> or another address) and in From:."},
		refs:    []string{yandexSMTPHelp},
	},
	{
		provider: ProviderYandex, codes: []int{basicAuthFailed},
		reason:  ReasonAuthFailed,
		summary: "Yandex refused the login.",
		steps: []string{
			"Create an app password (Yandex ID > Security > App passwords) and use it for SMTP.",
			"Make sure mail-client access is allowed in Yandex Mail settings.",
		},
		refs: []string{"RFC 4954 6", yandexSMTPHelp},
	},
}
