package export

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Security says how the exported code protects the connection.
type Security int

// Security modes.
const (
	// Plain sends everything in clear text: the session never used TLS.
	Plain Security = iota
	// StartTLS upgrades with STARTTLS (RFC 3207) before anything else and
	// fails when the server does not offer it.
	StartTLS
	// ImplicitTLS starts TLS with the first byte (RFC 8314 3.3, port 465).
	ImplicitTLS
)

// String names the mode as the docs do.
func (s Security) String() string {
	switch s {
	case StartTLS:
		return "STARTTLS"
	case ImplicitTLS:
		return "implicit TLS"
	}
	return "plain"
}

// Session is what an export reproduces. The UI fills it from what it
// knows; [FromLines] rebuilds it from a transcript.
type Session struct {
	Host     string // server host name or IP address, without brackets
	Port     int
	Security Security
	Helo     string // the EHLO name; "" leaves the library's default
	Auth     *Auth  // nil: no AUTH
	From     string // MAIL FROM path, "" for the null reverse-path <>
	To       []string
	// Message is the content, headers and body, with LF or CRLF line
	// ends; nil when it is not known (then the code sends a short test
	// message, and MessageMissing says why).
	Message        []byte
	MessageMissing string
	// Insecure records that the session skipped certificate checks. The
	// exported code verifies all the same, and says how to trust a
	// private CA instead.
	Insecure bool
	// Notes are what the reader of the transcript noticed: refused
	// recipients, a failed delivery, an approximate message.
	Notes []string
}

// Auth is the SASL exchange to repeat (RFC 4954).
type Auth struct {
	Mechanism string // upper case: PLAIN, LOGIN, CRAM-MD5, XOAUTH2, …; "" lets the library choose
	Username  string // "" when not known: the code reads it from [Options.UserEnv]
}

// Token reports whether the secret is an OAuth 2.0 access token rather
// than a password.
func (a *Auth) Token() bool {
	return a != nil && (a.Mechanism == mechXOAuth2 || a.Mechanism == mechOAuthBearer)
}

// SASL mechanism names (RFC 4616, RFC 2195, RFC 7628, RFC 5802/7677;
// LOGIN and XOAUTH2 are de-facto standards without an RFC).
const (
	mechPlain       = "PLAIN"
	mechLogin       = "LOGIN"
	mechCRAMMD5     = "CRAM-MD5"
	mechXOAuth2     = "XOAUTH2"
	mechOAuthBearer = "OAUTHBEARER"
)

// Address returns host:port, with brackets for IPv6.
func (s Session) Address() string {
	return net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
}

// With returns s with every field that k sets replacing its own: what the
// program knows for sure (the address it dialled, the message it sent)
// wins over what the transcript shows.
func (s Session) With(k Session) Session {
	if k.Host != "" {
		s.Host = k.Host
	}
	if k.Port != 0 {
		s.Port = k.Port
	}
	if k.Security != Plain {
		s.Security = k.Security
	}
	if k.Helo != "" {
		s.Helo = k.Helo
	}
	if k.Auth != nil {
		a := *k.Auth
		if s.Auth != nil {
			if a.Mechanism == "" {
				a.Mechanism = s.Auth.Mechanism
			}
			if a.Username == "" {
				a.Username = s.Auth.Username
			}
		}
		s.Auth = &a
	}
	if k.From != "" {
		s.From = k.From
	}
	if len(k.To) > 0 {
		s.To = append([]string(nil), k.To...)
	}
	if k.Message != nil {
		s.Message, s.MessageMissing = k.Message, ""
	}
	s.Insecure = s.Insecure || k.Insecure
	s.Notes = append(append([]string(nil), s.Notes...), k.Notes...)
	return s
}

// SetAddress sets Host and Port from "host:port" (IPv6 in brackets); a
// missing port is 25.
func (s *Session) SetAddress(address string) error {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		host, port = strings.TrimSuffix(strings.TrimPrefix(address, "["), "]"), "25"
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > maxPort {
		return fmt.Errorf("%q is not HOST[:PORT] with a port from 1 to %d", address, maxPort)
	}
	if host == "" {
		return fmt.Errorf("%q has no host name", address)
	}
	s.Host, s.Port = host, n
	return nil
}

// maxPort is the highest TCP port.
const maxPort = 65535

// What a session can lack to be exported. Callers add how their user
// gives it: a flag of smtpscope export, a key in the TUI.
var (
	ErrNoServer    = errors.New("the server is not known (a transcript saved by an older smtpscope does not say)")
	ErrNoRecipient = errors.New("the session sent no RCPT TO, so there is no recipient to export")
)

// check reports what makes s impossible to export.
func (s Session) check() error {
	if s.Host == "" || s.Port == 0 {
		return ErrNoServer
	}
	if len(s.To) == 0 {
		return ErrNoRecipient
	}
	for _, v := range append([]string{s.Host, s.Helo, s.From}, s.To...) {
		if strings.ContainsAny(v, "\r\n\x00") {
			return fmt.Errorf("%q contains a line break or NUL, which no SMTP command can carry", v)
		}
	}
	if s.Auth != nil && strings.ContainsAny(s.Auth.Username, "\r\n\x00") {
		return fmt.Errorf("the AUTH username contains a line break or NUL")
	}
	return nil
}
