package protocol

import (
	"regexp"
	"strings"
)

// Pastes whose reply code is cut off from its words: a client library
// prints the code as a field of its own (PHPMailer's "SMTP code: 552"
// after a "Detail:" line, a logfmt "code=550", "(code: 530, response:
// …)"), Rust's lettre prints the code as three named digits, and a JSON
// log keeps the lines of a multi-line reply as a list of strings. Each is
// rewritten into plain reply lines before the paste is scanned.

// lettreSeverity, lettreCategory and lettreDetail are the names lettre
// (Rust) gives to the three digits of a reply code in its Debug output
// (lettre::transport::smtp::response::{Severity, Category, Detail}).
var (
	lettreSeverity = map[string]byte{"PositiveCompletion": '2', "PositiveIntermediate": '3',
		"TransientNegativeCompletion": '4', "PermanentNegativeCompletion": '5'}
	lettreCategory = map[string]byte{"Syntax": '0', "Information": '1', "Connections": '2',
		"Unspecified3": '3', "Unspecified4": '4', "MailSystem": '5'}
	lettreDetail = map[string]byte{"Zero": '0', "One": '1', "Two": '2', "Three": '3', "Four": '4',
		"Five": '5', "Six": '6', "Seven": '7', "Eight": '8', "Nine": '9'}
)

// lettreCodeRe is lettre's Code struct; lettreMessageRe its message lines.
var (
	lettreCodeRe    = regexp.MustCompile(`severity:\s*(\w+),\s*category:\s*(\w+),\s*detail:\s*(\w+)`)
	lettreMessageRe = regexp.MustCompile(`message:\s*\[((?:\s*\\*"(?:[^"\\]|\\[^"])*\\*"\s*,?)*)\s*\]`)
	quotedStringRe  = regexp.MustCompile(`\\*"((?:[^"\\]|\\[^"])*)\\*"`)
)

// lettreReply rewrites lettre's error struct into a reply line.
func lettreReply(t string) (string, bool) {
	m := lettreCodeRe.FindStringSubmatch(t)
	if m == nil {
		return "", false
	}
	s, ok1 := lettreSeverity[m[1]]
	c, ok2 := lettreCategory[m[2]]
	d, ok3 := lettreDetail[m[3]]
	if !ok1 || !ok2 || !ok3 {
		return "", false
	}
	code := string([]byte{s, c, d})
	var words []string
	if mm := lettreMessageRe.FindStringSubmatch(t); mm != nil {
		for _, q := range quotedStringRe.FindAllStringSubmatch(mm[1], -1) {
			words = append(words, strings.TrimSpace(q[1]))
		}
	}
	return code + " " + strings.Join(words, " "), true
}

// replyListRe is a JSON list of reply lines: ["554-Transaction failed",
// "554-Reject …", "554 For explanation …"].
var replyListRe = regexp.MustCompile(`\[\s*"[2-5]\d\d[- ](?:[^"\\]|\\.)*"(?:\s*,\s*"(?:[^"\\]|\\.)*")*\s*\]`)

