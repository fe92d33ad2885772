package sandbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/xdg-go/scram"

	"github.com/smtpscope/smtpscope/localca"
	"github.com/smtpscope/smtpscope/protocol"
)

// Server is a running sandbox. It is safe for concurrent use.
type Server struct {
	cfg       Config
	scenario  *Scenario
	hooks     Hooks
	certs     *certificates
	tlsConfig *tls.Config
	scram     *scram.Server
	maxErrors int

	ln    net.Listener
	tlsLn net.Listener

	done     chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    map[net.Conn]struct{}
	closed   bool
	active   int
	perHost  map[string]int // open connections by client address
	nextConn atomic.Uint64
	store    messageStore
	spill    spillDir // message content too large or too old for memory
	id       string   // this server's number, the value of its goroutines' label
}

// GoroutineLabel is the pprof label key set on every goroutine a server
// runs, with the server's number as the value. Goroutines inherit labels,
// so a profile (or a test checking that none outlives Close) can tell one
// server's goroutines from the rest of the process.
const GoroutineLabel = "smtpscope-sandbox"

// serverNumbers numbers the servers of a process for GoroutineLabel.
var serverNumbers atomic.Uint64

// Start validates cfg, opens the listeners and starts serving; the server
// accepts connections when Start returns.
func Start(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	sc, err := lookupScenario(cfg.Scenario)
	if err != nil {
		return nil, err
	}
	certs, err := newCertificates(cfg.Authority, cfg.Hostname, sc.Certificate, cfg.Now())
	if err != nil {
		return nil, err
	}
	scs, err := newSCRAMServer()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		scenario: sc,
		certs:    certs,
		tlsConfig: &tls.Config{
			Certificates: []tls.Certificate{certs.leaf},
			MinVersion:   tls.VersionTLS12,
		},
		scram:     scs,
		maxErrors: cfg.MaxErrors,
		done:      make(chan struct{}),
		conns:     make(map[net.Conn]struct{}),
		perHost:   make(map[string]int),
		id:        strconv.FormatUint(serverNumbers.Add(1), 10),
	}
	s.store = messageStore{max: cfg.MaxStoredMessages, maxBytes: cfg.MaxStoredBytes, dir: &s.spill}
	if s.maxErrors <= 0 {
		s.maxErrors = sc.MaxErrors
	}
	if s.maxErrors <= 0 {
		s.maxErrors = DefaultMaxErrors
	}
	if sc.Hooks != nil {
		s.hooks = sc.Hooks(Env{Hostname: cfg.Hostname, Now: cfg.Now, GreylistDelay: cfg.GreylistDelay})
	}
	s.ln, err = net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("sandbox: cannot listen on %s: %w", cfg.Listen, err)
	}
	if cfg.TLSListen != "" {
		s.tlsLn, err = net.Listen("tcp", cfg.TLSListen)
		if err != nil {
			s.ln.Close()
			return nil, fmt.Errorf("sandbox: cannot listen on %s for implicit TLS: %w", cfg.TLSListen, err)
		}
	}
	pprof.Do(context.Background(), pprof.Labels(GoroutineLabel, s.id), func(context.Context) {
		if s.tlsLn != nil {
			s.wg.Add(1)
			go s.accept(s.tlsLn, true)
		}
		s.wg.Add(1)
		go s.accept(s.ln, false)
	})
	return s, nil
}

// Addr returns the plain (STARTTLS) listener's address, "127.0.0.1:port".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// TLSAddr returns the implicit-TLS listener's address, "" when there is none.
func (s *Server) TLSAddr() string {
	if s.tlsLn == nil {
		return ""
	}
	return s.tlsLn.Addr().String()
}

// Hostname returns the name the sandbox uses in its banner and certificate.
func (s *Server) Hostname() string { return s.cfg.Hostname }

// Scenario returns the name of the scenario being played.
func (s *Server) Scenario() string { return s.scenario.Name }

// MaxMessageSize returns the SIZE limit advertised and enforced.
func (s *Server) MaxMessageSize() int64 { return s.cfg.MaxMessageSize }

// RootCAs returns a pool trusting the sandbox's in-memory CA. With it a
// client verifies the default scenario's certificate; tls-expired and
// tls-wrong-host still fail verification, on purpose.
func (s *Server) RootCAs() *x509.CertPool { return s.certs.pool }

