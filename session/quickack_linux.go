package session

import (
	"net"
	"syscall"
)

// quickAckConn re-arms TCP_QUICKACK before every read, so that the kernel
// acknowledges what the server sends at once instead of after the delayed
// ACK timeout (40 ms on Linux).
//
// Why: after a TLS 1.3 handshake an OpenSSL server (Postfix) writes its
// NewSessionTicket, then, a moment later, the reply to the EHLO the client
// has already sent. Postfix leaves Nagle's algorithm on, so the kernel
// holds the small reply until the ticket is acknowledged; the client has
// nothing to send with which the ACK could travel, so it waits for the
// delayed ACK timer. Every EHLO after STARTTLS then took 40+ ms. A client
// that acknowledges at once removes the wait (measured in
// docs/benchmarks.md). Linux leaves quick-ACK mode again on its own, which
// is why it is set before each read rather than once.
type quickAckConn struct {
	net.Conn
	raw syscall.RawConn
}

// withQuickAck wraps a TCP connection; other connections (tests' pipes)
// are returned unchanged.
func withQuickAck(c net.Conn) net.Conn {
	tcp, ok := c.(*net.TCPConn)
	if !ok {
		return c
	}
	raw, err := tcp.SyscallConn()
	if err != nil {
		return c
	}
	return &quickAckConn{Conn: c, raw: raw}
}

func (c *quickAckConn) Read(p []byte) (int, error) {
	c.raw.Control(func(fd uintptr) {
		// Best effort: a failure only brings the delayed ACK back.
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
	return c.Conn.Read(p)
}
