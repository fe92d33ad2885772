package doctor

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smtpscope/smtpscope/protocol"
)

// Token kinds.
const (
	TokenJWT          = "jwt"           // a JSON Web Token: its claims can be read
	TokenGoogleAccess = "google-access" // Google's opaque access token ("ya29.…")
	TokenOpaque       = "opaque"        // nothing to read locally
)

// googleAccessPrefix starts Google's OAuth 2.0 access tokens.
const googleAccessPrefix = "ya29."

// Scopes, roles, audiences and issuers that decide whether a provider
// takes a token for SMTP.
const (
	gmailScope      = "https://mail.google.com/"             // the only Google scope that allows SMTP
	msSMTPScope     = "SMTP.Send"                            // delegated permission, as it appears in scp
	msSMTPAppRole   = "SMTP.SendAsApp"                       // application permission (client credentials), in roles
	msSMTPFullScope = "https://outlook.office.com/SMTP.Send" // the scope as requested from the identity platform
	msExchangeAppID = "00000002-0000-0ff1-ce00-000000000000" // Exchange Online's application ID, an aud value
	msGraphAudience = "https://graph.microsoft.com"          // a Graph token: refused by SMTP
	msGraphAppID    = "00000003-0000-0000-c000-000000000000" // Graph's application ID, an aud value
	// Google's ID tokens (from signing in, not for SMTP) carry one of these issuers.
	googleIDIssuer  = "accounts.google.com"
	googleIDIssuer2 = "https://accounts.google.com"
	// Microsoft identity platform issuers (v1 and v2 tokens).
	msIssuerV1Prefix = "https://sts.windows.net/"
	msIssuerV2Host   = "login.microsoftonline.com"
)

// msAudiences are the audiences Exchange Online accepts for SMTP.
var msAudiences = []string{"https://outlook.office.com", "https://outlook.office365.com", msExchangeAppID}

// TokenInfo is what can be read from an OAuth 2.0 access token without
// verifying it: nothing here is trusted, it only predicts what the
// server will say.
type TokenInfo struct {
	Kind      string     `json:"kind"`
	Audience  []string   `json:"audience,omitempty"`
	Scopes    []string   `json:"scopes,omitempty"` // delegated scopes (scp, scope)
	Roles     []string   `json:"roles,omitempty"`  // application permissions (roles)
	User      string     `json:"user,omitempty"`   // upn, preferred_username, unique_name or email
	Issuer    string     `json:"issuer,omitempty"`
	Expires   *time.Time `json:"expires,omitempty"`
	NotBefore *time.Time `json:"not_before,omitempty"`
	Length    int        `json:"length"`
}

// errNotJWT is returned for a secret that is not a JSON Web Token.
var errNotJWT = errors.New("not a JSON Web Token")

// DecodeToken reads an access token locally. A JWT's claims are decoded
// without checking its signature; any other token is opaque. A string
// shaped like a JWT whose parts do not decode is an error.
func DecodeToken(token string) (TokenInfo, error) {
	token = strings.TrimSpace(token)
	info := TokenInfo{Kind: TokenOpaque, Length: len(token)}
	if strings.HasPrefix(token, googleAccessPrefix) {
		info.Kind = TokenGoogleAccess
		return info, nil
	}
	if strings.Count(token, ".") != 2 {
		return info, nil
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err != nil {
		return info, fmt.Errorf("%w: %v", errNotJWT, err)
	}
	info.Kind = TokenJWT
	if aud, err := claims.GetAudience(); err == nil {
		info.Audience = aud
	}
	if iss, err := claims.GetIssuer(); err == nil {
		info.Issuer = iss
	}
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
		t := exp.UTC()
		info.Expires = &t
	}
	if nbf, err := claims.GetNotBefore(); err == nil && nbf != nil {
		t := nbf.UTC()
		info.NotBefore = &t
	}
	info.Scopes = append(claimWords(claims["scp"]), claimWords(claims["scope"])...)
	info.Roles = claimWords(claims["roles"])
	for _, k := range []string{"upn", "preferred_username", "unique_name", "email"} {
		if s, ok := claims[k].(string); ok && s != "" {
			info.User = s
			break
		}
	}
	return info, nil
}

