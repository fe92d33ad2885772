package protocol

import (
	"regexp"
	"strings"
)

// Which of a paste's replies is the cause: a reply quoted inside another,
// a failure that only follows an earlier one, a client's words around the
// code, and the log formats that show which software wrote the reply.

// softwareLogs are log formats that show which software sent the reply:
// Postfix smtpd's reject lines and Exim's reject log are the receiving
// server speaking, not a remote one.
var softwareLogs = []struct {
	marker, id string
}{
	{"noqueue: reject:", ProviderPostfix},
	{"postfix/smtpd[", ProviderPostfix},
	{"postfix/cleanup[", ProviderPostfix},
	{"milter-reject:", ProviderPostfix},
	{"postfix/smtpd:", ProviderPostfix},
	{"postfix/lmtp[", ProviderPostfix},
	{" rejected rcpt ", ProviderExim},
	{" rejected mail ", ProviderExim},
	{"authenticator failed for", ProviderExim},
	{"smtp-in: failed command", ProviderOpenSMTPD},
	{"smtp failed-command ", ProviderOpenSMTPD}, // OpenSMTPD 6.4 on: "smtp failed-command command=… result=…"
	// Sendmail's reject lines: "ruleset=check_rcpt, arg1=<…>, relay=…,
	// reject=451 4.1.8 …" (the relay named is the client).
	{"smtp_syntax_error", ProviderExim}, // Exim's debug log ("LOG: smtp_syntax_error MAIN")
	{"] [core] ", ProviderHaraka},       // Haraka's log: "[PROTOCOL] [core] S: 451 …"
	{"relay: tempfail for", ProviderOpenSMTPD},
	{"relay: permfail for", ProviderOpenSMTPD},
	{"reject=4", ProviderSendmail},
	{"reject=5", ProviderSendmail},
	// Postfix's own bounce texts for local delivery and its SMTP client:
	// "(expanded from <alias>)", "Command output: …", "message size N
	// exceeds size limit N of server …" (src/local, src/pipe, src/smtp).
	{"(expanded from <", ProviderPostfix},
	{"command output:", ProviderPostfix},
	{"exceeds size limit ", ProviderPostfix},
	// postscreen's and smtpd's fixed log texts, as log parsers quote them
	// without the syslog tag (postscreen(8), smtpd(8)).
	{"pregreet ", ProviderPostfix},
	{"blacklisted [", ProviderPostfix},
	{"denylisted [", ProviderPostfix},
	{"command pipelining from ", ProviderPostfix},
	{"non-smtp command from ", ProviderPostfix},
	{"bare newline from ", ProviderPostfix},
	{"hangup after ", ProviderPostfix},
	{"dnsbl rank ", ProviderPostfix},
	{"command time limit from ", ProviderPostfix},
	{"command count limit from ", ProviderPostfix},
	{"timeout after connect from ", ProviderPostfix},
	{"timeout after ehlo from ", ProviderPostfix},
	{"lost connection after ", ProviderPostfix},
	{"too many errors after ", ProviderPostfix},
	{"warning: getpeername:", ProviderPostfix},
	{"warning: problem talking to service", ProviderPostfix},
	{"warning: dict_", ProviderPostfix},
	{"fatal: root(0):", ProviderPostfix},
	// Exim's main-log texts about its SMTP clients.
	{"smtp call from ", ProviderExim},
	{"smtp connection from ", ProviderExim},
	{"no host name found for ip address", ProviderExim},
	{"no ip address found for host", ProviderExim},
	{"' acl:", ProviderExim}, // "dropped by 'connect' ACL: …"
	{"rejected by local_scan", ProviderExim},
	{"qmail-smtpd:", ProviderQmail},
}

// postfixParamRe is a Postfix configuration parameter named in a log
// line ("virtual_alias_domains lookup failure", "sender_canonical_maps
// map lookup problem"): Postfix wrote it.
var postfixParamRe = regexp.MustCompile(`\b[a-z]+(?:_[a-z]+)*_(?:maps|domains|restrictions|networks|checks)\b`)

