package sandbox

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// Session ids and server names change with every real reply; the
// reference comparison ignores them.
var (
	gsmtpIDPattern  = regexp.MustCompile(`[a-z0-9]+s[im][0-9a-z]+\.[0-9]+( - gsmtp)?`)
	serverIDPattern = regexp.MustCompile(`\[[^\]]*\]$`)
)

// referenceReplies loads the real reply texts of provider_replies.tsv.
func referenceReplies(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open("../testdata/provider_replies.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) > 2 {
			out[normalizeReply(strings.ReplaceAll(cols[2], `\n`, "\n"))] = true
		}
	}
	return out
}

func normalizeReply(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		l = gsmtpIDPattern.ReplaceAllString(strings.TrimRight(l, " "), "ID")
		lines[i] = serverIDPattern.ReplaceAllString(l, "[ID]")
	}
	return strings.Join(lines, "\n")
}

// expectReal checks that a reply is word for word one from the reference.
func expectReal(t *testing.T, ref map[string]bool, r protocol.Reply) {
	t.Helper()
	if got := normalizeReply(strings.ReplaceAll(r.Raw(), "\r\n", "\n")); !ref[got] {
		t.Errorf("reply %q is not a real provider reply (normalized %q)", r.Raw(), got)
	}
}

func TestScenarioGmail(t *testing.T) {
	ref := referenceReplies(t)
	s := startServer(t, Config{Scenario: "gmail"})
	c := connect(t, s)
	ehlo := c.cmd("EHLO c.test", codeOK, "")
	if !strings.Contains(ehlo.Lines[0].Text, "at your service") || hasLine(ehlo, "AUTH") {
		t.Errorf("EHLO %q", ehlo.Raw())
	}
	expectReal(t, ref, c.cmd("AUTH PLAIN "+plain(DemoAddress, DemoPassword), codeAuthRequired, "5.7.0"))
	c.cmd("MAIL FROM:<demo@sandbox.test>", codeAuthRequired, "5.7.0")
	c.startTLS(s)
	c.cmd("EHLO c.test", codeOK, "")
	if r := c.cmd("MAIL FROM:<demo@sandbox.test>", codeAuthRequired, "5.7.0"); !strings.Contains(r.OneLine(), "Authentication Required") {
		t.Errorf("MAIL without AUTH: %q", r.Raw())
	}
	expectReal(t, ref, c.cmd("AUTH PLAIN "+plain(DemoAddress, DemoAccountPassword), 534, "5.7.9"))
	expectReal(t, ref, c.cmd("AUTH PLAIN "+plain(DemoAddress, "wrong"), codeAuthInvalid, "5.7.8"))
	c.cmd("AUTH SCRAM-SHA-256", codeParamNotImpl, "5.5.4")
	c.cmd("AUTH PLAIN "+plain(DemoAddress, DemoPassword), codeAuthOK, "2.7.0")
	c.cmd("MAIL FROM:<demo@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<friend@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw("hi\r\n.\r\n")
	if r := c.expectReply(codeOK, "2.0.0"); !strings.HasSuffix(r.Text(), "- gsmtp") {
		t.Errorf("acceptance %q", r.Text())
	}
}

func TestScenarioMicrosoft(t *testing.T) {
	ref := referenceReplies(t)
	s := startServer(t, Config{Scenario: "microsoft"})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("AUTH LOGIN", codeParamNotImpl, "5.7.4")
	c.startTLS(s)
	if r := c.cmd("EHLO c.test", codeOK, ""); !hasLine(r, "AUTH LOGIN XOAUTH2") {
		t.Errorf("EHLO after TLS %q", r.Raw())
	}
	if r := c.cmd("MAIL FROM:<demo@sandbox.test>", codeAuthRequired, "5.7.57"); !strings.Contains(r.Text(), "Client not authenticated") {
		t.Errorf("MAIL without AUTH: %q", r.Raw())
	}
	c.cmd("AUTH LOGIN "+b64(DemoAddress), codeAuthChallenge, "")
	r := c.cmd(b64(DemoPassword), codeAuthInvalid, "5.7.139")
	expectReal(t, ref, r)
	if !strings.Contains(r.Text(), "basic authentication is disabled") {
		t.Errorf("right password: %q", r.Text())
	}
	c.cmd("AUTH LOGIN "+b64(DemoAddress), codeAuthChallenge, "")
	r = c.cmd(b64("wrong"), codeAuthInvalid, "5.7.139")
	expectReal(t, ref, r)
	if !strings.Contains(r.Text(), "credentials were incorrect") {
		t.Errorf("wrong password: %q", r.Text())
	}
	c.cmd("AUTH XOAUTH2 "+b64("user="+DemoAddress+"\x01auth=Bearer "+DemoToken+"\x01\x01"), codeAuthOK, "2.7.0")
	for _, tt := range []struct {
		from string
		code int
	}{{"ceo@sandbox.test", codeTransactionFailed}, {DemoAddress, codeOK}} {
		c.cmd("MAIL FROM:<"+tt.from+">", codeOK, "2.1.0")
		c.cmd("RCPT TO:<friend@sandbox.test>", codeOK, "2.1.5")
		c.cmd("DATA", codeStartData, "")
		c.writeRaw("hi\r\n.\r\n")
		r := c.reply()
		if r.Code != tt.code {
			t.Errorf("from %s: %q", tt.from, r.Raw())
		}
		if r.Code == codeTransactionFailed {
			expectReal(t, ref, r)
		}
	}
	if n := len(s.Messages()); n != 1 {
		t.Errorf("%d messages kept, want only the one sent as the user", n)
	}
}

func TestScenarioQQ(t *testing.T) {
	ref := referenceReplies(t)
	s := startServer(t, Config{Scenario: "qq"})
	c := connect(t, s)
	if r := c.cmd("EHLO c.test", codeOK, ""); !hasLine(r, "AUTH LOGIN PLAIN XOAUTH2") {
		t.Errorf("QQ offers AUTH before TLS: %q", r.Raw())
	}
	if r := c.cmd("MAIL FROM:<demo@sandbox.test>", codeBadSequence, ""); !strings.Contains(r.Text(), "need EHLO and AUTH") {
		t.Errorf("MAIL without AUTH: %q", r.Raw())
	}
	c.cmd("NOOP", codeOK, "") // no ENHANCEDSTATUSCODES, so no enhanced codes
	expectReal(t, ref, c.cmd("AUTH PLAIN "+plain(DemoAddress, DemoAccountPassword), codeAuthInvalid, ""))

	c.send("AUTH PLAIN " + plain(DemoAddress, "wrong"))
	r := c.expectReply(codeAuthInvalid, "")
	// The reference shows the same reply as Python printed its bytes.
	wantGBK := "Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\xb5\xc7\xc2\xbc\xa1\xa3\xcf\xea\xc7\xe9\xc7\xeb\xbf\xb4: " + qqHelpURL
	if raw := strings.TrimPrefix(r.Raw(), "535 "); raw != wantGBK {
		t.Errorf("GBK reply on the wire %q, want %q", raw, wantGBK)
	}
	if !strings.Contains(r.Text(), "请使用授权码登录") || r.Lines[0].Charset != protocol.CharsetGBK {
		t.Errorf("decoded %q as %v", r.Text(), r.Lines[0].Charset)
	}

	c.cmd("AUTH LOGIN "+b64(DemoAddress), codeAuthChallenge, "")
	c.cmd(b64(DemoPassword), codeAuthOK, "")
	expectReal(t, ref, c.cmd("MAIL FROM:<boss@sandbox.test>", codeSyntaxArgs, ""))
	c.cmd("MAIL FROM:<demo@sandbox.test>", codeOK, "")
	c.cmd("RCPT TO:<friend@sandbox.test>", codeOK, "")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw("hi\r\n.\r\n")
	c.expectReply(codeOK, "")
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func TestScenarioGreylist(t *testing.T) {
	ref := referenceReplies(t)
	clock := &fakeClock{now: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)}
	s := startServer(t, Config{Scenario: "greylist", GreylistDelay: time.Minute, Now: clock.Now})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	r := c.cmd("RCPT TO:<b@sandbox.test>", codeMailboxBusy, "4.2.0")
	// The reference wraps postgrey's one line in two.
	want := "450 4.2.0 <mirabellug@aful.org>: Recipient address rejected: Greylisted,\nsee http://postgrey.schweikert.ch/help/aful.org.html"
	if !ref[want] {
		t.Fatal("postgrey reply missing from the reference")
	}
	if got := strings.ReplaceAll(strings.ReplaceAll(r.Raw(), "b@sandbox.test", "mirabellug@aful.org"), MailDomain, "aful.org"); got != strings.ReplaceAll(want, "\n", " ") {
		t.Errorf("greylist reply %q is not postgrey's", r.Raw())
	}
	clock.Advance(30 * time.Second)
	c.cmd("RCPT TO:<b@sandbox.test>", codeMailboxBusy, "4.2.0")
	c.cmd("RCPT TO:<other@sandbox.test>", codeMailboxBusy, "4.2.0") // a new triplet
	clock.Advance(30 * time.Second)
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("RCPT TO:<other@sandbox.test>", codeMailboxBusy, "4.2.0")
	// Another connection with the same triplet is let through at once.
	d := connect(t, s)
	d.cmd("EHLO c.test", codeOK, "")
	d.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	d.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
}

func TestScenarioQuota(t *testing.T) {
	ref := referenceReplies(t)
	s := startServer(t, Config{Scenario: "quota"})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	expectReal(t, ref, c.cmd("RCPT TO:<full@sandbox.test>", codeInsufficient, "4.2.2"))
	c.cmd("RCPT TO:<over@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw("hi\r\n.\r\n")
	c.expectReply(codeExceededStorage, "5.2.2")
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d messages kept", n)
	}
}

func TestScenarioTarpit(t *testing.T) {
	s := startServer(t, Config{Scenario: "tarpit", BannerDelay: 20 * time.Millisecond})
	c := connect(t, s) // the banner comes, after the delay
	c.cmd("QUIT", codeClosing, "2.0.0")
	if d := s.scenario.BannerDelay; d != tarpitDelay {
		t.Errorf("tarpit default delay %v", d)
	}
}

func TestScenarioFlaky(t *testing.T) {
	s := startServer(t, Config{Scenario: "flaky"})
	// Connection 1: cut in the middle of DATA, no reply to the content.
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw("short\r\n.\r\n")
	c.expectClosed()
	// Connection 2: 421 at MAIL FROM.
	c = connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeUnavailable, "4.3.2")
	c.expectClosed()
	// Connection 3 works, even with a long body.
	c = connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw(strings.Repeat("0123456789\r\n", 100) + ".\r\n")
	c.expectReply(codeOK, "2.0.0")
	// Connection 4 is cut again, after flakyDropAfter octets of a long body.
	c = connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw(strings.Repeat("0123456789\r\n", flakyDropAfter/12+1))
	c.expectClosed()
	// Connections 5 and 6 bring the cycle round; 7 is cut again, and BDAT
	// (which clients use when CHUNKING is offered) is cut like DATA.
	for i := 0; i < 2; i++ {
		c = connect(t, s)
		c.cmd("QUIT", codeClosing, "2.0.0")
	}
	c = connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.writeRaw("BDAT 7 LAST\r\nshort\r\n")
	c.expectClosed()
	if n := len(s.Messages()); n != 1 {
		t.Errorf("%d messages kept, want 1", n)
	}
}

