package proxy

import (
	"bytes"
	"fmt"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// maxTranscriptLines bounds one connection's transcript (about 2 MB): an
// application that keeps one connection open for days, sending mail in a
// loop, would otherwise grow it without end. A message costs about 230
// lines (its first 200 content lines are kept), so this holds some 90
// messages; past the cap the log still gets every line.
const maxTranscriptLines = 20_000

// reply is one complete reply as read from the server or made by
// smtpscope, with the bytes that were on the wire.
type reply struct {
	protocol.Reply
	raw   []byte    // every line with its terminator, exactly as on the wire
	first time.Time // when its first line arrived
}

func replyOf(r protocol.Reply, raw []byte, first time.Time) reply {
	return reply{Reply: r, raw: raw, first: first}
}

// emit sends an event about this connection to the consumer, stamping it
// with the connection, the time and each leg's TLS state.
func (c *conn) emit(e Event) {
	e.Conn = c.id
	e.Gen = connGen
	if e.Time.IsZero() {
		e.Time = c.cfg.Now()
	}
	c.mu.Lock()
	e.AppTLS, e.UpstreamTLS = c.appLeg.tls != nil, c.upLeg.tls != nil
	switch e.Kind {
	case session.KindConnected, session.KindTLS, session.KindState, session.KindClosed:
		info := c.infoLocked()
		e.Info = &info
	}
	c.mu.Unlock()
	e.TLS = legTLS(e.Leg, e.AppTLS, e.UpstreamTLS)
	c.p.queue.push(e)
}

// legTLS says whether a line on leg travelled inside TLS: a relayed line
// counts as the application's, whose session it is (its upstream side is
// told apart, in Event.UpstreamTLS and the log's upstream_tls).
func legTLS(leg Leg, app, up bool) bool {
	if leg == LegUpstream {
		return up
	}
	return app
}

// record appends one line to the transcript and the log. text must be
// display text: sanitized, credentials redacted.
func (c *conn) record(leg Leg, dir session.Direction, text string, code int, redacted bool) {
	c.mu.Lock()
	l := session.Line{Time: c.cfg.Now(), Gen: connGen, Dir: dir, Code: code, Redacted: redacted, Text: text,
		TLS: legTLS(leg, c.appLeg.tls != nil, c.upLeg.tls != nil), Leg: leg.String()}
	switch {
	case c.lines < maxTranscriptLines:
		c.transcript.Append(l)
	case !c.linesFull:
		c.linesFull = true
		c.transcript.Append(session.Line{Time: l.Time, Gen: connGen, Dir: session.DirNote,
			Text: fmt.Sprintf("transcript full (%d lines); later lines are in the --log file only", maxTranscriptLines)})
	}
	c.lines++
	c.mu.Unlock()
	rec := session.NewJSONLine(l)
	rec.Conn = c.id
	if leg == LegBoth {
		c.mu.Lock()
		rec.UpstreamTLS = c.upLeg.tls != nil
		c.mu.Unlock()
	}
	c.p.log(rec)
}

// note records a note from smtpscope and emits it as kind.
func (c *conn) note(leg Leg, kind session.Kind, text string) {
	text = c.redact(protocol.Sanitize(text))
	c.record(leg, session.DirNote, text, 0, false)
	c.emit(Event{Leg: leg, Event: session.Event{Kind: kind, Text: text}})
}

// recordCommand records a command line on leg and feeds the state
// machines of the legs that carried it. shown is the display text
// (redacted when it carried a credential); cmd is what the machines get,
// never holding a credential.
func (c *conn) recordCommand(leg Leg, shown string, redacted bool, cmd protocol.Command, verb string) {
	shown = protocol.Sanitize(shown)
	c.record(leg, session.DirClient, shown, 0, redacted)
	c.emit(Event{Leg: leg, Event: session.Event{Kind: session.KindClient, Text: shown, Redacted: redacted, Command: verb}})
	c.mu.Lock()
	c.legs(leg, func(t *legTracker) { t.m.Sent(cmd) })
	c.mu.Unlock()
}

// recordData records one line of message content (no machine update).
func (c *conn) recordData(text string) {
	text = c.redact(protocol.Sanitize(text))
	c.record(LegBoth, session.DirClient, text, 0, false)
	c.emit(Event{Leg: LegBoth, Event: session.Event{Kind: session.KindClient, Text: text, Command: protocol.VerbDATA}})
}

// recordReply records a reply on leg: one KindServer event per line (334
// prompts decoded), then KindReply, and the state machines of the legs
// that carried it.
func (c *conn) recordReply(leg Leg, verb string, r reply, latency time.Duration) {
	challenge := verb == protocol.VerbAUTH && r.Code == codeAuthChallenge
	for i, l := range r.Lines {
		text := c.redact(session.DisplayLine([]byte(l.Raw)))
		e := session.Event{Time: r.first, Kind: session.KindServer, Text: text, Command: verb}
		if i == 0 {
			e.Latency = latency
		}
		if challenge {
			e.Decoded = c.redact(session.DecodeChallenge(l.Text))
		}
		c.record(leg, session.DirServer, text, l.Code, false)
		c.emit(Event{Leg: leg, Event: e})
	}
	c.mu.Lock()
	var state protocol.State
	c.legs(leg, func(t *legTracker) {
		t.m.Received(r.Reply)
		state = t.m.Snapshot().State
	})
	if leg != LegUpstream {
		c.lastCode = r.Code
	}
	c.mu.Unlock()
	rc := r.Reply
	c.emit(Event{Leg: leg, Event: session.Event{Kind: session.KindReply, Reply: &rc, Command: verb, Latency: latency, State: state}})
	c.announce()
}

// recordJunk records a line from the server that is no SMTP reply.
func (c *conn) recordJunk(raw []byte) {
	text := c.redact(session.DisplayLine(raw))
	c.record(LegBoth, session.DirServer, text, 0, false)
	c.emit(Event{Leg: LegBoth, Event: session.Event{Kind: session.KindServer, Text: text}})
	c.note(LegBoth, session.KindWarning, "the server sent a line that is not an SMTP reply (no three-digit code); relayed as received")
}

// firstWord returns the first word of a line, for messages.
func firstWord(b []byte) string {
	b = bytes.TrimSpace(b)
	if i := bytes.IndexAny(b, " \t"); i >= 0 {
		b = b[:i]
	}
	const maxShown = 20
	if len(b) > maxShown {
		b = b[:maxShown]
	}
	return protocol.Sanitize(string(b))
}
