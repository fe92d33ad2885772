package protocol

import (
	"fmt"
	"strconv"
	"strings"
)

// Prediction is the reply a server will most likely give to a command that
// is out of sequence or not supported, so that the UI can warn before it
// is sent.
type Prediction struct {
	Code     int    // basic reply code: 503
	Enhanced string // enhanced status code, "" when servers do not agree on one: "5.5.1"
	Text     string // typical reply text: "need MAIL command"
	Why      string // plain words with the rule behind it
}

// String renders the prediction as a reply line would read.
func (p Prediction) String() string {
	parts := []string{strconv.Itoa(p.Code)}
	if p.Enhanced != "" {
		parts = append(parts, p.Enhanced)
	}
	if p.Text != "" {
		parts = append(parts, p.Text)
	}
	return strings.Join(parts, " ")
}

// Enhanced codes used in predictions (RFC 3463; see also problemEnhanced).
const (
	enhBadSequence    = enhInvalidCommand   // RFC 3463 X.5.1: invalid command (out of sequence, not supported)
	enhBadArguments   = enhInvalidArguments // RFC 3463 X.5.4: invalid command arguments
	enhTooBig         = "5.3.4"             // RFC 3463 X.3.4: message too big for system
	enhSecurityPolicy = "5.7.0"             // RFC 3463 X.7.0: other security status
)

// codeSyncError is what Exim and others answer to a client that talks
// before the banner ("554 SMTP synchronization error").
const codeSyncError = 554

func predict(code int, enhanced, text, why string) *Prediction {
	return &Prediction{Code: code, Enhanced: enhanced, Text: text, Why: why}
}

// Check returns the reply a server will most likely give to c in the
// situation s, or nil when c is in sequence (or when servers differ too
// much to say). RCPT before MAIL gives 503 5.5.1; an unknown verb 500
// 5.5.2; a SIZE above the advertised limit 552 5.3.4. Lines that are not
// commands (AUTH responses, message content) are never judged.
//
// A command with several faults gets the reply of the first a server
// checks, in the order Postfix and the sandbox check them: the sequence
// (503), then whether the command is offered at all (AUTH, STARTTLS,
// BDAT, ETRN), then the syntax (500, 501, 553, 555), then whether its
// arguments are offered (MAIL/RCPT parameters, the AUTH mechanism) and
// within the server's limits.
func Check(s Snapshot, c Command) *Prediction {
	switch s.State {
	case StateDisconnected, StateClosed, StateDesync, StateTLSHandshake, StateAuth:
		return nil
	case StateData:
		if !s.Chunking {
			return nil // message content after 354
		}
	case StateGreeting:
		return predict(codeSyncError, "", "SMTP synchronization error",
			"the server has not sent its greeting yet; a client that talks first looks like spam software, and many servers (Postfix postscreen, Exim) reject or drop it (RFC 5321 3.1, 4.3.1)")
	}
	if s.Refused && c.Verb != VerbQUIT {
		return predict(codeBadSequence, enhBadSequence, "bad sequence of commands",
			"the greeting was 554: the server refuses service and answers everything but QUIT with 503 (RFC 5321 3.1)")
	}
	if !c.Known() && c.Verb != "" {
		return predict(codeUnrecognized, enhSyntaxError, "command unrecognized",
			"the server does not know this command (RFC 5321 4.2.4; RFC 3463 X.5.2)")
	}
	if p := checkSequence(s, c); p != nil {
		return p
	}
	if p := checkSupport(s, c); p != nil {
		return p
	}
	if p := checkSyntax(c); p != nil {
		return p
	}
	return checkArguments(s, c)
}

