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

// TestParsePastedOddCodes covers codes written in unusual places: followed
// by a colon or a bracket, in Markdown bold, after an enhanced code, with
// a second digit RFC 5321 does not define, and a 503 that only follows an
// earlier failure.
func TestParsePastedOddCodes(t *testing.T) {
	tests := []struct {
		in       string
		code     int
		enhanced string
	}{
		{"552: Mailbox quota exceeded for this recipient", 552, ""},
		{"Mailer Error: [550] 5.1.1 User unknown", 550, "5.1.1"},
		{"**421** Service not available, closing channel", 421, ""},
		{"571 5.7.1 Delivery not authorized, message refused", 571, "5.7.1"},
		{"Expected status 250 got 550:  5.7.1 Relaying denied", 550, "5.7.1"},
		{"<-  250 2.1.5 Recipient OK", 250, "2.1.5"},
		{"Status: 4.2.1 451 Mailbox busy, try again", 451, "4.2.1"},
		{"Diagnostic-Code: smtp; 5.0.0 - Unknown address error 550-'No such user here' (delivery attempts: 0)", 550, ""},
		{`Expected response code 354 but got code "503", with message "503 5.5.1 Error: need RCPT command" Log data: << 450 4.2.0 Greylisted, try again`, 450, "4.2.0"},
	}
	for _, tt := range tests {
		p, err := ParsePastedInput(tt.in)
		if err != nil || p.NoReply || p.CodeInferred {
			t.Errorf("%q: %+v %v", tt.in, p, err)
			continue
		}
		if p.Reply.Code != tt.code || p.Reply.Enhanced.String() != tt.enhanced {
			t.Errorf("%q: got %d %q, want %d %q", tt.in, p.Reply.Code, p.Reply.Enhanced, tt.code, tt.enhanced)
		}
	}
	// Numbers that are not replies stay so.
	for _, in := range []string{"sent 462 bytes", "uid 571 is not allowed", "Version 5.2.1 released"} {
		if p, err := ParsePastedInput(in); err == nil && !p.NoReply && !p.CodeInferred {
			t.Errorf("%q read as reply %d", in, p.Reply.Code)
		}
	}
}

// TestTransportFailureAfterReply: a transcript whose last reply succeeded
// and whose connection then failed is a failure without a reply.
func TestTransportFailureAfterReply(t *testing.T) {
	for _, in := range []string{
		"<- 220 mx.example.org ESMTP\n-> EHLO client\n<- 250 OK\n-> STARTTLS\n<- 220 2.0.0 Ready to start TLS\nSSL: Connection reset by peer",
		"SERVER -> CLIENT: 354 End data with <CR><LF>.<CR><LF>\nSERVER -> CLIENT:\nSMTP ERROR: DATA END command failed",
	} {
		p, err := ParsePastedInput(in)
		if err != nil || !p.NoReply {
			t.Errorf("%.40q: %+v %v, want no reply", in, p.Reply, err)
			continue
		}
		if e := ExplainPasted(p, ExplainContext{}); e.Reason != ReasonNetwork {
			t.Errorf("%.40q: reason %s, want network", in, e.Reason)
		}
	}
}
