package export

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// testSubject and testBody make the message sent when the transcript does
// not hold the session's own.
const (
	testSubject = "smtpscope export test"
	testBody    = "This message was sent by code that smtpscope exported from a session.\n"
)

// plan is what every format needs, worked out once: the message as LF
// lines, the mechanism the tool can use, the notes and variables.
type plan struct {
	s       Session
	o       Options
	message []byte // LF line ends, ending with LF
	notes   []string
}

func newPlan(s Session, o Options) *plan {
	p := &plan{s: s, o: o}
	if s.Insecure {
		p.note("the session skipped certificate checks (--insecure); this code verifies the certificate: for a private CA, set %s to its PEM file", o.CAFileEnv)
	}
	if s.Auth != nil && s.Auth.Username == "" {
		p.note("the transcript hides the AUTH username; the code reads it from %s (save transcripts with the username shown, or give --user)", o.UserEnv)
	}
	if s.Security == Plain && s.Auth != nil {
		p.note("the session authenticated without TLS, so the password crossed the network readable; so does this code")
	}
	p.notes = append(p.notes, s.Notes...)
	if s.Message != nil {
		p.message = lfLines(s.Message)
	} else {
		p.message = testMessage(s)
		why := s.MessageMissing
		if why == "" {
			why = "the session sent none"
		}
		p.note("the message content is not known (%s); the code sends a short test message to the same envelope instead", why)
	}
	return p
}

// note adds a line for the user.
func (p *plan) note(format string, args ...any) {
	p.notes = append(p.notes, fmt.Sprintf(format, args...))
}

// env lists the variables the code reads.
func (p *plan) env() []EnvVar {
	var out []EnvVar
	if a := p.s.Auth; a != nil {
		what := "the AUTH password (smtpscope never writes it down)"
		if a.Token() {
			what = "the OAuth 2.0 access token (smtpscope never writes it down)"
		}
		out = append(out, EnvVar{Name: p.o.PasswordEnv, Purpose: what, Required: true})
		if a.Username == "" {
			out = append(out, EnvVar{Name: p.o.UserEnv, Purpose: "the AUTH username", Required: true})
		}
	}
	if p.s.Security != Plain {
		out = append(out, EnvVar{Name: p.o.CAFileEnv, Purpose: "the PEM file of the CA that signed the server's certificate, for a private or test CA (verification stays on either way)"})
	}
	return out
}

// envLines describe the variables for the comment that opens the code:
// "SMTP_PASSWORD (required): the AUTH password …".
func (p *plan) envLines() []string {
	var out []string
	for _, e := range p.env() {
		need := "optional"
		if e.Required {
			need = "required"
		}
		out = append(out, fmt.Sprintf("%s (%s): %s.", e.Name, need, e.Purpose))
	}
	return out
}

// mechanism returns the mechanism a tool that supports the names in
// supported should use: the session's own, or "" (the tool chooses) with
// a note. Token mechanisms never fall back to a password mechanism.
func (p *plan) mechanism(tool string, supported ...string) (string, error) {
	a := p.s.Auth
	if a == nil || a.Mechanism == "" {
		return "", nil
	}
	for _, m := range supported {
		if m == a.Mechanism {
			return m, nil
		}
	}
	if a.Token() {
		return "", fmt.Errorf("%s cannot authenticate with %s; export as curl, python or go instead", tool, a.Mechanism)
	}
	p.note("%s cannot do AUTH %s; the code lets it choose among the mechanisms it knows (%s)", tool, a.Mechanism, strings.Join(supported, ", "))
	return "", nil
}

// messageLines returns the message as lines without their LF.
func (p *plan) messageLines() []string {
	return strings.Split(strings.TrimSuffix(string(p.message), "\n"), "\n")
}

// lfLines returns b with CRLF line ends turned into LF and a final LF.
func lfLines(b []byte) []byte {
	out := bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return out
}

// testMessage is the short message sent when the session's is not known.
func testMessage(s Session) []byte {
	var b strings.Builder
	if s.From != "" {
		b.WriteString("From: " + s.From + "\n")
	}
	b.WriteString("To: " + strings.Join(s.To, ", ") + "\n")
	b.WriteString("Subject: " + testSubject + "\n\n")
	b.WriteString(testBody)
	return []byte(b.String())
}

// shellSafeMessage reports why the message cannot go into a shell command
// as text: control characters other than tab (including a CR that does not
// end a line) would reach the terminal of whoever prints the command.
func shellSafeMessage(msg []byte) error {
	if !utf8.Valid(msg) {
		return fmt.Errorf("the message is not UTF-8 text; export as python or go, which carry any bytes")
	}
	for i, line := range strings.Split(string(msg), "\n") {
		for _, r := range line {
			if r != '\t' && isControl(r) {
				return fmt.Errorf("line %d of the message holds the control character %U, which a shell command cannot show safely; export as python or go", i+1, r)
			}
		}
	}
	return nil
}
