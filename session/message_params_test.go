package session

import (
	"errors"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
)

// MAIL FROM carries SIZE (the octets on the wire), BODY=8BITMIME and
// SMTPUTF8 as the message needs them and the server offers them.
func TestSendMessageMailParams(t *testing.T) {
	const body = "Subject: x\r\n\r\nGrüße\r\n"
	tests := []struct {
		name string
		msg  Message
		want string
	}{
		{"plain", Message{From: "a@x", To: []string{"b@x"}, Size: int64(len(body))}, "MAIL FROM:<a@x> SIZE=23"},
		{"8-bit", Message{From: "a@x", To: []string{"b@x"}, Size: int64(len(body)), EightBit: true}, "MAIL FROM:<a@x> SIZE=23 BODY=8BITMIME"},
		{"UTF-8 recipient", Message{From: "a@x", To: []string{"josé@x"}, Size: int64(len(body)), EightBit: true}, "MAIL FROM:<a@x> SIZE=23 BODY=8BITMIME SMTPUTF8"},
		{"UTF-8 header", Message{From: "a@x", To: []string{"b@x"}, Size: -1, UTF8: true}, "MAIL FROM:<a@x> SMTPUTF8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mail := make(chan string, 1)
			addr := messagePeer(t, mail, "SIZE 1000", "8BITMIME", "SMTPUTF8")
			s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSOff})
			ev := watch(t, s)
			s.Connect()
			ev.until("EHLO reply", replyTo("EHLO"))
			tt.msg.Body = strings.NewReader(body)
			s.SendMessage(tt.msg)
			ev.until("end-of-data reply", replyTo(protocol.EndOfDataVerb))
			if got := <-mail; got != tt.want {
				t.Errorf("server got %q, want %q", got, tt.want)
			}
			if w := ev.find(KindWarning); len(w) > 0 {
				t.Errorf("warnings %v", w[0].Text)
			}
		})
	}
}

// A message that needs an extension the server lacks is refused before
// anything is sent, with an error that says which and why.
func TestSendMessageNeedsExtension(t *testing.T) {
	tests := []struct {
		name      string
		msg       Message
		extension string
		why       string
	}{
		{"UTF-8 recipient", Message{From: "a@x", To: []string{"b@x", "josé@x"}, Size: -1}, "SMTPUTF8", "recipient address josé@x"},
		{"UTF-8 sender", Message{From: "zoë@x", To: []string{"b@x"}, Size: -1}, "SMTPUTF8", "sender address zoë@x"},
		{"8-bit content", Message{From: "a@x", To: []string{"b@x"}, Size: -1, EightBit: true}, "8BITMIME", "8-bit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := serve(t, 1, func(p *peer) {
				p.writeline("220 mx.test")
				p.expect("EHLO")
				ehloReply(p, "SIZE 1000", "PIPELINING")
				p.expect("QUIT") // nothing of the message
				p.writeline("221 bye")
			})
			s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSOff})
			ev := watch(t, s)
			s.Connect()
			ev.until("EHLO reply", replyTo("EHLO"))
			tt.msg.Body = strings.NewReader("x\r\n")
			s.SendMessage(tt.msg)
			e := ev.until("error", kind(KindError))
			var ee *protocol.ExtensionError
			if !errors.As(e.Err, &ee) || ee.Extension != tt.extension || !strings.Contains(e.Text, tt.why) {
				t.Errorf("error %q (%T), want an ExtensionError for %s saying %q", e.Text, e.Err, tt.extension, tt.why)
			}
		})
	}
}

// A SIZE declared wrong (the file size of a file with LF line ends, as
// smtpscope once did) is reported once the message has gone.
func TestSendMessageWarnsWrongSize(t *testing.T) {
	mail := make(chan string, 1)
	addr := messagePeer(t, mail, "SIZE 1000")
	s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSOff})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO reply", replyTo("EHLO"))
	body := "A: b\n\nc\n"
	s.SendMessage(Message{From: "a@x", To: []string{"b@x"}, Body: strings.NewReader(body), Size: int64(len(body))})
	w := ev.until("size warning", kind(KindWarning))
	if m := <-mail; m != "MAIL FROM:<a@x> SIZE=8" {
		t.Errorf("server got %q", m)
	}
	if !strings.Contains(w.Text, "SIZE=8") || !strings.Contains(w.Text, "11 octets") {
		t.Errorf("warning %q", w.Text)
	}
}

// readData reads message content up to the end-of-data line.
func readData(p *peer) string {
	var sb strings.Builder
	for {
		l, err := p.r.ReadString('\n')
		if err != nil || l == ".\r\n" {
			return sb.String()
		}
		sb.WriteString(l)
	}
}

// messagePeer serves one connection that takes one message after an EHLO
// answered with caps, and reports the MAIL FROM line it got.
func messagePeer(t *testing.T, mail chan<- string, caps ...string) string {
	return serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, caps...)
		mail <- p.readline()
		p.writeline("250 ok")
		p.expect("RCPT TO:")
		p.writeline("250 ok")
		p.expect("DATA")
		p.writeline("354 go ahead")
		readData(p)
		p.writeline("250 queued")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
}