// CACertificatePEM returns the sandbox CA's certificate in PEM form, for
// clients outside the process that verify certificates (swaks
// --tls-verify --tls-ca-path FILE). The CA's key never leaves memory.
func (s *Server) CACertificatePEM() []byte { return append([]byte(nil), s.certs.caPEM...) }

// Authority returns the CA that signed the server's certificate, for a
// server started after this one that clients must trust alike.
func (s *Server) Authority() *localca.Authority { return s.certs.ca }

// Credentials returns the logins that matter in the current scenario.
func (s *Server) Credentials() []Credential {
	return s.scenario.credentials()
}

// Messages returns the messages received and kept, oldest first.
func (s *Server) Messages() []Message { return s.store.snapshot() }

// Close stops the listeners, closes every connection and waits for all
// the server's goroutines to end.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	err := s.ln.Close()
	if s.tlsLn != nil {
		err = errors.Join(err, s.tlsLn.Close())
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	s.spill.removeAll()
	return err
}

// accept serves ln until it is closed.
func (s *Server) accept(ln net.Listener, implicitTLS bool) {
	defer s.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // closed
		}
		if why := s.track(nc); why != "" {
			s.wg.Add(1)
			go s.refuse(nc, why)
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.untrack(nc)
			s.serveGuarded(nc, implicitTLS)
		}()
	}
}

// internalErrorText follows the host name in the 421 that ends a
// connection after a panic.
const internalErrorText = " internal error in the sandbox; closing the connection - reconnect to go on"

// serveGuarded serves one connection; a panic in it (a bug, or a
// scenario hook) ends that connection with 421 and an event, never the
// process: the sandbox runs inside the TUI. [conn.runGuarded] answers a
// panic in the session itself; this is the last resort around it.
func (s *Server) serveGuarded(nc net.Conn, implicitTLS bool) {
	defer func() {
		if r := recover(); r != nil {
			nc.SetWriteDeadline(time.Now().Add(overloadReplyTimeout))
			nc.Write([]byte(protocol.FormatReply(codeUnavailable, enhSystem, s.cfg.Hostname+internalErrorText)))
			s.emit(Event{Kind: EventDisconnect, Remote: nc.RemoteAddr().String(), Err: fmt.Errorf("internal error: %v", r)})
		}
	}()
	s.serve(nc, implicitTLS)
}

// track registers a connection; it returns why the connection is
// refused, or "" when it is taken.
func (s *Server) track(nc net.Conn) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	host := hostOf(nc.RemoteAddr())
	switch {
	case s.closed:
		return "shutting down"
	case s.active >= s.cfg.MaxClients:
		return "too many connections, try again later"
	case s.perHost[host] >= s.cfg.MaxClientsPerHost:
		return fmt.Sprintf("too many connections from %s (%d), try again later", host, s.cfg.MaxClientsPerHost)
	}
	s.active++
	s.perHost[host]++
	s.conns[nc] = struct{}{}
	return ""
}

func (s *Server) untrack(nc net.Conn) {
	nc.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active--
	host := hostOf(nc.RemoteAddr())
	if s.perHost[host]--; s.perHost[host] <= 0 {
		delete(s.perHost, host)
	}
	delete(s.conns, nc)
}

// hostOf is the client's IP address, the unit of the per-client cap.
func hostOf(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	return a.String()
}

// refuse answers a connection the server cannot take with 421 and closes
// it (RFC 5321 3.1: a server may refuse with 421 instead of the greeting).
func (s *Server) refuse(nc net.Conn, why string) {
	defer s.wg.Done()
	defer nc.Close()
	nc.SetWriteDeadline(time.Now().Add(overloadReplyTimeout))
	nc.Write([]byte(protocol.FormatReply(codeUnavailable, enhPolicy, s.cfg.Hostname+" "+why)))
}

// emit reports an event to Config.OnEvent.
func (s *Server) emit(e Event) {
	if s.cfg.OnEvent == nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = s.cfg.Now()
	}
	s.cfg.OnEvent(e)
}

// deadline returns the wall-clock time d from now, for socket deadlines.
func (s *Server) deadline(d time.Duration) time.Time { return time.Now().Add(d) }
