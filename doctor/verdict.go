package doctor

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// defaultGreylistDelay is when to retry a greylisted message when the
// server does not say: postgrey's default delay is 300 seconds.
const defaultGreylistDelay = 5 * time.Minute

// maxGreylistDelay caps a delay read from a reply.
const maxGreylistDelay = 24 * time.Hour

// delayPattern reads "retry in 60 seconds", "greylisted for 5 minutes".
var delayPattern = regexp.MustCompile(`(?i)\b(\d{1,5})\s*(seconds?|secs?|s|minutes?|mins?|m)\b`)

// verdictFacts is what a verdict rule may test, besides the reply.
type verdictFacts struct {
	stage    StageName
	reason   protocol.Reason
	provider string // provider ID from the reply, the host or the preset
	preset   string // preset name in effect
	text     string // lower-cased reply text, or the error
	code     int
}

// verdictRule is one row of the verdict table: when it applies and what
// the user should do. The first matching row wins, so narrow rows come
// before broad ones. Every row carries an example it must match (tested
// row by row).
type verdictRule struct {
	variant   string
	stages    []StageName
	reasons   []protocol.Reason
	providers []string // provider IDs; nil: any
	presets   []string // preset names; nil: any
	any       []string // lower-case phrases; one must appear in the text
	transient bool     // only for 4xx replies

	title string
	fix   []string // {user}, {from}, {to}, {host} and {port} are filled in
	retry bool     // compute when to retry (greylisting)

	example verdictExample
}

// verdictExample is a failure the row was written for.
type verdictExample struct {
	stage  StageName
	reply  string // the reply as on the wire; "" for a failure without reply
	reason protocol.Reason
	err    string
	host   string
	preset string
}

// matches reports whether the row applies.
func (v *verdictRule) matches(f verdictFacts) bool {
	switch {
	case v.stages != nil && !slices.Contains(v.stages, f.stage):
		return false
	case v.reasons != nil && !slices.Contains(v.reasons, f.reason):
		return false
	case v.providers != nil && !slices.Contains(v.providers, f.provider):
		return false
	case v.presets != nil && !slices.Contains(v.presets, f.preset):
		return false
	case v.transient && (f.code < 400 || f.code >= 500):
		return false
	}
	if v.any == nil {
		return true
	}
	for _, p := range v.any {
		if strings.Contains(f.text, p) {
			return true
		}
	}
	return false
}

// findRule returns the first row that applies, or nil.
func findRule(f verdictFacts) *verdictRule {
	for i := range verdictRules {
		if verdictRules[i].matches(f) {
			return &verdictRules[i]
		}
	}
	return nil
}

// verdict decides the diagnosis from the stages.
func (r *runner) verdict() Verdict {
	v := Verdict{Fix: []string{}, Passed: []StageName{}}
	var failed *Result
	for i := range r.report.Stages {
		res := &r.report.Stages[i]
		switch {
		case res.Status == StatusFail && failed == nil:
			failed = res
		case res.Status == StatusPass || res.Status == StatusWarn:
			if !slices.Contains(v.Passed, res.Stage) {
				v.Passed = append(v.Passed, res.Stage)
			}
		}
		for _, w := range res.Warnings {
			v.Warnings = append(v.Warnings, string(res.Stage)+": "+w)
		}
	}
	if failed == nil {
		v.OK = true
		v.Title = "everything tested works"
		if len(v.Warnings) > 0 {
			v.Title += fmt.Sprintf(", with %d warning(s)", len(v.Warnings))
		}
		return v
	}
	v.Stage, v.Reason, v.Reply, v.Error = failed.Stage, failed.Reason, failed.Reply, failed.Error
	v.Title = failed.Summary
	command := ""
	if failed.Reply != nil {
		command = failed.Reply.Command
	}
	f, e := failureFacts(*failed, r.explainContext(command), r.target.Provider, r.presetName())
	v.Provider = f.provider
	var explained []string
	if e != nil {
		v.Reason, v.Explanation, v.Evidence, v.Title = e.Reason, e.Summary, e.Evidence, e.Headline
		explained = e.Fix
	}
	rule := findRule(f)
	switch {
	case rule != nil:
		v.Variant, v.Title = rule.variant, r.fill([]string{rule.title})[0]
		v.Fix = append(v.Fix, r.fill(rule.fix)...)
		if rule.retry {
			at := r.clock().Add(retryDelay(f.text))
			v.RetryAt = &at
			v.Fix = append([]string{fmt.Sprintf("Retry after %s (in %s): a greylisting server takes the same client, sender and recipient once the delay has passed.",
				at.Format("15:04 MST"), retryDelay(f.text))}, v.Fix...)
		}
	case len(explained) > 0:
		v.Fix = append(v.Fix, explained...)
	default:
		v.Fix = append(v.Fix, failed.Summary)
	}
	if failed.Stage == StageAuth && len(r.predictions) > 0 {
		v.Fix = append(append([]string(nil), r.predictions...), v.Fix...)
	}
	return v
}

