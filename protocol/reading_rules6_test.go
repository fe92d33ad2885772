package protocol

import "testing"

// The sixth pass's classes (testdata/corpus/audit/ENGINE-NOTES.md, sixth
// pass), each tested on lines written for the test: lines a rule must
// read, and lines it must leave alone.

// TestSixthPassReason checks the vocabulary added for server families and
// languages the first corpus lacked.
func TestSixthPassReason(t *testing.T) {
	tests := []struct {
		name, paste string
		reason      Reason
	}{
		// Bilingual code lists of Chinese servers: the English half decides,
		// the Chinese half alone too.
		{"queue busy", "450 queue busy, retry (队列忙)", ReasonServerError},
		{"database error", "451 database temporary error on lookup", ReasonServerError},
		{"database in Chinese", "451 临时数据访问失败", ReasonServerError},
		{"auth mode", "504 auth mode unsupported by this server", ReasonAuthMechanism},
		{"sequence error", "503 sequence error: MAIL before HELO", ReasonSequence},
		{"parse error", "501 line parse error near '<'", ReasonSyntax},
		{"black ip", "554 black ip 198.51.100.7 refused", ReasonBlocked},
		{"ip is rejected no code", `退信提示:"IP is rejected"`, ReasonBlocked},
		{"user not known no code", `退信提示:"user not known"`, ReasonRecipientUnknown},
		{"don't exists", "550 mailbox don't exists here", ReasonRecipientUnknown},
		{"not a user of", "550 bob is not user of this server", ReasonRecipientUnknown},
		{"user has no QQ mailbox", "该用户未开通邮箱服务", ReasonRecipientUnknown},
		{"smtp not opened stays auth-disabled", "535 Error: 未开通SMTP服务", ReasonAuthDisabled},
		{"sender refused in Chinese", "553 拒绝发件人地址", ReasonSenderDenied},
		{"open relay check", "554 openrelay check failed for your host", ReasonBlocked},
		// A sender known for spam is blocked; a message judged spam is spam.
		{"spam site", "550 mail from 203.0.113.9 refused: spam site", ReasonBlocked},
		{"sending spam", "550 Your host was detected sending spam", ReasonBlocked},
		{"message spam stays spam", "550 Message classified as spam", ReasonSpam},
		{"recipient's reject list", "550 You are on this user's reject list", ReasonRecipientRejected},
		{"suppression list", "550 5.1.1 recipient is on the suppression list", ReasonRecipientRejected},
		// The account that sent too much: its own cap.
		{"account has sent", "451 This account has sent too many messages today", ReasonSendingQuota},
		{"receiver throttle stays rate", "451 Too many messages from your IP, slow down", ReasonRateLimited},
		{"sent emails within", "451 4.3.0 You reached the maximum number of sent emails within a day", ReasonSendingQuota},
		{"too many e-mails", "550 You sent too many e-mails in a short time", ReasonRateLimited},
		// Size, content, service.
		{"size exceeded", "552 Email size exceeded the limit of the policy", ReasonTooBig},
		{"stray newline", "451 stray newline in message", ReasonContent},
		{"not conform", "554 Message does not conform to standards", ReasonContent},
		{"try another server", "421 Please try another server", ReasonServiceUnavailable},
		{"network is busy", "421 4.4.1 IP ADDRESS: Network is busy.", ReasonServiceUnavailable},
		{"not ready", "451 Mail queue not ready", ReasonServiceUnavailable},
		{"in progress", "503 5.5.0 A mail transaction is already in progress", ReasonSequence},
		{"mandatory header", "550 5.6.0 A Date header is mandatory", ReasonPolicy},
		// Login.
		{"temporary auth failure is the server's", "454 4.7.0 Temporary authentication failure: backend down", ReasonServerError},
		{"plain auth failure stays", "535 5.7.8 Authentication failed", ReasonAuthFailed},
		{"no auth support", "The SMTP server does not support authentication.", ReasonAuthDisabled},
		{"no such auth method", "msmtp: the server does not support authentication method CRAM-MD5", ReasonAuthMechanism},
		{"could not authenticate", `{"code": 422, "message": "SMTP Error: Could not authenticate."}`, ReasonAuthFailed},
		// Addresses.
		{"recipient without domain", "501 <root>: recipient address must contain a domain", ReasonRecipientInvalid},
		{"sender without domain", "501 <root>: sender address must contain a domain", ReasonSenderInvalid},
		{"null path", "501 5.5.4 Invalid TO: Null path not allowed", ReasonRecipientInvalid},
		{"gen_smtp to address", "501 Invalid command or cannot parse to address", ReasonRecipientInvalid},
		{"invalid command stays", "500 Invalid command", ReasonNotImplemented},
		{"mailfrom valid domain", "550 Sender Rejected - MAILFROM must be a valid domain", ReasonSenderInvalid},
		{"sender signature", "422 Sender signature not defined for From address.", ReasonSenderDenied},
		{"iam not authorized", "554 Access denied: User is not authorized to perform ses:SendRawEmail", ReasonSenderDenied},
		{"rcpthosts", "553 este domínio não consta na minha lista de rcpthosts", ReasonRelayDenied},
		{"use submission", "501 5.1.8 Use Submission for outgoing SMTP", ReasonRelayDenied},
		// Recipient domains without mail exchangers.
		{"no mx found", "relay: TempFail for 1a2b: session=0000, from=<a@b.example>, stat=No MX found for domain", ReasonHostUnknown},
		{"querymx", "Error: queryMx ENOTFOUND example.invalid", ReasonHostUnknown},
		{"plain enotfound stays network", "Error: getaddrinfo ENOTFOUND smtp.example.org", ReasonNetwork},
		// Transport.
		{"go missing port", "dial tcp: address localhost: missing port in address", ReasonNetwork},
		{"ruby read timeout", "Net::ReadTimeout (Net::ReadTimeout with #<Socket:(closed)>)", ReasonNetwork},
		{"java cert validity", "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: validity check failed", ReasonTLSUnavailable},
		{"encrypted session", "Your sender domain is required to send via an encrypted SMTP session", ReasonTLSRequired},
		{"gmail web login", "`5.7.9 Please log in with your web browser and then try again. Learn more at\n5.7.9  https://support.google.com/mail/?p=WebLoginRequired`", ReasonAuthLocked},
		// Other languages.
		{"portuguese auth required", "551 Este servidor necessita de autenticação antes de enviar", ReasonAuthRequired},
		{"spanish auth required", "530 Se requiere autenticación", ReasonAuthRequired},
		{"portuguese sender", "551 O endereço do remetente não é válido para o seu login", ReasonSenderDenied},
		{"italian unknown user", "550 utente inesistente", ReasonRecipientUnknown},
		{"polish unknown user", "550 Użytkownik nie istnieje", ReasonRecipientUnknown},
		{"polish mailbox full", "552 Skrzynka odbiorcy jest pełna", ReasonMailboxFull},
		{"german storage", "422 4.2.2 Quota limit exceeded (Speicherplatz des Kontos ueberschritten)", ReasonMailboxFull},
		{"russian auth required", "530 Требуется авторизация", ReasonAuthRequired},
		{"korean spam", "554 스팸으로 판단되어 거부되었습니다", ReasonSpam},
		{"japanese auth required", "530 認証が必要です", ReasonAuthRequired},
		// Words inside host names are no words.
		{"relay in a host name", "SMTP server not available at smtp-relay.example.net:2525", ReasonServiceUnavailable},
		{"relay denied in words stays", "550 relay not permitted by smtp-relay.example.net", ReasonRelayDenied},
		{"block list host stays", "553 http://www.spamhaus.org/query/bl?ip=192.0.2.1", ReasonBlocked},
		// A bare refusal of EHLO.
		{"bare denial of EHLO", "<-  220 mx.example.org ESMTP ready\n -> EHLO client.example\n<** 550 DENIED", ReasonPolicy},
		// Codes at login.
		{"mailbox at login", `{"code":"EAUTH","command":"AUTH LOGIN","response":"550 5.2.1 Mailbox cannot be accessed"}`, ReasonAccountRestricted},
		{"mailbox at rcpt stays", "550 5.2.1 Mailbox cannot be accessed", ReasonMailboxDisabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, e := explainPaste(t, tt.paste)
			if e.Reason != tt.reason {
				t.Errorf("reason %s (%s), want %s", e.Reason, e.Evidence, tt.reason)
			}
		})
	}
}

