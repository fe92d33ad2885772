package protocol

import (
	"regexp"
	"strings"
)

// More paste shapes: qmail's log with underscores for spaces, mail
// clients' error dialogs quoting the server's response, an enhanced code
// written in parentheses, a reply that names the command it refuses, the
// AUTH mechanism a transcript used, and a TLS handshake a plain server
// logged as a command.

// qmailLogSpaces undoes qmail-send's log form, which writes a bounce's
// spaces as '_' and its line breaks as '/' ("failure: 192.0.2.1_does_not_
// like_recipient./Remote_host_said:_550_No_such_user/Giving_up_on_…").
func qmailLogSpaces(t string) (string, bool) {
	if !strings.Contains(t, "_host_said:") && !strings.Contains(t, "does_not_like_recipient") {
		return t, false
	}
	t = strings.ReplaceAll(t, "_", " ")
	return strings.ReplaceAll(t, "/", "\n"), true
}

// clientDialogRe finds the reply a mail client's error dialog quotes
// (Outlook and Windows Mail in many languages: `server response: "553
// …"`, `Resposta do Servidor: '553 …'`). The dialog's own words around it
// ("Server Error: 553", "Error Number: 0x800CCC79") are not the server's.
var clientDialogRe = regexp.MustCompile(`(?i)(?:server response|the server responded|resposta do servidor|respuesta del servidor|r[ée]ponse du serveur|antwort des servers|serverantwort|risposta del server|odpowied[źz] serwera|ответ сервера)\s*:\s*(?:"([2-5]\d\d[ -][^"\n]*)"|'([2-5]\d\d[ -][^'\n]*)')`)

// clientDialog returns the reply a client's error dialog quotes.
func clientDialog(t string) (string, bool) {
	if !strings.Contains(t, ": \"") && !strings.Contains(t, ": '") {
		return t, false // the regexp is costly; its quote is rare
	}
	m := clientDialogRe.FindStringSubmatch(t)
	if m == nil {
		return t, false
	}
	return m[1] + m[2], true
}

// parenEnhancedRe is an enhanced code the server wrote in parentheses,
// right after the basic code ("550 (5.2.1) mail from … refused") or at
// the end of its text in qmail's form ("553 … allowed rcpthosts
// (#5.7.1)").
var (
	parenEnhancedFirstRe = regexp.MustCompile(`^\(#?([245]\.\d{1,3}\.\d{1,3})\)\s*`)
	parenEnhancedLastRe  = regexp.MustCompile(`\(#([245]\.\d{1,3}\.\d{1,3})\)\s*$`)
)

// enhancedInParens gives a reply without an enhanced code the one its text
// carries in parentheses, when its class agrees.
func (p *Pasted) enhancedInParens() {
	if p.NoReply || !p.Reply.Enhanced.IsZero() || len(p.Reply.Lines) == 0 {
		return
	}
	last := &p.Reply.Lines[len(p.Reply.Lines)-1]
	m := parenEnhancedFirstRe.FindStringSubmatch(p.Reply.Lines[0].Text)
	if m == nil {
		m = parenEnhancedLastRe.FindStringSubmatch(last.Text)
	}
	if m == nil {
		return
	}
	enh, ok := ParseEnhancedCode(m[1])
	if !ok || enh.Class != p.Reply.Code/100 {
		return
	}
	p.Reply.Enhanced = enh
	p.note("the enhanced code %s is written in parentheses in the text", enh)
}

// refusedCommandRe is a reply that quotes the command it did not
// recognise (Sendmail's `500 5.5.1 Command unrecognized: "AUTH PLAIN …"`).
var refusedCommandRe = regexp.MustCompile(`(?i)(?:unrecognized|not recognized|unknown command|not implemented|invalid command)\s*:?\s*["'<]?([a-z]{4,8})\b`)

// quotedCommand returns the SMTP command a reply's text quotes, or "".
func quotedCommand(text string) string {
	m := refusedCommandRe.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	verb := strings.ToUpper(m[1])
	if _, ok := commandReplies[verb]; !ok {
		return ""
	}
	return verb
}

// authMechanismRe is the mechanism of an AUTH command in a transcript or
// a log ("AUTH XOAUTH2 dXNlcj1…", "sasl-xoauth2").
var authMechanismRe = regexp.MustCompile(`(?i)\bAUTH\s+(XOAUTH2|OAUTHBEARER|XOAUTH|PLAIN|LOGIN|CRAM-MD5)\b|\bsasl-(xoauth2)\b`)

// mechanismOf returns the AUTH mechanism a paste shows, or "".
func mechanismOf(t string) string {
	if !strings.Contains(t, "AUTH") && !strings.Contains(t, "auth") && !strings.Contains(t, "Auth") && !strings.Contains(t, "sasl-") {
		return ""
	}
	m := authMechanismRe.FindStringSubmatch(t)
	if m == nil {
		return ""
	}
	return strings.ToUpper(m[1] + m[2])
}

// tlsHelloRe is a TLS handshake record (0x16 0x03) as a plain SMTP server
// logs the bytes it took for a command: octal (Exim's "\026\003") or hex.
var tlsHelloRe = regexp.MustCompile(`\\026\\003|(?i)\\x16\\x03`)

// inHostNames drops the common words found inside host names ("relay" in
// smtp-relay.brevo.com, "block" in block.example.net): a name is not the
// server's words about what failed. Markers (often host names), phrases
// written with a dot, and names that say something specific (a block
// list's "spamhaus" in its query URL) stay.
func inHostNames(lower string, hits []phraseHit) []phraseHit {
	if len(hits) == 0 || !strings.Contains(lower, ".") {
		return hits
	}
	spans := hostTokenRe.FindAllStringIndex(lower, 16)
	if len(spans) == 0 {
		return hits
	}
	out := hits[:0:0]
	for _, h := range hits {
		c := &allCues[h.payload]
		inside := false
		if c.marks == "" && c.weight <= weightHint && !strings.Contains(c.phrase, ".") {
			for _, s := range spans {
				if h.start >= s[0] && h.end <= s[1] {
					inside = true
					break
				}
			}
		}
		if !inside {
			out = append(out, h)
		}
	}
	return out
}
