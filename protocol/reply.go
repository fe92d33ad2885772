package protocol

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxReplyLineOctets is the longest reply line the RFC allows, CRLF included.
// RFC 5321 4.5.3.1.5: "The maximum total length of a reply line including
// the reply code and the <CRLF> is 512 octets."
const MaxReplyLineOctets = 512

// Class is the meaning of a reply code's first digit (RFC 5321 4.2.1).
type Class int

// Reply classes, by the first digit of the code.
const (
	ClassUnknown      Class = iota
	ClassSuccess            // 2yz: the command was accepted
	ClassIntermediate       // 3yz: send more (354 for DATA, 334 for AUTH)
	ClassTransient          // 4yz: failed now, may work if retried
	ClassPermanent          // 5yz: failed, retrying the same will fail again
)

// ClassOf returns the class of a three-digit reply code.
func ClassOf(code int) Class {
	switch code / 100 {
	case 2:
		return ClassSuccess
	case 3:
		return ClassIntermediate
	case 4:
		return ClassTransient
	case 5:
		return ClassPermanent
	}
	return ClassUnknown
}

// String returns the class name used in JSON output: "success",
// "intermediate", "transient", "permanent", or "unknown".
func (c Class) String() string {
	switch c {
	case ClassSuccess:
		return "success"
	case ClassIntermediate:
		return "intermediate"
	case ClassTransient:
		return "transient"
	case ClassPermanent:
		return "permanent"
	}
	return "unknown"
}

// ReplyLine is one line of a reply as it was on the wire, with its parsed
// parts next to it.
type ReplyLine struct {
	Raw      string       // the bytes received, without the line terminator; may be invalid UTF-8
	Code     int          // the three-digit code, 0 when the line had none
	Last     bool         // true unless the code was followed by '-'
	Enhanced EnhancedCode // the enhanced status code at the start of the text, if any
	Text     string       // the text after code and enhanced code, decoded to UTF-8
	Charset  Charset      // how Text was decoded from the raw bytes
}

// Reply is a complete SMTP reply: one or more lines with the same code.
type Reply struct {
	Code        int          // the reply code (of the last line)
	Enhanced    EnhancedCode // the enhanced code, from the last line that carried one
	Lines       []ReplyLine  // every line, in order, raw bytes kept
	Diagnostics []Diagnostic // what the server got wrong, tolerated
}

// Class returns the class of the reply's code.
func (r Reply) Class() Class { return ClassOf(r.Code) }

// Text returns the decoded text of all lines joined by newlines, without
// codes.
func (r Reply) Text() string {
	parts := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		parts[i] = l.Text
	}
	return strings.Join(parts, "\n")
}

// OneLine returns the decoded text of all lines joined by single spaces,
// convenient for matching keywords across a multi-line reply.
func (r Reply) OneLine() string {
	return strings.Join(strings.Fields(strings.ReplaceAll(r.Text(), "\n", " ")), " ")
}

// MaxExcerptOctets bounds a reply quoted inside one line of text (an
// error, a summary): about two full RFC 5321 lines (4.5.3.1.5 allows 512
// octets each), which holds every real refusal seen, while a hostile
// reply of 256 KiB cannot flood an error line.
const MaxExcerptOctets = 2 * MaxReplyLineOctets

// Excerpt is [Reply.OneLine] cut to [MaxExcerptOctets] at a character
// boundary, ending with the count of what was left out.
func (r Reply) Excerpt() string { return Excerpt(r.OneLine(), MaxExcerptOctets) }

// Excerpt cuts s to at most limit octets at a character boundary; a cut
// string ends with "… (N more octets)".
func Excerpt(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more octets)", s[:cut], len(s)-cut)
}

// Raw returns the raw lines joined by CRLF, as received.
func (r Reply) Raw() string {
	parts := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		parts[i] = l.Raw
	}
	return strings.Join(parts, "\r\n")
}

// DiagnosticKind names a class of protocol deviation. The names are stable:
// they appear in JSON output.
type DiagnosticKind string

