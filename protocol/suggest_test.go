package protocol

import (
	"slices"
	"strings"
	"testing"
)

// snapAfter builds a snapshot by running a greeting, an EHLO with the given
// capability lines, and then the given command/reply pairs.
func snapAfter(t *testing.T, capLines []string, pairs ...string) Snapshot {
	t.Helper()
	m := NewMachine()
	m.Connected()
	m.Received(replyOf(t, "220 mx.example.com ESMTP"))
	m.Sent(ParseCommand("EHLO client.example"))
	lines := append([]string{"mx.example.com"}, capLines...)
	var sb strings.Builder
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		sb.WriteString("250" + sep + l + "\n")
	}
	m.Received(replyOf(t, sb.String()))
	for i := 0; i+1 < len(pairs); i += 2 {
		m.Sent(ParseCommand(pairs[i]))
		m.Received(replyOf(t, pairs[i+1]))
	}
	return m.Snapshot()
}

func templates(ss []Suggestion) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Template
	}
	return out
}

func TestSuggestByState(t *testing.T) {
	full := []string{"PIPELINING", "SIZE 1000", "STARTTLS", "AUTH PLAIN LOGIN", "CHUNKING", "EXPN", "ETRN"}
	tests := []struct {
		name  string
		snap  Snapshot
		first string
		has   []string
		not   []string
	}{
		{name: "greeted", snap: Snapshot{State: StateGreeted}, first: "EHLO " + HeloPlaceholder,
			has: []string{"HELO " + HeloPlaceholder, "QUIT"}, not: []string{"MAIL FROM:<>"}},
		{name: "ready, STARTTLS offered", snap: snapAfter(t, full), first: "STARTTLS",
			has: []string{"AUTH PLAIN", "AUTH LOGIN", "MAIL FROM:<>", "VRFY ", "EXPN ", "ETRN ", "NOOP", "RSET", "QUIT"}, not: []string{"RCPT TO:<>", "DATA"}},
		{name: "ready, no extensions", snap: snapAfter(t, nil), first: "MAIL FROM:<>",
			has: []string{"VRFY "}, not: []string{"STARTTLS", "AUTH PLAIN", "EXPN ", "ETRN "}},
		{name: "authenticated", snap: snapAfter(t, []string{"AUTH PLAIN"}, "AUTH PLAIN AGRlbW8AeA==", "235 2.7.0 ok"), first: "MAIL FROM:<>",
			not: []string{"AUTH PLAIN"}},
		{name: "mail", snap: snapAfter(t, full, "MAIL FROM:<a@b>", "250 ok"), first: "RCPT TO:<>",
			has: []string{"RSET"}, not: []string{"MAIL FROM:<>", "DATA"}},
		{name: "rcpt with chunking", snap: snapAfter(t, full, "MAIL FROM:<a@b>", "250 ok", "RCPT TO:<c@d>", "250 ok"), first: "DATA",
			has: []string{"BDAT ", "RCPT TO:<>", "RSET"}},
		{name: "rcpt without chunking", snap: snapAfter(t, nil, "MAIL FROM:<a@b>", "250 ok", "RCPT TO:<c@d>", "250 ok"), first: "DATA",
			not: []string{"BDAT "}},
		{name: "binarymime", snap: snapAfter(t, append(full, "BINARYMIME"), "MAIL FROM:<a@b> BODY=BINARYMIME", "250 ok", "RCPT TO:<c@d>", "250 ok"),
			first: "BDAT ", not: []string{"DATA"}},
		{name: "data", snap: snapAfter(t, nil, "MAIL FROM:<a@b>", "250 ok", "RCPT TO:<c@d>", "250 ok", "DATA", "354 go"), first: "."},
		{name: "auth exchange", snap: snapAfter(t, full, "AUTH LOGIN", "334 VXNlcm5hbWU6"), first: "*"},
		{name: "refused", snap: Snapshot{State: StateGreeted, Refused: true}, first: "QUIT", not: []string{"EHLO " + HeloPlaceholder}},
	}
	for _, tt := range tests {
		got := templates(Suggest(tt.snap))
		if len(got) == 0 || got[0] != tt.first {
			t.Errorf("%s: Suggest = %q, want %q first", tt.name, got, tt.first)
			continue
		}
		for _, h := range tt.has {
			if !slices.Contains(got, h) {
				t.Errorf("%s: Suggest = %q, want it to include %q", tt.name, got, h)
			}
		}
		for _, n := range tt.not {
			if slices.Contains(got, n) {
				t.Errorf("%s: Suggest = %q, want no %q", tt.name, got, n)
			}
		}
	}
	if got := Suggest(Snapshot{State: StateDisconnected}); len(got) != 0 {
		t.Errorf("Suggest(disconnected) = %q, want nothing", templates(got))
	}
}

