package protocol

import (
	"fmt"
	"strings"
)

// allCues is every phrase the engine knows: the shared vocabulary in
// English and Chinese, the providers' own phrases and the providers'
// markers. matcher finds all of them in one pass over a reply.
var allCues = concatCues(sharedVocabulary, vocabularyChinese, vocabularyMore, vocabularySeventh, vocabularyIntl, providerPhrases, markerCues())

var matcher = func() *phraseMatcher {
	phrases := make([]string, len(allCues))
	for i, c := range allCues {
		phrases[i] = c.phrase
	}
	return newPhraseMatcher(phrases, func(i int) bool { return allCues[i].marks != "" })
}()

// Classification is the reason of a reply and the evidence for it.
type Classification struct {
	Reason Reason
	From   ReasonSource
	// Matched is the server's own words that decided a text reason
	// ("over quota"), or the code ("5.2.2", "550 after RCPT").
	Matched string
	// Disagreement says how the codes disagree with the text, "" when they
	// do not ("the enhanced code 5.7.1 says policy; the text says mailbox
	// full").
	Disagreement string
}

// Evidence is the classification in words for the "from the text:
// 'over quota'" line.
func (c Classification) Evidence() string {
	switch c.From {
	case FromText:
		return fmt.Sprintf("from the text: '%s'", Sanitize(c.Matched))
	case FromEnhanced:
		return "from " + c.Matched
	case FromCode:
		return "from the reply code " + c.Matched + " alone"
	case FromContext:
		return "from the reply code " + c.Matched
	case FromWords:
		return "from " + c.Matched
	}
	if c.Matched != "" {
		return fmt.Sprintf("the words only say it failed: '%s'", Sanitize(c.Matched))
	}
	return "nothing but the reply code is known"
}

// textEvidence is the strongest reason the text gives.
type textEvidence struct {
	cue        *cue
	start, end int
	reason     Reason
	weight     int // the cue's weight, raised for a throttle (see throttleWeight)
}

// classify decides the reason of a reply from, in order: the provider's
// own phrases, the shared vocabulary, the enhanced code (the provider's
// private meaning first), then the basic code with the command.
func classify(r Reply, text string, hits []phraseHit, provider, command string) Classification {
	if c := r.Class(); c == ClassSuccess && discarded(text) {
		// "250 2.7.0 Ok, discarded, … INFECTED": accepted, then thrown
		// away; the text says why (LABELING.md).
		if ev, ok := strongestText(text, hits, provider, r.Class(), r.Enhanced, command); ok && ev.reason != ReasonUnknown {
			return Classification{Reason: ev.reason, From: FromText, Matched: text[ev.start:ev.end]}
		}
	}
	if c := r.Class(); c == ClassSuccess || c == ClassIntermediate {
		// A success is a success whatever its words ("250 Ok: queued,
		// spam score 0"); a 334 is decoded by Explain.
		reason, from := reasonFromCode(r.Code, command)
		return Classification{Reason: reason, From: from, Matched: fmt.Sprintf("%03d", r.Code)}
	}
	codeReason, codeFrom, codeWhat := codeEvidence(r, provider, command)
	if reason, ok := decisiveCode(r.Enhanced, provider); ok {
		// A provider's private code with one fixed meaning is its own
		// words: it ranks with the provider's phrases, above the shared
		// vocabulary.
		if ev, ok := strongestText(text, hits, provider, r.Class(), r.Enhanced, command); !ok || ev.weight < weightProvider {
			return Classification{Reason: reason, From: FromEnhanced, Matched: codeWhat}
		}
	}
	ev, ok := strongestText(text, hits, provider, r.Class(), r.Enhanced, command)
	switch {
	case !ok && codeReason == "":
		return Classification{Reason: ReasonUnknown}
	case !ok:
		return Classification{Reason: codeReason, From: codeFrom, Matched: codeWhat}
	case ev.weight <= weightGeneric && codeFrom != FromCode && !genericReason(codeReason):
		// "Recipient address rejected" says less than 5.1.1 does (but
		// more than a basic code alone).
		return Classification{Reason: codeReason, From: codeFrom, Matched: codeWhat}
	case ev.reason == ReasonNetwork && ev.weight <= weightHint && r.Class() == ClassPermanent && codeFrom != FromEnhanced &&
		!genericReason(codeReason) && !transportReasons[codeReason]:
		// A server that replied was reached: "Disconnected" after a 535
		// is what followed the refusal, not its cause.
		return Classification{Reason: codeReason, From: codeFrom, Matched: codeWhat}
	case ev.reason == ReasonNetwork && errnoName(text[ev.start:ev.end]):
		// A server that quotes a socket error of its own ("550 connect
		// EADDRNOTAVAIL …") failed on its side, towards a backend.
		return Classification{Reason: ReasonServerError, From: FromText, Matched: text[ev.start:ev.end]}
	}
	if ev.reason == ReasonUnknown {
		// The text only restates the class ("451 Temporary failure").
		return Classification{Reason: ReasonUnknown}
	}
	c := Classification{Reason: ev.reason, From: FromText, Matched: text[ev.start:ev.end]}
	if r, ok := unknownCommandMeans[command]; ok && c.Reason == ReasonNotImplemented {
		// A server that does not know STARTTLS offers no TLS; one that
		// does not know AUTH offers no login.
		c.Reason = r
	}
	if codeFrom == FromEnhanced && contradicts(ev.reason, codeReason) {
		c.Disagreement = fmt.Sprintf("%s means %s, but the text says %s; the text is followed, since servers reuse codes for their own purposes",
			codeWhat, strings.ToLower(codeReason.Title()), strings.ToLower(ev.reason.Title()))
	}
	return c
}

