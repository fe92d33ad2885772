package export

import (
	"fmt"
	"strconv"
	"strings"
)

// swaksMechanisms are the AUTH types swaks 20201014 implements itself.
var swaksMechanisms = []string{mechPlain, mechLogin, mechCRAMMD5, "CRAM-SHA1", "DIGEST-MD5", "NTLM"}

// swaksCode writes a swaks command. The message goes through
// --no-data-fixup, because swaks's own fix-ups rewrite text such as "\n"
// and %DATE% inside it: printf sends it with CRLF line ends, dot-stuffed
// (RFC 5321 4.5.2) and ended by the lone "." swaks then does not add.
func swaksCode(p *plan) (string, error) {
	if err := shellSafeMessage(p.message); err != nil {
		return "", err
	}
	s := p.s
	mech, err := p.mechanism("swaks", swaksMechanisms...)
	if err != nil {
		return "", err
	}
	var c shellCommand
	prefix := "swaks"
	if s.Auth != nil {
		// The password goes through swaks's environment, not its
		// command line, where any user of the machine could read it.
		prefix = "SWAKS_OPT_auth_password=" + requiredEnv(p.o.PasswordEnv, "the password") + " swaks"
	}
	c.add(prefix)
	host := s.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	c.newline()
	c.opt("--server", host)
	c.opt("--port", strconv.Itoa(s.Port))
	if s.Security != Plain {
		c.newline()
		if s.Security == ImplicitTLS {
			c.add("--tls-on-connect", "--tls-verify")
		} else {
			c.add("--tls", "--tls-verify")
		}
		c.lines[len(c.lines)-1] = append(c.lines[len(c.lines)-1], optionalFileArgs("--tls-ca-path", p.o.CAFileEnv)...)
	}
	if s.Helo != "" {
		c.newline()
		c.opt("--helo", s.Helo)
	}
	if s.Auth != nil {
		c.newline()
		if mech != "" {
			c.opt("--auth", mech)
		} else {
			c.add("--auth")
		}
		if s.Auth.Username != "" {
			c.opt("--auth-user", s.Auth.Username)
		} else {
			c.optRaw("--auth-user", requiredEnv(p.o.UserEnv, "the username"))
		}
		c.lines[len(c.lines)-1] = append(c.lines[len(c.lines)-1], "--auth-hide-password")
	}
	c.newline()
	from := s.From
	if from == "" {
		from = "<>" // swaks's spelling of the null reverse-path
	}
	c.opt("--from", from)
	for _, to := range s.To {
		if strings.Contains(to, ",") {
			return "", fmt.Errorf("swaks takes recipients as a comma-separated list, so it cannot send to %q; export as curl, python or go", to)
		}
	}
	c.opt("--to", strings.Join(s.To, ","))
	c.newline()
	c.add("--no-data-fixup", "--data", "-")
	if c.err != nil {
		return "", c.err
	}

	var b strings.Builder
	b.WriteString(p.headerComment("swaks",
		"swaks checks the certificate chain but not the host name in it.",
		"The message is piped in as it goes on the wire: CRLF line ends, dot-stuffed, ending with \".\"."))
	b.WriteString("{\n  printf '%s\\r\\n'")
	for _, l := range p.messageLines() {
		if strings.HasPrefix(l, ".") {
			l = "." + l // RFC 5321 4.5.2 dot-stuffing
		}
		b.WriteString(" \\\n    " + quoteMessageLine(l))
	}
	b.WriteString("\n  printf '.'\n} | ")
	b.WriteString(c.String())
	b.WriteString("\n")
	return b.String(), nil
}
