package session

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// testGuard bounds every wait in a test: a broken engine fails the test
// instead of hanging it. It is not a timing assertion.
const testGuard = 10 * time.Second

// peer is the server side of a scripted conversation.
type peer struct {
	t  *testing.T
	c  net.Conn
	r  *bufio.Reader
	mu sync.Mutex
}

// writeline sends one line with CRLF.
func (p *peer) writeline(s string) { p.write(s + "\r\n") }

// write sends raw bytes.
func (p *peer) write(s string) {
	p.c.SetWriteDeadline(time.Now().Add(testGuard))
	if _, err := p.c.Write([]byte(s)); err != nil {
		p.t.Logf("peer write: %v", err)
	}
}

// readline returns the next line from the client without CRLF, or "" on
// error (the client went away).
func (p *peer) readline() string {
	p.c.SetReadDeadline(time.Now().Add(testGuard))
	l, err := p.r.ReadString('\n')
	if err != nil {
		return ""
	}
	return strings.TrimRight(l, "\r\n")
}

// expect reads a line and checks its prefix (case-insensitive).
func (p *peer) expect(prefix string) string {
	l := p.readline()
	if !strings.HasPrefix(strings.ToUpper(l), strings.ToUpper(prefix)) {
		p.t.Errorf("server got %q, want a line starting with %q", l, prefix)
	}
	return l
}

// startTLS turns the peer's connection into the server side of TLS.
func (p *peer) startTLS(cert tls.Certificate) error {
	tc := tls.Server(p.c, &tls.Config{Certificates: []tls.Certificate{cert}})
	tc.SetDeadline(time.Now().Add(testGuard))
	if err := tc.Handshake(); err != nil {
		return err
	}
	p.c = tc
	p.r = bufio.NewReader(tc)
	return nil
}

// serve starts a loopback listener that runs script for each accepted
// connection (at most conns of them) and returns its address. Everything
// stops when the test ends.
func serve(t *testing.T, conns int, script func(p *peer)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveOn(t, ln, conns, script)
}

// serveOn is [serve] on a listener the test made itself (IPv6, implicit
// TLS); it takes ownership of ln.
func serveOn(t *testing.T, ln net.Listener, conns int, script func(p *peer)) string {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < conns; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			open = append(open, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := &peer{t: t, c: c, r: bufio.NewReader(c)}
				script(p)
				p.c.Close()
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range open {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// events gathers a session's events for assertions.
type events struct {
	t   *testing.T
	s   *Session
	all []Event
	pos int // events before pos were looked at by until
}

func watch(t *testing.T, s *Session) *events {
	t.Cleanup(func() {
		s.Close()
		timer := time.NewTimer(testGuard)
		defer timer.Stop()
		for {
			select {
			case _, ok := <-s.Events():
				if !ok {
					return
				}
			case <-timer.C:
				t.Error("session did not finish after Close")
				return
			}
		}
	})
	return &events{t: t, s: s}
}

// until reads events until one (after the last one returned) satisfies
// ok and returns it.
func (e *events) until(what string, ok func(Event) bool) Event {
	e.t.Helper()
	timer := time.NewTimer(testGuard)
	defer timer.Stop()
	for {
		for ; e.pos < len(e.all); e.pos++ {
			if ok(e.all[e.pos]) {
				e.pos++
				return e.all[e.pos-1]
			}
		}
		select {
		case batch, open := <-e.s.Events():
			if !open {
				e.t.Fatalf("events closed before %s; got:\n%s", what, e.dump())
			}
			e.all = append(e.all, batch...)
		case <-timer.C:
			e.t.Fatalf("no %s; got:\n%s", what, e.dump())
		}
	}
}

// finish closes the session and reads every remaining event.
func (e *events) finish() {
	e.t.Helper()
	e.s.Close()
	timer := time.NewTimer(testGuard)
	defer timer.Stop()
	for {
		select {
		case batch, open := <-e.s.Events():
			if !open {
				return
			}
			e.all = append(e.all, batch...)
		case <-timer.C:
			e.t.Fatalf("events not closed after Close; got:\n%s", e.dump())
		}
	}
}

func (e *events) dump() string {
	var sb strings.Builder
	for _, ev := range e.all {
		sb.WriteString(describeEvent(ev))
		sb.WriteByte('\n')
	}
	return sb.String()
}

func describeEvent(ev Event) string {
	kinds := map[Kind]string{KindInfo: "info", KindWarning: "warn", KindError: "error", KindClient: "C", KindServer: "S",
		KindReply: "reply", KindTLS: "tls", KindState: "state", KindProgress: "progress", KindConnected: "connected", KindClosed: "closed"}
	s := kinds[ev.Kind] + " " + ev.Text
	if ev.Kind == KindState {
		s += ev.State.String()
	}
	return s
}

// kind and friends are event predicates.
func kind(k Kind) func(Event) bool { return func(e Event) bool { return e.Kind == k } }

func textHas(k Kind, sub string) func(Event) bool {
	return func(e Event) bool { return e.Kind == k && strings.Contains(e.Text, sub) }
}

func replyTo(verb string) func(Event) bool {
	return func(e Event) bool { return e.Kind == KindReply && e.Command == verb }
}

// find returns the events of kind k seen so far.
func (e *events) find(k Kind) []Event {
	var out []Event
	for _, ev := range e.all {
		if ev.Kind == k {
			out = append(out, ev)
		}
	}
	return out
}

// transcriptText renders the transcript in the text format.
// untimed is a text transcript without its times and connection headers,
// for comparing the lines themselves.
func untimed(text string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(text, "\n") {
		if strings.HasPrefix(l, "# connection ") {
			continue
		}
		if len(l) > len(TextTimeLayout) && l[len(TextTimeLayout)] == ' ' && l[2] == ':' {
			l = l[len(TextTimeLayout)+1:]
		}
		b.WriteString(l)
	}
	return b.String()
}

// transcriptText is the session's text transcript, untimed.
func transcriptText(t *testing.T, s *Session, o SaveOptions) string {
	t.Helper()
	var sb strings.Builder
	if err := s.Transcript().WriteText(&sb, o); err != nil {
		t.Fatal(err)
	}
	return untimed(sb.String())
}

// testPKI is a CA and certificates made for one test run.
type testPKI struct {
	caCert *x509.Certificate
	caKey  *ecdsa.PrivateKey
	pool   *x509.CertPool
}

func newPKI(t *testing.T) *testPKI {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtpscope test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &testPKI{caCert: ca, caKey: key, pool: pool}
}

// leaf issues a server certificate for names, valid from notBefore to
// notAfter; selfSigned makes it sign itself instead.
func (p *testPKI) leaf(t *testing.T, names []string, notBefore, notAfter time.Time, selfSigned bool) (tls.Certificate, *x509.Certificate) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	parent, signer := p.caCert, any(p.caKey)
	if selfSigned {
		parent, signer = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, cert
}

// goodLeaf is a valid certificate for the loopback address.
func (p *testPKI) goodLeaf(t *testing.T) tls.Certificate {
	c, _ := p.leaf(t, []string{"127.0.0.1", "localhost"}, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour), false)
	return c
}