func TestSuggestCursorInsideBrackets(t *testing.T) {
	for _, s := range Suggest(snapAfter(t, nil)) {
		if s.Verb == VerbMAIL {
			if s.Template[:s.Cursor] != "MAIL FROM:<" {
				t.Errorf("MAIL cursor at %d leaves %q before it, want \"MAIL FROM:<\"", s.Cursor, s.Template[:s.Cursor])
			}
			return
		}
	}
	t.Error("no MAIL suggestion when ready")
}

func TestSuggestionsAreWellFormedCommands(t *testing.T) {
	snap := snapAfter(t, []string{"STARTTLS", "AUTH PLAIN LOGIN CRAM-MD5"})
	for _, s := range Suggest(snap) {
		line := strings.Replace(s.Template, "<>", "<a@b.example>", 1)
		if strings.HasSuffix(line, " ") {
			continue // a template that waits for an argument
		}
		if c := ParseCommand(line); len(c.Problems) != 0 || c.Verb != s.Verb {
			t.Errorf("suggestion %q parses as %q with problems %v", line, c.Verb, c.Problems)
		}
		if s.Help == "" {
			t.Errorf("suggestion %q has no help", s.Template)
		}
	}
}

func TestSuggestParams(t *testing.T) {
	snap := snapAfter(t, []string{"SIZE 1000", "8BITMIME", "SMTPUTF8", "DSN", "REQUIRETLS"})
	mail := templates(SuggestParams(snap, "mail"))
	for _, want := range []string{" SIZE=", " BODY=8BITMIME", " SMTPUTF8", " RET=HDRS", " ENVID="} {
		if !slices.Contains(mail, want) {
			t.Errorf("SuggestParams(MAIL) = %q, want %q", mail, want)
		}
	}
	if slices.Contains(mail, " REQUIRETLS") {
		t.Error("REQUIRETLS suggested outside TLS")
	}
	if slices.Contains(mail, " BODY=BINARYMIME") {
		t.Error("BINARYMIME suggested without the capability")
	}
	rcpt := templates(SuggestParams(snap, VerbRCPT))
	if !slices.Contains(rcpt, " NOTIFY=SUCCESS,FAILURE") || slices.Contains(rcpt, " SIZE=") {
		t.Errorf("SuggestParams(RCPT) = %q, want NOTIFY and no SIZE", rcpt)
	}
	if got := SuggestParams(snapAfter(t, nil), VerbMAIL); len(got) != 0 {
		t.Errorf("SuggestParams with nothing advertised = %q, want none", templates(got))
	}
	for _, s := range SuggestParams(snap, VerbMAIL) {
		line := "MAIL FROM:<a@b.example>" + s.Template
		if strings.HasSuffix(s.Template, "=") {
			line += "1"
		}
		c := ParseCommand(line)
		if _, ok := c.Param(s.Verb); !ok {
			t.Errorf("completing %q does not give parameter %s", line, s.Verb)
		}
	}
}

