package protocol

import "testing"

// TestSharedVocabularyReadings checks readings of the shared vocabulary
// on replies written for the test (not corpus lines): each phrase class
// on more than one wording, and lines it must not take over.
func TestSharedVocabularyReadings(t *testing.T) {
	tests := []struct {
		reply, host, command string
		reason               Reason
	}{
		// RFC 5321's own 550 text alone is an unknown recipient; with
		// more said, the rest decides.
		{"550 Requested action not taken: mailbox unavailable", "", "", ReasonRecipientUnknown},
		{"550 5.1.1 Requested action not taken: mailbox unavailable", "", "", ReasonRecipientUnknown},
		{"550 Requested action not taken: mailbox unavailable. Message rejected due to policy restrictions", "", "", ReasonPolicy},
		// Sending from a dynamic or dial-up address.
		{"550 5.7.1 Please use the SMTP server of your ISP", "", VerbMAIL, ReasonBlocked},
		{"554 Dynamic IP addresses not allowed, use your provider's relay", "", "", ReasonBlocked},
		{"550 Mail from dial-up hosts refused", "", "", ReasonBlocked},
		// Excessive volume is a rate.
		{"421 4.7.0 Deferred due to excessive volume from your IP", "", "", ReasonRateLimited},
		{"450 4.7.1 Excessive mail from this sender, slow down", "", "", ReasonRateLimited},
		// A recipient refused in words holding another reason's hint.
		{"550 5.7.1 Recipient prohibited by the administrator", "", "", ReasonRecipientRejected},
		{"450 4.2.0 <a@example.net> Recipient temporarily unavailable", "", "", ReasonServiceUnavailable}, // a bare temporary refusal (LABELING.md; RELABEL-2.md providers:269)
		{"554 Delivery not allowed to <a@example.net>", "", "", ReasonRecipientRejected},
		// The SPF checkers' wording, and Sender ID's PRA.
		{"550 Rejected: 192.0.2.1 is not allowed to send mail from example.org", "", "", ReasonSenderAuth},
		{"550 5.7.1 Unable to find the purported responsible address of this message", "", "", ReasonContent},
		// Other languages servers answer in.
		{"550 5.1.1 Benutzer existiert nicht", "", "", ReasonRecipientUnknown},
		{"552 Quota dépassé pour ce destinataire", "", "", ReasonMailboxFull},
		{"550 El usuario no existe", "", "", ReasonRecipientUnknown},
		{"552 Caixa postal cheia", "", "", ReasonMailboxFull},
		{"550 Пользователь не найден", "", "", ReasonRecipientUnknown},
		{"552 Почтовый ящик переполнен", "", "", ReasonMailboxFull},
		{"550 宛先不明のため配信できません", "", "", ReasonRecipientUnknown},
		{"535 認証に失敗しました", "", "", ReasonAuthFailed},
		// Outlook.com's outbound-spam verdicts.
		{"554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; WASCL UserAction verdict is not None. Actual verdict is RefuseQuota. [Hostname=AB1PR01MB0001.eurprd01.prod.outlook.com]", "", "", ReasonSendingQuota},
		{"554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; Actual verdict is HipNotify. [Hostname=AB1PR01MB0001.eurprd01.prod.outlook.com]", "", "", ReasonAccountRestricted},
	}
	for _, tt := range tests {
		p, err := ParsePastedInput(tt.reply)
		if err != nil {
			t.Errorf("%q: %v", tt.reply, err)
			continue
		}
		e := ExplainPasted(p, ExplainContext{Host: tt.host, Command: tt.command})
		if e.Reason != tt.reason {
			t.Errorf("%q: reason %s (%s), want %s", tt.reply, e.Reason, e.Evidence, tt.reason)
		}
	}
}

// TestServiceProviders checks the services named by their hosts, help
// URLs, banners and fixed texts, on lines written for the test.
func TestServiceProviders(t *testing.T) {
	tests := []struct{ paste, want string }{
		{"554 resimta-po-01v.sys.comcast.net comcast 192.0.2.9 Comcast block for spam. Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000001", ProviderComcast},
		{"host mx2.comcast.net [192.0.2.9] SMTP error from remote mail server after RCPT TO:<a@comcast.net>: 550 5.1.1 Not our Customer", ProviderComcast},
		{"<a@b.example>: host mx2.forwardemail.net[192.0.2.7] said: 550 5.1.1 Recipient rejected (in reply to RCPT TO command)", ProviderForwardEmail},
		{"to=<a@b.de>, relay=mx00.kundenserver.de[192.0.2.4]:25, status=bounced (host mx00.kundenserver.de[192.0.2.4] said: 550 Requested action not taken: mailbox unavailable (in reply to RCPT TO command))", ProviderIONOS},
		{"550 5.7.1 Recipient rejected by ZEROSPAM policy, greylisted for 300 seconds by ZEROSPAM", ProviderZeroSpam},
		{"S: 220 gw.example.org ESMTP Sophos Email Appliance v4.5\nC: MAIL FROM:<a@b.example>\nS: 550 5.7.1 Sender rejected", ProviderSophos},
		{"220 box ESMTP Postal/AB12CD\nMAIL FROM:<a@b.example>\n530 Authentication required", ProviderPostal},
		{"451 Queuing declined or disabled, try later", ProviderHaraka},
		{"mx1.anonaddy.me\nRemote Server returned '550 5.1.1 <x@anonaddy.me>: Recipient address rejected: User unknown'", ProviderAnonAddy},
		// A mailbox at a service does not make it the sender.
		{"550 5.1.1 <someone@comcast.net>: Recipient address rejected: User unknown in virtual mailbox table", ProviderPostfix},
	}
	for _, tt := range tests {
		p, err := ParsePastedInput(tt.paste)
		if err != nil {
			t.Errorf("%.50q: %v", tt.paste, err)
			continue
		}
		if e := ExplainPasted(p, ExplainContext{Command: p.Command, Host: p.Host}); e.Provider.ID != tt.want {
			t.Errorf("%.60q: provider %q (%s), want %q", tt.paste, e.Provider.ID, e.ProviderFrom, tt.want)
		}
	}
}
