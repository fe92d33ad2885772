package sasl

import (
	"fmt"
	"slices"
	"strings"

	gosasl "github.com/emersion/go-sasl"
)

// Credentials are what a mechanism may use. Secret is a password, or an
// OAuth 2.0 access token for XOAUTH2 and OAUTHBEARER.
type Credentials struct {
	Username string
	Secret   string
	Host     string // for OAUTHBEARER's host field
	Port     int
}

// Supported lists the mechanisms smtpscope can run, strongest first: the
// order used for automatic choice among password mechanisms.
var Supported = []string{ScramSHA256, ScramSHA1, CramMD5, Plain, Login, OAuthBearer, XOAuth2, External, Anonymous}

// passwordOrder is the preference among mechanisms that use a password:
// SCRAM never sends the password and authenticates the server too;
// CRAM-MD5 keeps the password off the wire; PLAIN and LOGIN send it
// (protected only by TLS).
var passwordOrder = []string{ScramSHA256, ScramSHA1, CramMD5, Plain, Login}

// tokenOrder is the preference among OAuth 2.0 mechanisms: the standard
// one first.
var tokenOrder = []string{OAuthBearer, XOAuth2}

// New returns a client for mech (case-insensitive).
func New(mech string, cred Credentials) (gosasl.Client, error) {
	switch strings.ToUpper(mech) {
	case Plain:
		return gosasl.NewPlainClient("", cred.Username, cred.Secret), nil
	case Login:
		return NewLoginClient(cred.Username, cred.Secret), nil
	case CramMD5:
		return NewCramMD5Client(cred.Username, cred.Secret), nil
	case XOAuth2:
		return NewXOAuth2Client(cred.Username, cred.Secret), nil
	case OAuthBearer:
		return gosasl.NewOAuthBearerClient(&gosasl.OAuthBearerOptions{
			Username: cred.Username, Token: cred.Secret, Host: cred.Host, Port: cred.Port}), nil
	case ScramSHA1, ScramSHA256:
		return NewScramClient(strings.ToUpper(mech), cred.Username, cred.Secret)
	case External:
		return gosasl.NewExternalClient(cred.Username), nil
	case Anonymous:
		return gosasl.NewAnonymousClient(cred.Username), nil
	}
	return nil, fmt.Errorf("smtpscope does not speak the SASL mechanism %q (it knows %s)", mech, strings.Join(Supported, ", "))
}

// Choose picks the strongest advertised mechanism that smtpscope runs and
// says why in one sentence. token says the secret is an OAuth token;
// clientCert that a TLS client certificate was presented (EXTERNAL).
func Choose(advertised []string, token, clientCert bool) (mech, why string, err error) {
	offered := make([]string, len(advertised))
	for i, m := range advertised {
		offered[i] = strings.ToUpper(m)
	}
	if len(offered) == 0 {
		return "", "", fmt.Errorf("the server advertises no AUTH mechanisms (in clear text many servers list AUTH only after STARTTLS)")
	}
	pick := func(order []string, reason string) (string, string, bool) {
		for _, m := range order {
			if slices.Contains(offered, m) {
				return m, fmt.Sprintf("%s: %s (the server offers %s)", m, reason, strings.Join(offered, " ")), true
			}
		}
		return "", "", false
	}
	if clientCert {
		if m, w, ok := pick([]string{External}, "the TLS client certificate identifies you"); ok {
			return m, w, nil
		}
	}
	if token {
		if m, w, ok := pick(tokenOrder, "the strongest OAuth 2.0 mechanism offered"); ok {
			return m, w, nil
		}
		return "", "", fmt.Errorf("the server offers no OAuth 2.0 mechanism (XOAUTH2 or OAUTHBEARER), only %s", strings.Join(offered, " "))
	}
	if m, w, ok := pick(passwordOrder, "the strongest password mechanism offered"); ok {
		return m, w, nil
	}
	if m, w, ok := pick(tokenOrder, "the only kind offered; it needs an OAuth 2.0 access token as the secret"); ok {
		return m, w, nil
	}
	return "", "", fmt.Errorf("none of the offered mechanisms (%s) is one smtpscope speaks (%s)", strings.Join(offered, " "), strings.Join(Supported, ", "))
}
