package protocol

import (
	"slices"
	"strings"
)

// ReplySet lists the reply codes a command can get, by kind.
type ReplySet struct {
	Success      []int  // the command did what was asked
	Intermediate []int  // the server waits for more (354, 334)
	Errors       []int  // failures, transient and permanent, including those any command can get
	Ref          string // where the list comes from
}

// Contains reports whether code is one the command can get.
func (rs ReplySet) Contains(code int) bool {
	return slices.Contains(rs.Success, code) || slices.Contains(rs.Intermediate, code) || slices.Contains(rs.Errors, code)
}

// anyCommandErrors are the replies any command may get in unusual
// circumstances. RFC 5321 4.3.2: 500 (unrecognized, line too long), 501
// (syntax error in arguments), 421 (service shutting down).
var anyCommandErrors = []int{500, 501, 421}

// policyErrors: RFC 4954 6 (530 authentication required) and RFC
// 3207 4 (530 must issue STARTTLS first) apply to the transaction
// commands when the server's policy requires it.
var policyErrors = []int{530}

// commandReplies is RFC 5321 4.3.2 with the extensions' additions, in
// our own data form (see the project's reference/command_replies.tsv).
var commandReplies = map[string]ReplySet{
	"": { // connection establishment: the greeting
		Success: []int{220}, Errors: []int{554, 421}, Ref: "RFC 5321 4.3.2"},
	VerbEHLO: {Success: []int{250}, Errors: []int{504, 550, 502}, Ref: "RFC 5321 4.3.2"},
	VerbHELO: {Success: []int{250}, Errors: []int{504, 550}, Ref: "RFC 5321 4.3.2"},
	VerbMAIL: {Success: []int{250},
		Errors: []int{552, 451, 452, 550, 553, 503, 455, 555, 530}, Ref: "RFC 5321 4.3.2; RFC 1870 6; RFC 4954 6"},
	VerbRCPT: {Success: []int{250, 251},
		Errors: []int{550, 551, 552, 553, 450, 451, 452, 503, 455, 555, 530}, Ref: "RFC 5321 4.3.2; RFC 1870 6.4"},
	VerbDATA: {Intermediate: []int{354},
		Errors: []int{503, 554, 530}, Ref: "RFC 5321 4.3.2; RFC 3030 2, 3"},
	EndOfDataVerb: {Success: []int{250},
		Errors: []int{552, 554, 451, 452, 450, 550}, Ref: "RFC 5321 4.3.2; RFC 1870 6.2"},
	VerbRSET: {Success: []int{250}, Ref: "RFC 5321 4.3.2"},
	VerbVRFY: {Success: []int{250, 251, 252}, Errors: []int{550, 551, 553, 502, 504}, Ref: "RFC 5321 4.3.2"},
	VerbEXPN: {Success: []int{250, 252}, Errors: []int{550, 502, 504}, Ref: "RFC 5321 4.3.2"},
	VerbHELP: {Success: []int{211, 214}, Errors: []int{502, 504}, Ref: "RFC 5321 4.3.2"},
	VerbNOOP: {Success: []int{250}, Ref: "RFC 5321 4.3.2"},
	VerbQUIT: {Success: []int{221}, Ref: "RFC 5321 4.3.2"},
	VerbAUTH: {Success: []int{235}, Intermediate: []int{334},
		Errors: []int{432, 454, 503, 504, 534, 535, 538, 523}, Ref: "RFC 4954 4, 6; RFC 5248"},
	VerbSTARTTLS: {Success: []int{220}, Errors: []int{454, 503, 554}, Ref: "RFC 3207 4"},
	VerbBDAT: {Success: []int{250},
		Errors: []int{503, 552, 451, 452, 550, 554, 530}, Ref: "RFC 3030 2"},
	// RFC 1985 5: 250 queuing started, 251 no messages waiting, 252/253
	// pending messages; 458/459 unable to queue, 500/501 syntax.
	VerbETRN: {Success: []int{250, 251, 252, 253}, Errors: []int{458, 459, 502}, Ref: "RFC 1985 5"},
}

// unknownCommandReplies are what a command the server does not know gets
// (RFC 5321 4.2.4: 500 unrecognized, 502 not implemented).
var unknownCommandReplies = ReplySet{Errors: []int{502}, Ref: "RFC 5321 4.2.4"}

// ExpectedReplies returns the reply codes a command can get (RFC 5321
// 4.3.2 and the extension RFCs). verb is a [Command.Verb], "" for the
// greeting, [EndOfDataVerb] for the end of data. The errors any command
// can get (500, 501, 421) are included.
func ExpectedReplies(verb string) ReplySet {
	verb = strings.ToUpper(verb)
	rs, ok := commandReplies[verb]
	if !ok {
		rs = unknownCommandReplies
	}
	out := ReplySet{
		Success:      slices.Clone(rs.Success),
		Intermediate: slices.Clone(rs.Intermediate),
		Errors:       slices.Clone(rs.Errors),
		Ref:          rs.Ref,
	}
	if verb == "" {
		return out // the greeting is not a command
	}
	for _, c := range anyCommandErrors {
		if !slices.Contains(out.Errors, c) {
			out.Errors = append(out.Errors, c)
		}
	}
	if verb == VerbMAIL || verb == VerbRCPT || verb == VerbDATA || verb == VerbBDAT {
		for _, c := range policyErrors {
			if !slices.Contains(out.Errors, c) {
				out.Errors = append(out.Errors, c)
			}
		}
	}
	return out
}

// Pipelinable reports whether a command may appear anywhere in a
// pipelined group. RFC 2920 3.1: RSET, MAIL FROM, SEND FROM, SOML FROM,
// SAML FROM and RCPT TO may; EHLO, DATA, VRFY, EXPN, TURN, QUIT, NOOP,
// and extension commands must be the last of a group. RFC 3207 4 and RFC
// 4954 4 add STARTTLS and AUTH to the last kind. RFC 3030 2 lets BDAT
// chunks be sent without waiting for each reply.
func Pipelinable(verb string) bool {
	switch strings.ToUpper(verb) {
	case VerbRSET, VerbMAIL, VerbRCPT, "SEND", "SOML", "SAML", VerbBDAT:
		return true
	}
	return false
}
