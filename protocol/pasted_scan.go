package protocol

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Finding replies anywhere in a paste: logs put a prefix before each
// reply line ("S: ", "<<< ", "SERVER -> CLIENT: ", "reject=", "错误："), apps
// wrap it in their own words ("Invalid login: 535 …"), and a paste may
// hold a whole session. scanReplies finds every line that carries a reply
// and groups them into replies.

// codeAt reports whether s[i:] starts a reply code: three digits, the
// first 2-5 and the second 0-5 (RFC 5321 4.2: x0z to x5z), not part of a
// longer number, an IP address, a port or a version; followed by a space,
// '-', '.', the end, or (glued, as some servers and logs write it) a
// letter or an ideograph.
func codeAt(s string, i int) bool {
	if i+3 > len(s) || !isDigit(s[i]) || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
		return false
	}
	if s[i] < '2' || s[i] > '5' {
		return false
	}
	if s[i+1] > '5' && !unusualCodeAt(s, i) {
		return false
	}
	if (s[i] == '2' || s[i] == '3') && !knownPositive[s[i:i+3]] {
		return false // "308", "249": not replies; 2xx and 3xx are few
	}
	if i >= 2 && (s[i-1] == ',' || s[i-1] == ':') && isDigit(s[i-2]) {
		return false // "15:22:19,436", "10.0.0.1:587"
	}
	if i > 0 {
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		switch {
		case prev < utf8.RuneSelf && (isWordByte(byte(prev)) || prev == '.' || prev == '/' || prev == '#' || prev == '_' || prev == '+' || prev == '$' || prev == '%' || prev == '&'):
			return false
		case prev == ':' && i >= 2 && isWordByte(s[i-2]) && !strings.HasSuffix(strings.ToLower(s[:i]), "error:") && !strings.HasSuffix(strings.ToLower(s[:i]), "said:"):
			// "host:554" is a port; "Error:550" is a reply.
			if i+3 < len(s) && s[i+3] == ' ' {
				break
			}
			return false
		}
	}
	if i+3 == len(s) {
		return true
	}
	switch c := s[i+3]; {
	case c == ')':
		// "(535)"; a positive code in parentheses is a log's line number
		// or counter ("ssmailutils.cpp (214) Error occured").
		return i > 0 && s[i-1] == '(' && s[i] >= '4'
	case c == ']':
		return i > 0 && s[i-1] == '[' && i+4 < len(s) && s[i+4] == ' ' // "SMTP Error: [554] 5.7.1 …"
	case c == '*':
		return i > 0 && s[i-1] == '*' // Markdown bold: "**550** …"
	case c == ':':
		return i+4 == len(s) || s[i+4] == ' ' // "552: Message rejected", "got 502:  5.5.1 …"
	case c == '"' || c == '\'' || c == ',':
		return i > 0 && (s[i-1] == c || s[i-1] == '(' && c == ',') || i == 0 && c == ',' // "421, Unexpected failure"
	case c == ' ' || c == '-' || c == '\t' || c == '\r' || c == '\n':
		return true
	case c == '.':
		return i+4 < len(s) && isDigit(s[i+4]) && (i+5 == len(s) || s[i+5] == '.')
	case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		return true
	case c >= utf8.RuneSelf:
		r, _ := utf8.DecodeRuneInString(s[i+3:])
		return r >= 0x2E80 // CJK
	}
	return false
}

// unusualCodeAt reports a code whose second digit RFC 5321 does not
// define (x6z-x9z: "462 Daily send limit reached", "571 5.7.1 …") that
// still stands as a reply: first on its line, followed by words or an
// enhanced code.
func unusualCodeAt(s string, i int) bool {
	if i > 0 && s[i-1] != '\n' || i+4 >= len(s) || s[i+3] != ' ' {
		return false
	}
	return isLetterRune(rune(s[i+4])) || s[i+4] == s[i] && i+5 < len(s) && s[i+5] == '.'
}

// knownPositive are the 2xx and 3xx codes SMTP defines (RFC 5321 4.2.3,
// RFC 4954): other numbers starting with 2 or 3 in a paste are not
// replies.
var knownPositive = map[string]bool{"211": true, "214": true, "220": true, "221": true, "235": true,
	"250": true, "251": true, "252": true, "253": true, "334": true, "354": true}

