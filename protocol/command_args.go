package protocol

import (
	"fmt"
	"strings"
)

// The argument rules of the commands other than MAIL and RCPT (those are
// in params.go).

// checkArgCount applies the simple argument rules of the verbs without a
// grammar of their own.
func checkArgCount(p *problems, info verbInfo) {
	c := p.c
	switch info.args {
	case argsNone:
		if len(c.Args) > 0 {
			p.add(codeSyntaxArgs, info.ref,
				fmt.Sprintf("%s takes no arguments; type just %s (servers answer 501 to anything after it)", c.Verb, c.Verb))
		}
	case argsOne:
		switch {
		case len(c.Args) == 0:
			p.add(codeSyntaxArgs, info.ref,
				fmt.Sprintf("%s needs your host name: %s client.example.com (or an address literal such as [192.0.2.1]); servers answer 501 without it", c.Verb, c.Verb))
		case len(c.Args) > 1:
			p.add(codeSyntaxArgs, info.ref,
				fmt.Sprintf("%s takes one host name, not %d words; strict servers answer 501", c.Verb, len(c.Args)))
		default:
			checkHeloName(p, info.ref, c.Args[0])
		}
	case argsRequired:
		if len(c.Args) == 0 {
			what := "a user name or address"
			if c.Verb == VerbETRN {
				what = "a domain (ETRN example.com), @domain or #queue"
			}
			p.add(codeSyntaxArgs, info.ref, fmt.Sprintf("%s needs %s; servers answer 501 without it", c.Verb, what))
		}
	}
}

// checkHeloName checks the EHLO/HELO argument: a domain or an address
// literal (RFC 5321 4.1.1.1, 4.1.3).
func checkHeloName(p *problems, ref, name string) {
	if strings.HasPrefix(name, "[") {
		if !strings.HasSuffix(name, "]") {
			p.add(codeSyntaxArgs, "RFC 5321 4.1.3", "an address literal must be closed with ']': [192.0.2.1] or [IPv6:2001:db8::1]")
		}
		return
	}
	if strings.ContainsAny(name, "<>@") {
		p.add(codeSyntaxArgs, ref, "give your own host name, not an e-mail address: EHLO client.example.com")
		return
	}
	if !isASCIIString(name) {
		p.add(codeSyntaxArgs, "RFC 6531 3.7.1", "the host name must be ASCII; use its A-label (xn--…) form")
	}
}

// checkAuth checks AUTH mechanism [initial-response] (RFC 4954 4).
func checkAuth(p *problems) {
	c := p.c
	switch len(c.Args) {
	case 0:
		p.add(codeSyntaxArgs, "RFC 4954 4", "AUTH needs a mechanism: AUTH PLAIN, AUTH LOGIN, … (see the AUTH line of the EHLO reply)")
		return
	case 1, 2:
	default:
		p.add(codeSyntaxArgs, "RFC 4954 4", "AUTH takes a mechanism and at most one initial response, nothing more")
	}
	if !isSASLMechanism(c.Args[0]) {
		p.add(codeSyntaxArgs, "RFC 4422 3.1",
			fmt.Sprintf("%q is not a SASL mechanism name (letters, digits, '-' and '_', at most 20)", Sanitize(c.Args[0])))
	}
	if len(c.Args) >= 2 && c.Args[1] != "=" && !isBase64(c.Args[1]) {
		p.add(codeSyntaxArgs, "RFC 4954 4",
			"the initial response is not base64; servers answer 501 5.5.2 (send \"=\" for an empty one)")
	}
}

// maxSASLMechanism is the longest SASL mechanism name (RFC 4422 3.1).
const maxSASLMechanism = 20

func isSASLMechanism(s string) bool {
	if s == "" || len(s) > maxSASLMechanism {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlnum(c) || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func isBase64(s string) bool {
	if len(s)%4 != 0 {
		return false
	}
	pad := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '=':
			pad++
		case pad > 0:
			return false // data after padding
		case isAlnum(c) || c == '+' || c == '/':
		default:
			return false
		}
	}
	return pad <= 2
}

// checkBDAT checks BDAT chunk-size [LAST] (RFC 3030 2) and canonicalizes
// LAST.
func checkBDAT(p *problems) {
	c := p.c
	if len(c.Args) == 0 {
		p.add(codeSyntaxArgs, "RFC 3030 2", "BDAT needs the chunk size in octets: BDAT 1024, or BDAT 0 LAST to end the message")
		return
	}
	switch {
	case !isDigits(c.Args[0]):
		p.add(codeSyntaxArgs, "RFC 3030 2", fmt.Sprintf("the chunk size %q is not a number of octets", Sanitize(c.Args[0])))
	case len(c.Args[0]) > maxInt64Digits:
		// ChunkSize reads no more digits; a size it cannot read is a
		// problem here too, so that every reader of the command agrees.
		p.add(codeSyntaxArgs, "RFC 3030 2", fmt.Sprintf("the chunk size has %d digits; a chunk is at most %d digits of octets", len(c.Args[0]), maxInt64Digits))
	}
	switch {
	case len(c.Args) == 2 && strings.EqualFold(c.Args[1], "LAST"):
		c.Args[1] = "LAST"
	case len(c.Args) >= 2:
		p.add(codeSyntaxArgs, "RFC 3030 2", "after the size BDAT takes only the word LAST")
	}
}
