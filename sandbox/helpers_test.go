package sandbox

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// testGuard bounds every network wait in the tests; it only stops a hang.
const testGuard = 10 * time.Second

// startServer starts a sandbox for one test and closes it afterwards,
// checking that none of its goroutines outlives it.
func startServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	s, err := Start(cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		checkNoGoroutines(t, s)
	})
	return s
}

// goroutineExitPolls bounds the wait for a server's goroutines to end
// after Close: a goroutine that has called WaitGroup.Done may still be
// returning when Close does, for a moment.
const goroutineExitPolls = 2000

// checkNoGoroutines fails the test when goroutines of server s still run
// after Close returned, beyond that moment. It counts only the goroutines
// that carry s's label, so tests running in parallel do not disturb it.
func checkNoGoroutines(t *testing.T, s *Server) {
	t.Helper()
	n, stacks := serverGoroutines(s)
	for i := 0; n > 0 && i < goroutineExitPolls; i++ {
		time.Sleep(time.Millisecond)
		n, stacks = serverGoroutines(s)
	}
	if n > 0 {
		t.Fatalf("%d goroutines of the server still run after Close:\n%s", n, stacks)
	}
}

// serverGoroutines counts the running goroutines labelled with s's
// number and returns their stacks (the goroutine profile, debug=1).
func serverGoroutines(s *Server) (int, string) {
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
		return 0, err.Error()
	}
	label := fmt.Sprintf("%q:%q", GoroutineLabel, s.id)
	n := 0
	var stacks strings.Builder
	for _, rec := range strings.Split(buf.String(), "\n\n") {
		if !strings.Contains(rec, label) {
			continue
		}
		count, _, _ := strings.Cut(rec, " @ ")
		c, err := strconv.Atoi(strings.TrimSpace(count))
		if err != nil {
			c = 1
		}
		n += c
		stacks.WriteString(rec + "\n\n")
	}
	return n, stacks.String()
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

// TestServerGoroutinesAreCounted checks the accounting the other tests
// rely on: a server's accept loop and each connection's goroutine carry
// its label, and Close leaves none running.
func TestServerGoroutinesAreCounted(t *testing.T) {
	s, err := Start(Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	if n, stacks := serverGoroutines(s); n < 2 {
		t.Fatalf("%d labelled goroutines with a client connected, want the accept loop and the connection:\n%s", n, stacks)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoGoroutines(t, s)
}