// expectationRe matches the words of a client that says which code it
// wanted ("Expected response code 250 but got code "535""): the code
// after them is not a reply.
var expectationRe = regexp.MustCompile(`(?i)(expected (?:status |reply |response )?codes?(?:\(s\))?\s*\[?\s*|expected (?:status|reply|response)\s+|code\s+"?|codes?\s+\(|response code\s*\(|\bpid\s*|errno\s*)$`)

// quotingWords are the words after which a log or client quotes a reply.
var quotingWords = map[string]bool{"said": true, "error": true, "err": true, "response": true, "returned": true,
	"received": true, "got": true, "replied": true, "answered": true, "reply": true, "s": true, "failed": true,
	"with": true, "status": true, "smtp": true, "message": true, "code": true, "was": true, "is": true, "data": true}

// quotedAt reports whether the code at s[i:] stands where a reply is
// quoted: at the start of a line, after punctuation that opens a quote or
// a field, after an ideograph, or after a word such as "said".
func quotedAt(s string, i int) bool {
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t') {
		j--
	}
	if j == 0 || s[j-1] == '\n' {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:j])
	if prev >= utf8.RuneSelf && !unicode.IsLetter(prev) || prev >= 0x2E80 || strings.ContainsRune(":;<>([{\"'`|?=,，：、。！>*]", prev) {
		return true
	}
	if prev == '-' && j >= 2 && s[j-2] == ' ' && j < i {
		return true // "Invalid login - 501 5.5.2 …"
	}
	if prev == '-' || prev == '=' {
		// A transcript's arrow towards the client: "<- 354 …", "<-- 451 …",
		// "<== 250 …".
		k := j - 1
		for k > 0 && s[k-1] == byte(prev) {
			k--
		}
		if k > 0 && s[k-1] == '<' {
			return true
		}
	}
	k := j
	for k > 0 && isWordByte(s[k-1]) {
		k--
	}
	return quotingWords[strings.ToLower(s[k:j])]
}

// maxExpectationContext is how far before a code expectationRe looks:
// "Expected response code(s) [" is shorter.
const maxExpectationContext = 40

// replyStartIn returns the offset of the first reply code in a line, or -1.
func replyStartIn(line string) int {
	for i := 0; i+3 <= len(line); i++ {
		if !codeAt(line, i) || !quotedAt(line, i) {
			continue
		}
		if expectationRe.MatchString(line[max(0, i-maxExpectationContext):i]) {
			continue
		}
		return i
	}
	return -1
}

// scannedLine is a line of the paste that carries a reply code.
type scannedLine struct {
	text   string // from the code on
	prefix string // what came before the code on its line
	index  int    // line number in the paste
}

// scanReplyLines finds the reply lines of a paste and the text lines that
// follow each (a log's wrapped continuation).
func scanReplyLines(lines []string) []scannedLine {
	var out []scannedLine
	for i, l := range lines {
		if at := replyStartIn(l); at >= 0 {
			out = append(out, scannedLine{text: l[at:], prefix: l[:at], index: i})
		}
	}
	return out
}

// prefixIsTranscript reports a prefix a transcript or debug log puts
// before a server line ("S: ", "<<< ", "< ", "SERVER -> CLIENT: ").
func prefixIsTranscript(p string) bool {
	p = strings.ToLower(strings.TrimSpace(p))
	if p == "" {
		return true
	}
	for _, suffix := range []string{"s:", "<<<", "<", "<-", "server -> client:", "s", "recv:", "received:", "got:", "response:", "<--", "<==", "smtp<", "server:"} {
		if strings.HasSuffix(p, suffix) {
			return true
		}
	}
	return false
}

// splitGlued puts a space between a code and text glued to it
// ("451Requested", "421HL:REP").
func splitGlued(s string) string {
	if len(s) > 4 && (s[3] == ' ' || s[3] == '-') && s[4] == '\'' && strings.LastIndexByte(s, '\'') > 4 {
		return s[:3] + " " + s[5:strings.LastIndexByte(s, '\'')] // "550-'5.2.2 … Mailbox Full' (…)"
	}
	if len(s) > 3 && (s[3] == ':' || s[3] == ']' || s[3] == '*') {
		return s[:3] + " " + strings.TrimLeft(s[4:], ":]* ") // "552: …", "[554] …", "**550** …"
	}
	if len(s) > 3 && s[3] != ' ' && s[3] != '-' && s[3] != '.' {
		return s[:3] + " " + s[3:]
	}
	if len(s) > 5 && s[3] == '.' && isDigit(s[4]) {
		return s[:3] + " " + s[4:] // "550.5.1.1 …"
	}
	return s
}

