package sandbox

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// The composer warns before a command with the reply protocol.Check
// predicts. These tests play every mistake Check predicts, in every state
// a learner reaches, against the sandbox, and compare the prediction with
// the reply: the basic code and the enhanced code. The sandbox is built
// on the same grammar and checks a command's faults in the same order, so
// any difference is a bug on one side. Where Postfix answers otherwise is
// in docs/tui.md.

// agreeSetups are the states a learner reaches, as the commands that reach
// them. "STARTTLS" also runs the handshake; "BDAT n" sends n octets.
var agreeSetups = []struct {
	name  string
	steps []string
}{
	{"greeted", nil},
	{"after HELO", []string{"HELO c.test"}},
	{"after EHLO", []string{"EHLO c.test"}},
	{"in MAIL", []string{"EHLO c.test", "MAIL FROM:<a@sandbox.test>"}},
	{"in RCPT", []string{"EHLO c.test", "MAIL FROM:<a@sandbox.test>", "RCPT TO:<b@sandbox.test>"}},
	{"after HELO in RCPT", []string{"HELO c.test", "MAIL FROM:<a@sandbox.test>", "RCPT TO:<b@sandbox.test>"}},
	{"in BDAT", []string{"EHLO c.test", "MAIL FROM:<a@sandbox.test>", "RCPT TO:<b@sandbox.test>", "BDAT 5"}},
	{"TLS before EHLO", []string{"EHLO c.test", "STARTTLS"}},
	{"TLS", []string{"EHLO c.test", "STARTTLS", "EHLO c.test"}},
	{"TLS authenticated", []string{"EHLO c.test", "STARTTLS", "EHLO c.test", "AUTH PLAIN " + plain(DemoUsername, DemoPassword)}},
	{"TLS authenticated in MAIL", []string{"EHLO c.test", "STARTTLS", "EHLO c.test", "AUTH PLAIN " + plain(DemoUsername, DemoPassword), "MAIL FROM:<a@sandbox.test>"}},
}

// agreeCommands are the lines tried in each state: every verb, and for
// each verb its argument mistakes (one line per branch of predict.go and
// of the grammar's problems).
var agreeCommands = []string{
	// unknown, misspelt and obsolete verbs
	"FROB", "RCTP TO:<b@sandbox.test>", "TURN", "SEND FROM:<a@sandbox.test>", "", " NOOP",
	// greeting
	"EHLO", "EHLO a b", "EHLO <a@sandbox.test>", "EHLO [192.0.2.1", "EHLO bücher.test", "HELO",
	// MAIL and its parameters
	"MAIL FROM:<a@sandbox.test>", "MAIL FROM:<>", "MAIL", "MAIL FROM: <a@sandbox.test>", "MAIL FROM:a@sandbox.test",
	"MAIL <a@sandbox.test>", "MAIL TO:<a@sandbox.test>", "MAIL FROM <a@sandbox.test>", "MAIL FROM:<a@sandbox.test",
	"MAIL FROM:<a b@sandbox.test>", "MAIL FROM:<nodomain>", "MAIL FROM:<a@sandbox.test>SIZE=1",
	"MAIL FROM:<josé@sandbox.test>", "MAIL FROM:<josé@sandbox.test> SMTPUTF8",
	"MAIL FROM:<a@sandbox.test> SIZE=100", "MAIL FROM:<a@sandbox.test> SIZE=999999999999", "MAIL FROM:<a@sandbox.test> SIZE=ten",
	"MAIL FROM:<a@sandbox.test> SIZE", "MAIL FROM:<a@sandbox.test> SIZE=1 SIZE=2",
	"MAIL FROM:<a@sandbox.test> BODY=8BITMIME", "MAIL FROM:<a@sandbox.test> BODY=7BIT", "MAIL FROM:<a@sandbox.test> BODY=BINARYMIME",
	"MAIL FROM:<a@sandbox.test> BODY=FOO", "MAIL FROM:<a@sandbox.test> SMTPUTF8", "MAIL FROM:<a@sandbox.test> SMTPUTF8=yes",
	"MAIL FROM:<a@sandbox.test> RET=FULL", "MAIL FROM:<a@sandbox.test> RET=ALL", "MAIL FROM:<a@sandbox.test> ENVID=abc",
	"MAIL FROM:<a@sandbox.test> ENVID=a=b", "MAIL FROM:<a@sandbox.test> REQUIRETLS", "MAIL FROM:<a@sandbox.test> AUTH=<>",
	"MAIL FROM:<a@sandbox.test> MT-PRIORITY=3", "MAIL FROM:<a@sandbox.test> BY=3600;R", "MAIL FROM:<a@sandbox.test> HOLDFOR=60",
	"MAIL FROM:<a@sandbox.test> FROB=1", "MAIL FROM:<a@sandbox.test> NOTIFY=SUCCESS", "MAIL FROM:<a@sandbox.test> =x",
	// RCPT and its parameters
	"RCPT TO:<b@sandbox.test>", "RCPT TO:<>", "RCPT TO:<Postmaster>", "RCPT", "RCPT FROM:<b@sandbox.test>",
	"RCPT TO:b@sandbox.test", "RCPT TO:<b@sandbox.test> NOTIFY=SUCCESS", "RCPT TO:<b@sandbox.test> NOTIFY=NEVER,DELAY",
	"RCPT TO:<b@sandbox.test> ORCPT=rfc822;b@sandbox.test", "RCPT TO:<b@sandbox.test> ORCPT=b", "RCPT TO:<b@sandbox.test> SIZE=1",
	"RCPT TO:<b@sandbox.test> FROB", "RCPT TO:<josé@sandbox.test>",
	// message content
	"DATA", "DATA now", "BDAT 5", "BDAT 0 LAST", "BDAT", "BDAT five", "BDAT 5 FIRST",
	// the rest
	"RSET", "RSET now", "NOOP", "NOOP anything", "QUIT now", "HELP", "HELP MAIL", "VRFY", "VRFY b", "EXPN", "EXPN list",
	"ETRN", "ETRN sandbox.test", "STARTTLS", "STARTTLS now",
	"AUTH", "AUTH PLAIN", "AUTH NTLM", "AUTH PL@IN", "AUTH PLAIN !!!!", "AUTH PLAIN a b",
	"MAIL FROM:<" + strings.Repeat("a", 300) + "@sandbox.test>",
}