func TestCheckPredictions(t *testing.T) {
	caps := []string{"PIPELINING", "SIZE 1000", "STARTTLS", "AUTH PLAIN LOGIN", "ENHANCEDSTATUSCODES"}
	ready := snapAfter(t, caps)
	plain := snapAfter(t, []string{"SIZE 1000"})
	mail := snapAfter(t, caps, "MAIL FROM:<a@b>", "250 ok")
	rcpt := snapAfter(t, caps, "MAIL FROM:<a@b>", "250 ok", "RCPT TO:<c@d>", "250 ok")
	authed := snapAfter(t, caps, "AUTH PLAIN AGRlbW8AeA==", "235 2.7.0 ok")
	helo := func() Snapshot {
		m := NewMachine()
		m.Connected()
		m.Received(replyOf(t, "220 mx"))
		m.Sent(ParseCommand("HELO c"))
		m.Received(replyOf(t, "250 mx"))
		return m.Snapshot()
	}()
	chunked := snapAfter(t, append(caps, "CHUNKING"), "MAIL FROM:<a@b>", "250 ok", "RCPT TO:<c@d>", "250 ok", "BDAT 10", "250 ok")
	binary := snapAfter(t, append(caps, "CHUNKING", "BINARYMIME"), "MAIL FROM:<a@b> BODY=BINARYMIME", "250 ok", "RCPT TO:<c@d>", "250 ok")
	greeted := Snapshot{State: StateGreeted}
	inTLS := ready
	inTLS.TLS = true

	tests := []struct {
		name string
		snap Snapshot
		line string
		code int
		enh  string
		why  string
	}{
		{"RCPT before MAIL", ready, "RCPT TO:<c@d>", 503, "5.5.1", "after MAIL"},
		{"DATA before MAIL", ready, "DATA", 503, "5.5.1", "MAIL FROM"},
		{"DATA before RCPT", mail, "DATA", 503, "5.5.1", "no recipient"},
		{"MAIL before EHLO", greeted, "MAIL FROM:<a@b>", 503, "5.5.1", "EHLO"},
		{"nested MAIL", mail, "MAIL FROM:<a@b>", 503, "5.5.1", "already open"},
		{"AUTH twice", authed, "AUTH PLAIN", 503, "5.5.1", "one successful AUTH"},
		{"AUTH in transaction", rcpt, "AUTH PLAIN", 503, "5.5.1", "before MAIL"},
		{"AUTH not advertised", plain, "AUTH PLAIN", 503, "5.5.1", "did not list AUTH"},
		{"AUTH mechanism not advertised", ready, "AUTH CRAM-MD5", 504, "5.5.4", "offers PLAIN, LOGIN"},
		{"STARTTLS not advertised", plain, "STARTTLS", 503, "5.5.1", "did not list STARTTLS"},
		{"STARTTLS inside TLS", inTLS, "STARTTLS", 503, "5.5.1", "already encrypted"},
		{"BDAT without CHUNKING", rcpt, "BDAT 10 LAST", 502, "5.5.1", "CHUNKING"},
		{"DATA after BDAT", chunked, "DATA", 503, "5.5.1", "BDAT"},
		{"RCPT after BDAT", chunked, "RCPT TO:<e@f>", 503, "5.5.1", "before them"},
		{"DATA with BINARYMIME", binary, "DATA", 503, "5.5.1", "BINARYMIME"},
		{"SMTPUTF8 not advertised", ready, "MAIL FROM:<用户@例子.广告> SMTPUTF8", 555, "5.5.4", "SMTPUTF8"},
		{"SIZE over limit", ready, "MAIL FROM:<a@b> SIZE=2000", 552, "5.3.4", "over the 1000 octets"},
		{"DSN not advertised", ready, "RCPT TO:<c@d> NOTIFY=NEVER", 503, "5.5.1", "after MAIL"},
		{"NOTIFY not advertised", mail, "RCPT TO:<c@d> NOTIFY=NEVER", 555, "5.5.4", "DSN"},
		{"params after HELO", helo, "MAIL FROM:<a@b> SIZE=10", 555, "5.5.4", "HELO"},
		{"REQUIRETLS outside TLS", snapAfter(t, []string{"REQUIRETLS"}), "MAIL FROM:<a@b> REQUIRETLS", 530, "5.7.0", "STARTTLS"},
		{"unknown verb", ready, "XYZZY", 500, "5.5.2", "does not know"},
		{"syntax: space after colon", ready, "MAIL FROM: <a@b>", 501, "5.5.4", "space after"},
		{"syntax: RSET with argument", ready, "RSET now", 501, "5.5.4", "no arguments"},
		{"syntax: non-ASCII sender", ready, "MAIL FROM:<josé@b>", 553, "5.6.7", "SMTPUTF8"},
		{"syntax: bad sender", ready, "MAIL FROM:<a b@c>", 553, "5.1.7", "space"},
		{"syntax: bad recipient", mail, "RCPT TO:<>", 553, "5.1.3", "empty path"},
		{"obsolete verb", ready, "TURN", 502, "5.5.1", "dropped"},
		{"BDAT size before sequence", snapAfter(t, append(caps, "CHUNKING")), "BDAT ten", 501, "5.5.4", "not a number"},
		{"BDAT not offered before its syntax", ready, "BDAT ten", 502, "5.5.1", "CHUNKING"},
		{"syntax before an unoffered mechanism", ready, "AUTH PL@IN", 501, "5.5.4", "not a SASL mechanism"},
		{"before the greeting", Snapshot{State: StateGreeting}, "EHLO c", 554, "", "greeting"},
		{"refused greeting", Snapshot{State: StateGreeted, Refused: true}, "EHLO c", 503, "5.5.1", "554"},
	}
	for _, tt := range tests {
		p := Check(tt.snap, ParseCommand(tt.line))
		if p == nil {
			t.Errorf("%s: Check(%q) = nil, want %d %s", tt.name, tt.line, tt.code, tt.enh)
			continue
		}
		if p.Code != tt.code || p.Enhanced != tt.enh || !strings.Contains(p.Why, tt.why) {
			t.Errorf("%s: Check(%q) = %d %s (%s), want %d %s with %q", tt.name, tt.line, p.Code, p.Enhanced, p.Why, tt.code, tt.enh, tt.why)
		}
		if p.Text == "" {
			t.Errorf("%s: prediction has no reply text", tt.name)
		}
	}
}

