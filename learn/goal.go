package learn

// Step is one line of a goal's checklist: a condition directly under the
// goal's root, and whether it has been met.
type Step struct {
	Label string
	Done  bool
	// Next marks the step an in-order goal waits for now.
	Next bool
}

// Attempt is the state of one try at a [Goal]: which conditions have been
// met so far. A fact meets at most one step of an in-order list, so that
// one 250 never counts for two commands.
type Attempt struct {
	goal  *Goal
	state *nodeState
}

// nodeState mirrors a node: met, the next child of an in-order list, and
// the children's states.
type nodeState struct {
	met  bool
	next int
	kids []*nodeState
}

// Start begins an attempt at g with nothing met.
func (g *Goal) Start() *Attempt {
	return &Attempt{goal: g, state: newState(g.root)}
}

func newState(n *node) *nodeState {
	s := &nodeState{}
	for _, k := range n.kids {
		s.kids = append(s.kids, newState(k))
	}
	return s
}

// Feed applies a fact and reports whether it completed the goal just now.
func (a *Attempt) Feed(f Fact) bool {
	if a.state.met {
		return false
	}
	feed(a.goal.root, a.state, f)
	return a.state.met
}

// Met reports whether the goal has been reached.
func (a *Attempt) Met() bool { return a.state.met }

// feed applies f to the subtree n and reports whether f was used by it.
func feed(n *node, s *nodeState, f Fact) bool {
	if s.met {
		return false
	}
	switch n.op {
	case opLeaf:
		s.met = n.match(f)
		return s.met
	case opInOrder:
		used := feed(n.kids[s.next], s.kids[s.next], f)
		if s.kids[s.next].met {
			s.next++
		}
		s.met = s.next == len(n.kids)
		return used
	case opAny:
		used := false
		for i, k := range n.kids {
			if feed(k, s.kids[i], f) {
				used = true
			}
			s.met = s.met || s.kids[i].met
		}
		return used
	default: // opAll
		used := false
		all := true
		for i, k := range n.kids {
			if feed(k, s.kids[i], f) {
				used = true
			}
			all = all && s.kids[i].met
		}
		s.met = all
		return used
	}
}

// Steps returns the goal's checklist: the conditions under its root, or
// the root alone when it is a single condition.
func (a *Attempt) Steps() []Step {
	root := a.goal.root
	if root.op == opLeaf || root.op == opAny {
		return []Step{{Label: root.label, Done: a.state.met, Next: !a.state.met}}
	}
	steps := make([]Step, len(root.kids))
	for i, k := range root.kids {
		steps[i] = Step{Label: k.label, Done: a.state.kids[i].met}
		if root.op == opInOrder {
			steps[i].Next = i == a.state.next
		} else {
			steps[i].Next = !steps[i].Done
		}
	}
	return steps
}
