package protocol

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseCommandWellFormed(t *testing.T) {
	tests := []struct {
		line    string
		verb    string
		args    []string
		path    string
		hasPath bool
		params  []Param
	}{
		{line: "EHLO client.example.com", verb: "EHLO", args: []string{"client.example.com"}},
		{line: "ehlo client.example.com\r\n", verb: "EHLO", args: []string{"client.example.com"}},
		{line: "HELO [192.0.2.1]", verb: "HELO", args: []string{"[192.0.2.1]"}},
		{line: "MAIL FROM:<a@b.example>", verb: "MAIL", path: "a@b.example", hasPath: true},
		{line: "mail from:<a@b.example>", verb: "MAIL", path: "a@b.example", hasPath: true},
		{line: "MAIL FROM:<>", verb: "MAIL", path: "", hasPath: true},
		{line: "MAIL FROM:<a@b.example> SIZE=1000 BODY=8BITMIME", verb: "MAIL", path: "a@b.example", hasPath: true,
			params: []Param{{Name: "SIZE", Value: "1000", HasValue: true}, {Name: "BODY", Value: "8BITMIME", HasValue: true}}},
		{line: "MAIL FROM:<a@b.example> size=10 smtputf8 ret=hdrs envid=QQ314159", verb: "MAIL", path: "a@b.example", hasPath: true,
			params: []Param{{Name: "SIZE", Value: "10", HasValue: true}, {Name: "SMTPUTF8"},
				{Name: "RET", Value: "hdrs", HasValue: true}, {Name: "ENVID", Value: "QQ314159", HasValue: true}}},
		{line: "MAIL FROM:<a@b.example> REQUIRETLS AUTH=<> MT-PRIORITY=-3 BY=120;R HOLDFOR=60", verb: "MAIL", path: "a@b.example", hasPath: true,
			params: []Param{{Name: "REQUIRETLS"}, {Name: "AUTH", Value: "<>", HasValue: true},
				{Name: "MT-PRIORITY", Value: "-3", HasValue: true}, {Name: "BY", Value: "120;R", HasValue: true},
				{Name: "HOLDFOR", Value: "60", HasValue: true}}},
		{line: "MAIL FROM:<用户@例子.广告> SMTPUTF8", verb: "MAIL", path: "用户@例子.广告", hasPath: true,
			params: []Param{{Name: "SMTPUTF8"}}},
		{line: "RCPT TO:<c@d.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;c@d.example", verb: "RCPT", path: "c@d.example", hasPath: true,
			params: []Param{{Name: "NOTIFY", Value: "SUCCESS,FAILURE", HasValue: true}, {Name: "ORCPT", Value: "rfc822;c@d.example", HasValue: true}}},
		{line: "RCPT TO:<c@d.example> NOTIFY=NEVER RRVS=2014-04-03T23:01:00Z", verb: "RCPT", path: "c@d.example", hasPath: true,
			params: []Param{{Name: "NOTIFY", Value: "NEVER", HasValue: true}, {Name: "RRVS", Value: "2014-04-03T23:01:00Z", HasValue: true}}},
		{line: "RCPT TO:<Postmaster>", verb: "RCPT", path: "Postmaster", hasPath: true},
		{line: `RCPT TO:<"odd>name"@d.example>`, verb: "RCPT", path: `"odd>name"@d.example`, hasPath: true},
		{line: "DATA", verb: "DATA"},
		{line: "rset", verb: "RSET"},
		{line: "QUIT", verb: "QUIT"},
		{line: "NOOP anything goes", verb: "NOOP", args: []string{"anything", "goes"}},
		{line: "HELP", verb: "HELP"},
		{line: "VRFY postmaster", verb: "VRFY", args: []string{"postmaster"}},
		{line: "EXPN staff", verb: "EXPN", args: []string{"staff"}},
		{line: "STARTTLS", verb: "STARTTLS"},
		{line: "NOOP\tdone", verb: "NOOP", args: []string{"done"}},
		{line: "AUTH PLAIN", verb: "AUTH", args: []string{"PLAIN"}},
		{line: "AUTH PLAIN AGRlbW8AZGVtby1wYXNzd29yZA==", verb: "AUTH", args: []string{"PLAIN", "AGRlbW8AZGVtby1wYXNzd29yZA=="}},
		{line: "AUTH EXTERNAL =", verb: "AUTH", args: []string{"EXTERNAL", "="}},
		{line: "BDAT 1024", verb: "BDAT", args: []string{"1024"}},
		{line: "bdat 0 last", verb: "BDAT", args: []string{"0", "LAST"}},
		{line: "ETRN example.com", verb: "ETRN", args: []string{"example.com"}},
	}
	for _, tt := range tests {
		c := ParseCommand(tt.line)
		if len(c.Problems) != 0 {
			t.Errorf("ParseCommand(%q) problems = %v, want none", tt.line, c.Problems)
		}
		if tt.hasPath {
			// MAIL/RCPT: Args are the words after the verb, as for any command.
			tt.args = strings.Fields(strings.TrimRight(tt.line, "\r\n"))[1:]
		}
		if c.Verb != tt.verb || !reflect.DeepEqual(c.Args, tt.args) || c.Path != tt.path || c.HasPath != tt.hasPath {
			t.Errorf("ParseCommand(%q) = verb %q args %q path %q/%v, want %q %q %q/%v",
				tt.line, c.Verb, c.Args, c.Path, c.HasPath, tt.verb, tt.args, tt.path, tt.hasPath)
		}
		if !reflect.DeepEqual(c.Params, tt.params) {
			t.Errorf("ParseCommand(%q).Params = %+v, want %+v", tt.line, c.Params, tt.params)
		}
		if want := strings.TrimRight(tt.line, "\r\n"); c.Raw != want {
			t.Errorf("ParseCommand(%q).Raw = %q, want %q", tt.line, c.Raw, want)
		}
	}
}