// TestSixthPassShapes checks the paste shapes added: the code, enhanced
// code, command and reason each must recover, and what it must not take.
func TestSixthPassShapes(t *testing.T) {
	tests := []struct {
		name, paste string
		code        int
		enhanced    string
		reason      Reason
	}{
		{"line number in parentheses", "app.cpp (214) Error while sending. The server responded: 535 5.7.8 Bad credentials", 535, "5.7.8", ReasonAuthFailed},
		{"failure code in parentheses stays", "SMTP Error (550): Failed to add recipient", 550, "", ReasonRecipientRejected},
		{"bare smtplib tuple", "SMTP Delivery Error: 552, b'5.2.2 Mailbox full')", 552, "5.2.2", ReasonMailboxFull},
		{"json enhanced and msg", `error {"smtp_code":550,"smtp_enchcode":"5.1.1","smtp_msg":"No such user","to":"a@b.example"}`, 550, "5.1.1", ReasonRecipientUnknown},
		{"with code and paren enhanced, quote cut", "host 'mx.example.org' rejected command 'RCPT TO:<a@b.example>' with code 550 (5.2.2) 'Mailbox is full", 550, "5.2.2", ReasonMailboxFull},
		{"qmail underscore log", "failure: 192.0.2.1_does_not_like_recipient./Remote_host_said:_550_No_such_user/Giving_up_on_192.0.2.1./", 550, "", ReasonRecipientUnknown},
		{"client dialog quote", `The server refused the address. Server Error: 553, server response: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", Error Number: 0x800CCC79`, 553, "5.7.1", ReasonRelayDenied},
		{"portuguese dialog", `Servidor: 'smtp.example.com', Resposta do Servidor: '550 usuário não existe', Erro do Servidor: 550`, 550, "", ReasonRecipientUnknown},
		{"enhanced in parentheses first", "550 (5.1.1) no such user here", 550, "5.1.1", ReasonRecipientUnknown},
		{"other class in parentheses ignored", "550 (4.2.2) try later", 550, "", ReasonServiceUnavailable},
		{"quoted AUTH", "500 5.5.1 Command unrecognized: \"AUTH PLAIN AGFAYg==\"", 500, "5.5.1", ReasonAuthDisabled},
		{"quoted other command", "500 5.5.1 Command unrecognized: \"XFOO bar\"", 500, "5.5.1", ReasonNotImplemented},
		{"TLS hello in an Exim log", `SMTP syntax error in "\026\003\001\002\000" H=client.example [192.0.2.3] NULL character(s) present` + "\nSMTP>> 501 NULL characters are not allowed in SMTP commands", 501, "", ReasonTLSMismatch},
		{"no TLS hello", "SMTP>> 501 NULL characters are not allowed in SMTP commands", 501, "", ReasonSyntax},
		{"334 after XOAUTH2", "CLIENT -> SERVER: AUTH XOAUTH2 dXNlcj1h\nSERVER -> CLIENT: 334 bm90LWpzb24tYXQtYWxs\nSMTP ERROR: AUTH command failed: 334 bm90LWpzb24tYXQtYWxs", 334, "", ReasonAuthToken},
		{"334 after LOGIN", "CLIENT -> SERVER: AUTH LOGIN\nSERVER -> CLIENT: 334 VXNlcm5hbWU6", 334, "", ReasonContinue},
		{"port 25 timeout in a reply", "421 Cannot connect to SMTP server 192.0.2.8 (192.0.2.8:25), connect error 10060", 421, "", ReasonPortBlocked},
		{"port 587 refusal stays", "421 Cannot connect to SMTP server 192.0.2.8 (192.0.2.8:587), connection refused", 421, "", ReasonNetwork},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, e := explainPaste(t, tt.paste)
			code := p.Reply.Code
			if p.NoReply || p.CodeInferred {
				code = 0
			}
			if code != tt.code || p.Reply.Enhanced.String() != tt.enhanced || e.Reason != tt.reason {
				t.Errorf("got %d %q %s (%s), want %d %q %s; notes %q", code, p.Reply.Enhanced, e.Reason, e.Evidence,
					tt.code, tt.enhanced, tt.reason, p.Notes)
			}
		})
	}
}