// discarded reports a success whose text says the message was dropped.
func discarded(text string) bool {
	lower := strings.ToLower(text)
	return strings.Contains(lower, "discarded") || strings.Contains(lower, "not delivered")
}

// codeEvidence is what the codes alone say.
func codeEvidence(r Reply, provider, command string) (Reason, ReasonSource, string) {
	if reason, what := reasonFromEnhanced(r.Enhanced, provider); reason != "" {
		if reason == ReasonMailboxDisabled && command == VerbAUTH {
			// A mailbox that cannot be used, said to a login, is the
			// sender's own account.
			return ReasonAccountRestricted, FromEnhanced, what + " at login (the sender's own mailbox)"
		}
		return reason, FromEnhanced, what
	}
	reason, from := reasonFromCode(r.Code, command)
	what := fmt.Sprintf("%03d", r.Code)
	if from == FromContext {
		what += " after " + displayCommand(command)
	}
	return reason, from, what
}

// displayCommand names a command for a sentence.
func displayCommand(verb string) string {
	switch verb {
	case EndOfDataVerb:
		return "the end of data"
	case "":
		return "the greeting"
	}
	return verb
}

// strongestText picks the text's best evidence: a provider phrase over a
// shared one, a heavier weight over a lighter one, a reason that refines
// another over the broader one ("invalid authentication mechanism" over
// "authentication failed"), the earlier over the later. A phrase inside a
// longer matched phrase does not count, nor one that names no reason for
// the address it is about ("rejected" of nobody in particular).
func strongestText(text string, hits []phraseHit, provider string, class Class, enh EnhancedCode, command string) (textEvidence, bool) {
	var cands []textEvidence
	throttle := class == ClassTransient || temporarily(hits)
	for i, h := range hits {
		c := &allCues[h.payload]
		if c.reason == "" && c.sender == "" && c.login == "" || c.marks != "" {
			continue
		}
		if !forSender(c, provider) {
			continue
		}
		if c.transient && class != ClassTransient {
			continue
		}
		if insideLonger(hits, i, provider) {
			continue
		}
		ev := textEvidence{cue: c, start: h.start, end: h.end, weight: c.weight}
		ev.reason = roleReason(ev, hits, enh, command)
		if ev.reason == "" {
			continue
		}
		if throttle && ev.reason == ReasonRateLimited && ev.weight >= weightSpecific {
			ev.weight = max(ev.weight, throttleWeight)
		}
		cands = append(cands, ev)
	}
	if len(cands) == 0 {
		return textEvidence{}, false
	}
	best := cands[0]
	for _, ev := range cands[1:] {
		if ev.weight > best.weight {
			best = ev
		}
	}
	for _, ev := range cands {
		if ev.weight == best.weight && refines(ev.reason, best.reason) {
			best = ev
		}
	}
	if best.reason == ReasonRateLimited {
		if cause, ok := namedCause(text, best, cands); ok {
			return cause, true
		}
	}
	return best, true
}

