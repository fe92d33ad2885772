package protocol

import (
	"fmt"
	"strings"
)

// ExplainContext is what is known about where a reply came from.
type ExplainContext struct {
	Command   string        // verb that got the reply; EndOfDataVerb for end of data; "" for the greeting or unknown
	Host      string        // the server's host name (port allowed), for provider detection
	Greeting  string        // the server's 220 greeting text, for provider detection
	Caps      *Capabilities // the latest EHLO capabilities, nil when unknown
	TLS       bool          // the connection is inside TLS
	Mechanism string        // the AUTH mechanism in use (XOAUTH2, PLAIN, …), "" when unknown
	Software  string        // a provider ID known to have sent the reply (a log format shows it), or ""
	// SoftwareFrom says how Software is known, for the "Read as" line;
	// "" reads as "the log line's format".
	SoftwareFrom string
	// wordless is set when a client library printed the code without any
	// words (lettre's structs): the code alone then names no reason
	// (LABELING.md, "Codes written as words").
	wordless bool
	// tlsHello is set when the paste shows the server read a TLS
	// handshake as a command (Exim's `SMTP syntax error in "\026\003…"`).
	tlsHello bool
}

// Explanation is everything smtpscope can say about one reply. A UI
// renders Headline, Evidence and Fix as they are; the other fields hold
// the detail.
type Explanation struct {
	Code     int
	Enhanced string // "5.7.8", or "" when the reply had none
	Class    Class
	Subject  string // the enhanced code's subject in words, or ""
	Provider Provider

	Reason       Reason       // one reason from the vocabulary, never ""
	ReasonFrom   ReasonSource // which evidence decided it; "" when nothing did (reason unknown)
	Evidence     string       // "from the text: 'over quota'"
	Disagreement string       // how the codes disagree with the text, or ""
	ProviderFrom string       // where the provider was found: "the reply ('gsmtp')", or ""
	Headline     string       // "Mailbox full · 552 5.2.2"
	ServerText   string       // what the server said, sanitized, without codes
	Fix          []string     // the provider's steps for the reason, else the reason's own

	Summary     string     // one line
	InContext   string     // what it means after this command; "" when the command is unknown
	Causes      []string   // likely reasons; empty when only the code is known
	Actions     []string   // what to do next
	Playbook    []string   // the provider's own steps; empty when no provider rule applies
	References  []string   // "RFC 4954 §6", "RFC 4954 X.7.8", provider help pages
	Diagnostics []string   // how the reply departs from the RFCs
	Challenge   *Challenge // a decoded 334 challenge, nil otherwise
}

// relatedProviders share reply texts: an on-premises Exchange speaks like
// Exchange Online, and QQ and NetEase share the authorization-code scheme.
var relatedProviders = map[string]string{
	ProviderExchange:  ProviderMicrosoft,
	ProviderMicrosoft: ProviderExchange,
	ProviderQQ:        ProviderNetEase,
	ProviderNetEase:   ProviderQQ,
}

// namesItself are the codes whose text starts with the server's host name
// (RFC 5321 4.2: the greeting, the EHLO reply, the closing replies).
var namesItself = map[int]bool{basicServiceReady: true, basicClosing: true, basicOK: true, basicNotAvailable: true, basicTransactionFailed: true}

// oauthMechanisms are the AUTH mechanisms that carry an OAuth token.
var oauthMechanisms = map[string]bool{"XOAUTH2": true, "OAUTHBEARER": true, "XOAUTH": true}

