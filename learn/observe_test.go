package learn

import (
	"reflect"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
)

// replies feeds a script to an observer and returns its reply facts.
func replies(s *script) []Fact {
	var o Observer
	var out []Fact
	for _, e := range s.events {
		if f, ok := o.Observe(e); ok && f.Kind == FactReply {
			out = append(out, f)
		}
	}
	return out
}

func TestObserverPairsRepliesWithTheirCommands(t *testing.T) {
	s := newScript(t)
	s.ehlo().send("MAIL FROM:<a@b> SIZE=10 body=8bitmime").send("RCPT TO:<c@d>").send("DATA").
		reply("MAIL", "250 OK").reply("RCPT", "550 5.1.1 no").reply("DATA", "554 5.5.1 No valid recipients").
		cmd("RSET", "250 OK")
	f := replies(s)
	if len(f) != 6 {
		t.Fatalf("%d facts", len(f))
	}
	greeting, ehlo, mail, rcpt, data, rset := f[0], f[1], f[2], f[3], f[4], f[5]
	if greeting.Command != "" || greeting.Code != 220 || greeting.Line != "" {
		t.Errorf("greeting %+v", greeting)
	}
	if ehlo.Pipelined || !ehlo.ByHand || ehlo.Line != "EHLO laptop" {
		t.Errorf("EHLO %+v", ehlo)
	}
	if mail.Pipelined || !reflect.DeepEqual(mail.Params, []string{"SIZE", "BODY"}) {
		t.Errorf("MAIL %+v: first of the group, params upper-cased", mail)
	}
	if !rcpt.Pipelined || rcpt.Code != 550 || rcpt.Enhanced != "5.1.1" || rcpt.Line != "RCPT TO:<c@d>" {
		t.Errorf("RCPT %+v", rcpt)
	}
	if !data.Pipelined || data.Code != 554 {
		t.Errorf("DATA %+v", data)
	}
	if rset.Pipelined {
		t.Errorf("RSET after the group's replies: %+v", rset)
	}
}

func TestObserverFollowsAuthExchanges(t *testing.T) {
	s := newScript(t)
	s.ehlo().handshake(true).ehlo()
	s.authLogin(false, "535 5.7.8 no")
	s.send("AUTH PLAIN ●●●●●●●● (username and password, redacted)").reply("AUTH", "235 2.7.0 ok")
	f := replies(s)
	var auth []Fact
	for _, x := range f {
		if x.Command == protocol.VerbAUTH {
			auth = append(auth, x)
		}
	}
	if len(auth) != 4 {
		t.Fatalf("%d AUTH facts", len(auth))
	}
	if auth[0].Prompt != "Username:" || auth[1].Prompt != "Password:" || auth[0].Mechanism != "LOGIN" {
		t.Errorf("LOGIN challenges %+v %+v", auth[0], auth[1])
	}
	if auth[2].Code != 535 || auth[2].Mechanism != "LOGIN" || !auth[2].ByHand || !auth[2].TLS {
		t.Errorf("LOGIN result %+v", auth[2])
	}
	if auth[3].Code != 235 || auth[3].Mechanism != "PLAIN" || !auth[3].ByHand {
		t.Errorf("PLAIN with an initial response %+v", auth[3])
	}
	// One answer from the engine makes the exchange not by hand.
	s2 := newScript(t)
	s2.ehlo().handshake(true).ehlo().send("AUTH LOGIN").reply("AUTH", "334 VXNlcm5hbWU6").sasl(false).
		reply("AUTH", "334 UGFzc3dvcmQ6").sasl(true).reply("AUTH", "235 2.7.0 ok")
	f2 := replies(s2)
	if last := f2[len(f2)-1]; last.ByHand || last.Mechanism != "LOGIN" {
		t.Errorf("mixed exchange %+v: want not by hand", last)
	}
}

