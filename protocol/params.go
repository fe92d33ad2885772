package protocol

import (
	"fmt"
	"strings"
)

// paramRule describes a known MAIL or RCPT parameter.
type paramRule struct {
	verb       string // VerbMAIL or VerbRCPT
	capability string // the EHLO keyword that enables it
	ref        string
	value      valueRule
	check      func(v string) string // for valueCustom: "" when fine, else the problem
}

type valueRule int

const (
	valueNone     valueRule = iota // the parameter takes no value
	valueRequired                  // any esmtp-value
	valueDigits                    // a decimal number
	valueCustom                    // checked by paramRule.check
)

var paramRules = map[string]paramRule{
	"SIZE":       {verb: VerbMAIL, capability: "SIZE", ref: "RFC 1870 6", value: valueDigits},
	"BODY":       {verb: VerbMAIL, capability: "8BITMIME", ref: "RFC 6152 2", value: valueCustom, check: checkBody},
	"SMTPUTF8":   {verb: VerbMAIL, capability: "SMTPUTF8", ref: "RFC 6531 3.4", value: valueNone},
	"RET":        {verb: VerbMAIL, capability: "DSN", ref: "RFC 3461 4.3", value: valueCustom, check: checkRet},
	"ENVID":      {verb: VerbMAIL, capability: "DSN", ref: "RFC 3461 4.4", value: valueCustom, check: checkEnvID},
	"REQUIRETLS": {verb: VerbMAIL, capability: "REQUIRETLS", ref: "RFC 8689 4.1", value: valueNone},
	"AUTH":       {verb: VerbMAIL, capability: "AUTH", ref: "RFC 4954 5", value: valueRequired},
	"MT-PRIORITY": {verb: VerbMAIL, capability: "MT-PRIORITY", ref: "RFC 6710 3", value: valueCustom,
		check: checkMTPriority},
	"BY":        {verb: VerbMAIL, capability: "DELIVERBY", ref: "RFC 2852 4", value: valueCustom, check: checkBy},
	"HOLDFOR":   {verb: VerbMAIL, capability: "FUTURERELEASE", ref: "RFC 4865 3", value: valueDigits},
	"HOLDUNTIL": {verb: VerbMAIL, capability: "FUTURERELEASE", ref: "RFC 4865 3", value: valueRequired},
	"NOTIFY":    {verb: VerbRCPT, capability: "DSN", ref: "RFC 3461 4.1", value: valueCustom, check: checkNotify},
	"ORCPT":     {verb: VerbRCPT, capability: "DSN", ref: "RFC 3461 4.2", value: valueCustom, check: checkORCPT},
	"RRVS":      {verb: VerbRCPT, capability: "RRVS", ref: "RFC 7293 3.1", value: valueRequired},
}

// ParamCapability returns the EHLO keyword a server must advertise before a
// client may use the MAIL/RCPT parameter name (SIZE → SIZE, NOTIFY → DSN,
// BODY=BINARYMIME → BINARYMIME). ok is false for unknown parameters.
func ParamCapability(p Param) (keyword string, ok bool) {
	r, ok := paramRules[p.Name]
	if !ok {
		return "", false
	}
	if p.Name == "BODY" {
		switch strings.ToUpper(p.Value) {
		case "BINARYMIME":
			return "BINARYMIME", true
		case "7BIT":
			return "", true // 7BIT needs no extension beyond EHLO
		}
	}
	return r.capability, true
}

// pathSpaceRef is the grammar that puts the path right after the colon
// ("MAIL FROM:" Reverse-path).
const pathSpaceRef = "RFC 5321 4.1.2"

