package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// Reply codes the engine acts on.
const (
	codeServiceReady   = 220 // RFC 5321 4.2.2: greeting; RFC 3207 4: ready to start TLS
	codeClosing        = 221 // RFC 5321 4.2.2: closing the channel (QUIT)
	codeAuthOK         = 235 // RFC 4954 6: authentication succeeded
	codeOK             = 250 // RFC 5321 4.2.2
	codeAuthChallenge  = 334 // RFC 4954 4: server challenge
	codeStartMail      = 354 // RFC 5321 4.2.2: start mail input
	codeNotAvailable   = 421 // RFC 5321 3.8: service not available, closing
	codeAuthCancelled  = 501 // RFC 4954 4: the client cancelled with "*"
	codeCommandUnknown = 500 // RFC 5321 4.2.4: syntax error, command unrecognized
	codeNotImplemented = 502 // RFC 5321 4.2.4: command not implemented
)

// quitWait bounds the wait for the reply to QUIT when closing: quit and
// reconnect act within a second even when the server does not answer.
const quitWait = time.Second

// answered is a processed reply and the command it answered.
type answered struct {
	verb    string // "" for the greeting or an unsolicited reply
	reply   protocol.Reply
	latency time.Duration
	err     error // the connection ended with (or instead of) this reply
}

// maxUnsolicitedReplies is how many replies nobody asked for a connection
// tolerates: a 421 before closing is normal (RFC 5321 3.8), a stream of
// them is a server out of step, and each one costs memory in the display.
const maxUnsolicitedReplies = 10

