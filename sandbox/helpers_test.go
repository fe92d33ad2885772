package sandbox

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// testGuard bounds every network wait in the tests; it only stops a hang.
const testGuard = 10 * time.Second

// startServer starts a sandbox for one test and closes it afterwards,
// checking that no goroutine outlives it.
func startServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	base := runtime.NumGoroutine()
	s, err := Start(cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		waitGoroutines(t, base)
	})
	return s
}

// waitGoroutines fails the test when the goroutine count does not come
// back to base. Goroutines of closed client connections may take a
// moment to finish, so it polls.
func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(testGuard)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), base, buf[:n])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// client is a scripted SMTP client over a real socket.
type client struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

// dial connects to addr and returns the client without reading anything.
func dial(t *testing.T, addr string) *client {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, testGuard)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &client{t: t, conn: conn, r: bufio.NewReader(conn)}
}

// connect dials s and reads the greeting, which must be 220.
func connect(t *testing.T, s *Server) *client {
	t.Helper()
	c := dial(t, s.Addr())
	c.expectReply(codeReady, "")
	return c
}

// send writes one line with CRLF.
func (c *client) send(line string) {
	c.t.Helper()
	c.writeRaw(line + "\r\n")
}

// writeRaw writes bytes as they are.
func (c *client) writeRaw(s string) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(testGuard))
	if _, err := c.conn.Write([]byte(s)); err != nil {
		c.t.Fatalf("write %q: %v", abbrev(s), err)
	}
}

// reply reads one complete reply.
func (c *client) reply() protocol.Reply {
	c.t.Helper()
	r, err := c.tryReply()
	if err != nil {
		c.t.Fatalf("reading reply: %v", err)
	}
	return r
}

// tryReply reads one reply, returning the read error instead of failing.
func (c *client) tryReply() (protocol.Reply, error) {
	var b protocol.ReplyBuilder
	c.conn.SetReadDeadline(time.Now().Add(testGuard))
	for {
		line, err := c.r.ReadBytes('\n')
		if err != nil {
			return b.Abort(), err
		}
		done, err := b.Add(line)
		if err != nil {
			return protocol.Reply{}, err
		}
		if done {
			return b.Reply(), nil
		}
	}
}

// expectReply reads a reply and checks its code and enhanced code ("" =
// none expected).
func (c *client) expectReply(code int, enhanced string) protocol.Reply {
	c.t.Helper()
	r := c.reply()
	if r.Code != code || r.Enhanced.String() != enhanced {
		c.t.Fatalf("got %q, want %d %s", r.Raw(), code, enhanced)
	}
	return r
}

// cmd sends a line and checks the reply.
func (c *client) cmd(line string, code int, enhanced string) protocol.Reply {
	c.t.Helper()
	c.send(line)
	r := c.reply()
	if r.Code != code || r.Enhanced.String() != enhanced {
		c.t.Fatalf("%s: got %q, want %d %s", abbrev(line), r.Raw(), code, enhanced)
	}
	return r
}

// expectClosed checks that the server closed the connection.
func (c *client) expectClosed() {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(testGuard))
	if line, err := c.r.ReadString('\n'); err == nil {
		c.t.Fatalf("connection still open, got %q", line)
	}
}

// startTLS runs STARTTLS and the handshake, trusting pool.
func (c *client) startTLS(s *Server) {
	c.t.Helper()
	c.cmd("STARTTLS", codeReady, "2.0.0")
	tc := tls.Client(c.conn, &tls.Config{RootCAs: s.RootCAs(), ServerName: DefaultHostname})
	tc.SetDeadline(time.Now().Add(testGuard))
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake: %v", err)
	}
	c.conn, c.r = tc, bufio.NewReader(tc)
}

// ehloTLS brings a fresh connection to "EHLO done inside TLS".
func ehloTLS(t *testing.T, s *Server) *client {
	t.Helper()
	c := connect(t, s)
	c.cmd("EHLO client.test", codeOK, "")
	c.startTLS(s)
	c.cmd("EHLO client.test", codeOK, "")
	return c
}

// b64 is base64 of s, for AUTH lines.
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// plain is the PLAIN initial response for user and password.
func plain(user, password string) string { return b64("\x00" + user + "\x00" + password) }

// hasLine reports whether the reply has a line whose text contains want.
func hasLine(r protocol.Reply, want string) bool {
	for _, l := range r.Lines {
		if strings.Contains(l.Text, want) {
			return true
		}
	}
	return false
}

func abbrev(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
