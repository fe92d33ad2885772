package doctor

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// fixedNow is the injected clock of the diagnosis tests.
var fixedNow = time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)

// startSandbox runs a sandbox scenario on loopback.
func startSandbox(t *testing.T, cfg sandbox.Config) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// sandboxOptions point a diagnosis at srv.
func sandboxOptions(srv *sandbox.Server) Options {
	return Options{
		Address: srv.Addr(),
		Session: session.Config{RootCAs: srv.RootCAs(), SNI: srv.Hostname(),
			Timeouts: session.Timeouts{Connect: 10 * time.Second, Banner: 10 * time.Second, Command: 10 * time.Second}},
		Now: func() time.Time { return fixedNow },
	}
}

// run diagnoses and checks the events arrived in step with the report.
func run(t *testing.T, o Options) *Report {
	t.Helper()
	var mu sync.Mutex
	var events []Event
	o.Observe = func(e Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	for _, e := range events {
		if e.Kind == EventStageDone {
			done++
		}
	}
	if done != len(rep.Stages) || len(events) == 0 || events[len(events)-1].Kind != EventVerdict {
		t.Errorf("%d stage events for %d stages, last event %+v", done, len(rep.Stages), events[len(events)-1])
	}
	return rep
}

// dump shows a report in a failure message.
func dump(rep *Report) string {
	var b strings.Builder
	for _, s := range rep.Stages {
		b.WriteString(string(s.Stage) + " " + string(s.Status) + ": " + s.Summary + "\n")
	}
	b.WriteString("verdict: " + rep.Verdict.Variant + " · " + rep.Verdict.Title + "\n" + strings.Join(rep.Verdict.Fix, "\n"))
	return b.String()
}

func TestScenarioVerdicts(t *testing.T) {
	tests := []struct {
		scenario string
		tlsPort  bool // connect to the implicit-TLS listener
		opts     func(*Options)
		stage    StageName // the failing stage; "" for a diagnosis that passes
		reason   protocol.Reason
		variant  string
		want     []string // substrings of the verdict's title and fix
		passed   []StageName
	}{
		{scenario: "gmail", opts: login(sandbox.DemoAccountPassword), stage: StageAuth, reason: protocol.ReasonAuthAppPassword,
			variant: "gmail-app-password", want: []string{"app password", "myaccount.google.com/apppasswords", "https://mail.google.com/"},
			passed: []StageName{StageWhere, StageReach, StageTLS, StageEHLO, StageSTARTTLS}},
		{scenario: "gmail", opts: login("wrong-password"), stage: StageAuth, reason: protocol.ReasonAuthFailed, variant: "gmail-credentials"},
		{scenario: "microsoft", opts: login(sandbox.DemoPassword), stage: StageAuth, reason: protocol.ReasonAuthDisabled,
			variant: "microsoft-basic-auth", want: []string{"Set-TransportConfig -SmtpClientAuthenticationDisabled $false",
				"Set-CASMailbox -Identity demo@sandbox.test -SmtpClientAuthenticationDisabled $false", "SMTP.Send"}},
		{scenario: "microsoft-tenant", opts: login(sandbox.DemoPassword), stage: StageAuth, reason: protocol.ReasonAuthDisabled,
			variant: "microsoft-tenant", want: []string{"whole Microsoft 365 tenant", "Set-TransportConfig -SmtpClientAuthenticationDisabled $false"}},
		{scenario: "microsoft-mailbox", opts: login(sandbox.DemoPassword), stage: StageAuth, reason: protocol.ReasonAuthDisabled,
			variant: "microsoft-mailbox", want: []string{"this mailbox (demo@sandbox.test)", "Set-CASMailbox -Identity demo@sandbox.test"}},
		{scenario: "microsoft-security-defaults", opts: login(sandbox.DemoPassword), stage: StageAuth,
			variant: "microsoft-security-defaults", want: []string{"Security Defaults"}},
		{scenario: "microsoft", opts: func(o *Options) {
			login(sandbox.DemoToken)(o)
			o.Mechanism, o.From, o.To, o.Send = "XOAUTH2", "boss@"+sandbox.MailDomain, "friend@"+sandbox.MailDomain, true
		}, stage: StageSend, reason: protocol.ReasonSenderDenied, variant: "microsoft-send-as",
			want: []string{"Add-RecipientPermission -Identity boss@sandbox.test -Trustee demo@sandbox.test -AccessRights SendAs"}},
		{scenario: "qq", opts: login(sandbox.DemoAccountPassword), stage: StageAuth, reason: protocol.ReasonAuthAppPassword,
			variant: "qq-authorization-code", want: []string{"授权码", "POP3/IMAP/SMTP"}},
		{scenario: "qq", opts: func(o *Options) {
			login(sandbox.DemoPassword)(o)
			o.From = "other@" + sandbox.MailDomain
		}, stage: StageIdentity, reason: protocol.ReasonSenderDenied, variant: "china-login-address"},
		{scenario: "greylist", opts: func(o *Options) {
			login(sandbox.DemoPassword)(o)
			o.To = "friend@" + sandbox.MailDomain
		}, stage: StageRecipient, reason: protocol.ReasonGreylisted, variant: "greylisted", want: []string{"try again later", "Retry after 20:05 UTC"}},
		{scenario: "tls-expired", stage: StageTLS, reason: protocol.ReasonTLSUnavailable, variant: "certificate-expired",
			want: []string{"expired", "renew"}, passed: []StageName{StageWhere, StageReach, StageEHLO, StageSTARTTLS}},
		{scenario: "tls-expired", tlsPort: true, stage: StageTLS, reason: protocol.ReasonTLSUnavailable, variant: "certificate-expired"},
		{scenario: "tls-wrong-host", stage: StageTLS, reason: protocol.ReasonTLSUnavailable, variant: "certificate-name"},
		{scenario: "quota", opts: func(o *Options) {
			login(sandbox.DemoPassword)(o)
			o.To = "full@" + sandbox.MailDomain
		}, stage: StageRecipient, reason: protocol.ReasonMailboxFull, variant: "mailbox-full-temporary"},
		{scenario: "quota", opts: func(o *Options) {
			login(sandbox.DemoPassword)(o)
			o.To, o.Send = "over@"+sandbox.MailDomain, true
		}, stage: StageSend, reason: protocol.ReasonMailboxFull, variant: "mailbox-full", want: []string{"Permanent"}},
		// A strict server hangs up after 3 refused commands: the doctor's
		// own probes (MAIL in clear, RSET) must not use up that budget.
		{scenario: "strict", opts: func(o *Options) {
			login(sandbox.DemoPassword)(o)
			o.To, o.Send = "friend@"+sandbox.MailDomain, true
		}, passed: Stages},
		{scenario: "strict", opts: func(o *Options) {
			login(sandbox.DemoPassword)(o)
			o.To = "friend@elsewhere.example"
		}, stage: StageRecipient, passed: []StageName{StageAuth, StageIdentity}},
		{scenario: "default", opts: func(o *Options) {
			login(sandbox.DemoPassword)(o)
			o.To, o.Send = "friend@"+sandbox.MailDomain, true
		}, passed: Stages},
	}
	for _, tt := range tests {
		name := tt.scenario
		if tt.variant != "" {
			name += "/" + tt.variant
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := startSandbox(t, sandbox.Config{Scenario: tt.scenario, TLSListen: "127.0.0.1:0"})
			o := sandboxOptions(srv)
			if tt.tlsPort {
				o.Address = srv.TLSAddr()
				o.Session.TLSMode = session.TLSImplicit
			}
			if tt.opts != nil {
				tt.opts(&o)
			}
			rep := run(t, o)
			v := rep.Verdict
			if tt.stage == "" {
				if !v.OK {
					t.Fatalf("the diagnosis failed:\n%s", dump(rep))
				}
			} else if v.OK || v.Stage != tt.stage || (tt.reason != "" && v.Reason != tt.reason) || v.Variant != tt.variant {
				t.Fatalf("verdict %s/%s/%s, want %s/%s/%s:\n%s", v.Stage, v.Reason, v.Variant, tt.stage, tt.reason, tt.variant, dump(rep))
			}
			all := v.Title + "\n" + strings.Join(v.Fix, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("the verdict lacks %q:\n%s", w, dump(rep))
				}
			}
			for _, p := range tt.passed {
				if !contains(v.Passed, p) {
					t.Errorf("stage %s did not pass:\n%s", p, dump(rep))
				}
			}
			if secret := o.Secret; secret != "" && strings.Contains(dump(rep), secret) {
				t.Error("the report shows the secret")
			}
		})
	}
}

// login sets the demo user with secret.
func login(secret string) func(*Options) {
	return func(o *Options) { o.User, o.Secret = sandbox.DemoAddress, secret }
}

func contains(list []StageName, s StageName) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
