package protocol

import (
	"strings"
	"testing"
)

// The seventh pass's classes (testdata/corpus/audit/ENGINE-NOTES.md,
// seventh pass), tested on lines written for the test, not the collected
// ones: each wording must be read wherever it appears.
func TestSeventhPassReason(t *testing.T) {
	tests := []struct {
		name, paste string
		reason      Reason
	}{
		// Greylisting names itself; "try again in" only leans towards a
		// throttle.
		{"greylisted with retry hint", "451 4.7.1 Greylisted for 300 seconds, try again in 5 minutes", ReasonGreylisted},
		{"greylisted in a Postfix log", "Mar 1 10:00:00 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from a[192.0.2.1]: 450 4.2.0 <b@example.org>: Recipient address rejected: greylisted, try again in 60s", ReasonGreylisted},
		{"throttle with retry hint", "421 4.7.0 Too many connections from your IP, try again in 10 minutes", ReasonRateLimited},
		// Unknown users.
		{"not a known user", "550 alice is not a known user here", ReasonRecipientUnknown},
		{"no mailbox available", "550 *** No mailbox available for this address ***", ReasonRecipientUnknown},
		// Full mailboxes in other words, and wrapped across lines.
		{"mail folder full", "552 The user's mail folder is full", ReasonMailboxFull},
		{"exceeding quota", "452 Recipient is exceeding their quota, try later", ReasonMailboxFull},
		{"wrapped no-code bounce", "<bob@example.org>: delivery failed. The recipient\n    mailbox has exceeded its disk space\n    limit.", ReasonMailboxFull},
		// Spam by volume or content; spam block lists.
		{"bulk mail", "550 5.7.1 Bulk email is not accepted here", ReasonSpam},
		{"mass mailer", "554 Rejected: message sent by a mass mailer", ReasonSpam},
		{"spam pattern", "550 Message matched a spam pattern", ReasonSpam},
		{"spam list", "550 Your IP is on our spam list", ReasonBlocked},
		{"black listed", "554 Your address is black listed", ReasonBlocked},
		{"badmailfrom", "553 sender in badmailfrom (#5.7.1)", ReasonBlocked},
		{"deny file", "554 Sender listed in the site deny file", ReasonBlocked},
		// Loops and broken local delivery.
		{"looping", "554 5.4.6 Message is looping between servers", ReasonServerError},
		{"forwarding loop", "554 forwarding loop detected for bob", ReasonServerError},
		{"command died", "Command died with signal 9: \"/usr/bin/maildrop\"", ReasonServerError},
		// Queues that gave up, sizes said the long way.
		{"message timed out", "Delivery failed: message timed out in the queue", ReasonExpired},
		{"longer than maximum", "552 Your message is longer than the maximum this server accepts", ReasonTooBig},
		{"NUL in content", "554 5.6.0 NUL characters are not allowed in messages", ReasonContent},
		{"NUL in a command", "501 NUL characters are not allowed in SMTP commands", ReasonSyntax},
		// Accounts, relays, mechanisms.
		{"sending quota per period", "452 4.2.2 Sending quota for the current period is used up", ReasonSendingQuota},
		{"relay service off", "535 5.7.8 SMTP submission is not enabled for this account", ReasonAuthDisabled},
		{"remote domains", "550 relaying to remote domains not supported", ReasonRelayDenied},
		{"no compatible mechanism", "MailKit.Security.AuthenticationException: No compatible authentication mechanisms", ReasonAuthMechanism},
		{"mail exchanger", "host mx.example.org[192.0.2.9]: connection to mail exchanger failed", ReasonNetwork},
		// Server logs' own words.
		{"no host name for IP", "2024-01-02 03:04:05 no host name found for IP address 203.0.113.8", ReasonReverseDNS},
		{"auth errors in a row", "Blocking 203.0.113.9 - too many AUTH errors (5);", ReasonAuthLocked},
		{"bad base64", "535 5.7.8 Error: authentication failed: Invalid base64 data in initial response", ReasonSyntax},
		{"forged client name", "AUTH failure (PLAIN): authentication failure (-13), relay=x.example [203.0.113.4] (may be forged)", ReasonAuthFailed},
		{"map lookup", "warning: 1A2B3C: recipient_canonical_maps map lookup problem -- message not accepted, try again later", ReasonServerError},
		// A rule for one recipient is not an account that may not send.
		{"not allowed to send to", "550 You are not allowed to send mail to <x@example.org>", ReasonRecipientRejected},
		{"not allowed to send stays", "550 5.7.1 This account is not allowed to send", ReasonAccountRestricted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, e := explainPaste(t, tt.paste)
			if e.Reason != tt.reason {
				t.Errorf("%q: reason %s (%s), want %s", tt.paste, e.Reason, e.Evidence, tt.reason)
			}
		})
	}
}

// Who wrote a failure no server replied to: the MTA's own fixed texts and
// log formats, unless the line names the server it tried.
func TestSeventhPassProvider(t *testing.T) {
	tests := []struct {
		name, paste, provider string
	}{
		{"Postfix alias expansion", "<jo@example.net> (expanded from <sales@example.org>): unknown user: \"jo\"", ProviderPostfix},
		{"Postfix pipe output", "<a@example.org>: Command died with status 75: \"/usr/bin/dovecot-lda\". Command output: lda: Error: quota exceeded", ProviderPostfix},
		{"Postfix size limit", "<a@example.org>: message size 30000000 exceeds size limit 10240000 of server mx.example.org[192.0.2.1]", ProviderPostfix},
		{"Exim own delivery log", "2024-05-02 08:11:09 1s2aBc-000Xyz-7Q ** bob@example.org R=localuser: mailbox is full", ProviderExim},
		{"Exim log naming a host", "2024-05-02 08:11:09 1s2aBc-000Xyz-7Q == bob@example.org R=dnslookup T=remote_smtp defer (111): Connection refused H=mx.example.org [192.0.2.4]", ""},
		{"Exim size bounce", "A message that you sent was longer than the maximum size allowed on this system.", ProviderExim},
		{"Haraka 354", "354 go ahead, make my day", ProviderHaraka},
		// Server logs quoted without their syslog tag.
		{"postscreen", "PREGREET 11 after 0.2 from [198.51.100.3]:4711: HELO x", ProviderPostfix},
		{"smtpd timeout", "timeout after EHLO from unknown[203.0.113.5]", ProviderPostfix},
		{"postfix parameter", "warning: smtpd_sender_restrictions lookup failure", ProviderPostfix},
		{"exim smtp call", "2024-01-02 03:04:05 SMTP call from [203.0.113.7] dropped: too many unrecognized commands", ProviderExim},
		{"exim no host name", "2024-01-02 03:04:05 no host name found for IP address 203.0.113.8", ProviderExim},
		{"qmail-smtpd log", "qmail-smtpd: 553 sorry, that domain isn't in my list of allowed rcpthosts", ProviderQmail},
		{"1and1 host", "554 mx.1and1.com rejected: IP listed", ProviderIONOS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, e := explainPaste(t, tt.paste)
			if e.Provider.ID != tt.provider {
				t.Errorf("%q: provider %q (%s), want %q", tt.paste, e.Provider.ID, e.ProviderFrom, tt.provider)
			}
		})
	}
}

// A goodbye has no next command to carry on with.
func TestClosingReplyEndsTheSession(t *testing.T) {
	e := Explain(mustExplainReply(t, "221 2.0.0 Bye"), ExplainContext{Command: VerbQUIT})
	if len(e.Actions) == 0 || !strings.Contains(e.Actions[0], "session is over") {
		t.Errorf("221 actions %q", e.Actions)
	}
}
