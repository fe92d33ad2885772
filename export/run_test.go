package export

import (
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/sandbox"
)

// hostileMessage has what breaks naive exports: quotes, shell syntax, a
// line that is a lone dot and one that starts with a dot, swaks's tokens
// and "\n", a here-document delimiter, a tab, UTF-8, a long line and an
// mbox "From " line.
var hostileMessage = "From: \"O'Brien, \\\"Bob\\\"\" <o'b`r$HOME!x@sandbox.test>\r\n" +
	"To: demo@sandbox.test\r\n" +
	"Subject: $(id) `uname` 'quoted' \"double\" %DATE% \\n héllo\r\n" +
	"Date: Mon, 02 Jan 2006 15:04:05 +0000\r\n" +
	"Message-ID: <export-test@sandbox.test>\r\n" +
	"X-Tab:\tvalue with a tab\r\n" +
	"\r\n" +
	"Hello — 日本語 and $PATH and `id` and $(id).\r\n" +
	".\r\n" +
	".leading dot\r\n" +
	"..two dots\r\n" +
	"swaks tokens: %DATE% %NEW_HEADERS% %BODY% \\n literal\r\n" +
	"SMTPSCOPE_MESSAGE\r\n" +
	"EOF\r\n" +
	"From the beginning, an mbox line.\r\n" +
	"\ttabbed line\r\n" +
	strings.Repeat("long ", 40) + "line\r\n" +
	"\r\n" +
	"last line\r\n"

// hostileFrom is an address whose local part is legal (RFC 5322 atext)
// and full of shell syntax.
const hostileFrom = "o'b`r$HOME!x@sandbox.test"

// TestExportsDeliverTheSessionsMessage runs a real session against the
// sandbox (STARTTLS, AUTH, a message through DATA), saves and reads back
// its transcript, exports it in every format, runs each export against
// the same sandbox and checks the message it delivers.
func TestExportsDeliverTheSessionsMessage(t *testing.T) {
	tb := newTestbed(t)
	lines := tb.liveSession(t, liveOptions{mechanism: mechPlain, showUsername: true,
		from: hostileFrom, to: []string{"demo@sandbox.test", "second@sandbox.test"}, message: hostileMessage})
	s := FromLines(lines)
	if s.Security != StartTLS || s.Auth == nil || s.Auth.Username != sandbox.DemoUsername || s.Auth.Mechanism != mechPlain {
		t.Fatalf("rebuilt session = %+v (auth %+v), want STARTTLS and AUTH PLAIN as demo", s, s.Auth)
	}
	if string(s.Message) != hostileMessage {
		t.Fatalf("rebuilt message differs:\n got %q\nwant %q", s.Message, hostileMessage)
	}
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			r, err := Export(lines, Session{}, f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(r.Code, sandbox.DemoPassword) {
				t.Fatal("the export holds the password")
			}
			before := len(tb.srv.Messages())
			tb.runExport(t, r, "SMTP_PASSWORD="+sandbox.DemoPassword)
			if len(tb.srv.Messages()) != before+1 {
				t.Fatalf("the sandbox got %d messages, want 1", len(tb.srv.Messages())-before)
			}
			m := tb.lastMessage(t)
			if m.From != hostileFrom || strings.Join(m.To, ",") != "demo@sandbox.test,second@sandbox.test" {
				t.Errorf("envelope = %q → %q", m.From, m.To)
			}
			if m.User != sandbox.DemoUsername || !m.TLS || m.Helo != "client.test" {
				t.Errorf("user %q, TLS %v, EHLO %q; want demo, inside TLS, client.test", m.User, m.TLS, m.Helo)
			}
			if f != Python && string(m.Data) != hostileMessage {
				t.Errorf("%s changed the message:\n got %q\nwant %q", f, m.Data, hostileMessage)
			}
			sameMessage(t, m.Data, hostileMessage)
		})
	}
}
