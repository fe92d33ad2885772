package proxy

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// bufferedConn reads through a bufio.Reader that may hold octets already
// peeked, so that a TLS handshake sees them.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (b bufferedConn) Read(p []byte) (int, error) { return b.r.Read(p) }

// startTLSDownstream answers the application's STARTTLS itself and runs
// the TLS handshake with it, with the certificate of smtpscope's CA. The
// upstream leg is not touched: it was upgraded (or not) after EHLO. It
// reports false when the connection is over.
func (c *conn) startTLSDownstream(cmd protocol.Command) bool {
	c.recordCommand(LegApp, cmd.Raw, false, cmd, protocol.VerbSTARTTLS)
	if !c.drainPending() {
		return false
	}
	c.mu.Lock()
	active := c.appLeg.tls != nil
	enh := c.appLeg.m.Snapshot().Caps.Has("ENHANCEDSTATUSCODES")
	c.mu.Unlock()
	code := func(e string) string {
		if enh { // RFC 2034 3: enhanced codes only when advertised
			return e
		}
		return ""
	}
	switch {
	case active:
		c.sendApp(protocol.FormatReply(codeBadSequence, code(enhBadSequence), "smtpscope: TLS is already active (RFC 3207 4.2)"), protocol.VerbSTARTTLS)
		return true
	case c.cfg.NoDownstreamStartTLS:
		c.sendApp(protocol.FormatReply(codeTLSNotAvail, code(enhSecurity), "smtpscope: TLS is not offered on this listener"), protocol.VerbSTARTTLS)
		return true
	}
	c.note(LegApp, session.KindInfo, "smtpscope answers STARTTLS itself: TLS on the application's leg ends at smtpscope, which shows its own certificate (from its local CA) — the upstream leg has TLS of its own")
	ready := protocol.FormatReply(codeServiceReady, code(enhOK), "smtpscope: ready to start TLS")
	c.appMu.Lock()
	c.app.SetWriteDeadline(time.Now().Add(c.cfg.TLSHandshakeTimeout))
	_, err := c.appW.WriteString(ready)
	if err == nil {
		err = c.appW.Flush()
	}
	if err != nil {
		c.appMu.Unlock()
		return c.appWriteFailed(err)
	}
	r, _ := protocol.ParseReply(ready)
	c.recordReply(LegApp, protocol.VerbSTARTTLS, replyOf(r, []byte(ready), c.cfg.Now()), 0)
	if n := c.appR.Buffered(); n > 0 {
		// RFC 3207 5: commands pipelined after STARTTLS arrived in clear
		// text; they must not be taken as sent under TLS.
		c.appR.Discard(n)
		c.note(LegApp, session.KindWarning, fmt.Sprintf("the application sent %d octets after STARTTLS without waiting for the 220; they were discarded (RFC 3207 5: STARTTLS must end a pipelined group)", n))
	}
	ok := c.serverHandshake(false)
	c.appMu.Unlock()
	if ok && c.upLegTLS() == nil {
		why := "the server offers no STARTTLS"
		if c.cfg.Upstream.StartTLS == session.StartTLSOff {
			why = "--upstream-starttls=off"
		}
		c.note(LegUpstream, session.KindWarning, "the upstream leg stays in clear text ("+why+"): what the application now sends under TLS leaves smtpscope unencrypted")
	}
	return ok
}

// serverHandshake runs the TLS handshake with the application and makes
// it the application's stream. The caller holds appMu (or is alone).
func (c *conn) serverHandshake(implicit bool) bool {
	tc := tls.Server(bufferedConn{Conn: c.appRaw, r: c.appR}, c.p.tlsConfig)
	c.appRaw.SetDeadline(time.Now().Add(c.cfg.TLSHandshakeTimeout))
	err := tc.Handshake()
	c.appRaw.SetDeadline(time.Time{})
	if err != nil {
		err = c.appHandshakeError(err, implicit)
		c.note(LegApp, session.KindError, err.Error())
		c.end(err)
		return false
	}
	info := c.appTLSInfo(tc.ConnectionState())
	c.app = tc
	c.appR = bufio.NewReaderSize(tc, readBufferSize)
	c.appW = bufio.NewWriterSize(tc, writeBufferSize)
	c.mu.Lock()
	c.appLeg.tls = info
	if !implicit {
		c.appLeg.m.TLSStarted()
	}
	c.mu.Unlock()
	sni := "no name (SNI)"
	if info.ServerName != "" {
		sni = fmt.Sprintf("the name %q", info.ServerName)
	}
	c.note(LegApp, session.KindInfo, fmt.Sprintf("TLS with the application: %s, %s; it asked for %s and accepted smtpscope's certificate", info.Version, info.Cipher, sni))
	c.emit(Event{Leg: LegApp, Event: session.Event{Kind: session.KindTLS, TLSInfo: info}})
	c.announce()
	return true
}

