package protocol

import (
	"slices"
	"strings"
	"testing"
)

func TestLearnedFeatures(t *testing.T) {
	f := learnedFeatures("<bob@example.org>: host mx1.example.org[192.0.2.7] said: Mailbox for user is over its storage limit, id 4F2A9",
		Reply{Code: 552, Enhanced: EnhancedCode{5, 2, 2}}, "RCPT")
	for _, want := range []string{"mailbox", "user", "over", "storage", "limit", "storage limit", "#class 5", "#enhanced 2.2", "#after rcpt"} {
		if !slices.Contains(f, want) {
			t.Errorf("features lack %q: %q", want, f)
		}
	}
	for _, never := range []string{"bob", "example", "mx", "org", "for user", "the", "4f2a9"} {
		if slices.Contains(f, never) {
			t.Errorf("features hold %q, which differs between replies of one kind: %q", never, f)
		}
	}
	// A dropped token breaks the pairs: no pair spans an address.
	f = learnedFeatures("quota alice@example.org exceeded", Reply{}, "")
	if slices.Contains(f, "quota exceeded") {
		t.Errorf("a pair spans the dropped address: %q", f)
	}
	// Chinese is read in character pairs.
	f = learnedFeatures("邮箱空间不足", Reply{}, "")
	if !slices.Contains(f, "空间") || !slices.Contains(f, "不足") {
		t.Errorf("Chinese pairs missing: %q", f)
	}
	// Log fields are names and numbers, not words.
	f = learnedFeatures("relay=none, delay=3, status=deferred (connection refused)", Reply{}, "")
	if slices.Contains(f, "none") || !slices.Contains(f, "connection refused") {
		t.Errorf("log fields: %q", f)
	}
}

func TestParseReasonModelRejectsDamage(t *testing.T) {
	for _, bad := range []string{"@spam\tx\n", "word 0:1\n", "@spam\t3\nword\t1:2\n", "@spam\t3\nword\t0-2\n", "@spam\t-1\n", "@spam\t3\nword\t0:-2\n"} {
		if _, err := parseReasonModel(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	// Reasons are bounded: each feature line costs one count per reason.
	if _, err := parseReasonModel(strings.Repeat("@r\t1\n", maxModelReasons+1)); err == nil {
		t.Error("a model with too many reasons was accepted")
	}
	m, err := parseReasonModel("# comment\n@spam\t3\n@virus\t2\nbulk\t0:2\nworm\t1:2 0:1\n")
	if err != nil || len(m.reasons) != 2 || m.feats["worm"][0] != 1 || m.total[0] != 3 {
		t.Fatalf("model %+v, %v", m, err)
	}
}

// syntheticModel is a model trained on lines written for the test, so
// that the learned reader's behaviour is tested apart from the corpus.
func syntheticModel() *reasonModel {
	var rows []corpusRow
	add := func(reason Reason, lines ...string) {
		for _, l := range lines {
			rows = append(rows, corpusRow{input: l, reason: reason})
		}
	}
	add(ReasonMailboxFull, "552 the mailbox of this person holds too much mail",
		"552 this person's mailbox holds too much, delete some mail", "452 mailbox holds too much right now")
	add(ReasonVirus, "554 the attachment carries a worm payload", "554 worm payload found in the attachment",
		"550 attachment payload looks like a worm")
	add(ReasonGreylisted, "450 come back soon, first contact from this triplet", "451 first contact from this triplet, come back soon")
	return trainReasonModel(rows)
}

func TestLearnedReaderNamesWhatRulesCannot(t *testing.T) {
	withModel(syntheticModel(), func() {
		e := Explain(mustExplainReply(t, "550 this mailbox holds everything it can"), ExplainContext{})
		if e.Reason != ReasonMailboxFull || e.ReasonFrom != FromWords {
			t.Fatalf("reason %s from %s (%s); want mailbox-full from the words", e.Reason, e.ReasonFrom, e.Evidence)
		}
		if !strings.Contains(e.Evidence, "compared with real replies") || !strings.Contains(e.Evidence, "'holds") {
			t.Errorf("evidence does not say which words decided: %q", e.Evidence)
		}
		// Words the rules know win over the comparison.
		e = Explain(mustExplainReply(t, "552 mailbox full, it holds too much"), ExplainContext{})
		if e.ReasonFrom != FromText || e.Reason != ReasonMailboxFull {
			t.Errorf("the rules' phrase lost: %s from %s", e.Reason, e.ReasonFrom)
		}
		// Greylisting is never read into a permanent refusal.
		e = Explain(mustExplainReply(t, "550 first contact from this triplet, come back soon"), ExplainContext{})
		if e.Reason == ReasonGreylisted {
			t.Errorf("a 550 read as greylisting: %s", e.Evidence)
		}
		// A success stays a success.
		e = Explain(mustExplainReply(t, "250 worm payload attachment accepted"), ExplainContext{})
		if e.Reason != ReasonAccepted {
			t.Errorf("a 250 read as %s", e.Reason)
		}
		// One known word is not enough to speak.
		e = Explain(mustExplainReply(t, "554 worm"), ExplainContext{})
		if e.ReasonFrom == FromWords {
			t.Errorf("one word decided: %s", e.Evidence)
		}
	})
}

func TestLearnedReaderAcceptsWordsWithoutCode(t *testing.T) {
	withModel(syntheticModel(), func() {
		p, err := ParsePastedInput("Delivery to bob failed: the attachment carries a worm payload")
		if err != nil || !p.NoReply {
			t.Fatalf("paste refused: %v (%+v)", err, p)
		}
		e := ExplainPasted(p, ExplainContext{})
		if e.Reason != ReasonVirus || e.ReasonFrom != FromWords {
			t.Errorf("reason %s from %s", e.Reason, e.ReasonFrom)
		}
		// Text unlike any failure still gets the clear error.
		if _, err := ParsePastedInput("the weather is nice today"); err == nil {
			t.Error("plain prose was taken for a failure")
		}
	})
}

// The embedded model answers for a wording no rule holds: a generic
// guard that the shipped model is loaded and used.
func TestEmbeddedModelIsUsed(t *testing.T) {
	m := currentModel()
	if len(m.reasons) < 20 || len(m.feats) < 1000 {
		t.Fatalf("embedded model has %d reasons and %d features", len(m.reasons), len(m.feats))
	}
	g, ok := m.guess(learnedFeatures("recipient mailbox unknown user not found", Reply{Code: 550}, "RCPT"))
	if !ok || g.reason != ReasonRecipientUnknown {
		t.Errorf("guess %+v, %v", g, ok)
	}
}

// Any model text parses to an error or to a model that answers without
// panicking: the embedded file is checked by a test, but the parser must
// not trust it.
func FuzzParseReasonModel(f *testing.F) {
	f.Add("@spam\t3\n@virus\t2\nbulk\t0:2\nworm\t1:2 0:1\n", "bulk worm attachment")
	f.Add("@spam\t0\nbulk\t0:0\n", "bulk bulk")
	f.Add("@x\t-5\nw\t0:-3\n", "w w")
	f.Fuzz(func(t *testing.T, data, text string) {
		m, err := parseReasonModel(data)
		if err != nil {
			return
		}
		g, _ := m.guess(learnedFeatures(text, Reply{Code: 550}, "RCPT"))
		if g.confidence < 0 || g.confidence > 1.000001 {
			t.Fatalf("confidence %v", g.confidence)
		}
	})
}
