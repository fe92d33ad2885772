package protocol

import "strings"

// playbookRule is one piece of provider knowledge: a reply shape that a
// provider (or, with provider "", any server) sends, and what it really
// means. Rules match on stable things only: the basic code, the enhanced
// code and fixed phrases, never on ids, IP addresses or dates.
type playbookRule struct {
	provider string   // provider ID; "" applies to every server
	codes    []int    // basic codes the rule applies to; nil: any
	enhanced []string // enhanced codes ("5.7.139"); nil: any
	all      []string // phrases that must all appear (case-insensitive)
	any      []string // when set, at least one must appear

	// identifies is set when the match alone names the provider (its
	// private enhanced code or a phrase nobody else sends), so the
	// provider's advice applies even when no host was given.
	identifies bool

	summary string   // one line: what it really means
	causes  []string // why it happens
	steps   []string // what to do, most useful first
	retry   string   // replaces the class's retry advice when the basic code misleads
	refs    []string // RFC sections and provider documents
}

// playbookRules is every rule, provider rules first. Within a provider the
// first match wins, so specific phrases come before broad codes.
var playbookRules = concatRules(
	gmailRules,
	microsoftRules,
	exchangeRules,
	qqRules,
	neteaseRules,
	yahooRules,
	icloudRules,
	zohoRules,
	yandexRules,
	sesRules,
	sendgridRules,
	mailgunRules,
	postfixRules,
	eximRules,
	sendmailRules,
	genericRules,
)

// concatRules joins the rule lists and lower-cases their phrases once, so
// that matching needs no case folding of its own.
func concatRules(lists ...[]playbookRule) []playbookRule {
	var out []playbookRule
	for _, l := range lists {
		for _, r := range l {
			r.all = lowerAll(r.all)
			r.any = lowerAll(r.any)
			out = append(out, r)
		}
	}
	return out
}

func lowerAll(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ToLower(s)
	}
	return out
}

// matches reports whether the rule applies to a reply with this code,
// enhanced code and lower-cased one-line text.
func (p *playbookRule) matches(code int, enhanced, lowerText string) bool {
	if p.codes != nil && !containsInt(p.codes, code) {
		return false
	}
	if p.enhanced != nil && !containsString(p.enhanced, enhanced) {
		return false
	}
	for _, k := range p.all {
		if !strings.Contains(lowerText, k) {
			return false
		}
	}
	if p.any == nil {
		return true
	}
	for _, k := range p.any {
		if strings.Contains(lowerText, k) {
			return true
		}
	}
	return false
}

// findRule returns the first rule of provider that matches, or nil.
func findRule(provider string, code int, enhanced, lowerText string) *playbookRule {
	for i := range playbookRules {
		r := &playbookRules[i]
		if r.provider == provider && r.matches(code, enhanced, lowerText) {
			return r
		}
	}
	return nil
}

// findIdentifyingRule returns the first provider rule that matches and
// names its provider by itself, or nil.
func findIdentifyingRule(code int, enhanced, lowerText string) *playbookRule {
	for i := range playbookRules {
		r := &playbookRules[i]
		if r.identifies && r.provider != "" && r.matches(code, enhanced, lowerText) {
			return r
		}
	}
	return nil
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
