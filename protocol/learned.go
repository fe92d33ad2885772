package protocol

import (
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The learned reader: when the rules find no phrase they know, a reply's
// words are compared with the corpus of real replies (testdata/corpus,
// the tuned files) by a naive Bayes model over its words and word pairs.
// It answers only when the comparison is clear, and it says which words
// decided, so its guess can be checked like any other evidence.
//
// The model is data (reasonmodel.tsv: how many corpus replies of each
// reason hold each feature), rebuilt from the corpus with
//
//	go test ./protocol -run TestReasonModelIsCurrent -update

//go:embed reasonmodel.tsv
var reasonModelData string

// learnedMinConfidence is the posterior the model must reach to name a
// reason; learnedMinFeatures how many known features the text must hold.
// Both were chosen by cross-validation over the corpus sources
// (TestReasonModelCrossValidation logs the curve; docs/explain.md).
const (
	learnedMinConfidence = 0.8
	learnedMinFeatures   = 2
	// maxModelReasons bounds the reasons a model file may list (the
	// vocabulary has under fifty).
	maxModelReasons = 128
	// learnedSmoothing is the add-α smoothing of feature counts.
	learnedSmoothing = 0.1
)

// reasonModel is what the model knows: the replies per reason, and per
// feature the replies per reason that hold it.
type reasonModel struct {
	reasons []Reason
	docs    []int            // replies per reason
	total   []int            // feature occurrences per reason
	feats   map[string][]int // feature → count per reason
}

var (
	// activeModel is the model in use: the embedded one, parsed on first
	// use (tests put a model trained on part of the corpus here).
	activeModel     atomic.Pointer[reasonModel]
	loadedModelOnce sync.Once
)

// currentModel is the model in use.
func currentModel() *reasonModel {
	loadedModelOnce.Do(func() {
		m, err := parseReasonModel(reasonModelData)
		if err != nil {
			// The file is built by a test that parses it back; a broken
			// one cannot ship. Without it the rules still answer.
			m = &reasonModel{feats: map[string][]int{}}
		}
		activeModel.CompareAndSwap(nil, m)
	})
	return activeModel.Load()
}

// parseReasonModel reads the model's text form: "#reasons" then one line
// per reason ("reason<TAB>replies"), then one line per feature
// ("feature<TAB>index:count index:count …").
func parseReasonModel(data string) (*reasonModel, error) {
	m := &reasonModel{feats: map[string][]int{}}
	for n, line := range strings.Split(data, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("reason model line %d: no tab", n+1)
		}
		if strings.HasPrefix(name, "@") {
			if len(m.reasons) == maxModelReasons {
				// Every feature line holds a count per reason: without a
				// cap, a damaged file would cost reasons × lines.
				return nil, fmt.Errorf("reason model line %d: more than %d reasons", n+1, maxModelReasons)
			}
			docs, err := strconv.Atoi(rest)
			if err != nil || docs < 0 {
				return nil, fmt.Errorf("reason model line %d: bad reply count %q", n+1, rest)
			}
			m.reasons = append(m.reasons, Reason(name[1:]))
			m.docs = append(m.docs, docs)
			m.total = append(m.total, 0)
			continue
		}
		counts := make([]int, len(m.reasons))
		for _, pair := range strings.Fields(rest) {
			i, c, ok := strings.Cut(pair, ":")
			idx, err1 := strconv.Atoi(i)
			cnt, err2 := strconv.Atoi(c)
			if !ok || err1 != nil || err2 != nil || idx < 0 || idx >= len(counts) || cnt < 0 {
				return nil, fmt.Errorf("reason model line %d: bad count %q", n+1, pair)
			}
			counts[idx] = cnt
			m.total[idx] += cnt
		}
		m.feats[name] = counts
	}
	return m, nil
}

// learnedGuess is the model's answer for one text.
type learnedGuess struct {
	reason     Reason
	confidence float64
	words      []string // the features that weighed most for it
	known      int      // features of the text the model has seen
}