// errnoName reports a POSIX socket error name as a library prints it
// ("ECONNREFUSED", "EADDRNOTAVAIL").
func errnoName(s string) bool {
	if len(s) < 5 || s[0] != 'E' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// causalWords introduce the cause of a throttle ("rate limited because
// it is unauthenticated", "throttled due to no DMARC alignment").
var causalWords = []string{"because", "due to", "owing to", "caused by"}

// namedCause returns the reason a throttle's text gives as its cause: the
// first specific reason after a causal word that follows the rate phrase
// (LABELING.md, "The cause named beats the symptom").
func namedCause(text string, rate textEvidence, cands []textEvidence) (textEvidence, bool) {
	lower := strings.ToLower(text[rate.end:])
	at := -1
	for _, w := range causalWords {
		if i := strings.Index(lower, w); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	if at < 0 {
		return textEvidence{}, false
	}
	at += rate.end
	var cause textEvidence
	found := false
	for _, ev := range cands {
		if ev.start >= at && ev.weight >= weightSpecific && ev.reason != ReasonRateLimited &&
			ev.reason != ReasonSendingQuota && (!found || ev.start < cause.start) {
			cause, found = ev, true
		}
	}
	return cause, found
}

// unknownCommandMeans is what "command not recognized" means for a
// command whose absence is a reason of its own.
var unknownCommandMeans = map[string]Reason{VerbSTARTTLS: ReasonTLSUnavailable, VerbAUTH: ReasonAuthDisabled}

// forSender reports whether a cue holds for a reply from provider: a
// provider's own phrase only for that provider (or its family).
func forSender(c *cue, provider string) bool {
	return c.provider == "" || c.provider == provider || providerFamilies[provider] == c.provider
}

// throttleWeight is the weight of a rate phrase in a temporary refusal:
// a throttle whose text says rate, throttled or too many is rate-limited
// even when it names the reputation or a block that caused it
// (LABELING.md), short of a provider's own phrase.
const throttleWeight = weightDecisive + 1

// temporarily reports whether the text calls the refusal temporary
// ("This IP has been temporarily blocked for … too many messages").
func temporarily(hits []phraseHit) bool {
	for _, h := range hits {
		if allCues[h.payload].temporary {
			return true
		}
	}
	return false
}

// refines reports whether narrow says more about the situation broad names.
func refines(narrow, broad Reason) bool {
	for _, b := range broaderReasons[narrow] {
		if b == broad {
			return true
		}
	}
	return false
}

// insideLonger reports whether hit i overlaps a longer hit that names a
// reason with at least its weight ("access denied" inside "relay access
// denied"; "please log in" against "log in via your web browser").
func insideLonger(hits []phraseHit, i int, provider string) bool {
	h := hits[i]
	for j, o := range hits {
		oc := &allCues[o.payload]
		if j == i || oc.reason == "" || oc.weight < allCues[h.payload].weight || !forSender(oc, provider) {
			continue
		}
		if o.start < h.end && h.start < o.end && o.end-o.start > h.end-h.start {
			return true
		}
	}
	return false
}

// roleReason applies the role of the address the phrase is about: the
// phrase's own role, the nearest role word before it, the enhanced code's
// subject, or the command.
func roleReason(ev textEvidence, hits []phraseHit, enh EnhancedCode, command string) Reason {
	c := ev.cue
	if c.sender == "" && c.login == "" && c.helo == "" && !c.needsRole {
		return c.reason
	}
	role := c.role
	if role == roleNone {
		role = nearestRole(hits, ev.start)
	}
	if role == roleNone {
		role = roleFromCodes(enh, command)
	}
	switch {
	case role == roleSender && (c.sender != "" || c.needsRole):
		return c.sender
	case role == roleLogin && (c.login != "" || c.needsRole):
		return c.login
	case role == roleHelo && c.helo != "":
		return c.helo
	case role == roleHelo && c.needsRole:
		// A bare refusal of the HELO name ("550 DENIED" to EHLO): the
		// server's local rule about this client.
		return ReasonPolicy
	case role == roleNone && c.needsRole:
		return ""
	}
	return c.reason
}

// nearestRole is the role of the closest role word before offset (or
// overlapping it).
func nearestRole(hits []phraseHit, offset int) addrRole {
	role := roleNone
	for _, h := range hits {
		if h.start > offset {
			break
		}
		if r := allCues[h.payload].role; r != roleNone {
			role = r
		}
	}
	return role
}

// roleFromCodes reads whose address a reply is about from its enhanced
// code (X.1.7, X.1.8: the sender; X.1.1 to X.1.6: the recipient) or the
// command it answered.
func roleFromCodes(enh EnhancedCode, command string) addrRole {
	if enh.Subject == 1 {
		switch enh.Detail {
		case 7, 8:
			return roleSender
		case 1, 2, 3, 4, 5, 6, 10:
			return roleRecipient
		}
	}
	switch command {
	case VerbHELO, VerbEHLO:
		return roleHelo
	case VerbMAIL:
		return roleSender
	case VerbRCPT:
		return roleRecipient
	case VerbAUTH:
		return roleLogin
	}
	return roleNone
}
