package learn

import (
	"encoding/base64"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// Reply codes the observer acts on.
const (
	codeStartMailInput = 354 // RFC 5321 4.2.2: DATA accepted, send the content
	codeAuthContinue   = 334 // RFC 4954 4: server challenge
	codeServiceReady   = 220 // RFC 3207 4: ready to start TLS
)

// maxMessageLines bounds the message lines an observer keeps for the
// checks on a message's form; the session itself shows at most a few
// hundred of a message's lines.
const maxMessageLines = 1000

// sanitizedTab is how the session shows a tab in a line it sent
// ([protocol.Sanitize] turns control characters into their pictures).
const sanitizedTab = "\u2409"

// FactKind says what a [Fact] reports.
type FactKind int

// Fact kinds.
const (
	// FactReply is a complete reply and what it answered.
	FactReply FactKind = iota + 1
	// FactTLS is a finished TLS handshake.
	FactTLS
	// FactState is a new picture of the session (after EHLO, TLS, AUTH).
	FactState
)

// Fact is one thing the session did that a goal can ask about: an event,
// put together with what the observer knows about the command it answers.
type Fact struct {
	Kind FactKind

	// FactReply.
	Code      int
	Enhanced  string // "5.7.8", "" when the reply had none
	Command   string // the verb answered; "" the greeting, [protocol.EndOfDataVerb] the end of data
	Line      string // the command line answered, as the session showed it (redacted)
	Params    []string
	Pipelined bool   // sent while an earlier command was still unanswered
	ByHand    bool   // the user sent the command (and, for AUTH, every answer of its exchange)
	Mechanism string // the mechanism of the AUTH exchange the reply belongs to
	Prompt    string // a 334's challenge, decoded
	Message   *MessageForm

	// FactReply, FactState: inside TLS. FactTLS: verified.
	TLS      bool
	Verified bool

	// FactState.
	Capabilities protocol.Capabilities
}

// MessageForm is what the observer saw of a message's lines as they went
// on the wire: enough to check its form, nothing of its meaning.
type MessageForm struct {
	Headers    []string // header field names before the first blank line
	Body       bool     // a blank line, then at least one more line
	DotStuffed bool     // a line went out with a leading dot doubled (RFC 5321 4.5.2)
	Lines      int
}

// sent is a command waiting for its reply.
type sent struct {
	verb      string
	line      string
	params    []string
	pipelined bool
	byHand    bool
}

// authExchange is the AUTH exchange under way.
type authExchange struct {
	mechanism string
	byHand    bool
}

// Observer turns a session's events into [Fact] values. It pairs each
// reply with the command it answers the way the session does (replies
// come in the order of their commands, RFC 2920 3.2), follows AUTH
// exchanges and the lines of a message, and forgets everything when a
// connection ends. The zero value is ready to use.
type Observer struct {
	gen     int
	waiting []sent
	auth    *authExchange
	inData  bool
	message []string
}

// Observe reads one event and returns the fact it makes, if any.
func (o *Observer) Observe(e session.Event) (Fact, bool) {
	if e.Gen != o.gen {
		o.reset()
		o.gen = e.Gen
	}
	switch e.Kind {
	case session.KindClient:
		o.client(e)
	case session.KindReply:
		if e.Reply != nil {
			return o.reply(e), true
		}
	case session.KindTLS:
		verified := e.TLSInfo != nil && e.TLSInfo.Verified
		return Fact{Kind: FactTLS, TLS: true, Verified: verified}, true
	case session.KindState:
		if e.Snapshot != nil {
			return Fact{Kind: FactState, TLS: e.Snapshot.TLS, Capabilities: e.Snapshot.Caps}, true
		}
	case session.KindClosed:
		o.reset()
	}
	return Fact{}, false
}

func (o *Observer) reset() {
	*o = Observer{gen: o.gen}
}

// client records a line sent: a command awaiting its reply, an answer in
// an AUTH exchange, or a line of message content.
func (o *Observer) client(e session.Event) {
	switch {
	case e.Command == protocol.EndOfDataVerb:
		o.inData = false
		o.expect(sent{verb: protocol.EndOfDataVerb, line: e.Text, byHand: !e.Auto})
		return
	case o.inData:
		if len(o.message) < maxMessageLines {
			o.message = append(o.message, e.Text)
		}
		return
	case e.Command == protocol.VerbAUTH:
		o.authLine(e)
		return
	}
	cmd := protocol.ParseCommand(e.Text)
	s := sent{verb: e.Command, line: e.Text, byHand: !e.Auto}
	for _, p := range cmd.Params {
		s.params = append(s.params, p.Name)
	}
	o.expect(s)
}

// authLine records the AUTH command that starts an exchange, or an answer
// to one of its challenges.
func (o *Observer) authLine(e session.Event) {
	f := strings.Fields(e.Text)
	if len(f) >= 2 && strings.EqualFold(f[0], protocol.VerbAUTH) {
		o.auth = &authExchange{mechanism: strings.ToUpper(f[1]), byHand: !e.Auto}
	} else if o.auth != nil {
		o.auth.byHand = o.auth.byHand && !e.Auto
	}
	o.expect(sent{verb: protocol.VerbAUTH, line: e.Text, byHand: !e.Auto})
}

func (o *Observer) expect(s sent) {
	s.pipelined = len(o.waiting) > 0
	o.waiting = append(o.waiting, s)
}

// reply pairs a reply with the oldest command waiting for one.
func (o *Observer) reply(e session.Event) Fact {
	r := e.Reply
	f := Fact{Kind: FactReply, Code: r.Code, Enhanced: r.Enhanced.String(), Command: e.Command, TLS: e.TLS}
	if e.Command != "" && len(o.waiting) > 0 {
		s := o.waiting[0]
		o.waiting = o.waiting[1:]
		f.Line, f.Params, f.Pipelined, f.ByHand = s.line, s.params, s.pipelined, s.byHand
	}
	switch {
	case e.Command == protocol.VerbAUTH:
		if o.auth != nil {
			f.Mechanism, f.ByHand = o.auth.mechanism, o.auth.byHand
		}
		if r.Code == codeAuthContinue {
			f.Prompt = decodePrompt(*r)
		} else {
			o.auth = nil
		}
	case e.Command == protocol.VerbDATA && r.Code == codeStartMailInput:
		o.inData, o.message = true, nil
	case e.Command == protocol.EndOfDataVerb:
		f.Message = messageForm(o.message)
		o.message = nil
	case e.Command == protocol.VerbSTARTTLS && r.Code == codeServiceReady:
		// RFC 3207 4.2: whatever was sent after STARTTLS is void.
		o.waiting = nil
	}
	return f
}

// decodePrompt decodes the text of a 334 (RFC 4954 4: base64); text that
// is not base64 is kept as it is.
func decodePrompt(r protocol.Reply) string {
	if len(r.Lines) == 0 {
		return ""
	}
	text := strings.TrimSpace(r.Lines[len(r.Lines)-1].Text)
	if raw, err := base64.StdEncoding.DecodeString(text); err == nil {
		return string(raw)
	}
	return text
}

// messageForm reads the form of a message from its lines as sent.
func messageForm(lines []string) *MessageForm {
	m := &MessageForm{Lines: len(lines)}
	inHeader := true
	for i, l := range lines {
		if strings.HasPrefix(l, "..") {
			m.DotStuffed = true
		}
		switch {
		case inHeader && l == "":
			inHeader = false
			m.Body = i+1 < len(lines)
		case inHeader && (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") || strings.HasPrefix(l, sanitizedTab)):
			// RFC 5322 2.2.3: a folded continuation of the field above.
		case inHeader:
			if name, _, ok := strings.Cut(l, ":"); ok && name != "" && !strings.ContainsAny(name, " \t") {
				m.Headers = append(m.Headers, name)
			} else {
				inHeader = false // text before any blank line: a message without a header
			}
		}
	}
	return m
}
