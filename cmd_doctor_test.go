package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/doctor"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

func TestDoctorExitStatusAndJSON(t *testing.T) {
	t.Setenv("DOCTOR_TEST_SECRET", sandbox.DemoPassword)
	t.Setenv("DOCTOR_ACCOUNT_PASSWORD", sandbox.DemoAccountPassword)
	tests := []struct {
		args    []string
		code    int
		stage   string
		variant string
	}{
		{[]string{"--scenario", "microsoft-tenant", "--user", sandbox.DemoAddress, "--password-env", "DOCTOR_TEST_SECRET"}, 8, "auth", "microsoft-tenant"},
		{[]string{"--scenario", "gmail", "--user", sandbox.DemoAddress, "--password-env", "DOCTOR_ACCOUNT_PASSWORD"}, 8, "auth", "gmail-app-password"},
		{[]string{"--scenario", "tls-expired"}, 5, "tls", "certificate-expired"},
		{[]string{"--scenario", "greylist", "--user", sandbox.DemoAddress, "--password-env", "DOCTOR_TEST_SECRET", "--to", "x@" + sandbox.MailDomain}, 10, "recipient", "greylisted"},
		{[]string{"--scenario", "default", "--user", sandbox.DemoAddress, "--password-cmd", "echo " + sandbox.DemoPassword,
			"--to", "x@" + sandbox.MailDomain, "--send"}, exitOK, "", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:2], " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), append([]string{"doctor", "--json"}, tt.args...), strings.NewReader(""), &out, &errOut)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr %s\n%s", code, tt.code, errOut.String(), out.String())
			}
			var rep struct {
				Target struct{ Address string } `json:"target"`
				Stages []struct {
					Name, Status, Summary string
					DurationMS            *float64 `json:"duration_ms"`
					Reason                string
					Reply                 *struct{ Code int } `json:"reply"`
				} `json:"stages"`
				Verdict struct {
					OK      bool
					Stage   string
					Variant string
					Fix     []string
					Passed  []string
					Reason  string
				} `json:"verdict"`
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out.String())
			}
			if rep.Verdict.Stage != tt.stage || rep.Verdict.Variant != tt.variant || rep.Verdict.OK != (tt.code == exitOK) {
				t.Errorf("verdict %+v, want stage %q variant %q", rep.Verdict, tt.stage, tt.variant)
			}
			if len(rep.Stages) == 0 || rep.Stages[0].Name != "where" || rep.Stages[0].DurationMS == nil {
				t.Errorf("stages %+v", rep.Stages)
			}
			if tt.code != exitOK && (len(rep.Verdict.Fix) == 0 || rep.Verdict.Reason == "") {
				t.Errorf("a failed verdict needs a reason and a fix: %+v", rep.Verdict)
			}
			if strings.Contains(out.String(), sandbox.DemoPassword) || strings.Contains(out.String(), sandbox.DemoAccountPassword) {
				t.Error("the JSON holds the secret")
			}
		})
	}
}

func TestDoctorTextIsPlainWhenPiped(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"doctor", "--scenario", "tls-wrong-host"}, strings.NewReader(""), &out, &errOut)
	if code != 5 || errOut.Len() != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	text := out.String()
	for _, want := range []string{"✗ tls", "Verdict: The certificate is for another name than sandbox.test", "failed at", "fix", "· auth       not run"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b[") {
		t.Errorf("piped output has escape sequences:\n%q", text)
	}
}

