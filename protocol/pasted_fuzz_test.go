package protocol

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParsePasted(f *testing.F) {
	for _, s := range []string{
		"535", "535 5.7.8", "250-a\r\n250 b", `(535, b'5.7.8 x\n5.7.8 y')`, `(535, b'\xc7\xeb')`,
		`SMTPAuthenticationError(550, 'User has no permission')`, "Remote Server returned '550 5.1.1 x'",
		"SMTP error from remote mail server after RCPT TO:<a@b>: 550 x", "host h[1.2.3.4] said: 450 4.2.0 x (in reply to RCPT TO command)",
		"550-5.7.26 a 550-5.7.26 b 550 5.7.26 c", "5.7.57 SMTP; x", `"421, ""4.7.0"", TLS required"`, "550-550 5.1.10 x", "x: 501 y",
		"错误：554 DT:SPM 发送的邮件内容包含了未被许可的信息", "投递失败550 Mailbox not found", "LINE: 12 <- 535 5.7.8 x",
		"got response [530 5.7.0 Must issue a STARTTLS command first]", "reject=451 4.1.8 <a@b>: Sender address rejected",
		"said: 554\n5.2.0 x", `{"smtp_code":550,"message":"x"}`, "220-mx ESMTP 421 4.7.0 try later", "554 x <421 4.7.0 y>",
		"... 5.2.2 <x>... Mailbox Full", "wrong version number", "connect ETIMEDOUT 1.2.3.4:465", "334 eyJzdGF0dXMiOiI0MDEifQ==",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := ParsePastedInput(in)
		if err != nil {
			return
		}
		e := ExplainPasted(p, ExplainContext{Command: p.Command, Host: p.Host})
		if _, ok := LookupReason(e.Reason); !ok || e.Headline == "" || e.Evidence == "" {
			t.Fatalf("no reason for %q: %+v", in, e)
		}
		if e.Summary == "" || e.Causes == nil || e.Actions == nil || e.References == nil {
			t.Fatalf("incomplete explanation for %q: %+v", in, e)
		}
		if p.NoReply {
			return
		}
		r := p.Reply
		if r.Class() == ClassUnknown {
			t.Fatalf("accepted code %d from %q", r.Code, in)
		}
		if len(r.Lines) == 0 {
			t.Fatalf("no lines from %q", in)
		}
		if !utf8.ValidString(r.OneLine()) {
			t.Fatalf("invalid UTF-8 text from %q", in)
		}
		if strings.ContainsRune(Sanitize(r.OneLine()), 0x1b) {
			t.Fatalf("escape survived Sanitize for %q", in)
		}
	})
}