// guess compares the features with the corpus. A reason is only named
// when the model is confident (see learnedMinConfidence).
func (m *reasonModel) guess(features []string) (learnedGuess, bool) {
	if len(m.reasons) == 0 {
		return learnedGuess{}, false
	}
	var known []string
	words := 0
	for _, f := range features {
		if _, ok := m.feats[f]; ok {
			known = append(known, f)
			if !strings.HasPrefix(f, "#") {
				words++
			}
		}
	}
	if words < learnedMinFeatures {
		// The codes alone are the rules' business.
		return learnedGuess{known: words}, false
	}
	vocab := float64(len(m.feats))
	allDocs := 0
	for _, d := range m.docs {
		allDocs += d
	}
	scores := make([]float64, len(m.reasons))
	for c := range m.reasons {
		scores[c] = math.Log(float64(m.docs[c]+1) / float64(allDocs+len(m.reasons)))
		denom := math.Log(float64(m.total[c]) + learnedSmoothing*vocab)
		for _, f := range known {
			scores[c] += math.Log(float64(m.feats[f][c])+learnedSmoothing) - denom
		}
	}
	best := 0
	for c := range scores {
		if scores[c] > scores[best] {
			best = c
		}
	}
	var sum float64
	for c := range scores {
		sum += math.Exp(scores[c] - scores[best])
	}
	g := learnedGuess{reason: m.reasons[best], confidence: 1 / sum, known: words}
	g.words = m.weightiest(known, best)
	return g, g.confidence >= learnedMinConfidence
}

// weightiest returns the features (words, not the code markers) that
// favour reason c most over the others, strongest first, at most three.
func (m *reasonModel) weightiest(known []string, c int) []string {
	type weighed struct {
		f string
		w float64
	}
	var ws []weighed
	for _, f := range known {
		if strings.HasPrefix(f, "#") {
			continue
		}
		counts := m.feats[f]
		in := (float64(counts[c]) + learnedSmoothing) / float64(m.docs[c]+1)
		var out float64
		var outDocs int
		for o, n := range counts {
			if o != c {
				out += float64(n)
				outDocs += m.docs[o]
			}
		}
		w := math.Log(in / ((out + learnedSmoothing) / float64(outDocs+1)))
		if w > 0 {
			ws = append(ws, weighed{f, w})
		}
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].w > ws[j].w })
	var words []string
	for _, w := range ws {
		if len(words) == 3 {
			break
		}
		if !coveredBy(w.f, words) {
			words = append(words, w.f)
		}
	}
	return words
}

// coveredBy reports a word already shown inside a chosen pair, or a pair
// whose words are both shown.
func coveredBy(f string, chosen []string) bool {
	for _, c := range chosen {
		if strings.Contains(" "+c+" ", " "+f+" ") || strings.Contains(" "+f+" ", " "+c+" ") {
			return true
		}
	}
	return false
}

// learnedReason asks the model about a failure the rules could not name,
// or named from its code alone. It keeps the rules' answer unless the
// model is sure of another.
func learnedReason(c Classification, r Reply, text, command string) Classification {
	if cl := r.Class(); cl != ClassTransient && cl != ClassPermanent && cl != ClassUnknown {
		return c
	}
	if c.Reason != ReasonUnknown && c.From != FromCode && c.From != FromContext {
		// A phrase the rules know outweighs the comparison: under
		// cross-validation, letting a sure model overrule even a mere
		// hint ("spam") broke more rows than it fixed.
		return c
	}
	g, ok := currentModel().guess(learnedFeatures(text, r, command))
	if !ok || g.reason == ReasonUnknown || g.reason == c.Reason || g.reason == ReasonAccepted || g.reason == ReasonContinue {
		return c
	}
	if g.reason == ReasonGreylisted && r.Class() == ClassPermanent {
		return c // a permanent refusal is no invitation to retry
	}
	return Classification{Reason: g.reason, From: FromWords, Matched: g.evidence()}
}

// evidence is the guess in words for the evidence line. The model's
// posterior is not shown: naive Bayes is surer than it is right (under
// cross-validation, 85% of its "90% sure" answers were right).
func (g learnedGuess) evidence() string {
	quoted := make([]string, len(g.words))
	for i, w := range g.words {
		quoted[i] = "'" + Sanitize(w) + "'"
	}
	what := "its words"
	if len(quoted) > 0 {
		what = "words like " + strings.Join(quoted, ", ")
	}
	return what + ", compared with real replies (no rule matched)"
}
