package protocol

import (
	"fmt"
	"regexp"
	"strings"
)

// Explaining a paste: its reply, or, when no server replied, the words
// of the client or MTA that wrote the failure.

// ExplainPasted explains what ParsePastedInput found: the reply, or the
// words of a paste that holds none.
func ExplainPasted(p Pasted, ctx ExplainContext) Explanation {
	if ctx.Software == "" {
		ctx.Software = p.Software
	}
	ctx.wordless = p.wordless
	ctx.tlsHello = p.tlsHello
	if ctx.Mechanism == "" {
		ctx.Mechanism = p.mechanism
	}
	if ctx.Caps == nil {
		ctx.Caps, ctx.TLS = p.capabilities()
	}
	if ctx.Greeting == "" {
		// A transcript's greeting names the server that sent the rest.
		for _, o := range p.Others {
			if o.Code == basicServiceReady && p.Reply.Code != basicServiceReady {
				ctx.Greeting = o.OneLine()
				break
			}
		}
	}
	if ctx.Greeting == "" {
		// Without a greeting, the EHLO reply's first line names the
		// server ("250-mail.example.org Hello …", RFC 5321 4.1.1.1).
		for _, o := range p.Others {
			if o.Code == basicOK && len(o.Lines) > 1 && p.Reply.Code != basicOK {
				ctx.Greeting = o.Lines[0].Text
				break
			}
		}
	}
	if !p.NoReply {
		e := Explain(p.Reply, ctx)
		if p.CodeInferred && e.Reason == ReasonNetwork && timeoutOnPort25(p.Reply.OneLine()) {
			// A delivery status an MTA wrote itself ("Status: 4.4.1",
			// "connect to mx…:25: Operation timed out"): no server replied,
			// and silence on port 25 is a filtered port.
			return explainWords(p.Reply.OneLine(), p.Reply.Enhanced, ctx)
		}
		if _, known := providerFromHost(ctx.Host); (e.Provider.ID == "" || providerFamilies[e.Provider.ID] != "") && !known && ctx.Software == "" {
			// A reply quoted inside another: the quoting reply may name
			// the provider ("5.7.57 … Error: 535 5.7.3 …"); the same
			// server's other replies in a transcript may show its
			// software ("503 Valid RCPT command must precede DATA").
			for _, o := range p.Others {
				// A generic finding (Exchange) is only refined by its
				// family's specific member (Exchange Online's 5.7.57).
				if oe := Explain(o, ExplainContext{}); oe.Provider.ID != "" && (e.Provider.ID == "" || providerFamilies[e.Provider.ID] == oe.Provider.ID) {
					ctx.Software = oe.Provider.ID
					ctx.SoftwareFrom = "the reply that quotes this one (" + oe.ProviderFrom + ")"
					return Explain(p.Reply, ctx)
				}
			}
		}
		return e
	}
	return explainWords(p.Text, p.Reply.Enhanced, ctx)
}

// explainWords explains text that carries no reply code (a transport
// error, a client's message): only its words can say what failed.
func explainWords(text string, dsn EnhancedCode, ctx ExplainContext) Explanation {
	found := wordsSender(text, ctx)
	c := classifyTextFrom(text, found.provider.ID)
	if c.Reason == ReasonAuthFailed && oauthMechanisms[strings.ToUpper(ctx.Mechanism)] {
		// A login refused after an OAuth mechanism ("sasl-xoauth2: auth
		// failed") is the token refused.
		c = Classification{Reason: ReasonAuthToken, From: FromContext, Matched: "a login failure after AUTH " + strings.ToUpper(ctx.Mechanism)}
	}
	evidence := c.Evidence()
	switch {
	case c.Reason == ReasonNetwork && timeoutOnPort25(text):
		// A timeout (not a refusal) on port 25: most access and cloud
		// networks drop outgoing port 25 without a word.
		c.Reason = ReasonPortBlocked
		evidence += ", on port 25"
	case c.Reason == ReasonNetwork && timedOut(text) && plainTo465Re.MatchString(text):
		// A plain connection to the implicit-TLS port waits for a
		// greeting that never comes (LABELING.md).
		c.Reason = ReasonTLSMismatch
		evidence += ", a plain connection to port 465"
	case (c.Reason == ReasonHostUnknown || c.Reason == ReasonUnknown) && dsn.Class == 4 && dsn.Subject == 4:
		// The logging MTA's own temporary DNS or routing failure (Postfix
		// dsn=4.4.3): the client's network side, not the recipient's domain.
		c = Classification{Reason: ReasonNetwork, From: FromEnhanced, Matched: "the logged status " + dsn.String()}
		evidence = c.Evidence()
	}
	e := Explanation{
		Class:      ClassUnknown,
		Reason:     c.Reason,
		ReasonFrom: c.From,
		Evidence:   evidence,
		Headline:   c.Reason.Title(),
		ServerText: "",
		Causes:     []string{},
	}
	e.Provider, e.ProviderFrom = found.provider, found.where
	adv := reasonAdvice[c.Reason]
	e.Summary = adv.summary
	if e.Summary == "" {
		e.Summary = onlyTheCode(Reply{})
	}
	e.Causes = append(e.Causes, adv.causes...)
	rule := findPlaybook(e.Provider.ID, c.Reason, 0, "", strings.ToLower(text))
	if rule != nil && rule.provider != "" {
		e.Summary = rule.summary
		e.Playbook = append([]string(nil), rule.steps...)
	}
	e.Actions = actionsFor(Reply{}, ctx, c, rule, adv)
	e.Fix = e.Playbook
	if len(e.Fix) == 0 {
		e.Fix = e.Actions
	}
	e.References = references(Reply{}, ctx, rule, adv)
	return e
}