func TestCheckInSequence(t *testing.T) {
	caps := []string{"SIZE 1000", "STARTTLS", "AUTH PLAIN", "8BITMIME", "SMTPUTF8", "CHUNKING", "DSN"}
	ready := snapAfter(t, caps)
	mail := snapAfter(t, caps, "MAIL FROM:<a@b>", "250 ok")
	rcpt := snapAfter(t, caps, "MAIL FROM:<a@b>", "250 ok", "RCPT TO:<c@d>", "250 ok")
	tests := []struct {
		snap Snapshot
		line string
	}{
		{Snapshot{State: StateGreeted}, "EHLO client.example"},
		{Snapshot{State: StateGreeted, Refused: true}, "QUIT"},
		{ready, "STARTTLS"},
		{ready, "AUTH PLAIN"},
		{ready, "auth plain"},
		{ready, "MAIL FROM:<a@b> SIZE=999 BODY=8BITMIME"},
		{ready, "MAIL FROM:<用户@例子.广告> SMTPUTF8"},
		{ready, "NOOP"},
		{ready, "RSET"},
		{ready, "EHLO again.example"},
		{mail, "RCPT TO:<c@d> NOTIFY=SUCCESS,FAILURE"},
		{rcpt, "RCPT TO:<e@f>"},
		{rcpt, "DATA"},
		{rcpt, "BDAT 10"},
		{rcpt, "QUIT"},
		{rcpt, "QUIT now"}, // RFC 5321 4.3.2: QUIT gets 221, whatever follows
		{ready, "  NOOP"},  // servers skip the white space
		// Lines that are not commands are never judged.
		{snapAfter(t, caps, "AUTH PLAIN", "334 "), "AGRlbW8AeA=="},
		{snapAfter(t, caps, "MAIL FROM:<a@b>", "250 ok", "RCPT TO:<c@d>", "250 ok", "DATA", "354 go"), "RCPT TO:<x@y>"},
	}
	for _, tt := range tests {
		if p := Check(tt.snap, ParseCommand(tt.line)); p != nil {
			t.Errorf("Check(%v, %q) = %v (%s), want nil", tt.snap.State, tt.line, p, p.Why)
		}
	}
}