func TestDoctorUsageErrors(t *testing.T) {
	orig := stdioIsTerminal
	stdioIsTerminal = func() bool { return false }
	t.Cleanup(func() { stdioIsTerminal = orig })
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"doctor"}, "name what to diagnose"},
		{[]string{"doctor", "smtp.example.com", "--provider", "gmail"}, "give one of"},
		{[]string{"doctor", "me@example.com"}, "use --for me@example.com"},
		{[]string{"doctor", "--provider", "nope"}, "unknown --provider"},
		{[]string{"doctor", "--provider", "gmail", "--region", "eu-west-1"}, "no regions"},
		{[]string{"doctor", "--scenario", "default", "--user", "demo"}, "no terminal to ask on"},
		{[]string{"doctor", "--scenario", "default", "--send"}, "--send needs a recipient"},
		{[]string{"doctor", "--scenario", "default", "--to", "a@b\r\nRCPT TO:<x@y>"}, "not a plain address"},
		{[]string{"doctor", "--scenario", "default", "--password-env", "X"}, "need --user"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := run(context.Background(), tt.args, strings.NewReader(""), &out, &errOut)
		if code != exitUsage || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, code, errOut.String(), tt.want)
		}
	}
}

func TestProvidersCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"providers", "--json"}, strings.NewReader(""), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var list []struct {
		Name, Host, TLS string
		Port            int
		Needs           []string
	}
	if err := json.Unmarshal(out.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, p := range list {
		names[p.Name] = true
		if p.Host == "" || p.Port == 0 || p.TLS == "" || len(p.Needs) == 0 {
			t.Errorf("incomplete preset %+v", p)
		}
	}
	for _, n := range []string{"gmail", "microsoft", "outlook", "yahoo", "icloud", "qq", "exmail", "163", "126", "zoho", "ses", "sendgrid", "mailgun", "yandex", "fastmail"} {
		if !names[n] {
			t.Errorf("providers lacks %s", n)
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"providers", "sendgrid"}, strings.NewReader(""), &out, &errOut); code != exitOK || !strings.Contains(out.String(), "apikey") {
		t.Errorf("providers sendgrid: exit %d\n%s", code, out.String())
	}
	if code := run(context.Background(), []string{"providers", "nope"}, strings.NewReader(""), &out, &errOut); code != exitUsage {
		t.Errorf("unknown provider: exit %d", code)
	}
}

func TestConnectDoctorRunsOnTheSessionSettings(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Config{Scenario: "microsoft-mailbox"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg := session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), SNI: srv.Hostname()}
	runner := connectDoctor(cfg, sandbox.DemoAddress, &session.AuthRequest{Secret: sandbox.DemoPassword})
	var verdict *doctor.Verdict
	stages := 0
	runner(context.Background(), func(e doctor.Event) {
		switch e.Kind {
		case doctor.EventStageDone:
			stages++
		case doctor.EventVerdict:
			verdict = e.Verdict
		}
	})
	if verdict == nil || verdict.Variant != "microsoft-mailbox" || stages < 5 {
		t.Fatalf("verdict %+v after %d stages", verdict, stages)
	}
}

func TestDoctorForWithoutSecretSkipsTheLogin(t *testing.T) {
	orig := stdioIsTerminal
	stdioIsTerminal = func() bool { return false }
	t.Cleanup(func() { stdioIsTerminal = orig })
	var o doctorOptions
	o.forAddress = "me@example.org"
	opts, cleanup, err := doctorRunOptions(context.Background(), strings.NewReader(""), &bytes.Buffer{}, o, nil)
	defer cleanup()
	if err != nil || opts.User != "" || opts.For != "me@example.org" {
		t.Fatalf("--for alone: %+v, %v; want no login and no prompt", opts, err)
	}
	t.Setenv("DOCTOR_FOR_SECRET", "s3cret")
	o.passwordEnv = "DOCTOR_FOR_SECRET"
	opts, _, err = doctorRunOptions(context.Background(), strings.NewReader(""), &bytes.Buffer{}, o, nil)
	if err != nil || opts.User != "me@example.org" || opts.Secret != "s3cret" {
		t.Fatalf("--for with a secret: user %q, %v; want the address as the login", opts.User, err)
	}
}