func TestParseCommandProblems(t *testing.T) {
	tests := []struct {
		line string
		want string // a fragment of the first problem's message
		code int
	}{
		{"MAIL FROM: <a@b>", "there is a space after 'FROM:'; RFC 5321 4.1.2 allows none (many servers reject it with 501)", 501},
		{"MAIL FROM:a@b", "the address must be inside angle brackets: MAIL FROM:<a@b>", 501},
		{"MAIL FROM <a@b>", "a colon must follow FROM", 501},
		{"MAIL TO:<a@b>", "MAIL takes FROM:, not TO:", 501},
		{"RCPT FROM:<a@b>", "RCPT takes TO:, not FROM:", 501},
		{"MAIL", "MAIL needs FROM:", 501},
		{"MAIL FROM:<a@b", "missing its closing '>'", 501},
		{"MAIL FROM:<a@b>SIZE=1", "put a space between '>' and the parameters", 501},
		{"MAIL  FROM:<a@b>", "more than one space after MAIL", 501},
		{"MAIL FROM:<a@b> SIZE=big", "SIZE must be a whole number of octets", 501},
		{"MAIL FROM:<a@b> SIZE", "SIZE needs a value", 501},
		{"MAIL FROM:<a@b> BODY=9BIT", "BODY must be 7BIT, 8BITMIME or BINARYMIME", 501},
		{"MAIL FROM:<a@b> SMTPUTF8=yes", "SMTPUTF8 takes no value", 501},
		{"MAIL FROM:<a@b> RET=ALL", "RET must be FULL", 501},
		{"MAIL FROM:<a@b> ENVID=a=b", "needs a value without spaces, '='", 501},
		{"MAIL FROM:<a@b> MT-PRIORITY=12", "MT-PRIORITY must be a whole number from -9 to 9", 501},
		{"MAIL FROM:<a@b> BY=soon", "BY needs a time in seconds", 501},
		{"MAIL FROM:<a@b> NOTIFY=NEVER", "NOTIFY belongs on RCPT TO, not MAIL FROM", 555},
		{"MAIL FROM:<a@b> SIZE=1 SIZE=2", "SIZE is given twice", 501},
		{"MAIL FROM:<a@b> XYZZY", "XYZZY is not a parameter smtpscope knows", 555},
		{"MAIL FROM:<用户@例子.广告>", "add the SMTPUTF8 parameter", 553},
		{"MAIL FROM:<a b@c>", "the address contains a space", 553},
		{"MAIL FROM:<nobody>", "needs a local part and a domain", 553},
		{"RCPT TO:<>", "the empty path <> is only valid as a sender", 553},
		{"RCPT TO:<c@d> NOTIFY=NEVER,SUCCESS", "NOTIFY=NEVER cannot be combined", 501},
		{"RCPT TO:<c@d> NOTIFY=SOMETIMES", "NOTIFY takes NEVER or a comma list", 501},
		{"RCPT TO:<c@d> ORCPT=c@d", "ORCPT needs an address type", 501},
		{"RCPT TO:<c@d> SIZE=10", "SIZE belongs on MAIL FROM, not RCPT TO", 555},
		{"DATA now", "DATA takes no arguments", 501},
		{"RSET please", "RSET takes no arguments", 501},
		{"QUIT now", "QUIT takes no arguments", 501},
		{"STARTTLS 1.3", "STARTTLS takes no arguments", 501},
		{"HELO", "HELO needs your host name", 501},
		{"EHLO", "EHLO needs your host name", 501},
		{"EHLO me@example.com", "not an e-mail address", 501},
		{"EHLO a b", "takes one host name", 501},
		{"VRFY", "VRFY needs a user name", 501},
		{"ETRN", "ETRN needs a domain", 501},
		{"AUTH", "AUTH needs a mechanism", 501},
		{"AUTH PLAIN not-base64!", "the initial response is not base64", 501},
		{"AUTH PLAIN a b c", "at most one initial response", 501},
		{"BDAT", "BDAT needs the chunk size", 501},
		{"BDAT ten", "is not a number of octets", 501},
		{"BDAT 10 FINAL", "only the word LAST", 501},
		{"HELLO there", "HELLO is not an SMTP command; servers answer 500 (command unrecognized); did you mean EHLO?", 500},
		{"XYZZY", "XYZZY is not an SMTP command", 500},
		{"", "the line is empty", 500},
		{"  NOOP", "starts with white space", 0},
		{"SEND FROM:<a@b>", "dropped from SMTP by RFC 5321", 502},
		{"NOOP a\x1bb", "control characters", 500},
		{"NOOP a\rb", "contains a CR or LF", 500},
		{"NOOP " + strings.Repeat("x", 520), "over the 512 a server must accept", 500},
	}
	for _, tt := range tests {
		c := ParseCommand(tt.line)
		if len(c.Problems) == 0 {
			t.Errorf("ParseCommand(%q) has no problems, want %q", tt.line, tt.want)
			continue
		}
		p := c.Problems[0]
		if !strings.Contains(p.Message, tt.want) {
			t.Errorf("ParseCommand(%q) problem = %q, want it to contain %q", tt.line, p.Message, tt.want)
		}
		if p.Code != tt.code {
			t.Errorf("ParseCommand(%q) problem code = %d, want %d (%s)", tt.line, p.Code, tt.code, p.Message)
		}
		if p.Ref == "" {
			t.Errorf("ParseCommand(%q) problem %q has no RFC reference", tt.line, p.Message)
		}
	}
}

