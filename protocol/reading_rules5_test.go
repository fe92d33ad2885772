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