// parsePathCommand parses "FROM:<path> params" or "TO:<path> params", the
// arguments of MAIL and RCPT (RFC 5321 4.1.1.2, 4.1.1.3), leniently: a
// space after the colon or a path without brackets is still read, and
// noted as a problem.
func parsePathCommand(p *problems, rest string) {
	c := p.c
	info := verbs[c.Verb]
	word, other := "FROM:", "TO:"
	if c.Verb == VerbRCPT {
		word, other = "TO:", "FROM:"
	}
	example := c.Verb + " " + word + "<user@example.com>"
	if c.Verb == VerbMAIL {
		example = "MAIL FROM:<you@example.com> (or MAIL FROM:<> for a bounce)"
	}
	checkCommandLength(p, c.Raw, MaxCommandLineOctets)

	if strings.HasPrefix(rest, " ") {
		p.add(codeSyntaxArgs, info.ref, fmt.Sprintf("there is more than one space after %s; type %s", c.Verb, example))
		rest = strings.TrimLeft(rest, " ")
	}
	upper := strings.ToUpper(rest)
	bare := strings.TrimSuffix(word, ":")
	var after string
	switch {
	case rest == "":
		p.add(codeSyntaxArgs, info.ref, fmt.Sprintf("%s needs %s…: %s", c.Verb, word, example))
		return
	case strings.HasPrefix(upper, word):
		after = rest[len(word):]
	case strings.HasPrefix(upper, other):
		p.add(codeSyntaxArgs, info.ref, fmt.Sprintf("%s takes %s, not %s: %s", c.Verb, word, other, example))
		after = rest[len(other):]
	case upper == bare || strings.HasPrefix(upper, bare+" ") || strings.HasPrefix(upper, bare+"<"):
		p.add(codeSyntaxArgs, info.ref, fmt.Sprintf("a colon must follow %s: %s", bare, example))
		after = rest[len(bare):]
	case strings.HasPrefix(rest, "<"):
		p.add(codeSyntaxArgs, info.ref, fmt.Sprintf("%s is missing before the address: %s", word, example))
		after = rest
	default:
		p.add(codeSyntaxArgs, info.ref, fmt.Sprintf("expected %s after %s: %s", word, c.Verb, example))
		return
	}

	if trimmed := strings.TrimLeft(after, " \t"); len(trimmed) != len(after) {
		p.add(codeSyntaxArgs, pathSpaceRef, fmt.Sprintf(
			"there is a space after '%s'; %s allows none (many servers reject it with 501): %s%s",
			word, pathSpaceRef, c.Verb+" "+word, firstField(trimmed)))
		after = trimmed
	}
	if after == "" {
		p.add(codeSyntaxArgs, info.ref, fmt.Sprintf("no address after %s: %s", word, example))
		return
	}

	var params string
	if after[0] == '<' {
		end := closingBracket(after)
		if end < 0 {
			p.add(codeSyntaxArgs, info.ref, "the address is missing its closing '>'")
			c.Path, c.HasPath = after[1:], true
			checkPath(p, info.ref)
			return
		}
		c.Path, c.HasPath = after[1:end], true
		params = after[end+1:]
		if params != "" && params[0] != ' ' {
			p.add(codeSyntaxArgs, info.ref, "put a space between '>' and the parameters")
		}
	} else {
		addr, tail, _ := strings.Cut(after, " ")
		p.add(codeSyntaxArgs, info.ref, fmt.Sprintf("the address must be inside angle brackets: %s%s<%s>",
			c.Verb+" ", word, Sanitize(addr)))
		c.Path, c.HasPath = addr, true
		params = tail
	}
	checkPath(p, info.ref)
	parseParams(p, params)
}

// closingBracket finds the '>' that closes a path starting at s[0] == '<',
// skipping quoted local parts ("a>b"@example.com).
func closingBracket(s string) int { return indexUnquoted(s, 1, ">") }

// indexUnquoted returns the index of the first byte of s, from from on,
// that is one of chars and outside a quoted string; -1 when none is.
func indexUnquoted(s string, from int, chars string) int {
	quoted := false
	for i := from; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && strings.IndexByte(chars, c) >= 0:
			return i
		}
	}
	return -1
}

func firstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return Sanitize(f[0])
	}
	return ""
}

// checkPath checks the address inside the brackets (RFC 5321 4.1.2).
func checkPath(p *problems, ref string) {
	c := p.c
	path := c.Path
	if n := len(path) + len("<>"); n > MaxPathOctets {
		p.add(codeMailboxSyntax, "RFC 5321 4.5.3.1.3", fmt.Sprintf("the path is %d octets, over the 256 allowed", n))
	}
	if path == "" {
		if c.Verb == VerbRCPT {
			p.add(codeMailboxSyntax, ref, "RCPT TO needs a recipient; the empty path <> is only valid as a sender (MAIL FROM:<>)")
		}
		return
	}
	if strings.HasPrefix(path, "@") {
		// A source route, "@relay.example:user@example.com" (RFC 5321 4.1.2, Appendix C).
		if i := strings.IndexByte(path, ':'); i >= 0 {
			p.add(0, "RFC 5321 Appendix C", "source routes (@relay,…:) are obsolete; servers ignore the route")
			path = path[i+1:]
		}
	}
	if c.Verb == VerbRCPT && strings.EqualFold(path, "postmaster") {
		return // RFC 5321 4.1.1.3: "Postmaster" without a domain is allowed
	}
	if unquotedSpace(path) {
		p.add(codeMailboxSyntax, ref, "the address contains a space; only a quoted local part may (\"a b\"@example.com)")
	}
	at := strings.LastIndexByte(path, '@')
	if at <= 0 || at == len(path)-1 {
		p.add(codeMailboxSyntax, ref, fmt.Sprintf("%q is not a mailbox; it needs a local part and a domain: user@example.com", Sanitize(path)))
	}
	if !isASCIIString(path) && c.Verb == VerbMAIL {
		if _, ok := c.Param("SMTPUTF8"); !ok {
			// Params are parsed after the path; parseParams re-checks.
			c.Problems = append(c.Problems, Problem{Message: nonASCIIPathMessage, Ref: "RFC 6531 3.4", Code: codeMailboxSyntax, Enhanced: enhNonASCIIAddress})
		}
	}
}