// eximLogRe is the start of an Exim main-log line: the time, then the
// message id (base-62 6-6-2 before Exim 4.97, 6-11-4 since).
var eximLogRe = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? (?:[-+]\d{4} )?[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4} `)

// codeInParensBefore reads a code in parentheses that comes before the
// client's words ("(550): Failed to add recipient "x" (No such user).")
// and returns the server's words: those in the last parentheses, else
// all after the colon.
func codeInParensBefore(text string) (string, bool) {
	if len(text) < 6 || text[3] != ')' || text[4] != ':' {
		return "", false
	}
	rest := strings.TrimSpace(text[5:])
	trimmed := strings.TrimRight(rest, ". ")
	if strings.HasSuffix(trimmed, ")") {
		depth := 0
		for i := len(trimmed) - 1; i >= 0; i-- {
			switch trimmed[i] {
			case ')':
				depth++
			case '(':
				depth--
			}
			if depth == 0 {
				if inner := strings.TrimSpace(trimmed[i+1 : len(trimmed)-1]); inner != "" && i > 0 {
					return strings.TrimPrefix(inner, "Error: "), true
				}
				break
			}
		}
	}
	return rest, rest != ""
}

// consequence reports a failure that only follows from an earlier one:
// a command out of sequence (503) or a DATA refused for want of
// recipients.
func consequence(r Reply) bool {
	if r.Code == basicBadSequence {
		return true
	}
	t := strings.ToLower(r.Text())
	return strings.Contains(t, "no valid recipients") || strings.Contains(t, "need rcpt")
}

// unnest replaces a reply that quotes another failing reply in its text
// ("554 … <421 …>", "5.7.57 … Error: 535 5.7.139 …", a greeting that runs
// into a 421) by the quoted one: the inner reply is the cause.
func (p *Pasted) unnest() {
	for depth := 0; depth < 4; depth++ {
		text := p.Reply.OneLine()
		at := replyStartIn(text)
		// A quoted reply has words after its code; "[416]" or "(535)" is a
		// reference number, not a reply.
		if at < 0 || at+4 >= len(text) || (text[at+3] != ' ' && text[at+3] != '-') {
			return
		}
		inner := text[at:]
		// "<421 …>", "(550 …)", "'550 …'", "< #5.7.133 smtp;550 …>": drop
		// the closer of the quote the inner reply stands in.
		if closer, ok := openQuoteCloser(text[:at]); ok {
			inner = inner[:quoteEnd(inner, closer)]
		}
		var q Pasted
		if q.parseCore(splitGlued(inner)) != nil || q.Reply.Class() < ClassTransient {
			return
		}
		if consequence(q.Reply) && !consequence(p.Reply) && p.Reply.Class() >= ClassTransient {
			return // a log line that goes on to the 503 that followed
		}
		if q.Reply.Code == p.Reply.Code && at == 0 {
			p.note("the code was written twice; read once")
		} else {
			p.note("a reply quoted inside another: the inner %03d is the cause", q.Reply.Code)
			p.Others = append(p.Others, p.Reply)
		}
		if q.Reply.Enhanced.IsZero() && !p.Reply.Enhanced.IsZero() && q.Reply.Code == p.Reply.Code {
			q.Reply.Enhanced = p.Reply.Enhanced
		}
		p.Reply = q.Reply
	}
}

// quoteClosers close the quotes a reply is put in.
var quoteClosers = map[byte]byte{'<': '>', '(': ')', '[': ']', '"': '"', '\'': '\''}

// bracketOpeners open the quotes that nest, by their closers.
var bracketOpeners = map[byte]byte{'>': '<', ')': '(', ']': '['}

// openQuoteCloser returns the closer of the innermost quote still open at
// the end of prefix: the quote a reply that follows stands in.
func openQuoteCloser(prefix string) (byte, bool) {
	var open []byte // closers of the quotes opened and not yet closed
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		if n := len(open); n > 0 && c == open[n-1] {
			open = open[:n-1]
			continue
		}
		if closer, ok := quoteClosers[c]; ok {
			if c == '\'' && i > 0 && isLetter(prefix[i-1]) {
				continue // an apostrophe: "don't"
			}
			open = append(open, closer)
		}
	}
	if len(open) == 0 {
		return 0, false
	}
	return open[len(open)-1], true
}

// quoteEnd returns where the quote closed by closer, open before s, ends
// in s: the closer that balances it (brackets nest), or len(s) when none
// does (a cut-off paste).
func quoteEnd(s string, closer byte) int {
	opener := bracketOpeners[closer] // 0 for quotes, which do not nest
	depth := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == closer && depth == 0:
			return i
		case s[i] == closer:
			depth--
		case opener != 0 && s[i] == opener:
			depth++
		}
	}
	return len(s)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// softwareOf names the software whose own log line the paste is, or "".
func softwareOf(t string) string {
	lower := strings.ToLower(t)
	if strings.Contains(lower, " said:") || strings.Contains(lower, "said: ") {
		return "" // a remote server's reply quoted by a log
	}
	for _, s := range softwareLogs {
		if strings.Contains(lower, s.marker) {
			return s.id
		}
	}
	if postfixParamRe.MatchString(lower) {
		return ProviderPostfix
	}
	if eximLogRe.MatchString(t) && !strings.Contains(lower, "remote mail server") && !strings.Contains(lower, "remote host") &&
		!strings.Contains(lower, " h=") {
		// Exim's own log line about its own delivery ("** a@b R=router:
		// Unknown user"); a line that names a server (H=, a remote
		// server's reply) takes that server (LABELING.md, "No server
		// replied").
		return ProviderExim
	}
	return ""
}
