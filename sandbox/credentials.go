package sandbox

import (
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/xdg-go/scram"
)

// Demo credentials, printed when the sandbox starts. They are not secrets:
// the sandbox accepts mail only on loopback unless told otherwise, and
// delivers nothing anywhere.
const (
	DemoUsername = "demo"
	DemoPassword = "demo-password"
	DemoToken    = "demo-token"
	// DemoAccountPassword plays a provider account's main password, which
	// providers refuse for SMTP (Gmail wants an app password, QQ an
	// authorization code). Scenarios that teach this reply to it
	// differently from a wrong password.
	DemoAccountPassword = "account-password"
)

// DemoAddress is the demo user's mailbox.
const DemoAddress = DemoUsername + "@" + MailDomain

// Mechanism names (RFC 4954, RFC 4616, RFC 2195, RFC 7677, Google's XOAUTH2).
const (
	MechPlain       = "PLAIN"
	MechLogin       = "LOGIN"
	MechCRAMMD5     = "CRAM-MD5"
	MechSCRAMSHA256 = "SCRAM-SHA-256"
	MechXOAuth2     = "XOAUTH2"
)

// defaultMechanisms are advertised, in this order, unless a scenario says otherwise.
var defaultMechanisms = []string{MechPlain, MechLogin, MechCRAMMD5, MechSCRAMSHA256, MechXOAuth2}

// scramIterations is the PBKDF2 cost of the demo SCRAM credential
// (RFC 7677 4: at least 4096).
const scramIterations = 4096

// scramSaltOctets is the length of the random SCRAM salt.
const scramSaltOctets = 16

// Credential is a login the sandbox accepts, or one it refuses on purpose
// to teach a provider's reply.
type Credential struct {
	Mechanisms []string // the mechanisms it is meant for
	Username   string
	Secret     string // password or token
	Note       string // what happens when it is used
}

// isDemoUser reports whether name is the demo user, bare or as an address.
func isDemoUser(name string) bool {
	return strings.EqualFold(name, DemoUsername) || strings.EqualFold(name, DemoAddress)
}

// checkPassword classifies a username and password.
func checkPassword(user, password string) AuthVerdict {
	switch {
	case !isDemoUser(user):
		return AuthRejected
	case password == DemoPassword:
		return AuthAccepted
	case password == DemoAccountPassword:
		return AuthAccountPassword
	}
	return AuthRejected
}

// checkToken classifies a username and OAuth token.
func checkToken(user, token string) AuthVerdict {
	if isDemoUser(user) && token == DemoToken {
		return AuthAccepted
	}
	return AuthRejected
}

// defaultCredentials describes the demo logins for the mechanisms offered.
func defaultCredentials(mechs []string) []Credential {
	var pw, tok []string
	for _, m := range mechs {
		if m == MechXOAuth2 {
			tok = append(tok, m)
		} else {
			pw = append(pw, m)
		}
	}
	var out []Credential
	if len(pw) > 0 {
		out = append(out, Credential{Mechanisms: pw, Username: DemoUsername, Secret: DemoPassword,
			Note: "the demo password; the username may also be written " + DemoAddress})
	}
	if len(tok) > 0 {
		out = append(out, Credential{Mechanisms: tok, Username: DemoUsername, Secret: DemoToken,
			Note: "an OAuth 2 access token for the demo user"})
	}
	return out
}

// newSCRAMServer prepares the SCRAM-SHA-256 credential of the demo user.
func newSCRAMServer() (*scram.Server, error) {
	salt := make([]byte, scramSaltOctets)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("sandbox: SCRAM salt: %w", err)
	}
	client, err := scram.SHA256.NewClient(DemoUsername, DemoPassword, "")
	if err != nil {
		return nil, fmt.Errorf("sandbox: SCRAM credential: %w", err)
	}
	stored := client.GetStoredCredentials(scram.KeyFactors{Salt: string(salt), Iters: scramIterations})
	lookup := func(user string) (scram.StoredCredentials, error) {
		if !isDemoUser(user) {
			return scram.StoredCredentials{}, fmt.Errorf("unknown user %q", user)
		}
		return stored, nil
	}
	return scram.SHA256.NewServer(lookup)
}
