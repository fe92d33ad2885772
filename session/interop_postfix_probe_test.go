package session_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/session"
)

// postfixSizeLimit is message_size_limit in testdata/postfix/main.cf.in.
const postfixSizeLimit = 10240000

// probeBannerWait is the banner timeout for probing the implicit-TLS port
// in plain text, where Postfix waits for a ClientHello and says nothing:
// the probe must give up and say why.
const probeBannerWait = time.Second

func probeKeywords(caps []session.ProbeCapability) []string {
	kws := make([]string, len(caps))
	for i, c := range caps {
		kws[i] = c.Keyword
	}
	return kws
}

func TestPostfixProbe(t *testing.T) {
	env := requirePostfix(t)
	tests := []struct {
		name      string
		addr      string
		implicit  bool
		wantMode  string
		wantPlain bool // an EHLO list before TLS
	}{
		{name: "smtp", addr: env.Addr, wantMode: "starttls", wantPlain: true},
		{name: "submission", addr: env.Submission, wantMode: "starttls", wantPlain: true},
		{name: "smtps", addr: env.SMTPS, implicit: true, wantMode: "implicit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := env.config(t, tt.addr)
			if tt.implicit {
				cfg.TLSMode = session.TLSImplicit
			}
			ctx, cancel := context.WithTimeout(context.Background(), interopWait)
			defer cancel()
			rep, err := session.Probe(ctx, cfg)
			if err != nil {
				t.Fatalf("Probe(%s): %v", tt.addr, err)
			}
			if rep.TLSMode != tt.wantMode || rep.BannerCode != codeGreeting || rep.Provider != "Postfix" {
				t.Errorf("report: mode %q, banner %d, provider %q; want %q, 220, Postfix", rep.TLSMode, rep.BannerCode, rep.Provider, tt.wantMode)
			}
			if rep.TLS == nil || !rep.TLS.Verified || len(rep.TLS.Chain) == 0 {
				t.Fatalf("TLS facts %+v, want a verified chain", rep.TLS)
			}
			plain, inTLS := probeKeywords(rep.CapabilitiesPlain), probeKeywords(rep.CapabilitiesTLS)
			if tt.wantPlain != (len(plain) > 0) || slices.Contains(plain, "AUTH") {
				t.Errorf("capabilities before TLS %v; want them listed: %v, and never AUTH", plain, tt.wantPlain)
			}
			if !slices.Contains(inTLS, "AUTH") || slices.Contains(inTLS, "STARTTLS") {
				t.Errorf("capabilities inside TLS %v, want AUTH and no STARTTLS", inTLS)
			}
			changes := map[string]string{}
			for _, ch := range rep.Changes {
				changes[ch.Keyword] = ch.Change
			}
			if tt.wantPlain && (changes["AUTH"] != "added" || changes["STARTTLS"] != "removed" || len(changes) != 2) {
				t.Errorf("changes %v, want exactly AUTH added and STARTTLS removed", changes)
			}
			for _, m := range postfixMechanisms {
				if !slices.Contains(rep.AuthMechanisms, m) {
					t.Errorf("AUTH mechanisms %v, want %s among them", rep.AuthMechanisms, m)
				}
			}
			if rep.SizeLimit == nil || *rep.SizeLimit != postfixSizeLimit {
				t.Errorf("size limit %v, want %d", rep.SizeLimit, postfixSizeLimit)
			}
			if len(rep.Warnings) > 0 || rep.FailedStage != "" {
				t.Errorf("warnings %q, failed stage %q; want none against a well-configured Postfix", rep.Warnings, rep.FailedStage)
			}
			if rep.Transcript() == nil || rep.Transcript().Len() == 0 {
				t.Errorf("the probe kept no transcript")
			}
		})
	}
}

func TestPostfixProbeFailures(t *testing.T) {
	env := requirePostfix(t)
	tests := []struct {
		name      string
		configure func(*session.Config)
		stage     session.Stage
		words     []string // the error names these
	}{
		{
			name:      "certificate not trusted",
			configure: func(c *session.Config) { c.RootCAs = nil },
			stage:     session.StageCertificate,
			words:     []string{"not trusted", "--ca"},
		},
		{
			name: "implicit-TLS port spoken to in plain text",
			configure: func(c *session.Config) {
				c.Address = env.SMTPS
				c.Timeouts.Banner = probeBannerWait
			},
			stage: session.StageBanner,
			words: []string{"220", "--tls"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := env.config(t, env.Addr)
			tt.configure(&cfg)
			ctx, cancel := context.WithTimeout(context.Background(), interopWait)
			defer cancel()
			rep, err := session.Probe(ctx, cfg)
			var perr *session.ProbeError
			if !errors.As(err, &perr) || perr.Stage != tt.stage || rep.FailedStage != tt.stage {
				t.Fatalf("Probe error %v (report stage %q), want a *session.ProbeError at stage %q", err, rep.FailedStage, tt.stage)
			}
			for _, w := range tt.words {
				if !strings.Contains(err.Error(), w) || !strings.Contains(rep.Error, w) {
					t.Errorf("error %q (report: %q), want it to mention %q", err, rep.Error, w)
				}
			}
		})
	}

	t.Run("implicit-TLS port found by ProbeDetectingTLS", func(t *testing.T) {
		t.Parallel()
		cfg := env.config(t, env.SMTPS)
		cfg.Timeouts.Silence = 200 * time.Millisecond // Postfix's smtps port says nothing before a ClientHello
		ctx, cancel := context.WithTimeout(context.Background(), interopWait)
		defer cancel()
		rep, err := session.ProbeDetectingTLS(ctx, cfg)
		if err != nil {
			t.Fatalf("ProbeDetectingTLS(%s): %v", env.SMTPS, err)
		}
		if rep.TLSMode != "implicit" || rep.Provider != "Postfix" || len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "port for implicit TLS") {
			t.Errorf("report: mode %q, provider %q, warnings %q", rep.TLSMode, rep.Provider, rep.Warnings)
		}
	})

	t.Run("STARTTLS off", func(t *testing.T) {
		t.Parallel()
		cfg := env.config(t, env.Addr)
		cfg.StartTLS = session.StartTLSOff
		ctx, cancel := context.WithTimeout(context.Background(), interopWait)
		defer cancel()
		rep, err := session.Probe(ctx, cfg)
		if err != nil {
			t.Fatalf("Probe with STARTTLS off: %v", err)
		}
		if rep.TLSMode != "none" || rep.TLS != nil || len(rep.AuthMechanisms) != 0 || rep.CapabilitiesTLS != nil {
			t.Errorf("report: mode %q, TLS %+v, AUTH %v, caps in TLS %v; want plain text only, no AUTH",
				rep.TLSMode, rep.TLS, rep.AuthMechanisms, probeKeywords(rep.CapabilitiesTLS))
		}
		if !slices.Contains(probeKeywords(rep.CapabilitiesPlain), "STARTTLS") {
			t.Errorf("plain capabilities %v, want STARTTLS offered", probeKeywords(rep.CapabilitiesPlain))
		}
	})
}
