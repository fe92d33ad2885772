package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// untrustedCertificate is a STARTTLS whose certificate does not verify,
// as the session reports it: the handshake, the error, the close.
func untrustedCertificate(s *script) *script {
	s.client("STARTTLS", "STARTTLS")
	s.reply("STARTTLS", time.Millisecond, "220 2.0.0 Ready to start TLS", protocol.StateGreeted)
	info := &session.TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256",
		VerifyError: `the certificate is signed by an unknown authority "Example Private CA"`,
		VerifyHint:  "a private CA? pass it with --ca FILE",
		Chain:       []session.CertInfo{{Subject: "CN=mail.example", Issuer: "CN=Example Private CA", DER: []byte{1}}}}
	s.add(session.Event{Kind: session.KindTLS, TLSInfo: info, TLS: true})
	s.add(session.Event{Kind: session.KindInfo, Text: "TLS handshake complete: TLS 1.3, TLS_AES_128_GCM_SHA256, certificate NOT trusted", TLS: true})
	err := &session.CertificateError{Reason: info.VerifyError, Hint: info.VerifyHint}
	s.add(session.Event{Kind: session.KindError, Text: err.Error(), Err: err, Suggest: session.SuggestTrustCertificate, TLS: true})
	return s.add(session.Event{Kind: session.KindClosed, Text: "connection closed: " + err.Error(), Err: err, Suggest: session.SuggestTrustCertificate, TLS: true})
}

// TestConnectionFailureOnTheExplainTab: a connection that ends on an
// error says so on the Explain tab — what failed, the reason in words, and
// the keys that apply — instead of the last reply's "nothing to fix"; the
// pane says the reason once, and its close line does not repeat it.
func TestConnectionFailureOnTheExplainTab(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	m.panel.SetTab(TabCapabilities)
	feed(m, untrustedCertificate(afterEHLO()))

	if m.panel.Tab() != TabExplain {
		t.Errorf("the panel stays on %v; a failure brings the Explain tab forward", m.panel.Tab())
	}
	got := explainText(m)
	for _, want := range []string{"Certificate not trusted", "unknown authority", "alt+k", "alt+i", "ctrl+r"} {
		if !strings.Contains(got, want) {
			t.Errorf("the Explain tab lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"--ca", "--insecure", "Nothing to fix", "220"} {
		if strings.Contains(got, not) {
			t.Errorf("the Explain tab shows %q:\n%s", not, got)
		}
	}
	if strings.Contains(paneText(m), "--ca") {
		t.Errorf("the pane gives command-line flags for what keys do here:\n%s", paneText(m))
	}
	if n := strings.Count(paneText(m), "unknown authority"); n != 1 {
		t.Errorf("the pane says the reason %d times, want once:\n%s", n, paneText(m))
	}
	if !strings.Contains(ansi.Strip(m.View().Content), "Certificate not trusted") {
		t.Errorf("the screen does not show the failure:\n%s", ansi.Strip(m.View().Content))
	}

	// A selected reply still shows; back to following, the failure again.
	m.pane.SelectIndex(lineIndex(t, m, session.KindClient, "STARTTLS"))
	m.syncPanel()
	if r := m.panel.reply; r == nil || r.Code != 220 {
		t.Fatalf("STARTTLS selected: the panel shows %v, want its 220", r)
	}
	m.pane.SelectIndex(-1)
	m.syncPanel()
	if got := explainText(m); !strings.Contains(got, "Certificate not trusted") {
		t.Errorf("back to following: the panel shows\n%s", got)
	}
}

// TestRefusedConnectionOnTheExplainTab: a connection that never came up
// says it could not connect, with the reconnect key.
func TestRefusedConnectionOnTheExplainTab(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := newScript()
	err := errors.New("cannot connect to 127.0.0.1:1: connection refused (is a server listening there?)")
	s.add(session.Event{Kind: session.KindError, Text: err.Error(), Err: err})
	s.add(session.Event{Kind: session.KindClosed, Text: "not connected", Err: err})
	feed(m, s)
	got := explainText(m)
	if !strings.Contains(got, "Could not connect") || !strings.Contains(got, "connection refused") || !strings.Contains(got, "ctrl+r") {
		t.Errorf("the Explain tab after a refused connection:\n%s", got)
	}
	if n := strings.Count(paneText(m), "connection refused"); n != 1 {
		t.Errorf("the pane says the reason %d times, want once:\n%s", n, paneText(m))
	}
}