// TestSixthPassProvider checks the provider markers added.
func TestSixthPassProvider(t *testing.T) {
	tests := []struct {
		name, paste, provider string
	}{
		{"host first in any reply", "500 mx.zohomail.com Syntax error, command unrecognized", ProviderZoho},
		{"org host first names none", "500 mx.example.org Syntax error", ""},
		{"client names the SMTP server", "Unable to connect SMTP server:smtp.gmail.com Reason:535 5.7.8 Bad credentials", ProviderGmail},
		{"EHLO reply names the server", "reply: b'250-mail.protonmail.ch\\r\\n'\nreply: b'250 8BITMIME\\r\\n'\nreply: retcode (553); Msg: b'5.7.1 <a@b.example>: Sender address rejected: not logged in'", ProviderProtonMail},
		{"exchange online attribution", "451 4.4.3 Temporary server error (ATTR18)", ProviderMicrosoft},
		{"attr in a word is none", "550 Invalid ATTRIBUTE in header", ""},
		{"exchange online 5.7.512", "5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant", ProviderMicrosoft},
		{"comcast code", "BL000001 Your IP is on the Comcast block list", ProviderComcast},
		{"gmail dns bounce", "DNS Error: 1234 DNS type 'mx' lookup of example.invalid responded with code NXDOMAIN", ProviderGmail},
		{"yahoo delivery error", "554 delivery error: Sorry, your message to a@b.example cannot be delivered. This account is over quota.", ProviderYahoo},
		{"ses iam", "554 Access denied: User `arn:aws:iam::1:user/x' is not authorized to perform `ses:SendRawEmail' on resource `arn:aws:ses:us-east-1:1:identity/example.org'", ProviderSES},
		{"ses suppression", "554 Message rejected: Address blacklisted.", ProviderSES},
		{"other blacklisted address is no ses", "550 5.7.1 IP address blacklisted by recipient", ""},
		{"postfix sasl temporary", "454 4.7.0 Temporary authentication failure: generic failure", ProviderPostfix},
		{"postfix bad recipient syntax", "501 5.1.3 Bad recipient address syntax", ProviderPostfix},
		{"qmail-queue failure", "451 qq trouble creating files in queue (#4.3.0)", ProviderQmail},
		{"QQ Mail is not qmail", "550 Mailbox not found or access denied by QQ Mail", ProviderQQ},
		{"exim default acl", "550 Restricted characters in address", ProviderExim},
		{"exim debug log", "14:09:54 30560 LOG: smtp_syntax_error MAIN\n14:09:54 30560 SMTP>> 501 NULL characters are not allowed", ProviderExim},
		{"haraka log", "[PROTOCOL] [core] S: 451 (BB3E0490.1)", ProviderHaraka},
		{"opensmtpd relay log", "relay: TempFail for da22: session=0000, relay=mx.example.org, stat=No MX found for domain", ProviderOpenSMTPD},
		{"zoho outgoing block", "Unable to connect SMTP server:smtpout.mail.zoho.com Reason:Authentication failed:554 5.1.8 Sender Address Blocked", ProviderZoho},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, e := explainPaste(t, tt.paste)
			if e.Provider.ID != tt.provider {
				t.Errorf("provider %q (%s), want %q", e.Provider.ID, e.ProviderFrom, tt.provider)
			}
		})
	}
}