// A malformed MAIL is still understood, so that the debugger can send
// what the user typed and follow the state.
func TestParseCommandLenientPath(t *testing.T) {
	for _, line := range []string{"MAIL FROM: <a@b.example>", "MAIL FROM:a@b.example", "MAIL FROM <a@b.example>", "MAIL from:  <a@b.example>"} {
		c := ParseCommand(line)
		if c.Verb != VerbMAIL || c.Path != "a@b.example" || !c.HasPath {
			t.Errorf("ParseCommand(%q) = %q path %q/%v, want MAIL a@b.example", line, c.Verb, c.Path, c.HasPath)
		}
		if got := c.Canonical(); got != "MAIL FROM:<a@b.example>" {
			t.Errorf("ParseCommand(%q).Canonical() = %q, want MAIL FROM:<a@b.example>", line, got)
		}
	}
}

func TestParseCommandSMTPUTF8ClearsNonASCIIProblem(t *testing.T) {
	c := ParseCommand("MAIL FROM:<用户@例子.广告> SMTPUTF8")
	if len(c.Problems) != 0 {
		t.Errorf("problems = %v, want none once SMTPUTF8 is given", c.Problems)
	}
}

func TestAuthLineMayBeLong(t *testing.T) {
	// RFC 4954 4: AUTH lines up to 12288 octets must be accepted.
	resp := strings.Repeat("QUFB", 1000)
	if c := ParseCommand("AUTH XOAUTH2 " + resp); len(c.Problems) != 0 {
		t.Errorf("long AUTH line problems = %v, want none", c.Problems)
	}
	if c := ParseCommand("AUTH XOAUTH2 " + strings.Repeat("QUFB", 3100)); len(c.Problems) == 0 {
		t.Error("AUTH line over 12288 octets has no problem")
	}
}

func TestCommandParamLookupIsCaseInsensitive(t *testing.T) {
	c := ParseCommand("MAIL FROM:<a@b.example> size=42")
	p, ok := c.Param("Size")
	if !ok || p.Value != "42" || p.Name != "SIZE" {
		t.Errorf("Param(Size) = %+v, %v, want SIZE=42", p, ok)
	}
	if _, ok := c.Param("BODY"); ok {
		t.Error("Param(BODY) found a parameter that was not given")
	}
}

