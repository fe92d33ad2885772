package protocol

import (
	"fmt"
	"strconv"
	"strings"
)

// EnhancedCode is an RFC 3463 enhanced status code, class.subject.detail,
// such as 5.7.8. The zero value means "no enhanced code".
type EnhancedCode struct {
	Class   int // 2, 4 or 5
	Subject int // 0-7 in the IANA registry; up to 999 on the wire
	Detail  int // 0-999
}

// RFC 3463 §2: subject and detail are 1 to 3 digits each.
const maxEnhancedComponent = 999

// IsZero reports whether e holds no code.
func (e EnhancedCode) IsZero() bool { return e == EnhancedCode{} }

// String returns the dotted form ("5.7.8"), or "" for the zero value.
func (e EnhancedCode) String() string {
	if e.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d", e.Class, e.Subject, e.Detail)
}

// ParseEnhancedCode parses a dotted enhanced status code such as "5.7.8".
// It accepts only the RFC 3463 shape: class 2, 4 or 5, then one to three
// digits for subject and for detail.
func ParseEnhancedCode(s string) (EnhancedCode, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return EnhancedCode{}, false
	}
	var n [3]int
	for i, p := range parts {
		if len(p) == 0 || len(p) > 3 || (i == 0 && len(p) != 1) {
			return EnhancedCode{}, false
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return EnhancedCode{}, false
			}
		}
		v, _ := strconv.Atoi(p)
		n[i] = v
	}
	if n[0] != 2 && n[0] != 4 && n[0] != 5 {
		return EnhancedCode{}, false
	}
	if n[1] > maxEnhancedComponent || n[2] > maxEnhancedComponent {
		return EnhancedCode{}, false
	}
	return EnhancedCode{Class: n[0], Subject: n[1], Detail: n[2]}, true
}

// splitEnhanced looks for an enhanced status code at the start of reply
// text. It accepts qmail's "#5.1.8" form as well. It returns the code, the
// text after it, and whether the '#' prefix was used.
func splitEnhanced(text string) (code EnhancedCode, rest string, hash bool) {
	t := text
	if strings.HasPrefix(t, "#") {
		t, hash = t[1:], true
	}
	end := strings.IndexAny(t, " \t")
	word := t
	if end >= 0 {
		word = t[:end]
	}
	// Some servers put punctuation right after the code ("5.7.1:").
	word = strings.TrimRight(word, ":,;")
	c, ok := ParseEnhancedCode(word)
	if !ok {
		return EnhancedCode{}, text, false
	}
	if end < 0 {
		return c, "", hash
	}
	return c, strings.TrimLeft(t[end:], " \t"), hash
}
