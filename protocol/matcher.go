package protocol

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coregx/ahocorasick"
)

// A phraseMatcher finds every phrase of a fixed set in a text in one pass
// (an Aho-Corasick automaton built once), instead of trying rule after
// rule. Phrases are matched on whole words: "rate" does not match inside
// "separate". A phrase written with a leading or trailing '*' may start or
// end inside a word ("throttl*" matches "throttled"); phrases in scripts
// without spaces between words (Chinese) match anywhere.
type phraseMatcher struct {
	ac      *ahocorasick.Automaton
	phrases []matcherPhrase // indexed by the automaton's pattern ID
}

// matcherPhrase is one distinct phrase and the payloads that share it.
type matcherPhrase struct {
	text         string // lower case, without the '*' marks
	openStart    bool   // may start inside a word
	openEnd      bool   // may end inside a word
	notAfterAt   bool   // not when right after '@' (a mailbox, not a server)
	payloads     []int  // what the caller attached to the phrase
	wordBoundary bool   // the phrase starts and ends with ASCII letters or digits
}

// maxMatchedText bounds the text searched for phrases: a reply is a few
// lines (RFC 5321 4.5.3.1.5: 512 octets each); a longer paste's first 8 KiB
// hold its reply, and the bound keeps explaining a hostile paste cheap.
const maxMatchedText = 8 << 10

// maxHits bounds the phrase occurrences kept; repeated words beyond it add
// no evidence.
const maxHits = 256

// phraseHit is one occurrence of a phrase in the text.
type phraseHit struct {
	payload    int
	start, end int // byte offsets in the text given to find
}

// newPhraseMatcher builds a matcher; phrases[i] carries payload i. It
// panics on an empty phrase set, which is a programming error.
func newPhraseMatcher(phrases []string, notAfterAt func(i int) bool) *phraseMatcher {
	m := &phraseMatcher{}
	index := map[string]int{}
	for i, p := range phrases {
		mp := matcherPhrase{}
		p = strings.ToLower(p)
		if strings.HasPrefix(p, "*") {
			mp.openStart, p = true, p[1:]
		}
		if strings.HasSuffix(p, "*") {
			mp.openEnd, p = true, p[:len(p)-1]
		}
		mp.text = p
		mp.notAfterAt = notAfterAt != nil && notAfterAt(i)
		key := p
		if mp.openStart {
			key = "*" + key
		}
		if mp.openEnd {
			key += "*"
		}
		if mp.notAfterAt {
			key = "@" + key
		}
		if j, ok := index[key]; ok {
			m.phrases[j].payloads = append(m.phrases[j].payloads, i)
			continue
		}
		mp.payloads = []int{i}
		index[key] = len(m.phrases)
		m.phrases = append(m.phrases, mp)
	}
	texts := make([]string, len(m.phrases))
	for i, p := range m.phrases {
		texts[i] = p.text
	}
	ac, err := ahocorasick.NewBuilder().AddStrings(texts).Build()
	if err != nil {
		panic("protocol: building the phrase matcher: " + err.Error())
	}
	m.ac = ac
	return m
}

// find returns every phrase occurrence in lower, a text already folded by
// foldText, ordered by position.
func (m *phraseMatcher) find(lower string) []phraseHit {
	if len(lower) > maxMatchedText {
		lower = lower[:maxMatchedText]
	}
	var hits []phraseHit
	for _, match := range m.ac.FindAllOverlapping([]byte(lower)) {
		p := &m.phrases[match.PatternID]
		if !p.openStart && match.Start > 0 && isWordByte(lower[match.Start-1]) && isWordByte(lower[match.Start]) {
			continue
		}
		if !p.openEnd && match.End < len(lower) && isWordByte(lower[match.End]) && isWordByte(lower[match.End-1]) {
			continue
		}
		if p.notAfterAt && match.Start > 0 && (lower[match.Start-1] == '@' || lower[match.Start-1] == '=') {
			continue
		}
		for _, pl := range p.payloads {
			hits = append(hits, phraseHit{payload: pl, start: match.Start, end: match.End})
		}
		if len(hits) >= maxHits {
			break
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	return hits
}

// isWordByte reports an ASCII letter or digit.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// foldText lower-cases letters and turns tabs and line breaks into
// spaces, keeping every other byte, so that offsets into the result are
// offsets into s. A non-ASCII capital (Cyrillic, Greek, accented Latin)
// is lowered only when its lower case is as long in UTF-8.
func foldText(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c >= 'A' && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c == '\t' || c == '\r' || c == '\n':
			b[i] = ' '
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(b[i:])
			if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) == n {
				utf8.EncodeRune(b[i:], l)
			}
			i += n - 1
		}
	}
	return string(b)
}
