package protocol

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// MaxPastedOctets bounds the input [ParsePasted] accepts. A reply is at
// most a few kilobytes even when a log repeats it; anything larger is not
// a reply someone pasted.
const MaxPastedOctets = 64 << 10

// Errors returned (wrapped) by [ParsePasted].
var (
	ErrPastedEmpty  = errors.New("nothing to explain: the input is empty")
	ErrNoReplyCode  = errors.New("no SMTP reply code found")
	ErrPastedTooBig = fmt.Errorf("input is larger than %d KiB; explain reads a reply or a log excerpt, not a whole log: paste the lines around the failure", MaxPastedOctets>>10)
)

// Pasted is a reply recovered from text a user pasted: a wire reply, a
// client library's error, a bounce or a log line.
type Pasted struct {
	Reply Reply // the reply; Code 0 when the paste holds no reply at all (NoReply)
	// NoReply is set for text with no reply code in it that still says
	// what failed (a client's transport error, a bounce in words): Text
	// holds it and explaining it classifies the words alone.
	NoReply bool
	Text    string
	// CodeInferred is set when the paste had only an enhanced code and
	// the basic code was assumed from it.
	CodeInferred bool
	// Others are the other replies found in the paste, in order (a debug
	// log, a reply quoted inside another): the explained one is the first
	// failure, the innermost when one quotes another.
	Others []Reply
	// Software names the provider whose own log line the paste is
	// (Postfix smtpd's "NOQUEUE: reject:", Exim's reject log): that
	// software sent the reply, whatever host names the line mentions.
	Software string
	Command  string   // the command the text says the reply answered (Exim "after RCPT TO", Postfix "in reply to"), as an upper-case verb or EndOfDataVerb; "" when not said
	Host     string   // the server the text names (Exim "host mx.example.com [ip]", Postfix "host mx[ip] said"), or ""
	Notes    []string // what shape was recognised and what was assumed
	after    string   // the paste's lines after the explained reply, when it is the last one
	wordless bool     // a client library printed the code with no words (lettre)
	// mechanism is the AUTH mechanism the paste shows the client used
	// ("AUTH XOAUTH2 …"), "" when it shows none.
	mechanism string
	// tlsHello is set when a server's log shows a TLS handshake it read
	// as a command: the client spoke TLS to a plain port.
	tlsHello bool
}

// ParsePasted recovers a reply from pasted text and returns notes on the
// shape it recognised. See [ParsePastedInput] for the shapes.
func ParsePasted(input string) (Reply, []string, error) {
	p, err := ParsePastedInput(input)
	return p.Reply, p.Notes, err
}

