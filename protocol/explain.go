package protocol

import (
	"fmt"
	"strings"
)

// ExplainContext is what is known about where a reply came from.
type ExplainContext struct {
	Command  string        // verb that got the reply; EndOfDataVerb for end of data; "" for the greeting or unknown
	Host     string        // the server's host name (port allowed), for provider detection
	Greeting string        // the server's 220 greeting text, for provider detection
	Caps     *Capabilities // the latest EHLO capabilities, nil when unknown
	TLS      bool          // the connection is inside TLS
}

// Explanation is everything smtpscope can say about one reply.
type Explanation struct {
	Code     int
	Enhanced string // "5.7.8", or "" when the reply had none
	Class    Class
	Subject  string // the enhanced code's subject in words, or ""
	Provider Provider

	Summary     string   // one line
	InContext   string   // what it means after this command; "" when the command is unknown
	Causes      []string // likely reasons
	Actions     []string // what to do next
	Playbook    []string // the provider's own steps; empty when no provider rule applies
	References  []string // "RFC 4954 §6", "RFC 4954 X.7.8", provider help pages
	Diagnostics []string // how the reply departs from the RFCs
}

// relatedProviders share reply texts: an on-premises Exchange speaks like
// Exchange Online, and QQ and NetEase share the authorization-code scheme.
var relatedProviders = map[string]string{
	ProviderExchange:  ProviderMicrosoft,
	ProviderMicrosoft: ProviderExchange,
	ProviderQQ:        ProviderNetEase,
	ProviderNetEase:   ProviderQQ,
}

// Explain explains a reply. The provider's own meaning wins over the
// generic one (Gmail's 5.7.26 is a DMARC failure, Microsoft's 5.7.139 is
// SMTP AUTH disabled); without an enhanced code the basic code and stable
// phrases of the text decide. Explain is pure and safe for concurrent use.
func Explain(r Reply, ctx ExplainContext) Explanation {
	text := r.OneLine()
	lower := strings.ToLower(text)
	enh := r.Enhanced.String()
	e := Explanation{
		Code:     r.Code,
		Enhanced: enh,
		Class:    r.Class(),
	}
	if enh != "" {
		e.Subject = SubjectName(r.Enhanced.Subject)
	}

	e.Provider = DetectProvider(ctx.Host, ctx.Greeting)
	if e.Provider.ID == "" {
		e.Provider = DetectProvider("", text)
	}
	rule := providerRule(e.Provider.ID, r.Code, enh, lower)
	if rule == nil && e.Provider.ID == "" {
		if rule = findIdentifyingRule(r.Code, enh, lower); rule != nil {
			e.Provider, _ = ProviderByID(rule.provider)
		}
	}
	if rule != nil {
		e.Playbook = append([]string(nil), rule.steps...)
	} else {
		rule = findRule("", r.Code, enh, lower)
	}

	e.Summary = genericSummary(r)
	e.Causes = genericCauses(r, ctx)
	if rule != nil {
		e.Summary = rule.summary
		if len(rule.causes) > 0 {
			e.Causes = append([]string(nil), rule.causes...)
		}
	}
	if ctx.Command != "" || r.Code == basicServiceReady {
		e.InContext = MeaningAfter(ctx.Command, r.Code)
	}
	e.Actions = actionsFor(r, ctx, rule)
	e.References = references(r, ctx, rule)
	for _, d := range r.Diagnostics {
		e.Diagnostics = append(e.Diagnostics, d.String())
	}
	if e.Causes == nil {
		e.Causes = []string{}
	}
	return e
}

// providerRule finds the provider's rule, then a related provider's.
func providerRule(id string, code int, enh, lower string) *playbookRule {
	if id == "" {
		return nil
	}
	if rule := findRule(id, code, enh, lower); rule != nil {
		return rule
	}
	if rel, ok := relatedProviders[id]; ok {
		return findRule(rel, code, enh, lower)
	}
	return nil
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

// actionsFor lists what to do next: the retry advice for the class (or the
// rule's correction of it), then the rule's steps or generic advice.
func actionsFor(r Reply, ctx ExplainContext, rule *playbookRule) []string {
	var out []string
	switch {
	case rule != nil && rule.retry != "":
		out = append(out, rule.retry)
	case r.Class() == ClassTransient:
		out = append(out, "This is temporary: retry later (a mail server's queue retries on its own).")
	case r.Class() == ClassPermanent:
		out = append(out, "This is permanent: change something before trying again; the same request will fail the same way.")
	}
	switch {
	case rule != nil && rule.provider == "":
		out = append(out, rule.steps...)
	case rule != nil && len(rule.steps) > 0:
		out = append(out, rule.steps[0])
	default:
		out = append(out, genericActions(r, ctx)...)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// references collects the RFC sections and help pages, without repeats.
func references(r Reply, ctx ExplainContext, rule *playbookRule) []string {
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
