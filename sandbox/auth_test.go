package sandbox

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/xdg-go/scram"
)

// challenge decodes the base64 text of a 334 reply.
func challenge(t *testing.T, r string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(r, "334 "))
	if err != nil {
		t.Fatalf("334 challenge %q is not base64: %v", r, err)
	}
	return string(b)
}

func TestAuthPlain(t *testing.T) {
	s := startServer(t, Config{})
	tests := []struct {
		name, line string
		code       int
		enhanced   string
	}{
		{"initial response", "AUTH PLAIN " + plain("demo", "demo-password"), codeAuthOK, "2.7.0"},
		{"address as username", "AUTH PLAIN " + plain("demo@sandbox.test", "demo-password"), codeAuthOK, "2.7.0"},
		{"wrong password", "AUTH PLAIN " + plain("demo", "nope"), codeAuthInvalid, "5.7.8"},
		{"unknown user", "AUTH PLAIN " + plain("eve", "demo-password"), codeAuthInvalid, "5.7.8"},
		{"acting for another user", "AUTH PLAIN " + b64("root\x00demo\x00demo-password"), codeAuthInvalid, "5.7.8"},
		{"not base64", "AUTH PLAIN !!!!", codeSyntaxArgs, "5.5.4"},
		{"no NULs", "AUTH PLAIN " + b64("demo demo-password"), codeSyntaxArgs, "5.5.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ehloTLS(t, s)
			c.cmd(tt.line, tt.code, tt.enhanced)
		})
	}
	t.Run("empty challenge", func(t *testing.T) {
		c := ehloTLS(t, s)
		c.send("AUTH PLAIN")
		if raw := c.expectReply(codeAuthChallenge, "").Raw(); raw != "334 " {
			t.Errorf("PLAIN without initial response: %q, want \"334 \" (RFC 4954 4)", raw)
		}
		c.cmd(plain("demo", "demo-password"), codeAuthOK, "2.7.0")
	})
	t.Run("cancel", func(t *testing.T) {
		c := ehloTLS(t, s)
		c.cmd("AUTH PLAIN", codeAuthChallenge, "")
		c.cmd("*", codeSyntaxArgs, "5.0.0")
		c.cmd("AUTH PLAIN "+plain("demo", "demo-password"), codeAuthOK, "2.7.0")
	})
	t.Run("garbage response", func(t *testing.T) {
		c := ehloTLS(t, s)
		c.cmd("AUTH PLAIN", codeAuthChallenge, "")
		c.cmd("not*base64", codeSyntaxArgs, "5.5.2")
	})
}

func TestAuthLogin(t *testing.T) {
	s := startServer(t, Config{})
	c := ehloTLS(t, s)
	if p := challenge(t, c.cmd("AUTH LOGIN", codeAuthChallenge, "").Raw()); p != "Username:" {
		t.Errorf("first prompt %q", p)
	}
	if p := challenge(t, c.cmd(b64("demo"), codeAuthChallenge, "").Raw()); p != "Password:" {
		t.Errorf("second prompt %q", p)
	}
	c.cmd(b64("demo-password"), codeAuthOK, "2.7.0")

	c = ehloTLS(t, s)
	c.cmd("AUTH LOGIN "+b64("demo"), codeAuthChallenge, "")
	c.cmd(b64("wrong"), codeAuthInvalid, "5.7.8")
}

func TestAuthCRAMMD5(t *testing.T) {
	s := startServer(t, Config{})
	for _, tt := range []struct {
		password string
		code     int
	}{{"demo-password", codeAuthOK}, {"wrong", codeAuthInvalid}} {
		c := ehloTLS(t, s)
		ch := challenge(t, c.cmd("AUTH CRAM-MD5", codeAuthChallenge, "").Raw())
		if !strings.HasPrefix(ch, "<") || !strings.HasSuffix(ch, "@sandbox.test>") {
			t.Errorf("challenge %q is not <nonce@host> (RFC 2195 2)", ch)
		}
		mac := hmac.New(md5.New, []byte(tt.password))
		mac.Write([]byte(ch))
		c.send(b64("demo " + hex.EncodeToString(mac.Sum(nil))))
		if r := c.reply(); r.Code != tt.code {
			t.Errorf("password %q: %q", tt.password, r.Raw())
		}
	}
}

