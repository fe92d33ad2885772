package protocol

import "testing"

// explainPaste explains a paste as `smtpscope explain` does.
func explainPaste(t *testing.T, paste string) (Pasted, Explanation) {
	t.Helper()
	p, err := ParsePastedInput(paste)
	if err != nil {
		t.Fatalf("%q: %v", paste, err)
	}
	return p, ExplainPasted(p, ExplainContext{Command: p.Command, Host: p.Host})
}

// TestReadingRulesProvider checks the re-audit's reading rules for who sent
// a reply (testdata/corpus/LABELING.md, "Decisions after the re-audit"), on
// lines written for the test.
func TestReadingRulesProvider(t *testing.T) {
	tests := []struct {
		name, paste, provider string
	}{
		// No server replied: the server named, else the software's fixed text.
		{"named server", "SASL authentication failed; cannot authenticate to server smtp.office365.com[52.1.2.3]: timeout", ProviderMicrosoft},
		{"named organisation server", "Deferred: Connection refused by mx.example.org.", ""},
		{"named by address", "postfix/smtp[1]: connect to 192.0.2.1[192.0.2.1]:25: Connection refused", ""},
		{"mailbox domain is no server", "Sorry, I couldn't find any host named yahoo.example. (#5.1.2) for <bob@yahoo.com>", ProviderQmail},
		{"qmail no MX", "<a@example.net>:\nSorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", ProviderQmail},
		{"postfix name service", "<a@example.com>: Name service error for name=example.com type=MX: Host not found, try again", ProviderPostfix},
		{"opensmtpd", "Network error on destination MXs", ProviderOpenSMTPD},
		{"qmail no connection", "<a@example.net>:\nSorry, I wasn't able to establish an SMTP connection. (#4.4.1)", ProviderQmail},
		{"postfix name service wrapped", "<a@example.net>: Host or domain name not found. Name service error\n    for name=example.net type=A: Host not found", ProviderPostfix},
		{"exim retry", "== a@example.net R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host", ProviderExim},
		{"sendmail queue text", "Message could not be delivered for too long\nMessage will be deleted from queue", ProviderSendmail},
		{"queue text after a reply is the wrapper", "451 4.3.0 Temporary lookup failure\nWarning: message still undelivered after 4 hours\nWill keep trying until message is 5 days old", ""},
		{"cpanel exim quota", "Domain example.org has exceeded the max emails per hour (120/100 (120%)) allowed.  Message discarded.", ProviderExim},
		{"library function is no software", "Connection unsuccessful: SendMail: tls: first record does not look like a TLS handshake", ""},
		{"server's own log names the client", "Jun  1 10:00:00 mx postfix/smtpd[12]: too many errors after DATA from client.example.net[192.0.2.9]", ProviderPostfix},
		// Host names.
		{"akamai name of a provider", "SMTP error from remote mail server after RCPT TO:<a@b.example>:\n    host mx1.me.com.akadns.net [192.0.2.17]: 550 5.1.1 no such user", ProviderICloud},
		{"akamai name of another", "host mx.example.org.akadns.net[192.0.2.17] said: 550 5.1.1 no such user (in reply to RCPT TO command)", ""},
		{"appliance host name", "host ironport2.example.edu[192.0.2.5] said: 554 go away (in reply to MAIL FROM command)", ProviderIronPort},
		{"organisation host name", "host mailgw.example.gov.in[192.0.2.5] said: 550 Address rejected (in reply to RCPT TO command)", ""},
		// Outlook.com's and Exchange Online's own formats.
		{"outlook S code", "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3140)", ProviderMicrosoft},
		{"outlook long S code", "550 Requested action not taken: mailbox unavailable (S2017062302).", ProviderMicrosoft},
		{"outlook OU code", "550 OU-001 (SNT0-MC1-F21) Unfortunately, messages from 192.0.2.1 weren't sent.", ProviderMicrosoft},
		{"bad outbound sender", "Remote Server returned '550 5.1.8 Access denied, bad outbound sender'", ProviderMicrosoft},
		{"exchangelabs host", "550 5.1.10 RESOLVER.ADR.RecipientNotFound [BN1NAM02FT003.eop-nam02.prod.exchangelabs.com]", ProviderMicrosoft},
		{"not an S code", "550 5.1.1 user unknown (Sorry)", ""},
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

// TestReadingRulesReason checks the re-audit's reason readings on lines
// written for the test.
func TestReadingRulesReason(t *testing.T) {
	tests := []struct {
		name, paste string
		reason      Reason
	}{
		{"recipients domain quota", "550 5.4.7 <a@example.org>: Recipient address rejected: Recipients Domain Daily Quota Exceeded", ReasonRateLimited},
		{"account hourly quota", "550 5.7.1 Hourly quota exceeded for this account", ReasonSendingQuota},
		{"throttle caused by DMARC", "421 4.7.32 Your mail has been rate limited because there is no DMARC alignment", ReasonSenderAuth},
		{"throttle caused by SPF", "451 4.7.1 Throttled due to SPF failure of the sending domain", ReasonSenderAuth},
		{"throttle of unauthenticated mail", "421 4.7.28 This message has been rate limited because it is unauthenticated.", ReasonSenderAuth},
		{"throttle with no cause", "421 4.7.0 Rate limit exceeded, try again in 10 minutes", ReasonRateLimited},
		{"reputation throttle", "554 5.2.0 IP reputation ratelimit in effect", ReasonRateLimited},
		{"starttls not advertised", "503 STARTTLS command used when not advertised", ReasonTLSUnavailable},
		{"recipient temporarily unavailable", "450 4.2.0 <a@example.net> - Recipient temporarily unavailable", ReasonServiceUnavailable},
		{"qmail no MX", "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", ReasonHostUnknown},
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

// TestReadingRulesWrappers checks that an MTA's bounce wrapper is not read
// as the reply: its own lines, status codes and wording are left out.
func TestReadingRulesWrappers(t *testing.T) {
	tests := []struct {
		name, paste string
		code        int
		enhanced    string
		reason      Reason
		provider    string
	}{
		{"qmail trailing status", "<a@example.org>:\nremote host 192.0.2.7 said: 550 No such user here\n. (#5.5.0)",
			550, "", ReasonRecipientUnknown, ""},
		{"qmail trailing lines", "<a@example.org>:\n192.0.2.7 failed after I sent the message.\nRemote host said: 552 sorry, that message size exceeds my databytes limit\nGiving up on 192.0.2.7.\nI'm not going to try again; this message has been in the queue too long.",
			552, "", ReasonTooBig, ""},
		{"qmail multi-line reply", "Remote host said: 550-5.7.26 Unauthenticated email is not accepted\n550 5.7.26 DMARC policy. - gsmtp\nGiving up on 192.0.2.7.",
			550, "5.7.26", ReasonSenderAuth, ProviderGmail},
		{"qmail's own reply stays qmail", "550 sorry, no mailbox here by that name. (#5.1.1)", 550, "5.1.1", ReasonRecipientUnknown, ProviderQmail},
		{"sendmail first MX only tried", "... while talking to mx1.example.com.:\n<<< 421 closing, try later\n... while talking to mx2.example.com.:\n>>> RCPT To:<a@example.com>\n<<< 550 no such user\n550 5.1.1 <a@example.com>... User unknown",
			550, "", ReasonRecipientUnknown, ""},
		{"sendmail own status lines", "... while talking to mail.example.net.:\n>>> DATA\n<<< 554 message refused by policy\n554 5.0.0 Service unavailable",
			554, "", ReasonPolicy, ""},
		{"sendmail remote's other replies name it", "... while talking to mx.example.net.:\n>>> DATA\n<<< 550 no such user\n550 5.1.1 <a@example.net>... User unknown\n<<< 503 Valid RCPT command must precede DATA",
			550, "", ReasonRecipientUnknown, ProviderExim},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, e := explainPaste(t, tt.paste)
			if p.Reply.Code != tt.code || p.Reply.Enhanced.String() != tt.enhanced {
				t.Errorf("reply %d %q, want %d %q", p.Reply.Code, p.Reply.Enhanced.String(), tt.code, tt.enhanced)
			}
			if e.Reason != tt.reason || e.Provider.ID != tt.provider {
				t.Errorf("reason %s (%s), provider %q (%s); want %s, %q", e.Reason, e.Evidence, e.Provider.ID, e.ProviderFrom, tt.reason, tt.provider)
			}
		})
	}
}

// TestReadingRulesWordlessCode checks that a code a library printed with
// no words (lettre's structs) names no reason, while one with words does.
func TestReadingRulesWordlessCode(t *testing.T) {
	const wordless = "Error { kind: Permanent(Code { severity: PermanentNegativeCompletion, category: Unspecified3, detail: Five }) }"
	p, e := explainPaste(t, wordless)
	if p.Reply.Code != 535 || e.Reason != ReasonUnknown {
		t.Errorf("wordless lettre code: %d %s, want 535 unknown", p.Reply.Code, e.Reason)
	}
	const worded = `Error { kind: Permanent(Code { severity: PermanentNegativeCompletion, category: Unspecified3, detail: Five }), message: ["5.7.8 Username and Password not accepted"] }`
	if _, e := explainPaste(t, worded); e.Reason != ReasonAuthFailed {
		t.Errorf("lettre code with words: %s, want auth-failed", e.Reason)
	}
	if _, e := explainPaste(t, "535"); e.Reason != ReasonAuthFailed {
		t.Errorf("a bare 535 typed by the user: %s, want auth-failed from the code", e.Reason)
	}
}

// TestReadingRulesExtensionNotOffered checks AUTH and STARTTLS refused as
// unknown: AUTH refused before a STARTTLS the server offers is
// tls-required; without STARTTLS on offer, or inside TLS, auth-disabled.
func TestReadingRulesExtensionNotOffered(t *testing.T) {
	tests := []struct {
		name, paste string
		reason      Reason
	}{
		{"auth before offered starttls", "S: 220 mx.example.org ESMTP\nC: EHLO me\nS: 250-mx.example.org\nS: 250-PIPELINING\nS: 250 STARTTLS\nC: AUTH LOGIN\nS: 503 5.5.1 AUTH command used when not advertised", ReasonTLSRequired},
		{"auth with no starttls", "S: 220 mx.example.org ESMTP\nC: EHLO me\nS: 250-mx.example.org\nS: 250-PIPELINING\nS: 250 8BITMIME\nC: AUTH LOGIN\nS: 503 5.5.1 AUTH command used when not advertised", ReasonAuthDisabled},
		{"auth inside tls", "S: 250-mx.example.org\nS: 250 STARTTLS\nC: STARTTLS\nS: 220 2.0.0 Ready to start TLS\nC: AUTH LOGIN\nS: 503 5.5.1 AUTH command used when not advertised", ReasonAuthDisabled},
		{"credentials refused before tls", "S: 250-mx.example.org\nS: 250-AUTH PLAIN\nS: 250 STARTTLS\nC: AUTH PLAIN AGJvYgBwdw==\nS: 535 5.7.8 authentication failed", ReasonAuthFailed},
		{"starttls not implemented", "C: STARTTLS\nS: 502 5.5.1 Error: command not implemented", ReasonTLSUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, e := explainPaste(t, tt.paste); e.Reason != tt.reason {
				t.Errorf("reason %s (%s), want %s", e.Reason, e.Evidence, tt.reason)
			}
		})
	}
}
