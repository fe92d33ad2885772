package protocol

import (
	"regexp"
	"strings"
)

// Classifying words that came with no reply code: a client's error, a
// transport failure, an MTA's log line, a bounce in words.

// logFieldRe finds the key=value fields of MTA log lines ("relay=none",
// "to=<a@b>", "dsn=4.4.1", "host=smtp-relay.gmail.com"): their values
// are names and numbers, never words about what failed.
// Sendmail's and OpenSMTPD's stat= holds words ("stat=No MX found for
// domain"): only its name is blanked; so is OpenSMTPD's "relay:" tag.
// Sendmail's "(may be forged)" after a client's name is a note on its
// reverse DNS, not a forged sender.
var logFieldRe = regexp.MustCompile(`\(may be forged\)|\b(?:to|orig_to|relay|delay|delays|dsn|status|host|ctladdr|mailer|pri|size|nrcpt|proto|helo|from|tls|auth|user|rcpt|source|session)=[^\s,;()]*|\bstat=|^relay: `)

// blankLogFields replaces log fields by spaces, keeping offsets.
func blankLogFields(lower string) string {
	if !strings.Contains(lower, "=") {
		return lower
	}
	return logFieldRe.ReplaceAllStringFunc(lower, func(f string) string { return strings.Repeat(" ", len(f)) })
}

// classifyText classifies text that carries no reply code at all (a
// client's error, a transport failure, a bounce in words).
func classifyText(text string) Classification { return classifyTextFrom(text, "") }

// classifyTextFrom is classifyText for words a known provider wrote (its
// own phrases and private codes count: Comcast's "BL000000 …").
func classifyTextFrom(text, provider string) Classification {
	// Bounces wrap long lines ("The recipient mailbox\n    has exceeded"):
	// a phrase reads across the break.
	text = strings.Join(strings.Fields(text), " ")
	lower := blankLogFields(foldText(text))
	hits := inHostNames(lower, matcher.find(lower))
	ev, ok := strongestText(text, hits, provider, ClassUnknown, EnhancedCode{}, "")
	if !ok {
		return learnedReason(Classification{Reason: ReasonUnknown}, Reply{}, text, "")
	}
	if ev.reason == ReasonUnknown {
		// Words that only say it failed ("temporary failure"): recognised,
		// naming no reason, unless they are like those of real replies.
		if c := learnedReason(Classification{Reason: ReasonUnknown}, Reply{}, text, ""); c.Reason != ReasonUnknown {
			return c
		}
		return Classification{Reason: ReasonUnknown, Matched: text[ev.start:ev.end]}
	}
	return Classification{Reason: ev.reason, From: FromText, Matched: text[ev.start:ev.end]}
}
