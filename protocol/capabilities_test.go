package protocol

import (
	"maps"
	"reflect"
	"testing"
)

const gmailEHLO = "250-smtp.gmail.com at your service, [203.0.113.5]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n" +
	"250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8"

const gmailEHLOAfterTLS = "250-smtp.gmail.com at your service, [203.0.113.5]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n" +
	"250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8"

func TestParseEHLO(t *testing.T) {
	c := ParseEHLO(replyOf(t, gmailEHLO))
	if c.Domain != "smtp.gmail.com" || c.Greeting != "at your service, [203.0.113.5]" {
		t.Errorf("Domain %q Greeting %q", c.Domain, c.Greeting)
	}
	want := []string{"SIZE", "8BITMIME", "STARTTLS", "ENHANCEDSTATUSCODES", "PIPELINING", "CHUNKING", "SMTPUTF8"}
	if got := c.Keywords(); !reflect.DeepEqual(got, want) {
		t.Errorf("Keywords() = %q, want %q", got, want)
	}
	if n, ok := c.Size(); !ok || n != 35882577 {
		t.Errorf("Size() = %d, %v", n, ok)
	}
	if !c.Has("starttls") || c.Has("AUTH") {
		t.Error("Has is wrong: want STARTTLS (any case) and no AUTH")
	}
	if mechs := c.AuthMechanisms(); mechs != nil {
		t.Errorf("AuthMechanisms() = %q before TLS, want none", mechs)
	}
}

func TestParseEHLOAuthForms(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		mechs  []string
		legacy bool
	}{
		{"standard", "250-mx\r\n250 AUTH PLAIN LOGIN", []string{"PLAIN", "LOGIN"}, false},
		{"lower case", "250-mx\r\n250 auth plain login", []string{"PLAIN", "LOGIN"}, false},
		{"old form only", "250-mx\r\n250 AUTH=LOGIN PLAIN", []string{"LOGIN", "PLAIN"}, true},
		{"both forms merged", "250-mx\r\n250-AUTH LOGIN PLAIN\r\n250 AUTH=LOGIN PLAIN CRAM-MD5", []string{"LOGIN", "PLAIN", "CRAM-MD5"}, false},
		{"old form without value", "250-mx\r\n250 AUTH=", nil, true},
	}
	for _, tt := range tests {
		c := ParseEHLO(replyOf(t, tt.in))
		if got := c.AuthMechanisms(); !reflect.DeepEqual(got, tt.mechs) && !(len(got) == 0 && len(tt.mechs) == 0) {
			t.Errorf("%s: AuthMechanisms() = %q, want %q", tt.name, got, tt.mechs)
		}
		cp, ok := c.Get("AUTH")
		if !ok || cp.Legacy != tt.legacy {
			t.Errorf("%s: Get(AUTH) = %+v, %v; want legacy %v", tt.name, cp, ok, tt.legacy)
		}
		if len(c.List) != 1 {
			t.Errorf("%s: %d capabilities, want AUTH once", tt.name, len(c.List))
		}
	}
}

func TestParseEHLOParams(t *testing.T) {
	c := ParseEHLO(replyOf(t, "250-mx.example\r\n250-SIZE\r\n250-LIMITS RCPTMAX=100 MAILMAX=10 junk RCPTDOMAINMAX=x\r\n"+
		"250-XCLIENT NAME ADDR\r\n250-X-FUTURE-THING a b\r\n250- \r\n250 DSN"))
	if n, ok := c.Size(); !ok || n != 0 {
		t.Errorf("Size() without a number = %d, %v; want 0 (no fixed limit), true", n, ok)
	}
	want := map[string]int{"RCPTMAX": 100, "MAILMAX": 10}
	if got := c.Limits(); !maps.Equal(got, want) {
		t.Errorf("Limits() = %v, want %v", got, want)
	}
	if cp, ok := c.Get("X-FUTURE-THING"); !ok || !reflect.DeepEqual(cp.Params, []string{"a", "b"}) || cp.Raw != "X-FUTURE-THING a b" {
		t.Errorf("unknown keyword kept as %+v, %v", cp, ok)
	}
	if len(c.List) != 5 {
		t.Errorf("%d capabilities (%q), want 5: the empty line is skipped", len(c.List), c.Keywords())
	}
	if _, ok := ParseEHLO(replyOf(t, "250 mx")).Size(); ok {
		t.Error("Size() ok with no SIZE advertised")
	}
	if l := ParseEHLO(replyOf(t, "250 mx")).Limits(); l != nil {
		t.Errorf("Limits() = %v with no LIMITS", l)
	}
}

func TestDiffCapabilities(t *testing.T) {
	before := ParseEHLO(replyOf(t, gmailEHLO))
	after := ParseEHLO(replyOf(t, gmailEHLOAfterTLS))
	diff := DiffCapabilities(before, after)
	if len(diff) != 2 {
		t.Fatalf("diff = %+v, want AUTH added and STARTTLS removed", diff)
	}
	if diff[0].Keyword != "AUTH" || !diff[0].Added() || diff[0].After == nil || len(diff[0].After.Params) != 6 {
		t.Errorf("diff[0] = %+v, want AUTH added with 6 mechanisms", diff[0])
	}
	if diff[1].Keyword != "STARTTLS" || !diff[1].Removed() {
		t.Errorf("diff[1] = %+v, want STARTTLS removed", diff[1])
	}
	changed := DiffCapabilities(ParseEHLO(replyOf(t, "250-mx\r\n250 AUTH LOGIN")), ParseEHLO(replyOf(t, "250-mx\r\n250 AUTH LOGIN PLAIN")))
	if len(changed) != 1 || changed[0].Added() || changed[0].Removed() {
		t.Errorf("parameter change = %+v, want one changed AUTH", changed)
	}
	if d := DiffCapabilities(before, before); len(d) != 0 {
		t.Errorf("diff of a list with itself = %+v", d)
	}
}