func TestObserverReadsTheMessageForm(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  MessageForm
	}{
		{"headers, body, stuffed dot", []string{"From: a", "Subject: x", "", "..dot", "end"},
			MessageForm{Headers: []string{"From", "Subject"}, Body: true, DotStuffed: true, Lines: 5}},
		{"folded header", []string{"Subject: a", " continued", "␉tabbed", "To: b", "", "x"},
			MessageForm{Headers: []string{"Subject", "To"}, Body: true, Lines: 6}},
		{"no header", []string{"hello there", "", "x"}, MessageForm{Lines: 3}},
		{"headers only", []string{"From: a", ""}, MessageForm{Headers: []string{"From"}, Lines: 2}},
		{"empty", nil, MessageForm{}},
	}
	for _, tt := range tests {
		s := newScript(t)
		s.ehlo().envelope().message(tt.lines...)
		f := replies(s)
		got := f[len(f)-1].Message
		if got == nil || !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// After a 220 to STARTTLS whatever was sent with it is void (RFC 3207
// 4.2), and a new connection starts with nothing waiting.
func TestObserverForgetsAtTLSAndReconnect(t *testing.T) {
	s := newScript(t)
	s.ehlo().send("STARTTLS").send("NOOP").reply("STARTTLS", "220 ready")
	s.tls = true
	s.cmd("EHLO again", ehloTLS)
	f := replies(s)
	if last := f[len(f)-1]; last.Line != "EHLO again" || last.Pipelined {
		t.Errorf("EHLO after TLS paired with %q (pipelined %v)", last.Line, last.Pipelined)
	}
	s = newScript(t)
	s.ehlo().send("MAIL FROM:<a@b>").reconnect().ehlo()
	f = replies(s)
	if last := f[len(f)-1]; last.Line != "EHLO laptop" || last.Pipelined {
		t.Errorf("EHLO after reconnect paired with %q (pipelined %v)", last.Line, last.Pipelined)
	}
}

// The goal of any lesson is met only through facts: a typed command the
// server refused never passes, whatever it looked like.
func TestLeafConditions(t *testing.T) {
	yes, no := true, false
	reply := Fact{Kind: FactReply, Code: 235, Enhanced: "2.7.0", Command: "AUTH", TLS: true, Mechanism: "PLAIN", ByHand: true}
	tests := []struct {
		c    Condition
		f    Fact
		want bool
	}{
		{Condition{Reply: int64(235)}, reply, true},
		{Condition{Reply: "2xx"}, reply, true},
		{Condition{Reply: []any{int64(534), int64(535)}}, reply, false},
		{Condition{Reply: int64(235), To: "EHLO"}, reply, false},
		{Condition{Reply: int64(235), To: []any{"ehlo", "auth"}}, reply, true},
		{Condition{Reply: int64(235), Enhanced: "2.7"}, reply, true},
		{Condition{Reply: int64(235), Enhanced: "5.7"}, reply, false},
		{Condition{Reply: int64(235), TLS: &no}, reply, false},
		{Condition{Reply: int64(235), Mechanism: "plain", ByHand: &yes}, reply, true},
		{Condition{Reply: int64(235), Mechanism: "LOGIN"}, reply, false},
		{Condition{Reply: int64(235), ByHand: &no}, reply, false},
		{Condition{Reply: int64(235), Headers: []string{"From"}}, reply, false},
		{Condition{Reply: int64(220), To: "greeting"}, Fact{Kind: FactReply, Code: 220}, true},
		{Condition{Reply: int64(250), To: "end of data"}, Fact{Kind: FactReply, Code: 250, Command: "."}, true},
		{Condition{TLSHandshake: true}, Fact{Kind: FactTLS}, true},
		{Condition{TLSHandshake: true, Verified: &yes}, Fact{Kind: FactTLS}, false},
		{Condition{Capabilities: []string{"auth"}, TLS: &yes}, Fact{Kind: FactState, TLS: true,
			Capabilities: protocol.Capabilities{List: []protocol.Capability{{Keyword: "AUTH"}}}}, true},
		{Condition{Capabilities: []string{"AUTH", "SIZE"}}, Fact{Kind: FactState,
			Capabilities: protocol.Capabilities{List: []protocol.Capability{{Keyword: "AUTH"}}}}, false},
		{Condition{Capabilities: []string{"AUTH"}}, reply, false},
	}
	for i, tt := range tests {
		tt.c.Label = "x"
		g, err := Compile(tt.c)
		if err != nil {
			t.Errorf("%d: %v", i, err)
			continue
		}
		if got := g.Start().Feed(tt.f); got != tt.want {
			t.Errorf("%d: %+v on %+v = %v, want %v", i, tt.c, tt.f, got, tt.want)
		}
	}
}

// One fact meets one step of an in-order list; a list of "all" may be met
// by one fact for several steps.
func TestCompositeConditions(t *testing.T) {
	ok := Fact{Kind: FactReply, Code: 250}
	step := func(l string) Condition { return Condition{Reply: int64(250), Label: l} }
	inOrder, err := Compile(Condition{InOrder: []Condition{step("a"), step("b")}})
	if err != nil {
		t.Fatal(err)
	}
	a := inOrder.Start()
	if a.Feed(ok) || a.Steps()[1].Done || !a.Steps()[1].Next {
		t.Errorf("in order after one fact: %+v", a.Steps())
	}
	if !a.Feed(ok) || a.Feed(ok) {
		t.Error("in order: the second fact completes it, once")
	}
	all, _ := Compile(Condition{All: []Condition{step("a"), step("b")}})
	if !all.Start().Feed(ok) {
		t.Error("all: one fact meets both steps")
	}
	anyOf, _ := Compile(Condition{Label: "either", Any: []Condition{{Reply: int64(550)}, {Reply: int64(250)}}})
	at := anyOf.Start()
	if !at.Feed(ok) || len(at.Steps()) != 1 || !at.Steps()[0].Done {
		t.Errorf("any: %+v", at.Steps())
	}
}
