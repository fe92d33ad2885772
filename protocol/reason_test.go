package protocol

import (
	"strings"
	"testing"
)

func TestReasonVocabulary(t *testing.T) {
	seen := map[Reason]bool{}
	for _, info := range Reasons() {
		if seen[info.ID] {
			t.Errorf("%s listed twice", info.ID)
		}
		seen[info.ID] = true
		if info.Title == "" || info.Meaning == "" || info.Group == "" {
			t.Errorf("%s: incomplete %+v", info.ID, info)
		}
		if _, ok := reasonAdvice[info.ID]; !ok {
			t.Errorf("%s has no generic advice", info.ID)
		}
		if a := reasonAdvice[info.ID]; info.ID != ReasonUnknown && (a.summary == "" || len(a.steps) == 0) {
			t.Errorf("%s: generic advice lacks a summary or steps", info.ID)
		}
	}
	if len(seen) != 44 {
		t.Errorf("vocabulary has %d reasons, the issue fixes 44", len(seen))
	}
	for _, c := range allCues {
		if c.reason != "" {
			if _, ok := LookupReason(c.reason); !ok {
				t.Errorf("cue %q names %q, not in the vocabulary", c.phrase, c.reason)
			}
		}
	}
	for _, r := range playbookRules {
		if _, ok := LookupReason(r.reason); !ok {
			t.Errorf("playbook %q has reason %q", r.summary, r.reason)
		}
	}
}

// TestExplainClassFixes are the misreads the issue lists under "6.", each
// checked through a reply of the same class, not only the line.
func TestExplainClassFixes(t *testing.T) {
	tests := []struct {
		name, reply, host, command, mechanism string
		reason                                Reason
		want, never                           []string // fragments of the whole explanation
	}{
		{name: "SMTP AUTH disabled for the tenant", host: "smtp.office365.com", command: VerbAUTH,
			reply:  "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.",
			reason: ReasonAuthDisabled, want: []string{"Authenticated SMTP", "SmtpClientAuthenticationDisabled"}, never: []string{"credentials were wrong"}},
		{name: "basic authentication disabled, other wording", command: VerbAUTH,
			reply:  "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [PH7P220CA0132.NAMP220.PROD.OUTLOOK.COM]",
			reason: ReasonAuthDisabled, want: []string{"Authenticated SMTP"}},
		{name: "refused XOAUTH2 token", host: "smtp.gmail.com", command: VerbAUTH, mechanism: "XOAUTH2",
			reply:  "535-5.7.8 Username and Password not accepted.\r\n535 5.7.8 https://support.google.com/mail/?p=BadCredentials - gsmtp",
			reason: ReasonAuthToken, want: []string{"token"}, never: []string{"app password at", "16-character"}},
		{name: "too many errors is not overload", command: VerbDATA,
			reply:  "421 4.7.0 mail.example.org Error: too many errors",
			reason: ReasonTooManyErrors, never: []string{"overloaded", "reputation"}},
		{name: "too many errors, other wording",
			reply:  "421 4.7.0 Too many invalid commands, closing connection",
			reason: ReasonTooManyErrors, never: []string{"overloaded", "reputation"}},
		{name: "500 5.5.2 says one thing",
			reply:  "500 5.5.2 Error: command not recognized",
			reason: ReasonNotImplemented, never: []string{"recognised but written wrongly"}},
		{name: "452 over quota is the mailbox", command: VerbRCPT,
			reply:  "452 4.2.2 The email account that you tried to reach is over quota.",
			reason: ReasonMailboxFull, never: []string{"recipients in this transaction", "short of storage"}},
		{name: "mailbox full under a policy code",
			reply:  "554 5.7.1 <x@example.pl>: Recipient address rejected: Quota exceeded",
			reason: ReasonMailboxFull, want: []string{"full"}},
		{name: "no filler on a permanent failure",
			reply:  "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table",
			reason: ReasonRecipientUnknown, never: []string{"This is permanent"}},
		{name: "sandbox in an address or a server's words is no restricted account", command: VerbRCPT,
			reply:  "550 5.1.1 <bob@sandbox.example>: Recipient address rejected: User unknown",
			reason: ReasonRecipientUnknown},
		{name: "a test server calling itself a sandbox", command: VerbRCPT,
			reply:  "550 5.1.1 <x@example.org>: Recipient address rejected: the sandbox keeps mail only for @sandbox.test addresses",
			reason: ReasonRecipientUnknown},
		{name: "an account still in sandbox mode", command: VerbMAIL,
			reply:  "554 5.7.1 Your account is in sandbox mode: sending to unverified recipients is not allowed",
			reason: ReasonAccountRestricted},
		{name: "unauthenticated sender is not a typo", command: VerbMAIL,
			reply:  "550 5.7.1 Unauthenticated senders not allowed",
			reason: ReasonAuthRequired, never: []string{"typos"}},
		{name: "the receiver's own DNS resolver is refused", command: VerbRCPT,
			reply:  "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; Error: open resolver; https://check.spamhaus.org/returnc/pub/192.0.2.1/",
			reason: ReasonServerError, never: []string{"your IP is on"}},
		{name: "sender verification is not a block list",
			reply:  "550-Verification failed for <a@example.org>\r\n550 Sender verify failed",
			reason: ReasonSenderInvalid, never: []string{"block list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePastedInput(tt.reply)
			if err != nil {
				t.Fatal(err)
			}
			e := ExplainPasted(p, ExplainContext{Command: tt.command, Host: tt.host, Mechanism: tt.mechanism})
			if e.Reason != tt.reason {
				t.Errorf("reason %q (%s), want %q", e.Reason, e.Evidence, tt.reason)
			}
			all := strings.Join(append(append(append([]string{e.Summary}, e.Causes...), e.Actions...), e.Playbook...), "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("explanation lacks %q:\n%s", w, all)
				}
			}
			for _, n := range tt.never {
				if strings.Contains(all, n) {
					t.Errorf("explanation says %q:\n%s", n, all)
				}
			}
		})
	}
}

