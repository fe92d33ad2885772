package session

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

const echoedSecret = "Zq9-correct-horse-battery"

// A server that echoes what it was sent — the password, the base64 of the
// PLAIN response, the base64 of the password alone — gets it shown as
// ●●●●●●●● everywhere: pane, reply, raw bytes, errors, transcript.
func TestEchoedSecretsAreRedactedEverywhere(t *testing.T) {
	plain := base64.StdEncoding.EncodeToString([]byte("\x00demo\x00" + echoedSecret))
	passB64 := base64.StdEncoding.EncodeToString([]byte(echoedSecret))
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "AUTH PLAIN LOGIN")
		got := strings.TrimPrefix(p.expect("AUTH PLAIN "), "AUTH PLAIN ")
		p.writeline("535-5.7.8 you sent " + got)
		p.writeline("535-5.7.8 pass=" + echoedSecret + " b64=" + passB64)
		p.writeline("535 5.7.8 inside other base64: " + base64.StdEncoding.EncodeToString([]byte("xy:"+echoedSecret+":z")))
		p.expect("QUIT")
		p.writeline("221 bye " + echoedSecret)
	})
	s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSOff})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO reply", replyTo("EHLO"))
	s.Auth(AuthRequest{Mechanism: "PLAIN", Username: "demo", Secret: echoedSecret})
	e := ev.until("auth failure", kind(KindError))
	var re *ReplyError
	if !errors.As(e.Err, &re) || re.Reply.Code != 535 {
		t.Fatalf("error %v: want a ReplyError for the 535", e.Err)
	}
	for _, l := range re.Reply.Lines {
		if strings.Contains(l.Raw, echoedSecret) || strings.Contains(l.Raw, passB64) {
			t.Errorf("the ReplyError keeps the secret: %q", l.Raw)
		}
	}
	ev.finish()
	core := passB64[2 : len(passB64)-4] // the secret's base64 at another alignment, inside the third line
	assertNoSecret(t, s, ev.all, echoedSecret, plain, passB64, core)
	if text := transcriptText(t, s, SaveOptions{}); !strings.Contains(text, "pass="+redactedMark) {
		t.Errorf("transcript does not show the redaction mark where the secret was:\n%s", text)
	}
}

// Lines pasted after "AUTH LOGIN", before the server's 334 arrived, are
// SASL responses all the same: redacted on screen and in the transcript,
// and their decoded secret hidden when the server echoes it.
func TestPastedAuthLoginAnswersAreRedacted(t *testing.T) {
	user := base64.StdEncoding.EncodeToString([]byte("demo@example.test"))
	pass := base64.StdEncoding.EncodeToString([]byte(echoedSecret))
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("AUTH LOGIN")
		p.expect(user)
		p.expect(pass)
		p.writeline("334 VXNlcm5hbWU6")
		p.writeline("334 UGFzc3dvcmQ6")
		p.writeline("535 5.7.8 bad password " + echoedSecret)
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", kind(KindReply))
	s.Pipeline([]string{"AUTH LOGIN", user, pass})
	ev.until("535", func(e Event) bool { return e.Kind == KindReply && e.Reply.Code == 535 })
	ev.finish()
	assertNoSecret(t, s, ev.all, user, pass, echoedSecret)
	var redacted int
	for _, e := range ev.find(KindClient) {
		if e.Redacted {
			redacted++
		}
	}
	if redacted != 2 {
		t.Errorf("%d client lines marked redacted, want the two pasted answers", redacted)
	}
}

func TestBase64FormsCoverEveryAlignment(t *testing.T) {
	var ss secretSet
	ss.addSecret(echoedSecret)
	for _, prefix := range []string{"", "a", "ab", "abc", "\x00user\x00", "user=x\x01auth=Bearer "} {
		enc := base64.StdEncoding.EncodeToString([]byte(prefix + echoedSecret + "tail"))
		if got := ss.redact("text " + enc + " text"); strings.Contains(got, enc[len(enc)/2-3:len(enc)/2+3]) {
			t.Errorf("prefix %q: %q left the middle of %q", prefix, got, enc)
		}
	}
	if got := ss.redact("nothing to see"); got != "nothing to see" {
		t.Errorf("redact changed clean text: %q", got)
	}
}
