package proxy

import (
	"bufio"
	"crypto/tls"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// peer is one end of a scripted SMTP conversation: a server script
// playing the upstream, or a raw client playing an application.
type peer struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func newPeer(t *testing.T, c net.Conn) *peer {
	return &peer{t: t, c: c, r: bufio.NewReader(c)}
}

// write sends raw bytes.
func (p *peer) write(s string) {
	p.c.SetWriteDeadline(time.Now().Add(testGuard))
	if _, err := p.c.Write([]byte(s)); err != nil {
		p.t.Logf("peer write: %v", err)
	}
}

// writeline sends one line with CRLF.
func (p *peer) writeline(s string) { p.write(s + "\r\n") }

// readline returns the next line without CRLF, or "" when the other side
// went away.
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
	p.t.Helper()
	l := p.readline()
	if !strings.HasPrefix(strings.ToUpper(l), strings.ToUpper(prefix)) {
		p.t.Errorf("got %q, want a line starting with %q", l, prefix)
	}
	return l
}

// reply reads a whole reply (up to its last line) and returns its lines.
func (p *peer) reply() []string {
	var lines []string
	for {
		l := p.readline()
		if l == "" {
			return lines
		}
		lines = append(lines, l)
		if len(l) < 4 || l[3] != '-' {
			return lines
		}
	}
}

// startTLS turns the peer into the server side of TLS.
func (p *peer) startTLS(cert tls.Certificate) error {
	tc := tls.Server(p.c, &tls.Config{Certificates: []tls.Certificate{cert}})
	tc.SetDeadline(time.Now().Add(testGuard))
	if err := tc.Handshake(); err != nil {
		return err
	}
	p.c, p.r = tc, bufio.NewReader(tc)
	return nil
}

// clientTLS turns the peer into the client side of TLS.
func (p *peer) clientTLS(cfg *tls.Config) error {
	tc := tls.Client(p.c, cfg)
	tc.SetDeadline(time.Now().Add(testGuard))
	if err := tc.Handshake(); err != nil {
		return err
	}
	p.c, p.r = tc, bufio.NewReader(tc)
	return nil
}

// scripted starts a loopback server that runs script for each of at most
// conns connections and returns its address. It stops with the test.
func scripted(t *testing.T, conns int, script func(p *peer)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
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
				p := newPeer(t, c)
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

// dialApp connects a raw application to addr.
func dialApp(t *testing.T, addr string) *peer {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, testGuard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return newPeer(t, c)
}

// ehloLines writes a 250 EHLO reply with the given keywords.
func ehloLines(p *peer, caps ...string) {
	lines := append([]string{"mx.test greets you"}, caps...)
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		p.writeline("250" + sep + l)
	}
}
