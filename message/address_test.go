package message

import (
	"errors"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
)

func TestParseSender(t *testing.T) {
	tests := []struct {
		in   string
		want Address
		err  string // part of the error; "" = none
	}{
		{"alice@example.com", Address{Addr: "alice@example.com"}, ""},
		{"  <alice@example.com> ", Address{Addr: "alice@example.com"}, ""},
		{"Alice Liddell <alice@example.com>", Address{Name: "Alice Liddell", Addr: "alice@example.com"}, ""},
		{`"Liddell, Alice" <alice@example.com>`, Address{Name: "Liddell, Alice", Addr: "alice@example.com"}, ""},
		{"=?utf-8?q?Jos=C3=A9?= <jose@example.com>", Address{Name: "José", Addr: "jose@example.com"}, ""},
		{"José <josé@exämple.test>", Address{Name: "José", Addr: "josé@exämple.test"}, ""},
		{"", Address{}, ""},
		{"<>", Address{}, ""},
		{"alice@testbed.localsecond test", Address{}, "space"},
		{"alice@example.com\r\nRCPT TO:<x@y.test>", Address{}, "line break"},
		{"alice@example.com\x00", Address{}, "control character"},
		{"Alice <alice@example.com", Address{}, "unbalanced"},
		{"alice@example.com>", Address{}, "unbalanced"},
		{"alice", Address{}, "local part and a domain"},
		{"alice@", Address{}, "not an address"},
		{"a@b@c", Address{}, "not an address"},
		{strings.Repeat("a", 260) + "@example.com", Address{}, "256"},
	}
	for _, tt := range tests {
		got, err := ParseSender(tt.in)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("ParseSender(%q): %v", tt.in, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseSender(%q) = %+v, %v; want an error about %q", tt.in, got, err, tt.err)
		case tt.err == "" && got != tt.want:
			t.Errorf("ParseSender(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		var ae *AddressError
		if err != nil && (!errors.As(err, &ae) || ae.Field != "From" || strings.ContainsAny(err.Error(), "\r\n\x00")) {
			t.Errorf("ParseSender(%q): error %q is not a clean AddressError for From", tt.in, err)
		}
	}
}

func TestParseRecipients(t *testing.T) {
	tests := []struct {
		in   string
		want []string // addresses
		err  string
	}{
		{"a@x.test", []string{"a@x.test"}, ""},
		{"a@x.test, b@y.test;c@z.test", []string{"a@x.test", "b@y.test", "c@z.test"}, ""},
		{`"Smith, Ann" <ann@x.test>, Bob <bob@y.test>`, []string{"ann@x.test", "bob@y.test"}, ""},
		{"a@x.test,, ,b@y.test", []string{"a@x.test", "b@y.test"}, ""},
		{"postmaster", []string{"postmaster"}, ""},
		{"", nil, "at least one"},
		{" , ", nil, "at least one"},
		{"a@x.test b@y.test", nil, "separate several addresses with commas"},
		{"a@x.test, <>", nil, "empty path"},
		{"a@x.test, bad", nil, `"bad"`},
	}
	for _, tt := range tests {
		got, err := ParseRecipients(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseRecipients(%q) = %v, %v; want an error about %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseRecipients(%q): %v", tt.in, err)
			continue
		}
		var addrs []string
		for _, a := range got {
			addrs = append(addrs, a.Addr)
		}
		if strings.Join(addrs, " ") != strings.Join(tt.want, " ") {
			t.Errorf("ParseRecipients(%q) = %q, want %q", tt.in, addrs, tt.want)
		}
	}
}

// Whatever the field holds, what comes back is safe on a command line:
// no line break, no space outside quotes, no angle bracket.
func FuzzParseRecipients(f *testing.F) {
	for _, s := range []string{"a@x.test", `"a b" <a@x>, c@d`, "=?utf-8?q?x?= <x@y>", "<>", "a@b\r\nDATA", "postmaster", "a@[127.0.0.1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, field string) {
		list, err := ParseRecipients(field)
		if err != nil {
			return
		}
		for _, a := range list {
			if strings.ContainsAny(a.Addr, "\r\n<>") || a.Addr == "" {
				t.Fatalf("ParseRecipients(%q) gave %q", field, a.Addr)
			}
			if ps := protocol.PathProblems(a.Addr, false); len(ps) > 0 {
				t.Fatalf("ParseRecipients(%q) gave %q, which the grammar refuses: %v", field, a.Addr, ps)
			}
		}
	})
}
