package protocol

import (
	"sort"
	"strconv"
	"strings"
)

// Capability is one EHLO keyword line (RFC 5321 4.1.1.1: ehlo-line =
// ehlo-keyword *( SP ehlo-param )).
type Capability struct {
	Keyword string   // upper-cased keyword, "AUTH" for the old "AUTH=LOGIN" form too
	Params  []string // parameters as sent
	Raw     string   // the line's text as sent, for display
	Legacy  bool     // written in the pre-standard "KEYWORD=params" form
}

// Capabilities is the parsed list of extensions from an EHLO reply. The
// first reply line is the greeting (the server's name), not a keyword.
type Capabilities struct {
	Domain   string       // the name the server gave in the first line
	Greeting string       // the rest of the first line
	List     []Capability // in the order the server sent them, merged by keyword
}

// ParseEHLO reads the capabilities out of a 250 reply to EHLO. Unknown
// keywords are kept. The old "AUTH=LOGIN PLAIN" form, which some servers
// still send beside "AUTH LOGIN PLAIN", is folded into AUTH.
func ParseEHLO(r Reply) Capabilities {
	var c Capabilities
	for i, l := range r.Lines {
		text := strings.TrimSpace(l.Text)
		if i == 0 {
			c.Domain, c.Greeting, _ = strings.Cut(text, " ")
			continue
		}
		if text == "" {
			continue
		}
		fields := strings.Fields(text)
		kw, params, legacy := strings.ToUpper(fields[0]), fields[1:], false
		if k, v, ok := strings.Cut(kw, "="); ok && k != "" {
			// "AUTH=LOGIN PLAIN": the first parameter is glued to the keyword.
			orig := fields[0][len(k)+1:]
			kw, legacy = k, true
			if v != "" {
				params = append([]string{orig}, params...)
			}
		}
		c.add(Capability{Keyword: kw, Params: params, Raw: text, Legacy: legacy})
	}
	return c
}

// add merges a keyword into the list; a repeated keyword (AUTH and AUTH=)
// gains the new parameters it did not have.
func (c *Capabilities) add(cp Capability) {
	for i := range c.List {
		if c.List[i].Keyword != cp.Keyword {
			continue
		}
		for _, p := range cp.Params {
			if !containsFold(c.List[i].Params, p) {
				c.List[i].Params = append(c.List[i].Params, p)
			}
		}
		c.List[i].Raw += "; " + cp.Raw
		return
	}
	c.List = append(c.List, cp)
}

// Has reports whether the server advertised keyword (case-insensitive).
func (c Capabilities) Has(keyword string) bool {
	_, ok := c.Get(keyword)
	return ok
}

// Get returns the capability for keyword (case-insensitive).
func (c Capabilities) Get(keyword string) (Capability, bool) {
	for _, cp := range c.List {
		if strings.EqualFold(cp.Keyword, keyword) {
			return cp, true
		}
	}
	return Capability{}, false
}

// AuthMechanisms returns the SASL mechanisms from AUTH (and AUTH=),
// upper-cased, in the server's order.
func (c Capabilities) AuthMechanisms() []string {
	cp, ok := c.Get("AUTH")
	if !ok {
		return nil
	}
	out := make([]string, 0, len(cp.Params))
	for _, p := range cp.Params {
		p = strings.ToUpper(p)
		if !containsFold(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// Size returns the SIZE limit in octets (RFC 1870). ok is false when SIZE
// was not advertised; a limit of 0 means the server announced no fixed
// maximum.
func (c Capabilities) Size() (limit int64, ok bool) {
	cp, found := c.Get("SIZE")
	if !found {
		return 0, false
	}
	if len(cp.Params) == 0 {
		return 0, true
	}
	n, err := strconv.ParseInt(cp.Params[0], 10, 64)
	if err != nil || n < 0 {
		return 0, true
	}
	return n, true
}

// Limits returns the RFC 9422 LIMITS parameters (RCPTMAX, MAILMAX,
// RCPTDOMAINMAX) that the server gave, by upper-cased name.
func (c Capabilities) Limits() map[string]int {
	cp, ok := c.Get("LIMITS")
	if !ok {
		return nil
	}
	out := make(map[string]int, len(cp.Params))
	for _, p := range cp.Params {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(v); err == nil {
			out[strings.ToUpper(k)] = n
		}
	}
	return out
}

// Keywords returns the advertised keywords in the server's order.
func (c Capabilities) Keywords() []string {
	out := make([]string, len(c.List))
	for i, cp := range c.List {
		out[i] = cp.Keyword
	}
	return out
}

// CapabilityChange is one difference between two capability lists.
type CapabilityChange struct {
	Keyword string
	Before  *Capability // nil when added
	After   *Capability // nil when removed
}

// Added reports whether the keyword appeared only after.
func (ch CapabilityChange) Added() bool { return ch.Before == nil }

// Removed reports whether the keyword disappeared.
func (ch CapabilityChange) Removed() bool { return ch.After == nil }

// DiffCapabilities compares the capabilities before and after STARTTLS (or
// any two EHLO replies): keywords added, removed, or with different
// parameters (AUTH PLAIN LOGIN appearing only after TLS is the usual case).
// The result is sorted by keyword.
func DiffCapabilities(before, after Capabilities) []CapabilityChange {
	var out []CapabilityChange
	for i := range before.List {
		b := &before.List[i]
		a, ok := after.Get(b.Keyword)
		switch {
		case !ok:
			out = append(out, CapabilityChange{Keyword: b.Keyword, Before: b})
		case !sameParams(b.Params, a.Params):
			a := a
			out = append(out, CapabilityChange{Keyword: b.Keyword, Before: b, After: &a})
		}
	}
	for i := range after.List {
		a := &after.List[i]
		if !before.Has(a.Keyword) {
			out = append(out, CapabilityChange{Keyword: a.Keyword, After: a})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Keyword < out[j].Keyword })
	return out
}

func sameParams(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, p := range a {
		if !containsFold(b, p) {
			return false
		}
	}
	return true
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
