package doctor

import (
	"context"
	"crypto/x509"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// The Postfix interop cases run against the Postfix + Dovecot instance of
// scripts/postfix-interop.sh (see session/interop_postfix_helpers_test.go
// for the variables its "env" command prints); without it they skip.
const (
	envPostfixAddr       = "SMTPSCOPE_POSTFIX_ADDR"
	envPostfixSubmission = "SMTPSCOPE_POSTFIX_SUBMISSION"
	envPostfixSMTPS      = "SMTPSCOPE_POSTFIX_SMTPS"
	envPostfixCA         = "SMTPSCOPE_POSTFIX_CA"
	envPostfixUser       = "SMTPSCOPE_POSTFIX_USER"
	envPostfixPassword   = "SMTPSCOPE_POSTFIX_PASSWORD"
	envPostfixDomain     = "SMTPSCOPE_POSTFIX_DOMAIN"
)

// interopTimeout bounds each wait; it guards against hangs only.
const interopTimeout = 15 * time.Second

// postfixOptions returns options for the instance, or skips.
func postfixOptions(t *testing.T) (Options, map[string]string) {
	t.Helper()
	env := map[string]string{}
	for _, k := range []string{envPostfixAddr, envPostfixSubmission, envPostfixSMTPS, envPostfixCA, envPostfixUser, envPostfixPassword, envPostfixDomain} {
		env[k] = os.Getenv(k)
	}
	if env[envPostfixAddr] == "" {
		t.Skipf("Postfix interop skipped: %s is not set; run scripts/postfix-interop.sh start and eval \"$(scripts/postfix-interop.sh env)\" first", envPostfixAddr)
	}
	pem, err := os.ReadFile(env[envPostfixCA])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", env[envPostfixCA])
	}
	return Options{
		Session: session.Config{RootCAs: roots, Helo: "doctor.smtpscope.test",
			Timeouts: session.Timeouts{Connect: interopTimeout, Banner: interopTimeout, Command: interopTimeout, Data: interopTimeout}},
		Now: func() time.Time { return fixedNow },
	}, env
}

func TestPostfixInterop(t *testing.T) {
	base, env := postfixOptions(t)
	domain := env[envPostfixDomain]
	tests := []struct {
		name    string
		opts    func(o *Options)
		stage   StageName
		reason  protocol.Reason
		variant string
		check   func(t *testing.T, rep *Report)
	}{
		{name: "submission sends", opts: func(o *Options) {
			o.Address, o.User, o.Secret = env[envPostfixSubmission], env[envPostfixUser], env[envPostfixPassword]
			o.From, o.To, o.Send = "doctor@"+domain, "inbox@"+domain, true
		}, check: func(t *testing.T, rep *Report) {
			enf, _ := rep.Result(StageSTARTTLS)
			if !strings.HasPrefix(enf.Summary, "enforced") {
				t.Errorf("the submission port requires TLS, the doctor says %q", enf.Summary)
			}
			send, _ := rep.Result(StageSend)
			if !strings.Contains(send.Summary, "queue id ") {
				t.Errorf("no queue id in %q", send.Summary)
			}
		}},
		{name: "implicit TLS logs in", opts: func(o *Options) {
			o.Address, o.User, o.Secret = env[envPostfixSMTPS], env[envPostfixUser], env[envPostfixPassword]
			o.Session.TLSMode = session.TLSImplicit
		}, check: func(t *testing.T, rep *Report) {
			if res, _ := rep.Result(StageAuth); res.Status != StatusPass {
				t.Errorf("AUTH over implicit TLS: %+v", res)
			}
		}},
		{name: "wrong password", opts: func(o *Options) {
			o.Address, o.User, o.Secret = env[envPostfixSubmission], env[envPostfixUser], "not-the-password"
		}, stage: StageAuth, reason: protocol.ReasonAuthFailed},
		{name: "relay denied without login", opts: func(o *Options) {
			o.Address, o.From, o.To = env[envPostfixAddr], "doctor@example.org", "friend@elsewhere.example"
		}, stage: StageRecipient, reason: protocol.ReasonRelayDenied, variant: "relay-denied", check: func(t *testing.T, rep *Report) {
			if enf, _ := rep.Result(StageSTARTTLS); enf.Status != StatusWarn {
				t.Errorf("the plain port takes MAIL in clear text; the doctor says %+v", enf)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := base
			tt.opts(&o)
			ctx, cancel := context.WithTimeout(context.Background(), 4*interopTimeout)
			defer cancel()
			rep, err := Run(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			v := rep.Verdict
			if tt.stage == "" && !v.OK {
				t.Fatalf("the diagnosis failed:\n%s", dump(rep))
			}
			if tt.stage != "" && (v.OK || v.Stage != tt.stage || v.Reason != tt.reason || v.Variant != tt.variant) {
				t.Fatalf("verdict %s/%s/%s, want %s/%s/%s:\n%s", v.Stage, v.Reason, v.Variant, tt.stage, tt.reason, tt.variant, dump(rep))
			}
			if tt.check != nil {
				tt.check(t, rep)
			}
		})
	}
}
