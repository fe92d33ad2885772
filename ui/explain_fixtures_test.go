package ui

import (
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// panelNow is the clock of every panel test, so certificate ages are stable.
var panelNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func mustReply(t testing.TB, text string) *protocol.Reply {
	t.Helper()
	r, err := protocol.ParseReply(text)
	if err != nil {
		t.Fatalf("ParseReply(%q): %v", text, err)
	}
	return &r
}

func gmail535(t testing.TB) (*protocol.Reply, *protocol.Explanation) {
	r := mustReply(t, "535-5.7.8 Username and Password not accepted. For more information, go to\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials d2sm1234 - gsmtp\r\n")
	e := protocol.Explain(*r, protocol.ExplainContext{Command: protocol.VerbAUTH, Host: "smtp.gmail.com", TLS: true, Mechanism: "LOGIN"})
	return r, &e
}

func capsFixture(t testing.TB) (before, after protocol.Capabilities) {
	before = protocol.ParseEHLO(*mustReply(t, "250-smtp.example.com at your service\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n"))
	after = protocol.ParseEHLO(*mustReply(t, "250-smtp.example.com at your service\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-AUTH LOGIN PLAIN XOAUTH2\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250 X-VENDOR-THING on\r\n"))
	return before, after
}

func tlsFixture() *session.TLSInfo {
	return &session.TLSInfo{
		Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", ServerName: "smtp.example.com",
		Verified: true, Handshake: 41 * time.Millisecond,
		Chain: []session.CertInfo{
			{Subject: "CN=smtp.example.com", Issuer: "CN=Example Issuing CA", DNSNames: []string{"smtp.example.com", "mx.example.com"},
				NotBefore: panelNow.AddDate(0, -2, 0), NotAfter: panelNow.AddDate(0, 0, 42), KeyType: "ECDSA P-256", Signature: "SHA256-RSA"},
			{Subject: "CN=Example Issuing CA", Issuer: "CN=Example Root", NotBefore: panelNow.AddDate(-2, 0, 0), NotAfter: panelNow.AddDate(3, 0, 0), KeyType: "RSA 2048", Signature: "SHA256-RSA"},
		},
	}
}

// fullPanel returns a panel with every tab filled: a Gmail-like 535 after
// STARTTLS and EHLO, a verified TLS 1.3 chain and a session summary.
func fullPanel(t testing.TB, st *themes.Styles, w, h int) *ExplainPanel {
	return fullPanelAt(t, st, w, h, func() time.Time { return panelNow })
}

// fullPanelAt is fullPanel with the given clock.
func fullPanelAt(t testing.TB, st *themes.Styles, w, h int, now func() time.Time) *ExplainPanel {
	p := NewExplainPanel(NewContext(st, now, time.UTC))
	p.SetSize(w, h)
	r, e := gmail535(t)
	p.SetReply(r, e)
	before, after := capsFixture(t)
	p.SetSnapshot(protocol.Snapshot{State: protocol.StateReady, Caps: after, CapsBeforeTLS: before, TLS: true, Extended: true})
	p.SetTLS(tlsFixture())
	p.SetSummary(SessionSummary{
		Address: "smtp.example.com:587", Provider: protocol.Provider{ID: "gmail", Name: "Gmail"},
		Connected: panelNow, Commands: 5, Replies: 6, Errors: 1,
		LastLatency: 88 * time.Millisecond, BannerDelay: 120 * time.Millisecond, Generation: 1,
	})
	return p
}
