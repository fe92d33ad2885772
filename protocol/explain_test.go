package protocol

import (
	"strings"
	"testing"
)

func mustExplainReply(t testing.TB, s string) Reply {
	t.Helper()
	r, err := ParseReply(s)
	if err != nil {
		t.Fatalf("ParseReply(%q): %v", s, err)
	}
	return r
}

func TestExplainProviderMeaningWins(t *testing.T) {
	tests := []struct {
		name, reply, host string
		provider          string
		summary           string // fragment
		generic           string // the IANA meaning it must not fall back to
	}{
		{"gmail 5.7.26 is DMARC", "550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy", "gmail-smtp-in.l.google.com",
			ProviderGmail, "DMARC", "Several sender authentication checks"},
		{"microsoft 5.7.139 is SMTP AUTH off", "535 5.7.139 Authentication unsuccessful, basic authentication is disabled.", "smtp.office365.com",
			ProviderMicrosoft, "basic authentication", ""},
		{"yahoo 5.7.9 is policy, not a weak mechanism", "554 5.7.9 Message not accepted for policy reasons.", "mta5.am0.yahoodns.net",
			ProviderYahoo, "policy", "stronger one"},
		{"mailgun 421 never succeeds on retry", "421 Domain sandbox123.mailgun.org is not allowed to send: Sandbox subdomains are for test purposes only.", "smtp.mailgun.org",
			ProviderMailgun, "sandbox", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Explain(mustExplainReply(t, tt.reply), ExplainContext{Host: tt.host})
			if e.Provider.ID != tt.provider {
				t.Errorf("provider = %q, want %q", e.Provider.ID, tt.provider)
			}
			if !strings.Contains(e.Summary, tt.summary) {
				t.Errorf("summary = %q, want %q in it", e.Summary, tt.summary)
			}
			if tt.generic != "" && strings.Contains(e.Summary, tt.generic) {
				t.Errorf("summary fell back to the generic meaning: %q", e.Summary)
			}
			if len(e.Playbook) == 0 {
				t.Error("no playbook")
			}
		})
	}
}

func TestExplainMisleadingCodeRetryAdvice(t *testing.T) {
	e := Explain(mustExplainReply(t, "421 Domain x.mailgun.org is not allowed to send: Sandbox subdomains are for test purposes only."), ExplainContext{Host: "smtp.mailgun.org"})
	if len(e.Actions) == 0 || !strings.Contains(e.Actions[0], "never helps") {
		t.Errorf("Mailgun 421: first action %q should say retrying never helps", e.Actions)
	}
	e = Explain(mustExplainReply(t, "454 4.7.1 <a@b.example>: Relay access denied"), ExplainContext{Command: VerbRCPT, Greeting: "mx ESMTP Postfix"})
	if e.Provider.ID != ProviderPostfix || !strings.Contains(e.Actions[0], "not temporary") {
		t.Errorf("Postfix 454 relay: provider %q actions %q", e.Provider.ID, e.Actions)
	}
	e = Explain(mustExplainReply(t, "450 4.2.0 <a@b.example>: Recipient address rejected: Greylisted"), ExplainContext{Command: VerbRCPT})
	if e.Reason != ReasonGreylisted || !strings.Contains(e.Summary, "Greylisting") || !strings.Contains(e.Actions[0], "Retrying later works") {
		t.Errorf("greylisting: %q / %q", e.Summary, e.Actions)
	}
}

func TestExplainGeneric(t *testing.T) {
	e := Explain(mustExplainReply(t, "503 5.5.1 Bad sequence of commands"), ExplainContext{Command: VerbRCPT})
	if e.Code != 503 || e.Enhanced != "5.5.1" || e.Class != ClassPermanent || e.Subject != "mail delivery protocol" {
		t.Errorf("fields: %+v", e)
	}
	if e.Provider.ID != "" || len(e.Playbook) != 0 {
		t.Errorf("no provider expected: %+v", e.Provider)
	}
	if !strings.Contains(e.InContext, "MAIL FROM must be accepted first") {
		t.Errorf("in context: %q", e.InContext)
	}
	if e.Reason != ReasonSequence || e.ReasonFrom != FromText {
		t.Errorf("reason %q from %q, want sequence from the text", e.Reason, e.ReasonFrom)
	}
	if !containsString(e.References, "RFC 5321 §4.3.2") || !containsString(e.References, "RFC 3463 X.5.1") {
		t.Errorf("references: %q", e.References)
	}

	e = Explain(mustExplainReply(t, "250 OK"), ExplainContext{})
	if e.Class != ClassSuccess || e.Subject != "" || e.InContext != "" || len(e.Actions) != 1 {
		t.Errorf("250: %+v", e)
	}
	if e.Causes == nil || e.References == nil {
		t.Error("slices must not be nil")
	}
}

