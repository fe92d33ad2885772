package session

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// TLS alert descriptions smtpscope explains (RFC 8446 6.2).
const (
	alertHandshakeFailure    = 40
	alertProtocolVersion     = 70
	alertUnrecognizedName    = 112
	alertCertificateRequired = 116
)

// CertificateError reports a TLS handshake that worked but whose peer
// certificate failed verification. Reason is in plain words; Hint names
// the command-line settings that would get past it ("pass it with --ca
// FILE"), which Error adds: a program that offers other ways (keys, a
// dialog) shows Reason with its own.
type CertificateError struct {
	Reason string
	Hint   string
}

func (e *CertificateError) Error() string {
	hint := "use --insecure to connect anyway, marked unverified"
	if e.Hint != "" {
		hint = e.Hint + "; or " + hint
	}
	return "the server's certificate is not trusted: " + e.Reason + " (" + hint + ")"
}

// TLSError reports a TLS handshake that failed, in plain words.
type TLSError struct {
	Msg string
	Err error // the underlying error from crypto/tls or the network
}

func (e *TLSError) Error() string { return e.Msg }
func (e *TLSError) Unwrap() error { return e.Err }

// serverName returns the name sent as SNI and verified: Config.SNI, or the
// host part of the address.
func (s *Session) serverName() string {
	if s.cfg.SNI != "" {
		return s.cfg.SNI
	}
	host, _, err := net.SplitHostPort(s.cfg.Address)
	if err != nil {
		return s.cfg.Address
	}
	return host
}

// roots returns the pool certificates are verified against.
func (s *Session) roots() (*x509.CertPool, error) {
	pool := s.cfg.RootCAs
	if pool == nil {
		sys, err := x509.SystemCertPool()
		if err != nil {
			sys = x509.NewCertPool()
		}
		pool = sys
	} else if s.cfg.CAFile != "" {
		pool = pool.Clone()
	}
	if s.cfg.CAFile != "" {
		if err := AppendCAFile(pool, s.cfg.CAFile); err != nil {
			return nil, err
		}
	}
	return pool, nil
}

// MaxCAFileSize bounds a --ca file: the whole Mozilla root bundle is about
// 200 KiB, so a file past this is not a certificate bundle (--ca /dev/zero).
const MaxCAFileSize = 4 << 20

// AppendCAFile adds the PEM certificates of path to pool. It reads at most
// [MaxCAFileSize] octets and fails, in words a user can act on, when the
// file is larger or holds no certificate; callers check it before any
// connection, so that a bad --ca is a usage error and not a surprise after
// EHLO went out.
func AppendCAFile(pool *x509.CertPool, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read the --ca file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxCAFileSize+1))
	if err != nil {
		return fmt.Errorf("cannot read the --ca file %s: %w", path, err)
	}
	if len(data) > MaxCAFileSize {
		return fmt.Errorf("the --ca file %s is larger than %d MiB: it is not a PEM certificate bundle", path, MaxCAFileSize>>20)
	}
	if !pool.AppendCertsFromPEM(data) {
		return fmt.Errorf("the --ca file %s holds no PEM certificate (it should contain -----BEGIN CERTIFICATE----- blocks)", path)
	}
	return nil
}

// tlsHandshake runs a TLS client handshake over raw and verifies the
// peer. The handshake itself skips verification so that the facts of a
// bad chain can still be shown; nothing is sent over the connection before
// verifyChain has passed (or --insecure said to go on). The returned
// connection and info are set whenever the handshake completed, also when
// the error is a [*CertificateError].
func (s *Session) tlsHandshake(ctx context.Context, raw net.Conn, implicit bool) (*tls.Conn, *TLSInfo, error) {
	name := s.serverName()
	roots, err := s.roots()
	if err != nil {
		return nil, nil, err
	}
	cfg := &tls.Config{
		ServerName:         name,
		InsecureSkipVerify: true, // verified below, by verifyChain, with plain-words errors
		MinVersion:         s.cfg.TLSMin,
		MaxVersion:         s.cfg.TLSMax,
	}
	if s.cfg.ClientCert != nil {
		cfg.Certificates = []tls.Certificate{*s.cfg.ClientCert}
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeouts.Connect)
	defer cancel()
	start := time.Now()
	tc := tls.Client(raw, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, nil, handshakeError(err, implicit, s.timeouts.Connect)
	}
	// HandshakeContext watches ctx only while it runs; later reads and
	// writes are bounded by the session's own deadlines and interrupts.
	st := tc.ConnectionState()
	info := &TLSInfo{
		Version:   tls.VersionName(st.Version),
		Cipher:    tls.CipherSuiteName(st.CipherSuite),
		Insecure:  s.cfg.Insecure,
		Handshake: time.Since(start),
	}
	if net.ParseIP(name) == nil {
		info.ServerName = name
	}
	for _, c := range st.PeerCertificates {
		info.Chain = append(info.Chain, certInfo(c))
	}
	verr := verifyChain(st.PeerCertificates, name, roots, time.Now())
	if verr != nil {
		info.VerifyError, info.VerifyHint = verr.reason(), verr.hint()
		if pinned(st.PeerCertificates, s.cfg.PinnedCert) {
			verr, info.Pinned = nil, true
		}
	}
	// The certificate's names and the verification text quoting them come
	// from the server: the boundary makes them display-safe here, once.
	safeTLSInfo(info)
	switch {
	case verr == nil:
		info.Verified = !s.cfg.Insecure && !info.Pinned
	case !s.cfg.Insecure:
		return tc, info, &CertificateError{Reason: info.VerifyError, Hint: info.VerifyHint}
	}
	return tc, info, nil
}

