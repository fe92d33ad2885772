package protocol

import (
	"strings"
	"testing"
)

// replyOf parses a reply written with "\n" between lines, failing the test
// on a parse error.
func replyOf(t testing.TB, text string) Reply {
	t.Helper()
	r, err := ParseReply(text)
	if err != nil {
		t.Fatalf("ParseReply(%q): %v", text, err)
	}
	return r
}

const ehloReply = "250-mx.example.com Hello\n250-PIPELINING\n250-SIZE 10240000\n250-STARTTLS\n250-CHUNKING\n250 8BITMIME"

// step is one thing that happens in a scripted session.
type step struct {
	send  string // a command line the client sends; "." for SentEndOfData
	reply string // a reply the server sends
	tls   bool   // the TLS handshake finished
	want  State  // the state after the step
	verb  string // for a reply: the verb it answers
}

func runSteps(t *testing.T, m *Machine, steps []step) {
	t.Helper()
	for i, st := range steps {
		switch {
		case st.tls:
			m.TLSStarted()
		case st.send == ".":
			m.SentEndOfData()
		case st.send != "":
			m.Sent(ParseCommand(st.send))
		default:
			answered, s := m.Received(replyOf(t, st.reply))
			if answered.Verb != st.verb {
				t.Errorf("step %d: reply %q answered %q, want %q", i, st.reply, answered.Verb, st.verb)
			}
			if s != m.Snapshot().State {
				t.Errorf("step %d: Received returned %v but Snapshot says %v", i, s, m.Snapshot().State)
			}
		}
		if got := m.Snapshot().State; got != st.want {
			t.Fatalf("step %d (%+v): state = %v, want %v", i, st, got, st.want)
		}
	}
}

func TestMachineFullSession(t *testing.T) {
	m := NewMachine()
	if m.Snapshot().State != StateDisconnected {
		t.Fatalf("new machine state = %v, want DISCONNECTED", m.Snapshot().State)
	}
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx.example.com ESMTP", want: StateGreeted},
		{send: "EHLO client.example", want: StateGreeted},
		{reply: ehloReply, verb: "EHLO", want: StateReady},
		{send: "STARTTLS", want: StateReady},
		{reply: "220 2.0.0 Ready to start TLS", verb: "STARTTLS", want: StateTLSHandshake},
		{tls: true, want: StateGreeted},
		{send: "EHLO client.example", want: StateGreeted},
		{reply: "250-mx.example.com\n250-AUTH PLAIN LOGIN\n250 SIZE 10240000", verb: "EHLO", want: StateReady},
		{send: "AUTH LOGIN", want: StateReady},
		{reply: "334 VXNlcm5hbWU6", verb: "AUTH", want: StateAuth},
		{send: "ZGVtbw==", want: StateAuth},
		{reply: "334 UGFzc3dvcmQ6", verb: "AUTH", want: StateAuth},
		{send: "ZGVtby1wYXNzd29yZA==", want: StateAuth},
		{reply: "235 2.7.0 Authentication successful", verb: "AUTH", want: StateReady},
		{send: "MAIL FROM:<a@b.example>", want: StateReady},
		{reply: "250 2.1.0 Ok", verb: "MAIL", want: StateMail},
		{send: "RCPT TO:<c@d.example>", want: StateMail},
		{reply: "251 2.1.5 will forward", verb: "RCPT", want: StateRcpt},
		{send: "DATA", want: StateRcpt},
		{reply: "354 End data with <CR><LF>.<CR><LF>", verb: "DATA", want: StateData},
		{send: "Subject: hi", want: StateData}, // message content: no reply expected
		{send: ".", want: StateData},
		{reply: "250 2.0.0 Ok: queued as 12345", verb: EndOfDataVerb, want: StateReady},
		{send: "QUIT", want: StateReady},
		{reply: "221 2.0.0 Bye", verb: "QUIT", want: StateClosed},
	})
	s := m.Snapshot()
	if !s.TLS || !s.Authenticated || !s.Extended {
		t.Errorf("snapshot TLS/Authenticated/Extended = %v/%v/%v, want all true", s.TLS, s.Authenticated, s.Extended)
	}
	if !s.CapsBeforeTLS.Has("STARTTLS") || s.Caps.Has("STARTTLS") || !s.Caps.Has("AUTH") {
		t.Errorf("caps before TLS %v, after %v: want STARTTLS only before and AUTH after",
			s.CapsBeforeTLS.Keywords(), s.Caps.Keywords())
	}
}

func TestMachineSTARTTLSForgetsCapabilities(t *testing.T) {
	m := NewMachine()
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx", want: StateGreeted},
		{send: "EHLO c", want: StateGreeted},
		{reply: ehloReply, verb: "EHLO", want: StateReady},
	})
	before := m.Snapshot()
	m.TLSStarted()
	s := m.Snapshot()
	if len(s.Caps.List) != 0 || s.Extended || !s.TLS || s.State != StateGreeted {
		t.Errorf("after TLS: caps %v extended %v tls %v state %v; want none, false, true, GREETED",
			s.Caps.Keywords(), s.Extended, s.TLS, s.State)
	}
	if len(before.Caps.List) == 0 {
		t.Error("an earlier snapshot lost its capabilities: snapshots must not change")
	}
}