func TestScenarioStrict(t *testing.T) {
	s := startServer(t, Config{Scenario: "strict"})
	c := connect(t, s)
	c.cmd("RCPT TO:<a@sandbox.test>", codeBadSequence, "5.5.1")
	c.cmd("FROB", codeUnrecognized, "5.5.2")
	c.send("DATA")
	c.expectReply(codeBadSequence, "5.5.1")
	c.expectReply(codeUnavailable, "4.7.0")
	c.expectClosed()
}

func TestScenarioCertificates(t *testing.T) {
	tests := []struct {
		scenario string
		check    func(error) bool
	}{
		{"default", func(err error) bool { return err == nil }},
		{"tls-expired", func(err error) bool {
			var ce x509.CertificateInvalidError
			return errors.As(err, &ce) && ce.Reason == x509.Expired
		}},
		{"tls-wrong-host", func(err error) bool {
			var he x509.HostnameError
			return errors.As(err, &he)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			s := startServer(t, Config{Scenario: tt.scenario, TLSListen: "127.0.0.1:0"})
			for _, name := range []string{DefaultHostname, "127.0.0.1"} {
				conn, err := tls.Dial("tcp", s.TLSAddr(), &tls.Config{RootCAs: s.RootCAs(), ServerName: name})
				if err == nil {
					conn.Close()
				}
				if !tt.check(err) {
					t.Errorf("verifying %s as %s: %v", tt.scenario, name, err)
				}
			}
			// Without verification the session still works, as with --insecure.
			conn, err := tls.Dial("tcp", s.TLSAddr(), &tls.Config{InsecureSkipVerify: true})
			if err != nil {
				t.Fatalf("insecure dial: %v", err)
			}
			defer conn.Close()
			line, err := bufio.NewReader(conn).ReadString('\n')
			if err != nil || !strings.HasPrefix(line, strconv.Itoa(codeReady)+" ") {
				t.Errorf("greeting over TLS %q, %v", line, err)
			}
		})
	}
}

func TestScenarioRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, info := range Scenarios() {
		if info.Name == "" || info.Description == "" || seen[info.Name] {
			t.Errorf("scenario %+v: empty or duplicate", info)
		}
		seen[info.Name] = true
	}
	for _, want := range []string{"default", "gmail", "microsoft", "qq", "greylist", "quota", "tarpit", "flaky", "strict", "tls-expired", "tls-wrong-host"} {
		if !seen[want] {
			t.Errorf("scenario %s missing", want)
		}
	}
	_, err := Start(Config{Scenario: "nope"})
	if err == nil || !strings.Contains(err.Error(), "gmail") {
		t.Errorf("unknown scenario: %v", err)
	}
}

func TestScenarioMicrosoftVariants(t *testing.T) {
	for _, tt := range []struct{ scenario, want string }{
		{"microsoft-tenant", "SmtpClientAuthentication is disabled for the Tenant."},
		{"microsoft-mailbox", "SmtpClientAuthentication is disabled for the Mailbox."},
		{"microsoft-security-defaults", "security defaults policy"},
	} {
		t.Run(tt.scenario, func(t *testing.T) {
			s := startServer(t, Config{Scenario: tt.scenario})
			c := connect(t, s)
			c.cmd("EHLO c.test", codeOK, "")
			c.startTLS(s)
			c.cmd("EHLO c.test", codeOK, "")
			for _, secret := range []string{DemoPassword, DemoAccountPassword} {
				c.cmd("AUTH LOGIN "+b64(DemoAddress), codeAuthChallenge, "")
				if r := c.cmd(b64(secret), codeAuthInvalid, "5.7.139"); !strings.Contains(r.Text(), tt.want) {
					t.Errorf("%s: %q, want %q", secret, r.Text(), tt.want)
				}
			}
			c.cmd("AUTH LOGIN "+b64(DemoAddress), codeAuthChallenge, "")
			if r := c.cmd(b64("wrong"), codeAuthInvalid, "5.7.139"); !strings.Contains(r.Text(), "credentials were incorrect") {
				t.Errorf("wrong password: %q", r.Text())
			}
			c.cmd("AUTH XOAUTH2 "+b64("user="+DemoAddress+"\x01auth=Bearer "+DemoToken+"\x01\x01"), codeAuthOK, "2.7.0")
		})
	}
}

