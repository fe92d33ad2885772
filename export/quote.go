package export

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isControl reports runes that must never reach a terminal or a source
// file as they are: C0 and C1 controls, DEL, bidirectional overrides and
// the line and paragraph separators.
func isControl(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return !unicode.IsPrint(r) && r != ' '
}

// shellSafeWord matches words that need no quoting in a POSIX shell.
func shellSafeWord(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("@%+=:,./_-", r):
		default:
			return false
		}
	}
	return true
}

// shellWord returns s as one word of a POSIX shell command, quoted when it
// must be. Inside single quotes nothing is special (POSIX.1-2017 2.2.2),
// so a quote is written as '\”. Text with control characters is refused:
// a line break would split the command, and an escape sequence would
// reach the terminal of whoever prints it.
func shellWord(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%q is not UTF-8 text", s)
	}
	for _, r := range s {
		if isControl(r) {
			return "", fmt.Errorf("%q holds the control character %U, which a shell command cannot carry safely", s, r)
		}
	}
	if shellSafeWord(s) {
		return s, nil
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'", nil
}

// literalStyle is the string literal syntax of a target language.
type literalStyle int

const (
	stylePython literalStyle = iota // "…" with \uXXXX and \UXXXXXXXX
	styleJS                         // "…" with \uXXXX and \u{XXXXX}
)

// stringLiteral returns s as a double-quoted string literal of style: the
// quote, backslash and every control character escaped, so that the
// source shows the text exactly and safely. s must be valid UTF-8.
func stringLiteral(s string, style literalStyle) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case isControl(r) && r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		case isControl(r) && style == stylePython:
			fmt.Fprintf(&b, `\U%08x`, r)
		case isControl(r):
			fmt.Fprintf(&b, `\u{%x}`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// pythonBytes returns b as a Python bytes literal: printable ASCII as it
// is, everything else as \xNN.
func pythonBytes(b []byte) string {
	var sb strings.Builder
	sb.WriteString(`b"`)
	for _, c := range b {
		switch {
		case c == '"' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\n':
			sb.WriteString(`\n`)
		case c >= 0x20 && c < 0x7f:
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, `\x%02x`, c)
		}
	}
	sb.WriteByte('"')
	return sb.String()
}
