package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/internal/nettest"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

func startProbeSandbox(t *testing.T) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Config{TLSListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func TestProbeJSONHasTheDocumentedFields(t *testing.T) {
	srv := startProbeSandbox(t)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"probe", srv.Addr(), "--insecure", "--json"}, strings.NewReader(""), &out, &errOut)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	for _, field := range []string{"address", "banner", "capabilities_plain", "capabilities_tls", "auth_mechanisms", "tls", "timings_ms", "warnings"} {
		if _, ok := got[field]; !ok {
			t.Errorf("JSON lacks %q", field)
		}
	}
	tlsObj, _ := got["tls"].(map[string]any)
	for _, field := range []string{"version", "cipher", "verified", "verify_error", "chain"} {
		if _, ok := tlsObj[field]; !ok {
			t.Errorf("JSON tls lacks %q: %v", field, tlsObj)
		}
	}
}

func TestProbeExitStatusNamesTheStage(t *testing.T) {
	srv := startProbeSandbox(t)
	cases := []struct {
		args []string
		want int
	}{
		{[]string{"probe", srv.Addr(), "--insecure"}, exitOK},
		{[]string{"probe", srv.Addr()}, exitProbeCertificate},
		{[]string{"probe", srv.Addr(), "--tls"}, exitProbeTLS},
		{[]string{"probe", nettest.ClosedAddr(t)}, exitProbeConnect},
		{[]string{"probe", srv.Addr(), "--starttls", "sometimes"}, exitUsage},
		{[]string{"probe", srv.Addr(), "--tls-min", "1.4"}, exitUsage},
		// The flags shared with connect are checked the same way.
		{[]string{"probe", srv.Addr(), "--insecure", "--starttls", "REQUIRE"}, exitOK},
		{[]string{"probe", srv.Addr(), "--timeout", "-1s"}, exitUsage},
		{[]string{"probe", srv.Addr(), "--ca", "/nonexistent/ca.pem"}, exitUsage},
		{[]string{"probe", srv.TLSAddr(), "--tls", "--insecure"}, exitOK},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), c.args, strings.NewReader(""), &out, &errOut); code != c.want {
			t.Errorf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", c.args, code, c.want, out.String(), errOut.String())
		}
	}
}

func TestProbeTextReportIsPlainWhenPiped(t *testing.T) {
	srv := startProbeSandbox(t)
	var out, errOut bytes.Buffer
	run(context.Background(), []string{"probe", srv.Addr(), "--insecure"}, strings.NewReader(""), &out, &errOut)
	text := out.String()
	for _, want := range []string{"Banner", "Capabilities before TLS", "Capabilities inside TLS", "Changed by STARTTLS", "+ AUTH", "SIZE", "NOT verified (--insecure)"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b[") {
		t.Errorf("report has escape sequences although not a terminal:\n%q", text)
	}
}

// fakeMX answers MX look-ups without the network.
type fakeMX map[string][]*net.MX

func (f fakeMX) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if mx, ok := f[name]; ok {
		return mx, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func TestProbeMXListsByPreference(t *testing.T) {
	saved := mxResolver
	t.Cleanup(func() { mxResolver = saved })
	mxResolver = fakeMX{"example.test": {{Host: "backup.example.test.", Pref: 20}, {Host: "127.0.0.1.", Pref: 5}}}
	var out, errOut bytes.Buffer
	// 127.0.0.1:25 is almost certainly closed here; the MX line comes first either way.
	run(context.Background(), []string{"probe", "example.test", "--mx", "--timeout", "2s"}, strings.NewReader(""), &out, &errOut)
	if !strings.Contains(out.String(), "5 127.0.0.1 · 20 backup.example.test") {
		t.Errorf("MX line missing or out of order:\n%s", out.String())
	}
}

// A failed probe in text mode says where it failed once, in the report,
// and not again in an error box on stderr; --json keeps a stderr line for
// scripts that only read the exit status and stderr.
func TestProbeFailureReportedOnce(t *testing.T) {
	srv := startProbeSandbox(t)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"probe", srv.Addr(), "--tls"}, strings.NewReader(""), &out, &errOut)
	if code != exitProbeTLS {
		t.Fatalf("exit %d, want %d", code, exitProbeTLS)
	}
	if n := strings.Count(out.String(), "speaks plain SMTP"); n != 1 {
		t.Errorf("report names the mismatch %d times, want once:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "Failed at the tls stage") {
		t.Errorf("report lacks the failed stage:\n%s", out.String())
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr repeats the failure: %q", errOut.String())
	}

	out.Reset()
	errOut.Reset()
	run(context.Background(), []string{"probe", srv.Addr(), "--tls", "--json"}, strings.NewReader(""), &out, &errOut)
	if !strings.Contains(errOut.String(), "failed at the tls stage") {
		t.Errorf("--json: stderr %q lacks the failure", errOut.String())
	}
}

// TestProbeCapabilityColumnsAlign: the descriptions of a capability list
// start in one column, also when a keyword is longer than it.
func TestProbeCapabilityColumnsAlign(t *testing.T) {
	caps := []session.ProbeCapability{
		{Keyword: "PIPELINING", Name: "Command pipelining", RFC: "RFC 2920"},
		{Keyword: "AUTH", Params: []string{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256", "SCRAM-SHA-1", "XOAUTH2", "OAUTHBEARER"}, Name: "Authentication", RFC: "RFC 4954"},
		{Keyword: "ENHANCEDSTATUSCODES", Name: "Enhanced status codes", RFC: "RFC 2034"},
	}
	var out bytes.Buffer
	writeProbeCaps(&out, caps, themes.NoColor())
	col := -1
	for _, line := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		for _, name := range []string{"Command pipelining", "Authentication", "Enhanced status codes"} {
			if i := strings.Index(line, name); i >= 0 {
				if col >= 0 && i != col {
					t.Errorf("%q starts at column %d, the others at %d:\n%s", name, i, col, out.String())
				}
				col = i
			}
		}
	}
	if col < 0 {
		t.Fatalf("no description printed:\n%s", out.String())
	}
}
