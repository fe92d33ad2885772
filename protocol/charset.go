package protocol

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Charset says how reply text bytes were turned into a Go string.
type Charset int

// Charsets recognised by [DecodeText].
const (
	CharsetASCII    Charset = iota // plain US-ASCII, as RFC 5321 asks
	CharsetUTF8                    // valid UTF-8 with non-ASCII characters
	CharsetGBK                     // GBK/GB18030 bytes, decoded (QQ, NetEase)
	CharsetMojibake                // GBK that had been mis-read as Latin-1, recovered
	CharsetBinary                  // none of the above: invalid bytes shown as \xNN
)

func (c Charset) String() string {
	switch c {
	case CharsetASCII:
		return "ascii"
	case CharsetUTF8:
		return "utf-8"
	case CharsetGBK:
		return "gbk"
	case CharsetMojibake:
		return "gbk-mojibake"
	}
	return "binary"
}

// minChineseRunes is how many Chinese characters a GBK decoding must yield
// before we believe the bytes were Chinese and not some other 8-bit text.
const minChineseRunes = 2

// DecodeText turns reply text bytes into a valid UTF-8 string and says how.
//
// Servers are supposed to send ASCII. In practice QQ Mail and NetEase send
// GBK-encoded Chinese, and logs and client libraries often hand over that
// GBK already mis-decoded as Latin-1 ("ÇëÊ¹ÓÃÊÚÈ¨Âë"). Both are recovered
// when the result is convincingly Chinese. Anything else that is not UTF-8
// keeps its invalid bytes visible as \xNN escapes.
func DecodeText(b []byte) (string, Charset) {
	if isASCII(b) {
		return string(b), CharsetASCII
	}
	if utf8.Valid(b) {
		s := string(b)
		if fixed, ok := recoverMojibake(s); ok {
			return fixed, CharsetMojibake
		}
		return s, CharsetUTF8
	}
	if s, ok := decodeGBK(b); ok {
		return s, CharsetGBK
	}
	return escapeInvalid(b), CharsetBinary
}

// RecoverMojibake undoes a Latin-1 mis-decoding of GBK text, such as
// "ÇëÊ¹ÓÃÊÚÈ¨Âë" → "请使用授权码". It returns the input and false when the
// text does not look like such mojibake.
func RecoverMojibake(s string) (string, bool) { return recoverMojibake(s) }

func recoverMojibake(s string) (string, bool) {
	// Every rune must fit in one Latin-1 byte, and the high bytes must come
	// in runs that GB2312 double-byte characters can fill exactly (both
	// bytes of a GB2312 character are 0xA1-0xFE). This keeps "Réessayez"
	// and "Grüße" from being read as Chinese.
	raw := make([]byte, 0, len(s))
	run := 0
	for _, r := range s {
		if r > 0xFF {
			return s, false
		}
		if r >= 0x80 {
			run++
		} else {
			if run%2 != 0 {
				return s, false
			}
			run = 0
		}
		raw = append(raw, byte(r))
	}
	if run%2 != 0 {
		return s, false
	}
	out, ok := decodeGBK(raw)
	if !ok {
		return s, false
	}
	return out, true
}

// decodeGBK decodes b as GB18030 (a superset of GBK and GB2312) and accepts
// the result only if it is free of replacement characters and has enough
// Chinese in it.
func decodeGBK(b []byte) (string, bool) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || !utf8.Valid(out) {
		return "", false
	}
	s := string(out)
	if strings.ContainsRune(s, utf8.RuneError) {
		return "", false
	}
	han, other := 0, 0
	for _, r := range s {
		switch {
		case r < 0x80:
		case unicode.Is(unicode.Han, r):
			han++
		case isCJKPunct(r):
		default:
			other++
		}
	}
	if han < minChineseRunes || other > han/4 {
		return "", false
	}
	return s, true
}

func isCJKPunct(r rune) bool {
	return (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || r == 0x2026 || r == 0x2014 ||
		r == 0x201C || r == 0x201D || r == 0x2018 || r == 0x2019 || r == 0x00B7
}

// Latin1 decodes bytes as ISO 8859-1, for callers that know that is what
// they have.
func Latin1(b []byte) string {
	s, _ := charmap.ISO8859_1.NewDecoder().Bytes(b)
	return string(s)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// escapeInvalid keeps valid UTF-8 sequences and writes each invalid byte
// as \xNN.
func escapeInvalid(b []byte) string {
	var sb strings.Builder
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			fmt.Fprintf(&sb, `\x%02X`, b[0])
			b = b[1:]
			continue
		}
		sb.Write(b[:n])
		b = b[n:]
	}
	return sb.String()
}

// Sanitize makes server-supplied text safe to print on a terminal: C0 and
// C1 control characters (ESC, NUL, BEL, CR, …) become visible symbols
// (␛, ␀, ␇, ␍), bidirectional overrides and isolates, zero-width and other
// invisible format characters become <U+202E>, <U+200B>, and invalid UTF-8
// becomes \xNN. The result never contains a byte that a terminal
// interprets as a control, nor a character that hides or reorders text;
// Sanitize of a sanitized string returns it unchanged.
func Sanitize(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&sb, `\x%02X`, s[i])
		case r < 0x20:
			sb.WriteRune(0x2400 + r) // Control Pictures block: ␀ … ␟
		case r == 0x7f:
			sb.WriteRune('␡')
		case r >= 0x80 && r <= 0x9f, isBidiControl(r), isInvisible(r):
			fmt.Fprintf(&sb, "<U+%04X>", r)
		default:
			sb.WriteString(s[i : i+n])
		}
		i += n
	}
	return sb.String()
}

// IsDisplaySafe reports whether s can go to a terminal as it is: valid
// UTF-8 with none of the characters [Sanitize] replaces.
func IsDisplaySafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiControl(r) || isInvisible(r) {
			return false
		}
	}
	return true
}

// isBidiControl reports the Unicode bidirectional formatting characters
// (UAX #9 2): embeddings and overrides U+202A–U+202E, isolates
// U+2066–U+2069 and the marks LRM, RLM and ALM. They reorder what a
// terminal shows (the "Trojan Source" trick).
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

// isInvisible reports characters that take no room on screen, so that text
// holding them reads as something it is not: zero-width space, non-joiner
// and joiner, word joiner and invisible operators, the byte-order mark used
// as a zero-width no-break space, the soft hyphen, the Mongolian vowel
// separator, and the line and paragraph separators that some terminals
// treat as line breaks.
func isInvisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200D, r >= 0x2060 && r <= 0x2064, r == 0x2028, r == 0x2029:
		return true
	case r == 0xFEFF, r == 0x00AD, r == 0x180E:
		return true
	}
	return false
}