// Diagnostic kinds recorded by the reply parser.
const (
	DiagCodeMismatch       DiagnosticKind = "code-mismatch"           // lines of one reply carry different codes
	DiagEnhancedMismatch   DiagnosticKind = "enhanced-class-mismatch" // 5.x.x on a 4yz reply and the like
	DiagLineTooLong        DiagnosticKind = "line-too-long"           // over 512 octets
	DiagBareCR             DiagnosticKind = "bare-cr"                 // CR not followed by LF
	DiagBareLF             DiagnosticKind = "bare-lf"                 // line ended by LF alone
	DiagEightBit           DiagnosticKind = "eight-bit"               // non-ASCII octets in the text
	DiagDecodedGBK         DiagnosticKind = "decoded-gbk"             // text was GBK/GB18030, decoded
	DiagMojibake           DiagnosticKind = "mojibake-recovered"      // Latin-1 mis-decoding of GBK undone
	DiagInvalidUTF8        DiagnosticKind = "invalid-utf8"            // bytes that no charset explains
	DiagQmailEnhanced      DiagnosticKind = "qmail-enhanced"          // "#5.1.8" instead of "5.1.8"
	DiagNoSeparator        DiagnosticKind = "no-separator"            // "250OK": no space or '-' after the code
	DiagUnusualCode        DiagnosticKind = "unusual-code"            // first digit outside 2-5, or second above 5
	DiagMissingCode        DiagnosticKind = "missing-code"            // a continuation line without a code
	DiagControlChars       DiagnosticKind = "control-chars"           // NUL, ESC or other control characters
	DiagEnhancedInconsists DiagnosticKind = "enhanced-inconsistent"   // lines carry different enhanced codes
	DiagReplyTooLong       DiagnosticKind = "reply-too-long"          // the reader kept only the head of a huge reply
)

// Diagnostic records one way a reply departs from the RFCs. Line is the
// index into Reply.Lines, or -1 for the reply as a whole.
type Diagnostic struct {
	Kind    DiagnosticKind
	Line    int
	Message string
}

func (d Diagnostic) String() string {
	if d.Line >= 0 {
		return fmt.Sprintf("line %d: %s", d.Line+1, d.Message)
	}
	return d.Message
}

// ErrNotReply is returned (wrapped) when a line cannot start an SMTP reply,
// such as TLS record bytes or an HTTP banner.
var ErrNotReply = errors.New("not an SMTP reply")

// ErrIncompleteReply is returned by [ParseReply] when the text ends on a
// continuation line.
var ErrIncompleteReply = errors.New("incomplete reply: the last line is a continuation (code followed by '-')")

// ReplyBuilder assembles a [Reply] from lines fed one at a time, as a
// network reader produces them. The zero value is ready to use.
type ReplyBuilder struct {
	reply Reply
}

// Len returns the number of lines gathered for the reply in progress.
func (b *ReplyBuilder) Len() int { return len(b.reply.Lines) }

// Add adds one line as read from the wire, including its terminator (LF or
// CRLF) when there was one. It reports whether the reply is complete; when
// it is, [ReplyBuilder.Reply] returns it. A first line that does not start
// with a reply code is an error wrapping [ErrNotReply]; the builder is reset.
func (b *ReplyBuilder) Add(line []byte) (done bool, err error) {
	idx := len(b.reply.Lines)
	l, diags, err := parseLine(line, idx)
	if err != nil {
		if idx == 0 {
			b.reply = Reply{}
			return false, err
		}
		// A continuation line without a code: keep it as text, note it,
		// and wait for a proper last line. Real servers do this rarely;
		// the caller bounds the number of lines.
		l = ReplyLine{Raw: l.Raw, Text: l.Text, Charset: l.Charset}
		diags = append(diags, Diagnostic{Kind: DiagMissingCode, Line: idx,
			Message: "continuation line has no reply code"})
	}
	b.reply.Lines = append(b.reply.Lines, l)
	b.reply.Diagnostics = append(b.reply.Diagnostics, diags...)
	if l.Code == 0 || !l.Last {
		return false, nil
	}
	b.finish()
	return true, nil
}