// emit sends an event of the current generation, through the display
// boundary.
func (s *Session) emit(e Event) {
	if e.Gen == 0 {
		e.Gen = s.gen
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if s.c != nil && !s.c.dead && s.c.gen == e.Gen {
		e.TLS = s.c.tls != nil
	}
	if e.Kind == KindClient {
		e.Auto = s.composing
	}
	s.present(&e)
	s.recordNote(e)
	if s.events == nil {
		return
	}
	s.events.push(e)
}

// emitConn sends an event about connection c, through the display
// boundary.
func (s *Session) emitConn(c *conn, e Event) {
	e.Gen = c.gen
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.TLS = c.tls != nil
	if e.Kind == KindClient {
		e.Auto = s.composing
	}
	s.present(&e)
	s.recordNote(e)
	if s.events == nil {
		return
	}
	s.events.push(e)
}

// recordNote keeps an information, warning or error event in the
// transcript as a note, so that the saved transcript says what the screen
// said. e has been through the display boundary.
func (s *Session) recordNote(e Event) {
	text := e.Text
	if e.Kind == KindConnected {
		text = ConnectedNote + text
	}
	level, ok := noteLevelOf[e.Kind]
	if !ok || text == "" {
		return
	}
	s.transcript.append(Line{Time: e.Time, Gen: e.Gen, Dir: DirNote, TLS: e.TLS, Level: level, Text: text}, "")
}

// ConnectedNote begins the note of a connection made (its address
// follows), in the transcript as on screen.
const ConnectedNote = "connected to "

// noteLevelOf are the event kinds kept as notes.
var noteLevelOf = map[Kind]NoteLevel{KindInfo: NoteInfo, KindWarning: NoteWarning, KindError: NoteError, KindConnected: NoteInfo}

// Annotate adds a note, made at time at, to the transcript from the
// program that drives the session (the TUI's own notes: a queued command,
// a file saved), so that a saved transcript says what the screen said.
// text is made safe first.
func (s *Session) Annotate(at time.Time, level NoteLevel, text string) {
	s.record(Line{Time: at, Gen: int(s.genNow.Load()), Dir: DirNote, Level: level, Text: text}, "")
}

// record adds a line to the transcript through the display boundary.
// withUsername, when not "", is the text with the AUTH username shown.
func (s *Session) record(l Line, withUsername string) {
	l.Text = s.safe(l.Text)
	if withUsername != "" {
		withUsername = s.safe(withUsername)
	}
	s.transcript.append(l, withUsername)
}

// note emits a note about c; emitting keeps it in the transcript.
func (s *Session) note(c *conn, kind Kind, text string, err error) {
	s.emitConn(c, Event{Kind: kind, Text: text, Err: err})
}

// process turns one reader result into transcript lines and events, feeds
// the state machine, and lets the reader go on (except after a 220 to
// STARTTLS, where the stream now belongs to the TLS handshake).
func (s *Session) process(ctx context.Context, c *conn, res readResult) answered {
	s.showJunk(c, res)
	var a answered
	a.reply = res.reply
	if errors.Is(res.err, errTLSRecord) {
		err := worded(res.err, "%v: this port expects TLS from the first byte (implicit TLS, usually port 465) — connect with --tls", res.err)
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
		s.teardown(c, err)
		a.err = err
		return a
	}
	if len(res.reply.Lines) > 0 {
		s.takeReply(c, res, &a)
	}
	if res.err != nil {
		a.err = s.readFailure(c, res, a)
		return a
	}
	if c.dead {
		a.err = cmp.Or(c.outOfStep, errNotConnected)
		return a
	}
	if a.verb == protocol.VerbSTARTTLS && a.reply.Code == codeServiceReady {
		c.pauseReader()
		s.handshakeAfterStartTLS(ctx, c)
		return a
	}
	s.checkTurn(c, res)
	c.next()
	return a
}

// showJunk records and shows lines that could not start a reply.
func (s *Session) showJunk(c *conn, res readResult) {
	for _, j := range res.junk {
		text := displayLine(j.raw)
		s.record(Line{Time: j.when, Gen: c.gen, Dir: DirServer, TLS: c.tls != nil, Text: text}, "")
		s.emitConn(c, Event{Time: j.when, Kind: KindServer, Text: text, Raw: trimEOL(j.raw)})
		s.emitConn(c, Event{Time: j.when, Kind: KindWarning,
			Text: "the server sent a line that is not an SMTP reply (no three-digit code); shown as received"})
	}
}

// checkTurn notices a server talking out of turn: octets already received
// after a reply while no command waits for one (an early talker, or a
// reply sent twice). A 421 may come at any time and is left alone.
func (s *Session) checkTurn(c *conn, res readResult) {
	if res.trailing == 0 || len(c.pending) > 0 || c.outOfStep != nil {
		return
	}
	if head, err := c.rr.br.Peek(min(res.trailing, 3)); err == nil && string(head) == "421" {
		return
	}
	s.markOutOfStep(c, fmt.Sprintf("the server sent %d more octets right after its %03d reply, before smtpscope sent anything (it talks out of turn, or sent a reply twice)",
		res.trailing, res.reply.Code))
}

// markOutOfStep records, once per connection, that replies can no longer
// be trusted to answer the commands they are matched with.
func (s *Session) markOutOfStep(c *conn, why string) {
	if c.outOfStep != nil {
		return
	}
	c.outOfStep = worded(ErrOutOfStep, "%s: replies and commands are out of step, so later replies may answer other commands than the ones shown", why)
	s.note(c, KindWarning, c.outOfStep.Error(), nil)
}

// takeReply matches a reply with its command and emits it.
func (s *Session) takeReply(c *conn, res readResult, a *answered) {
	r := res.reply
	if len(c.pending) > 0 {
		p := c.pending[0]
		c.pending = c.pending[1:]
		a.verb = p.verb
		a.latency = res.first.Sub(p.sent)
		if a.latency < 0 {
			s.markOutOfStep(c, fmt.Sprintf("a %03d reply arrived before smtpscope sent %s", r.Code, verbName(p.verb)))
			a.latency = 0
		}
	} else if r.Code != codeNotAvailable {
		c.unsolicited++
		s.emitConn(c, Event{Kind: KindWarning, Text: fmt.Sprintf("reply %03d arrived with no command waiting for it: replies and commands are out of step", r.Code)})
	}
	s.track.received(a.verb, r)
	c.lastCode, c.last = r.Code, r
	c.quitAnswered = c.quitAnswered || a.verb == protocol.VerbQUIT
	challenge := a.verb == protocol.VerbAUTH && r.Code == codeAuthChallenge
	c.inAuth = challenge
	if a.verb == protocol.VerbAUTH && !challenge && !pendingVerb(c, protocol.VerbAUTH) {
		c.authOpen = false
	}
	if a.verb == protocol.VerbDATA && r.Code == codeStartMail {
		c.inData = true
	}
	if a.verb == protocol.VerbSTARTTLS && r.Code != codeServiceReady {
		c.tlsRefused = true
	}
	now := time.Now()
	for i, l := range r.Lines {
		text := displayLine([]byte(l.Raw))
		e := Event{Time: res.first, Kind: KindServer, Text: text, Raw: l.Raw, Command: a.verb}
		if i == 0 {
			e.Latency = a.latency
		} else {
			e.Time = now
		}
		if challenge {
			e.Decoded = decodeChallenge(l.Text)
		}
		s.record(Line{Time: e.Time, Gen: c.gen, Dir: DirServer, TLS: c.tls != nil, Code: l.Code, Text: text}, "")
		s.emitConn(c, e)
	}
	rc := r
	s.emitConn(c, Event{Kind: KindReply, Reply: &rc, Command: a.verb, Latency: a.latency, State: s.track.state()})
	s.track.announce(s, c)
	if c.unsolicited > maxUnsolicitedReplies && !c.dead {
		err := worded(ErrOutOfStep, "the server sent %d replies nobody asked for: replies and commands are out of step (desynchronized), so smtpscope closes the connection", c.unsolicited)
		c.outOfStep = err
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
		s.teardown(c, err)
	}
}

// pendingVerb reports whether a command with verb still waits for a reply.
func pendingVerb(c *conn, verb string) bool {
	for _, p := range c.pending {
		if p.verb == verb {
			return true
		}
	}
	return false
}

// readFailure reports why reading stopped and closes the connection.
func (s *Session) readFailure(c *conn, res readResult, a answered) error {
	var err error
	switch {
	case errors.Is(res.err, errTooManyLines):
		err = res.err
	case errors.Is(res.err, io.ErrUnexpectedEOF):
		err = worded(res.err, "the server closed the connection in the middle of a reply")
	case errors.Is(res.err, io.EOF):
		if c.quitAnswered || a.verb == protocol.VerbQUIT || (len(c.pending) > 0 && c.pending[0].verb == protocol.VerbQUIT) {
			s.teardown(c, nil)
			return nil
		}
		err = worded(res.err, "the server closed the connection")
		if c.lastCode == codeNotAvailable {
			err = worded(res.err, "the server closed the connection after %03d (service not available)", c.lastCode)
		} else if len(c.pending) > 0 {
			err = worded(res.err, "the server closed the connection without answering %s", verbName(c.pending[0].verb))
			if c.pending[0].verb == "" && c.tls == nil {
				err = worded(res.err, "%v; if this port expects TLS from the first byte (implicit TLS, usually port 465), connect with --tls", err)
			}
		}
	case errors.Is(res.err, syscall.ECONNRESET):
		err = worded(res.err, "the server reset the connection")
		if len(c.pending) > 0 {
			err = worded(res.err, "the server reset the connection without answering %s", verbName(c.pending[0].verb))
		}
	default:
		if c.dead {
			return errNotConnected
		}
		err = fmt.Errorf("reading from the server failed: %w", res.err)
	}
	s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
	s.teardown(c, err)
	return err
}

// teardown closes c and reports it; the transcript stays.
func (s *Session) teardown(c *conn, reason error) {
	if c.dead {
		return
	}
	c.close()
	c.pending = nil
	c.inAuth, c.inData, c.authOpen = false, false, false
	text := "connection closed"
	if reason != nil {
		text = "connection closed: " + reason.Error()
	}
	s.record(Line{Time: time.Now(), Gen: c.gen, Dir: DirNote, TLS: c.tls != nil, Text: text}, "")
	s.track.closed()
	s.emitConn(c, Event{Kind: KindClosed, Text: text, Err: reason})
	s.track.announce(s, c)
}

// trimEOL returns a received line without its terminator.
func trimEOL(raw []byte) string { return strings.TrimRight(string(raw), "\r\n") }

// verbName names a pending verb in messages.
func verbName(verb string) string {
	switch verb {
	case "":
		return "the greeting"
	case protocol.EndOfDataVerb:
		return "the end of message data"
	}
	return verb
}
