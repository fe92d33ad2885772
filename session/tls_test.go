package session

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// starttlsServer greets, offers STARTTLS, upgrades with cert, and answers
// EHLO inside TLS with AUTH; injected is written right after the 220 to
// STARTTLS, before the handshake.
func starttlsServer(t *testing.T, cert tls.Certificate, injected string) string {
	return serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "PIPELINING", "STARTTLS")
		p.expect("STARTTLS")
		p.write("220 2.0.0 ready\r\n" + injected)
		if err := p.startTLS(cert); err != nil {
			return
		}
		if !strings.HasPrefix(p.readline(), "EHLO") {
			return // the client refused the certificate and left
		}
		ehloReply(p, "PIPELINING", "AUTH PLAIN")
		if l := p.readline(); strings.HasPrefix(l, "QUIT") {
			p.writeline("221 bye")
		}
	})
}

func TestAutoHelloUpgradesWithSTARTTLSAndVerifies(t *testing.T) {
	pki := newPKI(t)
	addr := starttlsServer(t, pki.goodLeaf(t), "")
	s := New(Config{Address: addr, AutoHello: true, RootCAs: pki.pool})
	ev := watch(t, s)
	s.Connect()
	tlsEv := ev.until("TLS event", kind(KindTLS))
	if !tlsEv.TLSInfo.Verified || tlsEv.TLSInfo.Version == "" || len(tlsEv.TLSInfo.Chain) != 1 {
		t.Errorf("TLS info %+v: want verified, a version, the leaf", tlsEv.TLSInfo)
	}
	if tlsEv.TLSInfo.ServerName != "" {
		t.Errorf("SNI %q sent for an IP address", tlsEv.TLSInfo.ServerName)
	}
	ev.until("EHLO sent inside TLS", func(e Event) bool { return e.Kind == KindClient && e.TLS && strings.HasPrefix(e.Text, "EHLO") })
	st := ev.until("state with TLS caps", func(e Event) bool {
		return e.Kind == KindState && e.Snapshot.TLS && e.Snapshot.State == protocol.StateReady
	})
	if !st.Snapshot.Caps.Has("AUTH") || !st.Snapshot.CapsBeforeTLS.Has("STARTTLS") {
		t.Errorf("caps inside TLS %v, before %v", st.Snapshot.Caps.Keywords(), st.Snapshot.CapsBeforeTLS.Keywords())
	}
	ev.finish()
	if text := transcriptText(t, s, SaveOptions{}); !strings.Contains(text, "• TLS handshake complete") {
		t.Errorf("transcript lacks the TLS note:\n%s", text)
	}
}

func TestBytesInjectedAfterSTARTTLSAreDiscardedAndReported(t *testing.T) {
	pki := newPKI(t)
	addr := starttlsServer(t, pki.goodLeaf(t), "250 injected\r\n")
	s := New(Config{Address: addr, AutoHello: true, RootCAs: pki.pool})
	ev := watch(t, s)
	s.Connect()
	w := ev.until("injection warning", textHas(KindWarning, "before the TLS handshake"))
	if !strings.Contains(w.Text, "250 injected") {
		t.Errorf("warning %q does not quote the injected bytes", w.Text)
	}
	ev.until("TLS event", kind(KindTLS))
	ev.until("EHLO inside TLS", func(e Event) bool { return e.Kind == KindReply && e.Command == "EHLO" && e.TLS })
}

func TestUntrustedCertificateStopsTheSession(t *testing.T) {
	pki := newPKI(t)
	addr := starttlsServer(t, pki.goodLeaf(t), "")
	s := New(Config{Address: addr, AutoHello: true}) // system roots: the test CA is unknown
	ev := watch(t, s)
	s.Connect()
	tlsEv := ev.until("TLS facts", kind(KindTLS))
	if tlsEv.TLSInfo.Verified || !strings.Contains(tlsEv.TLSInfo.VerifyError, "not a trusted root") {
		t.Errorf("TLS info %+v: want unverified with the reason", tlsEv.TLSInfo)
	}
	e := ev.until("certificate error", kind(KindError))
	if !strings.Contains(e.Text, "--insecure") {
		t.Errorf("error %q does not name --insecure", e.Text)
	}
	ev.until("closed", kind(KindClosed))
}