// replyList rewrites a JSON list of reply lines into the lines.
func replyList(t string) (string, bool) {
	m := replyListRe.FindString(t)
	if m == "" {
		return "", false
	}
	var lines []string
	for _, q := range quotedStringRe.FindAllStringSubmatch(m, -1) {
		if l := strings.TrimSpace(q[1]); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n"), len(lines) > 0
}

// Labelled codes: the code as a field of its own.
var (
	// codeFieldRe is a code named as such, from the word "code" on:
	// "SMTP code: 552", "code=550", "smtp_code":550, "with code 550".
	codeFieldRe = regexp.MustCompile(`^(?i:code)["']?\s*(?:[=:]\s*|\s)["']?([2-5][0-5]\d)\b["']?`)
	// codeLabelRe is the rest of the label before "code".
	codeLabelRe = regexp.MustCompile(`(?i)\b(?:smtp|response|status|reply)[ _-]?$`)
	// detailFieldRe is PHPMailer's "Detail:" line, the server's words.
	detailFieldRe = regexp.MustCompile(`(?is)\bDetail:\s*(.*?)\s*(?:\bSMTP (?:code|server error):|$)`)
	// responseFieldRe is a "response:" or "message:" field after the code.
	// A JSON log may put the enhanced code between them (maddy's
	// "smtp_code":501,"smtp_enchcode":"5.1.8","smtp_msg":"…").
	responseFieldRe = regexp.MustCompile(`(?i)^\s*[,;]?\s*(?:["']?(?:smtp_)?en[hc]\w*["']?\s*[:=]\s*["']?([245]\.\d{1,3}\.\d{1,3})["']?\s*[,;]\s*)?["']?(?:smtp_)?(?:response|message|msg|text|reply)["']?\s*[:=]\s*["']?([^"'\])}]+)`)
	// quotedAfterRe is text quoted after the code ("with code 550 (0.0.0)
	// 'Service unavailable; …'", "with code 550 (5.7.255) 'Access denied…",
	// its closing quote cut off with the rest of the line); a real
	// enhanced code in the parentheses is the reply's.
	quotedAfterRe = regexp.MustCompile(`^\s*(?:\(([^)]*)\)\s*)?'([^\n]+)`)
)

// labelledReply rewrites a paste whose only code is a labelled field
// into a reply line with the words that go with it. It is used only when
// no reply line with words was found.
func labelledReply(t string) (string, bool) {
	start, loc := codeField(t)
	if loc == nil {
		return "", false
	}
	code := t[loc[2]:loc[3]]
	after := t[loc[1]:]
	loc[0] = start
	var words string
	switch {
	case detailFieldRe.MatchString(t):
		words = detailFieldRe.FindStringSubmatch(t)[1]
	case responseFieldRe.MatchString(after):
		m := responseFieldRe.FindStringSubmatch(after)
		words = strings.TrimSpace(m[1] + " " + m[2])
	case quotedAfterRe.MatchString(after):
		m := quotedAfterRe.FindStringSubmatch(after)
		words = strings.TrimRight(strings.TrimSpace(m[2]), "')")
		if enh, rest, _ := splitEnhanced(m[1]); !enh.IsZero() && strings.TrimSpace(rest) == "" {
			words = enh.String() + " " + words
		}
	case strings.Trim(after, " \t\r\n\"')]}.;,") == "":
		// The code closes the paste: the words came before it.
		words = strings.TrimRight(strings.TrimSpace(t[:loc[0]]), `"'(,;[{`)
	default:
		return "", false
	}
	words = strings.Join(strings.Fields(words), " ")
	if words == "" {
		return "", false
	}
	return code + " " + words, true
}

// codeField finds the first labelled code: where its label starts, and
// the match of codeFieldRe with offsets into t.
func codeField(t string) (int, []int) {
	lower := strings.ToLower(t)
	for from := 0; ; {
		i := strings.Index(lower[from:], "code")
		if i < 0 {
			return 0, nil
		}
		i += from
		from = i + 4
		if i > 0 && isWordByte(t[i-1]) && !strings.ContainsRune("pPeEsSyY", rune(t[i-1])) {
			continue // "errcode", "opcode"; "SMTPcode", "responsecode" are labels
		}
		m := codeFieldRe.FindStringSubmatchIndex(t[i:])
		if m == nil {
			continue
		}
		for k := range m {
			m[k] += i
		}
		start := i
		if l := codeLabelRe.FindStringIndex(t[:i]); l != nil {
			start = l[0]
		}
		return start, m
	}
}

// hasWordedReply reports a reply line with words after its code.
func hasWordedReply(t string) bool {
	for _, s := range scanReplyLines(strings.Split(t, "\n")) {
		rest := strings.TrimLeft(s.text[3:], " -")
		if enh, r, _ := splitEnhanced(rest); !enh.IsZero() {
			rest = r
		}
		if strings.IndexFunc(rest, isLetterRune) >= 0 {
			return true
		}
	}
	return false
}

func isLetterRune(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= 0x2E80 }

// smtplibRetcodeRe is the line Python's smtplib prints at debug level 1
// for each reply: "reply: retcode (535); Msg: b'Error: …'".
var smtplibRetcodeRe = regexp.MustCompile(`(?m)^.*?\bretcode \(([2-5]\d\d)\); Msg: (?:b(?:'|"))?(.*?)(?:'|")?\s*$`)

// rewriteFields applies the rewrites above and notes which.
func (p *Pasted) rewriteFields(t string) string {
	if strings.Contains(t, "severity:") {
		if s, ok := lettreReply(t); ok {
			p.note("lettre (Rust) error: the code was written as severity, category and detail")
			p.wordless = len(strings.TrimSpace(s)) == 3
			return s
		}
	}
	if strings.Contains(t, "[") {
		if s, ok := replyList(t); ok {
			p.note("a JSON list of reply lines")
			return s
		}
	}
	if strings.Contains(t, "retcode (") {
		if s := smtplibRetcodeRe.ReplaceAllString(t, "$1 $2"); s != t {
			p.note("Python smtplib's debug output: 'reply: retcode (N); Msg: …' is reply N")
			return s
		}
	}
	if strings.Contains(t, "code") || strings.Contains(t, "Code") || strings.Contains(t, "CODE") {
		if s, ok := labelledReply(t); ok && !hasWordedReply(t) {
			p.note("the code was a field of its own; the words are the text that goes with it")
			return s
		}
	}
	return t
}

// emptyServerLineRe is a debug log's server line with nothing after it
// (PHPMailer's "SERVER -> CLIENT:", "SMTP -> FROM SERVER:"): the server
// sent an empty reply, or closed the connection.
var emptyServerLineRe = regexp.MustCompile(`(?im)(?:server -> client|from server|^\s*<-|^\s*<<<|^\s*s):\s*$`)

// failedAfterReply turns a transcript whose last reply succeeded into a
// reply-less failure when the lines after it say the connection failed
// ("*** Remote host closed connection unexpectedly", "SSL: Connection
// reset by peer") or that the server then sent nothing.
func (p *Pasted) failedAfterReply() {
	if p.after == "" || p.Reply.Class() > ClassIntermediate {
		return
	}
	words := p.after
	if emptyServerLineRe.MatchString(words) {
		words = "the server sent an empty reply\n" + words
	}
	if c := classifyText(words); transportReasons[c.Reason] {
		p.Others = append(p.Others, p.Reply)
		p.Reply = Reply{}
		p.NoReply, p.Text = true, words
		p.note("the last reply succeeded; the connection failed after it")
	}
}
