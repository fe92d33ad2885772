package sandbox

import (
	"bufio"
	"bytes"
	"net"
	"strings"
	"testing"
)

// benchClient is a minimal pipelining client for benchmarks.
type benchClient struct {
	conn net.Conn
	r    *bufio.Reader
	w    *bufio.Writer
}

func newBenchClient(b *testing.B, s *Server) *benchClient {
	b.Helper()
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	c := &benchClient{conn: conn, r: bufio.NewReader(conn), w: bufio.NewWriter(conn)}
	c.expect(b, "220")
	c.w.WriteString("EHLO bench.test\r\n")
	c.w.Flush()
	c.expect(b, "250")
	return c
}

// expect reads one reply and checks its code.
func (c *benchClient) expect(b *testing.B, code string) {
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			b.Fatalf("read: %v", err)
		}
		if !strings.HasPrefix(line, code) {
			b.Fatalf("got %q, want %s", line, code)
		}
		if len(line) < 4 || line[3] != '-' {
			return
		}
	}
}

// send sends one message with MAIL, RCPT and DATA pipelined (RFC 2920).
func (c *benchClient) send(b *testing.B, body []byte) {
	c.w.WriteString("MAIL FROM:<a@sandbox.test>\r\nRCPT TO:<b@sandbox.test>\r\nDATA\r\n")
	c.w.Flush()
	c.expect(b, "250")
	c.expect(b, "250")
	c.expect(b, "354")
	c.w.Write(body)
	c.w.WriteString(".\r\n")
	c.w.Flush()
	c.expect(b, "250")
}

// BenchmarkSandboxMessages sends 1 KiB messages one after another on one
// connection, as a mail library under test would.
func BenchmarkSandboxMessages(b *testing.B) {
	s, err := Start(Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c := newBenchClient(b, s)
	body := bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n"), 16)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		c.send(b, body)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkSandboxMessagesParallel sends 1 KiB messages on several
// connections at once.
func BenchmarkSandboxMessagesParallel(b *testing.B) {
	s, err := Start(Config{MaxStoredMessages: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	body := bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n"), 16)
	b.SetBytes(int64(len(body)))
	b.RunParallel(func(pb *testing.PB) {
		c := newBenchClient(b, s)
		for pb.Next() {
			c.send(b, body)
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkSandboxLargeMessage streams a 16 MiB message; bodies are not
// kept, so this measures the DATA reader alone.
func BenchmarkSandboxLargeMessage(b *testing.B) {
	s, err := Start(Config{MaxStoredMessages: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c := newBenchClient(b, s)
	line := []byte(strings.Repeat("x", 76) + "\r\n")
	body := bytes.Repeat(line, 16<<20/len(line))
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		c.send(b, body)
	}
}
