package session_test

import (
	"net"
	"syscall"
	"testing"
)

// quickAck is the minimal client's version of what smtpscope does on
// Linux: TCP_QUICKACK before each read.
type quickAck struct{ net.Conn }

func (q quickAck) Read(p []byte) (int, error) {
	if raw, err := q.Conn.(*net.TCPConn).SyscallConn(); err == nil {
		raw.Control(func(fd uintptr) {
			syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
		})
	}
	return q.Conn.Read(p)
}

// BenchmarkMinimalClientQuickAckPostfix is the minimal client with quick
// ACKs: the fair floor for BenchmarkProbePostfix, without the 40 ms that
// Postfix's Nagle and the client's delayed ACK add to the plain one.
func BenchmarkMinimalClientQuickAckPostfix(b *testing.B) {
	addr, pool := postfixForBench(b)
	host, _, _ := net.SplitHostPort(addr)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := minimalProbe(addr, host, pool, func(c net.Conn) net.Conn { return quickAck{c} }); err != nil {
			b.Fatal(err)
		}
	}
}