// Explain explains a reply. It names the reason from the strongest
// evidence (the provider's phrases, the shared vocabulary, the enhanced
// code, the basic code with its command), then gives the provider's
// advice for that reason, or the reason's own. Explain is pure and safe
// for concurrent use.
func Explain(r Reply, ctx ExplainContext) Explanation {
	text := r.OneLine()
	lower := foldText(text)
	hits := inHostNames(lower, matcher.find(lower))
	enh := r.Enhanced.String()
	e := Explanation{
		Code:       r.Code,
		Enhanced:   enh,
		Class:      r.Class(),
		ServerText: Sanitize(text),
	}
	if enh != "" {
		e.Subject = SubjectName(r.Enhanced.Subject)
	}
	host := ctx.Host
	if host == "" {
		// A greeting or a closing reply starts with the server's own
		// name, which says more than any template in its words; so does
		// any reply that starts with a host name of a known provider
		// ("500 mx.zohomail.com Syntax error").
		first, _, _ := strings.Cut(text, " ")
		first = strings.Trim(first, "[]()<>,;:")
		if _, ok := providerFromHost(first); ok && (namesItself[r.Code] || strings.Count(first, ".") >= 2) {
			host = first
		}
	}
	found := detectSender(host, ctx.Greeting, text, hits)
	if found.provider.ID == "" {
		found = hashCodeSender(r, text)
	}
	if host != ctx.Host {
		found.where = "the server's name in its reply (" + Sanitize(host) + ")"
	}
	if sw, ok := ProviderByID(ctx.Software); ok && (found.provider.ID == "" || ctx.Host == "" && ctx.Greeting == "") {
		where := ctx.SoftwareFrom
		if where == "" {
			where = "the log line's format (" + sw.Name + " wrote it)"
		}
		found = providerFinding{sw, where}
	}
	if id, ok := uniqueProviderCodes[enh]; ok && (found.provider.ID == "" || providerFamilies[found.provider.ID] == id) {
		p, _ := ProviderByID(id)
		where := fmt.Sprintf("the code %s, which only %s sends", enh, p.Name)
		if found.where != "" {
			where = found.where + " and " + where
		}
		found = providerFinding{p, where}
	}
	e.Provider, e.ProviderFrom = found.provider, found.where

	c := classify(r, text, hits, e.Provider.ID, strings.ToUpper(ctx.Command))
	c = learnedReason(c, r, text, strings.ToUpper(ctx.Command))
	if ctx.wordless && c.From == FromCode {
		c = Classification{Reason: ReasonUnknown}
	}
	if c.Reason == ReasonAuthDisabled && ctx.Caps != nil && ctx.Caps.Has("STARTTLS") && !ctx.TLS {
		// AUTH refused before STARTTLS by a server that offers STARTTLS:
		// servers offer their logins inside TLS only (LABELING.md, "An
		// extension not offered").
		c = Classification{Reason: ReasonTLSRequired, From: FromContext,
			Matched: fmt.Sprintf("%03d to AUTH before STARTTLS, which the server offers", r.Code)}
	}
	if r.Code == basicAuthChallenge {
		if ch := DecodeChallenge(text); ch != nil {
			e.Challenge = ch
			if e.Provider.ID == "" && ch.Decoded != "" {
				// The decoded JSON names the provider's scope.
				if p, m, ok := providerFromMarkers(ch.Decoded, matcher.find(foldText(ch.Decoded))); ok {
					e.Provider, e.ProviderFrom = p, fmt.Sprintf("the decoded challenge ('%s')", Sanitize(m))
				}
			}
			if ch.OAuthError != nil {
				c = Classification{Reason: ReasonAuthToken, From: FromText, Matched: ch.Decoded}
			} else if mech := strings.ToUpper(ctx.Mechanism); oauthMechanisms[mech] && ch.Prompt == "" {
				// After a token sent with AUTH, a 334 with data is the
				// server's error challenge (RFC 7628 3.2.2), even when
				// the paste hides its JSON.
				c = Classification{Reason: ReasonAuthToken, From: FromContext,
					Matched: fmt.Sprintf("%03d with data after AUTH %s: the server's error challenge", r.Code, mech)}
			}
		}
	}
	if c.Reason == ReasonNetwork && timeoutOnPort25(text) {
		// A proxy or relay reporting its own connect to port 25 timed out
		// ("421 Cannot connect to SMTP server … (…:25), connect error
		// 10060"): silence on port 25 is a filtered port.
		c = Classification{Reason: ReasonPortBlocked, From: FromText, Matched: c.Matched + "', on port 25 ('timed out"}
	}
	if ctx.tlsHello && r.Class() == ClassPermanent && (c.Reason == ReasonSyntax || c.Reason == ReasonNotImplemented ||
		c.Reason == ReasonUnknown || c.Reason == ReasonContent) {
		// The server logged a TLS handshake (0x16 0x03) as the command it
		// refused: the client spoke TLS to a plain port.
		c = Classification{Reason: ReasonTLSMismatch, From: FromContext,
			Matched: fmt.Sprintf("%03d to a TLS handshake the server read as a command", r.Code)}
	}
	if c.Reason == ReasonAuthFailed && oauthMechanisms[strings.ToUpper(ctx.Mechanism)] {
		c = Classification{Reason: ReasonAuthToken, From: FromContext,
			Matched: fmt.Sprintf("%03d after AUTH %s", r.Code, strings.ToUpper(ctx.Mechanism))}
	}
	e.Reason, e.ReasonFrom, e.Disagreement = c.Reason, c.From, c.Disagreement
	e.Evidence = c.Evidence()
	e.Headline = headline(c.Reason, r.Code, enh)

	lower = strings.ToLower(text)
	rule := findPlaybook(e.Provider.ID, c.Reason, r.Code, enh, lower)
	if rule == nil && e.Provider.ID != "" {
		rule = findPlaybook("", c.Reason, r.Code, enh, lower)
	}
	adv := reasonAdvice[c.Reason]
	e.Summary = adv.summary
	if c.From == FromText || c.From == FromEnhanced || c.From == FromWords {
		e.Causes = append([]string(nil), adv.causes...)
	}
	if rule != nil {
		e.Summary = rule.summary
		if len(rule.causes) > 0 {
			e.Causes = append([]string(nil), rule.causes...)
		}
		if rule.provider != "" {
			e.Playbook = append([]string(nil), rule.steps...)
		}
	}
	if c.Reason == ReasonAccepted || c.Reason == ReasonContinue {
		e.Summary = genericSummary(r) // the codes say it best
	}
	if c.Reason == ReasonUnknown || e.Summary == "" {
		e.Summary = onlyTheCode(r)
	}
	if ch := e.Challenge; ch != nil {
		if ch.OAuthError != nil {
			e.Causes = append([]string{"The server's error report says: " + ch.OAuthError.What() + "."}, e.Causes...)
		} else {
			e.Summary = "The login continues: " + ch.String() + "."
		}
	}
	if ctx.Command != "" || r.Code == basicServiceReady {
		e.InContext = MeaningAfter(ctx.Command, r.Code)
	}
	e.Actions = actionsFor(r, ctx, c, rule, adv)
	if e.Challenge != nil && e.Challenge.OAuthError != nil {
		// RFC 7628 3.2.2: the client answers the error with an empty
		// response ("AQ==" in OAUTHBEARER) and gets the final reply.
		e.Actions = append([]string{"Answer this challenge with an empty line (OAUTHBEARER: AQ==); the server then sends its final reply, usually 535."}, e.Actions...)
	}
	e.Fix = e.Playbook
	if len(e.Fix) == 0 {
		e.Fix = e.Actions
	}
	e.References = references(r, ctx, rule, adv)
	for _, d := range r.Diagnostics {
		e.Diagnostics = append(e.Diagnostics, d.String())
	}
	if e.Causes == nil {
		e.Causes = []string{}
	}
	return e
}