// checkSequence predicts the 503 replies to commands in the wrong state.
func checkSequence(s Snapshot, c Command) *Prediction {
	needEHLO := s.State == StateGreeted
	inTx := s.InTransaction()
	switch c.Verb {
	case VerbMAIL:
		switch {
		case needEHLO:
			return predict(codeBadSequence, enhBadSequence, "send HELO/EHLO first",
				"say EHLO (again, after STARTTLS) before starting a message (RFC 5321 4.1.4; RFC 3207 4.2)")
		case inTx:
			return predict(codeBadSequence, enhBadSequence, "nested MAIL command",
				"a transaction is already open; finish it or send RSET before a new MAIL FROM (RFC 5321 4.1.1.2)")
		}
	case VerbRCPT:
		switch {
		case needEHLO || s.State == StateReady:
			return predict(codeBadSequence, enhBadSequence, "need MAIL command",
				"recipients come after MAIL FROM:<…> (RFC 5321 4.1.1.3, 3.3)")
		case s.Chunking:
			return predict(codeBadSequence, enhBadSequence, "bad sequence of commands",
				"message chunks are already being sent with BDAT; recipients must come before them (RFC 3030 2)")
		}
	case VerbDATA:
		switch {
		case needEHLO || s.State == StateReady:
			return predict(codeBadSequence, enhBadSequence, "need MAIL command",
				"DATA comes after MAIL FROM and at least one accepted RCPT TO (RFC 5321 3.3)")
		case s.State == StateMail:
			return predict(codeBadSequence, enhBadSequence, "need RCPT command",
				"no recipient has been accepted yet; some servers answer 554 \"no valid recipients\" (RFC 5321 3.3)")
		case s.Chunking:
			return predict(codeBadSequence, enhBadSequence, "bad sequence of commands",
				"this message is being sent with BDAT; DATA may not follow BDAT in the same transaction (RFC 3030 2)")
		case s.BinaryMIME:
			return predict(codeBadSequence, enhBadSequence, "bad sequence of commands",
				"MAIL FROM said BODY=BINARYMIME, and binary content can only be sent with BDAT (RFC 3030 3)")
		}
	case VerbBDAT:
		switch {
		case !s.Caps.Has("CHUNKING") || hasProblem(c):
			// A server must know BDAT and read its size before anything
			// else: it cannot skip the chunk otherwise (RFC 3030 2).
		case needEHLO || s.State == StateReady:
			return predict(codeBadSequence, enhBadSequence, "need MAIL command",
				"BDAT carries a message: MAIL FROM and RCPT TO come first (RFC 3030 2)")
		case s.State == StateMail:
			return predict(codeBadSequence, enhBadSequence, "need RCPT command",
				"no recipient has been accepted yet (RFC 3030 2)")
		}
	case VerbAUTH:
		switch {
		case s.Authenticated:
			return predict(codeBadSequence, enhBadSequence, "already authenticated",
				"one successful AUTH per session; a second one is refused (RFC 4954 4)")
		case inTx:
			return predict(codeBadSequence, enhBadSequence, "AUTH not permitted during a mail transaction",
				"AUTH must come before MAIL FROM; send RSET first (RFC 4954 4)")
		case needEHLO:
			return predict(codeBadSequence, enhBadSequence, "send EHLO first",
				"AUTH is an extension: say EHLO (again, after STARTTLS) to see whether it is offered (RFC 4954 4)")
		}
	case VerbSTARTTLS:
		if s.TLS {
			return predict(codeBadSequence, enhBadSequence, "TLS already active",
				"the connection is already encrypted; a second STARTTLS is refused (Postfix answers 554 5.5.1) (RFC 3207 4)")
		}
	}
	return nil
}

// checkSupport predicts replies to extension commands the server did not
// advertise.
func checkSupport(s Snapshot, c Command) *Prediction {
	advertised := func(kw string) bool { return s.Caps.Has(kw) }
	afterHELO := ""
	if !s.Extended {
		afterHELO = "; after HELO (not EHLO) no extension is available"
	}
	switch c.Verb {
	case VerbAUTH:
		if !advertised("AUTH") {
			why := "the server did not list AUTH in its EHLO reply" + afterHELO
			if !s.TLS && s.Caps.Has("STARTTLS") {
				why += "; many servers offer AUTH only after STARTTLS"
			}
			return predict(codeBadSequence, enhBadSequence, "authentication not enabled", why+" (RFC 4954 3)")
		}
	case VerbSTARTTLS:
		if !advertised("STARTTLS") {
			return predict(codeBadSequence, enhBadSequence, "STARTTLS not advertised",
				"the server did not list STARTTLS in its EHLO reply"+afterHELO+"; some servers answer 454 4.7.0 TLS not available (RFC 3207 4)")
		}
	case VerbBDAT:
		if !advertised("CHUNKING") {
			return predict(codeNotImplemented, enhBadSequence, "command not implemented",
				"the server did not list CHUNKING, so it does not know BDAT; some answer 500 (RFC 3030 2). Use DATA")
		}
	case VerbETRN:
		if !advertised("ETRN") {
			return predict(codeNotImplemented, enhBadSequence, "command not implemented",
				"the server did not list ETRN (RFC 1985 3)")
		}
	}
	return nil
}

