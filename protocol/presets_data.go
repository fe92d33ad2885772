package protocol

// Mechanism names as providers advertise them (RFC 4954, RFC 4616,
// RFC 7628, Google's XOAUTH2).
const (
	mechPlain       = "PLAIN"
	mechLogin       = "LOGIN"
	mechXOAuth2     = "XOAUTH2"
	mechOAuthBearer = "OAUTHBEARER"
)

// Submission ports (RFC 6409 and RFC 8314).
const (
	portSubmission  = 587 // RFC 6409: submission, STARTTLS
	portSubmissions = 465 // RFC 8314 3.3: submission over implicit TLS
)

// Sender rules shared by several presets.
var (
	loginOnlyChina = IdentityPolicy{
		Kind:    IdentityLogin,
		Rule:    "MAIL FROM and the From: header must be the address that logged in.",
		Refusal: "another sender is refused at MAIL FROM (QQ: 501 Mail from address must be same as authorization user; NetEase: 553 Mail from must equal authorized user).",
		Fix:     "Send from the login address; to send as another address, log in as that mailbox with its own authorization code.",
	}
	verifiedESP = IdentityPolicy{
		Kind:    IdentityVerified,
		Rule:    "The sender must be a verified identity: an address or a whole domain verified with the service.",
		Refusal: "an unverified sender is refused, at MAIL FROM or after DATA.",
		Fix:     "Verify the address or its domain in the service's console, then send again.",
	}
)