func TestCommandCanonical(t *testing.T) {
	tests := map[string]string{
		"ehlo client.example":                "EHLO client.example",
		"mail from:<a@b.example> size=10":    "MAIL FROM:<a@b.example> SIZE=10",
		"rcpt to:<c@d.example> notify=never": "RCPT TO:<c@d.example> NOTIFY=never",
		"quit":                               "QUIT",
		"bdat 10 last":                       "BDAT 10 LAST",
	}
	for in, want := range tests {
		if got := ParseCommand(in).Canonical(); got != want {
			t.Errorf("ParseCommand(%q).Canonical() = %q, want %q", in, got, want)
		}
	}
}

func TestBDATChunk(t *testing.T) {
	tests := []struct {
		line string
		size int64
		ok   bool
		last bool
	}{
		{"BDAT 1024", 1024, true, false},
		{"BDAT 0 LAST", 0, true, true},
		{"bdat 7 last", 7, true, true},
		{"BDAT x", 0, false, false},
		{"BDAT 99999999999999999999", 0, false, false},
		{"DATA", 0, false, false},
	}
	for _, tt := range tests {
		c := ParseCommand(tt.line)
		n, ok := c.ChunkSize()
		if n != tt.size || ok != tt.ok || c.LastChunk() != tt.last {
			t.Errorf("%q: ChunkSize() = %d, %v, LastChunk() = %v; want %d, %v, %v", tt.line, n, ok, c.LastChunk(), tt.size, tt.ok, tt.last)
		}
	}
}

func TestParamCapability(t *testing.T) {
	tests := []struct {
		param Param
		want  string
	}{
		{Param{Name: "SIZE", Value: "1", HasValue: true}, "SIZE"},
		{Param{Name: "BODY", Value: "8bitmime", HasValue: true}, "8BITMIME"},
		{Param{Name: "BODY", Value: "BINARYMIME", HasValue: true}, "BINARYMIME"},
		{Param{Name: "BODY", Value: "7BIT", HasValue: true}, ""},
		{Param{Name: "NOTIFY", Value: "NEVER", HasValue: true}, "DSN"},
		{Param{Name: "BY", Value: "1;R", HasValue: true}, "DELIVERBY"},
		{Param{Name: "HOLDUNTIL", Value: "x", HasValue: true}, "FUTURERELEASE"},
	}
	for _, tt := range tests {
		got, ok := ParamCapability(tt.param)
		if !ok || got != tt.want {
			t.Errorf("ParamCapability(%v) = %q, %v, want %q", tt.param, got, ok, tt.want)
		}
	}
	if _, ok := ParamCapability(Param{Name: "XYZZY"}); ok {
		t.Error("ParamCapability(XYZZY) ok, want unknown")
	}
}

func TestProblemsNeverEchoControlBytes(t *testing.T) {
	for _, line := range []string{"\x1b[31mEVIL", "MAIL FROM:<a@b> \x1b]0;x\x07=1", "BDAT \x1b[2J", "AUTH \x1b[2J"} {
		for _, p := range ParseCommand(line).Problems {
			if strings.ContainsAny(p.Message, "\x1b\x07") {
				t.Errorf("ParseCommand(%q) problem %q contains a control byte", line, p.Message)
			}
		}
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{Message: "DATA takes no arguments", Ref: "RFC 5321 4.1.1.4"}
	if got := p.String(); got != "DATA takes no arguments (RFC 5321 4.1.1.4)" {
		t.Errorf("String() = %q", got)
	}
	p = Problem{Message: "RFC 5321 4.1.2 allows none", Ref: "RFC 5321 4.1.2"}
	if got := p.String(); got != p.Message {
		t.Errorf("String() = %q repeats the reference", got)
	}
}

// Every reader of a BDAT command agrees: a size ChunkSize cannot read is
// a Problem of the command (a sandbox that found neither answered
// nothing and panicked).
func TestBDATSizeThatChunkSizeRefusesIsAProblem(t *testing.T) {
	for _, line := range []string{"BDAT 1 LAST", "BDAT 0", "BDAT 999999999999999999", "BDAT 9223372036854775807 LAST",
		"BDAT 99999999999999999999999", "BDAT -5", "BDAT 0x10", "BDAT"} {
		cmd := ParseCommand(line + "\r\n")
		_, ok := cmd.ChunkSize()
		if ok == (len(cmd.Problems) > 0) {
			t.Errorf("%q: ChunkSize ok = %v, problems %v; want a problem exactly when the size cannot be read", line, ok, cmd.Problems)
		}
	}
}
