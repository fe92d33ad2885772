package sasl

import (
	"strings"

	gosasl "github.com/emersion/go-sasl"
)

// Mechanism names (IANA "SASL Mechanisms" registry).
const (
	Plain       = "PLAIN"         // RFC 4616
	Login       = "LOGIN"         // draft-murchison-sasl-login
	CramMD5     = "CRAM-MD5"      // RFC 2195
	XOAuth2     = "XOAUTH2"       // Google and Microsoft OAuth 2.0 for SMTP
	OAuthBearer = "OAUTHBEARER"   // RFC 7628
	ScramSHA1   = "SCRAM-SHA-1"   // RFC 5802
	ScramSHA256 = "SCRAM-SHA-256" // RFC 7677
	External    = "EXTERNAL"      // RFC 4422 appendix A
	Anonymous   = "ANONYMOUS"     // RFC 4505
)

// Step says what a client response carries, so that the session can
// show it redacted with the right label.
type Step int

// Response contents.
const (
	StepOther    Step = iota // protocol data without a credential (SCRAM nonce, empty reply)
	StepUsername             // the username alone
	StepSecret               // the password or token (possibly with the username)
)

// Stepper is implemented by clients that can say what their latest
// response carried.
type Stepper interface {
	LastStep() Step
}

// loginClient is LOGIN: the server prompts twice, and real servers word
// the prompts in many ways ("Username:", "User Name", "VXNlcm5hbWU6"
// decoded, localized text, or nothing). go-sasl's LOGIN accepts only the
// exact "Password:", so this one answers by order, using the wording only
// when it is unambiguous.
type loginClient struct {
	username, password string
	sentUser, sentPass bool
	last               Step
}

// NewLoginClient returns a LOGIN client.
func NewLoginClient(username, password string) gosasl.Client {
	return &loginClient{username: username, password: password}
}

func (c *loginClient) Start() (string, []byte, error) { return Login, nil, nil }

func (c *loginClient) Next(challenge []byte) ([]byte, error) {
	prompt := strings.ToLower(string(challenge))
	wantPass := c.sentUser
	switch {
	case strings.Contains(prompt, "pass"):
		wantPass = true
	case strings.Contains(prompt, "user") || strings.Contains(prompt, "name"):
		wantPass = false
	}
	if wantPass {
		if c.sentPass {
			return nil, gosasl.ErrUnexpectedServerChallenge
		}
		c.sentPass, c.last = true, StepSecret
		return []byte(c.password), nil
	}
	if c.sentUser && c.sentPass {
		return nil, gosasl.ErrUnexpectedServerChallenge
	}
	c.sentUser, c.last = true, StepUsername
	return []byte(c.username), nil
}

func (c *loginClient) LastStep() Step { return c.last }
