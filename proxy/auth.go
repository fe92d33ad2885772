package proxy

import (
	"bytes"
	"encoding/base64"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// SASL mechanisms whose responses smtpscope reads for the username (RFC
// 4616, draft-murchison-sasl-login, RFC 2195, RFC 5802, RFC 7628, and
// Google's XOAUTH2).
const (
	mechPlain       = "PLAIN"
	mechLogin       = "LOGIN"
	mechCRAMMD5     = "CRAM-MD5"
	mechXOAuth2     = "XOAUTH2"
	mechOAuthBearer = "OAUTHBEARER"
	mechSCRAMPrefix = "SCRAM-"
)

// Secret bounds. A credential shorter than minSecretLen is not searched
// for in other lines (a one-letter password would blank every reply);
// it is still never shown where it was sent.
const (
	minSecretLen = 4
	maxSecrets   = 32
)

// authState follows the application's AUTH exchange.
type authState struct {
	mechanism string
	active    bool   // an exchange is in progress
	challenge bool   // the latest reply was a 334: the next line is a SASL response
	responses int    // SASL responses sent in this exchange (the initial response counts)
	prompt    string // the latest 334, decoded
	user      string // the username as sent; never shown unless ShowUsername
	ok        bool   // the server answered 235
}

// secretSet holds the credentials seen on this connection, in every form
// they could be echoed in, so that no display text shows them.
type secretSet struct{ list []string }

func (s *secretSet) add(v string) {
	for _, form := range []string{v, protocol.Sanitize(v)} {
		if len(form) < minSecretLen || len(s.list) >= maxSecrets || containsString(s.list, form) {
			continue
		}
		s.list = append(s.list, form)
	}
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// redact replaces every known credential in display text.
func (c *conn) redact(text string) string {
	c.mu.Lock()
	list := c.secrets.list
	c.mu.Unlock()
	return redactWith(list, text)
}

// redactLocked is redact for a caller holding mu.
func (c *conn) redactLocked(text string) string { return redactWith(c.secrets.list, text) }

func redactWith(list []string, text string) string {
	for _, s := range list {
		if strings.Contains(text, s) {
			text = strings.ReplaceAll(text, s, session.RedactedMark)
		}
	}
	return text
}

// learnAuth notes an AUTH command: the mechanism, and the initial
// response if there is one. The caller holds mu.
func (c *conn) learnAuth(cmd protocol.Command) {
	c.auth = authState{active: true}
	if len(cmd.Args) > 0 {
		c.auth.mechanism = strings.ToUpper(cmd.Args[0])
	}
	if len(cmd.Args) > 1 && cmd.Args[1] != "=" { // RFC 4954 4: "=" is an empty initial response
		c.learnResponse(cmd.Args[1])
	}
}

// learnResponse takes one base64 SASL response (the initial one or an
// answer to a 334): every secret form is remembered for redaction and the
// username is kept. The caller holds mu.
func (c *conn) learnResponse(b64 string) {
	step := c.auth.responses
	c.auth.responses++
	b64 = strings.TrimSpace(b64)
	if b64 == "*" { // RFC 4954 4: the client cancels
		return
	}
	c.secrets.add(b64)
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return
	}
	user, secret := saslParts(c.auth.mechanism, raw, step, c.auth.prompt)
	if user != "" {
		c.auth.user = user
	}
	if secret != "" {
		c.secrets.add(secret)
	}
}

// saslParts returns the username and the secret a decoded SASL response
// carries, as far as the mechanism says. step counts the responses
// before this one; prompt is the decoded 334 it answers.
func saslParts(mech string, raw []byte, step int, prompt string) (user, secret string) {
	switch {
	case mech == mechPlain: // RFC 4616 2: [authzid] NUL authcid NUL passwd
		if parts := bytes.Split(raw, []byte{0}); len(parts) == 3 {
			return string(parts[1]), string(parts[2])
		}
		return "", string(raw)
	case mech == mechLogin:
		// Servers word the prompts freely ("Username:", "Who are you?");
		// they are recognised when they say which, and counted otherwise.
		p := strings.ToLower(prompt)
		switch {
		case strings.Contains(p, "pass") || strings.Contains(p, "secret"):
			return "", string(raw)
		case strings.Contains(p, "user") || step == 0:
			return string(raw), ""
		}
		return "", string(raw)
	case mech == mechCRAMMD5: // RFC 2195 2: username SP digest
		if i := bytes.LastIndexByte(raw, ' '); i > 0 {
			return string(raw[:i]), string(raw[i+1:])
		}
	case mech == mechXOAuth2: // user=U ^A auth=Bearer T ^A ^A
		return kvParts(raw, "user=", "auth=")
	case mech == mechOAuthBearer: // RFC 7628 3.1: gs2 header "n,a=U," then ^A auth=Bearer T
		user, secret = kvParts(raw, "", "auth=")
		for _, f := range strings.Split(string(raw), ",") {
			if strings.HasPrefix(f, "a=") {
				user = scramUnescape(strings.TrimPrefix(f, "a="))
			}
		}
		return user, secret
	case strings.HasPrefix(mech, mechSCRAMPrefix) && step == 0: // RFC 5802 7: n,,n=U,r=nonce
		for _, f := range strings.Split(string(raw), ",") {
			if strings.HasPrefix(f, "n=") {
				return scramUnescape(strings.TrimPrefix(f, "n=")), ""
			}
		}
	}
	return "", ""
}

// kvParts reads ^A-separated key=value fields: the value of userKey and
// the token after "Bearer " in authKey.
func kvParts(raw []byte, userKey, authKey string) (user, secret string) {
	for _, f := range strings.Split(string(raw), "\x01") {
		switch {
		case userKey != "" && strings.HasPrefix(f, userKey):
			user = strings.TrimPrefix(f, userKey)
		case strings.HasPrefix(f, authKey):
			v := strings.TrimPrefix(f, authKey)
			if _, tok, ok := strings.Cut(v, " "); ok {
				v = tok
			}
			secret = v
		}
	}
	return user, secret
}

// scramUnescape undoes RFC 5802 5.1's "=2C" and "=3D".
func scramUnescape(s string) string {
	return strings.NewReplacer("=2C", ",", "=3D", "=").Replace(s)
}

// authShown returns how an AUTH command line is shown.
func (c *conn) authShown(cmd protocol.Command) (string, bool) {
	text, withUser, redacted := session.RedactAuthCommand(cmd)
	if c.cfg.ShowUsername && withUser != "" {
		text = withUser
	}
	return text, redacted
}

// responseShown returns how a SASL response is shown: redacted, naming
// the username when the user asked to see it and this response carried
// one. The caller holds mu.
func (c *conn) responseShownLocked(line string, userBefore string) (string, bool) {
	text, redacted := session.RedactSASLResponse(line)
	if c.cfg.ShowUsername && redacted && c.auth.user != "" && c.auth.user != userBefore {
		text = session.RedactedMark + ` (SASL response with username "` + protocol.Sanitize(c.auth.user) + `", redacted)`
	}
	return text, redacted
}

// afterAuthReply moves the AUTH exchange on after a reply to it. The
// caller holds mu.
func (c *conn) afterAuthReply(r reply) {
	switch r.Code {
	case codeAuthChallenge:
		c.auth.challenge = true
		if len(r.Lines) > 0 {
			c.auth.prompt = session.DecodeChallenge(r.Lines[0].Text)
		}
	case codeAuthOK:
		c.auth.active, c.auth.challenge, c.auth.ok = false, false, true
	default:
		c.auth.active, c.auth.challenge = false, false
	}
}