func TestExplainTextBeatsCodes(t *testing.T) {
	e := Explain(mustExplainReply(t, "550 5.1.2 Sender blocked: sending activity from your account looks like spam"), ExplainContext{})
	if e.Reason == ReasonHostUnknown || e.ReasonFrom != FromText {
		t.Errorf("reason %q from %q: the registry meaning of 5.1.2 overrode the text", e.Reason, e.ReasonFrom)
	}
	if e.Disagreement == "" || !strings.Contains(e.Disagreement, "5.1.2") {
		t.Errorf("the disagreement is not said: %q", e.Disagreement)
	}
	e = Explain(mustExplainReply(t, "550 5.7.1 Message rejected"), ExplainContext{Command: VerbRCPT})
	if e.ReasonFrom == FromText && e.Reason != ReasonRecipientRejected {
		t.Errorf("generic words named %q", e.Reason)
	}
}

func TestExplainBareCode(t *testing.T) {
	e := Explain(mustExplainReply(t, "550 nope"), ExplainContext{})
	if e.Reason != ReasonUnknown || len(e.Causes) != 0 {
		t.Errorf("bare 550: reason %q causes %q; want unknown and no invented causes", e.Reason, e.Causes)
	}
	if !strings.HasPrefix(e.Summary, "Only the code is known") || e.ServerText != "nope" {
		t.Errorf("summary %q server text %q", e.Summary, e.ServerText)
	}
	e = Explain(mustExplainReply(t, "550 nope"), ExplainContext{Command: VerbRCPT})
	if e.Reason != ReasonRecipientRejected || e.ReasonFrom != FromContext || len(e.Causes) != 0 {
		t.Errorf("550 after RCPT: %q from %q causes %q", e.Reason, e.ReasonFrom, e.Causes)
	}
}

func TestProviderFromTheSenderOnly(t *testing.T) {
	tests := []struct {
		name, paste, want string
	}{
		{"a client host name in a Postfix smtpd log is not the provider",
			"postfix/smtpd[4454]: NOQUEUE: reject: RCPT from mail-io1-f46.google.com[209.85.166.46]: 550 5.1.1 <t@example.com>: Recipient address rejected: User unknown in local recipient table; from=<a@gmail.com> to=<t@example.com> proto=ESMTP helo=<mail-io1-f46.google.com>",
			ProviderPostfix},
		{"a recipient address is not the provider",
			"550 5.1.1 <someone@qq.com>: Recipient address rejected: User unknown", ProviderPostfix},
		{"a relay naming another provider's domain is not that provider",
			"451 4.4.0 Temporary failure talking to gmail.com: connection timed out", ""},
		{"the host that said it is the provider",
			"host gmail-smtp-in.l.google.com[142.250.1.26] said: 550-5.7.26 Unauthenticated email is not accepted (in reply to end of DATA command)",
			ProviderGmail},
		{"an Exchange greeting with an Exchange Online server id",
			"535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [SBX1PR01CA0001.SANDBOX.PROD.OUTLOOK.TEST]",
			ProviderMicrosoft},
	}
	for _, tt := range tests {
		p, err := ParsePastedInput(tt.paste)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if e := ExplainPasted(p, ExplainContext{Host: p.Host}); e.Provider.ID != tt.want {
			t.Errorf("%s: provider %q (%s), want %q", tt.name, e.Provider.ID, e.ProviderFrom, tt.want)
		}
	}
	// The sandbox's microsoft scenario: an Exchange banner on a host that
	// names no provider; its replies carry Exchange Online's codes.
	greeting := "sandbox.test Microsoft ESMTP MAIL Service ready at Thu, 04 Dec 2025 10:00:00 +0000"
	for _, reply := range []string{
		"535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [SBX1PR01CA0001.SANDBOX.PROD.OUTLOOK.TEST]",
		"530 5.7.57 Client not authenticated to send mail.",
	} {
		e := Explain(mustExplainReply(t, reply), ExplainContext{Host: "127.0.0.1:2525", Greeting: greeting})
		if e.Provider.ID != ProviderMicrosoft || strings.Contains(e.Provider.Name, "on-premises") {
			t.Errorf("sandbox microsoft %q: provider %+v (%s)", reply, e.Provider, e.ProviderFrom)
		}
	}
}
