package session

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"time"
)

// ProbeDetectingTLS is Probe for a connection without implicit TLS that
// may have reached a port for it (465, or any port a server runs TLS on
// from the first byte): such a server says nothing until it sees a TLS
// ClientHello, and a plain probe would wait its whole greeting timeout.
// When the plain connection has heard nothing for the silence timeout,
// a second connection tries implicit TLS beside it. If that one completes
// a handshake, its report is the answer, with a warning saying the port
// speaks TLS; otherwise the plain probe goes on as if nothing happened (a
// server slow to greet costs one extra connection, refused by its TLS
// handshake). With implicit TLS asked for, it is Probe.
func ProbeDetectingTLS(ctx context.Context, cfg Config) (*ProbeReport, error) {
	if cfg.TLSMode == TLSImplicit {
		return Probe(ctx, cfg)
	}
	var heard atomic.Bool
	plainCfg := cfg
	plainCfg.Dial = listeningDial(cfg.Dial, &heard)
	plainCtx, cancelPlain := context.WithCancel(ctx)
	defer cancelPlain()
	plain := startProbe(plainCtx, plainCfg)

	silence := time.NewTimer(cfg.Timeouts.withDefaults().Silence)
	defer silence.Stop()
	select {
	case r := <-plain:
		return r.rep, r.err
	case <-silence.C:
	}
	if heard.Load() {
		r := <-plain // a server that talks is no implicit-TLS port
		return r.rep, r.err
	}
	tlsCfg := cfg
	tlsCfg.TLSMode = TLSImplicit
	tlsCtx, cancelTLS := context.WithCancel(ctx)
	defer cancelTLS()
	viaTLS := startProbe(tlsCtx, tlsCfg)
	for {
		select {
		case r := <-plain:
			if r.err == nil || heard.Load() || viaTLS == nil {
				return r.rep, r.err
			}
			// The plain probe gave up without a word: the TLS attempt,
			// still running, says whether the port wanted a handshake.
			if t := <-viaTLS; handshook(t) {
				return t.tlsAnswer(cfg), t.err
			}
			return r.rep, r.err
		case t := <-viaTLS:
			if handshook(t) && !heard.Load() {
				cancelPlain()
				<-plain
				return t.tlsAnswer(cfg), t.err
			}
			viaTLS = nil // not a TLS port: the plain probe decides
		}
	}
}

// probeResult is what one Probe returned.
type probeResult struct {
	rep *ProbeReport
	err error
}

// startProbe runs Probe in the background; its result arrives once.
func startProbe(ctx context.Context, cfg Config) <-chan probeResult {
	out := make(chan probeResult, 1)
	go func() {
		rep, err := Probe(ctx, cfg)
		out <- probeResult{rep, err}
	}()
	return out
}

// handshook reports a probe whose TLS handshake completed (its
// certificate may still be refused): the port speaks TLS.
func handshook(r probeResult) bool { return r.rep != nil && r.rep.TLS != nil }

// tlsAnswer is the TLS probe's report, saying why it is over TLS.
func (r probeResult) tlsAnswer(cfg Config) *ProbeReport {
	r.rep.Warnings = append([]string{fmt.Sprintf(
		"%s sent nothing for %s over a plain connection but completed a TLS handshake: it is a port for implicit TLS, and this report is over TLS (next time: --tls)",
		cfg.Address, cfg.Timeouts.withDefaults().Silence)}, r.rep.Warnings...)
	return r.rep
}

// listeningDial wraps dial (nil: the network's) so that heard is set
// when the connection receives its first octet.
func listeningDial(dial func(ctx context.Context, network, addr string) (net.Conn, error), heard *atomic.Bool) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if dial == nil {
		d := &net.Dialer{}
		dial = d.DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		// Quick ACKs first: the wrapper hides the TCP connection from dial.
		return &listeningConn{Conn: withQuickAck(c), heard: heard}, nil
	}
}

// listeningConn notes that the server has said something.
type listeningConn struct {
	net.Conn
	heard *atomic.Bool
}

func (c *listeningConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.heard.Store(true)
	}
	return n, err
}