// Shapes recognised by ParsePastedInput.
var (
	pyTupleRe = regexp.MustCompile(`\(\s*([2-5]\d\d)\s*,\s*(b?)(['"])`)
	// pyBareTupleRe is the same tuple printed without its opening
	// parenthesis by an app's own message ("SMTP Delivery Error: 554,
	// b'5.0.0 …')"): the bytes literal shows what it is.
	pyBareTupleRe = regexp.MustCompile(`\b([2-5]\d\d),\s*(b)(['"])`)
	csvTupleRe    = regexp.MustCompile(`^(\d{3}),\s*"?([245]\.\d{1,3}\.\d{1,3})"?,?\s*(.*)$`)
	ndrRe         = regexp.MustCompile(`(?is)remote server returned\s*'(.*)$`)
	eximRe        = regexp.MustCompile(`(?is)SMTP error from remote (?:mail server|mailer) after (.+?):\s*(?:host\s+\S+\s*\[[^\]]*\]:?\s*)?(\d{3}[ -].*)$`)
	postfixRe     = regexp.MustCompile(`(?is)\bsaid:\s*(\d{3}[ -:]?.*)$`)
	inReplyToRe   = regexp.MustCompile(`(?is)\s*\(in reply to (.+?) command\)\)?\s*$`)
	hostRe        = regexp.MustCompile(`(?i)(?:\bhost\s+|<\s+|\brelay=)([a-z0-9][a-z0-9.-]*\.[a-z]{2,})\.?\s*\[`)
	// Other ways bounces name the server that replied: Sendmail's
	// "... while talking to mx.example.org.:", Gmail's "Recipient server:
	// mx.example.org", "host 'mx.example.org' rejected command".
	replyingHostRe = regexp.MustCompile(`(?i)(?:\bwhile talking to|\brecipient server:|\bhost '|\bsmtp server:)\s*([a-z0-9][a-z0-9.-]*\.[a-z]{2,})`)
	// Outlook's non-delivery report names the remote server on the line
	// before what it returned ("mx.example.org\nRemote Server returned
	// '550 …'", in Italian "mx.example.org ha restituito questo errore:").
	ndrHostLineRe = regexp.MustCompile(`(?i)^\s*([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+\.[a-z]{2,})\s*(?:\n\s*remote server returned|(?:gave|returned) this error|ha restituito questo errore|a renvoy[ée] cette erreur|hat diesen fehler|devolvi[óo] este error)`)
	codeColonRe   = regexp.MustCompile(`^(\d{3}):\s*`)
	// A code inside prose: after a colon, semicolon, quote or bracket.
	embeddedCodeRe = regexp.MustCompile(`(?:[:;'"(]\s*)([2-5]\d\d)(?:[ -]|$)`)
)