func TestMachineHELOHasNoCapabilities(t *testing.T) {
	m := NewMachine()
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx", want: StateGreeted},
		{send: "HELO c", want: StateGreeted},
		{reply: "250 mx", verb: "HELO", want: StateReady},
	})
	if s := m.Snapshot(); s.Extended || len(s.Caps.List) != 0 {
		t.Errorf("after HELO: extended %v caps %v, want false and none", s.Extended, s.Caps.Keywords())
	}
}

func TestMachineFailedRepliesKeepState(t *testing.T) {
	m := NewMachine()
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx", want: StateGreeted},
		{send: "EHLO c", want: StateGreeted},
		{reply: "502 5.5.1 EHLO not supported", verb: "EHLO", want: StateGreeted},
		{send: "HELO c", want: StateGreeted},
		{reply: "250 mx", verb: "HELO", want: StateReady},
		{send: "RCPT TO:<c@d>", want: StateReady},
		{reply: "503 5.5.1 need MAIL command", verb: "RCPT", want: StateReady},
		{send: "AUTH PLAIN AGRlbW8AeA==", want: StateReady},
		{reply: "535 5.7.8 Authentication credentials invalid", verb: "AUTH", want: StateReady},
		{send: "MAIL FROM:<a@b>", want: StateReady},
		{reply: "250 ok", verb: "MAIL", want: StateMail},
		{send: "RCPT TO:<x@d>", want: StateMail},
		{reply: "550 5.1.1 no such user", verb: "RCPT", want: StateMail},
		{send: "DATA", want: StateMail},
		{reply: "554 5.5.1 no valid recipients", verb: "DATA", want: StateMail},
		{send: "RSET", want: StateMail},
		{reply: "250 2.0.0 ok", verb: "RSET", want: StateReady},
	})
	if m.Snapshot().Authenticated {
		t.Error("a 535 left the session authenticated")
	}
}

func TestMachineAuthCancelAndFailure(t *testing.T) {
	m := NewMachine()
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx", want: StateGreeted},
		{send: "EHLO c", want: StateGreeted},
		{reply: "250-mx\n250 AUTH LOGIN", verb: "EHLO", want: StateReady},
		{send: "AUTH LOGIN", want: StateReady},
		{reply: "334 VXNlcm5hbWU6", verb: "AUTH", want: StateAuth},
		{send: "*", want: StateAuth},
		{reply: "501 5.0.0 AUTH aborted", verb: "AUTH", want: StateReady},
		{send: "AUTH LOGIN", want: StateReady},
		{reply: "334 VXNlcm5hbWU6", verb: "AUTH", want: StateAuth},
		{send: "ZGVtbw==", want: StateAuth},
		{reply: "535 5.7.8 Username and Password not accepted", verb: "AUTH", want: StateReady},
	})
}

// RFC 2920: pipelined commands get their replies in order.
func TestMachinePipelinedRepliesMatchInOrder(t *testing.T) {
	m := NewMachine()
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx", want: StateGreeted},
		{send: "EHLO c", want: StateGreeted},
		{reply: ehloReply, verb: "EHLO", want: StateReady},
		{send: "MAIL FROM:<a@b>", want: StateReady},
		{send: "RCPT TO:<bad@d>", want: StateReady},
		{send: "RCPT TO:<good@d>", want: StateReady},
		{send: "DATA", want: StateReady},
	})
	if got := m.Snapshot().Pending; got != 4 {
		t.Fatalf("Pending = %d, want 4", got)
	}
	runSteps(t, m, []step{
		{reply: "250 ok", verb: "MAIL", want: StateMail},
		{reply: "550 no such user", verb: "RCPT", want: StateMail},
		{reply: "250 ok", verb: "RCPT", want: StateRcpt},
		{reply: "354 go ahead", verb: "DATA", want: StateData},
	})
	if got := m.Snapshot().Pending; got != 0 {
		t.Errorf("Pending = %d after all replies, want 0", got)
	}
}

