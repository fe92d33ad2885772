package export

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/sandbox"
)

// TestExportsAcrossMechanismsAndTLS exports sessions that differ in TLS
// mode, mechanism, what the transcript shows and how the message went,
// and runs every export against the sandbox.
func TestExportsAcrossMechanismsAndTLS(t *testing.T) {
	tb := newTestbed(t)
	plainMessage := "From: demo@sandbox.test\r\nTo: demo@sandbox.test\r\nSubject: matrix\r\n\r\nbody line\r\n"
	cases := []struct {
		name string
		o    liveOptions
		env  []string
	}{
		// The username is hidden in the transcript: the code reads it.
		{"implicit-login-hidden-user", liveOptions{implicit: true, mechanism: mechLogin}, []string{"SMTP_USER=" + sandbox.DemoUsername}},
		{"starttls-cram-md5", liveOptions{mechanism: mechCRAMMD5, showUsername: true}, nil},
		// Tools without SCRAM choose another mechanism the server offers.
		{"starttls-scram-fallback", liveOptions{mechanism: "SCRAM-SHA-256", showUsername: true}, nil},
		{"starttls-xoauth2", liveOptions{mechanism: mechXOAuth2, showUsername: true}, nil},
		// BDAT: the transcript keeps no content; a test message goes.
		{"chunked-message", liveOptions{mechanism: mechPlain, showUsername: true, chunked: true}, nil},
	}
	for _, c := range cases {
		c.o.from, c.o.to = sandbox.DemoAddress, []string{"demo@sandbox.test"}
		if c.o.message == "" {
			c.o.message = plainMessage
		}
		lines := tb.liveSession(t, c.o)
		s := FromLines(lines)
		for _, f := range Formats() {
			t.Run(c.name+"/"+string(f), func(t *testing.T) {
				r, err := Generate(f, s, Options{})
				if f == Swaks && s.Auth.Token() {
					if err == nil || !strings.Contains(err.Error(), "XOAUTH2") {
						t.Fatalf("swaks with XOAUTH2: err = %v, want a refusal naming the mechanism", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				before := len(tb.srv.Messages())
				tb.runExport(t, r, append(c.env, "SMTP_PASSWORD="+sandbox.DemoPassword, "SMTP_TOKEN="+sandbox.DemoToken)...)
				if len(tb.srv.Messages()) != before+1 {
					t.Fatal("the sandbox got no message")
				}
				m := tb.lastMessage(t)
				if m.User != sandbox.DemoUsername || !m.TLS || m.From != sandbox.DemoAddress {
					t.Errorf("user %q TLS %v from %q", m.User, m.TLS, m.From)
				}
				want := plainMessage
				if c.o.chunked {
					want = string(testMessage(s))
					if s.MessageMissing == "" || !strings.Contains(strings.Join(r.Notes, "\n"), "test message") {
						t.Errorf("no note says the content is unknown: %q", r.Notes)
					}
				}
				sameMessage(t, m.Data, want)
			})
		}
	}
}
