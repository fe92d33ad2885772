package protocol

import "testing"

// TestFifthPassProvider checks the fifth pass's rules for who sent a reply
// (docs/explain.md, "Where the provider comes from"), on lines written for
// the test: each rule with lines it must name and lines it must not.
func TestFifthPassProvider(t *testing.T) {
	tests := []struct {
		name, paste, provider string
	}{
		// A domain inside a mail address or a message id names its owner,
		// not the server that replied.
		{"SES address is the sender's", "550 5.7.1 <0100018f-aaaa@email-bounces.amazonses.com>... Access denied", ProviderSendmail},
		{"SES client host", "554 5.7.1 <a1-2.smtp-out.amazonses.com[192.0.2.7]>: Client host rejected: blocked using bl.example.org", ProviderPostfix},
		{"message id of a sending service", "REASON: 550 5.1.0 Recipient rejected: <bob@example.org>\nSMTP-ID: <abc@ismtpd0001p1lon1.sendgrid.net>", ""},
		{"SES host still names SES", "host email-smtp.us-east-1.amazonaws.com[192.0.2.1] said: 554 Message rejected: Email address is not verified.", ProviderSES},
		{"SES API namespace", "Throttling: Maximum sending rate exceeded. <ErrorResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">", ProviderSES},
		// Templates whose capitals the software fixes.
		{"postfix template", "550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table", ProviderPostfix},
		{"lowercase is another server's", "540 5.7.1 <bob@example.ru>: recipient address rejected: Inactive", ""},
		{"postfix relay", "454 4.7.1 <bob@example.org>: Relay access denied", ProviderPostfix},
		{"lowercase relay text", "550 relay access denied - please authenticate", ""},
		// Formats of the code.
		{"ironport hash code", "550 #5.1.0 Address rejected.", ProviderIronPort},
		{"hash code without the template", "452 #4.5.3 Too many recipients.", ""},
		{"qmail code without a basic code", "Exception: sorry, too many recipients (#5.7.1)", ProviderQmail},
		{"qmail rcpthosts", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", ProviderQmail},
		{"sendmail bare address", "550 alice@example.org... No such user here", ProviderSendmail},
		{"sendmail bracketed address", "550 5.1.1 <alice@example.org>... User unknown", ProviderSendmail},
		{"ellipsis in prose", "550 Mail refused... try again", ""},
		{"a short AS number is no Microsoft code", "550 5.7.1 Blocked: network (AS3130) is listed", ""},
		{"microsoft long AS code", "451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (AS843) (AS12345678)", ProviderMicrosoft},
		// Log formats that show the software writing them.
		{"sendmail reject field", "sm-mta[12]: x: ruleset=check_mail, arg1=<a@b.example>, relay=client.example.net [192.0.2.4], reject=553 5.1.8 <a@b.example>... Domain of sender address a@b.example does not exist", ProviderSendmail},
		{"opensmtpd failed-command", "4f2a smtp failed-command command=\"RCPT TO:<a@b.example>\" result=\"550 Invalid recipient\"", ProviderOpenSMTPD},
		// Exchange's generic wording refined by Exchange Online's code in
		// the reply that quotes it; a code Exchange on-premises also sends
		// does not refine it.
		{"quoting reply refines", "The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.3 Authentication unsuccessful", ProviderMicrosoft},
		{"5.7.60 is also on-premises", "550 5.7.60 SMTP; Client does not have permissions to send as this sender", ProviderExchange},
		{"5.7.129 is Exchange Online's", "550 5.7.129 Your message couldn't be delivered to the recipient because you don't have permission to send to it.", ProviderMicrosoft},
		{"transport rules", "550 5.7.1 TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy", ProviderExchange},
		// Services' documented texts.
		{"gmail rate limited because", "421 4.7.28 This mail has been rate limited because it is unauthenticated.", ProviderGmail},
		{"gmail receiving too quickly", "450 4.2.1 The user you are trying to contact is receiving mail too quickly.", ProviderGmail},
		{"yahoo account template", "554 delivery error: This user doesn't have a yahoo.co.uk account", ProviderYahoo},
		{"yahoo deferral code", "451 Resources temporarily unavailable. Please try again later [#4.16.1].", ProviderYahoo},
		{"qq names itself", "550 Sender frequency limited\n出错原因:该发件人的发信频率超过QQ邮箱限制。", ProviderQQ},
		{"alimail bilingual", "541 This account isn't allowed to send email 发件人不允许发送邮件", ProviderAliyun},
		{"alimail greeting", "[220] 'smtp.example-inc.com MX AliMail Server'\n> MAIL FROM:<a@b.example>\n[503] 'Bad sequence of commands'", ProviderAliyun},
		{"shared wording is no marker", "553 Mail from must equal authorized user", ""},
		{"proofpoint reputation", "550 5.7.1 Service unavailable; client [192.0.2.9] blocked using prs.proofpoint.com", ProviderProofpoint},
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

// TestFifthPassShapes checks the paste shapes the fifth pass reads.
func TestFifthPassShapes(t *testing.T) {
	tests := []struct {
		name, paste string
		code        int
		text        string
	}{
		{"roundcube recipient", `SMTP Error (550): Failed to add recipient "bob@example.org" (No such user here).`, 550, "No such user here"},
		{"roundcube sender", `SMTP Error (553): Failed to set sender "a@example.org" (Sender address rejected: not owned by user).`, 553, "Sender address rejected: not owned by user"},
		{"roundcube without words", `SMTP Error (451): Failed to add recipient "bob@example.org".`, 451, `Failed to add recipient "bob@example.org".`},
		{"code closing its text", `message sending failed: Ratelimit exceeded (451)`, 451, "message sending failed: Ratelimit exceeded"},
		{"smtplib debug", "send: 'AUTH PLAIN x'\nreply: retcode (535); Msg: b'5.7.8 Username and Password not accepted.'", 535, "Username and Password not accepted."},
		{"long arrow transcript", "--> RCPT TO:<a@b.example>\n<-- 451 4.7.1 Greylisted, come back later", 451, "Greylisted, come back later"},
		{"double arrow transcript", "==> DATA\n<== 554 5.7.1 Message refused", 554, "Message refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := explainPaste(t, tt.paste)
			if p.Reply.Code != tt.code || p.Reply.OneLine() != tt.text {
				t.Errorf("read %d %q, want %d %q", p.Reply.Code, p.Reply.OneLine(), tt.code, tt.text)
			}
		})
	}
}

// TestFifthPassReason checks the fifth pass's reason rules (docs/explain.md,
// "How a reason is decided") on lines written for the test: each class with
// lines it must read and lines it must leave to another reason.
func TestFifthPassReason(t *testing.T) {
	tests := []struct {
		name, paste string
		reason      Reason
	}{
		// Words that only restate the class name no reason.
		{"temporary failure alone", "451 Temporary failure", ReasonUnknown},
		{"temporary failure, try later", "421 Temporary failure, please try again later.", ReasonServiceUnavailable},
		{"temporary failure with a cause", "451 4.2.2 Temporary failure: mailbox full", ReasonMailboxFull},
		{"temporarily rejected", "451 Mail server temporarily rejected message.", ReasonUnknown},
		{"temporary failure without a code", "<bob@example.net>: temporary failure", ReasonUnknown},
		{"name resolution is still network", "connect failed: Temporary failure in name resolution", ReasonNetwork},
		// Basic codes servers reuse for anything name nothing alone.
		{"bare 451", "451 (queue id 1A2B)", ReasonUnknown},
		{"bare 551", "551 5.3.0 Unknown error", ReasonUnknown},
		{"551 with a forward path", "551 User not local; please try <bob@example.org>", ReasonMailboxMoved},
		{"backend load failure", "451 Could not load routing table for domain example.org", ReasonServerError},
		// Protocol errors are written wrongly; early talkers are out of order.
		{"protocol violation", "451 4.5.0 SMTP protocol violation, see RFC 2821.", ReasonSyntax},
		{"protocol error", "550 5.5.1 Protocol error", ReasonSyntax},
		{"pipelining is sequence", "454 4.5.0 SMTP protocol violation, no commands allowed to pipeline after STARTTLS", ReasonSequence},
		{"before the greeting", "554 5.5.1 Command received before SMTP greeting", ReasonSequence},
		// A client that is an open relay is blocked; a server that relays
		// for nobody denies the relay.
		{"insecure relay", "550 Insecure Mail Relay", ReasonBlocked},
		{"open relay client", "501 no access from mail server [192.0.2.55] which is an open relay", ReasonBlocked},
		{"open relay not allowed", "451 Open relay not allowed", ReasonRelayDenied},
		// The account's sending, and a destination it may not write to.
		{"sending suspended", "554 Message rejected: Sending suspended for this account.", ReasonAccountRestricted},
		{"sending paused", "MessageRejected: Sending paused for this account.", ReasonAccountRestricted},
		{"mailbox suspended", "550 5.2.1 Mailbox suspended", ReasonMailboxDisabled},
		{"not allowed to send to", "550 5.7.2 not allowed to send to destination example.org", ReasonPolicy},
		{"not allowed to send", "550 5.7.1 This account is not allowed to send", ReasonAccountRestricted},
		{"isn't allowed to receive", "542 This account isn't allowed to receive email", ReasonMailboxDisabled},
		// A provider's private code beats the shared vocabulary, also in a throttle.
		{"netease throttle code", "451 MI:SFQ 发信人在15分钟内的发信数量超过限制", ReasonRateLimited},
		{"microsoft accept list", "550 5.7.129 Your message couldn't be delivered because you don't have permission to send to it.", ReasonRecipientRejected},
		{"qq authorization code page", "535 Error: ??ʹ????Ȩ???¼: http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=28&&no=1001256", ReasonAuthAppPassword},
		// A server that replied was reached.
		{"disconnected after a refusal", "535 5.7.1 http://support.example.org/answer?id=14257\nDisconnected.", ReasonAuthFailed},
		{"421 timeout stays", "421 Timeout waiting for data from client.", ReasonNetwork},
		{"server's own socket error", "550 connect ECONNREFUSED 192.0.2.1:443 - upstream", ReasonServerError},
		{"client's socket error", "Error: connect ECONNREFUSED 192.0.2.1:587", ReasonNetwork},
		// A success the text says was thrown away.
		{"discarded virus", "250 2.7.0 Ok, discarded, id=00675-01 - INFECTED: Eicar-Test-Signature", ReasonVirus},
		{"plain success", "250 2.0.0 Ok: queued as 4BC1A2, spam score 0.1", ReasonAccepted},
		// Failures without a reply.
		{"javamail tls", "jakarta.mail.MessagingException: Could not convert socket to TLS", ReasonTLSUnavailable},
		{"starttls not offered", "The SMTP server does not support the STARTTLS extension.", ReasonTLSUnavailable},
		{"erlang auth tuple", `{error,no_more_hosts,{permanent_failure,"mail.example.org",auth_failed}}`, ReasonAuthFailed},
		{"timeout setting is no timeout", "MailConnectException: Couldn't connect to host, port: mail.example.org, 25; timeout -1", ReasonNetwork},
		{"port 25 timeout", "connect to mx.example.org[192.0.2.1]:25: Connection timed out", ReasonPortBlocked},
		{"port 25 timeout in a DSN", "Action: failed\nStatus: 4.4.1\nDiagnostic-Code: X-Postfix; connect to mx1.example.org[192.0.2.1]:25:\n    Operation timed out", ReasonPortBlocked},
		{"refusal in a DSN", "Action: failed\nStatus: 4.4.1\nDiagnostic-Code: X-Postfix; connect to mx1.example.org[192.0.2.1]:25:\n    Connection refused", ReasonNetwork},
		{"gmail DMARC alignment code", "421 4.7.32 Your email has been rate limited because the From: header isn't aligned. - gsmtp", ReasonSenderAuth},
		{"gmail unusual rate", "421 4.7.28 Our system has detected an unusual rate of unsolicited mail. - gsmtp", ReasonRateLimited},
		{"port 25 closed in chinese", "不支持本机25端口解封，请使用465端口", ReasonPortBlocked},
		{"french full mailbox", "La boîte aux lettres du destinataire est pleine et ne peut pas accepter de messages.", ReasonMailboxFull},
		// Alibaba Mail's documented account replies.
		{"alimail non-local sender", `501 "MAIL FROM" is non-local account 发件人邮箱不是本系统账号`, ReasonSenderDenied},
		{"alimail local sender without login", "502 Mailfrom account is a local account", ReasonAuthRequired},
		{"alimail unknown recipient", "503 Rcptto account isn't a local account", ReasonRecipientUnknown},
		{"alimail sending refused", "541 This account isn't allowed to send email 发件人不允许发送邮件", ReasonAccountRestricted},
		// A wrapped reply line that starts with "Helo" is the reply's text.
		{"wrapped helo text", "RCPT TO: <> Received 504 <mx>:\n    Helo command rejected: need fully-qualified hostname", ReasonReverseDNS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, e := explainPaste(t, tt.paste)
			if e.Reason != tt.reason {
				t.Errorf("reason %q (%s), want %q", e.Reason, e.Evidence, tt.reason)
			}
		})
	}
}
