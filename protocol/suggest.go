package protocol

import "strings"

// HeloPlaceholder is the host name in the EHLO and HELO templates. The UI
// replaces it with the configured name; RFC 2606 reserves ".example", so
// it never names a real host.
const HeloPlaceholder = "client.example"

// Suggestion is a command the user can type now, for completion.
type Suggestion struct {
	Verb     string // canonical verb ("MAIL"), or the parameter name for [SuggestParams]
	Template string // text to insert: "MAIL FROM:<>"
	Cursor   int    // where the cursor goes in Template, e.g. inside the <>
	Help     string // one line: what it does
}

func suggestion(verb, template, help string) Suggestion {
	return Suggestion{Verb: verb, Template: template, Cursor: len(template), Help: help}
}

// bracketed places the cursor just before the template's last '>'.
func bracketed(verb, template, help string) Suggestion {
	return Suggestion{Verb: verb, Template: template, Cursor: strings.LastIndexByte(template, '>'), Help: help}
}

var (
	sugEHLO     = suggestion(VerbEHLO, VerbEHLO+" "+HeloPlaceholder, "say hello and ask for the extension list (RFC 5321 4.1.1.1)")
	sugHELO     = suggestion(VerbHELO, VerbHELO+" "+HeloPlaceholder, "old-style hello, no extensions")
	sugSTARTTLS = suggestion(VerbSTARTTLS, VerbSTARTTLS, "upgrade the connection to TLS, then EHLO again (RFC 3207)")
	sugMAIL     = bracketed(VerbMAIL, "MAIL FROM:<>", "start a message: the sender's address, <> for a bounce")
	sugRCPT     = bracketed(VerbRCPT, "RCPT TO:<>", "add a recipient")
	sugDATA     = suggestion(VerbDATA, VerbDATA, "send the message; end it with a line holding only '.'")
	sugBDAT     = suggestion(VerbBDAT, VerbBDAT+" ", "send a chunk of the message: BDAT <octets> [LAST] (RFC 3030)")
	sugBDATLast = suggestion(VerbBDAT, VerbBDAT+" 0 LAST", "end the chunked message")
	sugRSET     = suggestion(VerbRSET, VerbRSET, "abort the transaction and start over")
	sugNOOP     = suggestion(VerbNOOP, VerbNOOP, "do nothing; checks the server is still there")
	sugHELP     = suggestion(VerbHELP, VerbHELP, "ask the server for help text")
	sugVRFY     = suggestion(VerbVRFY, VerbVRFY+" ", "ask whether a mailbox exists (most servers will not say)")
	sugEXPN     = suggestion(VerbEXPN, VerbEXPN+" ", "ask for a mailing list's members")
	sugETRN     = suggestion(VerbETRN, VerbETRN+" ", "ask the server to deliver mail queued for a domain (RFC 1985)")
	sugQUIT     = suggestion(VerbQUIT, VerbQUIT, "end the session politely")
	sugEndData  = suggestion(EndOfDataVerb, EndOfDataVerb, "a line with only '.' ends the message")
	sugCancel   = suggestion("*", "*", "cancel the AUTH exchange (RFC 4954 4)")
)

// Suggest returns the commands that make sense now, in canonical case,
// most likely next step first: STARTTLS before AUTH before MAIL, RCPT
// after MAIL, DATA after RCPT. Extensions appear only when the server
// advertised them.
func Suggest(s Snapshot) []Suggestion {
	if s.Refused {
		return []Suggestion{sugQUIT}
	}
	switch s.State {
	case StateGreeted:
		return []Suggestion{sugEHLO, sugHELO, sugNOOP, sugHELP, sugQUIT}
	case StateReady:
		return suggestReady(s)
	case StateAuth:
		return []Suggestion{sugCancel}
	case StateMail:
		return []Suggestion{sugRCPT, sugRSET, sugNOOP, sugQUIT}
	case StateRcpt:
		out := []Suggestion{}
		if !s.BinaryMIME {
			out = append(out, sugDATA)
		}
		if s.Caps.Has("CHUNKING") {
			out = append(out, sugBDAT)
		}
		return append(out, sugRCPT, sugRSET, sugNOOP, sugQUIT)
	case StateData:
		if s.Chunking {
			return []Suggestion{sugBDAT, sugBDATLast, sugRSET, sugQUIT}
		}
		return []Suggestion{sugEndData}
	case StateDesync:
		return []Suggestion{sugQUIT}
	}
	return nil
}

