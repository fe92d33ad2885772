package doctor

import "github.com/smtpscope/smtpscope/protocol"

// Short names for the rule table.
const (
	msID    = protocol.ProviderMicrosoft
	gmailID = protocol.ProviderGmail
	qqID    = protocol.ProviderQQ
	neteID  = protocol.ProviderNetEase
	sesID   = protocol.ProviderSES
	sgID    = protocol.ProviderSendGrid
)

// Microsoft's own commands and pages, as Microsoft documents them.
const (
	msTenantOn     = "Set-TransportConfig -SmtpClientAuthenticationDisabled $false"
	msMailboxOn    = "Set-CASMailbox -Identity {user} -SmtpClientAuthenticationDisabled $false"
	msCheckTenant  = "Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled"
	msCheckMailbox = "Get-CASMailbox -Identity {user} | Format-List SmtpClientAuthenticationDisabled"
	msOAuthPath    = "Or log in with OAuth 2 instead of the password: AUTH XOAUTH2 with a token for https://outlook.office.com/SMTP.Send (Microsoft's guide: https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth); SMTP AUTH must still be enabled for the mailbox."
	msConnectEXO   = "Run the PowerShell commands in Exchange Online PowerShell (Install-Module ExchangeOnlineManagement; Connect-ExchangeOnline) as an Exchange admin."
)

var (
	authReasons     = []protocol.Reason{protocol.ReasonAuthDisabled, protocol.ReasonAuthFailed, protocol.ReasonAuthAppPassword, protocol.ReasonAuthLocked}
	loginRefusals   = []protocol.Reason{protocol.ReasonAuthFailed, protocol.ReasonAuthAppPassword, protocol.ReasonAuthDisabled}
	senderStages    = []StageName{StageIdentity, StageSend}
	chinaProviders  = []string{qqID, neteID}
	onlyAuth        = []StageName{StageAuth}
	reachAndTLS     = []StageName{StageReach, StageTLS}
	certificateText = []protocol.Reason{protocol.ReasonTLSUnavailable}
)

