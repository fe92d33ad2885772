package session_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/session"
)

// postfixForBench returns the plain SMTP address and a pool trusting the
// interop CA, or skips the benchmark when the suite was not set up.
func postfixForBench(b *testing.B) (string, *x509.CertPool) {
	addr := os.Getenv(envPostfixAddr)
	if addr == "" {
		b.Skipf("%s is not set; run scripts/postfix-interop.sh start and eval its env first", envPostfixAddr)
	}
	pem, err := os.ReadFile(os.Getenv(envPostfixCA))
	if err != nil {
		b.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		b.Fatal("no certificate in the interop CA file")
	}
	return addr, pool
}

// BenchmarkProbePostfix is one `smtpscope probe` of Postfix's port with
// STARTTLS: connect, banner, EHLO, STARTTLS, TLS 1.3 handshake verified
// against the interop CA, EHLO, QUIT.
func BenchmarkProbePostfix(b *testing.B) {
	addr, pool := postfixForBench(b)
	cfg := session.Config{Address: addr, Helo: interopHelo, RootCAs: pool}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := session.Probe(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMinimalClientPostfix does the same steps as
// BenchmarkProbePostfix with nothing but net, bufio and crypto/tls, and
// the same trust store: the floor probe is measured against.
func BenchmarkMinimalClientPostfix(b *testing.B) {
	addr, pool := postfixForBench(b)
	host, _, _ := net.SplitHostPort(addr)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := minimalProbe(addr, host, pool, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// minimalProbe is the probe's steps by hand; wrap, when not nil, may
// replace the TCP connection (for the quick-ACK variant).
func minimalProbe(addr, host string, pool *x509.CertPool, wrap func(net.Conn) net.Conn) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if wrap != nil {
		c = wrap(c)
	}
	r := bufio.NewReader(c)
	step := func(w interface{ Write([]byte) (int, error) }, r *bufio.Reader, cmd, want string) error {
		if cmd != "" {
			if _, err := fmt.Fprintf(w, "%s\r\n", cmd); err != nil {
				return err
			}
		}
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return err
			}
			if !strings.HasPrefix(l, want) {
				return fmt.Errorf("%s: got %q", cmd, l)
			}
			if len(l) < 4 || l[3] != '-' {
				return nil
			}
		}
	}
	if err := step(c, r, "", "220"); err != nil {
		return err
	}
	if err := step(c, r, "EHLO "+interopHelo, "250"); err != nil {
		return err
	}
	if err := step(c, r, "STARTTLS", "220"); err != nil {
		return err
	}
	tc := tls.Client(c, &tls.Config{RootCAs: pool, ServerName: host})
	if err := tc.Handshake(); err != nil {
		return err
	}
	tr := bufio.NewReader(tc)
	if err := step(tc, tr, "EHLO "+interopHelo, "250"); err != nil {
		return err
	}
	return step(tc, tr, "QUIT", "221")
}
