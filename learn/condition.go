package learn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// Condition is a goal condition as a catalog writes it (see the package
// documentation for the vocabulary). [Compile] checks it and turns it into
// a [Goal].
type Condition struct {
	Label string `toml:"label"`

	All     []Condition `toml:"all"`
	InOrder []Condition `toml:"in_order"`
	Any     []Condition `toml:"any"`

	Reply        any      `toml:"reply"` // 250, "5xx" or a list of them
	TLSHandshake bool     `toml:"tls_handshake"`
	Capabilities []string `toml:"capabilities"`

	To         any      `toml:"to"` // a verb, "greeting", "end of data", or a list of them
	Enhanced   string   `toml:"enhanced"`
	TLS        *bool    `toml:"tls"`
	Params     []string `toml:"params"`
	Pipelined  *bool    `toml:"pipelined"`
	ByHand     *bool    `toml:"by_hand"`
	Mechanism  string   `toml:"mechanism"`
	Prompt     string   `toml:"prompt"`
	Headers    []string `toml:"headers"`
	Body       *bool    `toml:"body"`
	DotStuffed *bool    `toml:"dot_stuffed"`
	Verified   *bool    `toml:"verified"`
}

// Names of the commands a condition's "to" may give beside verbs.
const (
	toGreeting  = "greeting"
	toEndOfData = "end of data"
)

// op is what a goal node does with its children.
type op int

const (
	opLeaf op = iota
	opAll
	opInOrder
	opAny
)

// node is a compiled condition.
type node struct {
	label string
	op    op
	kids  []*node
	match func(Fact) bool // leaves
}

// Goal is a compiled goal: a tree of conditions on [Fact] values. It is
// immutable; [Goal.Start] makes the state of one attempt at it.
type Goal struct{ root *node }

// Compile checks c and returns the goal it describes. Errors name the
// step (1-based, through the tree) and the field at fault.
func Compile(c Condition) (*Goal, error) {
	root, err := compile(c, "goal")
	if err != nil {
		return nil, err
	}
	if root.op == opAll || root.op == opInOrder {
		for i, k := range root.kids {
			if k.label == "" {
				return nil, fmt.Errorf("goal step %d: a label is needed (the screen lists the steps)", i+1)
			}
		}
	} else if root.label == "" {
		return nil, errors.New("goal: a label is needed (the screen shows it)")
	}
	return &Goal{root: root}, nil
}

func compile(c Condition, where string) (*node, error) {
	groups := 0
	n := &node{label: c.Label}
	var kids []Condition
	for _, g := range []struct {
		list []Condition
		op   op
	}{{c.All, opAll}, {c.InOrder, opInOrder}, {c.Any, opAny}} {
		if g.list != nil {
			groups++
			n.op, kids = g.op, g.list
		}
	}
	leaves := 0
	if c.Reply != nil {
		leaves++
	}
	if c.TLSHandshake {
		leaves++
	}
	if c.Capabilities != nil {
		leaves++
	}
	switch {
	case groups+leaves == 0:
		return nil, fmt.Errorf("%s: nothing to check: give reply, tls_handshake, capabilities, all, in_order or any", where)
	case groups+leaves > 1:
		return nil, fmt.Errorf("%s: give one of reply, tls_handshake, capabilities, all, in_order or any, not several", where)
	case groups == 1:
		if len(kids) == 0 {
			return nil, fmt.Errorf("%s: an empty list", where)
		}
		if c.hasQualifier() {
			return nil, fmt.Errorf("%s: qualifiers (to, tls, by_hand, …) belong to a reply, tls_handshake or capabilities condition, not to a list", where)
		}
		for i, k := range kids {
			kn, err := compile(k, fmt.Sprintf("%s step %d", where, i+1))
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, kn)
		}
		return n, nil
	}
	var err error
	switch {
	case c.Reply != nil:
		n.match, err = replyMatcher(c, where)
	case c.TLSHandshake:
		n.match, err = handshakeMatcher(c, where)
	default:
		n.match, err = capabilitiesMatcher(c, where)
	}
	if err != nil {
		return nil, err
	}
	return n, nil
}

// hasQualifier reports whether any leaf qualifier is set.
func (c Condition) hasQualifier() bool {
	return c.To != nil || c.Enhanced != "" || c.TLS != nil || c.Params != nil || c.Pipelined != nil || c.ByHand != nil ||
		c.Mechanism != "" || c.Prompt != "" || c.Headers != nil || c.Body != nil || c.DotStuffed != nil || c.Verified != nil
}

// replyMatcher compiles a reply condition.
func replyMatcher(c Condition, where string) (func(Fact) bool, error) {
	codes, err := parseCodes(c.Reply)
	if err != nil {
		return nil, fmt.Errorf("%s: reply: %w", where, err)
	}
	var verbs map[string]bool
	if c.To != nil {
		if verbs, err = parseVerbs(c.To); err != nil {
			return nil, fmt.Errorf("%s: to: %w", where, err)
		}
	}
	if c.Verified != nil {
		return nil, fmt.Errorf("%s: verified belongs to a tls_handshake condition", where)
	}
	params := upperAll(c.Params)
	mech := strings.ToUpper(c.Mechanism)
	prompt := strings.ToLower(c.Prompt)
	return func(f Fact) bool {
		switch {
		case f.Kind != FactReply || !codes.has(f.Code):
			return false
		case verbs != nil && !verbs[f.Command]:
			return false
		case c.Enhanced != "" && !strings.HasPrefix(f.Enhanced, c.Enhanced):
			return false
		case c.TLS != nil && f.TLS != *c.TLS:
			return false
		case !containsAll(f.Params, params):
			return false
		case c.Pipelined != nil && f.Pipelined != *c.Pipelined:
			return false
		case c.ByHand != nil && f.ByHand != *c.ByHand:
			return false
		case mech != "" && f.Mechanism != mech:
			return false
		case prompt != "" && !strings.Contains(strings.ToLower(f.Prompt), prompt):
			return false
		}
		return messageMatches(c, f.Message)
	}, nil
}

