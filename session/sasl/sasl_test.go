package sasl

import (
	"strings"
	"testing"
)

func TestCramMD5RFC2195Example(t *testing.T) {
	c := NewCramMD5Client("tim", "tanstaaftanstaaf")
	resp, err := c.Next([]byte("<1896.697170952@postoffice.reston.mci.net>"))
	if err != nil || string(resp) != "tim b913a602c7eda7a495b4e6e7334d3890" {
		t.Errorf("response %q, %v", resp, err)
	}
}

func TestLoginToleratesAnyPromptWording(t *testing.T) {
	cases := [][2]string{
		{"Username:", "Password:"},
		{"User Name", "Passwort"},
		{"", ""},
		{"请输入用户名", "请输入密码"},
	}
	for _, p := range cases {
		c := NewLoginClient("u", "secret")
		first, _ := c.Next([]byte(p[0]))
		second, _ := c.Next([]byte(p[1]))
		if string(first) != "u" || string(second) != "secret" {
			t.Errorf("prompts %q: answered %q then %q", p, first, second)
		}
		if _, err := c.Next([]byte("again?")); err == nil {
			t.Errorf("prompts %q: a third challenge was answered", p)
		}
	}
	// A server that asks for the password first is answered by its words.
	c := NewLoginClient("u", "secret")
	if r, _ := c.Next([]byte("Password:")); string(r) != "secret" {
		t.Errorf("password-first prompt answered %q", r)
	}
}

func TestXOAuth2InitialResponse(t *testing.T) {
	_, ir, _ := NewXOAuth2Client("me@example.com", "tok").Start()
	if string(ir) != "user=me@example.com\x01auth=Bearer tok\x01\x01" {
		t.Errorf("initial response %q", ir)
	}
}

func TestChoose(t *testing.T) {
	cases := []struct {
		offered []string
		token   bool
		want    string
		errHas  string
	}{
		{[]string{"PLAIN", "LOGIN", "SCRAM-SHA-256", "CRAM-MD5"}, false, "SCRAM-SHA-256", ""},
		{[]string{"login", "plain"}, false, "PLAIN", ""},
		{[]string{"PLAIN", "XOAUTH2", "OAUTHBEARER"}, true, "OAUTHBEARER", ""},
		{[]string{"XOAUTH2"}, false, "XOAUTH2", ""},
		{[]string{"PLAIN"}, true, "", "no OAuth 2.0"},
		{nil, false, "", "no AUTH mechanisms"},
		{[]string{"GSSAPI", "NTLM"}, false, "", "smtpscope speaks"},
	}
	for _, c := range cases {
		got, why, err := Choose(c.offered, c.token, false)
		if c.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), c.errHas) {
				t.Errorf("%v: error %v, want %q", c.offered, err, c.errHas)
			}
			continue
		}
		if got != c.want || !strings.Contains(why, got) {
			t.Errorf("%v token=%v: %q (%s), want %q", c.offered, c.token, got, why, c.want)
		}
	}
}

func TestNewRejectsUnknownMechanism(t *testing.T) {
	if _, err := New("GSSAPI", Credentials{}); err == nil || !strings.Contains(err.Error(), "GSSAPI") {
		t.Errorf("error %v", err)
	}
}