// claimWords reads a claim that is a space-separated string or a list.
func claimWords(v any) []string {
	switch x := v.(type) {
	case string:
		return strings.Fields(x)
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// looksLikeToken reports a secret that is an OAuth access token rather
// than a password: a JWT, or Google's access-token prefix.
func looksLikeToken(secret string) bool {
	if strings.HasPrefix(secret, googleAccessPrefix) {
		return true
	}
	info, err := DecodeToken(secret)
	return err == nil && info.Kind == TokenJWT
}

// Facts describe the token in plain words, one per line; now places the
// expiry.
func (t TokenInfo) Facts(now time.Time) []string {
	switch t.Kind {
	case TokenGoogleAccess:
		return []string{fmt.Sprintf("a Google access token (opaque, %d characters): its scopes cannot be read locally", t.Length)}
	case TokenOpaque:
		return []string{fmt.Sprintf("an opaque token (%d characters): nothing in it can be read locally", t.Length)}
	}
	facts := []string{"a JSON Web Token (its signature is not checked here)"}
	add := func(label string, v []string) {
		if len(v) > 0 {
			facts = append(facts, label+": "+protocol.Sanitize(strings.Join(v, " ")))
		}
	}
	add("audience", t.Audience)
	add("scopes", t.Scopes)
	add("roles", t.Roles)
	if t.User != "" {
		facts = append(facts, "user: "+protocol.Sanitize(t.User))
	}
	if t.Issuer != "" {
		facts = append(facts, "issuer: "+protocol.Sanitize(t.Issuer))
	}
	if t.Expires != nil {
		facts = append(facts, "expires: "+t.Expires.Format(time.RFC3339)+" ("+relative(t.Expires.Sub(now))+")")
	}
	return facts
}

// relative says how far away d is: "in 42m", "3h0m ago".
func relative(d time.Duration) string {
	d = d.Round(time.Second)
	if d < 0 {
		return (-d).String() + " ago"
	}
	return "in " + d.String()
}

// Predict lists why the provider will refuse the token, before it is
// sent. provider is a provider ID; user is the AUTH username.
func (t TokenInfo) Predict(provider, user string, now time.Time) []string {
	var out []string
	if t.Expires != nil && !t.Expires.After(now) {
		out = append(out, fmt.Sprintf("the token expired at %s (%s): any server refuses it; get a fresh one (refresh it)",
			t.Expires.Format(time.RFC3339), relative(t.Expires.Sub(now))))
	}
	if t.NotBefore != nil && t.NotBefore.After(now) {
		out = append(out, "the token is not valid before "+t.NotBefore.Format(time.RFC3339)+" (is this machine's clock right?)")
	}
	microsoft := provider == protocol.ProviderMicrosoft || provider == protocol.ProviderExchange || t.microsoftIssued()
	switch {
	case microsoft:
		out = append(out, t.predictMicrosoft()...)
	case provider == protocol.ProviderGmail || t.googleIssued():
		out = append(out, t.predictGoogle()...)
	}
	if t.User != "" && user != "" && !strings.EqualFold(t.User, user) {
		out = append(out, fmt.Sprintf("the token was issued to %s, but AUTH names %s: the server refuses a token for another user",
			protocol.Sanitize(t.User), protocol.Sanitize(user)))
	}
	return out
}

func (t TokenInfo) microsoftIssued() bool {
	return strings.HasPrefix(t.Issuer, msIssuerV1Prefix) || strings.Contains(t.Issuer, msIssuerV2Host)
}

func (t TokenInfo) googleIssued() bool {
	return t.Issuer == googleIDIssuer || t.Issuer == googleIDIssuer2
}

// predictMicrosoft checks audience and permission for Exchange Online.
func (t TokenInfo) predictMicrosoft() []string {
	if t.Kind != TokenJWT {
		return nil
	}
	var out []string
	if len(t.Audience) > 0 && !anyFold(t.Audience, msAudiences) {
		what := "another API"
		if anyFold(t.Audience, []string{msGraphAudience, msGraphAppID}) {
			what = "Microsoft Graph"
		}
		out = append(out, fmt.Sprintf("the token is for %s (audience %s), not for Exchange Online: Microsoft refuses it for SMTP; request the scope %s",
			what, protocol.Sanitize(strings.Join(t.Audience, " ")), msSMTPFullScope))
	}
	if !containsFold(t.Scopes, msSMTPScope) && !containsFold(t.Scopes, msSMTPFullScope) && !containsFold(t.Roles, msSMTPAppRole) {
		perm := "scope " + msSMTPFullScope
		if len(t.Roles) > 0 {
			perm = "application permission " + msSMTPAppRole
		}
		out = append(out, "the token lacks the SMTP permission: Microsoft wants the "+perm+" (granted and consented)")
	}
	return out
}

// predictGoogle checks the token is a Gmail access token.
func (t TokenInfo) predictGoogle() []string {
	switch {
	case t.Kind == TokenGoogleAccess:
		return []string{"Gmail accepts a token only with the scope " + gmailScope + "; check the scopes the app requested"}
	case t.Kind == TokenJWT && t.googleIssued():
		return []string{"this is a Google ID token (for signing in), not an access token: Gmail refuses it; send the access token (ya29.…) for the scope " + gmailScope}
	case t.Kind == TokenJWT && len(t.Scopes) > 0 && !slices.Contains(t.Scopes, gmailScope):
		return []string{"the token's scopes do not include " + gmailScope + ": Gmail refuses it for SMTP"}
	}
	return nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func anyFold(list, wanted []string) bool {
	for _, w := range wanted {
		if containsFold(list, strings.TrimSuffix(w, "/")) || containsFold(list, w+"/") {
			return true
		}
	}
	return false
}
