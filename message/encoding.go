package message

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/smtpscope/smtpscope/protocol"
)

// Content-Transfer-Encoding values (RFC 2045 6.1).
const (
	Enc7Bit            = "7bit"
	Enc8Bit            = "8bit"
	EncQuotedPrintable = "quoted-printable"
	EncBase64          = "base64"
)

// Character sets of text parts (RFC 2046 4.1.2).
const (
	charsetASCII = "us-ascii"
	charsetUTF8  = "utf-8"
)

// mostlyEightBit is the share of non-ASCII octets above which base64 is
// smaller than quoted-printable (which writes each such octet as three):
// text in Chinese, Russian or Greek rather than accented Latin.
const mostlyEightBit = 3 // one octet in three

// textEncoding is the transfer encoding chosen for a text part and why.
type textEncoding struct {
	cte     string
	charset string
	notes   []string
}

// chooseTextEncoding picks the Content-Transfer-Encoding of text (LF line
// ends, valid UTF-8): 7bit for short ASCII lines, 8bit for UTF-8 when the
// server offers 8BITMIME (RFC 6152), otherwise quoted-printable or base64,
// whichever is smaller. Lines over 998 octets are never sent as they are
// (RFC 5322 2.1.1): such text is encoded, and quoted-printable folds the
// lines with soft line breaks that mail programs join again.
func chooseTextEncoding(text string, eightBitOK bool) textEncoding {
	var c protocol.ContentCounter
	c.Write([]byte(text))
	st := c.Stats()
	te := textEncoding{charset: charsetASCII}
	if st.EightBit {
		te.charset = charsetUTF8
	}
	encoded := EncQuotedPrintable
	if st.EightBit && nonASCII(text)*mostlyEightBit > len(text) {
		encoded = EncBase64
	}
	switch {
	case st.OverMax > 0 || st.NUL || !utf8.ValidString(text):
		te.cte = encoded
		if st.OverMax > 0 {
			te.notes = append(te.notes, fmt.Sprintf(
				"%s longer than %d octets (RFC 5322 2.1.1): the text goes %s, which breaks them into short lines that mail programs join again",
				plural(st.OverMax, "line is", "lines are"), protocol.MaxContentLine, encoded))
		}
	case !st.EightBit:
		te.cte = Enc7Bit
	case eightBitOK:
		te.cte = Enc8Bit
		te.notes = append(te.notes, "the text is UTF-8 and the server offers 8BITMIME: it goes as 8bit with BODY=8BITMIME (RFC 6152)")
	default:
		te.cte = encoded
		te.notes = append(te.notes, fmt.Sprintf(
			"the text is UTF-8 and the server did not offer 8BITMIME: it goes %s, in 7-bit ASCII (RFC 6152 3)", encoded))
	}
	if st.OverPref > st.OverMax && (te.cte == Enc7Bit || te.cte == Enc8Bit) {
		te.notes = append(te.notes, fmt.Sprintf(
			"%s longer than %d characters, which RFC 5322 2.1.1 advises against; they are sent as they are",
			plural(st.OverPref, "line is", "lines are"), protocol.PreferredContentLine))
	}
	return te
}

// nonASCII counts the octets of s over 127.
func nonASCII(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			n++
		}
	}
	return n
}

// normalizeText turns CRLF and bare CR into LF (a paste from a terminal
// may end its lines in CR) and ends the text with a line end.
func normalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
