package session

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// One hostile string goes through every place a server's words reach:
// banner, capability keywords and parameters, bytes injected after
// STARTTLS, the certificate's subject, issuer and names, a line that is
// not a reply, a 334 challenge, refusal texts (which become error texts),
// and both transcript formats. Every display string the session emits
// must be safe; the raw bytes must still be there for a hex view.
func TestHostileTextIsSafeInEveryDisplayString(t *testing.T) {
	// Certificates carry UTF-8 subjects and ASCII (IA5) names only.
	cert := hostileCert(t, strings.ToValidUTF8(hostileText, "?"), "\x1b]0;owned\x07.\x1b[31m.evil.test")
	addr := serve(t, 1, func(p *peer) {
		if !hostileUpToTLS(p, cert) {
			return
		}
		p.expect("AUTH LOGIN")
		p.writeline("334 " + base64.StdEncoding.EncodeToString([]byte(hostileText)))
		p.readline()
		p.writeline("334 UGFzc3dvcmQ6")
		p.readline()
		p.writeline("535 5.7.8 " + hostileText)
		p.expect("MAIL")
		p.writeline("not a reply " + hostileText)
		p.writeline("550 5.7.1 " + hostileText)
		p.expect("QUIT")
		p.writeline("221 " + hostileText)
	})
	s := New(Config{Address: addr, AutoHello: true, Insecure: true, ShowUsername: true})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO inside TLS", func(e Event) bool { return e.Kind == KindReply && e.Command == "EHLO" && e.TLS })
	s.Auth(AuthRequest{Mechanism: "LOGIN", Username: "user\x1b[2J", Secret: "not-the-real-password"})
	ev.until("auth failure", textHas(KindError, "authentication with LOGIN failed"))
	s.SendMessage(Message{From: "a@x.test", To: []string{"b@x.test"}, Body: strings.NewReader("hi\r\n"), Size: 4})
	ev.until("refused sender", textHas(KindError, "refused the sender"))
	ev.finish()

	assertEventsSafe(t, ev.all)
	assertTranscriptSafe(t, s)
	tlsEv := ev.find(KindTLS)
	if len(tlsEv) != 1 || !strings.Contains(tlsEv[0].TLSInfo.Chain[0].Subject, "owned␇") || !strings.Contains(tlsEv[0].TLSInfo.Chain[0].Issuer, "<U+202E>") {
		t.Errorf("TLS events %+v: want the subject shown with visible symbols", tlsEv[0].TLSInfo.Chain)
	}
	var raw bool
	for _, e := range ev.find(KindServer) {
		if strings.Contains(e.Raw, "\x1b]8;;http://evil.test/") {
			raw = true
		}
	}
	if !raw {
		t.Error("no server line kept its raw bytes for the hex view")
	}
	var refused *ReplyError
	for _, e := range ev.find(KindError) {
		var re *ReplyError
		if errors.As(e.Err, &re) && re.Command == "MAIL" {
			refused = re
		}
	}
	if refused == nil || refused.Reply.Code != 550 || !strings.Contains(refused.Reply.Lines[0].Raw, "\x1b]0;owned") {
		t.Errorf("refusal error %+v: want a ReplyError for MAIL carrying the raw reply", refused)
	}
}

// hostileUpToTLS plays a server whose greeting, EHLO lists (keywords,
// parameters, AUTH list) and post-STARTTLS injection hold hostileText,
// up to the EHLO reply inside TLS; false when the client left.
func hostileUpToTLS(p *peer, cert tls.Certificate) bool {
	p.writeline("220 mx.test " + hostileText)
	p.expect("EHLO")
	p.writeline("250-mx.test " + hostileText)
	p.writeline("250-AUTH " + hostileText)
	p.writeline("250-X-" + hostileText + " " + hostileText)
	p.writeline("250 STARTTLS")
	p.expect("STARTTLS")
	p.write("220 go ahead\r\n250 " + hostileText + "\r\n")
	if p.startTLS(cert) != nil {
		return false
	}
	p.expect("EHLO")
	p.writeline("250-mx.test")
	p.writeline("250-AUTH PLAIN LOGIN " + hostileText)
	p.writeline("250 SIZE " + hostileText)
	return true
}

// The probe's report is built from the same server words: text report
// and JSON are made of its strings, so each must be safe.
func TestHostileTextIsSafeInTheProbeReport(t *testing.T) {
	cert := hostileCert(t, strings.ToValidUTF8(hostileText, "?"), "\x1b]8;;x\x1b\\.evil.test")
	addr := serve(t, 1, func(p *peer) {
		if !hostileUpToTLS(p, cert) {
			return
		}
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	rep, err := Probe(context.Background(), Config{Address: addr, Insecure: true, Timeouts: Timeouts{Command: testGuard}})
	if err != nil {
		t.Fatalf("probe failed: %v", err)
	}
	assertDisplaySafe(t, "report", rep)
	if rep.StartTLSInjection == nil || rep.StartTLSInjection.Octets == 0 {
		t.Errorf("injection not reported: %+v", rep.StartTLSInjection)
	}
	found := false
	for _, w := range rep.Warnings {
		found = found || strings.Contains(w, "STARTTLS command-injection")
	}
	if !found {
		t.Errorf("warnings %q: want the STARTTLS injection named", rep.Warnings)
	}
}

// A certificate refused for a hostile name is named in the error with the
// same visible symbols as everywhere else, not in Go's escapes.
func TestRefusedCertificateNameIsShownWithVisibleSymbols(t *testing.T) {
	cert := hostileCert(t, "evil\x1b[2J\u202ename", "mx.test")
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		p.writeline("250-mx.test")
		p.writeline("250 STARTTLS")
		p.expect("STARTTLS")
		p.writeline("220 go ahead")
		p.startTLS(cert)
	})
	rep, err := Probe(context.Background(), Config{Address: addr, SNI: "mx.test", Timeouts: Timeouts{Command: testGuard}})
	if err == nil {
		t.Fatal("a self-signed certificate was accepted")
	}
	msg := err.Error() + " " + rep.Error
	if strings.Contains(msg, `\x1b`) || strings.Contains(msg, `\u202e`) || strings.ContainsAny(msg, "\x1b\u202e") {
		t.Errorf("error %q: want the name with visible symbols, neither raw nor escaped", msg)
	}
	if !strings.Contains(msg, "evil␛[2J<U+202E>name") {
		t.Errorf("error %q does not name the certificate", msg)
	}
}