// Reply returns the completed reply and resets the builder for the next.
func (b *ReplyBuilder) Reply() Reply {
	r := b.reply
	b.reply = Reply{}
	return r
}

// Abort returns whatever lines were gathered as a reply, for a connection
// that dropped mid-reply, and resets the builder.
func (b *ReplyBuilder) Abort() Reply {
	if len(b.reply.Lines) > 0 {
		b.finish()
	}
	return b.Reply()
}

// finish sets the reply-level fields once all lines are in.
func (b *ReplyBuilder) finish() {
	r := &b.reply
	last := r.Lines[len(r.Lines)-1]
	r.Code = last.Code
	if r.Code == 0 {
		for _, l := range r.Lines {
			if l.Code != 0 {
				r.Code = l.Code
			}
		}
	}
	var seenEnh EnhancedCode
	for i, l := range r.Lines {
		if l.Code != 0 && l.Code != r.Code {
			r.Diagnostics = append(r.Diagnostics, Diagnostic{Kind: DiagCodeMismatch, Line: i,
				Message: fmt.Sprintf("code %03d differs from the reply's code %03d (RFC 5321 4.2.1: every line must carry the same code)", l.Code, r.Code)})
		}
		if l.Enhanced.IsZero() {
			continue
		}
		if !seenEnh.IsZero() && l.Enhanced != seenEnh {
			r.Diagnostics = append(r.Diagnostics, Diagnostic{Kind: DiagEnhancedInconsists, Line: i,
				Message: fmt.Sprintf("enhanced code %s differs from %s on an earlier line", l.Enhanced, seenEnh)})
		}
		seenEnh = l.Enhanced
		r.Enhanced = l.Enhanced
	}
	if !r.Enhanced.IsZero() && ClassOf(r.Code) != ClassUnknown && r.Enhanced.Class != r.Code/100 {
		r.Diagnostics = append(r.Diagnostics, Diagnostic{Kind: DiagEnhancedMismatch, Line: -1,
			Message: fmt.Sprintf("enhanced code %s has class %d but the reply code %03d has class %d (RFC 3463 2: they must agree)",
				r.Enhanced, r.Enhanced.Class, r.Code, r.Code/100)})
	}
}

// parseLine parses one wire line (terminator included, if any).
func parseLine(line []byte, idx int) (ReplyLine, []Diagnostic, error) {
	var diags []Diagnostic
	note := func(k DiagnosticKind, format string, args ...any) {
		diags = append(diags, Diagnostic{Kind: k, Line: idx, Message: fmt.Sprintf(format, args...)})
	}
	if len(line) > MaxReplyLineOctets {
		note(DiagLineTooLong, "line is %d octets, over the 512 allowed (RFC 5321 4.5.3.1.5)", len(line))
	}
	body := line
	switch {
	case len(body) >= 2 && body[len(body)-2] == '\r' && body[len(body)-1] == '\n':
		body = body[:len(body)-2]
	case len(body) >= 1 && body[len(body)-1] == '\n':
		body = body[:len(body)-1]
		note(DiagBareLF, "line ends with a bare LF instead of CRLF (RFC 5321 2.3.8)")
	}
	for i, c := range body {
		if c == '\r' && (i+1 >= len(body) || body[i+1] != '\n') {
			note(DiagBareCR, "line contains a bare CR (RFC 5321 2.3.8)")
			break
		}
	}
	raw := string(body)
	l := ReplyLine{Raw: raw, Last: true}

	if len(body) < 3 || !isDigit(body[0]) || !isDigit(body[1]) || !isDigit(body[2]) {
		l.Text, l.Charset = DecodeText(body)
		return l, diags, fmt.Errorf("%w: %q does not start with a three-digit code", ErrNotReply, Sanitize(abbreviate(raw, 40)))
	}
	l.Code = int(body[0]-'0')*100 + int(body[1]-'0')*10 + int(body[2]-'0')
	if body[0] < '2' || body[0] > '5' || body[1] > '5' {
		note(DiagUnusualCode, "code %03d is outside the ranges RFC 5321 4.2 defines (2yz-5yz, second digit 0-5)", l.Code)
	}
	rest := body[3:]
	if len(rest) > 0 {
		switch rest[0] {
		case '-':
			l.Last = false
			rest = rest[1:]
		case ' ':
			rest = rest[1:]
		default:
			note(DiagNoSeparator, "no space or '-' after the code")
		}
	}
	text, cs := DecodeText(rest)
	switch cs {
	case CharsetGBK:
		note(DiagDecodedGBK, "text is GBK/GB18030-encoded Chinese, not UTF-8; decoded")
	case CharsetMojibake:
		note(DiagMojibake, "text was GBK mis-decoded as Latin-1 (mojibake); recovered")
	case CharsetBinary:
		note(DiagInvalidUTF8, "text has bytes that are not UTF-8 or GBK; shown escaped")
	}
	if cs != CharsetASCII && cs != CharsetMojibake {
		note(DiagEightBit, "text contains 8-bit octets; SMTP replies should be US-ASCII (RFC 5321 4.2)")
	}
	if hasControl(rest) {
		note(DiagControlChars, "text contains control characters")
	}
	enh, after, hash := splitEnhanced(text)
	if !enh.IsZero() {
		l.Enhanced, text = enh, after
		if hash {
			note(DiagQmailEnhanced, "enhanced code written as #%s (qmail style); RFC 3463 has no '#'", enh)
		}
	} else if enh, ok := trailingQmailEnhanced(text); ok {
		l.Enhanced = enh
		note(DiagQmailEnhanced, "enhanced code given at the end as (#%s) (qmail style); RFC 2034 puts it first", enh)
	}
	l.Text = text
	l.Charset = cs
	return l, diags, nil
}

