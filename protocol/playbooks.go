package protocol

import "strings"

// playbookRule is one provider's advice for one reason: what the reason
// means at that provider, why it happens there and what to do. Rules are
// found by reason × provider; the codes and phrases of a rule only narrow
// it down when a provider has several rules for one reason (Microsoft's
// login failures), never on ids, IP addresses or dates.
type playbookRule struct {
	provider string   // provider ID; "" applies to every server
	reason   Reason   // the reason the rule advises on
	codes    []int    // basic codes the rule applies to; nil: any
	enhanced []string // enhanced codes ("5.7.139"); nil: any
	all      []string // phrases that must all appear (case-insensitive)
	any      []string // when set, at least one must appear

	// identifies is kept for the rule data's history: a rule whose match
	// names its provider. Provider detection now uses providerMarkers and
	// uniqueProviderCodes.
	identifies bool

	summary string   // one line: what it really means
	causes  []string // why it happens
	steps   []string // what to do, most useful first
	retry   string   // replaces the reason's retry note when the basic code misleads
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
	gatewayRules,
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

// playbookIndex finds a provider's rules for a reason without scanning
// every rule.
var playbookIndex = func() map[playbookKey][]*playbookRule {
	m := map[playbookKey][]*playbookRule{}
	for i := range playbookRules {
		r := &playbookRules[i]
		k := playbookKey{r.provider, r.reason}
		m[k] = append(m[k], r)
	}
	return m
}()

type playbookKey struct {
	provider string
	reason   Reason
}

// findPlaybook returns the provider's rule for the reason: the first whose
// codes and phrases fit the reply, else the first that asks for no
// phrase (its codes were how the old engine found it; the reason is
// decided now). A related provider's rules come next (on-premises Exchange and
// Exchange Online). It returns nil when the provider has no rule.
func findPlaybook(provider string, reason Reason, code int, enhanced, lowerText string) *playbookRule {
	for _, id := range []string{provider, relatedProviders[provider]} {
		if id == "" && provider != "" {
			continue
		}
		rules := playbookIndex[playbookKey{id, reason}]
		for _, r := range rules {
			if r.matches(code, enhanced, lowerText) {
				return r
			}
		}
		for _, r := range rules {
			if r.all == nil && r.any == nil {
				return r
			}
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
