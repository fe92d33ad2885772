package doctor

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/internal/nettest"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// hostileServer runs script on each connection to a loopback listener
// that the test closes; script gets the connection and its reader.
func hostileServer(t *testing.T, script func(c net.Conn, r *bufio.Reader)) string {
	t.Helper()
	return nettest.Serve(t, func(c net.Conn) {
		c.SetDeadline(time.Now().Add(answerTimeout))
		script(c, bufio.NewReader(c))
	})
}

// answerEHLO greets, then answers EHLO with n lines of format (given the
// line's number) and last, and waits for the client to go.
func answerEHLO(n int, format, last string) func(c net.Conn, r *bufio.Reader) {
	return func(c net.Conn, r *bufio.Reader) {
		fmt.Fprint(c, "220 h.test ESMTP\r\n")
		if _, err := r.ReadString('\n'); err != nil {
			return
		}
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, format+"\r\n", i)
		}
		b.WriteString(last + "\r\n")
		c.Write([]byte(b.String()))
		r.ReadString('\n')
	}
}

// hostileOptions point a diagnosis at a scripted server on addr.
func hostileOptions(addr string) Options {
	return Options{
		Address: addr,
		Session: session.Config{Timeouts: session.Timeouts{Connect: answerTimeout, Banner: answerTimeout, Command: answerTimeout}},
		Now:     func() time.Time { return fixedNow },
	}
}

// A reply that fails a stage for another reason than its code (a 250 that
// never ends, a 334 nobody asked for) is no verdict of "accepted, nothing
// to fix": the error decides, and the server's words stay bounded.
func TestVerdictOfABrokenPositiveReplyIsTheError(t *testing.T) {
	t.Parallel()
	addr := hostileServer(t, answerEHLO(1200, "250-X-KEYWORD-%d "+strings.Repeat("p", 60), "250 SIZE 1"))
	rep := run(t, hostileOptions(addr))
	v := rep.Verdict
	if v.OK || v.Stage != StageEHLO {
		t.Fatalf("verdict %+v\n%s", v, dump(rep))
	}
	if v.Reason == protocol.ReasonAccepted || v.Reason == protocol.ReasonContinue {
		t.Errorf("a failed stage has the verdict %q:\n%s", v.Reason, dump(rep))
	}
	for _, fix := range v.Fix {
		if strings.Contains(fix, "Nothing to fix") {
			t.Errorf("fix %q for a failed stage", fix)
		}
	}
	if !strings.Contains(v.Error+v.Title, "more than 1000 lines") {
		t.Errorf("the verdict does not say why: title %q, error %q", v.Title, v.Error)
	}
	assertBoundedReport(t, rep)
}

// A refusal of 900 long lines is quoted in summaries and errors only as
// an excerpt: one line of a report stays readable.
func TestHugeRefusalIsQuotedAsAnExcerpt(t *testing.T) {
	t.Parallel()
	addr := hostileServer(t, answerEHLO(900, "550-5.7.1 line %d "+strings.Repeat("x", 240), "550 5.7.1 end"))
	rep := run(t, hostileOptions(addr))
	if rep.Verdict.OK || rep.Verdict.Stage != StageEHLO {
		t.Fatalf("verdict %+v\n%s", rep.Verdict, dump(rep))
	}
	if !strings.Contains(rep.Verdict.Title+rep.Verdict.Error+strings.Join(rep.Verdict.Fix, " ")+rep.Stages[len(rep.Stages)-1].Summary, "more octets)") {
		t.Errorf("no excerpt mark in the report:\n%s", dump(rep))
	}
	if r := rep.Stages[len(rep.Stages)-1].Reply; r == nil || r.LinesOmitted != 901-maxReportLines {
		t.Errorf("the stage's reply does not count the lines it left out: %+v", r)
	}
	assertBoundedReport(t, rep)
}

// assertBoundedReport fails when a one-line field of the report quotes
// more than an excerpt of the server's words.
func assertBoundedReport(t *testing.T, rep *Report) {
	t.Helper()
	const limit = 2*protocol.MaxExcerptOctets + 200 // a summary may hold a phrase and an excerpt
	check := func(what, s string) {
		if len(s) > limit {
			t.Errorf("%s is %d octets: %.120q…", what, len(s), s)
		}
	}
	for _, s := range rep.Stages {
		check(string(s.Stage)+" summary", s.Summary)
		check(string(s.Stage)+" error", s.Error)
		for _, d := range s.Details {
			check(string(s.Stage)+" detail", d)
		}
		if s.Reply != nil {
			check(string(s.Stage)+" reply text", s.Reply.Text)
			if len(s.Reply.Lines) > maxReportLines {
				t.Errorf("%s reply keeps %d lines", s.Stage, len(s.Reply.Lines))
			}
		}
	}
	if v := rep.Verdict.Reply; v != nil && len(v.Lines) > maxReportLines {
		t.Errorf("the verdict's reply keeps %d lines", len(v.Lines))
	}
	v := rep.Verdict
	check("verdict title", v.Title)
	check("verdict error", v.Error)
	check("verdict explanation", v.Explanation)
	for _, f := range v.Fix {
		check("verdict fix", f)
	}
}