// ParsePastedInput recovers a reply from the shapes users paste:
//
//   - a bare code "535", a code and enhanced code "535 5.7.8", whole
//     replies of one or more lines;
//   - Python smtplib tuples "(535, b'5.7.8 Username…')", with \xNN escapes
//     of GBK bytes decoded, and "SMTPAuthenticationError(550, '…')";
//   - Exchange NDRs "Remote Server returned '550 5.1.1 …'";
//   - Exim bounces "SMTP error from remote mail server after RCPT TO:<…>:
//     550 …" (the command is returned too);
//   - Postfix logs "… said: 550 … (in reply to RCPT TO command)";
//   - multi-line replies folded onto one line by a log
//     ("550-5.7.26 … 550-5.7.26 … 550 5.7.26 …");
//   - an enhanced code without a basic code ("5.7.57 SMTP; Client was not
//     …"): the basic code is inferred and a note says so;
//   - CSV cells such as "421, ""4.7.0"", TLS required…".
func ParsePastedInput(input string) (Pasted, error) {
	p, err := parsePasted(input)
	if err != nil {
		return p, err
	}
	p.enhancedInParens()
	if p.Command == "" && !p.NoReply {
		p.Command = quotedCommand(p.Reply.Text())
	}
	if p.Command == "" {
		p.Command = commandOfClient(input)
	}
	p.mechanism = mechanismOf(input)
	p.tlsHello = strings.Contains(input, `\`) && tlsHelloRe.MatchString(input)
	return p, nil
}

func parsePasted(input string) (Pasted, error) {
	var p Pasted
	if len(input) > MaxPastedOctets {
		return p, ErrPastedTooBig
	}
	t := strings.TrimSpace(strings.TrimPrefix(input, "\ufeff"))
	if t == "" {
		return p, ErrPastedEmpty
	}
	if s, ok := qmailLogSpaces(t); ok {
		t = s
		p.note("qmail log form: '_' read as spaces and '/' as line breaks")
	}
	if s, host, ok := sendmailTranscript(t); ok {
		t, p.Host = s, host
		p.note("Sendmail transcript: the replies of %s (the lines after <<<) are the server's; Sendmail's own status lines are not", host)
	} else if m := hostRe.FindStringSubmatch(t); m != nil {
		p.Host = strings.ToLower(m[1])
	} else if m := ndrHostLineRe.FindStringSubmatch(t); m != nil {
		p.Host = strings.ToLower(m[1])
	} else if lower := strings.ToLower(t); strings.Contains(lower, "talking to") || strings.Contains(lower, "server:") ||
		strings.Contains(lower, "host '") {
		if m := replyingHostRe.FindStringSubmatch(t); m != nil {
			p.Host = strings.ToLower(m[1])
		}
	}
	p.Software = softwareOf(t)
	t = p.unwrapCSV(t)
	t = p.rewriteFields(t)
	if s, ok := clientDialog(t); ok {
		t = s
		p.note("a mail client's error dialog: the server response it quotes is the reply")
	}
	if p.parsePythonTuple(t) {
		p.unnest()
		return p.checked()
	}
	t = p.unwrap(t)
	if p.parseScanned(t) {
		p.failedAfterReply()
		return p.checked()
	}
	// No reply line: an enhanced code in the text, or the words alone.
	err := fmt.Errorf("%w in %q", ErrNoReplyCode, abbreviate(Sanitize(strings.Join(strings.Fields(t), " ")), 60))
	if p.parseEnhancedAnywhere(t) {
		err = nil
	}
	if err != nil {
		// No code at all: a transport error or a message in words.
		if emptyServerLineRe.MatchString(t) {
			t = "the server sent an empty reply\n" + t
		}
		if c := classifyText(t); c.Reason != ReasonUnknown || c.Matched != "" {
			p.NoReply, p.Text = true, t
			if m := dsnFieldRe.FindStringSubmatch(t); m != nil {
				// A Postfix log's dsn= field is the status it recorded.
				p.Reply.Enhanced, _ = ParseEnhancedCode(m[1])
			}
			p.note("no reply code in the text: only its words say what failed")
			return p, nil
		}
		return Pasted{}, err
	}
	return p.checked()
}

// checked refuses a code whose first digit no reply class has.
func (p Pasted) checked() (Pasted, error) {
	if p.NoReply {
		return p, nil
	}
	if p.Reply.Class() == ClassUnknown {
		return Pasted{}, fmt.Errorf("%w: %03d is not a reply code (SMTP codes run from 200 to 599, RFC 5321 4.2)", ErrNoReplyCode, p.Reply.Code)
	}
	return p, nil
}

func (p *Pasted) note(format string, args ...any) {
	p.Notes = append(p.Notes, fmt.Sprintf(format, args...))
}

// unwrapCSV undoes a spreadsheet cell's quoting and its "code, enhanced,
// text" layout.
func (p *Pasted) unwrapCSV(t string) string {
	if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
		t = strings.ReplaceAll(t[1:len(t)-1], `""`, `"`)
		p.note("CSV-quoted cell: outer quotes removed")
	}
	if m := csvTupleRe.FindStringSubmatch(t); m != nil {
		p.note(`"code, enhanced, text" fields joined into one reply line`)
		return strings.TrimSpace(m[1] + " " + m[2] + " " + m[3])
	}
	return t
}

// unwrap removes the wrappers of NDRs, bounces and logs around a reply.
func (p *Pasted) unwrap(t string) string {
	if m := eximRe.FindStringSubmatch(t); m != nil {
		p.Command = commandFromPhrase(m[1])
		p.note("Exim bounce: the reply answered %s", displayVerb(p.Command, m[1]))
		return strings.TrimSpace(m[2])
	}
	if m := postfixRe.FindStringSubmatchIndex(t); m != nil {
		if qmailSaidRe.MatchString(t[:m[0]+len("said")]) {
			p.note("qmail bounce: the text after \"Remote host said:\" is the reply; the lines qmail adds after it are not")
			return qmailReply(t[m[2]:m[3]])
		}
		prefix := t[:m[2]]
		t = strings.TrimSpace(t[m[2]:m[3]])
		if closer, ok := openQuoteCloser(prefix); ok {
			// "status=bounced (host x said: 550 … (in reply to …))": the
			// reply ends where the log's own parenthesis closes.
			t = strings.TrimSpace(t[:quoteEnd(t, closer)])
		}
		p.note("Postfix log line: the text after \"said:\" is the reply")
		if r := inReplyToRe.FindStringSubmatch(t); r != nil {
			p.Command = commandFromPhrase(r[1])
			t = strings.TrimSpace(t[:len(t)-len(r[0])])
			p.note("the log says it answered %s", displayVerb(p.Command, r[1]))
		}
		return t
	}
	if m := ndrRe.FindStringSubmatch(t); m != nil {
		p.note("Exchange NDR: the text inside Remote Server returned '…' is the reply")
		return strings.TrimSuffix(strings.TrimSpace(m[1]), "'")
	}
	return t
}