// postfixTrailerRe is the end of a Postfix smtpd reject log line, after
// the reply: "; from=<a@b> to=<c@d> proto=ESMTP helo=<x>".
var postfixTrailerRe = regexp.MustCompile(`;\s*from=<[^>]*>.*$`)

// clientLineRe matches lines a client or its log writes between server
// lines: commands sent, stack frames, log headers without a reply.
var clientLineRe = regexp.MustCompile(`(?i)^\s*(c:|>>>|->|>|sent:|client -> server:|at\s|\w+\s+\(|mail from:|rcpt to:|data$|(?:ehlo|helo)(?:\s+[\w.\[\]:-]+)?\s*$|quit|rset|auth\s|starttls|code:|command:|response:|responsecode:|\{|\}|\[error\]|\[info\]|\d{4}-\d\d-\d\d)`)

// parseScanned finds the reply lines anywhere in t, groups them into
// replies and keeps the failing one: the first 4xx or 5xx (the innermost
// when it quotes another reply), else the last reply. It returns false
// when t has no reply line.
func (p *Pasted) parseScanned(t string) bool {
	lines := strings.Split(strings.ReplaceAll(t, "\r\n", "\n"), "\n")
	scanned := scanReplyLines(lines)
	if len(scanned) == 0 {
		return false
	}
	if first := scanned[0].index; first > 0 {
		p.note("ignored %d line(s) before the reply", first)
	}
	var groups [][]string
	var prefixes []string
	var groupLine []int
	wrapped, broken := false, false
	for k, s := range scanned {
		text := splitGlued(s.text)
		if words, ok := codeInParensBefore(s.text); ok && strings.HasSuffix(strings.TrimSpace(s.prefix), "(") {
			// "SMTP Error (550): Failed to add recipient "x" (No such user)."
			// (Roundcube): the server's words close the client's.
			text = s.text[:3] + " " + words
		} else if len(s.text) > 3 && s.text[3] == ')' && strings.HasSuffix(strings.TrimSpace(s.prefix), "(") {
			// "… Ratelimit exceeded (451)": the code closes its own text.
			text = s.text[:3] + " " + strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s.prefix), "("))
			s.prefix = ""
			scanned[k].prefix = ""
		}
		prev := k - 1
		joined := prev >= 0 && (scanned[prev].index == s.index-1 || !broken && continued(scanned[prev].text))
		if joined && !continued(scanned[prev].text) && (text[:3] == "334" || strings.TrimSpace(scanned[prev].prefix) != "" && prefixIsTranscript(scanned[prev].prefix)) {
			// A transcript that keeps the '-' of continuation lines, and
			// 334 challenges, are one reply per line.
			joined = false
		}
		if joined && text[:3] == scanned[prev].text[:3] && len(groups) > 0 {
			// A log that dropped the '-' of continuation lines.
			g := groups[len(groups)-1]
			if last := g[len(g)-1]; len(last) > 3 && last[3] == ' ' {
				g[len(g)-1] = last[:3] + "-" + last[4:]
			} else if len(last) == 3 {
				g[len(g)-1] = last + "-"
			}
			groups[len(groups)-1] = append(g, text)
		} else {
			groups = append(groups, []string{text})
			prefixes = append(prefixes, strings.TrimSpace(s.prefix))
			groupLine = append(groupLine, s.index)
		}
		// Text lines up to the next reply line wrap this one.
		end := len(lines)
		if k+1 < len(scanned) {
			end = scanned[k+1].index
		}
		broken = false
		for _, l := range lines[s.index+1 : end] {
			if strings.TrimSpace(l) == "" || clientLineRe.MatchString(l) {
				broken = true
				break
			}
			g := groups[len(groups)-1]
			g[len(g)-1] += " " + strings.TrimSpace(l)
			wrapped = true
		}
	}
	if wrapped {
		p.note("lines without a code after a reply line were read as its wrapped text")
	}
	replies := make([]Reply, 0, len(groups))
	var notes [][]string
	var lineOf []int // the paste line each reply starts on
	for gi, g := range groups {
		var q Pasted
		text := postfixTrailerRe.ReplaceAllString(strings.Join(g, "\n"), "")
		if q.parseCore(text) != nil {
			continue
		}
		replies = append(replies, q.Reply)
		notes = append(notes, q.Notes)
		lineOf = append(lineOf, groupLine[gi])
	}
	if len(replies) == 0 {
		return false
	}
	pick := len(replies) - 1
	for i, r := range replies {
		if r.Class() == ClassTransient || r.Class() == ClassPermanent {
			pick = i
			break
		}
	}
	if consequence(replies[pick]) {
		// "503 Valid RCPT command must precede DATA" after a refused
		// RCPT: the refusal is the cause (LABELING.md).
		for i, r := range replies {
			if i != pick && r.Class() >= ClassTransient && !consequence(r) {
				pick = i
				break
			}
		}
	}
	p.Reply = replies[pick]
	p.Notes = append(p.Notes, notes[pick]...)
	if pick == len(replies)-1 && pick < len(lineOf) {
		p.after = strings.Join(lines[lineOf[pick]+1:], "\n")
	}
	if p.Command == "" && pick < len(lineOf) {
		p.Command = commandOfTranscript(lines, lineOf[pick])
	}
	if pre := prefixes[min(pick, len(prefixes)-1)]; pre != "" && !prefixIsTranscript(pre) {
		var outer Pasted
		if m := enhancedInProseRe.FindStringSubmatchIndex(pre); m != nil && !startsWithEnhanced(pre) {
			pre = pre[m[2]:] // "The server response was: 5.7.57 … Error:"
		}
		if startsWithEnhanced(pre) && outer.parseEnhancedOnly(pre) == nil {
			// "5.7.57 Client not authenticated … Error: 535 5.7.3 …": an
			// outer reply quotes the one that failed first.
			p.Others = append(p.Others, outer.Reply)
			p.note("a reply quoted inside another: the inner %03d is the cause", p.Reply.Code)
		} else {
			p.note("ignored the text before the reply code: %q", abbreviate(pre, 40))
		}
	}
	for i, r := range replies {
		if i != pick {
			p.Others = append(p.Others, r)
		}
	}
	if len(replies) > 1 {
		p.note("%d replies in the paste: explained the %s, listed the others", len(replies), map[bool]string{true: "first failing one", false: "last one"}[p.Reply.Class() >= ClassTransient])
	}
	p.unnest()
	return true
}