// messageMatches checks the conditions on a message's form; a condition
// that asks about the form needs a reply to the end of a message.
func messageMatches(c Condition, m *MessageForm) bool {
	if c.Headers == nil && c.Body == nil && c.DotStuffed == nil {
		return true
	}
	if m == nil {
		return false
	}
	return containsAll(upperAll(m.Headers), upperAll(c.Headers)) &&
		(c.Body == nil || m.Body == *c.Body) &&
		(c.DotStuffed == nil || m.DotStuffed == *c.DotStuffed)
}

// handshakeMatcher compiles a tls_handshake condition.
func handshakeMatcher(c Condition, where string) (func(Fact) bool, error) {
	if c.To != nil || c.Enhanced != "" || c.Params != nil || c.Pipelined != nil || c.ByHand != nil ||
		c.Mechanism != "" || c.Prompt != "" || c.Headers != nil || c.Body != nil || c.DotStuffed != nil || c.TLS != nil {
		return nil, fmt.Errorf("%s: a tls_handshake condition takes only verified", where)
	}
	return func(f Fact) bool {
		return f.Kind == FactTLS && (c.Verified == nil || f.Verified == *c.Verified)
	}, nil
}

// capabilitiesMatcher compiles a capabilities condition.
func capabilitiesMatcher(c Condition, where string) (func(Fact) bool, error) {
	if c.To != nil || c.Enhanced != "" || c.Params != nil || c.Pipelined != nil || c.ByHand != nil ||
		c.Mechanism != "" || c.Prompt != "" || c.Headers != nil || c.Body != nil || c.DotStuffed != nil || c.Verified != nil {
		return nil, fmt.Errorf("%s: a capabilities condition takes only tls", where)
	}
	if len(c.Capabilities) == 0 {
		return nil, fmt.Errorf("%s: capabilities: name at least one EHLO keyword", where)
	}
	want := upperAll(c.Capabilities)
	return func(f Fact) bool {
		if f.Kind != FactState || (c.TLS != nil && f.TLS != *c.TLS) {
			return false
		}
		for _, k := range want {
			if !f.Capabilities.Has(k) {
				return false
			}
		}
		return true
	}, nil
}

// codeSet is a set of reply codes and classes.
type codeSet struct {
	codes   map[int]bool
	classes map[int]bool // 2 for "2xx"
}

func (s codeSet) has(code int) bool { return s.codes[code] || s.classes[code/100] }

// Reply code limits (RFC 5321 4.2: three digits, the first 2 to 5).
const (
	minReplyCode = 200
	maxReplyCode = 599
)

// parseCodes reads 250, "250", "5xx" or a list of them.
func parseCodes(v any) (codeSet, error) {
	s := codeSet{codes: map[int]bool{}, classes: map[int]bool{}}
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	if len(items) == 0 {
		return s, errors.New("an empty list")
	}
	for _, it := range items {
		switch x := it.(type) {
		case int64:
			if x < minReplyCode || x > maxReplyCode {
				return s, fmt.Errorf("%d is not a reply code (200 to 599)", x)
			}
			s.codes[int(x)] = true
		case string:
			if len(x) == 3 && strings.EqualFold(x[1:], "xx") && x[0] >= '2' && x[0] <= '5' {
				s.classes[int(x[0]-'0')] = true
				continue
			}
			n, err := strconv.Atoi(x)
			if err != nil || n < minReplyCode || n > maxReplyCode {
				return s, fmt.Errorf("%q is not a reply code (250) or class (5xx)", x)
			}
			s.codes[n] = true
		default:
			return s, fmt.Errorf("%v is not a reply code (250) or class (5xx)", it)
		}
	}
	return s, nil
}

// parseVerbs reads "EHLO", "greeting", "end of data" or a list of them.
func parseVerbs(v any) (map[string]bool, error) {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	if len(items) == 0 {
		return nil, errors.New("an empty list")
	}
	out := map[string]bool{}
	for _, it := range items {
		name, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("%v is not a command name", it)
		}
		switch strings.ToLower(name) {
		case toGreeting:
			out[""] = true
			continue
		case toEndOfData:
			out[protocol.EndOfDataVerb] = true
			continue
		}
		cmd := protocol.ParseCommand(name)
		if !cmd.Known() || len(cmd.Args) > 0 {
			return nil, fmt.Errorf("%q is not an SMTP command (EHLO, MAIL, …), %q or %q", name, toGreeting, toEndOfData)
		}
		out[cmd.Verb] = true
	}
	return out, nil
}

func upperAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ToUpper(s)
	}
	return out
}

// containsAll reports whether have holds every string of want.
func containsAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
