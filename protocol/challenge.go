package protocol

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// Challenge is the text of a 334 reply decoded (RFC 4954 4: the server's
// challenge is base64). Most are prompts ("Username:", "Password:"); a 334
// after an XOAUTH2 or OAUTHBEARER token is an error report in JSON, to be
// answered with an empty line before the server sends its 535 or 334.
type Challenge struct {
	Base64     string       // the challenge as sent, sanitized
	Decoded    string       // the decoded text, sanitized; "" when the challenge is empty
	Valid      bool         // the text was valid base64
	Prompt     string       // what the server asks for, in words ("the username"), or ""
	OAuthError *OAuthStatus // the decoded OAuth error, nil when it is not one
}

// OAuthStatus is the JSON a server sends in a 334 when it refuses an OAuth
// token (RFC 7628 3.2.2; Google's and Microsoft's XOAUTH2 send the same
// fields).
type OAuthStatus struct {
	Status  string `json:"status"`  // an HTTP-like code: "401" (token refused), "400" (bad request)
	Schemes string `json:"schemes"` // the schemes the server accepts ("bearer")
	Scope   string `json:"scope"`   // the scope a token needs ("https://mail.google.com/")
	Issuer  string `json:"openid-configuration,omitempty"`
}

// What says what to change, in words.
func (s *OAuthStatus) What() string {
	var parts []string
	switch s.Status {
	case "401", "invalid_token":
		parts = append(parts, "the token was refused (status "+Sanitize(s.Status)+"): it expired, was revoked, or belongs to another user than the one in the AUTH string")
	case "400", "invalid_request":
		parts = append(parts, "the AUTH string was malformed (status "+Sanitize(s.Status)+"): check the user= and auth=Bearer parts")
	case "403", "insufficient_scope":
		parts = append(parts, "the token lacks a permission (status "+Sanitize(s.Status)+")")
	default:
		if s.Status != "" {
			parts = append(parts, "the server reported status "+Sanitize(s.Status))
		}
	}
	if s.Scope != "" {
		parts = append(parts, "the token needs the scope "+Sanitize(s.Scope))
	}
	if s.Schemes != "" {
		parts = append(parts, "the server accepts the "+Sanitize(s.Schemes)+" scheme")
	}
	if len(parts) == 0 {
		return "the server refused the token"
	}
	return strings.Join(parts, "; ")
}

// challengePrompts names the usual prompts of AUTH LOGIN and others.
var challengePrompts = map[string]string{
	"username:": "the username", "user name:": "the username", "user:": "the username",
	"password:": "the password", "pass:": "the password",
}

// DecodeChallenge decodes the text of a 334 reply. It returns nil for an
// empty challenge (the server waits for an initial response).
func DecodeChallenge(text string) *Challenge {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	c := &Challenge{Base64: Sanitize(text)}
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(text)
	}
	if err != nil {
		return c
	}
	c.Valid = true
	decoded, _ := DecodeText(raw)
	c.Decoded = Sanitize(decoded)
	c.Prompt = challengePrompts[strings.ToLower(strings.TrimSpace(decoded))]
	if strings.HasPrefix(strings.TrimSpace(decoded), "{") {
		var st OAuthStatus
		if json.Unmarshal(raw, &st) == nil && (st.Status != "" || st.Scope != "") {
			c.OAuthError = &st
		}
	}
	return c
}

// String is the challenge in words for a "Read as" line.
func (c *Challenge) String() string {
	switch {
	case c == nil:
		return ""
	case !c.Valid:
		return "the challenge is not valid base64"
	case c.OAuthError != nil:
		return fmt.Sprintf("an OAuth error: %s; answer with an empty line to get the final reply", c.OAuthError.What())
	case c.Prompt != "":
		return fmt.Sprintf("the server asks for %s (%q)", c.Prompt, c.Decoded)
	}
	return fmt.Sprintf("decoded: %q", c.Decoded)
}