// enhancedInProseRe finds an enhanced code inside prose ("smtp error 5.7.1
// Mail from IP …", "… host named x. (#5.1.2)").
var enhancedInProseRe = regexp.MustCompile(`(?:^|[\s:(\[;,"'\x60])#?([245]\.\d{1,3}\.\d{1,3})(?:[\s:;,)\]"']|$)`)

// parseEnhancedAnywhere reads a paste whose only code is an enhanced code
// inside the text. A code in parentheses at the end (qmail's "(#5.1.2)")
// belongs to the text before it.
func (p *Pasted) parseEnhancedAnywhere(t string) bool {
	one := strings.Join(strings.Fields(t), " ")
	m := enhancedInProseRe.FindStringSubmatchIndex(one)
	if m == nil {
		return false
	}
	code := one[m[2]:m[3]]
	rest := one[m[2]:]
	if strings.HasPrefix(strings.TrimSpace(one[m[3]:]), ")") || m[1] >= len(one)-1 {
		rest = code + " " + strings.TrimSpace(one[:m[2]])
		qmail := strings.HasSuffix(rest, "(#")
		rest = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(rest, "(#")), "(")
		if qmail {
			rest += " (#" + code + ")" // qmail's format names qmail
		}
	}
	return p.parseEnhancedOnly(rest) == nil
}

// continued reports a reply line whose code is followed by '-': more
// lines of the same reply come.
func continued(line string) bool { return len(line) > 3 && line[3] == '-' }