const nonASCIIPathMessage = "the address has non-ASCII characters; add the SMTPUTF8 parameter (the server must advertise SMTPUTF8)"

func unquotedSpace(s string) bool {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ' ', '\t':
			if !quoted {
				return true
			}
		}
	}
	return false
}

// parseParams reads the ESMTP parameters after a path (RFC 5321 4.1.2:
// esmtp-param = esmtp-keyword ["=" esmtp-value]).
func parseParams(p *problems, s string) {
	c := p.c
	for _, f := range strings.Fields(s) {
		name, value, has := strings.Cut(f, "=")
		prm := Param{Name: strings.ToUpper(name), Value: value, HasValue: has}
		if _, dup := c.Param(prm.Name); dup {
			p.add(codeSyntaxArgs, "RFC 5321 4.1.2", fmt.Sprintf("%s is given twice", Sanitize(prm.Name)))
		}
		c.Params = append(c.Params, prm)
		checkParam(p, prm)
	}
	if _, ok := c.Param("SMTPUTF8"); ok {
		// The path check ran before the parameters were known.
		kept := c.Problems[:0]
		for _, pr := range c.Problems {
			if pr.Message != nonASCIIPathMessage {
				kept = append(kept, pr)
			}
		}
		c.Problems = kept
	}
}

// checkParam checks one parameter's name, placement and value.
func checkParam(p *problems, prm Param) {
	c := p.c
	name := Sanitize(prm.Name)
	if !isESMTPKeyword(prm.Name) {
		p.add(codeSyntaxArgs, "RFC 5321 4.1.2", fmt.Sprintf("%q is not a parameter name (letters, digits and '-')", name))
		return
	}
	if prm.HasValue && !isESMTPValue(prm.Value) {
		p.add(codeSyntaxArgs, "RFC 5321 4.1.2", fmt.Sprintf("%s= needs a value without spaces, '=' or control characters", name))
		return
	}
	rule, known := paramRules[prm.Name]
	if !known {
		p.add(codeParamUnsupported, "RFC 5321 4.1.1.11", fmt.Sprintf(
			"%s is not a parameter smtpscope knows; unless the server advertised an extension for it, servers answer 555", name))
		return
	}
	if rule.verb != c.Verb {
		p.add(codeParamUnsupported, rule.ref, fmt.Sprintf("%s belongs on %s, not %s", name, verbPhrase(rule.verb), verbPhrase(c.Verb)))
		return
	}
	switch rule.value {
	case valueNone:
		if prm.HasValue {
			p.add(codeSyntaxArgs, rule.ref, fmt.Sprintf("%s takes no value; type just %s", name, name))
		}
		return
	}
	if !prm.HasValue {
		p.add(codeSyntaxArgs, rule.ref, fmt.Sprintf("%s needs a value: %s", name, paramExample(prm.Name)))
		return
	}
	switch rule.value {
	case valueDigits:
		if !isDigits(prm.Value) {
			p.add(codeSyntaxArgs, rule.ref, fmt.Sprintf("%s must be a whole number of %s, not %q", name, digitsUnit(prm.Name), Sanitize(prm.Value)))
		}
	case valueCustom:
		if msg := rule.check(prm.Value); msg != "" {
			p.add(codeSyntaxArgs, rule.ref, msg)
		}
	}
}

func verbPhrase(verb string) string {
	if verb == VerbRCPT {
		return "RCPT TO"
	}
	return verb + " FROM"
}

func digitsUnit(name string) string {
	if name == "HOLDFOR" {
		return "seconds"
	}
	return "octets"
}

func paramExample(name string) string {
	switch name {
	case "AUTH":
		return "AUTH=<> or AUTH=you@example.com"
	case "HOLDUNTIL":
		return "HOLDUNTIL=2026-01-01T09:00:00Z"
	case "RRVS":
		return "RRVS=2014-04-03T23:01:00Z"
	}
	return name + "=" + "…"
}

// PathProblems returns what is wrong with addr as the path of MAIL FROM
// (sender) or RCPT TO, in the words [ParseCommand] uses, or nil when a
// server would take it. "" is the null path, valid only for a sender.
// Non-ASCII is not a problem here: it needs SMTPUTF8 (see [MailParams]).
func PathProblems(addr string, sender bool) []Problem {
	verb := VerbRCPT
	if sender {
		verb = VerbMAIL
	}
	c := Command{Verb: verb, Path: addr, HasPath: true, Params: []Param{{Name: ExtSMTPUTF8}}}
	p := &problems{c: &c}
	checkLine(p, addr)
	if indexUnquoted(addr, 0, "<>") >= 0 {
		p.add(codeSyntaxArgs, verbs[verb].ref, "the address has a '<' or '>' outside quotes; give one address, user@example.com")
	}
	checkPath(p, verbs[verb].ref)
	return c.Problems
}
