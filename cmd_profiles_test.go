package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/smtpscope/smtpscope/config"
)

// withConfig points XDG_CONFIG_HOME at a temporary directory holding
// text as smtpscope/config.toml (mode 0600).
func withConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	path := filepath.Join(dir, "smtpscope", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestProbeUsesAProfile(t *testing.T) {
	srv := startProbeSandbox(t)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CACertificatePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(srv.Addr(), ":")
	withConfig(t, "[defaults]\nhelo = \"profile.example\"\n\n[profiles.sandbox]\nhost = \""+host+"\"\nport = "+port+"\nca = \""+ca+"\"\nstarttls = \"require\"\n")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"probe", "@sandbox", "--json"}, strings.NewReader(""), &out, &errOut)
	if code != exitOK {
		t.Fatalf("probe @sandbox: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	var got struct {
		Address string `json:"address"`
		TLS     struct {
			Verified bool `json:"verified"`
		} `json:"tls"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Address != srv.Addr() || !got.TLS.Verified {
		t.Errorf("probe @sandbox: address %q verified %v; want %s verified with the profile's CA", got.Address, got.TLS.Verified, srv.Addr())
	}
	code = run(context.Background(), []string{"probe", "@sandbx"}, strings.NewReader(""), &out, &errOut)
	if code != exitUsage || !strings.Contains(errOut.String(), "@sandbox") {
		t.Errorf("a misspelt profile: exit %d, stderr %q", code, errOut.String())
	}
}

// TestFlagsOverrideTheProfile: what the command line sets wins; the rest
// comes from the profile.
func TestFlagsOverrideTheProfile(t *testing.T) {
	fs := pflag.NewFlagSet("connect", pflag.ContinueOnError)
	var o connectOptions
	addConnectFlags(fs, &o)
	if err := fs.Parse([]string{"--helo", "cli.example", "--password-env", "CLI_PW", "--tls=false"}); err != nil {
		t.Fatal(err)
	}
	yes := true
	o.applyProfile(fs, config.Profile{Host: "mail.example.com", TLS: &yes, Helo: "profile.example", User: "me",
		Auth: "LOGIN", PasswordCmd: "pass show x", CA: "/ca.pem", Theme: "light", Timeout: "5s", Insecure: &yes})
	if o.helo != "cli.example" || o.implicitTLS || o.passwordEnv != "CLI_PW" || o.passwordCmd != "" {
		t.Errorf("flags lost: helo %q tls %v env %q cmd %q", o.helo, o.implicitTLS, o.passwordEnv, o.passwordCmd)
	}
	if o.user != "me" || o.mechanism != "LOGIN" || o.caFile != "/ca.pem" || o.theme != "light" || o.timeout.Seconds() != 5 || !o.insecure {
		t.Errorf("profile values missing: %+v", o)
	}
}

func TestProfilesListsWithoutSecrets(t *testing.T) {
	path := withConfig(t, "[profiles.work]\nhost = \"mail.example.com\"\nport = 587\nuser = \"me@example.com\"\npassword = \"hunter2\"\n\n[profiles.qq]\nhost = \"smtp.qq.com\"\ntls = true\npassword-env = \"QQ_CODE\"\n")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"profiles"}, strings.NewReader(""), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	text := out.String()
	for _, want := range []string{"@work", "mail.example.com:587", "me@example.com", "file", "@qq", "smtp.qq.com:465", "implicit", "env", path} {
		if !strings.Contains(text, want) {
			t.Errorf("profiles output lacks %q:\n%s", want, text)
		}
	}
	out.Reset()
	run(context.Background(), []string{"profiles", "--json"}, strings.NewReader(""), &out, &errOut)
	var list []map[string]any
	if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list) != 2 {
		t.Fatalf("--json: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String()+text, "hunter2") {
		t.Error("the listing shows the password")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"profiles"}, strings.NewReader(""), &out, &errOut); code != exitUsage || !strings.Contains(errOut.String(), "chmod 600") {
		t.Errorf("a password in a readable file: exit %d, %q", code, errOut.String())
	}
}

// A config file's values reach the listing as visible symbols, in the
// table and in JSON: a host name holding an OSC title sequence or a user
// name holding a bidi override never reaches the terminal raw.
func TestProfilesListingShowsControlsAsSymbols(t *testing.T) {
	withConfig(t, "[profiles.x]\nhost = \"mx\\u001b]0;pwned\\u0007.test\"\nuser = \"me\\u202e\\u001b[31m\\u009b2J\"\nhelo = \"h\\u0000\"\n")
	for _, args := range [][]string{{"profiles"}, {"profiles", "--json"}} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, strings.NewReader(""), &out, &errOut); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		text := out.String()
		if args[len(args)-1] == "--json" {
			var list []profileJSON
			if err := json.Unmarshal(out.Bytes(), &list); err != nil || len(list) != 1 {
				t.Fatalf("--json: %v\n%s", err, text)
			}
			text = list[0].Address + list[0].User + list[0].Helo
		}
		if strings.ContainsAny(text, "\x1b\x07\x00\u202e\u009b") {
			t.Errorf("%v shows a raw control character:\n%q", args, text)
		}
		if !strings.Contains(text, "␛]0;pwned␇") {
			t.Errorf("%v does not show the sequence as symbols:\n%q", args, text)
		}
	}
}
