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
	nextConn atomic.Uint64
	store    messageStore
	id       string // this server's number, the value of its goroutines' label
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
	certs, err := newCertificates(cfg.Hostname, sc.Certificate, cfg.Now())
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
		store:     messageStore{max: cfg.MaxStoredMessages},
		id:        strconv.FormatUint(serverNumbers.Add(1), 10),
	}
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
		if !s.track(nc) {
			s.wg.Add(1)
			go s.refuse(nc)
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.untrack(nc)
			s.serve(nc, implicitTLS)
		}()
	}
}

// track registers a connection; false when the server is closed or full.
func (s *Server) track(nc net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.active >= s.cfg.MaxClients {
		return false
	}
	s.active++
	s.conns[nc] = struct{}{}
	return true
}

func (s *Server) untrack(nc net.Conn) {
	nc.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.active--
	delete(s.conns, nc)
}

// refuse answers a connection over MaxClients with 421 and closes it
// (RFC 5321 3.1: a server may refuse with 421 instead of the greeting).
func (s *Server) refuse(nc net.Conn) {
	defer s.wg.Done()
	defer nc.Close()
	nc.SetWriteDeadline(time.Now().Add(overloadReplyTimeout))
	nc.Write([]byte(protocol.FormatReply(codeUnavailable, enhPolicy,
		s.cfg.Hostname+" too many connections, try again later")))
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
