package protocol

// Help pages of the Chinese providers.
const (
	qqAuthCodeHelp   = "http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=28&&no=1001256"
	neteaseAuthHelp  = "https://help.mail.163.com"
	neteaseSpamHelp  = "http://mail.163.com/help/help_spam_16.htm"
	qqExmailHelpPage = "https://service.exmail.qq.com"
)

// authCodePhrases are how QQ and NetEase ask for the client authorization
// code, in English and Chinese (授权码 "authorization code", 客户端授权密码
// "client authorization password").
var authCodePhrases = []string{"authorization code", "授权码", "授权密码"}

// qqRules: QQ Mail (smtp.qq.com) and Tencent Exmail.
var qqRules = []playbookRule{
	{
		provider: ProviderQQ, codes: []int{basicAuthFailed, basicMailboxUnavail, basicTransactionFailed}, any: authCodePhrases, identifies: true,
		reason:  ReasonAuthAppPassword,
		summary: "QQ Mail refused the login: SMTP needs the authorization code (授权码), not the QQ password.",
		causes: []string{
			"The QQ account password was used; QQ Mail only accepts a generated 16-character authorization code for SMTP, IMAP and POP3.",
			"SMTP service is not switched on for the account, or QQ's remote-login protection blocked this login.",
		},
		steps: []string{
			"In QQ Mail on the web: Settings (设置) > Account (账户) > POP3/IMAP/SMTP service: switch on the SMTP service.",
			"Generate an authorization code (生成授权码) there, confirm by SMS, and use it as the SMTP password.",
			"Log in with the full QQ address as the username; connect to smtp.qq.com on port 465 (TLS) or 587 (STARTTLS).",
		},
		refs: []string{"RFC 4954 6", qqAuthCodeHelp},
	},
	{
		provider: ProviderQQ, codes: []int{basicAuthFailed}, any: []string{"authentication failed", "Login Fail"},
		reason:  ReasonAuthFailed,
		summary: "QQ Mail refused the login.",
		causes:  []string{"The account password was used instead of the authorization code (授权码), or the SMTP service is off."},
		steps: []string{
			"Switch on the SMTP service in QQ Mail settings and generate an authorization code (授权码).",
			"Log in with the full address and the authorization code.",
		},
		refs: []string{"RFC 4954 6", qqAuthCodeHelp},
	},
	{
		provider: ProviderQQ, any: []string{"must be same as authorization user"}, identifies: true,
		reason:  ReasonSenderDenied,
		summary: "QQ Mail requires MAIL FROM to be the address you logged in with.",
		steps:   []string{"Use the logged-in QQ address as MAIL FROM and in the From: header; put other addresses in Reply-To."},
		refs:    []string{"RFC 5321 4.1.1.2"},
	},
	{
		provider: ProviderQQ, any: []string{"frequency limited"},
		reason:  ReasonRateLimited,
		summary: "Tencent is rate-limiting this sender or IP (a \"frequency limited\" reply).",
		causes:  []string{"Too many messages or connections in a short time."},
		steps:   []string{"Send more slowly and retry later; spread the volume over time."},
		retry:   "Despite the 5xx code this is a rate limit: retry later, more slowly.",
		refs:    []string{qqExmailHelpPage},
	},
	{
		provider: ProviderQQ, any: []string{"Mailbox not found", "mailbox unavailable"},
		reason:  ReasonRecipientUnknown,
		summary: "The QQ or Tencent Exmail recipient does not exist.",
		steps:   []string{"Check the address; remove it from your lists if it is right."},
		refs:    []string{qqExmailHelpPage},
	},
	{
		provider: ProviderQQ, any: []string{"DMARC"},
		reason:  ReasonSenderAuth,
		summary: "QQ Mail refused the message: it failed the sender domain's DMARC check.",
		steps:   []string{"Make SPF or DKIM pass and align with the From: domain (DKIM d= or the MAIL FROM domain equal to the From: domain)."},
		refs:    []string{"RFC 7489"},
	},
	{
		provider: ProviderQQ, codes: []int{basicBadSequence}, any: []string{"need EHLO and AUTH"},
		reason:  ReasonAuthRequired,
		summary: "QQ Mail wants EHLO and a login before MAIL FROM.",
		steps:   []string{"Send EHLO, then AUTH with the address and authorization code, then MAIL FROM."},
		refs:    []string{"RFC 4954 6"},
	},
}

// neteaseRules: NetEase 163.com, 126.com, yeah.net (Coremail servers).
var neteaseRules = []playbookRule{
	{
		provider: ProviderNetEase, any: []string{"DT:SPM"}, identifies: true,
		reason:  ReasonSpam,
		summary: "NetEase's anti-spam filter refused the message content (DT:SPM).",
		causes:  []string{"The subject or body looks like spam to NetEase: test-like text, links, or a missing or odd From:/To: header."},
		steps: []string{
			"Give the message a real subject and body, valid From: and To: headers, and avoid link-only or test-only content.",
			"When testing, send to your own address (put yourself in To: or Cc:), which NetEase treats more leniently.",
		},
		refs: []string{neteaseSpamHelp},
	},
	{
		provider: ProviderNetEase, any: []string{"Mail from must equal authorized user"}, identifies: true,
		reason:  ReasonSenderDenied,
		summary: "NetEase requires MAIL FROM to be the address you logged in with.",
		steps:   []string{"Use the logged-in 163/126 address as MAIL FROM and in From:."},
		refs:    []string{"RFC 5321 4.1.1.2"},
	},
	{
		provider: ProviderNetEase, codes: []int{basicMailboxUnavail, basicAuthFailed}, any: []string{"User has no permission"}, identifies: true,
		reason:  ReasonAuthDisabled,
		summary: "NetEase refused the login: the SMTP service is not enabled for this account, or the password is not the client authorization code.",
		steps: []string{
			"In 163/126 mail on the web: Settings (设置) > POP3/SMTP/IMAP: switch on the SMTP service.",
			"Create a client authorization password (客户端授权密码 / 授权码) there and use it instead of the web password.",
		},
		refs: []string{neteaseAuthHelp},
	},
	{
		provider: ProviderNetEase, codes: []int{basicAuthFailed}, any: append([]string{"authentication failed"}, authCodePhrases...),
		reason:  ReasonAuthAppPassword,
		summary: "NetEase refused the login: it expects the client authorization code (授权码), not the web password.",
		causes: []string{
			"The SMTP service is not switched on in the web settings.",
			"The web password was used instead of the client authorization code.",
		},
		steps: []string{
			"In the web mail: Settings (设置) > POP3/SMTP/IMAP: enable SMTP and create an authorization code (授权码).",
			"Log in with the full address and that code; smtp.163.com / smtp.126.com, port 465 (TLS) or 25/587 with STARTTLS.",
		},
		refs: []string{"RFC 4954 6", neteaseAuthHelp},
	},
}
