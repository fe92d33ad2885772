package ui

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"
)

// Composer prompts: commands, and the answer to a 334 challenge.
const saslPrompt = "334> "

// saslCancel is the answer that abandons an AUTH exchange (RFC 4954 4).
const saslCancel = "*"

// saslAnswer is the composer's mode while a 334 challenge waits for its
// answer (RFC 4954 4): the line typed is the base64 answer, not a command,
// and it is a secret — masked when the prompt asks for a password, never
// kept in the history, redacted in the pane and the transcript.
type saslAnswer struct {
	prompt string // the challenge decoded ("Username:"), "" when empty
	secret bool   // mask the input: the prompt does not ask for a name
	plain  bool   // the user types plain text; smtpscope sends its base64
}

// namePrompts are words of a challenge that asks for a user name, whose
// answer may be shown while it is typed. Every other prompt is masked.
var namePrompts = []string{"user", "name", "login", "账号", "用户"}

// newSASLAnswer prepares the answer mode for a decoded challenge.
func newSASLAnswer(prompt string) *saslAnswer {
	lower := strings.ToLower(prompt)
	secret := true
	for _, w := range namePrompts {
		if strings.Contains(lower, w) {
			secret = false
		}
	}
	return &saslAnswer{prompt: prompt, secret: secret}
}

// StartSASL switches the composer to answering a 334 with the given
// decoded challenge. What was typed is dropped: it was not an answer.
func (c *composer) StartSASL(prompt string) {
	c.sasl = newSASLAnswer(prompt)
	c.warning, c.cycling, c.matches, c.notice = nil, false, nil, ""
	c.setInput("")
	c.input.Prompt = saslPrompt
	if c.sasl.secret {
		c.input.EchoMode = textinput.EchoPassword
		c.input.EchoCharacter = '•'
	}
}

// EndSASL leaves the answer mode: the exchange is over.
func (c *composer) EndSASL() {
	if c.sasl == nil {
		return
	}
	c.sasl = nil
	c.setInput("")
	c.input.Prompt = composerPrompt
	c.input.EchoMode = textinput.EchoNormal
}

// AnsweringSASL reports whether the line typed is a SASL answer.
func (c *composer) AnsweringSASL() bool { return c.sasl != nil }

// ToggleSASLPlain switches between typing the base64 answer and typing
// it in plain text for smtpscope to encode.
func (c *composer) ToggleSASLPlain() {
	if c.sasl != nil {
		c.sasl.plain = !c.sasl.plain
	}
}

// SASLWire returns what goes on the wire for the line typed: the line
// itself, or the base64 of it in plain mode ("*" always cancels).
func (c *composer) SASLWire() string {
	v := c.input.Value()
	if c.sasl == nil || !c.sasl.plain || v == saslCancel {
		return strings.TrimSpace(v)
	}
	return base64.StdEncoding.EncodeToString([]byte(v))
}

// SASLNotBase64 says why the answer typed in base64 mode is not base64
// (RFC 4954 4 wants base64), "" when it is, is "*", or plain mode
// encodes it: a learner who typed the password itself is told how to let
// smtpscope encode it before the server answers 501.
func (c *composer) SASLNotBase64() string {
	v := strings.TrimSpace(c.input.Value())
	if c.sasl == nil || c.sasl.plain || v == "" || v == saslCancel {
		return ""
	}
	if _, err := base64.StdEncoding.DecodeString(v); err == nil {
		return ""
	}
	toggle := c.ctx.Keys.Composer.SASLPlain.Help().Key
	return "this is not base64, and the server reads the answer as base64 (RFC 4954 4): " +
		toggle + " types it in plain text for smtpscope to encode"
}

// saslLines say what the server asked and how to answer; in plain mode
// they show what will be sent.
func (c *composer) saslLines(width int) []string {
	st := c.ctx.Styles
	a := c.sasl
	asked := "334: the server waits for an answer"
	if a.prompt != "" {
		asked = "334 asks " + strconv.Quote(a.prompt)
	}
	toggle := c.ctx.Keys.Composer.SASLPlain.Help().Key
	how := "type the answer in base64 (" + toggle + ": type it plain)"
	if a.plain {
		how = "type the answer in plain text; it is sent base64-encoded (" + toggle + ": type base64)"
	}
	lines := wrapStyledRows(st.Hint, asked+" · "+how+" · "+saslCancel+" cancels the login", width)
	if v := c.input.Value(); a.plain && v != "" && v != saslCancel {
		enc := c.SASLWire()
		shown := strconv.Quote(v) + " → " + enc
		if a.secret {
			shown = strings.Repeat("•", utf8.RuneCountInString(v)) + " → " + strings.Repeat("•", len(enc)) +
				" (" + strconv.Itoa(len(enc)) + " base64 characters)"
		}
		lines = append(lines, st.Decoded.Render(ansiFit(shown, width)))
	}
	return lines
}

// ansiFit cuts plain text to width cells.
func ansiFit(s string, width int) string {
	if l := wrapText(s, width); len(l) > 0 {
		return l[0]
	}
	return ""
}
