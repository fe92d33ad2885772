package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/internal/nettest"
	"github.com/smtpscope/smtpscope/session"
)

func TestConnectWithoutTerminalPointsToProbeAndExplain(t *testing.T) {
	saved := stdioIsTerminal
	stdioIsTerminal = func() bool { return false }
	t.Cleanup(func() { stdioIsTerminal = saved })
	addr := nettest.ClosedAddr(t)
	for _, args := range [][]string{{}, {"connect", addr}, {addr}} {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
		if code != exitUsage {
			t.Errorf("smtpscope %v without a terminal: exit %d, want %d", args, code, exitUsage)
		}
		msg := out.String() + errb.String()
		if !strings.Contains(msg, "smtpscope probe") || !strings.Contains(msg, "smtpscope explain") {
			t.Errorf("smtpscope %v: the message should point to probe and explain, got %q", args, msg)
		}
	}
}

func TestConnectAddress(t *testing.T) {
	for _, c := range []struct {
		name     string
		o        connectOptions
		args     []string
		want     string
		implicit bool
		err      string
	}{
		{name: "sandbox", args: nil, want: ""},
		{name: "default port 25", args: []string{"mx.example.com"}, want: "mx.example.com:25"},
		{name: "465 is implicit TLS", args: []string{"smtp.example.com:465"}, want: "smtp.example.com:465", implicit: true},
		{name: "--tls without port uses 465", o: connectOptions{connFlags: connFlags{implicitTLS: true}}, args: []string{"smtp.example.com"}, want: "smtp.example.com:465", implicit: true},
		{name: "ipv6", args: []string{"::1"}, want: "[::1]:25"},
		{name: "provider preset", o: connectOptions{provider: "gmail"}, want: "smtp.gmail.com:587"},
		{name: "provider implicit", o: connectOptions{provider: "QQ"}, want: "smtp.qq.com:465", implicit: true},
		{name: "unknown provider", o: connectOptions{provider: "nope"}, err: "known: "},
		{name: "provider and host", o: connectOptions{provider: "gmail"}, args: []string{"x.example"}, err: "not both"},
		{name: "provider alias", o: connectOptions{provider: "office365"}, want: "smtp.office365.com:587"},
		{name: "regional provider", o: connectOptions{provider: "ses", region: "eu-west-1"}, want: "email-smtp.eu-west-1.amazonaws.com:587"},
		{name: "region of a provider without regions", o: connectOptions{provider: "gmail", region: "eu-west-1"}, err: "no regions"},
		{name: "region without provider", o: connectOptions{region: "eu-west-1"}, args: []string{"x.example"}, err: "--region goes with"},
		{name: "a URL is not a host", args: []string{"smtp://x.example/"}, err: "is not HOST[:PORT]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, implicit, err := connectAddress(c.o, c.args)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want || implicit != c.implicit {
				t.Fatalf("connectAddress = %q, %v, %v; want %q, %v", got, implicit, err, c.want, c.implicit)
			}
		})
	}
}

func TestConnectSessionConfig(t *testing.T) {
	cfg, err := connectSessionConfig(connectOptions{connFlags: connFlags{startTLS: "require", timeout: 5 * time.Second, helo: "me.example"}}, "x.example:587", false)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.StartTLS != session.StartTLSRequire || cfg.Timeouts.Command != 5*time.Second || cfg.Helo != "me.example" || !cfg.AutoHello {
		t.Fatalf("config = %+v", cfg)
	}
	// connect has probe's TLS flags too.
	if cfg, err := connectSessionConfig(connectOptions{connFlags: connFlags{tlsMin: "1.2", tlsMax: "TLS1.3", startTLS: "OFF"}}, "x.example:25", false); err != nil ||
		cfg.TLSMin != tls.VersionTLS12 || cfg.TLSMax != tls.VersionTLS13 || cfg.StartTLS != session.StartTLSOff {
		t.Fatalf("TLS flags: %+v, %v", cfg, err)
	}
	if cfg, _ := connectSessionConfig(connectOptions{manual: true}, "x.example:25", true); cfg.AutoHello || cfg.TLSMode != session.TLSImplicit {
		t.Fatalf("--manual and implicit TLS not applied: %+v", cfg)
	}
	for _, c := range []struct {
		o   connectOptions
		err string
	}{
		{connectOptions{connFlags: connFlags{startTLS: "maybe"}}, "auto, require or off"},
		{connectOptions{connFlags: connFlags{timeout: -time.Second}}, "positive"},
		{connectOptions{passwordEnv: "X"}, "need --user"},
		{connectOptions{user: "u", passwordEnv: "X", passwordCmd: "y"}, "not both"},
		{connectOptions{connFlags: connFlags{caFile: "/nonexistent/ca.pem"}}, "--ca"},
		{connectOptions{connFlags: connFlags{tlsMin: "1.4"}}, "--tls-min must be"},
		{connectOptions{connFlags: connFlags{certFile: "client.pem"}}, "--cert and --key go together"},
	} {
		if _, err := connectSessionConfig(c.o, "x.example:25", false); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%+v: err = %v, want one containing %q", c.o, err, c.err)
		}
	}
}

func TestReadSecret(t *testing.T) {
	t.Setenv("SMTPSCOPE_TEST_SECRET", "s3cret")
	if got, err := readSecret(context.Background(), connectOptions{passwordEnv: "SMTPSCOPE_TEST_SECRET"}); err != nil || got != "s3cret" {
		t.Fatalf("--password-env = %q, %v", got, err)
	}
	if _, err := readSecret(context.Background(), connectOptions{passwordEnv: "SMTPSCOPE_TEST_UNSET_VAR"}); err == nil || !strings.Contains(err.Error(), "not set") {
		t.Fatalf("unset variable: err = %v", err)
	}
	if got, err := readSecret(context.Background(), connectOptions{passwordCmd: "printf 'tok\\n'"}); err != nil || got != "tok" {
		t.Fatalf("--password-cmd = %q, %v", got, err)
	}
	if _, err := readSecret(context.Background(), connectOptions{passwordCmd: "exit 3"}); err == nil {
		t.Fatal("a failing --password-cmd must be an error")
	}
}

// Typos are reported before anything starts, even without a terminal:
// a misspelt subcommand, a bad port, an unknown theme.
func TestConnectUsageErrorsComeFirst(t *testing.T) {
	saved := stdioIsTerminal
	stdioIsTerminal = func() bool { return false }
	t.Cleanup(func() { stdioIsTerminal = saved })
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"explian"}, "did you mean explain?"},
		{[]string{"sandbx"}, "did you mean sandbox?"},
		{[]string{"127.0.0.1:99999"}, "not a number from 1 to 65535"},
		{[]string{"connect", "mail.example.com:smtp"}, "not a number from 1 to 65535"},
		{[]string{"--theme", "nope"}, "dark, light"},
		{[]string{"probe", "127.0.0.1:0"}, "not a number from 1 to 65535"},
	} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), c.args, strings.NewReader(""), &out, &errOut)
		if code != exitUsage || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errOut.String(), exitUsage, c.want)
		}
	}
	// A dotted name is a host, not a typo: it gets as far as the terminal check.
	var out, errOut bytes.Buffer
	run(context.Background(), []string{"explain.example.com"}, strings.NewReader(""), &out, &errOut)
	if !strings.Contains(errOut.String(), "needs a terminal") {
		t.Errorf("dotted host: stderr %q, want the terminal message", errOut.String())
	}
}
