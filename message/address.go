package message

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-message/mail"

	"github.com/smtpscope/smtpscope/protocol"
)

// Address is one mailbox of the form: an optional display name and the
// address that goes on the envelope (MAIL FROM, RCPT TO).
type Address struct {
	Name string // display name, any Unicode; RFC 2047-encoded in headers when not ASCII
	Addr string // local@domain, without angle brackets; "" only for the null sender
}

// String returns the address as a header shows it: "Name <addr>" or
// "<addr>", with the name encoded when it is not ASCII (RFC 2047 5.3).
func (a Address) String() string {
	return (&mail.Address{Name: a.Name, Address: a.Addr}).String()
}

// IsNull reports whether a is the null reverse-path <> (RFC 5321 4.5.5).
func (a Address) IsNull() bool { return a.Addr == "" }

// Domain returns the part after the last '@', "" when there is none.
func (a Address) Domain() string {
	if i := strings.LastIndexByte(a.Addr, '@'); i >= 0 {
		return a.Addr[i+1:]
	}
	return ""
}

// ASCII reports whether the address (not the name) is all ASCII; one
// that is not needs SMTPUTF8 (RFC 6531 3.4).
func (a Address) ASCII() bool { return isASCII(a.Addr) }

// AddressError is a form field that does not hold a usable address.
type AddressError struct {
	Field  string // "From", "To"
	Input  string // the text that was refused, sanitized for display
	Reason string // plain words: what is wrong and what to type instead
}

func (e *AddressError) Error() string {
	if e.Input == "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("%s: %q %s", e.Field, e.Input, e.Reason)
}

// postmaster is the one mailbox a recipient may name without a domain
// (RFC 5321 4.1.1.3).
const postmaster = "postmaster"

// errNoRecipient is the reason given for an empty To field.
var errNoRecipient = errors.New("needs at least one address (separate several with commas)")

// ParseSender reads the From field: "alice@example.com", "<alice@example.com>",
// "Alice <alice@example.com>" or a quoted or RFC 2047 name. Empty or "<>"
// is the null sender (a bounce), returned as the zero Address.
func ParseSender(field string) (Address, error) {
	s := strings.TrimSpace(field)
	if s == "" || s == "<>" {
		return Address{}, nil
	}
	return parseOne("From", s, true)
}

// ParseRecipients reads the To field: addresses as [ParseSender] takes
// them, separated by commas or semicolons. It refuses an empty field and
// names the first address that is wrong.
func ParseRecipients(field string) ([]Address, error) {
	var out []Address
	for _, part := range splitList(field) {
		a, err := parseOne("To", part, false)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, &AddressError{Field: "To", Reason: errNoRecipient.Error()}
	}
	return out, nil
}

// CheckAddress checks one envelope address as the session will send it
// (MAIL FROM when sender, else RCPT TO): the checks of [ParseSender]
// without a display name.
func CheckAddress(field, addr string, sender bool) error {
	if sender && addr == "" {
		return nil
	}
	_, err := parseOne(field, addr, sender)
	return err
}

// parseOne parses one address, with reasons people can act on before the
// terse ones of net/mail.
func parseOne(field, s string, sender bool) (Address, error) {
	s = strings.TrimSpace(s)
	fail := func(reason string) (Address, error) {
		return Address{}, &AddressError{Field: field, Input: protocol.Sanitize(s), Reason: reason}
	}
	switch {
	case s == "":
		return fail("is empty; type an address such as user@example.com")
	case strings.ContainsAny(s, "\r\n"):
		return fail("has a line break in it; an address is one line (and a line break would end the SMTP command early)")
	case hasControl(s):
		return fail("has a control character in it; retype the address")
	case strings.Count(outsideQuotes(s), "<") != strings.Count(outsideQuotes(s), ">"):
		return fail("has unbalanced angle brackets; write user@example.com or Name <user@example.com>")
	case !strings.Contains(outsideQuotes(s), "<") && strings.ContainsAny(outsideQuotes(s), " \t"):
		return fail("has a space in it; an address has none (separate several addresses with commas, or write Name <user@example.com>)")
	}
	if bare := strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">"); bare == "" || strings.EqualFold(bare, postmaster) {
		// Paths net/mail does not take: <> and, for RCPT, a bare
		// Postmaster (RFC 5321 4.1.1.3).
		if ps := protocol.PathProblems(bare, sender); len(ps) > 0 {
			return fail(ps[0].String())
		}
		return Address{Addr: bare}, nil
	}
	parsed, err := mail.ParseAddress(s)
	if err != nil {
		if !strings.Contains(s, "@") {
			return fail("is not an address: it needs a local part and a domain, user@example.com")
		}
		return fail(fmt.Sprintf("is not an address (%s); write user@example.com or Name <user@example.com>",
			strings.TrimPrefix(err.Error(), "mail: ")))
	}
	a := Address{Name: parsed.Name, Addr: parsed.Address}
	if ps := protocol.PathProblems(a.Addr, sender); len(ps) > 0 {
		return fail(ps[0].String())
	}
	return a, nil
}

// splitList splits a To field at commas and semicolons outside quotes
// and angle brackets.
func splitList(s string) []string {
	var parts []string
	quoted, depth, start := false, 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<':
			depth++
		case c == '>':
			depth--
		case (c == ',' || c == ';') && depth <= 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	parts = append(parts, s[start:])
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// outsideQuotes returns s without its quoted strings.
func outsideQuotes(s string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case !quoted:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