// ParseReply parses a complete reply given as text, lines separated by LF
// or CRLF. A trailing line terminator is optional. Lines after the reply's
// last line are an error.
func ParseReply(text string) (Reply, error) {
	text = strings.TrimRight(text, "\r\n")
	if text == "" {
		return Reply{}, fmt.Errorf("%w: empty input", ErrNotReply)
	}
	lines := strings.SplitAfter(text, "\n")
	var b ReplyBuilder
	for i, l := range lines {
		if i == len(lines)-1 && !strings.HasSuffix(l, "\n") {
			l += "\r\n" // the last line's terminator was trimmed above
		}
		done, err := b.Add([]byte(l))
		if err != nil {
			return Reply{}, err
		}
		if done {
			if i != len(lines)-1 {
				return Reply{}, fmt.Errorf("text continues after the reply's last line (line %d)", i+1)
			}
			return b.Reply(), nil
		}
	}
	return Reply{}, ErrIncompleteReply
}

// FormatReply renders a reply for the wire: every line carries the code,
// continuation lines use '-', and the enhanced code (if not "") is
// repeated on each line as RFC 2034 asks. Lines end with CRLF.
func FormatReply(code int, enhanced string, text ...string) string {
	if len(text) == 0 {
		text = []string{""}
	}
	var sb strings.Builder
	for i, t := range text {
		sep := '-'
		if i == len(text)-1 {
			sep = ' '
		}
		fmt.Fprintf(&sb, "%03d%c", code, sep)
		if enhanced != "" {
			sb.WriteString(enhanced)
			if t != "" {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(t)
		sb.WriteString("\r\n")
	}
	return sb.String()
}

// trailingQmailEnhanced finds the enhanced code qmail writes at the end of
// its reply text: "sorry, that domain isn't in my list (#5.7.1)".
func trailingQmailEnhanced(text string) (EnhancedCode, bool) {
	t := strings.TrimRight(text, " .")
	if !strings.HasSuffix(t, ")") {
		return EnhancedCode{}, false
	}
	i := strings.LastIndex(t, "(#")
	if i < 0 {
		return EnhancedCode{}, false
	}
	return ParseEnhancedCode(t[i+2 : len(t)-1])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func hasControl(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return true
		}
	}
	return false
}

func abbreviate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
