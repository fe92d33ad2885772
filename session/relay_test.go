package session

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
)

func TestClientHandshakeVerifiesLikeASession(t *testing.T) {
	pki := newPKI(t)
	cert := pki.goodLeaf(t)
	addr := serve(t, 2, func(p *peer) { p.startTLS(cert) })
	for _, tc := range []struct {
		name     string
		cfg      Config
		verified bool
		certErr  bool
	}{
		{"trusted", Config{Address: addr, RootCAs: pki.pool}, true, false},
		{"untrusted", Config{Address: addr, RootCAs: newPKI(t).pool}, false, true},
	} {
		raw, err := Dial(context.Background(), tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		tcn, info, err := ClientHandshake(raw, tc.cfg, true)
		var ce *CertificateError
		if got := errors.As(err, &ce); got != tc.certErr {
			t.Errorf("%s: error %v, want certificate error %v", tc.name, err, tc.certErr)
		}
		if tcn == nil || info == nil || info.Verified != tc.verified {
			t.Fatalf("%s: conn %v info %+v", tc.name, tcn, info)
		}
		if !strings.HasPrefix(info.Summary(), "TLS handshake complete") {
			t.Errorf("%s: summary %q", tc.name, info.Summary())
		}
		raw.Close()
	}
}

func TestDialWordsARefusal(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = Dial(context.Background(), Config{Address: addr})
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("dial error %v, want the refusal in plain words", err)
	}
}

func TestLentRedaction(t *testing.T) {
	text, withUser, redacted := RedactAuthCommand(protocol.ParseCommand("AUTH PLAIN AGRlbW8Ac2VjcmV0"))
	if !redacted || strings.Contains(text, "AGRlbW8Ac2VjcmV0") || !strings.Contains(withUser, `"demo"`) || strings.Contains(withUser, "secret") {
		t.Errorf("AUTH PLAIN shown as %q / %q (redacted %v)", text, withUser, redacted)
	}
	if text, redacted := RedactSASLResponse("c2VjcmV0"); !redacted || strings.Contains(text, "c2VjcmV0") {
		t.Errorf("SASL response shown as %q", text)
	}
	if text, redacted := RedactSASLResponse("*"); redacted || text != "*" {
		t.Errorf("cancel shown as %q", text)
	}
	if got := DecodeChallenge("VXNlcm5hbWU6"); got != "Username:" {
		t.Errorf("challenge decoded as %q", got)
	}
	if got := CredentialFree(protocol.ParseCommand("AUTH PLAIN AGRlbW8Ac2VjcmV0")); got.Raw != "AUTH PLAIN" {
		t.Errorf("credential-free command %q", got.Raw)
	}
}
