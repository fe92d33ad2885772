package protocol

import (
	"strings"
	"testing"
)

// TestParsePastedFields covers pastes whose code is cut off from its
// words. The lines are written in each library's documented format, not
// copied from the corpus.
func TestParsePastedFields(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		code     int
		enhanced string
		text     string // a fragment of the reply's text; "" for none
	}{
		{"lettre with message",
			`Error: Permanent(Response { code: Code { severity: PermanentNegativeCompletion, category: MailSystem, detail: Zero }, message: ["5.1.1 <bob@example.org>: Recipient address rejected: User unknown"] })`,
			550, "5.1.1", "User unknown"},
		{"lettre escaped message",
			`Transient(Response { code: Code { severity: TransientNegativeCompletion, category: MailSystem, detail: Two }, message: [\"4.2.2 Mailbox full\"] })`,
			452, "4.2.2", "Mailbox full"},
		{"lettre without message", "Code { severity: PermanentNegativeCompletion, category: Unspecified3, detail: Five }", 535, "", ""},
		{"json list of lines", `{"response": ["550-5.7.1 Message rejected", "550 5.7.1 See our policy page"]}`, 550, "5.7.1", "See our policy"},
		{"logfmt code after text", `level=error msg="mailbox is full" code=552`, 552, "", "mailbox is full"},
		{"phpmailer detail", "SMTP Error: data not accepted.\nSMTP server error: DATA END command failed\nDetail: 5.7.1 Message rejected as spam\nSMTP code: 550",
			550, "5.7.1", "rejected as spam"},
		{"code and response fields", "send failed (code: 451, response: 4.3.0 Temporary system failure)", 451, "4.3.0", "Temporary system failure"},
		{"with code and quoted text", "host 'mx.example.net' rejected command 'RCPT' with code 550 'No such user here'", 550, "", "No such user here"},
		// A worded reply line wins over the field.
		{"field next to a reply", `responseCode: 535, response: '535 5.7.8 Error: authentication failed'`, 535, "5.7.8", "authentication failed"},
	}
	for _, tt := range tests {
		p, err := ParsePastedInput(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if p.Reply.Code != tt.code || p.Reply.Enhanced.String() != tt.enhanced || p.CodeInferred {
			t.Errorf("%s: got %d %q (inferred %v), want %d %q", tt.name, p.Reply.Code, p.Reply.Enhanced, p.CodeInferred, tt.code, tt.enhanced)
		}
		if !strings.Contains(p.Reply.Text(), tt.text) {
			t.Errorf("%s: text %q, want it to hold %q", tt.name, p.Reply.Text(), tt.text)
		}
	}
}

func TestLabelledCodeNeedsWords(t *testing.T) {
	for _, in := range []string{"code=550", "status code: 421 (", "error code 7001"} {
		if _, ok := labelledReply(in); ok {
			t.Errorf("labelledReply(%q) found words where there are none", in)
		}
	}
}
