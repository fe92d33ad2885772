package protocol

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Command verbs, in their canonical upper-case form. SMTP verbs are
// case-insensitive (RFC 5321 2.4); [ParseCommand] upper-cases what the user
// typed.
const (
	VerbEHLO     = "EHLO"     // RFC 5321 4.1.1.1
	VerbHELO     = "HELO"     // RFC 5321 4.1.1.1
	VerbMAIL     = "MAIL"     // RFC 5321 4.1.1.2
	VerbRCPT     = "RCPT"     // RFC 5321 4.1.1.3
	VerbDATA     = "DATA"     // RFC 5321 4.1.1.4
	VerbRSET     = "RSET"     // RFC 5321 4.1.1.5
	VerbVRFY     = "VRFY"     // RFC 5321 4.1.1.6
	VerbEXPN     = "EXPN"     // RFC 5321 4.1.1.7
	VerbHELP     = "HELP"     // RFC 5321 4.1.1.8
	VerbNOOP     = "NOOP"     // RFC 5321 4.1.1.9
	VerbQUIT     = "QUIT"     // RFC 5321 4.1.1.10
	VerbAUTH     = "AUTH"     // RFC 4954 4
	VerbSTARTTLS = "STARTTLS" // RFC 3207 4
	VerbBDAT     = "BDAT"     // RFC 3030 2
	VerbETRN     = "ETRN"     // RFC 1985 5
)

// EndOfDataVerb is the [Command.Verb] of the end-of-data marker
// <CRLF>.<CRLF> (RFC 5321 4.1.1.4), so that its reply can be matched and
// explained like a command's.
const EndOfDataVerb = "."

// Command line limits.
const (
	// MaxCommandLineOctets is the longest command line, CRLF included.
	// RFC 5321 4.5.3.1.4: "The maximum total length of a command line
	// including the command word and the <CRLF> is 512 octets."
	MaxCommandLineOctets = 512
	// MaxAuthLineOctets is the longest AUTH line servers must accept.
	// RFC 4954 4: at least 12288 octets for AUTH command and response lines.
	MaxAuthLineOctets = 12288
	// MaxPathOctets is the longest reverse- or forward-path, brackets
	// included. RFC 5321 4.5.3.1.3.
	MaxPathOctets = 256
)

// Reply codes a server typically gives to a malformed command. They are the
// Problem.Code values.
const (
	codeUnrecognized     = 500 // RFC 5321 4.2.4: command unrecognized
	codeSyntaxArgs       = 501 // RFC 5321 4.2.4: syntax error in parameters or arguments
	codeNotImplemented   = 502 // RFC 5321 4.2.4: command not implemented
	codeParamUnsupported = 555 // RFC 5321 4.1.1.11: MAIL/RCPT parameters not recognized or not implemented
	codeMailboxSyntax    = 553 // RFC 5321 4.2.3: mailbox name not allowed
)

// Command is one command line as the user typed it, parsed. The raw line
// is kept; the parsed fields are for the state machine, completion and
// warnings.
type Command struct {
	Raw      string    // the line as typed, without CRLF
	Verb     string    // upper-cased verb, or the unknown word as typed, upper-cased
	Args     []string  // whitespace-split arguments after the verb (AUTH: [mechanism, initial-response]; BDAT: [size, "LAST"]; MAIL: ["FROM:<a@b>", "SIZE=1"])
	Path     string    // MAIL/RCPT: the address inside <>, "" for the null path <>
	HasPath  bool      // MAIL/RCPT: a path was given
	Params   []Param   // MAIL/RCPT ESMTP parameters, unknown ones kept, in the order typed
	Problems []Problem // what is wrong with it, in plain words; empty when well-formed
}

// Param is one ESMTP parameter of MAIL or RCPT (RFC 5321 4.1.2:
// esmtp-param = esmtp-keyword ["=" esmtp-value]).
type Param struct {
	Name     string // upper-cased keyword
	Value    string // as typed
	HasValue bool   // an '=' was present
}