func TestExplainUnregisteredEnhanced(t *testing.T) {
	e := Explain(mustExplainReply(t, "550 5.7.999 something"), ExplainContext{})
	if !strings.Contains(e.Summary, "not in the IANA registry") || e.Subject != "security or policy" {
		t.Errorf("summary %q subject %q", e.Summary, e.Subject)
	}
}

func TestExplainUsesCapabilities(t *testing.T) {
	caps := ParseEHLO(mustExplainReply(t, "250-mx.example\r\n250-STARTTLS\r\n250 SIZE 1000"))
	e := Explain(mustExplainReply(t, "530 5.7.0 Authentication required"), ExplainContext{Command: VerbMAIL, Caps: &caps})
	if !strings.Contains(strings.Join(e.Actions, " "), "offers STARTTLS") {
		t.Errorf("530 before TLS: %q", e.Actions)
	}
	tlsCaps := ParseEHLO(mustExplainReply(t, "250-mx.example\r\n250 AUTH PLAIN LOGIN"))
	e = Explain(mustExplainReply(t, "530 5.7.0 Authentication required"), ExplainContext{Command: VerbMAIL, Caps: &tlsCaps, TLS: true})
	if !strings.Contains(strings.Join(e.Actions, " "), "AUTH PLAIN LOGIN") {
		t.Errorf("530 inside TLS: %q", e.Actions)
	}
	e = Explain(mustExplainReply(t, "552 5.3.4 Message too big"), ExplainContext{Command: EndOfDataVerb, Caps: &caps})
	if !strings.Contains(strings.Join(e.Actions, " "), "SIZE 1000") {
		t.Errorf("552 with SIZE: %q", e.Actions)
	}
}

func TestExplainDiagnostics(t *testing.T) {
	e := Explain(mustExplainReply(t, "550 4.7.1 mismatch"), ExplainContext{})
	if len(e.Diagnostics) == 0 || !strings.Contains(e.Diagnostics[0], "class") {
		t.Errorf("diagnostics: %q", e.Diagnostics)
	}
}

func TestExplainIdentifyingRuleWithoutHost(t *testing.T) {
	e := Explain(mustExplainReply(t, "535 5.7.139 Authentication unsuccessful"), ExplainContext{})
	if e.Provider.ID != ProviderMicrosoft || len(e.Playbook) == 0 {
		t.Errorf("5.7.139 alone should name Microsoft: %+v", e.Provider)
	}
	// 5.7.8 is standard: no provider without more evidence.
	e = Explain(mustExplainReply(t, "535 5.7.8 Authentication failed"), ExplainContext{})
	if e.Provider.ID != "" {
		t.Errorf("5.7.8 alone named %q", e.Provider.ID)
	}
}

func TestSectionSign(t *testing.T) {
	for in, want := range map[string]string{
		"RFC 4954 6":       "RFC 4954 §6",
		"RFC 7372 3.3":     "RFC 7372 §3.3",
		"RFC 4954 X.7.8":   "RFC 4954 X.7.8",
		"RFC 7489":         "RFC 7489",
		"https://x.test/a": "https://x.test/a",
	} {
		if got := sectionSign(in); got != want {
			t.Errorf("sectionSign(%q) = %q, want %q", in, got, want)
		}
	}
}

// A success reply whose enhanced code is only a catch-all (2.7.0 after
// AUTH, 2.0.0 after DATA) must read as a success, not as the subject's
// failure wording.
func TestExplainSuccessCatchAllEnhanced(t *testing.T) {
	for _, tt := range []struct{ reply, cmd string }{
		{"235 2.7.0 Authentication successful", VerbAUTH},
		{"250 2.0.0 Message accepted", EndOfDataVerb},
		{"250 2.0.0 OK", VerbRSET},
	} {
		e := Explain(mustExplainReply(t, tt.reply), ExplainContext{Command: tt.cmd})
		basic, _ := LookupBasic(e.Code)
		if e.Summary != basic.Meaning {
			t.Errorf("%s: summary = %q, want the basic meaning %q", tt.reply, e.Summary, basic.Meaning)
		}
		if strings.Contains(strings.ToLower(e.Summary), "refused") {
			t.Errorf("%s: success explained as a refusal: %q", tt.reply, e.Summary)
		}
	}
	// A specific success code still says what it is about.
	e := Explain(mustExplainReply(t, "250 2.1.5 Recipient OK"), ExplainContext{Command: VerbRCPT})
	if info, _ := LookupEnhanced(EnhancedCode{Class: 2, Subject: 1, Detail: 5}); e.Summary != info.Meaning {
		t.Errorf("2.1.5: summary = %q, want the registry meaning %q", e.Summary, info.Meaning)
	}
}