// headline is the reason in words with the codes: "Mailbox full · 552 5.2.2".
func headline(reason Reason, code int, enh string) string {
	codes := ""
	if code != 0 {
		codes = fmt.Sprintf("%03d", code)
	}
	if enh != "" {
		codes = strings.TrimSpace(codes + " " + enh)
	}
	if codes == "" {
		return reason.Title()
	}
	return reason.Title() + " · " + codes
}

// onlyTheCode says plainly that nothing but the code is known, and what
// the code itself means; renderers quote the server's words beside it.
func onlyTheCode(r Reply) string {
	if r.Code == 0 {
		return "Nothing in the text says what went wrong."
	}
	return "Only the code is known: " + lowerFirst(genericSummary(r))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// genericSummary is the meaning from the registries alone.
//
// The enhanced code's meaning is used when it says more than the basic
// code: not for X.0.0 ("other or undefined"), and not for a success reply
// whose enhanced code is only a subject's catch-all (2.7.0 on a 235 would
// otherwise read as a policy refusal).
func genericSummary(r Reply) string {
	if enhancedSaysMore(r) {
		info, ok := LookupEnhanced(r.Enhanced)
		if ok {
			return info.Meaning
		}
		basic, _ := LookupBasic(r.Code)
		return fmt.Sprintf("%s (%s is not in the IANA registry: the server's own code, about %s.)",
			strings.TrimSuffix(basic.Meaning, "."), r.Enhanced, orUnknown(info.Subject))
	}
	info, _ := LookupBasic(r.Code)
	if info.Meaning == "" {
		return fmt.Sprintf("Code %03d is outside the ranges SMTP defines; only its first digit can be trusted.", r.Code)
	}
	return info.Meaning
}

// enhancedSaysMore reports whether the reply's enhanced code is specific
// enough to explain the reply better than its basic code.
func enhancedSaysMore(r Reply) bool {
	e := r.Enhanced
	switch {
	case e.IsZero():
		return false
	case e.Subject == 0 && e.Detail == 0:
		return false
	case r.Class() == ClassSuccess && e.Detail == 0:
		return false
	}
	return true
}

func orUnknown(s string) string {
	if s == "" {
		return "an unregistered subject"
	}
	return s
}

// actionsFor lists what to do next: the retry note when the reason (or
// the provider's rule) has one, then the reason's steps, or steps from
// the code and what the server advertised when only the code is known.
func actionsFor(r Reply, ctx ExplainContext, c Classification, rule *playbookRule, adv advice) []string {
	var out []string
	switch {
	case rule != nil && rule.retry != "":
		out = append(out, rule.retry)
	case adv.retry != "":
		out = append(out, adv.retry)
	}
	switch {
	case rule != nil && rule.provider == "":
		out = append(out, rule.steps...)
	case rule != nil && len(rule.steps) > 0:
		out = append(out, rule.steps[0])
	case c.From == FromCode || c.From == FromContext || c.Reason == ReasonUnknown:
		if steps := codeActions(r, ctx); len(steps) > 0 {
			out = append(out, steps...)
		} else {
			out = append(out, adv.steps...)
		}
	case c.Reason == ReasonAuthRequired || c.Reason == ReasonTooBig:
		// The server's EHLO reply says what comes next (STARTTLS, AUTH, SIZE).
		if steps := codeActions(Reply{Code: map[Reason]int{ReasonAuthRequired: basicAuthRequired, ReasonTooBig: basicExceededStorage}[c.Reason]}, ctx); ctx.Caps != nil && len(steps) > 0 {
			out = append(out, steps...)
		} else {
			out = append(out, adv.steps...)
		}
	default:
		out = append(out, adv.steps...)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// references collects the RFC sections and help pages, without repeats.
func references(r Reply, ctx ExplainContext, rule *playbookRule, adv advice) []string {
	var refs []string
	add := func(s string) {
		s = sectionSign(s)
		for _, x := range refs {
			if x == s {
				return
			}
		}
		refs = append(refs, s)
	}
	if rule != nil {
		for _, ref := range rule.refs {
			add(ref)
		}
	} else {
		for _, ref := range adv.refs {
			add(ref)
		}
	}
	if info, ok := LookupBasic(r.Code); ok {
		if ref := commandRFC(ctx.Command); ref != "" {
			add(ref)
		}
		add(firstRef(info.RFC))
	}
	if info, ok := LookupEnhanced(r.Enhanced); ok {
		add(firstRef(info.RFC) + " " + info.Code)
	}
	if refs == nil {
		refs = []string{}
	}
	return refs
}

// commandRFC is the section that lists the replies of a command.
func commandRFC(verb string) string {
	switch strings.ToUpper(verb) {
	case VerbAUTH:
		return "RFC 4954 6"
	case VerbSTARTTLS:
		return "RFC 3207 4"
	case VerbBDAT:
		return "RFC 3030 2"
	case "":
		return ""
	}
	return "RFC 5321 4.3.2"
}

// firstRef keeps the first of "RFC 3463; RFC 7504".
func firstRef(s string) string {
	first, _, _ := strings.Cut(s, ";")
	return strings.TrimSpace(first)
}

// sectionSign writes "RFC 4954 6" as "RFC 4954 §6"; other references are
// returned unchanged.
func sectionSign(ref string) string {
	fields := strings.Fields(ref)
	if len(fields) != 3 || fields[0] != "RFC" || fields[2] == "" || fields[2][0] < '0' || fields[2][0] > '9' {
		return ref
	}
	return fields[0] + " " + fields[1] + " §" + fields[2]
}