func TestInsecureGoesOnButMarksTheSessionUnverified(t *testing.T) {
	pki := newPKI(t)
	addr := starttlsServer(t, pki.goodLeaf(t), "")
	s := New(Config{Address: addr, AutoHello: true, Insecure: true})
	ev := watch(t, s)
	s.Connect()
	tlsEv := ev.until("TLS facts", kind(KindTLS))
	if tlsEv.TLSInfo.Verified || !tlsEv.TLSInfo.Insecure || tlsEv.TLSInfo.VerifyError == "" {
		t.Errorf("TLS info %+v: want insecure, not verified, the would-be error kept", tlsEv.TLSInfo)
	}
	ev.until("EHLO inside TLS", func(e Event) bool { return e.Kind == KindReply && e.Command == "EHLO" && e.TLS })
}

func TestImplicitTLSAgainstPlainSMTPNamesTheRightFlag(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test plain SMTP here")
		p.readline()
	})
	s := New(Config{Address: addr, TLSMode: TLSImplicit})
	ev := watch(t, s)
	s.Connect()
	e := ev.until("mismatch error", kind(KindError))
	if !strings.Contains(e.Text, "plain SMTP") || !strings.Contains(e.Text, "without --tls") {
		t.Errorf("error %q does not explain the mismatch", e.Text)
	}
}

func TestPlainAgainstTLSPortNamesTheRightFlag(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.write("\x15\x03\x01\x00\x02\x02\x46") // a TLS alert record
		p.readline()
	})
	s := New(Config{Address: addr})
	ev := watch(t, s)
	s.Connect()
	e := ev.until("mismatch error", kind(KindError))
	if !strings.Contains(e.Text, "--tls") || !strings.Contains(e.Text, "TLS") {
		t.Errorf("error %q does not name --tls", e.Text)
	}
	ev.until("closed", kind(KindClosed))
}

func TestImplicitTLSServer(t *testing.T) {
	pki := newPKI(t)
	cert := pki.goodLeaf(t)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	addr := serveOn(t, ln, 1, func(p *peer) {
		p.writeline("220 tls.test")
		p.readline() // whatever comes, QUIT at the end
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr, TLSMode: TLSImplicit, RootCAs: pki.pool})
	ev := watch(t, s)
	s.Connect()
	ev.until("TLS", kind(KindTLS))
	g := ev.until("greeting", kind(KindReply))
	if !g.TLS || g.Reply.Code != 220 {
		t.Errorf("greeting %+v: want 220 inside TLS", g)
	}
	st := ev.until("state", func(e Event) bool { return e.Kind == KindState && e.Snapshot.State == protocol.StateGreeted })
	if !st.Snapshot.TLS {
		t.Error("snapshot not marked TLS on an implicit TLS connection")
	}
}

func TestVerifyChainInPlainWords(t *testing.T) {
	pki := newPKI(t)
	now := time.Now()
	_, good := pki.leaf(t, []string{"mx.test"}, now.Add(-time.Hour), now.Add(time.Hour), false)
	_, expired := pki.leaf(t, []string{"mx.test"}, now.Add(-48*time.Hour), now.Add(-24*time.Hour), false)
	_, self := pki.leaf(t, []string{"mx.test"}, now.Add(-time.Hour), now.Add(time.Hour), true)
	cases := []struct {
		name  string
		chain []*x509.Certificate
		host  string
		roots *x509.CertPool
		want  string
	}{
		{"good", []*x509.Certificate{good}, "mx.test", pki.pool, ""},
		{"expired", []*x509.Certificate{expired}, "mx.test", pki.pool, "expired on " + expired.NotAfter.UTC().Format(dateLayout)},
		{"wrong host", []*x509.Certificate{good}, "other.test", pki.pool, "valid only for mx.test, not for other.test"},
		{"self-signed", []*x509.Certificate{self}, "mx.test", pki.pool, "self-signed"},
		{"missing intermediate", []*x509.Certificate{good}, "mx.test", x509.NewCertPool(), "leaves out the intermediate"},
		{"unknown authority", []*x509.Certificate{good, pki.caCert}, "mx.test", x509.NewCertPool(), "unknown authority"},
	}
	for _, c := range cases {
		err := verifyChain(c.chain, c.host, c.roots, now)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want it to say %q", c.name, err, c.want)
		}
	}
}

func TestDefaultHeloIsAnAddressLiteral(t *testing.T) {
	if got := DefaultHelo(&net.TCPAddr{IP: net.ParseIP("192.0.2.7")}); got != "[192.0.2.7]" {
		t.Errorf("IPv4 literal %q", got)
	}
	if got := DefaultHelo(&net.TCPAddr{IP: net.ParseIP("2001:db8::1")}); got != "[IPv6:2001:db8::1]" {
		t.Errorf("IPv6 literal %q", got)
	}
}