// checkArguments predicts replies to arguments the server did not offer
// or that are beyond its limits: MAIL/RCPT parameters, the AUTH mechanism.
func checkArguments(s Snapshot, c Command) *Prediction {
	switch c.Verb {
	case VerbAUTH:
		if len(c.Args) > 0 {
			mechs := s.Caps.AuthMechanisms()
			if !containsFold(mechs, c.Args[0]) {
				return predict(codeParamNotImpl, enhBadArguments, "unrecognized authentication type",
					fmt.Sprintf("the server offers %s, not %s (RFC 4954 4)", strings.Join(mechs, ", "), strings.ToUpper(Sanitize(c.Args[0]))))
			}
		}
	case VerbMAIL, VerbRCPT:
		return checkParams(s, c)
	}
	return nil
}

// checkParams predicts replies to MAIL/RCPT parameters the server did not
// advertise (RFC 5321 4.1.1.11: 555) and to a SIZE over its limit (RFC
// 1870 6.1: 552 5.3.4).
func checkParams(s Snapshot, c Command) *Prediction {
	for _, p := range c.Params {
		kw, known := ParamCapability(p)
		if !known || kw == "" {
			continue // unknown ones are syntax problems, reported below
		}
		if !s.Extended {
			return predict(codeParamUnsupported, enhBadArguments, "parameters not recognized",
				fmt.Sprintf("%s is an ESMTP parameter, and the session began with HELO, not EHLO (RFC 5321 4.1.2)", p.Name))
		}
		if !s.Caps.Has(kw) {
			why := fmt.Sprintf("the server did not advertise %s, which %s needs (RFC 5321 4.1.1.11)", kw, Sanitize(p.String()))
			if kw == p.Name {
				why = fmt.Sprintf("the server did not advertise %s (RFC 5321 4.1.1.11)", kw)
			}
			return predict(codeParamUnsupported, enhBadArguments, fmt.Sprintf("%s parameter not supported", p.Name), why)
		}
		if p.Name == "REQUIRETLS" && !s.TLS {
			return predict(codeNotAvailableSecurity, enhSecurityPolicy, "REQUIRETLS only allowed over TLS",
				"REQUIRETLS may only be used inside a TLS session; run STARTTLS first (RFC 8689 4.1)")
		}
		if p.Name == "SIZE" {
			if pred := checkSize(s, p); pred != nil {
				return pred
			}
		}
	}
	if c.Verb == VerbMAIL && !isASCIIString(c.Path) {
		if _, ok := c.Param("SMTPUTF8"); ok && !s.Caps.Has("SMTPUTF8") {
			return predict(codeParamUnsupported, enhBadArguments, "SMTPUTF8 not supported",
				"the address is not ASCII and the server did not advertise SMTPUTF8 (RFC 6531 3.4)")
		}
	}
	return nil
}

// codeNotAvailableSecurity is the usual answer to REQUIRETLS outside TLS;
// RFC 8689 fixes no code, implementations answer 530 5.7.x.
const codeNotAvailableSecurity = 530

func checkSize(s Snapshot, p Param) *Prediction {
	limit, ok := s.Caps.Size()
	if !ok || limit == 0 || len(p.Value) > maxInt64Digits || !isDigits(p.Value) {
		return nil
	}
	n, err := strconv.ParseInt(p.Value, 10, 64)
	if err != nil || n <= limit {
		return nil
	}
	return predict(codeExceedsStorage, enhTooBig, "message size exceeds fixed maximum message size",
		fmt.Sprintf("SIZE=%d is over the %d octets the server advertised (RFC 1870 6.1); retrying will not help", n, limit))
}

// checkSyntax predicts the reply to a malformed command from its first
// problem that a strict server would reject. QUIT is never refused: RFC
// 5321 4.3.2 gives it no reply but 221, and servers close whatever
// follows the verb.
func checkSyntax(c Command) *Prediction {
	if c.Verb == VerbQUIT {
		return nil
	}
	for _, p := range c.Problems {
		if p.Code != 0 {
			return predict(p.Code, p.Enhanced, replyTextFor(p.Code), p.String())
		}
	}
	return nil
}

// hasProblem reports whether c has a problem a strict server refuses.
func hasProblem(c Command) bool {
	for _, p := range c.Problems {
		if p.Code != 0 {
			return true
		}
	}
	return false
}

func replyTextFor(code int) string {
	switch code {
	case codeUnrecognized:
		return "command unrecognized"
	case codeSyntaxArgs:
		return "syntax error in parameters or arguments"
	case codeNotImplemented:
		return "command not implemented"
	case codeParamUnsupported:
		return "parameters not recognized or not implemented"
	case codeMailboxSyntax:
		return "mailbox name not allowed"
	}
	return ""
}
