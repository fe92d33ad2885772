package session

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSilentGreetingSuggestsImplicitTLS connects in plain text to the
// sandbox's implicit-TLS port: the server waits for a ClientHello and says
// nothing. After the silence the session says why and suggests TLS; the
// reconnect with TLS from the first byte gets the greeting.
func TestSilentGreetingSuggestsImplicitTLS(t *testing.T) {
	srv := startSandbox(t, "")
	s := New(Config{Address: srv.TLSAddr(), TLSMode: TLSNone, RootCAs: srv.RootCAs(), SNI: srv.Hostname(),
		Timeouts: Timeouts{Silence: 50 * time.Millisecond, Banner: testGuard}})
	ev := watch(t, s)
	s.Connect()
	hint := ev.until("the silence warning", func(e Event) bool { return e.Kind == KindWarning && e.Suggest == SuggestImplicitTLS })
	if hint.Text == "" {
		t.Fatal("the suggestion says nothing")
	}
	s.ReconnectWith(ReconnectOptions{ImplicitTLS: true})
	ev.until("a TLS greeting", func(e Event) bool { return e.Kind == KindReply && e.Reply.Code == 220 && e.TLS })
}

// TestPinnedCertificate meets an expired certificate: the error suggests
// trusting it; a reconnect pinning exactly that certificate gets through,
// shown as pinned, not verified.
func TestPinnedCertificate(t *testing.T) {
	srv := startSandbox(t, "tls-expired")
	s := New(Config{Address: srv.TLSAddr(), TLSMode: TLSImplicit, RootCAs: srv.RootCAs(), SNI: srv.Hostname()})
	ev := watch(t, s)
	s.Connect()
	fail := ev.until("the certificate error", func(e Event) bool { return e.Kind == KindError })
	var ce *CertificateError
	if !errors.As(fail.Err, &ce) || fail.Suggest != SuggestTrustCertificate {
		t.Fatalf("error %v (suggest %d), want a certificate error suggesting trust", fail.Err, fail.Suggest)
	}
	tlsEv := ev.find(KindTLS)
	if len(tlsEv) == 0 || len(tlsEv[0].TLSInfo.Chain) == 0 || len(tlsEv[0].TLSInfo.Chain[0].DER) == 0 {
		t.Fatalf("the TLS facts of the failed handshake should carry the chain: %+v", tlsEv)
	}
	s.ReconnectWith(ReconnectOptions{PinCert: tlsEv[0].TLSInfo.Chain[0].DER})
	pinned := ev.until("a pinned TLS session", func(e Event) bool { return e.Kind == KindTLS && e.Gen == 2 })
	if !pinned.TLSInfo.Pinned || pinned.TLSInfo.Verified {
		t.Errorf("TLS info %+v: want pinned, not verified", pinned.TLSInfo)
	}
	ev.until("the greeting", func(e Event) bool { return e.Kind == KindReply && e.Gen == 2 && e.Reply.Code == 220 })
}

// TestBDATByHand types BDAT with a size, as RFC 3030 has it: nothing is
// awaited until the data follows; a command typed meanwhile is refused
// (it would be read as message data); data of the wrong length is refused;
// the right data gets the server's reply.
func TestBDATByHand(t *testing.T) {
	srv := startSandbox(t, "")
	s := New(Config{Address: srv.Addr(), RootCAs: srv.RootCAs(), SNI: srv.Hostname(), AutoHello: true})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO", replyTo("EHLO"))
	s.Send("MAIL FROM:<a@sandbox.test>")
	ev.until("MAIL", replyTo("MAIL"))
	s.Send("RCPT TO:<b@sandbox.test>")
	ev.until("RCPT", replyTo("RCPT"))
	data := []byte("Subject: by hand\r\n\r\nhello\r\n")
	s.Send(fmt.Sprintf("BDAT %d LAST", len(data)))
	s.Send("NOOP")
	refused := ev.until("NOOP refused", func(e Event) bool { return e.Kind == KindError && e.Command == "BDAT" })
	if !strings.Contains(refused.Text, "octets") {
		t.Errorf("refusal %q", refused.Text)
	}
	s.SendChunk(data[:5])
	ev.until("short data refused", func(e Event) bool { return e.Kind == KindError && strings.Contains(e.Text, "announced") })
	s.SendChunk(data)
	r := ev.until("the chunk's reply", replyTo("BDAT"))
	if r.Reply.Code != 250 {
		t.Fatalf("reply %d, want 250", r.Reply.Code)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || !bytes.Equal(msgs[0].Data, data) {
		t.Fatalf("the sandbox got %+v", msgs)
	}
}