// A server started with an earlier server's Authority is trusted by the
// earlier server's pool: the sandbox can restart with another scenario
// and a client keeps verifying it. Without it, each server has its own CA.
func TestRestartUnderTheSameAuthority(t *testing.T) {
	first := startServer(t, Config{TLSListen: "127.0.0.1:0"})
	for _, tt := range []struct {
		name    string
		cfg     Config
		trusted bool
	}{
		{"same authority", Config{Scenario: "gmail", TLSListen: "127.0.0.1:0", Authority: first.Authority()}, true},
		{"own authority", Config{Scenario: "gmail", TLSListen: "127.0.0.1:0"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			next := startServer(t, tt.cfg)
			conn, err := tls.Dial("tcp", next.TLSAddr(), &tls.Config{RootCAs: first.RootCAs(), ServerName: DefaultHostname})
			if err == nil {
				conn.Close()
			}
			if (err == nil) != tt.trusted {
				t.Errorf("verifying with the first server's pool: %v, want trusted %v", err, tt.trusted)
			}
			if same := string(next.CACertificatePEM()) == string(first.CACertificatePEM()); same != tt.trusted {
				t.Errorf("same CA certificate %v, want %v", same, tt.trusted)
			}
		})
	}
}

func TestScenarioCredentials(t *testing.T) {
	for _, info := range Scenarios() {
		creds, err := ScenarioCredentials(info.Name)
		if err != nil || len(creds) == 0 {
			t.Errorf("%s: %v, %d credentials", info.Name, err, len(creds))
			continue
		}
		s := startServer(t, Config{Scenario: info.Name})
		if got, want := fmt.Sprint(creds), fmt.Sprint(s.Credentials()); got != want {
			t.Errorf("%s: ScenarioCredentials %s, the running server %s", info.Name, got, want)
		}
	}
	if _, err := ScenarioCredentials("nope"); err == nil {
		t.Error("unknown scenario: no error")
	}
}