// trackedClient is a client whose protocol.Machine follows the session
// as smtpscope's own session does.
type trackedClient struct {
	*client
	m *protocol.Machine
}

func dialTracked(t *testing.T, s *Server) *trackedClient {
	t.Helper()
	tc := &trackedClient{client: dial(t, s.Addr()), m: protocol.NewMachine()}
	tc.m.Connected()
	tc.m.Received(tc.reply())
	return tc
}

// do sends line (and a BDAT chunk's octets), reads the reply and tells
// the machine both.
func (tc *trackedClient) do(line string) protocol.Reply {
	cmd := protocol.ParseCommand(line)
	tc.m.Sent(cmd)
	tc.send(line)
	if n, ok := cmd.ChunkSize(); ok {
		tc.writeRaw(strings.Repeat("x", int(n)))
	}
	r := tc.reply()
	tc.m.Received(r)
	return r
}

// setup plays steps, each of which must succeed.
func (tc *trackedClient) setup(t *testing.T, s *Server, steps []string) {
	t.Helper()
	for _, step := range steps {
		r := tc.do(step)
		if r.Class() != protocol.ClassSuccess && r.Class() != protocol.ClassIntermediate {
			t.Fatalf("setup %q: %s", abbrev(step), r.Raw())
		}
		if step == "STARTTLS" {
			conn := tls.Client(tc.conn, &tls.Config{RootCAs: s.RootCAs(), ServerName: DefaultHostname})
			conn.SetDeadline(time.Now().Add(testGuard))
			if err := conn.Handshake(); err != nil {
				t.Fatalf("TLS handshake: %v", err)
			}
			tc.conn, tc.r = conn, bufio.NewReader(conn)
			tc.m.TLSStarted()
		}
	}
}

// disagreement is one prediction the sandbox did not bear out.
type disagreement struct {
	state, line string
	predicted   protocol.Prediction
	got         protocol.Reply
}

func (d disagreement) String() string {
	return fmt.Sprintf("%-26s %-44q predicted %d %-6s got %d %-6s %s", d.state, abbrev(d.line),
		d.predicted.Code, d.predicted.Enhanced, d.got.Code, d.got.Enhanced, abbrev(d.got.OneLine()))
}

// agrees reports whether the reply bears the prediction out: the same
// code, and the same enhanced code when both have one.
func agrees(p protocol.Prediction, r protocol.Reply) bool {
	if p.Code != r.Code {
		return false
	}
	return p.Enhanced == "" || r.Enhanced.IsZero() || p.Enhanced == r.Enhanced.String()
}

func TestPredictionsAgreeWithSandbox(t *testing.T) {
	// One connection a case, closed at once; the bound only keeps a slow
	// machine from meeting the 421 of a full server.
	s := startServer(t, Config{MaxClients: 1 << 10})
	predicted, checked := 0, 0
	var bad []disagreement
	for _, st := range agreeSetups {
		for _, line := range agreeCommands {
			// Each case on its own connection: a mistake may change the
			// state, or end the session.
			tc := dialTracked(t, s)
			tc.setup(t, s, st.steps)
			p := protocol.Check(tc.m.Snapshot(), protocol.ParseCommand(line))
			if p == nil {
				tc.conn.Close()
				continue
			}
			predicted++
			r := tc.do(line)
			tc.conn.Close()
			checked++
			if agrees(*p, r) {
				continue
			}
			bad = append(bad, disagreement{state: st.name, line: line, predicted: *p, got: r})
		}
	}
	if checked == 0 || predicted < len(agreeSetups) {
		t.Fatalf("only %d predictions checked", checked)
	}
	for _, d := range bad {
		t.Errorf("%s", d)
	}
	t.Logf("%d predictions checked against the sandbox, %d disagree", checked, len(bad))
}
