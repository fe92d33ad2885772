package export

import (
	"fmt"
	"net/url"
	"strings"
)

// curlMechanisms are the SASL mechanisms curl can be told to use with
// --login-options AUTH=… (EXTERNAL and GSSAPI need more than a password).
var curlMechanisms = []string{mechPlain, mechLogin, mechCRAMMD5, "DIGEST-MD5", "NTLM", mechXOAuth2, mechOAuthBearer}

// curlCode writes a curl command. The message goes in a quoted
// here-document, so that the shell expands nothing in it; --crlf makes
// its line ends CRLF and curl dot-stuffs it (RFC 5321 4.5.2).
func curlCode(p *plan) (string, error) {
	if err := shellSafeMessage(p.message); err != nil {
		return "", err
	}
	s := p.s
	mech, err := p.mechanism("curl", curlMechanisms...)
	if err != nil {
		return "", err
	}
	scheme := "smtp"
	if s.Security == ImplicitTLS {
		scheme = "smtps"
	}
	// curl sends the URL's path as the EHLO name.
	u := url.URL{Scheme: scheme, Host: s.Address(), Path: "/" + s.Helo}
	var c shellCommand
	c.add("curl")
	c.opt("--url", u.String())
	if strings.ContainsAny(u.Host, "[]") {
		c.add("--globoff") // brackets are curl's URL globbing syntax otherwise
	}
	if s.Security != Plain {
		c.newline()
		if s.Security == StartTLS {
			c.add("--ssl-reqd") // STARTTLS, or fail
		}
		c.add(optionalFileArgs("--cacert", p.o.CAFileEnv)...)
	}
	if a := s.Auth; a != nil {
		c.newline()
		user := requiredEnv(p.o.UserEnv, "the username")
		if a.Username != "" {
			if strings.Contains(a.Username, ":") {
				return "", fmt.Errorf("curl splits --user at the first colon, so it cannot log in as %q; export as python or go", a.Username)
			}
			q, err := shellWord(a.Username)
			if err != nil {
				return "", fmt.Errorf("username: %w", err)
			}
			user = q
		}
		if a.Token() {
			c.optRaw("--user", user)
			c.optRaw("--oauth2-bearer", requiredEnv(p.o.PasswordEnv, "the access token"))
		} else {
			c.optRaw("--user", user+`:`+requiredEnv(p.o.PasswordEnv, "the password"))
		}
		if mech != "" {
			c.opt("--login-options", "AUTH="+mech)
		}
	}
	c.newline()
	c.opt("--mail-from", s.From)
	for _, to := range s.To {
		c.opt("--mail-rcpt", to)
	}
	lines := p.messageLines()
	delim := heredocDelimiter(lines)
	c.newline()
	c.add("--upload-file", "-", "--crlf", "<<'"+delim+"'")
	if c.err != nil {
		return "", c.err
	}

	var b strings.Builder
	b.WriteString(p.headerComment("curl",
		"curl keeps the password off its visible command line where the system allows."))
	b.WriteString(c.String())
	b.WriteString("\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	b.WriteString(delim + "\n")
	return b.String(), nil
}
