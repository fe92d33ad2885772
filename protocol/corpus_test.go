package protocol

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// corpusFloor is the accuracy every check must reach on the corpus the
// rules are written against (a deterministic quality floor, not a timing).
const corpusFloor = 0.95

// heldOutGuard is what each check must keep on the held-out set: its first
// score (unseen-2026-12c, on the engine of the seventh pass with the
// learned reader: 92.9, 92.9, 88.2, 61.4, 79.5), less a point — a guard
// against regressions, not a target, since a target would be met by
// reading the set's failures. Set anew with each new held-out set.
var heldOutGuard = map[string]float64{
	"paste-found": 0.91, "code": 0.91, "enhanced": 0.87, "reason": 0.60, "provider": 0.78,
}

// corpusRow is one line of testdata/corpus/*.tsv: a real reply (or paste)
// from a public source and what it means.
type corpusRow struct {
	file, line string
	input      string
	code       int // 0: the paste holds no basic code
	enhanced   string
	reason     Reason
	provider   string
	command    string
	shape      string
	source     string // where the row was found (the learned reader's folds keep a source together)
	heldOut    bool
}

// corpusLabelAliases maps labels of the collected files to the vocabulary:
// certificate failures are tls-unavailable (docs/explain.md says why).
var corpusLabelAliases = map[string]Reason{"tls-cert": ReasonTLSUnavailable}

// heldOut reports the rows kept out of rule writing: those of the files
// named unseen*.tsv, collected and labelled after the rules they measure
// were written. Nobody writing rules reads their failures; when a set has
// been used for rule writing, it is renamed into the tuned files and a new
// one is collected (docs/explain.md, "Measuring on unseen replies").
func heldOut(file string) bool { return strings.HasPrefix(filepath.Base(file), "unseen") }

func readCorpus(t *testing.T) []corpusRow {
	t.Helper()
	files, err := filepath.Glob("../testdata/corpus/*.tsv")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	var rows []corpusRow
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		n := 0
		for sc.Scan() {
			n++
			cols := strings.Split(sc.Text(), "\t")
			if n == 1 || len(cols) < 9 || strings.HasPrefix(cols[0], "#") {
				continue
			}
			r := corpusRow{file: filepath.Base(f), line: strconv.Itoa(n), enhanced: cols[2],
				provider: cols[4], command: cols[6], shape: cols[7], source: cols[8]}
			r.input = strings.ReplaceAll(cols[0], `\n`, "\n")
			r.heldOut = heldOut(f)
			if cols[1] != "" {
				if r.code, err = strconv.Atoi(cols[1]); err != nil {
					t.Errorf("%s:%d: code %q", f, n, cols[1])
					continue
				}
			}
			r.reason = Reason(cols[3])
			if a, ok := corpusLabelAliases[cols[3]]; ok {
				r.reason = a
			}
			if _, ok := LookupReason(r.reason); !ok {
				t.Errorf("%s:%d: reason %q is not in the vocabulary", f, n, cols[3])
				continue
			}
			rows = append(rows, r)
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return rows
}

// corpusChecks are the checks of each row, in report order.
var corpusChecks = []string{"paste-found", "code", "enhanced", "reason", "provider"}

// expectedProvider is the provider smtpscope should name: the label when
// it is one smtpscope knows, else none (naming no provider is right for a
// server whose replies have no playbook here).
func expectedProvider(label string) string {
	if _, ok := ProviderByID(label); ok {
		return label
	}
	return ""
}

// judge runs one row and returns which checks failed, with what was got.
func judge(r corpusRow) map[string]string {
	failed := map[string]string{}
	p, err := ParsePastedInput(r.input)
	if err != nil {
		for _, c := range corpusChecks {
			failed[c] = "error: " + err.Error()
		}
		return failed
	}
	e := ExplainPasted(p, ExplainContext{Command: p.Command, Host: p.Host})
	code := p.Reply.Code
	if p.CodeInferred || p.NoReply {
		code = 0
	}
	if code != r.code {
		failed["code"] = strconv.Itoa(code)
	}
	if got := p.Reply.Enhanced.String(); got != r.enhanced {
		failed["enhanced"] = got
	}
	if e.Reason != r.reason {
		failed["reason"] = string(e.Reason) + " " + e.Evidence
	}
	if want := expectedProvider(r.provider); e.Provider.ID != want {
		failed["provider"] = e.Provider.ID + " (" + e.ProviderFrom + ")"
	}
	return failed
}

func TestCorpus(t *testing.T) {
	rows := readCorpus(t)
	type tally struct{ ok, n int }
	counts := map[string]map[string]*tally{} // split → check → tally
	for _, split := range []string{"tuned", "held-out", "all"} {
		counts[split] = map[string]*tally{}
		for _, c := range corpusChecks {
			counts[split][c] = &tally{}
		}
	}
	var failures []string
	for _, r := range rows {
		failed := judge(r)
		split := "tuned"
		if r.heldOut {
			split = "held-out"
		}
		for _, c := range corpusChecks {
			for _, s := range []string{split, "all"} {
				counts[s][c].n++
				if _, bad := failed[c]; !bad {
					counts[s][c].ok++
				}
			}
		}
		if len(failed) > 0 && os.Getenv("CORPUS_VERBOSE") != "" && (!r.heldOut || os.Getenv("CORPUS_VERBOSE") == "all") {
			keys := make([]string, 0, len(failed))
			for k := range failed {
				keys = append(keys, k+"="+failed[k])
			}
			sort.Strings(keys)
			failures = append(failures, fmt.Sprintf("%s:%s want %d %s %s %s: %s\n    %.160q",
				r.file, r.line, r.code, r.enhanced, r.reason, r.provider, strings.Join(keys, "; "), r.input))
		}
	}
	for _, f := range failures {
		t.Log(f)
	}
	// What the learned reader adds on replies nobody has seen: the
	// held-out rows read by the rules alone.
	rulesOnly, heldOutRows := 0, 0
	withModel(&reasonModel{feats: map[string][]int{}}, func() {
		for _, r := range rows {
			if r.heldOut {
				heldOutRows++
				if _, bad := judge(r)["reason"]; !bad {
					rulesOnly++
				}
			}
		}
	})
	if heldOutRows > 0 {
		t.Logf("held-out reason by the rules alone, without the learned reader: %.1f%%", 100*float64(rulesOnly)/float64(heldOutRows))
	}
	for _, split := range []string{"tuned", "held-out", "all"} {
		if counts[split]["code"].n == 0 {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%-8s rows %4d:", split, counts[split]["code"].n)
		for _, c := range corpusChecks {
			tl := counts[split][c]
			fmt.Fprintf(&b, "  %s %5.1f%%", c, 100*float64(tl.ok)/float64(max(tl.n, 1)))
		}
		t.Log(b.String())
	}
	for _, c := range corpusChecks {
		tl := counts["tuned"][c]
		if acc := float64(tl.ok) / float64(max(tl.n, 1)); acc < corpusFloor {
			t.Errorf("%s: %.1f%% of %d rows, below the %.0f%% floor", c, 100*acc, tl.n, 100*corpusFloor)
		}
		if tl := counts["held-out"][c]; tl.n > 0 {
			if acc := float64(tl.ok) / float64(tl.n); acc < heldOutGuard[c] {
				t.Errorf("held-out %s: %.1f%% of %d rows, below its guard of %.0f%%: a change made replies never seen read worse", c, 100*acc, tl.n, 100*heldOutGuard[c])
			}
		}
	}
}
