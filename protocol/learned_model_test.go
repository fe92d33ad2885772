package protocol

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

var updateModel = flag.Bool("update", false, "rebuild reasonmodel.tsv from the tuned corpus")

// learnedInput is what the learned reader sees of a corpus row: the
// reply's text, the reply and its command, as Explain and explainWords
// hand them over.
func learnedInput(input string) (string, Reply, string) {
	p, err := ParsePastedInput(input)
	switch {
	case err != nil:
		return input, Reply{}, ""
	case p.NoReply:
		return p.Text, Reply{}, ""
	}
	return p.Reply.OneLine(), p.Reply, strings.ToUpper(p.Command)
}

// trainReasonModel counts, for each reason, the rows and the rows holding
// each feature. Features seen in one row only are left out: they cannot
// generalise and would only make the file larger.
func trainReasonModel(rows []corpusRow) *reasonModel {
	index := map[Reason]int{}
	var reasons []Reason
	for _, r := range rows {
		if _, ok := index[r.reason]; !ok {
			index[r.reason] = 0
			reasons = append(reasons, r.reason)
		}
	}
	sort.Slice(reasons, func(i, j int) bool { return reasons[i] < reasons[j] })
	for i, r := range reasons {
		index[r] = i
	}
	m := &reasonModel{reasons: reasons, docs: make([]int, len(reasons)), total: make([]int, len(reasons)), feats: map[string][]int{}}
	for _, r := range rows {
		c := index[r.reason]
		m.docs[c]++
		text, reply, command := learnedInput(r.input)
		for _, f := range learnedFeatures(text, reply, command) {
			if m.feats[f] == nil {
				m.feats[f] = make([]int, len(reasons))
			}
			m.feats[f][c]++
		}
	}
	for f, counts := range m.feats {
		n := 0
		for _, c := range counts {
			n += c
		}
		if n < 2 {
			delete(m.feats, f)
			continue
		}
		for c, k := range counts {
			m.total[c] += k
		}
	}
	return m
}

// format writes the model in the form parseReasonModel reads.
func (m *reasonModel) format() string {
	var b strings.Builder
	b.WriteString("# smtpscope's learned reader: replies per reason (@reason), then per feature the replies of each\n")
	b.WriteString("# reason (by index) that hold it. Built from testdata/corpus by: go test ./protocol -run TestReasonModelIsCurrent -update\n")
	for i, r := range m.reasons {
		fmt.Fprintf(&b, "@%s\t%d\n", r, m.docs[i])
	}
	feats := make([]string, 0, len(m.feats))
	for f := range m.feats {
		feats = append(feats, f)
	}
	sort.Strings(feats)
	for _, f := range feats {
		b.WriteString(f)
		b.WriteByte('\t')
		sep := ""
		for c, n := range m.feats[f] {
			if n > 0 {
				fmt.Fprintf(&b, "%s%d:%d", sep, c, n)
				sep = " "
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// tunedRows are the corpus rows rules and model are built from.
func tunedRows(t *testing.T) []corpusRow {
	var tuned []corpusRow
	for _, r := range readCorpus(t) {
		if !r.heldOut {
			tuned = append(tuned, r)
		}
	}
	return tuned
}

// The embedded model is the one the tuned corpus gives; a corpus change
// without a rebuild fails here.
func TestReasonModelIsCurrent(t *testing.T) {
	want := trainReasonModel(tunedRows(t)).format()
	if *updateModel {
		if err := os.WriteFile("reasonmodel.tsv", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if reasonModelData != want {
		t.Fatal("reasonmodel.tsv is not the model of testdata/corpus: run go test ./protocol -run TestReasonModelIsCurrent -update")
	}
	if _, err := parseReasonModel(want); err != nil {
		t.Fatal(err)
	}
}

// learnedFolds is how many parts cross-validation splits the corpus into.
const learnedFolds = 5

// foldOf puts all rows of one source (one thread, one fixture file, one
// documentation page) in the same fold, so that no reply is judged by a
// model that has seen its near twins.
func foldOf(r corpusRow) int {
	h := uint32(2166136261)
	for _, b := range []byte(r.source) {
		h = (h ^ uint32(b)) * 16777619
	}
	return int(h % learnedFolds)
}

// withModel runs f with m as the learned reader's model.
func withModel(m *reasonModel, f func()) {
	prev := currentModel()
	activeModel.Store(m)
	defer activeModel.Store(prev)
	f()
}

// Cross-validation over sources: each fold is read by a model trained on
// the other four, by the rules with and without the learned reader. The
// learned reader must make the engine right more often than it makes it
// wrong on replies whose sources it has not seen; the log shows by how
// much, and how sure the model is when right and when wrong (the numbers
// behind learnedMinConfidence).
func TestReasonModelCrossValidation(t *testing.T) {
	rows := tunedRows(t)
	empty := &reasonModel{feats: map[string][]int{}}
	var without, with, fixed, broken int
	type bucket struct{ right, wrong int }
	curve := map[int]*bucket{} // confidence decile → model alone right/wrong where it would speak
	for fold := range learnedFolds {
		var train, test []corpusRow
		for _, r := range rows {
			if foldOf(r) == fold {
				test = append(test, r)
			} else {
				train = append(train, r)
			}
		}
		m := trainReasonModel(train)
		for _, r := range test {
			var okWithout, okWith bool
			withModel(empty, func() { _, bad := judge(r)["reason"]; okWithout = !bad })
			withModel(m, func() { _, bad := judge(r)["reason"]; okWith = !bad })
			if okWithout {
				without++
			}
			if okWith {
				with++
			}
			switch {
			case okWith && !okWithout:
				fixed++
			case okWithout && !okWith:
				broken++
			}
			text, reply, command := learnedInput(r.input)
			if g, _ := m.guess(learnedFeatures(text, reply, command)); g.known >= learnedMinFeatures {
				b := curve[int(g.confidence*10)]
				if b == nil {
					b = &bucket{}
					curve[int(g.confidence*10)] = b
				}
				if g.reason == r.reason {
					b.right++
				} else {
					b.wrong++
				}
			}
		}
	}
	n := float64(len(rows))
	t.Logf("reason right on rows of unseen sources: rules alone %.1f%%, with the learned reader %.1f%% (%d fixed, %d broken)",
		100*float64(without)/n, 100*float64(with)/n, fixed, broken)
	var right, spoke int
	for _, b := range curve {
		right += b.right
		spoke += b.right + b.wrong
	}
	t.Logf("model alone: right on %.1f%% of the %d rows with two known words or more", 100*float64(right)/float64(max(spoke, 1)), spoke)
	for d := 10; d >= 0; d-- {
		if b := curve[d]; b != nil {
			t.Logf("  model alone, %3d%%+ sure: %4d right, %4d wrong (%.0f%%)", 10*d, b.right, b.wrong, 100*float64(b.right)/float64(b.right+b.wrong))
		}
	}
	if fixed <= broken {
		t.Errorf("the learned reader fixed %d rows and broke %d under cross-validation: it does not help", fixed, broken)
	}
}
