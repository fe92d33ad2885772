package session

import (
	"encoding/json"
	"fmt"
	"strings"
)

// oauthError is the JSON a server sends in a 334 when an OAuth 2.0 token
// is refused: RFC 7628 3.2.2 for OAUTHBEARER, the same shape with an HTTP
// status for Google's and Microsoft's XOAUTH2.
type oauthError struct {
	Status  string `json:"status"`
	Schemes string `json:"schemes"`
	Scope   string `json:"scope"`
}

// explainOAuthChallenge recognises an OAuth error challenge and says in
// plain words what is wrong with the token.
func explainOAuthChallenge(challenge []byte) (string, bool) {
	trimmed := strings.TrimSpace(string(challenge))
	if !strings.HasPrefix(trimmed, "{") {
		return "", false
	}
	var e oauthError
	if err := json.Unmarshal([]byte(trimmed), &e); err != nil || e.Status == "" {
		return "", false
	}
	var why string
	switch strings.ToLower(e.Status) {
	case "401", "invalid_token":
		why = "the access token was refused: it has expired, was revoked, or belongs to another account than the username — get a fresh token"
	case "400", "invalid_request":
		why = "the server could not read the token request: check the username and that the secret is the access token itself"
	case "403", "insufficient_scope":
		why = "the access token lacks the permission (scope) for sending mail"
	default:
		why = fmt.Sprintf("the server refused the token with status %q", e.Status)
	}
	if e.Scope != "" {
		why += fmt.Sprintf("; the server expects a token with scope %q", e.Scope)
	}
	return "OAuth error from the server: " + why, true
}
