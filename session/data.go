package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// Message data limits.
const (
	// copyBufferSize is the read size from the message source.
	copyBufferSize = 64 << 10
	// progressEvery is how many octets pass between progress events.
	progressEvery = 1 << 20
	// maxRecordedBodyLines bounds the message lines kept in the
	// transcript and shown as events; the rest is summarized in a note so
	// that a 100 MB message does not become a million events.
	maxRecordedBodyLines = 200
	// maxRecordedLineOctets bounds one recorded message line.
	maxRecordedLineOctets = 1000
)

// errNotInData is reported when message data is offered outside DATA.
var errNotInData = errors.New("message data can be sent only after DATA was answered 354 (send DATA first)")

// sendBody is the SendBody intent: stream the content after a 354.
func (s *Session) sendBody(ctx context.Context, c *conn, body io.Reader, size int64) error {
	if !c.inData {
		s.emitConn(c, Event{Kind: KindError, Text: errNotInData.Error(), Err: errNotInData, Command: protocol.VerbDATA})
		return errNotInData
	}
	if !s.flush(c) {
		return errNotConnected
	}
	rec := &bodyRecorder{s: s, c: c}
	pw := &progressWriter{s: s, c: c, total: size, next: progressEvery}
	dw := protocol.NewDotWriter(io.MultiWriter(pw, rec))
	buf := make([]byte, copyBufferSize)
	_, err := io.CopyBuffer(dw, ctxReader{ctx, body}, buf)
	// The reply to the end marker cannot come before the marker leaves:
	// its latency counts from here (a reply stamped earlier would be taken
	// for one out of step).
	ending := time.Now()
	if err == nil {
		err = dw.Close()
	}
	rec.finish()
	if err != nil && (ctx.Err() != nil || c.wasInterrupted()) {
		// Reconnect or Close: the upload is abandoned at once, and the
		// connection with it (DATA cannot be aborted, RFC 5321 4.1.1.4).
		s.teardown(c, errAbandoned)
		return errInterrupted
	}
	if err != nil {
		if pw.err != nil {
			err = fmt.Errorf("the connection failed after %d octets of message data: %w", pw.sent, pw.err)
		} else {
			err = fmt.Errorf("reading the message failed after %d octets; the connection is closed because DATA cannot be aborted (RFC 5321 4.1.1.4): %w", pw.sent, err)
		}
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err, Command: protocol.VerbDATA})
		s.teardown(c, err)
		return err
	}
	if n := dw.BareCR(); n > 0 {
		s.emitConn(c, Event{Kind: KindWarning, Command: protocol.VerbDATA,
			Text: fmt.Sprintf("the message has %d bare CR characters (CR without LF); servers disagree on what they mean (the SMTP smuggling problem), so they were sent as they are", n)})
	}
	s.emitConn(c, Event{Kind: KindProgress, Progress: Progress{Sent: pw.sent, Total: size, Done: true}})
	c.inData = false
	s.track.sentEndOfData()
	now := time.Now()
	c.pending = append(c.pending, pending{verb: protocol.EndOfDataVerb, sent: ending, deadline: now.Add(s.timeouts.Data)})
	s.record(Line{Time: now, Gen: c.gen, Dir: DirClient, TLS: c.tls != nil, Text: "."}, "")
	s.emitConn(c, Event{Time: now, Kind: KindClient, Text: ".", Command: protocol.EndOfDataVerb})
	a, err := s.awaitReply(ctx, c)
	if err != nil {
		return err
	}
	if a.reply.Class() != protocol.ClassSuccess {
		return s.replyError(protocol.EndOfDataVerb, "the server refused the message", a.reply)
	}
	return nil
}

// ctxReader reads from r until ctx is done, so that a message upload stops
// between two reads when Reconnect or Close cancels it. It also hides
// WriterTo/ReaderFrom so that io.CopyBuffer uses the bounded buffer
// instead of whatever the source would allocate.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// progressWriter writes message data to the connection with the data
// timeout on each write and emits progress events.
type progressWriter struct {
	s     *Session
	c     *conn
	sent  int64
	total int64
	next  int64
	err   error
}

func (w *progressWriter) Write(p []byte) (int, error) {
	w.c.setWriteDeadline(w.s.timeouts.Data)
	n, err := w.c.nc.Write(p)
	w.sent += int64(n)
	if err != nil {
		w.err = err
		return n, err
	}
	if w.sent >= w.next {
		w.next = w.sent + progressEvery
		w.s.emitConn(w.c, Event{Kind: KindProgress, Progress: Progress{Sent: w.sent, Total: w.total}})
	}
	return n, nil
}

// bodyRecorder keeps the first lines of the message, as sent, for the
// transcript and the session pane, and counts the rest.
type bodyRecorder struct {
	s       *Session
	c       *conn
	partial []byte
	lines   int
	more    int64 // octets not recorded
	stopped bool
}

func (r *bodyRecorder) Write(p []byte) (int, error) {
	if r.stopped {
		r.more += int64(len(p))
		return len(p), nil
	}
	rest := p
	for len(rest) > 0 && !r.stopped {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			if room := maxRecordedLineOctets - len(r.partial); room > 0 {
				r.partial = append(r.partial, rest[:min(room, len(rest))]...)
			}
			return len(p), nil
		}
		if room := maxRecordedLineOctets - len(r.partial); room > 0 {
			r.partial = append(r.partial, rest[:min(room, i)]...)
		}
		r.record(strings.TrimSuffix(string(r.partial), "\r"))
		r.partial = r.partial[:0]
		rest = rest[i+1:]
		if r.lines >= maxRecordedBodyLines {
			r.stopped = true
			r.more += int64(len(rest))
		}
	}
	return len(p), nil
}

// record adds one message line, unless it is the end marker, which the
// caller records with its own timing.
func (r *bodyRecorder) record(line string) {
	if line == "." && !r.stopped {
		return
	}
	r.lines++
	now := time.Now()
	r.s.record(Line{Time: now, Gen: r.c.gen, Dir: DirClient, TLS: r.c.tls != nil, Text: line}, "")
	r.s.emitConn(r.c, Event{Time: now, Kind: KindClient, Text: line, Command: protocol.VerbDATA})
}

// finish notes how much message data was not recorded.
func (r *bodyRecorder) finish() {
	if r.more > 0 {
		r.s.note(r.c, KindInfo, fmt.Sprintf("… %d more octets of message data sent, not shown", r.more), nil)
	}
}