// commandFromPhrase turns "RCPT TO:<a@b>", "end of data", "MAIL FROM
// command" or "pipelined DATA" into a verb.
func commandFromPhrase(s string) string {
	f := strings.Fields(strings.ToUpper(s))
	if len(f) > 0 && f[0] == "PIPELINED" {
		f = f[1:]
	}
	switch {
	case len(f) == 0:
		return ""
	case len(f) >= 3 && f[0] == "END" && f[1] == "OF" && f[2] == "DATA":
		return EndOfDataVerb
	case f[0] == "INITIAL" || f[0] == "CONNECTION":
		return ""
	}
	verb, _, _ := strings.Cut(f[0], ":")
	switch verb {
	case VerbEHLO, VerbHELO, VerbMAIL, VerbRCPT, VerbDATA, VerbRSET, VerbAUTH, VerbSTARTTLS, VerbBDAT, VerbQUIT, VerbNOOP, VerbVRFY, VerbEXPN:
		return verb
	}
	return ""
}

func displayVerb(verb, phrase string) string {
	switch verb {
	case "":
		return strings.TrimSpace(phrase)
	case EndOfDataVerb:
		return "the end of data"
	}
	return verb
}

// parsePythonTuple reads smtplib's (code, b'message') and
// SMTPAuthenticationError(code, 'message') shapes.
func (p *Pasted) parsePythonTuple(t string) bool {
	m := pyTupleRe.FindStringSubmatchIndex(t)
	if m == nil {
		if !strings.Contains(t, ", b") {
			return false
		}
		if m = pyBareTupleRe.FindStringSubmatchIndex(t); m == nil {
			return false
		}
	}
	code, _ := strconv.Atoi(t[m[2]:m[3]])
	isBytes := m[5] > m[4]
	quote := t[m[6]]
	body, closed := unquotePython(t[m[7]:], quote, isBytes)
	p.note("Python smtplib (code, message) tuple")
	if !closed {
		p.note("the quoted message has no closing quote; read to the end")
	}
	lines := strings.Split(body, "\n")
	var b ReplyBuilder
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		if _, err := b.Add([]byte(fmt.Sprintf("%03d%s%s\r\n", code, sep, strings.TrimRight(l, "\r")))); err != nil {
			return false
		}
	}
	p.Reply = b.Reply()
	if hasDiag(p.Reply, DiagDecodedGBK) || hasDiag(p.Reply, DiagMojibake) {
		p.note("the message bytes were GBK-encoded Chinese; decoded")
	}
	return true
}

// unquotePython decodes a Python string or bytes literal body up to its
// closing quote. \xNN is a byte in a bytes literal and U+00NN in a str.
func unquotePython(s string, quote byte, isBytes bool) (string, bool) {
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == quote {
			return string(out), true
		}
		if c != '\\' || i+1 >= len(s) {
			out = append(out, c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case '\\', '\'', '"':
			out = append(out, e)
		case 'x':
			if i+2 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
					if isBytes {
						out = append(out, byte(v))
					} else {
						out = append(out, string(rune(v))...)
					}
					i += 2
					continue
				}
			}
			out = append(out, '\\', e)
		default:
			out = append(out, '\\', e)
		}
	}
	return string(out), false
}

func hasDiag(r Reply, k DiagnosticKind) bool {
	for _, d := range r.Diagnostics {
		if d.Kind == k {
			return true
		}
	}
	return false
}