// String returns the parameter as it goes on the wire.
func (p Param) String() string {
	if p.HasValue {
		return p.Name + "=" + p.Value
	}
	return p.Name
}

// Problem is one thing wrong with a command, said so that the user knows
// what to type instead.
type Problem struct {
	Message  string // plain words
	Ref      string // where the rule is: "RFC 5321 4.1.2"
	Code     int    // the reply a strict server gives for it (501, 555, …), 0 when servers differ
	Enhanced string // the enhanced status code that goes with Code (RFC 3463): "5.5.4"; "" when Code is 0
}

// String returns the message with its reference, unless the message
// already cites it.
func (p Problem) String() string {
	if p.Ref == "" || strings.Contains(p.Message, p.Ref) {
		return p.Message
	}
	return p.Message + " (" + p.Ref + ")"
}

// Param returns the parameter called name (case-insensitive).
func (c Command) Param(name string) (Param, bool) {
	for _, p := range c.Params {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Param{}, false
}

// Known reports whether the verb is one smtpscope knows.
func (c Command) Known() bool {
	_, ok := verbs[c.Verb]
	return ok
}

// Canonical returns the command in canonical form: upper-case verb,
// "FROM:"/"TO:" without spaces, parameter names upper-cased. Arguments
// keep the user's spelling. It is what smtpscope would have typed.
func (c Command) Canonical() string {
	switch c.Verb {
	case VerbMAIL, VerbRCPT:
		if !c.HasPath {
			break
		}
		var sb strings.Builder
		sb.WriteString(c.Verb)
		if c.Verb == VerbMAIL {
			sb.WriteString(" FROM:<")
		} else {
			sb.WriteString(" TO:<")
		}
		sb.WriteString(c.Path)
		sb.WriteByte('>')
		for _, p := range c.Params {
			sb.WriteByte(' ')
			sb.WriteString(p.String())
		}
		return sb.String()
	case "":
		return ""
	}
	if len(c.Args) == 0 {
		return c.Verb
	}
	return c.Verb + " " + strings.Join(c.Args, " ")
}

// verbInfo says how a verb takes its arguments.
type verbInfo struct {
	args     argRule
	ref      string
	obsolete bool // in RFC 821 only; RFC 5321 dropped it
}

type argRule int

const (
	argsAny      argRule = iota // free text, optional (NOOP, HELP)
	argsNone                    // nothing allowed (DATA, RSET, QUIT, STARTTLS)
	argsOne                     // exactly one (EHLO, HELO)
	argsRequired                // at least one (VRFY, EXPN, ETRN)
	argsPath                    // FROM:/TO: path and parameters (MAIL, RCPT)
	argsAuth                    // mechanism [initial-response]
	argsBDAT                    // size [LAST]
)

var verbs = map[string]verbInfo{
	VerbEHLO:     {args: argsOne, ref: "RFC 5321 4.1.1.1"},
	VerbHELO:     {args: argsOne, ref: "RFC 5321 4.1.1.1"},
	VerbMAIL:     {args: argsPath, ref: "RFC 5321 4.1.1.2"},
	VerbRCPT:     {args: argsPath, ref: "RFC 5321 4.1.1.3"},
	VerbDATA:     {args: argsNone, ref: "RFC 5321 4.1.1.4"},
	VerbRSET:     {args: argsNone, ref: "RFC 5321 4.1.1.5"},
	VerbVRFY:     {args: argsRequired, ref: "RFC 5321 4.1.1.6"},
	VerbEXPN:     {args: argsRequired, ref: "RFC 5321 4.1.1.7"},
	VerbHELP:     {args: argsAny, ref: "RFC 5321 4.1.1.8"},
	VerbNOOP:     {args: argsAny, ref: "RFC 5321 4.1.1.9"},
	VerbQUIT:     {args: argsNone, ref: "RFC 5321 4.1.1.10"},
	VerbAUTH:     {args: argsAuth, ref: "RFC 4954 4"},
	VerbSTARTTLS: {args: argsNone, ref: "RFC 3207 4"},
	VerbBDAT:     {args: argsBDAT, ref: "RFC 3030 2"},
	VerbETRN:     {args: argsRequired, ref: "RFC 1985 5"},
	"SEND":       {args: argsPath, ref: "RFC 821 4.1.1", obsolete: true},
	"SOML":       {args: argsPath, ref: "RFC 821 4.1.1", obsolete: true},
	"SAML":       {args: argsPath, ref: "RFC 821 4.1.1", obsolete: true},
	"TURN":       {args: argsNone, ref: "RFC 821 4.1.1", obsolete: true},
}

// misspelled maps words people type by mistake to the verb they meant.
var misspelled = map[string]string{
	"HELLO": VerbEHLO, "EHELO": VerbEHLO, "EHL0": VerbEHLO, "ELHO": VerbEHLO, "HLO": VerbHELO,
	"MAIL:": VerbMAIL, "FROM": VerbMAIL, "FROM:": VerbMAIL, "RCPT:": VerbRCPT, "TO": VerbRCPT, "TO:": VerbRCPT,
	"RCTP": VerbRCPT, "RECPT": VerbRCPT, "RCPTTO": VerbRCPT, "MAILFROM": VerbMAIL,
	"RESET": VerbRSET, "EXIT": VerbQUIT, "BYE": VerbQUIT, "LOGIN": VerbAUTH, "TLS": VerbSTARTTLS,
	"STARTSSL": VerbSTARTTLS, "START": VerbSTARTTLS,
}

// ParseCommand parses one command line as typed (a trailing CRLF or LF is
// ignored). It never fails: what is wrong is listed in Problems, and the
// line is kept as typed in Raw so that a debugger can still send it.
func ParseCommand(line string) Command {
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	c := Command{Raw: line}
	p := &problems{c: &c}

	checkLine(p, line)
	trimmed := strings.TrimLeft(line, " \t")
	if trimmed == "" {
		p.add(codeUnrecognized, "RFC 5321 4.1.1", "the line is empty; type a command such as EHLO, MAIL FROM:<…> or QUIT")
		return c
	}
	if len(trimmed) != len(line) {
		// Servers differ: Postfix and most others skip the white space.
		p.add(0, "RFC 5321 4.1.1", "the line starts with white space; the command word must come first")
	}
	// The verb ends at the first space; servers also take a tab.
	word, rest := trimmed, ""
	if i := strings.IndexAny(trimmed, " \t"); i >= 0 {
		word, rest = trimmed[:i], trimmed[i+1:]
	}
	c.Verb = strings.ToUpper(word)
	c.Args = splitArgs(rest)

	info, known := verbs[c.Verb]
	if !known {
		msg := fmt.Sprintf("%s is not an SMTP command; servers answer 500 (command unrecognized)", Sanitize(word))
		if want, ok := misspelled[c.Verb]; ok {
			msg += fmt.Sprintf("; did you mean %s?", want)
		}
		p.add(codeUnrecognized, "RFC 5321 4.2.4", msg)
		return c
	}
	if info.obsolete {
		p.add(codeNotImplemented, info.ref,
			fmt.Sprintf("%s was dropped from SMTP by RFC 5321; servers answer 502 (not implemented)", c.Verb))
	}
	switch info.args {
	case argsPath:
		parsePathCommand(p, rest)
		return c
	case argsAuth:
		checkAuth(p)
	case argsBDAT:
		checkBDAT(p)
	default:
		checkArgCount(p, info)
	}
	if c.Verb != VerbAUTH {
		checkCommandLength(p, line, MaxCommandLineOctets)
	} else {
		checkCommandLength(p, line, MaxAuthLineOctets)
	}
	return c
}

// problems collects Problems for a command being parsed.
type problems struct{ c *Command }

func (p *problems) add(code int, ref, msg string) {
	p.c.Problems = append(p.c.Problems, Problem{Message: msg, Ref: ref, Code: code, Enhanced: problemEnhanced(code, p.c.Verb)})
}

// Enhanced status codes of the problems a strict server refuses, by RFC
// 3463 3.5 and 3.1 (the codes Postfix sends too).
const (
	enhInvalidCommand   = "5.5.1" // X.5.1: out of sequence or not supported (502, 503)
	enhSyntaxError      = "5.5.2" // X.5.2: "the command is unrecognized" or unreadable (500)
	enhInvalidArguments = "5.5.4" // X.5.4: a valid command with invalid arguments (501, 504, 555)
	enhBadSender        = "5.1.7" // X.1.7: bad sender's mailbox address syntax (553 to MAIL)
	enhBadRecipient     = "5.1.3" // X.1.3: bad destination mailbox address syntax (553 to RCPT)
	enhNonASCIIAddress  = "5.6.7" // X.6.7 (RFC 6531 3.5): non-ASCII address without SMTPUTF8
)

// problemEnhanced returns the enhanced code that goes with a problem's
// reply code for a command verb.
func problemEnhanced(code int, verb string) string {
	switch code {
	case 0:
		return ""
	case codeUnrecognized:
		return enhSyntaxError
	case codeNotImplemented, codeBadSequence:
		return enhInvalidCommand
	case codeMailboxSyntax:
		if verb == VerbMAIL {
			return enhBadSender
		}
		return enhBadRecipient
	}
	return enhInvalidArguments
}

// checkLine flags bytes that do not belong in a command line.
func checkLine(p *problems, line string) {
	if strings.ContainsAny(line, "\r\n") {
		p.add(codeUnrecognized, "RFC 5321 2.3.8",
			"the line contains a CR or LF; SMTP lines end only with CRLF, and a lone CR or LF can be read as two commands")
	}
	for i := 0; i < len(line); i++ {
		if c := line[i]; (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f {
			p.add(codeUnrecognized, "RFC 5321 4.1.1", "the line contains control characters; servers reject or mangle them")
			break
		}
	}
	if !utf8.ValidString(line) {
		p.add(codeUnrecognized, "RFC 6531 3.3", "the line is not valid UTF-8")
	}
}

// checkCommandLength flags a line the server may refuse as too long.
func checkCommandLength(p *problems, line string, limit int) {
	if n := len(line) + len("\r\n"); n > limit {
		ref := "RFC 5321 4.5.3.1.4"
		if limit == MaxAuthLineOctets {
			ref = "RFC 4954 4"
		}
		p.add(codeUnrecognized, ref,
			fmt.Sprintf("the line is %d octets with CRLF, over the %d a server must accept; servers answer 500 (line too long)", n, limit))
	}
}

// ChunkSize returns the size of a BDAT command's chunk.
func (c Command) ChunkSize() (int64, bool) {
	if c.Verb != VerbBDAT || len(c.Args) == 0 || !isDigits(c.Args[0]) || len(c.Args[0]) > maxInt64Digits {
		return 0, false
	}
	var n int64
	for i := 0; i < len(c.Args[0]); i++ {
		n = n*10 + int64(c.Args[0][i]-'0')
	}
	return n, n >= 0
}

// LastChunk reports whether a BDAT command carries LAST.
func (c Command) LastChunk() bool {
	return c.Verb == VerbBDAT && len(c.Args) == 2 && c.Args[1] == "LAST"
}

// maxInt64Digits bounds digit strings parsed into an int64 without overflow.
const maxInt64Digits = 18

// splitArgs splits arguments on white space; nil when there are none.
func splitArgs(s string) []string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return nil
	}
	return f
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