// wordsSender names the provider of a failure without a reply
// (LABELING.md, "No server replied"): the server the text names is the
// one the client or MTA tried to reach ("connect to smtp.163.com:465",
// "cannot authenticate to server smtp.gmail.com"); when it names none,
// the software whose own fixed text it is (qmail's "couldn't find any
// host named", Postfix's "Name service error").
func wordsSender(text string, ctx ExplainContext) providerFinding {
	found := detectSender(ctx.Host, ctx.Greeting, "", nil)
	if sw, ok := ProviderByID(ctx.Software); ok && found.provider.ID == "" {
		// The receiving server's own log line (Postfix smtpd's "too many
		// errors after RCPT from …"): the host it names is the client.
		found = providerFinding{sw, "the log line's format (" + sw.Name + " wrote it)"}
	}
	if found.provider.ID == "" {
		if host, pr, ok := targetHost(text); ok {
			found = providerFinding{pr, "the server the text names (" + Sanitize(host) + ")"}
		} else if !namesServerRe.MatchString(text) {
			if pr, m, ok := providerFromMarkers(text, fixedTextHits(matcher.find(foldText(text)))); ok {
				found = providerFinding{pr, fmt.Sprintf("the text ('%s')", Sanitize(m))}
			} else if pr, m, ok := queueText(text); ok {
				found = providerFinding{pr, fmt.Sprintf("the text ('%s')", Sanitize(m))}
			}
		}
	}
	return found
}

// transportReasons fail before any server replies.
var transportReasons = map[Reason]bool{ReasonNetwork: true, ReasonTLSMismatch: true, ReasonTLSUnavailable: true, ReasonPortBlocked: true}

// hostTokenRe finds host names in a client's error text.
var hostTokenRe = regexp.MustCompile(`(?i)\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+\.[a-z]{2,}\b`)

// targetHost returns the first host name in text that belongs to a known
// provider.
func targetHost(text string) (string, Provider, bool) {
	for _, m := range hostTokenRe.FindAllStringIndex(text, 8) {
		if m[0] > 0 && text[m[0]-1] == '@' || strings.HasSuffix(text[:m[0]], "name=") {
			continue // a mailbox's domain, or the domain a DNS lookup was for
		}
		h := text[m[0]:m[1]]
		if p, ok := providerFromHost(h); ok {
			return h, p, true
		}
	}
	return "", Provider{}, false
}

// namesServerRe finds a server a client or MTA tried to reach, named by
// host or address ("connect to mx.example.org[192.0.2.1]:25", "refused
// by 192.0.2.1", "while talking to mx.example.org"): a failure that names
// one is about that server, not about the software that wrote the text.
var namesServerRe = regexp.MustCompile(`(?i)\b(?:connect(?:ed|ing|ion)?\s+to|refused\s+by|to\s+server|talking\s+to|remote\s+host|relay=|host)\s+\[?(?:[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+\.[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:]+)`)

// softwareNames are markers that only name a software: in a failure
// without a reply they may be a library's function ("SendMail: …") or a
// log tag, not the software's own fixed text.
var softwareNames = map[string]bool{"sendmail": true, "exim": true, "qmail": true, "opensmtpd": true, "haraka": true,
	"postfix/": true}

// fixedTextHits keeps the marker hits that are a software's fixed text.
func fixedTextHits(hits []phraseHit) []phraseHit {
	out := hits[:0:0]
	for _, h := range hits {
		if !softwareNames[allCues[h.payload].phrase] {
			out = append(out, h)
		}
	}
	return out
}

// dsnFieldRe is the dsn= field of a Postfix delivery log line.
var dsnFieldRe = regexp.MustCompile(`\bdsn=([245]\.\d{1,3}\.\d{1,3})\b`)

// port25Re finds port 25 in a client's error ("…:25: Operation timed out",
// "port 25").
var port25Re = regexp.MustCompile(`(?i)(?:[\]\w]:25\b|\bport:? 25\b|, 25;)`)

// timeoutOnPort25 reports a connection to port 25 that timed out.
func timeoutOnPort25(text string) bool {
	return timedOut(text) && port25Re.MatchString(text)
}

// timedOut reports a client's error that says the connection timed out
// (not that it was refused).
func timedOut(text string) bool {
	m := timeoutSettingRe.ReplaceAllString(strings.ToLower(text), "")
	// 10060 is Windows' WSAETIMEDOUT ("connect error 10060").
	return strings.Contains(m, "timed out") || strings.Contains(m, "timeout") || strings.Contains(m, "etimedout") ||
		strings.Contains(m, "error 10060")
}

// timeoutSettingRe is a timeout setting printed with an error ("timeout
// -1", "timeout=300"), not a timeout that happened.
var timeoutSettingRe = regexp.MustCompile(`timeout\s*[=:]?\s*-?\d+`)

// plainTo465Re is a plain-TCP connection to port 465 ("tcp://host:465").
var plainTo465Re = regexp.MustCompile(`(?i)\btcp://[^\s:/]+:465\b`)

// queueText finds an MTA's own words about its queue in a failure
// without a reply.
func queueText(text string) (Provider, string, bool) {
	lower := strings.ToLower(text)
	for _, q := range queueTexts {
		if strings.Contains(lower, q.marker) {
			p, _ := ProviderByID(q.id)
			return p, q.marker, true
		}
	}
	return Provider{}, "", false
}