// TestSixthPassProviderReasons checks providers' own phrases and codes.
func TestSixthPassProviderReasons(t *testing.T) {
	tests := []struct {
		name, paste string
		reason      Reason
	}{
		{"security defaults", "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy.", ReasonAuthDisabled},
		{"locked without security defaults", "535 5.7.139 Authentication unsuccessful, the user account is locked", ReasonAuthLocked},
		{"comcast BL is a block", "BL000000 Email from your mail server has been sent in patterns that are characteristic of spam.", ReasonBlocked},
		{"comcast RL is a rate", "RL000001 Too many messages from your IP", ReasonRateLimited},
		{"zoho sender blocked", "Unable to connect SMTP server:smtpout.mail.zoho.com Reason:554 5.1.8 Sender Address Blocked", ReasonAccountRestricted},
		{"other sender blocked", "554 5.7.1 Sender Address Blocked by local policy", ReasonBlocked},
		{"ses suppression", "554 Message rejected: Address blacklisted.", ReasonRecipientRejected},
		{"sasl-xoauth2", "postfix/smtp[1]: SASL authentication failed; cannot authenticate to server smtp.office365.com[192.0.2.1]: bad protocol\nsasl-xoauth2: auth failed:", ReasonAuthToken},
		{"sasl plain stays", "postfix/smtp[1]: SASL authentication failed; cannot authenticate to server smtp.office365.com[192.0.2.1]: authentication failure", ReasonAuthFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, e := explainPaste(t, tt.paste)
			if e.Reason != tt.reason {
				t.Errorf("reason %s (%s), want %s", e.Reason, e.Evidence, tt.reason)
			}
		})
	}
}