// appTLSInfo describes the application's leg: what it negotiated and the
// certificate smtpscope showed it. Verified stays false: whether the
// application checked the certificate cannot be seen from here.
func (c *conn) appTLSInfo(st tls.ConnectionState) *session.TLSInfo {
	info := &session.TLSInfo{
		Version:    tls.VersionName(st.Version),
		Cipher:     tls.CipherSuiteName(st.CipherSuite),
		ServerName: st.ServerName,
	}
	if leaf := c.p.leaf.Leaf; leaf != nil {
		info.Chain = append(info.Chain, session.DescribeCertificate(leaf))
	}
	info.Chain = append(info.Chain, session.DescribeCertificate(c.p.ca.Certificate()))
	return info
}

// appHandshakeError words a failed handshake with the application. The
// usual cause is an application that verifies certificates and does not
// trust smtpscope's CA.
func (c *conn) appHandshakeError(err error, implicit bool) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" {
		alert := strings.TrimPrefix(op.Err.Error(), "tls: ")
		switch alert {
		case "unknown certificate authority", "bad certificate", "certificate unknown", "unsupported certificate":
			return fmt.Errorf("the application refused smtpscope's certificate (TLS alert %q): it verifies certificates, which is right — make it trust smtpscope's CA (save it with --ca-out FILE and add it to the application's trust store), or keep this session and point the application straight at the server", alert)
		case "protocol version not supported", "handshake failure", "insufficient security":
			return fmt.Errorf("the application and smtpscope share no TLS version or cipher (TLS alert %q): smtpscope offers TLS 1.2 and 1.3", alert)
		}
		return fmt.Errorf("the application ended the TLS handshake with the alert %q", alert)
	}
	var rh tls.RecordHeaderError
	if implicit && errors.As(err, &rh) {
		return fmt.Errorf("the application sent plain text (%q) to the implicit-TLS listener: it is set for STARTTLS or no encryption — set it to SSL/TLS, or point it at the STARTTLS listener %s", protocol.Sanitize(string(rh.RecordHeader[:])), c.p.Addr())
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("no TLS handshake from the application within %s", c.cfg.TLSHandshakeTimeout)
	}
	return fmt.Errorf("the TLS handshake with the application failed: %w", err)
}

// acceptImplicitTLS runs the handshake on the implicit-TLS listener. An
// application that sends nothing at first is most likely waiting for a
// plain greeting: it is set for STARTTLS; that is said early, while the
// handshake goes on waiting.
func (c *conn) acceptImplicitTLS() bool {
	c.appRaw.SetReadDeadline(time.Now().Add(c.cfg.PlainClientWait))
	_, err := c.appR.Peek(1)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		c.note(LegApp, session.KindWarning, fmt.Sprintf(
			"the application connected to the implicit-TLS listener and has sent nothing for %s: it is probably waiting for a plain SMTP greeting, i.e. set for STARTTLS or no encryption — set it to SSL/TLS (as for port 465), or point it at the STARTTLS listener %s",
			c.cfg.PlainClientWait, c.p.Addr()))
	}
	c.appRaw.SetReadDeadline(time.Time{})
	return c.serverHandshake(true)
}

// sniffClientHello looks at the application's first octets on the
// STARTTLS listener: a TLS ClientHello there means the application is set
// for implicit TLS (SSL, port 465). Its TLS library will then fail on the
// plain greeting with "wrong version number" or a similar message; the
// explanation says what to change. It reports true when the connection
// is over.
func (c *conn) sniffClientHello() bool {
	c.appRaw.SetReadDeadline(time.Now().Add(c.cfg.IdleTimeout))
	head, _ := c.appR.Peek(2)
	if len(head) < 2 || head[0] != tlsRecordHandshake || head[1] != tlsRecordMajor {
		return false
	}
	err := fmt.Errorf("the application started a TLS handshake on the STARTTLS listener: it is set for implicit TLS (\"SSL/TLS\", as on port 465), while this port speaks plain SMTP first — its TLS library reports this as \"wrong version number\" or \"first record does not look like a TLS handshake\". Set the application to STARTTLS, or start smtpscope with --downstream-tls-listen and point the application there")
	// The greeting has reached the application, as from a real STARTTLS
	// port: its TLS library fails the way it does in production.
	c.note(LegApp, session.KindError, err.Error())
	c.end(err)
	return true
}
