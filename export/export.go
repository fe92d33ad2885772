package export

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/smtpscope/smtpscope/session"
)

// Format is a kind of export.
type Format string

// Export formats.
const (
	Swaks      Format = "swaks"      // a swaks command line
	Curl       Format = "curl"       // a curl command line
	Python     Format = "python"     // a Python 3 script: smtplib and email.message.EmailMessage
	Nodemailer Format = "nodemailer" // a Node.js script: nodemailer transport options and sendMail
	Go         Format = "go"         // a Go program using net/smtp from the standard library
)

// Formats lists every format in the order menus show them.
func Formats() []Format { return []Format{Swaks, Curl, Python, Nodemailer, Go} }

// ParseFormat reads a format name in any case.
func ParseFormat(name string) (Format, error) {
	for _, f := range Formats() {
		if strings.EqualFold(name, string(f)) {
			return f, nil
		}
	}
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown export format %q; choose one of %s", name, strings.Join(names, ", "))
}

// Default names of the environment variables the exported code reads.
const (
	DefaultPasswordEnv = "SMTP_PASSWORD" // the password (never written into the code)
	DefaultTokenEnv    = "SMTP_TOKEN"    // the OAuth 2.0 access token, for XOAUTH2 and OAUTHBEARER
	DefaultUserEnv     = "SMTP_USER"     // the username, when the transcript did not show it
	DefaultCAFileEnv   = "SMTP_CA_FILE"  // a PEM file of CA certificates to trust, optional
)

// Options name the environment variables of the exported code. Empty
// fields take the defaults above.
type Options struct {
	PasswordEnv string // the secret: password, or token for OAuth mechanisms
	UserEnv     string
	CAFileEnv   string
}

// envNamePattern is what a portable environment variable name looks like
// (POSIX.1-2017 8.1: letters, digits and underscores, not starting with a digit).
var envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// withDefaults fills empty names and checks the rest.
func (o Options) withDefaults(a *Auth) (Options, error) {
	if o.PasswordEnv == "" {
		o.PasswordEnv = DefaultPasswordEnv
		if a.Token() {
			o.PasswordEnv = DefaultTokenEnv
		}
	}
	if o.UserEnv == "" {
		o.UserEnv = DefaultUserEnv
	}
	if o.CAFileEnv == "" {
		o.CAFileEnv = DefaultCAFileEnv
	}
	for _, n := range []string{o.PasswordEnv, o.UserEnv, o.CAFileEnv} {
		if !envNamePattern.MatchString(n) {
			return o, fmt.Errorf("%q is not an environment variable name (letters, digits and _, not starting with a digit)", n)
		}
	}
	return o, nil
}

// EnvVar is one environment variable the exported code reads.
type EnvVar struct {
	Name     string
	Purpose  string
	Required bool
}

// Result is an export: the code, the variables it reads and what the user
// should know about it.
type Result struct {
	Format Format
	Code   string
	Env    []EnvVar
	Notes  []string
}

// Generate writes s as code of format f.
func Generate(f Format, s Session, o Options) (Result, error) {
	if err := s.check(); err != nil {
		return Result{}, err
	}
	o, err := o.withDefaults(s.Auth)
	if err != nil {
		return Result{}, err
	}
	p := newPlan(s, o)
	var code string
	switch f {
	case Swaks:
		code, err = swaksCode(p)
	case Curl:
		code, err = curlCode(p)
	case Python:
		code, err = pythonCode(p)
	case Nodemailer:
		code, err = nodemailerCode(p)
	case Go:
		code, err = goCode(p)
	default:
		_, err = ParseFormat(string(f))
	}
	if err != nil {
		return Result{}, fmt.Errorf("%s export: %w", f, err)
	}
	return Result{Format: f, Code: code, Env: p.env(), Notes: p.notes}, nil
}

// Export rebuilds the session from transcript lines, lets known override
// what the transcript says, and writes it as code of format f. This is
// the one call behind the TUI's export key and `smtpscope export`.
func Export(lines []session.Line, known Session, f Format, o Options) (Result, error) {
	s := FromLines(lines).With(known)
	return Generate(f, s, o)
}

// Lines returns a copy of every line of t, for [Export] and [Report].
func Lines(t *session.Transcript) []session.Line {
	n := t.Len()
	out := make([]session.Line, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, t.Line(i))
	}
	return out
}
