package learn

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// FuzzParse feeds the catalog reader arbitrary TOML: it returns a track or
// an error, never panics, and a track it returns has compiled goals.
func FuzzParse(f *testing.F) {
	en, err := catalogs.ReadFile("catalog/en.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(en))
	f.Add(catalogWith("reply = 250\nlabel = \"x\""))
	f.Add(catalogWith("in_order = [{ reply = \"5xx\", to = [\"MAIL\", \"end of data\"], label = \"a\" }, { tls_handshake = true, label = \"b\" }]"))
	f.Fuzz(func(t *testing.T, raw string) {
		tr, err := Parse([]byte(raw))
		if err != nil {
			return
		}
		for _, l := range tr.Lessons {
			if l.Compiled() == nil {
				t.Fatalf("lesson %s accepted without a goal", l.ID)
			}
			l.Compiled().Start().Steps()
		}
	})
}

// FuzzObserve drives a course with an arbitrary session: each line is a
// client line ("C verb text"), a reply ("S code verb") or a connection
// event, in any order; nothing panics and the message kept stays bounded.
func FuzzObserve(f *testing.F) {
	f.Add("C EHLO EHLO x\nS 250 EHLO\nC DATA DATA\nS 354 DATA\nC DATA ..x\nC . .\nS 250 .\nX\nC AUTH AUTH PLAIN x\nS 334 AUTH\nC AUTH y\nS 235 AUTH")
	tr, err := Load(DefaultLanguage)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, script string) {
		c := NewCourse(tr, Progress{})
		gen := 1
		for i, line := range strings.Split(script, "\n") {
			f := strings.SplitN(line, " ", 3)
			e := session.Event{Gen: gen}
			switch {
			case f[0] == "C" && len(f) == 3:
				verb := f[1]
				if verb == "." {
					verb = protocol.EndOfDataVerb
				}
				e.Kind, e.Command, e.Text, e.Auto = session.KindClient, verb, f[2], i%3 == 0
			case f[0] == "S" && len(f) == 3:
				r, err := protocol.ParseReply(f[1] + " " + f[2] + "\r\n")
				if err != nil {
					continue
				}
				e.Kind, e.Reply, e.Command = session.KindReply, &r, f[2]
			case f[0] == "T":
				e.Kind, e.TLSInfo = session.KindTLS, &session.TLSInfo{Verified: true}
			case f[0] == "X":
				e.Kind = session.KindClosed
				gen++
			default:
				continue
			}
			c.Observe(e)
			if len(c.observer.message) > maxMessageLines || len(c.observer.waiting) > len(script) {
				t.Fatalf("observer state grew: %d message lines, %d waiting", len(c.observer.message), len(c.observer.waiting))
			}
			c.Next()
		}
	})
}
