package protocol

import (
	"fmt"
	"strings"
	"unicode"
)

// What the learned reader sees of a reply: its words and adjacent word
// pairs, lowercased, without what differs between any two replies of the
// same kind (addresses, host names, numbers, queue ids), and three
// markers: the reply class, the enhanced code's subject and detail, and
// the command it answered.

// learnedStopwords carry no reason: articles, pronouns, prepositions and
// the words of every delivery report. Negations stay ("no such user",
// "not found").
var learnedStopwords = map[string]bool{
	"a": true, "an": true, "the": true, "to": true, "of": true, "and": true, "or": true, "is": true,
	"in": true, "for": true, "your": true, "you": true, "this": true, "that": true, "be": true, "was": true,
	"are": true, "from": true, "with": true, "by": true, "on": true, "at": true, "it": true, "as": true,
	"we": true, "our": true, "has": true, "have": true, "been": true, "will": true, "can": true, "if": true,
	"please": true, "its": true, "my": true, "me": true, "i": true, "us": true, "sorry": true, "de": true,
	"said": true, "host": true, "reply": true, "smtp": true, "mail": true, "server": true, "error": true,
	"remote": true, "command": true, "after": true, "message": true, "email": true, "http": true, "https": true,
	"www": true, "see": true, "more": true, "information": true, "info": true,
	// RFC 5321's own reply texts and the words of every bounce say only
	// that something failed.
	"requested": true, "action": true, "taken": true, "could": true, "delivered": true, "delivery": true,
	"because": true, "following": true, "diagnostic": true, "code": true, "status": true, "recipients": true,
	"addressed": true, "original": true, "transcript": true, "session": true, "occurred": true, "while": true,
	"response": true, "returned": true, "unable": true, "failure": true, "failed": true, "permanent": true,
	"sending": true, "deferred": true, "warning": true, "details": true, "technical": true,
}

// learnedFeatures returns the features of a reply's text; r and command
// add the markers (a zero Reply and "" for text without a reply).
func learnedFeatures(text string, r Reply, command string) []string {
	words := learnedWords(blankLogFields(strings.ToLower(text)))
	seen := map[string]bool{}
	var feats []string
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			feats = append(feats, f)
		}
	}
	for i, w := range words {
		if w == "" {
			continue
		}
		add(w)
		if i+1 < len(words) && words[i+1] != "" {
			add(w + " " + words[i+1])
		}
	}
	if c := r.Code / 100; c >= 2 && c <= 5 {
		add("#class " + string(rune('0'+c)))
	}
	if !r.Enhanced.IsZero() {
		add(fmt.Sprintf("#enhanced %d.%d", r.Enhanced.Subject, r.Enhanced.Detail))
	}
	if command != "" {
		add("#after " + strings.ToLower(command))
	}
	return feats
}

// learnedWords splits text into words; "" marks a break (a dropped
// token, a stopword), so that no pair is made across it. Runs of CJK
// characters give their character pairs, which carry the meaning there.
func learnedWords(text string) []string {
	var words []string
	for _, field := range strings.Fields(strings.ToLower(text)) {
		if variablePart(field) {
			words = append(words, "")
			continue
		}
		var cur []rune
		flush := func() {
			switch {
			case len(cur) == 0:
				return
			case isCJK(cur[0]):
				if len(cur) == 1 {
					words = append(words, string(cur))
				}
				for i := 0; i+1 < len(cur); i++ {
					words = append(words, string(cur[i:i+2]))
				}
				words = append(words, "")
			case len(cur) < 2 || learnedStopwords[string(cur)]:
				words = append(words, "")
			default:
				words = append(words, string(cur))
			}
			cur = cur[:0]
		}
		for _, c := range field {
			switch {
			case unicode.IsLetter(c) && len(cur) > 0 && isCJK(c) != isCJK(cur[0]):
				flush()
				cur = append(cur, c)
			case unicode.IsLetter(c) || c == '\'' && len(cur) > 0:
				cur = append(cur, c)
			default:
				flush()
			}
		}
		flush()
	}
	return words
}

// variablePart reports a token that names one message, host or account:
// an address, a URL, a host name, anything holding digits.
func variablePart(field string) bool {
	if strings.ContainsAny(field, "@0123456789") || strings.Contains(field, "://") {
		return true
	}
	trimmed := strings.Trim(field, "[]()<>,;:'\".")
	return strings.Count(trimmed, ".") >= 1 && !strings.HasSuffix(trimmed, ".") && len(trimmed) > 4 &&
		!strings.Contains(trimmed, "..")
}

// isCJK reports a Han, Kana or Hangul letter.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}