// TestDoctorQuotesAMultiLineReplyOnce runs the gmail scenario with the
// account password: the verdict quotes Gmail's two-line 534 as people do,
// the codes once and then the words of both lines.
func TestDoctorQuotesAMultiLineReplyOnce(t *testing.T) {
	t.Setenv("DOCTOR_TEST_SECRET", sandbox.DemoAccountPassword)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"doctor", "--scenario", "gmail", "--user", sandbox.DemoAddress, "--password-env", "DOCTOR_TEST_SECRET"},
		strings.NewReader(""), &out, &errOut)
	if code != 8 {
		t.Fatalf("exit %d, want 8 (auth); stderr %q\n%s", code, errOut.String(), out.String())
	}
	var said string
	for _, l := range strings.Split(out.String(), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "server said"); ok {
			said = strings.TrimSpace(rest)
		}
	}
	if !strings.HasPrefix(said, "534 5.7.9 Application-specific password required. Learn more at https://support.google.com/") {
		t.Errorf("server said %q", said)
	}
	if strings.Count(said, "534") != 1 || strings.Contains(said, "|") {
		t.Errorf("the codes should appear once, the lines joined as text: %q", said)
	}
}

// watchWriter collects output and calls on with everything so far after
// each write.
type watchWriter struct {
	b  bytes.Buffer
	on func(string)
}

func (w *watchWriter) Write(p []byte) (int, error) {
	n, err := w.b.Write(p)
	w.on(w.b.String())
	return n, err
}

// TestDoctorShowsStagesAsTheyEndAndStopsOnInterrupt diagnoses a server
// that accepts and never greets: the first stage is printed while the
// second still waits, and an interrupt then ends the run at once with
// what it found, no verdict, and status 130.
func TestDoctorShowsStagesAsTheyEndAndStopsOnInterrupt(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &watchWriter{on: func(s string) {
		if strings.Contains(s, "✓ where") {
			cancel() // the reach stage is waiting for a greeting now
		}
	}}
	var errOut bytes.Buffer
	code := run(ctx, []string{"doctor", ln.Addr().String(), "--timeout", "10s"}, strings.NewReader(""), out, &errOut)
	text := out.b.String()
	if code != exitInterrupted {
		t.Fatalf("exit %d, want %d; stderr %q\n%s", code, exitInterrupted, errOut.String(), text)
	}
	for _, want := range []string{"smtpscope doctor · " + ln.Addr().String(), "✓ where", "· auth       not run", "Interrupted"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Verdict") {
		t.Errorf("an interrupted run gave a verdict:\n%s", text)
	}
}

// TestDoctorSkipsSayTheFlagOnlyOnTheCommandLine: a stage skipped for want
// of an input names it in words (the report, the TUI), and the command
// line's text adds the flag that gives it.
func TestDoctorSkipsSayTheFlagOnlyOnTheCommandLine(t *testing.T) {
	srv, err := sandbox.Start(sandbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg := session.Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), SNI: srv.Hostname()}
	var skipped []doctor.Result
	connectDoctor(cfg, sandbox.DemoAddress, &session.AuthRequest{Secret: sandbox.DemoPassword})(context.Background(), func(e doctor.Event) {
		if e.Kind == doctor.EventStageDone && e.Result.Status == doctor.StatusSkip && e.Result.Needs != "" {
			skipped = append(skipped, *e.Result)
		}
	})
	var recipient *doctor.Result
	for i, r := range skipped {
		if strings.Contains(r.Summary, "--") {
			t.Errorf("stage %s: the summary names a flag: %q", r.Stage, r.Summary)
		}
		if r.Needs == doctor.InputRecipient {
			recipient = &skipped[i]
		}
	}
	if recipient == nil {
		t.Fatalf("no stage skipped for want of a recipient: %+v", skipped)
	}
	var out bytes.Buffer
	writeDoctorStage(&out, *recipient, themes.NoColor())
	if !strings.Contains(out.String(), "no recipient (--to)") {
		t.Errorf("the command line's text = %q, want the --to flag named", out.String())
	}
}