// failureFacts is what the verdict rules test about a failed stage, and
// the reply's explanation when a reply decided it.
func failureFacts(failed Result, ec protocol.ExplainContext, provider, preset string) (verdictFacts, *protocol.Explanation) {
	f := verdictFacts{stage: failed.Stage, reason: failed.Reason, provider: provider, preset: preset,
		text: strings.ToLower(failed.Error + " " + failed.Summary)}
	if failed.Reply == nil {
		return f, nil
	}
	reply := replyOf(failed.Reply)
	e := protocol.Explain(reply, ec)
	f.reason, f.code, f.text = e.Reason, reply.Code, strings.ToLower(reply.OneLine())
	if e.Provider.ID != "" {
		f.provider = e.Provider.ID
	}
	if f.provider == protocol.ProviderExchange {
		f.provider = protocol.ProviderMicrosoft // Exchange Server speaks as Exchange Online
	}
	return f, &e
}

// fill replaces the placeholders of a fix with this run's values.
func (r *runner) fill(lines []string) []string {
	host, port := hostOf(r.target.Address), ""
	if r.opts.Session.SNI != "" {
		host = r.opts.Session.SNI
	}
	if i := strings.LastIndexByte(r.target.Address, ':'); i >= 0 {
		port = r.target.Address[i+1:]
	}
	or := func(v, placeholder string) string {
		if v == "" {
			return placeholder
		}
		return protocol.Sanitize(v)
	}
	rep := strings.NewReplacer("{user}", or(r.opts.User, "USER@DOMAIN"), "{from}", or(r.opts.envelopeSender(), "ADDRESS"),
		"{to}", or(r.opts.To, "RECIPIENT"), "{host}", or(host, "HOST"), "{port}", or(port, "PORT"))
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = rep.Replace(l)
	}
	return out
}

// retryDelay reads the delay a greylisting reply names, else the usual one.
func retryDelay(text string) time.Duration {
	m := delayPattern.FindStringSubmatch(text)
	if m == nil {
		return defaultGreylistDelay
	}
	n, _ := strconv.Atoi(m[1])
	unit := time.Second
	if strings.HasPrefix(strings.ToLower(m[2]), "m") {
		unit = time.Minute
	}
	d := time.Duration(n) * unit
	if d <= 0 || d > maxGreylistDelay {
		return defaultGreylistDelay
	}
	return d
}

// replyOf returns the parsed reply behind a report reply.
func replyOf(rep *Reply) protocol.Reply { return rep.raw }

// preset returns the preset in effect: the target's, else the one of the
// login's domain.
func (r *runner) preset() (protocol.Preset, bool) {
	if r.target.Preset != "" {
		return protocol.LookupPreset(r.target.Preset)
	}
	if at := strings.LastIndexByte(r.opts.User, '@'); at >= 0 {
		return protocol.PresetForDomain(r.opts.User[at+1:])
	}
	return protocol.Preset{}, false
}

// presetName is the name of the preset in effect, or "".
func (r *runner) presetName() string {
	if p, ok := r.preset(); ok {
		// A Microsoft 365 host with a personal account's address is Outlook.com.
		if p.Name == "microsoft" {
			if at := strings.LastIndexByte(r.opts.User, '@'); at >= 0 {
				if up, ok := protocol.PresetForDomain(r.opts.User[at+1:]); ok && up.Name == "outlook" {
					return up.Name
				}
			}
		}
		return p.Name
	}
	return ""
}
