package proxy

import (
	"bytes"
	"errors"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// keywordSTARTTLS is the EHLO keyword of RFC 3207.
const keywordSTARTTLS = "STARTTLS"

// onEHLO handles a 250 to the application's EHLO: it upgrades the
// upstream leg with STARTTLS when the policy says so (and repeats the
// EHLO inside TLS), then relays the list, with STARTTLS added or removed
// to say what smtpscope offers on the application's leg.
func (c *conn) onEHLO(r reply, latency time.Duration) bool {
	policy := c.cfg.Upstream.StartTLS
	c.mu.Lock()
	try := c.upLeg.tls == nil && policy != session.StartTLSOff && !c.upTried
	c.mu.Unlock()
	if try {
		offered := protocol.ParseEHLO(r.Reply).Has(keywordSTARTTLS)
		switch {
		case offered:
			c.recordReply(LegUpstream, protocol.VerbEHLO, r, latency)
			upgraded, ok := c.upgradeUpstream(r, latency)
			if !ok {
				return false
			}
			if upgraded.Code != codeOK {
				// The EHLO inside TLS was refused: the application gets
				// that refusal, as it would from the server.
				return c.relay(upgraded.reply, protocol.VerbEHLO, upgraded.latency)
			}
			return c.relayEHLO(upgraded.reply, upgraded.latency, upgraded.recorded)
		case policy == session.StartTLSRequire:
			c.recordReply(LegUpstream, protocol.VerbEHLO, r, latency)
			err := errors.New("the upstream server does not offer STARTTLS, and --upstream-starttls=require forbids going on in clear text")
			c.note(LegUpstream, session.KindError, err.Error())
			c.refuse(enhSecurity, "smtpscope: "+err.Error())
			c.end(err)
			return false
		default:
			c.mu.Lock()
			c.upTried = true
			c.mu.Unlock()
			c.note(LegUpstream, session.KindWarning, "the upstream server does not offer STARTTLS: the upstream leg stays in clear text, and so does anything the application sends (a password included)")
		}
	}
	return c.relayEHLO(r, latency, false)
}

// onHELO relays a 250 to HELO. HELO cannot negotiate extensions, so the
// upstream leg cannot be upgraded: with require that ends the connection.
func (c *conn) onHELO(r reply, latency time.Duration) bool {
	c.mu.Lock()
	plain := c.upLeg.tls == nil
	c.mu.Unlock()
	if plain && c.cfg.Upstream.StartTLS == session.StartTLSRequire {
		c.recordReply(LegUpstream, protocol.VerbHELO, r, latency)
		err := errors.New("the application sent HELO, which cannot start TLS (STARTTLS is an extension, offered only in reply to EHLO), and --upstream-starttls=require forbids going on in clear text: set the application to ESMTP/EHLO, or use --upstream-tls")
		c.note(LegApp, session.KindError, err.Error())
		c.refuse(enhSecurity, "smtpscope: HELO cannot start TLS and the upstream leg requires it; send EHLO")
		c.end(err)
		return false
	}
	if plain && c.cfg.Upstream.StartTLS == session.StartTLSAuto {
		c.note(LegApp, session.KindWarning, "the application sent HELO, not EHLO: no extension can be used (STARTTLS, AUTH, SIZE, PIPELINING…), so the upstream leg stays in clear text")
	}
	return c.relay(r, protocol.VerbHELO, latency)
}

// relayEHLO sends an EHLO list to the application, changed only to say
// whether smtpscope offers STARTTLS on the application's leg. recorded
// says the upstream's copy is already in the transcript.
func (c *conn) relayEHLO(r reply, latency time.Duration, recorded bool) bool {
	c.mu.Lock()
	offer := c.appLeg.tls == nil && !c.implicit && !c.cfg.NoDownstreamStartTLS
	c.mu.Unlock()
	out, change := rewriteEHLO(r.raw, offer)
	if change == "" {
		if recorded {
			// The server's copy was recorded on the upstream leg: record
			// the application's separately.
			return c.relayApp(r, protocol.VerbEHLO, latency)
		}
		return c.relay(r, protocol.VerbEHLO, latency)
	}
	if !recorded {
		c.recordReply(LegUpstream, protocol.VerbEHLO, r, latency)
	}
	parsed, err := protocol.ParseReply(string(out))
	if err != nil {
		// rewriteEHLO only moves whole lines of a reply that parsed.
		panic("proxy: rewritten EHLO reply does not parse: " + err.Error())
	}
	c.note(LegApp, session.KindInfo, change)
	return c.relayApp(replyOf(parsed, out, r.first), protocol.VerbEHLO, latency)
}

// relayApp sends a reply to the application that only its leg carried.
func (c *conn) relayApp(r reply, verb string, latency time.Duration) bool {
	c.recordReply(LegApp, verb, r, latency)
	if err := c.writeApp(r.raw, c.upR.Buffered() == 0); err != nil {
		return c.appWriteFailed(err)
	}
	return true
}

// rewriteEHLO returns the EHLO reply raw (every line with its
// terminator) with a STARTTLS line added (offer) or removed (!offer), and
// a note of what changed; "" when nothing had to.
func rewriteEHLO(raw []byte, offer bool) ([]byte, string) {
	lines := splitLines(raw)
	if len(lines) == 0 {
		return raw, ""
	}
	at := -1
	for i, l := range lines[1:] {
		if kw := ehloKeyword(l); strings.EqualFold(kw, keywordSTARTTLS) {
			at = i + 1
		}
	}
	switch {
	case offer && at < 0:
		term := lineTerminator(lines[0])
		code := lines[0][:3]
		// The greeting line goes first; STARTTLS right after it.
		out := [][]byte{continued(lines[0])}
		last := len(lines) == 1
		sep := byte('-')
		if last {
			sep = ' '
		}
		out = append(out, append(append(append([]byte{}, code...), sep), append([]byte(keywordSTARTTLS), term...)...))
		out = append(out, lines[1:]...)
		return bytes.Join(out, nil), "smtpscope added STARTTLS to the list the application got: it offers TLS on the application's leg itself (the server's own list is above)"
	case !offer && at >= 0:
		out := append(append([][]byte{}, lines[:at]...), lines[at+1:]...)
		if at == len(lines)-1 {
			out[len(out)-1] = finished(out[len(out)-1])
		}
		return bytes.Join(out, nil), "smtpscope removed STARTTLS from the list the application got: TLS on the application's leg is already running, or not offered here (the server's own list is above)"
	}
	return raw, ""
}

// splitLines splits raw after each LF.
func splitLines(raw []byte) [][]byte {
	var out [][]byte
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\n')
		if i < 0 {
			out = append(out, raw)
			break
		}
		out = append(out, raw[:i+1])
		raw = raw[i+1:]
	}
	return out
}

// ehloKeyword returns the keyword of a capability line ("250-SIZE 1000").
func ehloKeyword(line []byte) string {
	if len(line) < 4 {
		return ""
	}
	f := strings.Fields(string(line[4:]))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// lineTerminator returns the line's CRLF or LF.
func lineTerminator(line []byte) []byte {
	if bytes.HasSuffix(line, []byte("\r\n")) {
		return []byte("\r\n")
	}
	return []byte("\n")
}

// continued returns a copy of a reply line marked as not the last
// ("250 x" → "250-x", a bare "250" → "250-").
func continued(line []byte) []byte { return withSeparator(line, '-') }

// finished returns a copy of a reply line marked as the last.
func finished(line []byte) []byte { return withSeparator(line, ' ') }

func withSeparator(line []byte, sep byte) []byte {
	out := append([]byte(nil), line...)
	if len(out) > 3 && (out[3] == ' ' || out[3] == '-') {
		out[3] = sep
		return out
	}
	if len(out) < 3 {
		return out
	}
	return append(append(append([]byte(nil), out[:3]...), sep), out[3:]...)
}
