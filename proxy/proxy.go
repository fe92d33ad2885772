package proxy

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/smtpscope/smtpscope/localca"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// Names of the certificates smtpscope makes.
const (
	caCommonName   = "smtpscope proxy CA (made at start)"
	caOrganization = "smtpscope"
	localhostName  = "localhost"
)

// refuseWriteTimeout bounds the 421 sent to a connection over MaxConns.
const refuseWriteTimeout = 5 * time.Second

// errProxyStopped ends the connections still open at Close.
var errProxyStopped = errors.New("smtpscope proxy was stopped")

// Proxy relays applications' SMTP sessions to one upstream server. It is
// safe for concurrent use.
type Proxy struct {
	cfg       Config
	ca        *localca.Authority
	leaf      tls.Certificate
	tlsConfig *tls.Config
	ln        net.Listener
	tlsLn     net.Listener
	queue     *eventQueue
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup

	mu     sync.Mutex
	conns  map[uint64]*conn
	kept   []*conn // finished connections whose transcript is kept, oldest first
	nextID uint64
	closed bool

	logMu   sync.Mutex
	logEnc  *json.Encoder
	logFail bool
}

// Start checks cfg, makes the CA (unless given) and the certificate for
// the application's leg, opens the listeners and starts accepting. The
// proxy stops when ctx ends or at [Proxy.Close].
func Start(ctx context.Context, cfg Config) (*Proxy, error) {
	if cfg.Upstream.Address == "" {
		return nil, errors.New("proxy: no upstream server given")
	}
	cfg = cfg.withDefaults()
	cfg.Upstream.Address = session.NormalizeAddress(cfg.Upstream.Address)
	p := &Proxy{cfg: cfg, ca: cfg.CA, conns: map[uint64]*conn{}}
	now := cfg.Now()
	if p.ca == nil {
		ca, err := localca.New(localca.Options{CommonName: caCommonName, Organization: caOrganization,
			NotBefore: now.Add(-certBackdate), NotAfter: now.Add(caLifetime)})
		if err != nil {
			return nil, err
		}
		p.ca = ca
	}
	var err error
	if p.ln, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w", cfg.Listen, err)
	}
	if cfg.TLSListen != "" {
		if p.tlsLn, err = net.Listen("tcp", cfg.TLSListen); err != nil {
			p.ln.Close()
			return nil, fmt.Errorf("cannot listen on %s for implicit TLS: %w", cfg.TLSListen, err)
		}
	}
	if p.leaf, err = p.ca.Issue(p.leafSpec(now)); err != nil {
		p.closeListeners()
		return nil, err
	}
	p.tlsConfig = &tls.Config{Certificates: []tls.Certificate{p.leaf}, MinVersion: tls.VersionTLS12}
	if cfg.Log != nil {
		p.logEnc = json.NewEncoder(cfg.Log)
		p.logEnc.SetEscapeHTML(false)
	}
	p.queue = newEventQueue(cfg.Now)
	p.ctx, p.cancel = context.WithCancel(ctx)
	p.wg.Add(1)
	go p.accept(p.ln, false)
	if p.tlsLn != nil {
		p.wg.Add(1)
		go p.accept(p.tlsLn, true)
	}
	go func() {
		<-p.ctx.Done()
		p.Close()
	}()
	return p, nil
}

// leafSpec names everything an application may connect to smtpscope by.
func (p *Proxy) leafSpec(now time.Time) localca.Leaf {
	leaf := localca.Leaf{CommonName: localhostName, NotBefore: now.Add(-certBackdate), NotAfter: now.Add(caLifetime)}
	names := []string{localhostName, "127.0.0.1", "::1"}
	for _, ln := range []net.Listener{p.ln, p.tlsLn} {
		if ln != nil {
			if host, _, err := net.SplitHostPort(ln.Addr().String()); err == nil {
				names = append(names, host)
			}
		}
	}
	if h, err := os.Hostname(); err == nil {
		names = append(names, h)
	}
	if host, _, err := net.SplitHostPort(p.cfg.Upstream.Address); err == nil {
		names = append(names, host)
	}
	names = append(names, p.cfg.CertNames...)
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSuffix(strings.TrimSpace(n), ".")
		if n == "" || seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		if ip := net.ParseIP(n); ip != nil {
			if !ip.IsUnspecified() {
				leaf.IPs = append(leaf.IPs, ip)
			}
			continue
		}
		leaf.DNSNames = append(leaf.DNSNames, n)
	}
	return leaf
}

// Addr returns the plain (STARTTLS) listener's address.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// TLSAddr returns the implicit-TLS listener's address, "" when none.
func (p *Proxy) TLSAddr() string {
	if p.tlsLn == nil {
		return ""
	}
	return p.tlsLn.Addr().String()
}

