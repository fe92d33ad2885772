package session

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// partialDeadline is long enough for bytes written on loopback to reach the
// reader on a loaded machine; the tests below only need them to arrive
// before the reply's deadline.
const partialDeadline = time.Second

// A reply that begins and never ends is not silence: whether the server
// stops after some lines, sends a line with no end (1 MB of it, or one
// octet at a time), or ends its lines with CR alone, the error says what
// arrived, and does not send the user to --tls.
func TestUnendedReplyIsNotReportedAsSilence(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		greet   string
		want    []string
		ehlo    string // when set, the greeting is fine and this answers EHLO
		wantFor string
	}{
		{name: "lines without a last one", greet: strings.Repeat("220-still greeting\r\n", 10),
			want: []string{"the greeting did not end within", "10 lines arrived and none was a last line"}},
		{name: "a megabyte without CRLF", greet: "220 " + strings.Repeat("A", 1<<20),
			want: []string{"the greeting did not end within", fmt.Sprintf("%d octets of a line arrived without a line end", 4+1<<20)}},
		{name: "CR-only line ends", greet: "220 mx.test ESMTP\r",
			want: []string{"the greeting did not end within", "bare CR"}},
		{name: "lines then a cut line", greet: "220-one\r\n220-two\r\n220 thr",
			want: []string{"2 lines arrived", "then 7 octets of a line arrived without a line end"}},
		{name: "EHLO reply never ends", greet: "220 mx.test\r\n", ehlo: "250-mx.test\r\n250-PIPELINING\r\n250-SIZE",
			want: []string{"the reply to EHLO did not end within", "2 lines arrived", "8 octets of a line"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := serve(t, 1, func(p *peer) {
				p.write(tc.greet)
				if tc.ehlo != "" {
					p.expect("EHLO")
					p.write(tc.ehlo)
				}
				p.readline() // until smtpscope gives up and closes
			})
			cfg := Config{Address: addr, Timeouts: Timeouts{Banner: partialDeadline, Command: partialDeadline}}
			_, err := Probe(context.Background(), cfg)
			if err == nil {
				t.Fatal("probe succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nwant it to say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "--tls") || strings.Contains(err.Error(), "no greeting") || strings.Contains(err.Error(), "no reply") {
				t.Errorf("error %q calls a talking server silent", err)
			}
		})
	}
}

// A refusal of 900 long lines is quoted in the error as an excerpt; the
// whole reply (as far as the reader keeps it) stays in ReplyError.
func TestHugeRefusalErrorIsAnExcerpt(t *testing.T) {
	t.Parallel()
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		var b strings.Builder
		for i := 0; i < 900; i++ {
			fmt.Fprintf(&b, "550-5.7.1 line %d %s\r\n", i, strings.Repeat("x", 240))
		}
		b.WriteString("550 5.7.1 end\r\n")
		p.write(b.String())
		p.readline()
	})
	_, err := Probe(context.Background(), Config{Address: addr, Timeouts: Timeouts{Banner: testGuard, Command: testGuard}})
	var re *ReplyError
	if !errors.As(err, &re) || re.Reply.Code != 550 {
		t.Fatalf("error %v, want a ReplyError for the 550", err)
	}
	if n := len(err.Error()); n > 2*1024 {
		t.Errorf("the error is %d octets long: %.200q…", n, err.Error())
	}
	if !strings.Contains(err.Error(), "more octets)") {
		t.Errorf("the error %.200q… does not say it was cut", err.Error())
	}
	if len(re.Reply.Lines) < 100 {
		t.Errorf("ReplyError keeps %d lines of the reply", len(re.Reply.Lines))
	}
}
