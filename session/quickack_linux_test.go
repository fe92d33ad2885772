package session

import (
	"bufio"
	"context"
	"net"
	"strings"
	"syscall"
	"testing"
)

// Dialed connections re-arm quick ACKs before each read (see
// quickack_linux.go for the 40 ms it removes; BenchmarkEHLOAfterSTARTTLS
// measures it). A read leaves the socket in quick-ACK mode.
func TestDialedConnectionsAcknowledgeAtOnce(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.readline()
	})
	s := New(Config{Address: addr})
	c, err := s.dial(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	qa, ok := c.(*quickAckConn)
	if !ok {
		t.Fatalf("dialed a %T, want the quick-ACK wrapper", c)
	}
	buf := make([]byte, 64)
	if _, err := qa.Read(buf); err != nil {
		t.Fatal(err)
	}
	var mode int
	qa.raw.Control(func(fd uintptr) {
		mode, err = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK)
	})
	if err != nil || mode != 1 {
		t.Errorf("TCP_QUICKACK after a read = %d, %v; want 1", mode, err)
	}
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	if withQuickAck(a) != a {
		t.Error("a connection that is not TCP was wrapped")
	}
}

// BenchmarkSplitReplyFromANagleServer measures one NOOP against a server
// that, like Postfix, leaves Nagle's algorithm on and writes a reply in
// two parts: its second write waits for the client's ACK of the first.
// With delayed ACKs each round trip took about 40 ms; with quick ACKs it
// takes a loopback round trip. Compare with -bench and a build without
// withQuickAck in dial.
func BenchmarkSplitReplyFromANagleServer(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.(*net.TCPConn).SetNoDelay(false) // Nagle on, as Postfix leaves it
		r := bufio.NewReader(c)
		c.Write([]byte("220 nagle.test\r\n"))
		for {
			l, err := r.ReadString('\n')
			if err != nil || strings.HasPrefix(l, "QUIT") {
				c.Write([]byte("221 bye\r\n"))
				return
			}
			c.Write([]byte("250-first part\r\n"))
			c.Write([]byte("250 second part\r\n"))
		}
	}()
	s := New(Config{Address: ln.Addr().String()})
	ev := &events{s: s}
	s.Connect()
	waitFor(b, ev, func(e Event) bool { return e.Kind == KindReply })
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Send("NOOP")
		waitFor(b, ev, func(e Event) bool { return e.Kind == KindReply && e.Command == "NOOP" })
	}
	b.StopTimer()
	s.Close()
	for range s.Events() {
	}
}