func TestAuthSCRAM(t *testing.T) {
	s := startServer(t, Config{})
	for _, tt := range []struct {
		password string
		ok       bool
	}{{"demo-password", true}, {"wrong", false}} {
		c := ehloTLS(t, s)
		cl, err := scram.SHA256.NewClient("demo", tt.password, "")
		if err != nil {
			t.Fatal(err)
		}
		conv := cl.NewConversation()
		first, _ := conv.Step("")
		ch := challenge(t, c.cmd("AUTH SCRAM-SHA-256 "+b64(first), codeAuthChallenge, "").Raw())
		final, err := conv.Step(ch)
		if err != nil {
			t.Fatal(err)
		}
		c.send(b64(final))
		r := c.reply()
		if !tt.ok {
			if r.Code != codeAuthInvalid {
				t.Errorf("wrong password: %q", r.Raw())
			}
			continue
		}
		if r.Code != codeAuthChallenge {
			t.Fatalf("client-final: %q", r.Raw())
		}
		if _, err := conv.Step(challenge(t, r.Raw())); err != nil || !conv.Valid() {
			t.Fatalf("server signature not valid: %v", err)
		}
		c.cmd("", codeAuthOK, "2.7.0")
	}
}

func TestAuthXOAUTH2(t *testing.T) {
	s := startServer(t, Config{})
	c := ehloTLS(t, s)
	c.cmd("AUTH XOAUTH2 "+b64("user=demo\x01auth=Bearer demo-token\x01\x01"), codeAuthOK, "2.7.0")

	c = ehloTLS(t, s)
	ch := challenge(t, c.cmd("AUTH XOAUTH2 "+b64("user=demo\x01auth=Bearer expired\x01\x01"), codeAuthChallenge, "").Raw())
	if !strings.Contains(ch, `"status":"401"`) {
		t.Errorf("error challenge %q", ch)
	}
	c.cmd("", codeAuthInvalid, "5.7.8")
}

// The default refusals read as what they are: a failed login (a refused
// token after XOAUTH2), from no provider. Words a provider uses as its
// template would send the learner to that provider's fixes.
func TestDefaultRefusalsExplainAsTheirReason(t *testing.T) {
	s := startServer(t, Config{})
	tests := []struct {
		mechanism string
		login     func(c *client) protocol.Reply
		want      protocol.Reason
	}{
		{"PLAIN", func(c *client) protocol.Reply {
			return c.cmd("AUTH PLAIN "+plain("demo", "wrong"), codeAuthInvalid, "5.7.8")
		}, protocol.ReasonAuthFailed},
		{"LOGIN", func(c *client) protocol.Reply {
			c.cmd("AUTH LOGIN", codeAuthChallenge, "")
			c.cmd(b64("demo"), codeAuthChallenge, "")
			return c.cmd(b64("wrong"), codeAuthInvalid, "5.7.8")
		}, protocol.ReasonAuthFailed},
		{"XOAUTH2", func(c *client) protocol.Reply {
			c.cmd("AUTH XOAUTH2 "+b64("user=demo\x01auth=Bearer expired\x01\x01"), codeAuthChallenge, "")
			return c.cmd("", codeAuthInvalid, "5.7.8")
		}, protocol.ReasonAuthToken},
	}
	for _, tt := range tests {
		t.Run(tt.mechanism, func(t *testing.T) {
			r := tt.login(ehloTLS(t, s))
			e := protocol.Explain(r, protocol.ExplainContext{Command: protocol.VerbAUTH, Mechanism: tt.mechanism})
			if e.Reason != tt.want || e.Provider.ID != "" {
				t.Errorf("%q explains as %s (%s), provider %q; want %s from no provider", r.Raw(), e.Reason, e.Evidence, e.Provider.ID, tt.want)
			}
		})
	}
}
