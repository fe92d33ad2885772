package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/fang"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
)

// TestUsageErrorsExitTwoAndPrintAsWritten runs every kind of command-line
// mistake: each is a usage error (exit status 2, as the README's table
// says), and its message reaches the user exactly as written, without
// fang's capitalisation ("--Tls-Min") or an added full stop.
func TestUsageErrorsExitTwoAndPrintAsWritten(t *testing.T) {
	cases := []struct {
		args []string
		want string // the whole error line
	}{
		{[]string{"probe", "127.0.0.1:25", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"probe", "127.0.0.1:25", "-Z"}, "unknown shorthand flag: 'Z' in -Z"},
		{[]string{"probe", "127.0.0.1:25", "--timeout", "abc"}, `invalid argument "abc" for "--timeout" flag: time: invalid duration "abc"`},
		{[]string{"probe", "127.0.0.1:25", "--timeout"}, "flag needs an argument: --timeout"},
		{[]string{"probe", "a", "b", "c"}, "accepts 1 arg(s), received 3; usage: smtpscope probe HOST[:PORT] | @PROFILE [flags]"},
		{[]string{"probe"}, "accepts 1 arg(s), received 0; usage: smtpscope probe HOST[:PORT] | @PROFILE [flags]"},
		{[]string{"export"}, "accepts 1 arg(s), received 0; usage: smtpscope export FILE.jsonl [flags]"},
		{[]string{"probe", "--tls-min", "9", "x"}, `--tls-min must be 1.0, 1.1, 1.2 or 1.3, not "9"`},
		{[]string{"connect", "x", "--password-env", "FOO"}, "--password-env and --password-cmd need --user as well"},
		{[]string{"sandbox", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"explain", "535", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"sandbox", "--scenario", "nope"}, ""},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(context.Background(), c.args, strings.NewReader(""), &out, &errb)
		if code != exitUsage {
			t.Errorf("smtpscope %s: exit %d, want %d (usage)", strings.Join(c.args, " "), code, exitUsage)
		}
		if c.want == "" {
			continue
		}
		found := false
		for _, line := range strings.Split(ansi.Strip(errb.String()), "\n") {
			if strings.TrimSpace(line) == c.want {
				found = true
			}
		}
		if !found {
			t.Errorf("smtpscope %s: stderr lacks the line %q as written:\n%s", strings.Join(c.args, " "), c.want, errb.String())
		}
	}
}

// TestErrorsAreNotCapitalised runs a command that fails with an error
// starting with a quoted URL through fang with smtpscope's error handler:
// fang's style would print "Http://x" and add a full stop.
func TestErrorsAreNotCapitalised(t *testing.T) {
	const msg = `"http://x" is not a host name`
	cmd := &cobra.Command{Use: "t", RunE: func(*cobra.Command, []string) error { return errors.New(msg) }}
	var out, errb bytes.Buffer
	cmd.SetArgs(nil)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	if err := fang.Execute(context.Background(), cmd, fang.WithErrorHandler(errorHandler)); err == nil {
		t.Fatal("the command should fail")
	}
	got := ansi.Strip(errb.String())
	if !strings.Contains(got, msg) || strings.Contains(got, "Http") || strings.Contains(got, "name.") {
		t.Errorf("the error was changed on its way out: %q", got)
	}
}

// A version given at build time is printed as given.
func TestVersionFromLdflags(t *testing.T) {
	defer func(v string) { version = v }(version)
	version = "1.2.3"
	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"--version"}, strings.NewReader(""), &out, &errOut); code != 0 || !strings.Contains(out.String(), "1.2.3") {
		t.Errorf("--version: exit %d, %q %q", code, out.String(), errOut.String())
	}
}