// Upstream returns the server's address, with its port.
func (p *Proxy) Upstream() string { return p.cfg.Upstream.Address }

// CA returns the authority that signed the certificate the application
// is shown. Its certificate is what an application that verifies must
// trust; its key stays in memory unless the caller saves it.
func (p *Proxy) CA() *localca.Authority { return p.ca }

// Certificate returns the certificate shown to the application.
func (p *Proxy) Certificate() tls.Certificate { return p.leaf }

// Events returns the channel of event batches of every connection. It is
// closed after [Proxy.Close] has finished; consumers must keep reading
// until then.
func (p *Proxy) Events() <-chan []Event { return p.queue.out }

// Transcript returns the transcript of connection id, while it is open
// and for the last KeptTranscripts connections after.
func (p *Proxy) Transcript(id uint64) (*session.Transcript, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[id]; ok {
		return c.transcript, true
	}
	for _, c := range p.kept {
		if c.id == id {
			return c.transcript, true
		}
	}
	return nil, false
}

// Close stops the listeners, ends every connection, waits for all the
// proxy's goroutines and closes [Proxy.Events]. It may be called more
// than once.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	open := make([]*conn, 0, len(p.conns))
	for _, c := range p.conns {
		open = append(open, c)
	}
	p.mu.Unlock()
	p.cancel()
	err := p.closeListeners()
	for _, c := range open {
		c.end(errProxyStopped)
	}
	p.wg.Wait()
	p.queue.close()
	return err
}

func (p *Proxy) closeListeners() error {
	err := p.ln.Close()
	if p.tlsLn != nil {
		err = errors.Join(err, p.tlsLn.Close())
	}
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// accept serves ln until it is closed.
func (p *Proxy) accept(ln net.Listener, implicit bool) {
	defer p.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return // closed
		}
		c := p.track(nc, implicit)
		if c == nil {
			p.wg.Add(1)
			go p.refuse(nc)
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			c.serve(p.ctx)
		}()
	}
}

// track registers a new connection; nil when the proxy is closed or full.
func (p *Proxy) track(nc net.Conn, implicit bool) *conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.conns) >= p.cfg.MaxConns {
		return nil
	}
	p.nextID++
	c := newConn(p, p.nextID, nc, implicit)
	p.conns[c.id] = c
	return c
}

// connDone moves a finished connection to the kept transcripts.
func (p *Proxy) connDone(c *conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c.id)
	p.kept = append(p.kept, c)
	if len(p.kept) > p.cfg.KeptTranscripts {
		p.kept[0] = nil
		p.kept = p.kept[1:]
	}
}

// refuse answers a connection over MaxConns with 421 and closes it (RFC
// 5321 3.1: a server may refuse with 421 instead of the greeting).
func (p *Proxy) refuse(nc net.Conn) {
	defer p.wg.Done()
	defer nc.Close()
	defer func() {
		if r := recover(); r != nil {
			p.note(session.KindError, fmt.Sprintf("smtpscope bug refusing a connection: %v\n%s", r, debug.Stack()))
		}
	}()
	p.note(session.KindWarning, fmt.Sprintf("refused a connection from %s: %d connections are open already (the limit)", nc.RemoteAddr(), p.cfg.MaxConns))
	nc.SetWriteDeadline(time.Now().Add(refuseWriteTimeout))
	nc.Write([]byte(protocol.FormatReply(codeNotAvailable, enhTooBusy,
		fmt.Sprintf("smtpscope proxy: too many connections (%d); try again later", p.cfg.MaxConns))))
}

// note emits a note about the proxy itself (Conn 0) and logs it.
func (p *Proxy) note(kind session.Kind, text string) {
	text = protocol.Sanitize(text)
	now := p.cfg.Now()
	rec := session.NewJSONLine(session.Line{Time: now, Dir: session.DirNote, Text: text})
	p.log(rec)
	p.queue.push(Event{Event: session.Event{Time: now, Kind: kind, Text: text}})
}

// log writes one JSON line to Config.Log. A failed write is reported
// once and logging stops.
func (p *Proxy) log(rec session.JSONLine) {
	if p.logEnc == nil {
		return
	}
	p.logMu.Lock()
	if p.logFail {
		p.logMu.Unlock()
		return
	}
	err := p.logEnc.Encode(rec)
	if err != nil {
		p.logFail = true
	}
	p.logMu.Unlock()
	if err != nil {
		p.queue.push(Event{Event: session.Event{Time: p.cfg.Now(), Kind: session.KindError,
			Text: protocol.Sanitize("writing the log failed, so it stops here: " + err.Error()), Err: err}})
	}
}