// verdictRules is the verdict table, narrow rows first.
var verdictRules = []verdictRule{
	// Microsoft 365: where SMTP AUTH is off decides who fixes it and how.
	{
		variant: "microsoft-tenant", stages: onlyAuth, providers: []string{msID}, any: []string{"disabled for the tenant"},
		title: "SMTP AUTH is disabled for the whole Microsoft 365 tenant",
		fix: []string{
			"An Exchange admin turns SMTP AUTH on for the organisation: " + msTenantOn + " (or Exchange admin center › Settings › Mail flow › untick \"Turn off SMTP AUTH protocol for your organization\").",
			"Or, leaving the tenant off, for this mailbox only (the mailbox setting wins over the tenant's): " + msMailboxOn + ".",
			msOAuthPath,
			msConnectEXO,
		},
		example: verdictExample{stage: StageAuth, reply: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [SN4PR0501CA0047.namprd05.prod.outlook.com]"},
	},
	{
		variant: "microsoft-mailbox", stages: onlyAuth, providers: []string{msID}, any: []string{"disabled for the mailbox"},
		title: "SMTP AUTH is disabled for this mailbox ({user})",
		fix: []string{
			"An Exchange admin enables it for the mailbox: " + msMailboxOn + " (or Microsoft 365 admin center › Users › Active users › the user › Mail › Manage email apps › tick Authenticated SMTP).",
			"Check it afterwards: " + msCheckMailbox + " (False means enabled; it can take up to an hour to apply).",
			msOAuthPath,
			msConnectEXO,
		},
		example: verdictExample{stage: StageAuth, reply: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [BN9PR03CA0170.namprd03.prod.outlook.com]"},
	},
	{
		variant: "microsoft-security-defaults", stages: onlyAuth, providers: []string{msID}, any: []string{"security defaults"},
		title: "Microsoft Entra Security Defaults block password logins over SMTP",
		fix: []string{
			"Security Defaults refuse basic authentication whatever the SMTP AUTH setting says. Best: log in with OAuth 2 (AUTH XOAUTH2, a token for https://outlook.office.com/SMTP.Send).",
			"Or a Global Administrator turns Security Defaults off (Microsoft Entra admin center › Identity › Overview › Properties › Manage security defaults) and protects sign-ins with Conditional Access instead; then SMTP AUTH must be enabled: " + msMailboxOn + ".",
		},
		example: verdictExample{stage: StageAuth, reply: "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator. [MW4PR03CA0256.namprd03.prod.outlook.com]"},
	},
	{
		variant: "microsoft-conditional-access", stages: onlyAuth, providers: []string{msID}, any: []string{"did not meet the criteria"},
		title: "A Microsoft Entra Conditional Access policy blocks this login",
		fix: []string{
			"An admin checks the sign-in logs (Microsoft Entra admin center › Monitoring › Sign-in logs, client app \"Authenticated SMTP\") for the policy that blocked it, and excludes this mailbox or location, or allows the legacy protocol.",
			msOAuthPath,
		},
		example: verdictExample{stage: StageAuth, reply: "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator. [CH2PR05CA0061.namprd05.prod.outlook.com]"},
	},
	{
		variant: "microsoft-consumer", stages: onlyAuth, presets: []string{"outlook"}, reasons: authReasons,
		title: "Outlook.com no longer accepts passwords over SMTP",
		fix: []string{
			"Microsoft turned off basic authentication (passwords, app passwords too) for personal Outlook.com, Hotmail and Live accounts: only OAuth 2 logs in.",
			"Log in with AUTH XOAUTH2 and a token for https://outlook.office.com/SMTP.Send from the Microsoft identity platform (an app registration that allows personal Microsoft accounts).",
			"Or send through another service that still takes a password (an app password of another provider, or a sending service).",
		},
		example: verdictExample{stage: StageAuth, reply: "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [PH7P220CA0132.NAMP220.PROD.OUTLOOK.COM]", host: "smtp-mail.outlook.com", preset: "outlook"},
	},
	{
		variant: "microsoft-basic-auth", stages: onlyAuth, providers: []string{msID}, reasons: []protocol.Reason{protocol.ReasonAuthDisabled},
		title: "SMTP AUTH (basic authentication) is disabled for this Microsoft 365 mailbox or tenant",
		fix: []string{
			"Find out where: " + msCheckTenant + " (the tenant) and " + msCheckMailbox + " (the mailbox; empty means it follows the tenant).",
			"Enable it for the mailbox: " + msMailboxOn + "; or for the tenant: " + msTenantOn + ".",
			msOAuthPath,
			msConnectEXO,
		},
		example: verdictExample{stage: StageAuth, reply: "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [BM1P287CA0015.INDP287.PROD.OUTLOOK.COM]"},
	},
	{
		variant: "microsoft-token", stages: onlyAuth, providers: []string{msID}, reasons: []protocol.Reason{protocol.ReasonAuthToken},
		title: "Microsoft refused the OAuth token",
		fix: []string{
			"The token must be for Exchange Online (audience https://outlook.office.com) with the scope https://outlook.office.com/SMTP.Send (delegated) or the role SMTP.SendAsApp (app-only), not expired, and issued to {user}.",
			"App-only tokens: register the app's service principal in Exchange (New-ServicePrincipal) and give it the mailbox (Add-MailboxPermission -Identity {user} -User SERVICE-PRINCIPAL-ID -AccessRights FullAccess).",
			"SMTP AUTH must be enabled for the mailbox even with OAuth: " + msMailboxOn + ".",
		},
		example: verdictExample{stage: StageAuth, reply: "535 5.7.3 Authentication unsuccessful [SN6PR01CA0012.prod.exchangelabs.com]", reason: protocol.ReasonAuthToken},
	},
	{
		variant: "microsoft-credentials", stages: onlyAuth, providers: []string{msID}, reasons: []protocol.Reason{protocol.ReasonAuthFailed},
		title: "Microsoft 365 refused the username or password",
		fix: []string{
			"The username is the mailbox's full address ({user}); check the password by signing in to Outlook on the web.",
			"With multi-factor authentication the account password is refused: use OAuth 2 (AUTH XOAUTH2), or an app password where the tenant still allows them.",
		},
		example: verdictExample{stage: StageAuth, reply: "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. [PH0PR07CA0004.namprd07.prod.outlook.com]"},
	},
	{
		variant: "microsoft-send-as", stages: senderStages, providers: []string{msID}, reasons: []protocol.Reason{protocol.ReasonSenderDenied},
		title: "{user} may not send as {from} (Microsoft 365 Send As)",
		fix: []string{
			"Send with MAIL FROM and From: set to {user}, or",
			"an Exchange admin grants the right: Add-RecipientPermission -Identity {from} -Trustee {user} -AccessRights SendAs (or Exchange admin center › the mailbox of {from} › Delegation › Send as).",
		},
		example: verdictExample{stage: StageSend, reply: "554 5.2.252 SendAsDenied; user@contoso.com not allowed to send as boss@contoso.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. 0.35250:0A00F281"},
	},

	// Gmail.
	{
		variant: "gmail-app-password", stages: onlyAuth, providers: []string{gmailID}, reasons: []protocol.Reason{protocol.ReasonAuthAppPassword},
		title: "Gmail wants an app password, not the Google account password",
		fix: []string{
			"Create an app password at https://myaccount.google.com/apppasswords (it needs 2-Step Verification on) and use its 16 letters as the password, with {user} as the username.",
			"Or log in with OAuth 2: AUTH XOAUTH2 with an access token for the scope https://mail.google.com/.",
		},
		example: verdictExample{stage: StageAuth, reply: "534-5.7.9 Application-specific password required. Learn more at\r\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor o13sm2119833lfg.90 - gsmtp"},
	},
	{
		variant: "gmail-token", stages: onlyAuth, providers: []string{gmailID}, reasons: []protocol.Reason{protocol.ReasonAuthToken},
		title: "Gmail refused the OAuth token",
		fix: []string{
			"The access token must be for the scope https://mail.google.com/ (no narrower Gmail scope allows SMTP), not expired, and issued to {user}.",
			"Refresh it, or request it again with that scope; an ID token (from signing in) is not an access token.",
		},
		example: verdictExample{stage: StageAuth, reply: "535-5.7.8 Username and Password not accepted. Learn more at\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1sm123456wrz.9 - gsmtp", reason: protocol.ReasonAuthToken},
	},
	{
		variant: "gmail-credentials", stages: onlyAuth, providers: []string{gmailID}, reasons: []protocol.Reason{protocol.ReasonAuthFailed, protocol.ReasonAuthDisabled},
		title: "Gmail refused the username and password",
		fix: []string{
			"Google no longer takes the account password from mail programs: turn on 2-Step Verification, create an app password at https://myaccount.google.com/apppasswords and use it instead.",
			"The username is the full address ({user}); Workspace admins can turn app passwords off, then only OAuth 2 (scope https://mail.google.com/) works.",
		},
		example: verdictExample{stage: StageAuth, reply: "535-5.7.8 Username and Password not accepted. Learn more at\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials i5sm8565805wrv.34 - gsmtp"},
	},
	{
		variant: "gmail-send-as", stages: senderStages, providers: []string{gmailID}, reasons: []protocol.Reason{protocol.ReasonSenderDenied},
		title: "Gmail will not send as {from}",
		fix: []string{
			"Add {from} as a \"Send mail as\" address of {user} (Gmail › Settings › Accounts and Import › Send mail as) and confirm it; otherwise Gmail refuses it or rewrites the From: to {user}.",
		},
		example: verdictExample{stage: StageIdentity, reply: "553 5.7.1 Sender address rejected: not owned by user x@gmail.com a1sm1234567wrz.9 - gsmtp"},
	},

	// QQ Mail and NetEase: the authorization code.
	{
		variant: "qq-authorization-code", stages: onlyAuth, providers: []string{qqID}, reasons: loginRefusals,
		title: "QQ Mail wants the authorization code (授权码), not the QQ password",
		fix: []string{
			"Turn on the SMTP service: QQ Mail on the web › 设置 Settings › 账户 Account › POP3/IMAP/SMTP/Exchange/CardDAV/CalDAV服务 › 开启 (turn on), confirming by SMS.",
			"It shows an authorization code (授权码, 16 letters): use it as the password, with the full QQ address ({user}) as the username. A new code can be generated there at any time.",
		},
		example: verdictExample{stage: StageAuth, reply: "535 Login Fail. Please enter your authorization code to login. More information in http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=28&&no=1001256", host: "smtp.qq.com"},
	},
	{
		variant: "netease-authorization-code", stages: onlyAuth, providers: []string{neteID}, reasons: loginRefusals,
		title: "NetEase mail wants the SMTP service on and the authorization code (授权码)",
		fix: []string{
			"Turn on SMTP: 163/126 mail on the web › 设置 Settings › POP3/SMTP/IMAP › 开启 POP3/SMTP服务 (turn on), confirming by SMS.",
			"Use the client authorization code (客户端授权密码, 授权码) it shows as the password, with the full address ({user}) as the username; the web password is refused.",
		},
		example: verdictExample{stage: StageAuth, reply: "535 Error: authentication failed", host: "smtp.163.com"},
	},
	{
		variant: "china-login-address", stages: senderStages, providers: chinaProviders, reasons: []protocol.Reason{protocol.ReasonSenderDenied},
		title: "The sender must be the login address ({user})",
		fix: []string{
			"QQ Mail and NetEase take mail only from the address that logged in: send with MAIL FROM and From: set to {user}.",
			"To send as {from}, log in as that mailbox with its own authorization code.",
		},
		example: verdictExample{stage: StageIdentity, reply: "501 Mail from address must be same as authorization user.", host: "smtp.qq.com"},
	},

	// Sending services.
	{
		variant: "ses-credentials", stages: onlyAuth, providers: []string{sesID}, reasons: loginRefusals,
		title: "Amazon SES refused the SMTP credentials",
		fix: []string{
			"Use SMTP credentials, not IAM access keys: SES console › SMTP settings › Create SMTP credentials gives a user name and password for SMTP.",
			"They work only in the region they were made for: the host must be email-smtp.REGION.amazonaws.com of that region (--region).",
		},
		example: verdictExample{stage: StageAuth, reply: "535 Authentication Credentials Invalid", host: "email-smtp.us-east-1.amazonaws.com"},
	},
	{
		variant: "ses-identity", stages: senderStages, providers: []string{sesID},
		reasons: []protocol.Reason{protocol.ReasonSenderDenied, protocol.ReasonAccountRestricted, protocol.ReasonRecipientRejected},
		title:   "Amazon SES: the address is not a verified identity",
		fix: []string{
			"Verify {from} or its domain in the SES console of this region (Configuration › Identities).",
			"While the account is in the SES sandbox, recipients must be verified too: request production access to send to anyone.",
		},
		example: verdictExample{stage: StageSend, reply: "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: boss@example.com", host: "email-smtp.us-east-1.amazonaws.com"},
	},
	{
		variant: "sendgrid-apikey", stages: onlyAuth, providers: []string{sgID}, reasons: loginRefusals,
		title: "SendGrid refused the login: the username is apikey and the password an API key",
		fix: []string{
			"Log in with the username apikey (that word, literally) and an API key with the Mail Send permission as the password (Settings › API Keys).",
		},
		example: verdictExample{stage: StageAuth, reply: "535 Authentication failed: Bad username / password", host: "smtp.sendgrid.net"},
	},
	{
		variant: "sendgrid-sender", stages: senderStages, providers: []string{sgID}, reasons: []protocol.Reason{protocol.ReasonSenderDenied},
		title: "SendGrid: {from} is not a verified Sender Identity",
		fix: []string{
			"Verify the sender (Settings › Sender Authentication › Single Sender Verification) or authenticate its whole domain.",
		},
		example: verdictExample{stage: StageSend, reply: "550 The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements", host: "smtp.sendgrid.net"},
	},

	// Any server.
	{
		variant: "greylisted", reasons: []protocol.Reason{protocol.ReasonGreylisted},
		title: "Greylisted: the server defers a first attempt on purpose; try again later",
		fix: []string{
			"Nothing is wrong with the setup: a real mail program retries on its own. Run the doctor again after the delay.",
		},
		retry:   true,
		example: verdictExample{stage: StageRecipient, reply: "450 4.2.0 <friend@sandbox.test>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/sandbox.test.html"},
	},
	{
		variant: "mailbox-full-temporary", reasons: []protocol.Reason{protocol.ReasonMailboxFull}, transient: true,
		title: "The recipient's mailbox is full for now",
		fix: []string{
			"Temporary (4xx): a mail program retries for days; the message goes through once {to} makes room.",
			"Tell the recipient by another way that their mailbox is over its quota.",
		},
		example: verdictExample{stage: StageRecipient, reply: "452-4.2.2 The email account that you tried to reach is over quota. Please direct\r\n452 4.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaTemp s1sm1.2 - gsmtp"},
	},
	{
		variant: "mailbox-full", reasons: []protocol.Reason{protocol.ReasonMailboxFull},
		title: "The recipient's mailbox is full",
		fix: []string{
			"Permanent (5xx): the message is not delivered. Tell the recipient by another way to make room, then send again.",
		},
		example: verdictExample{stage: StageSend, reply: "552 5.2.2 <over@sandbox.test> Quota exceeded (mailbox for user is full)"},
	},
	{
		variant: "too-many-errors", reasons: []protocol.Reason{protocol.ReasonTooManyErrors},
		title: "The server hung up after too many errors",
		fix: []string{
			"Strict servers (Postfix, go-smtp) close the connection after a few refused commands. Fix the first refusal in the transcript, then reconnect.",
		},
		example: verdictExample{stage: StageRecipient, reply: "421 4.7.0 sandbox.test Error: too many errors (3); closing the connection - reconnect to try again"},
	},
	{
		variant: "auth-required", stages: senderStages, reasons: []protocol.Reason{protocol.ReasonAuthRequired},
		title: "The server wants a login before it takes a sender",
		fix: []string{
			"Give the login: --user {user} with --password-env VAR or --password-cmd CMD (a submission server sends mail only for logged-in users).",
		},
		example: verdictExample{stage: StageIdentity, reply: "530 5.7.0 Authentication Required. Learn more at https://support.google.com/mail/?p=WantAuthError"},
	},
	{
		variant: "relay-denied", stages: []StageName{StageRecipient}, reasons: []protocol.Reason{protocol.ReasonRelayDenied},
		title: "The server will not relay to {to}",
		fix: []string{
			"Log in first (--user and a password): a server passes mail on to other domains only for logged-in users.",
			"On port 25 an MX takes mail only for its own domains: send through your provider's submission server (port 587 or 465) instead.",
		},
		example: verdictExample{stage: StageRecipient, reply: "554 5.7.1 <friend@elsewhere.example>: Relay access denied"},
	},

	// Certificates, TLS modes and the network.
	{
		variant: "certificate-expired", stages: reachAndTLS, reasons: certificateText, any: []string{"expired"},
		title: "The server's certificate has expired",
		fix: []string{
			"The server's admin must renew the certificate of {host}; until then every client that verifies refuses it.",
			"To look further anyway, --insecure connects without verification (marked unverified; never send a real password that way).",
		},
		example: verdictExample{stage: StageTLS, reason: protocol.ReasonTLSUnavailable, err: "the server's certificate is not trusted: the certificate expired on 2024-01-01"},
	},
	{
		variant: "certificate-name", stages: reachAndTLS, reasons: certificateText, any: []string{"valid only for", "names no host", "not for "},
		title: "The certificate is for another name than {host}",
		fix: []string{
			"Connect by a name the certificate is valid for (the details list them), or set the TLS name with --sni.",
			"If {host} is the right name, the server's admin must add it to the certificate.",
		},
		example: verdictExample{stage: StageTLS, reason: protocol.ReasonTLSUnavailable, err: "the server's certificate is not trusted: the certificate is valid only for wrong-host.invalid, not for sandbox.test"},
	},
	{
		variant: "certificate-untrusted", stages: reachAndTLS, reasons: certificateText, any: []string{"not trusted"},
		title: "The server's certificate is not trusted",
		fix: []string{
			"A private or self-signed CA: give its certificate with --ca FILE. A public server should present a chain from a public CA: its admin must fix the chain.",
			"To look further anyway, --insecure connects without verification (marked unverified).",
		},
		example: verdictExample{stage: StageTLS, reason: protocol.ReasonTLSUnavailable, err: "the server's certificate is not trusted: it is signed by an unknown authority"},
	},
	{
		variant: "tls-mismatch", stages: reachAndTLS, reasons: []protocol.Reason{protocol.ReasonTLSMismatch},
		title: "Plain SMTP and TLS crossed: the port expects the other mode",
		fix: []string{
			"Port 465 speaks TLS from the first byte: connect with --tls. Ports 587 and 25 start in plain text and upgrade with STARTTLS: drop --tls.",
		},
		example: verdictExample{stage: StageReach, reason: protocol.ReasonTLSMismatch, err: "port 465 does not answer in plain text, but answers with implicit TLS"},
	},
	{
		variant: "no-starttls", stages: []StageName{StageTLS}, reasons: []protocol.Reason{protocol.ReasonTLSUnavailable}, any: []string{"does not offer starttls"},
		title: "The server offers no STARTTLS: a password would travel in clear text",
		fix: []string{
			"Use the provider's TLS port: 465 with --tls, or another host that offers STARTTLS on 587.",
			"If this is your server, turn TLS on (Postfix: smtpd_tls_security_level = may, with a certificate).",
		},
		example: verdictExample{stage: StageTLS, reason: protocol.ReasonTLSUnavailable, err: "the server does not offer starttls: the password and the mail would travel in clear text"},
	},
	{
		variant: "silent", stages: []StageName{StageReach}, reasons: []protocol.Reason{protocol.ReasonNetwork}, any: []string{"never greets"},
		title: "{host}:{port} accepts connections but never greets",
		fix: []string{
			"If this port expects TLS from the first byte (465, and some private ports), connect with --tls: a plain client waits for a greeting that only comes after the TLS handshake.",
			"Something between you and the server may hold SMTP connections open without answering: an antivirus or firewall that scans mail, or a network that intercepts port 25. Try from another network, or the ports the details show answering.",
			"A server under load, or one that slows suspicious clients down on purpose (a tarpit), greets late: try again later or with a longer --timeout.",
		},
		example: verdictExample{stage: StageReach, reason: protocol.ReasonNetwork, err: "port 2525 accepts connections but never greets (no 220 within the timeout)"},
	},
	{
		variant: "port-blocked", stages: []StageName{StageReach}, reasons: []protocol.Reason{protocol.ReasonPortBlocked},
		title: "The port is filtered on the way to {host}",
		fix: []string{
			"Home, office and cloud networks often block outgoing port 25: use the submission port 587 (STARTTLS) or 465 (TLS) of your provider, which the details show answering when it does.",
			"Cloud hosts (AWS, Google Cloud, Azure) block 25 by default: use 587/465 or the provider's relay service.",
		},
		example: verdictExample{stage: StageReach, reason: protocol.ReasonPortBlocked, err: "port 25 is filtered on this network (timed out)"},
	},
	{
		variant: "unreachable", stages: []StageName{StageReach}, reasons: []protocol.Reason{protocol.ReasonNetwork, protocol.ReasonHostUnknown},
		title: "{host}:{port} cannot be reached",
		fix: []string{
			"Check the host name and port (submission: 587 with STARTTLS, 465 with TLS; relay: 25).",
			"The details list what the other SMTP ports answered.",
		},
		example: verdictExample{stage: StageReach, reason: protocol.ReasonNetwork, err: "nothing listens on port 2525 (connection refused)"},
	},
	{
		variant: "blocked", stages: []StageName{StageReach}, reasons: []protocol.Reason{protocol.ReasonBlocked},
		title: "The server refuses this network's IP address",
		fix: []string{
			"The greeting names a block list or reputation problem: check this IP on the list it names and ask for removal, or send through your provider's submission server instead.",
		},
		example: verdictExample{stage: StageReach, reply: "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"},
	},
}
