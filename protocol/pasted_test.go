package protocol

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePasted(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		code     int
		enhanced string
		text     string // a fragment of the decoded text
		command  string
		host     string
		note     string // a fragment of the notes
	}{
		{"bare code", "535", 535, "", "", "", "", "SMTP reply line"},
		{"code and enhanced", "535 5.7.8", 535, "5.7.8", "", "", "", ""},
		{"one line", "  550 5.1.1 User unknown\n", 550, "5.1.1", "User unknown", "", "", ""},
		{"multi-line", "534-5.7.9 Application-specific password required.\r\n534 5.7.9 Learn more", 534, "5.7.9", "password required. Learn more", "", "", "2 lines"},
		{"smtplib bytes", `(535, b'5.7.8 Username and Password not accepted. Learn more at\n5.7.8  https://support.google.com/mail/?p=BadCredentials - gsmtp')`,
			535, "5.7.8", "not accepted. Learn more at https://support.google.com", "", "", "smtplib"},
		{"smtplib GBK bytes", `(535, b'Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\xb5\xc7\xc2\xbc')`, 535, "", "请使用授权码登录", "", "", "GBK"},
		{"smtplib str mojibake", `(535, 'Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb')`, 535, "", "请使用授权码", "", "", "GBK"},
		{"smtplib exception", `SMTPAuthenticationError(550, 'User has no permission')`, 550, "", "User has no permission", VerbAUTH, "", "smtplib"},
		{"smtplib module path", `smtplib.SMTPSenderRefused: (553, b'Mail from must equal authorized user', 'a@b.c')`, 553, "", "Mail from must equal", VerbMAIL, "", "smtplib"},
		{"smtplib unclosed", `(554, b'Message rejected: Email address is not verified'`, 554, "", "not verified", "", "", "smtplib"},
		{"exchange NDR", `Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'`, 550, "5.1.1", "RecipNotFound; not found", "", "", "NDR"},
		{"exim bounce", "SMTP error from remote mail server after RCPT TO:<bob@example.com>:\n    550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown",
			550, "5.1.1", "User unknown", VerbRCPT, "", "Exim"},
		{"exim end of data", "host mx.example.com [192.0.2.1]\nSMTP error from remote mail server after end of data: 554 5.7.1 spam", 554, "5.7.1", "spam", EndOfDataVerb, "mx.example.com", "end of data"},
		{"postfix log", "to=<a@b.example>, relay=mx.b.example[192.0.2.7]:25, status=bounced (host mx.b.example[192.0.2.7] said: 550 5.7.26 DMARC fail (in reply to end of DATA command))",
			550, "5.7.26", "DMARC fail", EndOfDataVerb, "mx.b.example", "said:"},
		{"postfix rcpt", "host mx[192.0.2.1] said: 450 4.2.0 Greylisted (in reply to RCPT TO command)", 450, "4.2.0", "Greylisted", VerbRCPT, "", "RCPT"},
		{"folded by a log", "550-5.7.26 Unauthenticated email is not accepted due to 550-5.7.26 DMARC policy. 550 5.7.26 See help - gsmtp",
			550, "5.7.26", "Unauthenticated email is not accepted due to DMARC policy. See help - gsmtp", "", "", "folded"},
		{"cut off continuation", "550-Please turn on SMTP Authentication in your mail client.", 550, "", "Please turn on SMTP Authentication", "", "", "cut off"},
		{"enhanced only", "5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM", 530, "5.7.57", "Client was not authenticated", "", "", "assumed 530"},
		{"enhanced only by class", "4.7.32 This mail has been rate limited", 450, "4.7.32", "rate limited", "", "", "only the first digit"},
		{"csv cell", `"421, ""4.7.0"", TLS required for RCPT domain, closing connection."`, 421, "4.7.0", "TLS required", "", "", "CSV"},
		{"colon after code", "550: 5.7.1 Message rejected due to local policy.", 550, "5.7.1", "local policy", "", "", ""},
		{"qmail hash", "553 #5.1.8 Domain of sender address does not exist", 553, "5.1.8", "Domain of sender", "", "", ""},
		{"prose before", "Mail command failed: 501 Mail from address must be same as authorization user.", 501, "", "must be same", VerbMAIL, "", "ignored the text before"},
		{"prose line before", "Error sending mail:\n535 5.7.3 Authentication unsuccessful", 535, "5.7.3", "Authentication unsuccessful", "", "", "ignored 1 line"},
		{"wrapped last line", "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to\nunexpected volume or user complaints", 421, "4.7.0", "due to unexpected volume", "", "", "wrapped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePastedInput(tt.in)
			if err != nil {
				t.Fatalf("ParsePastedInput(%q): %v", tt.in, err)
			}
			r := p.Reply
			if r.Code != tt.code || r.Enhanced.String() != tt.enhanced {
				t.Errorf("code = %d %q, want %d %q", r.Code, r.Enhanced, tt.code, tt.enhanced)
			}
			if !strings.Contains(r.OneLine(), tt.text) {
				t.Errorf("text = %q, want it to contain %q", r.OneLine(), tt.text)
			}
			if p.Command != tt.command {
				t.Errorf("command = %q, want %q", p.Command, tt.command)
			}
			if tt.host != "" && p.Host != tt.host {
				t.Errorf("host = %q, want %q", p.Host, tt.host)
			}
			if notes := strings.Join(p.Notes, "; "); !strings.Contains(notes, tt.note) {
				t.Errorf("notes = %q, want %q", notes, tt.note)
			}
			if len(r.Lines) == 0 {
				t.Error("no lines kept")
			}
			// ParsePasted is the same parse, in the contract's shape.
			r2, notes, err := ParsePasted(tt.in)
			if err != nil || r2.Code != r.Code || len(notes) != len(p.Notes) {
				t.Errorf("ParsePasted disagrees: %v %d %v", err, r2.Code, notes)
			}
		})
	}
}

func TestParsePastedErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrPastedEmpty},
		{"   \n\t", ErrPastedEmpty},
		{"nothing here at all", ErrNoReplyCode},
		{"up to 500 messages a day", ErrNoReplyCode},
		{"700 not smtp", ErrNoReplyCode},
		{"(199, b'nope')", ErrNoReplyCode},
		{strings.Repeat("x", MaxPastedOctets+1), ErrPastedTooBig},
	}
	for _, tt := range tests {
		_, _, err := ParsePasted(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("ParsePasted(%.40q) err = %v, want %v", tt.in, err, tt.want)
		}
	}
}

func TestParsePastedWordsOnly(t *testing.T) {
	tests := []struct {
		in     string
		reason Reason
	}{
		{"From address is not one of your addresses", ReasonSenderDenied},
		{"H=(localhost) [172.22.0.1] F=<a@b.c> rejected RCPT <d@e.f>: relay not permitted", ReasonRelayDenied},
		{"Error: connect ECONNREFUSED 127.0.0.1:25", ReasonNetwork},
		{"SSL routines:ssl3_get_record:wrong version number", ReasonTLSMismatch},
		{"x509: certificate signed by unknown authority", ReasonTLSUnavailable},
		{"smtplib.SMTPServerDisconnected: Connection unexpectedly closed", ReasonNetwork},
		{"DailyTask：发送失败：邮箱已满", ReasonMailboxFull},
		{"connect to mx.example.org[192.0.2.1]:25: Operation timed out", ReasonPortBlocked},
		{"connect to mx.example.org[192.0.2.1]:25: Connection refused", ReasonNetwork},
		{"dial tcp 192.0.2.1:587: i/o timeout", ReasonNetwork},
		{"curl: (67) Login denied", ReasonAuthFailed},
		{"socket.gaierror: [Errno -2] Name or service not known", ReasonNetwork},
		{"<a@b.example>: Name service error for name=b.example type=MX: Host not found, try again", ReasonNetwork},
		{"R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host", ReasonNetwork},
		{"Delivery failed after 5 attempts: a@b.example", ReasonExpired},
		{"This message has been in the queue for too long and was removed", ReasonExpired},
	}
	for _, tt := range tests {
		p, err := ParsePastedInput(tt.in)
		if err != nil || !p.NoReply {
			t.Errorf("ParsePastedInput(%q) = %+v, %v; want a reply-less paste", tt.in, p, err)
			continue
		}
		e := ExplainPasted(p, ExplainContext{})
		if e.Reason != tt.reason || e.ReasonFrom != FromText || e.Code != 0 {
			t.Errorf("%q: reason %q from %q code %d, want %q from the text", tt.in, e.Reason, e.ReasonFrom, e.Code, tt.reason)
		}
	}
}

// TestNestedReplyDropsItsQuote: the inner reply's text ends where its
// quote closes, however far back the quote opened.
func TestNestedReplyDropsItsQuote(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"554 5.0.0 Service unavailable <421 4.4.2 Connection timed out>", "Connection timed out"},
		{"550 5.7.0 < #5.7.133 smtp;550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required>", "RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required"},
		{"451 4.4.0 (remote said: 421 4.7.0 Try again later) deferred", "Try again later"},
		{"554 delivery failed; don't retry \"550 5.1.1 No such user\"", "No such user"},
	} {
		p, err := ParsePastedInput(tt.in)
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		if got := p.Reply.OneLine(); got != tt.want {
			t.Errorf("%q: inner text %q, want %q", tt.in, got, tt.want)
		}
	}
}
