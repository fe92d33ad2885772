package export

import (
	"regexp"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/session"
)

// FuzzTranscript feeds arbitrary transcripts to the reader, the exports
// and the report: nothing may panic, and a report never shows a user
// name the transcript revealed.
func FuzzTranscript(f *testing.F) {
	f.Add("# connecting to mx.example.com:587\nS: 220 hi\nC: EHLO a\nS: 250 ok\nC: AUTH PLAIN AGFsaWNlAHB3\nS: 535 no\n")
	f.Add("S: 220 x\nC: MAIL FROM:<a@b>\nC: RCPT TO:<c@d>\nC: DATA\nS: 250 ok\nS: 250 ok\nS: 354 go\nC: ..x\nC: .\nS: 250 ok\n")
	f.Add("C: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: YWxpY2U= (username \"alice\")\nS: 334-a\nS: 334 b\nC: *\n")
	f.Fuzz(func(t *testing.T, text string) {
		var lines []session.Line
		for i, raw := range strings.Split(text, "\n") {
			dir, body, ok := strings.Cut(raw, ": ")
			l := session.Line{Gen: 1 + i%3/2, Text: body}
			switch {
			case ok && dir == "C":
				l.Dir = session.DirClient
			case ok && dir == "S":
				l.Dir = session.DirServer
			default:
				l.Dir, l.Text = session.DirNote, strings.TrimPrefix(raw, "# ")
			}
			lines = append(lines, l)
		}
		s := FromLines(lines)
		for _, format := range Formats() {
			Generate(format, s.With(Session{Host: "mx.example.com", Port: 25, To: []string{"x@example.com"}}), Options{})
		}
		report := Report(lines, ReportOptions{HideAddresses: true, HideHosts: true})
		// The stand-ins themselves may spell a name such as "user".
		bare := standIn.ReplaceAllString(report, "")
		if s.Auth != nil && len(s.Auth.Username) >= shortNameLen && strings.Contains(strings.ToLower(bare), strings.ToLower(s.Auth.Username)) {
			t.Errorf("the report shows the user name %q", s.Auth.Username)
		}
	})
}

// standIn matches what the report puts in place of what it hides.
var standIn = regexp.MustCompile(`\[(user|secret|SASL data redacted|encoded credentials redacted|address \d+|host \d+)\]`)
