package protocol

import (
	"fmt"
	"regexp"
	"strings"
)

// inferredBasicCodes are the basic codes providers pair with enhanced
// codes that are often quoted alone (Microsoft writes "530 5.7.57").
var inferredBasicCodes = map[string]int{
	"5.7.57":  basicAuthRequired,
	"5.7.139": basicAuthFailed,
	"5.7.8":   basicAuthFailed,
	"5.7.9":   basicMechTooWeak,
	"5.7.14":  basicMechTooWeak,
	"5.7.3":   basicAuthFailed,
}

// inferredByClass is the basic code assumed for an enhanced class when
// nothing more is known: only the first digit is certain.
var inferredByClass = map[int]int{2: basicOK, 4: basicMailboxBusy, 5: basicMailboxUnavail}

// parseCore parses what is left once wrappers are removed: one or more
// reply lines, possibly folded, cut off, or without the basic code.
func (p *Pasted) parseCore(t string) error {
	t = codeColonRe.ReplaceAllString(t, "$1 ")
	lines := strings.Split(strings.ReplaceAll(t, "\r\n", "\n"), "\n")
	for i := range lines {
		// Markdown's inline code marks around a pasted reply.
		lines[i] = strings.Trim(strings.TrimSpace(lines[i]), "`")
	}
	start := -1
	for i, l := range lines {
		if startsWithCode(l) || startsWithEnhanced(l) {
			start = i
			break
		}
	}
	if start < 0 {
		return p.parseEmbedded(strings.Join(lines, " "))
	}
	if start > 0 {
		p.note("ignored %d line(s) before the reply", start)
		lines = lines[start:]
	}
	if !startsWithCode(lines[0]) {
		return p.parseEnhancedOnly(strings.Join(lines, " "))
	}
	if p.parseStrict(lines) {
		return nil
	}
	p.parseFolded(strings.Join(lines, " "))
	return nil
}

// parseStrict parses the lines as a well-formed reply; text after the
// reply's last line is ignored with a note.
func (p *Pasted) parseStrict(lines []string) bool {
	var b ReplyBuilder
	for i, l := range lines {
		if l == "" {
			continue
		}
		done, err := b.Add([]byte(l + "\r\n"))
		if err != nil {
			return false
		}
		if done {
			r := b.Reply()
			if hasDiag(r, DiagMissingCode) || foldedInside(r) {
				return false
			}
			if rest := lines[i+1:]; len(rest) > 0 {
				if startsWithCode(rest[0]) {
					p.note("ignored text after the reply's last line")
				} else if wrapped := strings.Join(rest, " "); strings.TrimSpace(wrapped) != "" {
					// A mail client or log wrapped the last line.
					last := &r.Lines[len(r.Lines)-1]
					more, _ := DecodeText([]byte(strings.Join(strings.Fields(wrapped), " ")))
					last.Text = strings.TrimSpace(last.Text + " " + more)
					p.note("lines without a code after the last line were read as its wrapped text")
				}
			}
			p.Reply = r
			if len(r.Lines) > 1 {
				p.note("SMTP reply of %d lines", len(r.Lines))
			} else {
				p.note("SMTP reply line")
			}
			return true
		}
	}
	return false
}

// foldedInside reports a reply whose text repeats its own code and
// enhanced code mid-line: several lines folded into one.
func foldedInside(r Reply) bool {
	if r.Enhanced.IsZero() {
		return false
	}
	marker := fmt.Sprintf("%03d-%s", r.Code, r.Enhanced)
	marker2 := fmt.Sprintf("%03d %s", r.Code, r.Enhanced)
	text := r.Text()
	return strings.Contains(text, marker) || strings.Contains(text, marker2)
}

// parseFolded reads a reply whose lines a log joined into one ("550-5.7.26
// a 550-5.7.26 b 550 5.7.26 c"), or that was cut off after a
// continuation line.
func (p *Pasted) parseFolded(s string) {
	code := int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0')
	rest := strings.TrimLeft(s[3:], " -")
	enh, _, _ := splitEnhanced(rest)
	if enh.IsZero() {
		// "550-550 5.1.10": the enhanced code may follow a repeated code.
		re := regexp.MustCompile(fmt.Sprintf(`%03d[ -]#?([245]\.\d{1,3}\.\d{1,3})\b`, code))
		if m := re.FindStringSubmatch(s); m != nil {
			enh, _ = ParseEnhancedCode(m[1])
		}
	}
	marker := fmt.Sprintf(`(?:^|[\s\]-])(?:%03d[ -])+`, code)
	if !enh.IsZero() {
		marker += `(?:#?` + regexp.QuoteMeta(enh.String()) + `\s*)?`
	}
	text := regexp.MustCompile(marker).ReplaceAllString(s, " ")
	text = strings.Join(strings.Fields(text), " ")
	if !enh.IsZero() {
		text = strings.TrimSpace(strings.TrimPrefix(text, enh.String()))
	}
	decoded, cs := DecodeText([]byte(text))
	p.Reply = Reply{
		Code:     code,
		Enhanced: enh,
		Lines:    []ReplyLine{{Raw: s, Code: code, Last: true, Enhanced: enh, Text: decoded, Charset: cs}},
	}
	if strings.Count(s, fmt.Sprintf("%03d", code)) > 1 {
		p.note("multi-line reply folded onto one line by a log; the repeated codes were removed")
	} else {
		p.note("the reply was cut off after a continuation line; read as complete")
	}
}

