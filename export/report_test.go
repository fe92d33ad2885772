package export

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// failedAuthTranscript runs AUTH with the account password against the
// sandbox playing Gmail, the username shown in the saved transcript.
func failedAuthTranscript(t *testing.T, mech string) []session.Line {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Config{Scenario: "gmail", Hostname: "smtp.gmail.com"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	s := session.New(session.Config{Address: srv.Addr(), AutoHello: true, StartTLS: session.StartTLSRequire,
		RootCAs: srv.RootCAs(), SNI: "smtp.gmail.com", Helo: "laptop.example.org", ShowUsername: true})
	ev := &eventWaiter{t: t, ch: s.Events()}
	defer func() {
		s.Close()
		for range s.Events() {
		}
	}()
	s.Connect()
	ev.until(func(e session.Event) bool { return e.Kind == session.KindReply && e.Command == "EHLO" && e.TLS })
	s.Auth(session.AuthRequest{Mechanism: mech, Username: sandbox.DemoAddress, Secret: sandbox.DemoAccountPassword})
	ev.until(replyTo("AUTH", 534))
	var buf bytes.Buffer
	if err := s.Transcript().WriteJSONL(&buf, session.SaveOptions{ShowUsername: true}); err != nil {
		t.Fatal(err)
	}
	lines, err := session.ReadJSONL(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// credentialForms are the ways a user name or secret can show up in a
// transcript or a debug log.
func credentialForms(user, secret string) []string {
	var forms []string
	for _, v := range []string{secret, "\x00" + user + "\x00" + secret, user + "\x00" + user + "\x00" + secret,
		"user=" + user + "\x01auth=Bearer " + secret + "\x01\x01"} {
		forms = append(forms, encodings(v)...)
	}
	forms = append(forms, secret, url.QueryEscape(secret))
	return forms
}

func TestReportHidesCredentialsAndExplainsTheFailure(t *testing.T) {
	for _, mech := range []string{mechPlain, mechLogin} {
		t.Run(mech, func(t *testing.T) {
			lines := failedAuthTranscript(t, mech)
			if !strings.Contains(joinText(lines), sandbox.DemoAddress) {
				t.Fatal("the transcript does not show the username; the test would prove nothing")
			}
			report := Report(lines, ReportOptions{Version: "v9.9.9", OS: "plan9/mips", Secrets: []string{sandbox.DemoAccountPassword}})
			assertNoCredential(t, report, sandbox.DemoAddress, sandbox.DemoAccountPassword)
			for _, want := range []string{"v9.9.9", "plan9/mips", "534 5.7.9", "Gmail", "## Transcript", "AUTH " + mech} {
				if !strings.Contains(report, want) {
					t.Errorf("the report lacks %q:\n%s", want, report)
				}
			}
		})
	}
}

// TestReportRedactsTranscriptsFromElsewhere feeds lines that carry the
// credentials in the clear, as a hand-typed session or another tool's log
// would, and checks that none survives.
func TestReportRedactsTranscriptsFromElsewhere(t *testing.T) {
	const user, secret = "Alice.Smith@example.com", "s3cr3t-P@ss/w0rd+"
	b64 := base64.StdEncoding.EncodeToString
	plain := b64([]byte("\x00" + user + "\x00" + secret))
	lines := []session.Line{
		{Dir: session.DirNote, Text: session.ConnectNote("mail.example.com:587")},
		{Dir: session.DirServer, Text: "220 mail.example.com ESMTP"},
		{Dir: session.DirClient, Text: "EHLO laptop"},
		{Dir: session.DirServer, Text: "250-mail.example.com"},
		{Dir: session.DirServer, Text: "250 AUTH PLAIN LOGIN XOAUTH2"},
		{Dir: session.DirClient, Text: "AUTH PLAIN " + plain},
		{Dir: session.DirServer, Text: "535 5.7.8 authentication failed for " + strings.ToLower(user)},
		{Dir: session.DirClient, Text: "AUTH LOGIN"},
		{Dir: session.DirServer, Text: "334 VXNlcm5hbWU6"},
		{Dir: session.DirClient, Text: b64([]byte(user))},
		{Dir: session.DirServer, Text: "334 UGFzc3dvcmQ6"},
		{Dir: session.DirClient, Text: b64([]byte(secret))},
		{Dir: session.DirServer, Text: "535 5.7.8 Error: authentication failed: " + b64([]byte(user))},
		{Dir: session.DirClient, Text: "AUTH XOAUTH2 " + b64([]byte("user="+user+"\x01auth=Bearer "+secret+"\x01\x01"))},
		{Dir: session.DirServer, Text: "535 5.7.8 bad token"},
		{Dir: session.DirNote, Text: "password was " + secret + " url " + url.QueryEscape(secret) + " raw " + base64.RawURLEncoding.EncodeToString([]byte(secret))},
		{Dir: session.DirClient, Text: "MAIL FROM:<" + user + ">"},
		{Dir: session.DirServer, Text: "530 5.7.0 Authentication required for " + user},
	}
	// Told the credentials (as the TUI is), or not (as smtpscope export
	// is, given a file): the transcript's own AUTH exchanges say them.
	for _, o := range []ReportOptions{{Version: "dev", Usernames: []string{user}, Secrets: []string{secret}}, {Version: "dev"}} {
		report := Report(lines, o)
		assertNoCredential(t, report, user, secret)
		if !strings.Contains(report, "530 5.7.0") {
			t.Errorf("the last failing reply is not explained:\n%s", report)
		}
	}
}

func TestReportHidesAddressesAndHostsOnRequest(t *testing.T) {
	lines := []session.Line{
		{Dir: session.DirNote, Text: session.ConnectNote("203.0.113.7:25")},
		{Dir: session.DirServer, Text: "220 mx1.corp.example ESMTP ready"},
		{Dir: session.DirClient, Text: "EHLO [192.0.2.1]"},
		{Dir: session.DirServer, Text: "250 mx1.corp.example hello [2001:db8::1]"},
		{Dir: session.DirClient, Text: "MAIL FROM:<bob@corp.example>"},
		{Dir: session.DirServer, Text: "250 2.1.0 ok"},
		{Dir: session.DirClient, Text: "RCPT TO:<carol@other.example>"},
		{Dir: session.DirServer, Text: "550 5.1.1 <carol@other.example>: Recipient address rejected: User unknown in relay.other.example"},
	}
	plain := Report(lines, ReportOptions{})
	if !strings.Contains(plain, "carol@other.example") {
		t.Errorf("addresses are hidden without being asked:\n%s", plain)
	}
	report := Report(lines, ReportOptions{HideAddresses: true, HideHosts: true})
	for _, leak := range []string{"bob@", "carol", "corp.example", "other.example", "203.0.113.7", "192.0.2.1", "2001:db8::1"} {
		if strings.Contains(report, leak) {
			t.Errorf("the report still shows %q:\n%s", leak, report)
		}
	}
	if strings.Count(report, "[address 2]") < 2 || !strings.Contains(report, "550 5.1.1") {
		t.Errorf("stand-ins are not stable or the failure is gone:\n%s", report)
	}
}

func TestReportCodeFenceHoldsBackticks(t *testing.T) {
	lines := []session.Line{{Dir: session.DirServer, Text: "554 no ```` thanks"}}
	report := Report(lines, ReportOptions{})
	if !strings.Contains(report, "`````text\n") {
		t.Errorf("the fence can be closed by the transcript:\n%s", report)
	}
}

// assertNoCredential fails when report holds user or secret in any form.
func assertNoCredential(t *testing.T, report, user, secret string) {
	t.Helper()
	lower := strings.ToLower(report)
	for _, form := range append(credentialForms(user, secret), encodings(user)...) {
		if strings.Contains(report, form) {
			t.Errorf("the report holds %q:\n%s", form, report)
		}
	}
	for _, name := range []string{user, url.QueryEscape(user)} {
		if strings.Contains(lower, strings.ToLower(name)) {
			t.Errorf("the report holds the user name %q:\n%s", name, report)
		}
	}
}

func joinText(lines []session.Line) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}