func TestMachineBDAT(t *testing.T) {
	m := NewMachine()
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx", want: StateGreeted},
		{send: "EHLO c", want: StateGreeted},
		{reply: ehloReply, verb: "EHLO", want: StateReady},
		{send: "MAIL FROM:<a@b> BODY=BINARYMIME", want: StateReady},
		{reply: "250 ok", verb: "MAIL", want: StateMail},
	})
	if !m.Snapshot().BinaryMIME {
		t.Error("BODY=BINARYMIME not recorded")
	}
	runSteps(t, m, []step{
		{send: "RCPT TO:<c@d>", want: StateMail},
		{reply: "250 ok", verb: "RCPT", want: StateRcpt},
		{send: "BDAT 100", want: StateRcpt},
		{reply: "250 2.0.0 100 octets received", verb: "BDAT", want: StateData},
	})
	if !m.Snapshot().Chunking {
		t.Error("an accepted BDAT chunk did not set Chunking")
	}
	runSteps(t, m, []step{
		{send: "BDAT 0 LAST", want: StateData},
		{reply: "250 2.0.0 Message accepted", verb: "BDAT", want: StateReady},
	})
	if s := m.Snapshot(); s.Chunking || s.BinaryMIME {
		t.Errorf("after BDAT LAST: Chunking %v BinaryMIME %v, want both cleared", s.Chunking, s.BinaryMIME)
	}
}

func TestMachineFailedEndOfDataEndsTransaction(t *testing.T) {
	m := NewMachine()
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx", want: StateGreeted},
		{send: "HELO c", want: StateGreeted},
		{reply: "250 mx", verb: "HELO", want: StateReady},
		{send: "MAIL FROM:<a@b>", want: StateReady},
		{reply: "250 ok", verb: "MAIL", want: StateMail},
		{send: "RCPT TO:<c@d>", want: StateMail},
		{reply: "250 ok", verb: "RCPT", want: StateRcpt},
		{send: "DATA", want: StateRcpt},
		{reply: "354 go", verb: "DATA", want: StateData},
		{send: ".", want: StateData},
		{reply: "554 5.7.1 rejected as spam", verb: EndOfDataVerb, want: StateReady},
	})
}

func TestMachineGreetings(t *testing.T) {
	tests := []struct {
		greeting string
		want     State
		refused  bool
	}{
		{"220 mx.example.com ESMTP", StateGreeted, false},
		{"220-mx.example.com ESMTP\n220 second line", StateGreeted, false},
		{"554 5.7.1 no SMTP service here", StateGreeted, true},
		{"421 4.3.2 too busy, try later", StateClosed, false},
	}
	for _, tt := range tests {
		m := NewMachine()
		m.Connected()
		if got := m.Snapshot().State; got != StateGreeting {
			t.Fatalf("after Connected: %v, want GREETING", got)
		}
		answered, s := m.Received(replyOf(t, tt.greeting))
		if answered.Verb != "" || s != tt.want || m.Snapshot().Refused != tt.refused {
			t.Errorf("greeting %q: answered %q state %v refused %v; want \"\" %v %v",
				tt.greeting, answered.Verb, s, m.Snapshot().Refused, tt.want, tt.refused)
		}
	}
}

func TestMachineUnsolicitedReplies(t *testing.T) {
	m := NewMachine()
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx", want: StateGreeted},
		{reply: "250 surprise", want: StateDesync},
		{send: "NOOP", want: StateDesync},
		{reply: "250 ok", want: StateDesync},
	})
	m.Connected()
	if got := m.Snapshot().State; got != StateGreeting {
		t.Errorf("Connected after desync: %v, want GREETING", got)
	}

	// RFC 5321 3.8: a server may send 421 at any time before closing.
	m = NewMachine()
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx", want: StateGreeted},
		{reply: "421 4.4.2 mx.example.com Error: timeout exceeded", want: StateClosed},
	})

	m = NewMachine()
	m.Connected()
	runSteps(t, m, []step{
		{reply: "220 mx", want: StateGreeted},
		{send: "EHLO c", want: StateGreeted},
		{reply: "421 4.7.0 shutting down", verb: "EHLO", want: StateClosed},
	})
}

func TestMachineClosedAndImplicitTLS(t *testing.T) {
	m := NewMachine()
	m.Connected()
	m.SetImplicitTLS()
	if !m.Snapshot().TLS {
		t.Error("SetImplicitTLS did not mark the session as TLS")
	}
	m.Sent(ParseCommand("NOOP"))
	m.Closed()
	if s := m.Snapshot(); s.State != StateClosed || s.Pending != 0 {
		t.Errorf("after Closed: state %v pending %d, want CLOSED 0", s.State, s.Pending)
	}
	if _, s := m.Received(replyOf(t, "250 late")); s != StateClosed {
		t.Errorf("a reply after close moved the state to %v", s)
	}
	m.Connected()
	if m.Snapshot().TLS {
		t.Error("a new connection kept the old connection's TLS flag")
	}
}

func TestStateString(t *testing.T) {
	for s := StateDisconnected; s <= StateDesync; s++ {
		if name := s.String(); name == "" || name == "UNKNOWN" || strings.ToUpper(name) != name {
			t.Errorf("State(%d).String() = %q", s, name)
		}
	}
	if got := State(99).String(); got != "UNKNOWN" {
		t.Errorf("State(99) = %q, want UNKNOWN", got)
	}
}
