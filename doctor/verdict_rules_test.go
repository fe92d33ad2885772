package doctor

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// stageCommand is the command a stage's reply answers.
var stageCommand = map[StageName]string{
	StageAuth: protocol.VerbAUTH, StageIdentity: protocol.VerbMAIL, StageRecipient: protocol.VerbRCPT,
	StageSend: protocol.EndOfDataVerb, StageSTARTTLS: protocol.VerbMAIL,
}

// exampleFailure builds the failed result a verdict row's example stands for.
func exampleFailure(t *testing.T, ex verdictExample) (Result, protocol.ExplainContext, string, string) {
	t.Helper()
	res := Result{Stage: ex.stage, Status: StatusFail, Reason: ex.reason, Error: ex.err, Summary: ex.err}
	ec := protocol.ExplainContext{Command: stageCommand[ex.stage], Host: ex.host}
	if ex.reason == protocol.ReasonAuthToken {
		ec.Mechanism = "XOAUTH2"
	}
	if ex.reply != "" {
		r, err := protocol.ParseReply(ex.reply + "\r\n")
		if err != nil {
			t.Fatalf("example reply %q: %v", ex.reply, err)
		}
		res.Reply = newReply(r, ec.Command)
	}
	preset := ex.preset
	provider := ""
	if p, ok := protocol.PresetForHost(ex.host); ok {
		provider = p.Provider
		if preset == "" {
			preset = p.Name
		}
	}
	return res, ec, provider, preset
}

func TestVerdictRulesRowByRow(t *testing.T) {
	seen := map[string]bool{}
	for _, rule := range verdictRules {
		t.Run(rule.variant, func(t *testing.T) {
			if seen[rule.variant] {
				t.Fatalf("variant %q appears twice", rule.variant)
			}
			seen[rule.variant] = true
			if rule.title == "" || len(rule.fix) == 0 {
				t.Fatal("a row needs a title and a fix")
			}
			for _, p := range rule.any {
				if p != strings.ToLower(p) {
					t.Errorf("phrase %q must be lower case", p)
				}
			}
			res, ec, provider, preset := exampleFailure(t, rule.example)
			f, _ := failureFacts(res, ec, provider, preset)
			got := findRule(f)
			if got == nil || got.variant != rule.variant {
				name := "none"
				if got != nil {
					name = got.variant
				}
				t.Errorf("the example matched %s, want %s (facts %+v)", name, rule.variant, f)
			}
		})
	}
}

func TestVerdictFillsPlaceholdersAndRetry(t *testing.T) {
	now := time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)
	r := &runner{opts: Options{User: "me@contoso.com", From: "boss@contoso.com", To: "x@example.org", Now: func() time.Time { return now }},
		target: Target{Address: "smtp.office365.com:587", Preset: "microsoft", Provider: protocol.ProviderMicrosoft}, report: &Report{}}
	reply, _ := protocol.ParseReply("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.\r\n")
	r.report.Stages = []Result{{Stage: StageWhere, Status: StatusPass}, {Stage: StageAuth, Status: StatusFail, Reply: newReply(reply, protocol.VerbAUTH)}}
	v := r.verdict()
	if v.OK || v.Stage != StageAuth || v.Variant != "microsoft-mailbox" || v.Reason != protocol.ReasonAuthDisabled {
		t.Fatalf("verdict = %+v", v)
	}
	all := v.Title + "\n" + strings.Join(v.Fix, "\n")
	for _, want := range []string{"Set-CASMailbox -Identity me@contoso.com -SmtpClientAuthenticationDisabled $false", "XOAUTH2", "(me@contoso.com)"} {
		if !strings.Contains(all, want) {
			t.Errorf("verdict lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "{user}") || len(v.Passed) != 1 || v.Passed[0] != StageWhere {
		t.Errorf("placeholders left or passed stages wrong: %v\n%s", v.Passed, all)
	}

	for _, tt := range []struct {
		text string
		want time.Duration
	}{
		{"450 4.2.0 Greylisted, see http://postgrey.schweikert.ch/help/x.html", defaultGreylistDelay},
		{"451 4.7.1 Greylisting in action, please come back in 60 seconds", time.Minute},
		{"450 4.7.1 greylisted for 10 minutes", 10 * time.Minute},
		{"451 try again in 99999 minutes", defaultGreylistDelay},
	} {
		if got := retryDelay(strings.ToLower(tt.text)); got != tt.want {
			t.Errorf("retryDelay(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
	reply, _ = protocol.ParseReply("451 4.7.1 Greylisting in action, please come back in 60 seconds\r\n")
	r.report.Stages = []Result{{Stage: StageRecipient, Status: StatusFail, Reply: newReply(reply, protocol.VerbRCPT)}}
	v = r.verdict()
	if v.Variant != "greylisted" || v.RetryAt == nil || !v.RetryAt.Equal(now.Add(time.Minute)) || !strings.Contains(v.Fix[0], "20:01") {
		t.Errorf("greylist verdict = %+v", v)
	}
}

// TestDocsListEveryVariant keeps docs/doctor.md's table in step with the rules.
func TestDocsListEveryVariant(t *testing.T) {
	doc, err := os.ReadFile("../docs/doctor.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range verdictRules {
		if !strings.Contains(string(doc), "| `"+rule.variant+"` |") {
			t.Errorf("docs/doctor.md does not list the variant %s", rule.variant)
		}
	}
}