// presets is the table behind [Presets]. Facts come from each provider's
// own documentation (Docs); keep them to what the provider states.
var presets = []Preset{
	{
		Name: "gmail", Aliases: []string{"google", "googlemail", "workspace"},
		Title: "Gmail / Google Workspace", Provider: ProviderGmail,
		Host: "smtp.gmail.com", Port: portSubmission, TLS: PresetSTARTTLS,
		Mechanisms: []string{mechLogin, mechPlain, mechXOAuth2, mechOAuthBearer},
		Username:   "the full Gmail or Workspace address",
		Needs: []string{
			"2-Step Verification on, and an app password (16 letters, myaccount.google.com/apppasswords) instead of the account password",
			"or OAuth 2 (XOAUTH2/OAUTHBEARER) with a token for the https://mail.google.com/ scope",
			"Workspace: the admin must not have turned off app passwords or less secure access",
		},
		Identity: IdentityPolicy{
			Kind:    IdentityAliases,
			Rule:    "The From: address must be the account or a \"Send mail as\" alias verified in Gmail's settings.",
			Refusal: "Gmail does not refuse another From: address: it rewrites it to the account's own address.",
			Fix:     "Add and verify the address in Gmail: Settings › Accounts and Import › Send mail as.",
		},
		Docs:       "https://support.google.com/mail/answer/7126229",
		Domains:    []string{"gmail.com", "googlemail.com"},
		MXSuffixes: []string{"google.com", "googlemail.com"},
	},
	{
		Name: "microsoft", Aliases: []string{"office365", "m365", "microsoft365", "exchange-online", "o365"},
		Title: "Microsoft 365 (Exchange Online)", Provider: ProviderMicrosoft,
		Host: "smtp.office365.com", Port: portSubmission, TLS: PresetSTARTTLS,
		Mechanisms: []string{mechLogin, mechXOAuth2},
		Username:   "the mailbox's full address (its user principal name)",
		Needs: []string{
			"SMTP AUTH enabled for the tenant (Set-TransportConfig -SmtpClientAuthenticationDisabled $false) and for the mailbox (Set-CASMailbox -Identity USER -SmtpClientAuthenticationDisabled $false)",
			"for a password: Security Defaults off and no Conditional Access policy blocking legacy authentication",
			"or OAuth 2 (XOAUTH2) with a token for https://outlook.office.com/SMTP.Send",
		},
		Identity: IdentityPolicy{
			Kind:    IdentitySendAs,
			Rule:    "MAIL FROM and From: must be the mailbox, or an address the mailbox was granted Send As (or Send on Behalf) rights on.",
			Refusal: "another sender passes MAIL FROM and is refused after DATA: 554 5.2.252 SendAsDeniedException.",
			Fix:     "An admin grants Send As: Add-RecipientPermission -Identity ADDRESS -Trustee USER -AccessRights SendAs (or Exchange admin center › the mailbox › Delegation).",
		},
		Docs:       "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission",
		MXSuffixes: []string{"mail.protection.outlook.com"},
	},
	{
		Name: "outlook", Aliases: []string{"outlook.com", "hotmail", "live"},
		Title: "Outlook.com / Hotmail (personal Microsoft accounts)", Provider: ProviderMicrosoft,
		Host: "smtp-mail.outlook.com", Port: portSubmission, TLS: PresetSTARTTLS,
		Mechanisms: []string{mechLogin, mechXOAuth2},
		Username:   "the full Outlook.com or Hotmail address",
		Needs: []string{
			"OAuth 2 (XOAUTH2) with a token for https://outlook.office.com/SMTP.Send: Microsoft no longer accepts passwords (basic authentication) over SMTP for personal accounts, app passwords included",
		},
		Identity: IdentityPolicy{
			Kind:    IdentityLogin,
			Rule:    "MAIL FROM and From: must be the account's address (or one of its aliases).",
			Refusal: "another sender is refused after DATA (554 5.2.252 SendAsDenied).",
			Fix:     "Send from the account's own address.",
		},
		Docs:    "https://support.microsoft.com/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040",
		Domains: []string{"outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "live.co.uk", "outlook.fr", "hotmail.fr"},
	},
	{
		Name: "yahoo", Aliases: []string{"ymail", "aol"},
		Title: "Yahoo Mail", Provider: ProviderYahoo,
		Host: "smtp.mail.yahoo.com", Port: portSubmissions, TLS: PresetImplicit,
		Mechanisms: []string{mechPlain, mechLogin, mechXOAuth2, mechOAuthBearer},
		Username:   "the full Yahoo address",
		Needs: []string{
			"an app password (Account security › Generate app password) instead of the account password",
		},
		Identity: IdentityPolicy{
			Kind:    IdentityLogin,
			Rule:    "The sender must be the account's address (or a Yahoo alias of it).",
			Refusal: "another sender is refused at MAIL FROM or after DATA (553/550).",
			Fix:     "Send from the account's own address.",
		},
		Docs:       "https://help.yahoo.com/kb/SLN4724.html",
		Domains:    []string{"yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de"},
		MXSuffixes: []string{"yahoodns.net"},
	},
	{
		Name: "icloud", Aliases: []string{"apple", "me.com"},
		Title: "iCloud Mail", Provider: ProviderICloud,
		Host: "smtp.mail.me.com", Port: portSubmission, TLS: PresetSTARTTLS,
		Mechanisms: []string{mechPlain, mechLogin},
		Username:   "the iCloud Mail address (Apple also accepts the name before the @)",
		Needs: []string{
			"two-factor authentication on the Apple Account, and an app-specific password (account.apple.com › Sign-In and Security › App-Specific Passwords)",
		},
		Identity: IdentityPolicy{
			Kind:    IdentityAliases,
			Rule:    "The sender must be the iCloud address, an iCloud alias, or a custom-domain address set up in iCloud+.",
			Refusal: "another sender is refused (554 5.7.1 or a rejected message).",
			Fix:     "Add the address as an alias or a custom domain in iCloud Mail settings.",
		},
		Docs:       "https://support.apple.com/102525",
		Domains:    []string{"icloud.com", "me.com", "mac.com"},
		MXSuffixes: []string{"mail.icloud.com"},
	},
	{
		Name: "qq", Aliases: []string{"qqmail", "foxmail"},
		Title: "QQ Mail (QQ邮箱)", Provider: ProviderQQ,
		Host: "smtp.qq.com", Port: portSubmissions, TLS: PresetImplicit,
		Mechanisms: []string{mechLogin, mechPlain, mechXOAuth2},
		Username:   "the full QQ Mail address",
		Needs: []string{
			"the SMTP service turned on in the web mail (设置 Settings › 账户 Account › POP3/IMAP/SMTP/Exchange/CardDAV/CalDAV服务 › 开启)",
			"the authorization code (授权码) generated there, used as the password: the QQ password is refused",
		},
		Identity:   loginOnlyChina,
		Docs:       "https://service.mail.qq.com/detail/0/75",
		Domains:    []string{"qq.com", "foxmail.com", "vip.qq.com"},
		MXSuffixes: []string{"mx1.qq.com", "mx2.qq.com", "mx3.qq.com"},
	},
	{
		Name: "exmail", Aliases: []string{"tencent", "exmail.qq.com"},
		Title: "Tencent Exmail (腾讯企业邮)", Provider: ProviderQQ,
		Host: "smtp.exmail.qq.com", Port: portSubmissions, TLS: PresetImplicit,
		Mechanisms: []string{mechLogin, mechPlain},
		Username:   "the full company mailbox address",
		Needs: []string{
			"IMAP/SMTP service on for the mailbox (设置 Settings › 客户端设置 Client settings › 开启服务)",
			"with secure login (安全登录) on: a client-specific password (客户端专用密码) instead of the mailbox password",
		},
		Identity:   loginOnlyChina,
		Docs:       "https://open.work.weixin.qq.com/help2/pc/18624",
		MXSuffixes: []string{"mxbiz1.qq.com", "mxbiz2.qq.com", "exmail.qq.com"},
	},
	{
		Name: "163", Aliases: []string{"netease", "163.com"},
		Title: "NetEase 163 Mail (网易163邮箱)", Provider: ProviderNetEase,
		Host: "smtp.163.com", Port: portSubmissions, TLS: PresetImplicit,
		Mechanisms: []string{mechLogin, mechPlain},
		Username:   "the full 163.com address",
		Needs: []string{
			"the SMTP service turned on in the web mail (设置 Settings › POP3/SMTP/IMAP › 开启)",
			"the client authorization code (客户端授权密码, 授权码) shown there, used as the password: the web password is refused",
		},
		Identity:   loginOnlyChina,
		Docs:       "https://help.mail.163.com/faqDetail.do?code=d7a5dc8471cd0c0e8b4b8f4f8e49998b374173cfe9171305fa1ce630d7f67ac2cda80145a1742516",
		Domains:    []string{"163.com"},
		MXSuffixes: []string{"163mx01.mxmail.netease.com", "163mx02.mxmail.netease.com", "163mx03.mxmail.netease.com"},
	},
	{
		Name: "126", Aliases: []string{"126.com"},
		Title: "NetEase 126 Mail (网易126邮箱)", Provider: ProviderNetEase,
		Host: "smtp.126.com", Port: portSubmissions, TLS: PresetImplicit,
		Mechanisms: []string{mechLogin, mechPlain},
		Username:   "the full 126.com address",
		Needs: []string{
			"the SMTP service turned on in the web mail (设置 Settings › POP3/SMTP/IMAP › 开启)",
			"the client authorization code (授权码) shown there, used as the password: the web password is refused",
		},
		Identity:   loginOnlyChina,
		Docs:       "https://help.mail.163.com/faqDetail.do?code=d7a5dc8471cd0c0e8b4b8f4f8e49998b374173cfe9171305fa1ce630d7f67ac2cda80145a1742516",
		Domains:    []string{"126.com"},
		MXSuffixes: []string{"126mx01.mxmail.netease.com", "126mx02.mxmail.netease.com", "126mx03.mxmail.netease.com"},
	},
	{
		Name: "zoho", Aliases: []string{"zohomail"},
		Title: "Zoho Mail", Provider: ProviderZoho,
		Host: "smtp.zoho.com", Port: portSubmissions, TLS: PresetImplicit,
		Mechanisms: []string{mechPlain, mechLogin},
		Username:   "the full Zoho address",
		Needs: []string{
			"with two-factor authentication on: an application-specific password (accounts.zoho.com › Security › App Passwords)",
			"the host of the account's data centre: smtp.zoho.eu, smtp.zoho.in, smtp.zoho.com.au … (organisation accounts: smtppro.zoho.com)",
		},
		Identity: IdentityPolicy{
			Kind:    IdentityAliases,
			Rule:    "The sender must be the account or an alias verified in Zoho (Settings › Mail › Send Mail As).",
			Refusal: "another sender is refused at MAIL FROM: 553 Sender is not allowed to relay emails.",
			Fix:     "Add and verify the address under Settings › Mail › Send Mail As.",
		},
		Docs:       "https://www.zoho.com/mail/help/zoho-smtp.html",
		Domains:    []string{"zoho.com", "zohomail.com"},
		MXSuffixes: []string{"zoho.com", "zoho.eu", "zoho.in", "zoho.com.au", "zohomail.com"},
	},
	{
		Name: "ses", Aliases: []string{"amazon", "aws", "amazonses"},
		Title: "Amazon SES", Provider: ProviderSES,
		Host: "email-smtp." + regionPlaceholder + ".amazonaws.com", DefaultRegion: "us-east-1",
		Port: portSubmission, TLS: PresetSTARTTLS,
		Mechanisms: []string{mechPlain, mechLogin},
		Username:   "the SMTP user name from the SES console (SMTP settings › Create SMTP credentials): not an IAM access key ID",
		Needs: []string{
			"SMTP credentials for the region: an IAM access key's secret is refused; SES derives the SMTP password from it (SigV4), per region",
			"a verified identity (address or domain) for the sender",
			"production access for the account: in the SES sandbox, recipients must be verified too",
		},
		Identity: IdentityPolicy{
			Kind:    IdentityVerified,
			Rule:    "MAIL FROM and From: must be a verified identity (the address, or its domain) in the same region.",
			Refusal: "an unverified sender is refused after DATA: 554 Message rejected: Email address is not verified.",
			Fix:     "Verify the address or domain in the SES console of that region (Configuration › Identities).",
		},
		Docs:       "https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html",
		MXSuffixes: nil, // inbound MX hosts name their region: see PresetForMX
	},
	{
		Name: "sendgrid", Aliases: []string{"twilio"},
		Title: "SendGrid (Twilio)", Provider: ProviderSendGrid,
		Host: "smtp.sendgrid.net", Port: portSubmission, TLS: PresetSTARTTLS,
		Mechanisms: []string{mechPlain, mechLogin},
		Username:   "the word apikey, literally; the password is the API key",
		Needs: []string{
			"an API key with the Mail Send permission, as the password; the user name is always apikey",
			"a verified Sender Identity or an authenticated domain for the From: address",
		},
		Identity: IdentityPolicy{
			Kind:    IdentityVerified,
			Rule:    "The From: address must be a verified Sender Identity or belong to an authenticated domain.",
			Refusal: "another sender is refused: 550 The from address does not match a verified Sender Identity.",
			Fix:     "Verify the sender (Settings › Sender Authentication) or authenticate its domain.",
		},
		Docs:       "https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api",
		MXSuffixes: []string{"mx.sendgrid.net"},
	},
	{
		Name:  "mailgun",
		Title: "Mailgun", Provider: ProviderMailgun,
		Host: "smtp.mailgun.org", Port: portSubmission, TLS: PresetSTARTTLS,
		Mechanisms: []string{mechPlain, mechLogin},
		Username:   "the sending domain's SMTP login (postmaster@YOUR-DOMAIN or one you created)",
		Needs: []string{
			"SMTP credentials of the sending domain (Sending › Domain settings › SMTP credentials), not the account password or API key",
			"EU accounts use smtp.eu.mailgun.org",
			"a sandbox domain sends only to authorized recipients",
		},
		Identity:   verifiedESP,
		Docs:       "https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp",
		MXSuffixes: []string{"mailgun.org"},
	},
	{
		Name: "yandex", Aliases: []string{"ya"},
		Title: "Yandex Mail", Provider: ProviderYandex,
		Host: "smtp.yandex.com", Port: portSubmissions, TLS: PresetImplicit,
		Mechanisms: []string{mechPlain, mechLogin, mechXOAuth2},
		Username:   "the full Yandex address",
		Needs: []string{
			"mail clients allowed in Mail settings › Email clients (IMAP/SMTP access)",
			"an app password (Yandex ID › Security › App passwords) instead of the account password",
		},
		Identity: IdentityPolicy{
			Kind:    IdentityLogin,
			Rule:    "The sender must be the login address or one of its Yandex aliases.",
			Refusal: "another sender is refused: 553 5.7.1 Sender address rejected: not owned by auth user.",
			Fix:     "Send from the login address.",
		},
		Docs:       "https://yandex.com/support/yandex-360/customers/mail/en/mail-clients/others",
		Domains:    []string{"yandex.com", "yandex.ru", "ya.ru", "yandex.by", "yandex.kz"},
		MXSuffixes: []string{"mx.yandex.net", "mx.yandex.ru"},
	},
	{
		Name:  "fastmail",
		Title: "Fastmail",
		Host:  "smtp.fastmail.com", Port: portSubmissions, TLS: PresetImplicit,
		Mechanisms: []string{mechPlain, mechLogin},
		Username:   "the full Fastmail login address",
		Needs: []string{
			"an app password with SMTP access (Settings › Privacy & Security › Manage app passwords) instead of the account password",
		},
		Identity: IdentityPolicy{
			Kind:    IdentityAliases,
			Rule:    "The sender must be one of the account's addresses, aliases or verified sending identities.",
			Refusal: "another sender is refused at MAIL FROM (553 5.7.1).",
			Fix:     "Add the address as a sending identity in Settings.",
		},
		Docs:       "https://www.fastmail.help/hc/en-us/articles/1500000278342",
		Domains:    []string{"fastmail.com", "fastmail.fm"},
		MXSuffixes: []string{"messagingengine.com"},
	},
}