func TestPredictionString(t *testing.T) {
	p := Prediction{Code: 503, Enhanced: "5.5.1", Text: "need MAIL command"}
	if got := p.String(); got != "503 5.5.1 need MAIL command" {
		t.Errorf("String() = %q", got)
	}
}

func TestExpectedReplies(t *testing.T) {
	tests := []struct {
		verb         string
		success      []int
		intermediate []int
		errs         []int
	}{
		{"", []int{220}, nil, []int{554, 421}},
		{"EHLO", []int{250}, nil, []int{502, 500, 501, 421}},
		{"mail", []int{250}, nil, []int{552, 451, 452, 550, 553, 503, 455, 555}},
		{"RCPT", []int{250, 251}, nil, []int{550, 551, 552, 553, 450, 451, 452, 503}},
		{"DATA", nil, []int{354}, []int{503, 554}},
		{EndOfDataVerb, []int{250}, nil, []int{552, 554, 451, 452}},
		{"AUTH", []int{235}, []int{334}, []int{535, 534, 504, 454, 432, 538}},
		{"STARTTLS", []int{220}, nil, []int{454, 501}},
		{"VRFY", []int{250, 251, 252}, nil, []int{550, 551, 553, 502, 504}},
		{"HELP", []int{211, 214}, nil, []int{502, 504}},
		{"QUIT", []int{221}, nil, []int{500, 501, 421}},
		{"BDAT", []int{250}, nil, []int{503, 552}},
		{"XYZZY", nil, nil, []int{500, 502}},
	}
	for _, tt := range tests {
		rs := ExpectedReplies(tt.verb)
		if !slices.Equal(rs.Success, tt.success) && !(len(rs.Success) == 0 && len(tt.success) == 0) {
			t.Errorf("ExpectedReplies(%q).Success = %v, want %v", tt.verb, rs.Success, tt.success)
		}
		if !slices.Equal(rs.Intermediate, tt.intermediate) && !(len(rs.Intermediate) == 0 && len(tt.intermediate) == 0) {
			t.Errorf("ExpectedReplies(%q).Intermediate = %v, want %v", tt.verb, rs.Intermediate, tt.intermediate)
		}
		for _, e := range tt.errs {
			if !slices.Contains(rs.Errors, e) {
				t.Errorf("ExpectedReplies(%q).Errors = %v, missing %d", tt.verb, rs.Errors, e)
			}
		}
		if rs.Ref == "" {
			t.Errorf("ExpectedReplies(%q) has no reference", tt.verb)
		}
	}
	if ExpectedReplies("RSET").Contains(354) || !ExpectedReplies("DATA").Contains(354) {
		t.Error("Contains disagrees with the table")
	}
	// The result is a copy: changing it does not change the table.
	rs := ExpectedReplies("MAIL")
	rs.Success[0] = 999
	if ExpectedReplies("MAIL").Success[0] != 250 {
		t.Error("ExpectedReplies returned the table's own slice")
	}
}

func TestPipelinable(t *testing.T) {
	for _, v := range []string{"RSET", "MAIL", "rcpt", "BDAT"} {
		if !Pipelinable(v) {
			t.Errorf("Pipelinable(%q) = false, want true (RFC 2920 3.1)", v)
		}
	}
	for _, v := range []string{"EHLO", "DATA", "VRFY", "EXPN", "QUIT", "NOOP", "STARTTLS", "AUTH", "XYZZY"} {
		if Pipelinable(v) {
			t.Errorf("Pipelinable(%q) = true, want false: it must end a group", v)
		}
	}
}
