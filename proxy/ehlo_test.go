package proxy

import (
	"bufio"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
)

func TestRewriteEHLO(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		offer bool
		want  string // "" means unchanged
	}{
		{"add to a one-line reply", "250 mx.test\r\n", true, "250-mx.test\r\n250 STARTTLS\r\n"},
		{"add after the greeting line", "250-mx.test hi\r\n250-PIPELINING\r\n250 SIZE 10\r\n", true, "250-mx.test hi\r\n250-STARTTLS\r\n250-PIPELINING\r\n250 SIZE 10\r\n"},
		{"add keeps LF endings", "250-mx.test\n250 8BITMIME\n", true, "250-mx.test\n250-STARTTLS\n250 8BITMIME\n"},
		{"add to a bare code", "250\r\n", true, "250-\r\n250 STARTTLS\r\n"},
		{"already offered", "250-mx.test\r\n250 STARTTLS\r\n", true, ""},
		{"offered in lower case", "250-mx.test\r\n250 starttls\r\n", true, ""},
		{"remove from the middle", "250-mx.test\r\n250-STARTTLS\r\n250 SIZE 10\r\n", false, "250-mx.test\r\n250 SIZE 10\r\n"},
		{"remove the last line", "250-mx.test\r\n250-SIZE 10\r\n250 STARTTLS\r\n", false, "250-mx.test\r\n250 SIZE 10\r\n"},
		{"remove the only keyword", "250-mx.test\r\n250 STARTTLS\r\n", false, "250 mx.test\r\n"},
		{"nothing to remove", "250-mx.test\r\n250 SIZE 10\r\n", false, ""},
		{"a greeting named STARTTLS is not a keyword", "250 STARTTLS\r\n", false, ""},
	} {
		got, note := rewriteEHLO([]byte(tc.in), tc.offer)
		want := tc.want
		if want == "" {
			want = tc.in
			if note != "" {
				t.Errorf("%s: changed (%s) when nothing had to", tc.name, note)
			}
		} else if note == "" {
			t.Errorf("%s: no note for a change", tc.name)
		}
		if string(got) != want {
			t.Errorf("%s: got %q, want %q", tc.name, got, want)
		}
	}
}

// FuzzRewriteEHLO checks that any EHLO reply the server may send stays a
// well-formed reply with the right STARTTLS offer, the other lines intact.
func FuzzRewriteEHLO(f *testing.F) {
	f.Add("250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n", true)
	f.Add("250 mx.test\n", false)
	f.Add("250-a\r\n250-STARTTLS\r\n250-STARTTLS\r\n250 b\r\n", false)
	f.Fuzz(func(t *testing.T, in string, offer bool) {
		r, err := protocol.ParseReply(in)
		if err != nil || r.Code != codeOK || len(r.Diagnostics) > 0 || !strings.HasSuffix(in, "\n") {
			return // not a well-formed EHLO reply: relayed as it is
		}
		out, _ := rewriteEHLO([]byte(in), offer)
		got, err := protocol.ParseReply(string(out))
		if err != nil {
			t.Fatalf("rewriting %q gave %q, which does not parse: %v", in, out, err)
		}
		if has := protocol.ParseEHLO(got).Has(keywordSTARTTLS); has != offer && (offer || strings.Count(strings.ToUpper(in), "STARTTLS") < 2) {
			t.Fatalf("rewriting %q (offer %v) gave %q", in, offer, out)
		}
	})
}

func TestReadLineKeepsTheTerminatorOfACutLine(t *testing.T) {
	for _, tc := range []struct {
		in       string
		keep     int
		line     string
		cut      int
		readSize int
	}{
		{"short\r\n", 100, "short\r\n", 0, 16},
		{"0123456789\r\n", 4, "0123\r\n", 6, 16},
		{"0123456789\n", 4, "0123\n", 6, 16},
		{strings.Repeat("x", 40) + "\r\nnext\r\n", 10, strings.Repeat("x", 10) + "\r\n", 30, 16},
		{strings.Repeat("x", 31) + "\r\n", 31, strings.Repeat("x", 31) + "\r\n", 0, 16},
		{strings.Repeat("x", 32) + "\r\n", 31, strings.Repeat("x", 31) + "\r\n", 1, 16},
	} {
		br := bufio.NewReaderSize(strings.NewReader(tc.in), tc.readSize)
		line, cut, err := readLine(br, tc.keep)
		if err != nil || string(line) != tc.line || cut != tc.cut {
			t.Errorf("readLine(%q, keep %d) = %q, %d, %v; want %q, %d", tc.in, tc.keep, line, cut, err, tc.line, tc.cut)
		}
	}
}
