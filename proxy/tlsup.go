package proxy

import (
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// upgraded is the EHLO reply smtpscope got inside TLS on the upstream leg.
type upgraded struct {
	reply
	latency  time.Duration
	recorded bool // already in the transcript, on the upstream leg
}

// upgradeUpstream runs STARTTLS on the upstream leg after the server's
// first EHLO list offered it, then repeats the application's EHLO inside
// TLS (RFC 3207 4.2: the client must forget what it learned before).
// When the server refuses STARTTLS under the auto policy, the leg stays
// plain and the original list is returned. ok is false when the
// connection had to end.
func (c *conn) upgradeUpstream(plain reply, plainLatency time.Duration) (upgraded, bool) {
	c.mu.Lock()
	c.upTried = true
	hello := append([]byte(nil), c.hello...)
	c.mu.Unlock()
	c.note(LegUpstream, session.KindInfo, "smtpscope upgrades the upstream leg with STARTTLS itself, then repeats the application's EHLO inside TLS")
	r, latency, ok := c.ask(protocol.VerbSTARTTLS, []byte("STARTTLS\r\n"), "STARTTLS", c.cfg.Upstream.Timeouts.Command)
	if !ok {
		return upgraded{}, false
	}
	if r.Code != codeServiceReady {
		if c.cfg.Upstream.StartTLS == session.StartTLSRequire {
			err := fmt.Errorf("the upstream server refused STARTTLS (%03d), and --upstream-starttls=require forbids going on in clear text", r.Code)
			c.note(LegUpstream, session.KindError, err.Error())
			c.refuse(enhSecurity, "smtpscope: "+err.Error())
			c.end(err)
			return upgraded{}, false
		}
		c.note(LegUpstream, session.KindWarning, fmt.Sprintf("the upstream server refused STARTTLS (%03d): the upstream leg stays in clear text", r.Code))
		return upgraded{reply: plain, latency: plainLatency, recorded: true}, true
	}
	if n := c.upR.Buffered(); n > 0 {
		// RFC 3207 5: what arrived before the handshake was not protected
		// and must not be taken as if it had been (CVE-2011-0411).
		c.upR.Discard(n)
		c.note(LegUpstream, session.KindWarning, fmt.Sprintf("the server sent %d octets after its 220 to STARTTLS, before TLS began; they were discarded (RFC 3207 5: possible command injection)", n))
	}
	if err := c.upstreamHandshake(false); err != nil {
		return upgraded{}, false
	}
	r, latency, ok = c.ask(protocol.VerbEHLO, hello, string(trimTerminator(hello)), c.cfg.Upstream.Timeouts.Command)
	if !ok {
		return upgraded{}, false
	}
	return upgraded{reply: r, latency: latency, recorded: true}, true
}

// ask sends a command of smtpscope's own on the upstream leg and reads
// its reply, recording both on that leg only. The downstream goroutine is
// waiting for the EHLO reply meanwhile, so nothing else is in flight.
func (c *conn) ask(verb string, line []byte, shown string, timeout time.Duration) (reply, time.Duration, bool) {
	c.recordCommand(LegUpstream, shown, false, protocol.ParseCommand(shown), verb)
	c.mu.Lock()
	p := c.newPending(verb, timeout)
	c.pending = append([]*pending{p}, c.pending...)
	c.mu.Unlock()
	if err := c.writeUp(line, true); err != nil {
		return reply{}, 0, c.upWriteFailed(err)
	}
	r, err := c.readReply(false)
	if err != nil {
		c.upReadFailed(err)
		return reply{}, 0, false
	}
	_, latency := c.popPending(r)
	c.recordReply(LegUpstream, verb, r, latency)
	return r, latency, true
}

// upstreamHandshake runs the TLS client handshake on the upstream leg,
// verified as for any session (or not, with --insecure, loudly).
func (c *conn) upstreamHandshake(implicit bool) error {
	tc, info, err := session.ClientHandshake(c.upRaw, c.cfg.Upstream, implicit)
	if tc != nil {
		c.setUpstream(tc)
		c.mu.Lock()
		c.upLeg.tls = info
		if !implicit {
			c.upLeg.m.TLSStarted()
		}
		c.mu.Unlock()
		c.note(LegUpstream, session.KindInfo, info.Summary())
		c.emit(Event{Leg: LegUpstream, Event: session.Event{Kind: session.KindTLS, TLSInfo: info}})
		if info.Insecure {
			c.note(LegUpstream, session.KindWarning, "the upstream server's certificate is NOT verified (--insecure): anyone on the path could be in smtpscope's place")
		}
		c.announce()
	}
	if err == nil {
		return nil
	}
	err = upstreamTLSError(err, implicit)
	c.note(LegUpstream, session.KindError, err.Error())
	c.refuse(enhSecurity, "smtpscope: TLS with the upstream server failed: "+err.Error())
	c.end(err)
	return err
}

// upstreamTLSError words a failed upstream handshake with the proxy's
// flags: a plain SMTP answer to the implicit handshake means the port
// speaks STARTTLS.
func upstreamTLSError(err error, implicit bool) error {
	var rh tls.RecordHeaderError
	if implicit && errors.As(err, &rh) && len(rh.RecordHeader) >= 3 && isDigits(rh.RecordHeader[:3]) {
		return fmt.Errorf("the upstream server speaks plain SMTP on this port (it sent %q, not TLS): drop --upstream-tls; STARTTLS is used when the server offers it", string(rh.RecordHeader[:]))
	}
	var ce *session.CertificateError
	if errors.As(err, &ce) {
		return fmt.Errorf("the upstream server's certificate is not trusted: %s (trust its CA with --ca FILE, or skip the check with --insecure)", ce.Reason)
	}
	return err
}

func isDigits(b []byte) bool {
	for _, x := range b {
		if x < '0' || x > '9' {
			return false
		}
	}
	return len(b) > 0
}
