package protocol

import (
	"fmt"
	"strconv"
	"strings"
)

// The value rules of the ESMTP parameters (the table is in params.go).

// Limits of ESMTP parameter values.
const (
	// maxEnvIDOctets: RFC 3461 4.4, ENVID is at most 100 characters.
	maxEnvIDOctets = 100
	// mtPriorityMin and mtPriorityMax bound MT-PRIORITY (RFC 6710 3).
	mtPriorityMin = -9
	mtPriorityMax = 9
)

func checkBody(v string) string {
	switch strings.ToUpper(v) {
	case "7BIT", "8BITMIME", "BINARYMIME":
		return ""
	}
	return fmt.Sprintf("BODY must be 7BIT, 8BITMIME or BINARYMIME, not %q", Sanitize(v))
}

func checkRet(v string) string {
	switch strings.ToUpper(v) {
	case "FULL", "HDRS":
		return ""
	}
	return fmt.Sprintf("RET must be FULL (the whole message in a bounce) or HDRS (headers only), not %q", Sanitize(v))
}

func checkEnvID(v string) string {
	if len(v) > maxEnvIDOctets {
		return fmt.Sprintf("ENVID is %d characters; at most %d are allowed", len(v), maxEnvIDOctets)
	}
	return checkXtext("ENVID", v)
}

// checkXtext checks RFC 3461 4 xtext: printable ASCII except '+' and '=',
// which are written as "+XX".
func checkXtext(name, v string) string {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '+' {
			if i+2 >= len(v) || !isUpperHex(v[i+1]) || !isUpperHex(v[i+2]) {
				return fmt.Sprintf("%s is xtext: a '+' must be followed by two upper-case hex digits (\"+2B\" for '+')", name)
			}
			i += 2
			continue
		}
		if c < '!' || c > '~' || c == '=' {
			return fmt.Sprintf("%s is xtext: write '=' and non-printable characters as +XX hex", name)
		}
	}
	return ""
}

func isUpperHex(c byte) bool { return isDigit(c) || (c >= 'A' && c <= 'F') }

// checkNotify checks NOTIFY=NEVER or a list of SUCCESS, FAILURE, DELAY
// (RFC 3461 4.1).
func checkNotify(v string) string {
	parts := strings.Split(strings.ToUpper(v), ",")
	seen := map[string]bool{}
	for _, part := range parts {
		switch part {
		case "NEVER":
			if len(parts) > 1 {
				return "NOTIFY=NEVER cannot be combined with SUCCESS, FAILURE or DELAY; use NEVER alone"
			}
		case "SUCCESS", "FAILURE", "DELAY":
			if seen[part] {
				return fmt.Sprintf("NOTIFY lists %s twice", part)
			}
		default:
			return fmt.Sprintf("NOTIFY takes NEVER or a comma list of SUCCESS, FAILURE, DELAY; %q is none of them", Sanitize(part))
		}
		seen[part] = true
	}
	return ""
}

// checkORCPT checks ORCPT=addr-type;xtext (RFC 3461 4.2).
func checkORCPT(v string) string {
	typ, addr, ok := strings.Cut(v, ";")
	if !ok || typ == "" || addr == "" {
		return "ORCPT needs an address type and the original address: ORCPT=rfc822;user@example.com"
	}
	if strings.EqualFold(typ, "utf-8") {
		return "" // RFC 6533 3: utf-8-addr-xtext, checked by the server
	}
	return checkXtext("ORCPT", addr)
}

func checkMTPriority(v string) string {
	n, err := strconv.Atoi(v)
	if err != nil || n < mtPriorityMin || n > mtPriorityMax {
		return fmt.Sprintf("MT-PRIORITY must be a whole number from %d to %d, not %q", mtPriorityMin, mtPriorityMax, Sanitize(v))
	}
	return ""
}

// checkBy checks BY=<seconds>;<R|N>[T] (RFC 2852 4).
func checkBy(v string) string {
	t, mode, ok := strings.Cut(v, ";")
	if _, err := strconv.Atoi(t); !ok || err != nil {
		return "BY needs a time in seconds and a mode: BY=3600;R (return if late) or BY=3600;N (notify if late)"
	}
	switch strings.ToUpper(mode) {
	case "R", "N", "RT", "NT":
		return ""
	}
	return fmt.Sprintf("the BY mode must be R or N, optionally followed by T, not %q", Sanitize(mode))
}

// isESMTPKeyword: esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-").
func isESMTPKeyword(s string) bool {
	if s == "" || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '-' {
			return false
		}
	}
	return true
}

// isESMTPValue: esmtp-value = 1*(%d33-60 / %d62-126), plus UTF-8 under
// RFC 6531 3.3.
func isESMTPValue(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' || c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}