// parseEnhancedOnly reads "5.7.57 SMTP; Client was not …": an enhanced
// code with no basic code. The basic code is inferred.
func (p *Pasted) parseEnhancedOnly(s string) error {
	enh, rest, _ := splitEnhanced(s)
	if enh.IsZero() {
		return fmt.Errorf("%w in %q", ErrNoReplyCode, abbreviate(Sanitize(s), 60))
	}
	if m := basicAfterEnhancedRe.FindStringSubmatch(rest); m != nil && int(m[1][0]-'0') == enh.Class {
		// "Status: 5.7.0 535 Authentication failed": the basic code
		// follows the enhanced one.
		p.note("the basic code %s follows the enhanced code", m[1])
		return p.parseCore(m[1] + " " + enh.String() + " " + rest[len(m[0]):])
	}
	if m := quotedReplyRe.FindStringSubmatchIndex(rest); m != nil {
		// "5.1.0 - Unknown address error 550-'5.2.2 <a@b>... Mailbox
		// Full'": a status line quoting the reply that caused it.
		var q Pasted
		inner := rest[m[2]:m[3]] + " " + strings.TrimSuffix(strings.TrimSpace(rest[m[4]:m[5]]), "'")
		if q.parseCore(inner) == nil {
			p.Reply = q.Reply
			p.note("a status line quoting the reply: the quoted %03d is the cause", q.Reply.Code)
			return nil
		}
	}
	// A multi-line reply quoted without its basic code repeats the
	// enhanced code on every line ("5.7.9 Please log in … \n5.7.9 https://…").
	rest = strings.ReplaceAll(rest, " "+enh.String()+" ", " ")
	code, ok := inferredBasicCodes[fmt.Sprintf("%d.%d.%d", enh.Class, enh.Subject, enh.Detail)]
	if !ok || code/100 != enh.Class {
		code = inferredByClass[enh.Class]
	}
	p.CodeInferred = true
	p.note("no basic reply code, only the enhanced code %s: assumed %03d (only the first digit, %d, is certain)", enh, code, enh.Class)
	if q := embeddedCodeRe.FindStringSubmatch(rest); q != nil {
		p.note("the text quotes another reply code, %s, from an earlier step", q[1])
	}
	decoded, cs := DecodeText([]byte(rest))
	p.Reply = Reply{
		Code:     code,
		Enhanced: enh,
		Lines:    []ReplyLine{{Raw: s, Code: code, Last: true, Enhanced: enh, Text: decoded, Charset: cs}},
	}
	return nil
}

// basicAfterEnhancedRe is a basic code right after the enhanced one;
// quotedReplyRe a reply quoted in a status line ("550-'text'",
// "550 'text'").
var (
	basicAfterEnhancedRe = regexp.MustCompile(`^\s*([245][0-5]\d)(?:\s|$)`)
	quotedReplyRe        = regexp.MustCompile(`(?:^|\s)([245][0-5]\d)[- ]'([^']+)'`)
)

// parseEmbedded finds a reply code inside prose ("Mail command failed: 501
// …", "host said; 550 …").
func (p *Pasted) parseEmbedded(s string) error {
	m := embeddedCodeRe.FindStringSubmatchIndex(s)
	if m == nil {
		return fmt.Errorf("%w in %q", ErrNoReplyCode, abbreviate(Sanitize(s), 60))
	}
	p.note("ignored the text before the reply code: %q", abbreviate(strings.TrimSpace(s[:m[2]]), 40))
	return p.parseCore(s[m[2]:])
}

// startsWithCode reports a line that starts like a reply: three digits,
// then a space, '-' or the end.
func startsWithCode(l string) bool {
	if len(l) < 3 || !isDigit(l[0]) || !isDigit(l[1]) || !isDigit(l[2]) || l[0] < '2' || l[0] > '5' {
		return false
	}
	return len(l) == 3 || l[3] == ' ' || l[3] == '-'
}

// startsWithEnhanced reports a line that starts with an enhanced code.
func startsWithEnhanced(l string) bool {
	enh, _, _ := splitEnhanced(l)
	return !enh.IsZero()
}