// pinned reports whether the peer's leaf is exactly the certificate the
// user chose to trust.
func pinned(chain []*x509.Certificate, pin []byte) bool {
	return len(pin) > 0 && len(chain) > 0 && bytes.Equal(chain[0].Raw, pin)
}

// handshakeError words a failed handshake, recognising the port/TLS
// mismatch: a plain SMTP server answers a ClientHello with "220 …".
func handshakeError(err error, implicit bool, timeout time.Duration) error {
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) && looksLikeSMTP(rh.RecordHeader[:]) {
		if implicit {
			return &TLSError{Err: err, Msg: fmt.Sprintf("the server speaks plain SMTP on this port (it sent %s, not TLS) — connect without --tls, and use --starttls to upgrade", quoted(string(rh.RecordHeader[:])))}
		}
		return &TLSError{Err: err, Msg: fmt.Sprintf("the server sent plain text (%s) where the TLS handshake should start, after agreeing to STARTTLS", quoted(string(rh.RecordHeader[:])))}
	}
	var alert tls.AlertError
	if errors.As(err, &alert) {
		switch alert {
		case alertProtocolVersion:
			return &TLSError{Err: err, Msg: "the server and smtpscope have no TLS version in common (see --tls-min/--tls-max)"}
		case alertHandshakeFailure:
			return &TLSError{Err: err, Msg: "the server refused the TLS handshake: no TLS version or cipher in common, or it wants a client certificate (--cert/--key)"}
		case alertCertificateRequired:
			return &TLSError{Err: err, Msg: "the server requires a client certificate: pass one with --cert and --key"}
		case alertUnrecognizedName:
			return &TLSError{Err: err, Msg: "the server does not know the name sent as SNI (set the right one with --sni)"}
		}
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return &TLSError{Err: err, Msg: "the TLS handshake was interrupted (reconnect or quit)"}
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		msg := fmt.Sprintf("no TLS handshake within %s", timeout)
		if implicit {
			msg += " (does this port speak TLS from the first byte? if it expects STARTTLS, drop --tls)"
		}
		return &TLSError{Err: err, Msg: msg}
	case errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET):
		msg := "the server closed the connection during the TLS handshake"
		if implicit {
			msg += " (if this port speaks plain SMTP, drop --tls)"
		}
		return &TLSError{Err: err, Msg: msg}
	}
	return &TLSError{Err: err, Msg: "TLS handshake failed: " + err.Error()}
}

// looksLikeSMTP reports whether the first octets are a reply code.
func looksLikeSMTP(b []byte) bool {
	return len(b) >= 3 && isDigit(b[0]) && isDigit(b[1]) && isDigit(b[2])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// switchToTLS moves c onto the completed handshake tc: later reads and
// writes go through TLS, and the handshake facts are noted and emitted.
// Implicit TLS and STARTTLS both come here, also when the certificate
// then fails verification.
func (s *Session) switchToTLS(c *conn, tc *tls.Conn, info *TLSInfo) {
	c.nc, c.tls = tc, info
	c.bw = bufio.NewWriterSize(tc, writeBufferSize)
	s.note(c, KindInfo, describeTLS(info), nil)
	s.emitConn(c, Event{Kind: KindTLS, TLSInfo: info})
}

// describeTLS is the one-line summary of a handshake for notes.
func describeTLS(info *TLSInfo) string {
	v := "certificate verified"
	switch {
	case info.Insecure:
		v = "certificate NOT verified (--insecure)"
	case info.Pinned:
		v = "certificate trusted for this run only (it did not verify: " + info.VerifyError + ")"
	case !info.Verified:
		v = "certificate NOT trusted" // the error that follows says why
	}
	return fmt.Sprintf("TLS handshake complete: %s, %s, %s", info.Version, info.Cipher, v)
}
