package session

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"
)

// Well-known SMTP ports.
const (
	PortSMTP        = "25"  // RFC 5321: relay, STARTTLS optional
	PortSubmissions = "465" // RFC 8314 3.3: submission over implicit TLS
	PortSubmission  = "587" // RFC 6409: submission, STARTTLS expected
)

// DefaultTLSMode returns the TLS mode a user expects for address when
// none was asked for: implicit TLS on port 465, plain elsewhere.
func DefaultTLSMode(address string) TLSMode {
	if _, port, err := net.SplitHostPort(address); err == nil && port == PortSubmissions {
		return TLSImplicit
	}
	return TLSNone
}

// NormalizeAddress adds port 25 when address has none and brackets a
// bare IPv6 address: "mx.example.com" → "mx.example.com:25",
// "::1" → "[::1]:25".
func NormalizeAddress(address string) string {
	if _, _, err := net.SplitHostPort(address); err == nil {
		return address
	}
	host := strings.TrimSuffix(strings.TrimPrefix(address, "["), "]")
	return net.JoinHostPort(host, PortSMTP)
}

// connectNotePrefix begins the transcript note of each connection attempt.
const connectNotePrefix = "connecting to "

// ConnectNote is the transcript note that opens each connection attempt:
// "connecting to HOST:PORT".
func ConnectNote(address string) string { return connectNotePrefix + address }

// ParseConnectNote returns the address of a note made by [ConnectNote].
func ParseConnectNote(text string) (address string, ok bool) {
	address, ok = strings.CutPrefix(text, connectNotePrefix)
	return address, ok && address != ""
}

// dial opens the TCP connection, with the connect timeout.
func (s *Session) dial(ctx context.Context) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeouts.Connect)
	defer cancel()
	dial := s.cfg.Dial
	if dial == nil {
		d := &net.Dialer{}
		dial = d.DialContext
	}
	c, err := dial(ctx, "tcp", s.cfg.Address)
	if err != nil {
		return nil, dialError(s.cfg.Address, err, s.timeouts.Connect)
	}
	return withQuickAck(c), nil
}

// dialError words a failed connect so that the user knows what to try;
// the network error stays wrapped (errors.Is(err, syscall.ECONNREFUSED)).
func dialError(addr string, err error, timeout time.Duration) error {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return worded(err, "cannot connect to %s: the host name %q does not exist (check the spelling, or use --mx for a mail domain)", addr, dns.Name)
		}
		return worded(err, "cannot connect to %s: looking up %q failed: %v", addr, dns.Name, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return worded(err, "cannot connect to %s: connection refused — nothing listens on that port (wrong port? 25 relay, 587 submission with STARTTLS, 465 implicit TLS)", addr)
	case errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH):
		return worded(err, "cannot connect to %s: no route to that network (no IPv6 here? try the IPv4 address)", addr)
	case errors.Is(err, context.Canceled):
		return worded(err, "connecting to %s was cancelled", addr)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return worded(err, "cannot connect to %s: no answer within %s (a firewall may drop the packets; many networks block outgoing port 25)", addr, timeout)
	}
	return fmt.Errorf("cannot connect to %s: %w", addr, err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// open dials, runs the implicit TLS handshake when asked, and starts the
// reader, waiting for the greeting. It returns the connection (also when
// a certificate failed verification, for its facts) and an error.
func (s *Session) open(ctx context.Context) (*conn, error) {
	if s.c != nil && !s.c.dead {
		s.teardown(s.c, errors.New("replaced by a new connection"))
	}
	s.gen++
	s.genNow.Store(int64(s.gen))
	// The transcript keeps the address, so that a saved session says
	// where it went (smtpscope export rebuilds the connection from it).
	note := ConnectNote(s.cfg.Address)
	s.emit(Event{Gen: s.gen, Kind: KindInfo, Text: note})
	if s.cfg.TLSMode == TLSNone && DefaultTLSMode(s.cfg.Address) == TLSImplicit {
		s.emit(Event{Gen: s.gen, Kind: KindWarning, Text: "port 465 normally expects TLS from the first byte; connecting in plain text as asked (use --tls for implicit TLS)"})
	}
	raw, err := s.dial(ctx)
	if err != nil {
		s.emit(Event{Gen: s.gen, Kind: KindError, Text: err.Error(), Err: err})
		s.emit(Event{Gen: s.gen, Kind: KindClosed, Text: "not connected", Err: err})
		return nil, err
	}
	c := newConn(s.gen, raw)
	s.c = c
	s.active.Store(c)
	if s.cfg.TLSMode == TLSImplicit {
		tc, info, err := s.tlsHandshake(ctx, raw, true)
		if tc != nil {
			s.switchToTLS(c, tc, info)
		}
		if err != nil {
			c.tlsErr = err
			s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
			s.teardown(c, err)
			return c, err
		}
	}
	s.emitConn(c, Event{Kind: KindConnected, Text: raw.RemoteAddr().String()})
	s.track.connected(c.tls != nil)
	s.track.announce(s, c)
	now := time.Now()
	c.pending = []pending{{sent: now, deadline: now.Add(s.timeouts.Banner)}}
	c.startReader(c.tls == nil)
	return c, nil
}

// connect is the Connect intent: open, the greeting, and with AutoHello
// the EHLO / STARTTLS / EHLO sequence.
func (s *Session) connect(ctx context.Context) {
	c, err := s.open(ctx)
	if err != nil {
		return
	}
	a, err := s.awaitReply(ctx, c)
	if err != nil || a.reply.Code != codeServiceReady || !s.cfg.AutoHello {
		return
	}
	s.autoHello(ctx, c)
}

// heloName is the name sent with EHLO: the one the user typed on this
// connection, else Config.Helo, else the local address
// as an address literal (RFC 5321 4.1.3), which is always truthful.
func (s *Session) heloName(c *conn) string {
	if c.hello != "" {
		return c.hello
	}
	if s.cfg.Helo != "" {
		return s.cfg.Helo
	}
	return DefaultHelo(c.raw.LocalAddr())
}

// DefaultHelo returns the EHLO argument used when none is configured: the
// local address of the connection as an address literal ("[192.0.2.1]",
// "[IPv6:2001:db8::1]", RFC 5321 4.1.3), or "localhost" when unknown.
func DefaultHelo(local net.Addr) string {
	tcp, ok := local.(*net.TCPAddr)
	if !ok || tcp.IP == nil {
		return "localhost"
	}
	if ip4 := tcp.IP.To4(); ip4 != nil {
		return "[" + ip4.String() + "]"
	}
	return "[IPv6:" + tcp.IP.String() + "]"
}
