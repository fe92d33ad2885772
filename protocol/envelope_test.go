package protocol

import (
	"errors"
	"strings"
	"testing"
)

func TestMailParams(t *testing.T) {
	all := ParseEHLO(replyOf(t, "250-mx.test\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"))
	none := ParseEHLO(replyOf(t, "250 mx.test\r\n"))
	tests := []struct {
		name    string
		caps    Capabilities
		size    int64
		needs   MessageNeeds
		want    string // params joined by spaces
		missing string // the extension of the *ExtensionError
	}{
		{"plain message", all, 42, MessageNeeds{}, "SIZE=42", ""},
		{"size unknown", all, -1, MessageNeeds{}, "", ""},
		{"no SIZE offered", none, 42, MessageNeeds{}, "", ""},
		{"8-bit content", all, 42, MessageNeeds{EightBit: true}, "SIZE=42 BODY=8BITMIME", ""},
		{"UTF-8 address", all, 42, MessageNeeds{EightBit: true, UTF8: true}, "SIZE=42 BODY=8BITMIME SMTPUTF8", ""},
		{"UTF-8 without 8-bit content", all, 0, MessageNeeds{UTF8: true}, "SIZE=0 SMTPUTF8", ""},
		{"8-bit not offered", none, 42, MessageNeeds{EightBit: true}, "", Ext8BitMIME},
		{"SMTPUTF8 not offered", none, 42, MessageNeeds{UTF8: true, UTF8Why: "the recipient address josé@x.test is not ASCII"}, "", ExtSMTPUTF8},
	}
	for _, tt := range tests {
		params, err := MailParams(tt.caps, tt.size, tt.needs)
		var ee *ExtensionError
		switch {
		case tt.missing != "":
			if !errors.As(err, &ee) || ee.Extension != tt.missing {
				t.Errorf("%s: err = %v, want an ExtensionError for %s", tt.name, err, tt.missing)
			} else if tt.needs.UTF8Why != "" && !strings.Contains(err.Error(), tt.needs.UTF8Why) {
				t.Errorf("%s: %q does not say why", tt.name, err)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var got []string
		for _, p := range params {
			got = append(got, p.String())
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: params %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestPathProblems(t *testing.T) {
	tests := []struct {
		addr   string
		sender bool
		want   string // part of the first problem; "" = none
	}{
		{"alice@example.com", false, ""},
		{"", true, ""},
		{"", false, "empty path"},
		{"postmaster", false, ""},
		{"josé@exämple.test", false, ""},
		{`"a b"@example.com`, false, ""},
		{`"a>b"@example.com`, false, ""},
		{"alice@testbed.localsecond test", true, "space"},
		{"alice@example.com\r\nRCPT TO:<x@y>", false, "CR or LF"},
		{"alice@example.com>", false, "'<' or '>'"},
		{"<alice@example.com", false, "'<' or '>'"},
		{"alice", false, "local part and a domain"},
		{"alice@", false, "local part and a domain"},
		{strings.Repeat("a", 250) + "@example.com", false, "256"},
	}
	for _, tt := range tests {
		ps := PathProblems(tt.addr, tt.sender)
		switch {
		case tt.want == "" && len(ps) > 0:
			t.Errorf("PathProblems(%q) = %v, want none", tt.addr, ps)
		case tt.want != "" && (len(ps) == 0 || !strings.Contains(ps[0].String(), tt.want)):
			t.Errorf("PathProblems(%q) = %v, want one about %q", tt.addr, ps, tt.want)
		}
	}
}