func suggestReady(s Snapshot) []Suggestion {
	var out []Suggestion
	if s.Caps.Has("STARTTLS") && !s.TLS {
		out = append(out, sugSTARTTLS)
	}
	if !s.Authenticated {
		for _, mech := range s.Caps.AuthMechanisms() {
			out = append(out, suggestion(VerbAUTH, VerbAUTH+" "+mech, "log in with SASL "+mech+" (RFC 4954)"))
		}
	}
	// RFC 5321 4.5.1: VRFY is in every server's minimum command set,
	// advertised or not; EXPN and ETRN only when listed.
	out = append(out, sugMAIL, sugVRFY)
	if s.Caps.Has("EXPN") {
		out = append(out, sugEXPN)
	}
	if s.Caps.Has("ETRN") {
		out = append(out, sugETRN)
	}
	out = append(out, sugNOOP, sugRSET, sugHELP, sugQUIT)
	if s.Extended {
		out = append(out, sugEHLO)
	}
	return out
}

// SuggestParams returns the ESMTP parameters the server advertised for
// verb (MAIL or RCPT), as text to append to the command line (" SIZE=").
func SuggestParams(s Snapshot, verb string) []Suggestion {
	if !s.Extended {
		return nil // RFC 5321 4.1.2: parameters only after EHLO
	}
	var out []Suggestion
	add := func(capability, name, template, help string) {
		if capability == "" || s.Caps.Has(capability) {
			out = append(out, Suggestion{Verb: name, Template: template, Cursor: len(template), Help: help})
		}
	}
	switch strings.ToUpper(verb) {
	case VerbMAIL:
		add("SIZE", "SIZE", " SIZE=", "declare the message size in octets (RFC 1870)")
		add("8BITMIME", "BODY", " BODY=8BITMIME", "the message has 8-bit text (RFC 6152)")
		if s.Caps.Has("CHUNKING") {
			add("BINARYMIME", "BODY", " BODY=BINARYMIME", "the message has binary parts; send it with BDAT (RFC 3030)")
		}
		add("SMTPUTF8", "SMTPUTF8", " SMTPUTF8", "addresses or headers in UTF-8 (RFC 6531)")
		if s.TLS {
			add("REQUIRETLS", "REQUIRETLS", " REQUIRETLS", "relay this message only over verified TLS (RFC 8689)")
		}
		add("DSN", "RET", " RET=HDRS", "bounces carry the headers only, FULL for the whole message (RFC 3461)")
		add("DSN", "ENVID", " ENVID=", "an id echoed back in delivery reports (RFC 3461)")
		add("AUTH", "AUTH", " AUTH=<>", "the authenticated sender this message is submitted for (RFC 4954 5)")
		add("MT-PRIORITY", "MT-PRIORITY", " MT-PRIORITY=", "priority from -9 to 9 (RFC 6710)")
		add("DELIVERBY", "BY", " BY=", "deliver within seconds: BY=3600;R (RFC 2852)")
		add("FUTURERELEASE", "HOLDFOR", " HOLDFOR=", "hold the message for seconds before delivery (RFC 4865)")
	case VerbRCPT:
		add("DSN", "NOTIFY", " NOTIFY=SUCCESS,FAILURE", "when to send delivery reports: NEVER or SUCCESS,FAILURE,DELAY (RFC 3461)")
		add("DSN", "ORCPT", " ORCPT=rfc822;", "the original recipient, for delivery reports (RFC 3461)")
		add("RRVS", "RRVS", " RRVS=", "fail if the mailbox changed owner since this time (RFC 7293)")
	}
	return out
}
