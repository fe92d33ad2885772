package proxy

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// Message content limits. Content streams through in pieces of the read
// buffer's size; only what is shown is kept.
const (
	// maxRecordedBodyLines bounds the content lines shown per message; the
	// rest is summed up in a note.
	maxRecordedBodyLines = 200
	// maxRecordedLineOctets bounds one shown content line.
	maxRecordedLineOctets = 1000
	// maxHeaderOctets bounds the header kept to check From:.
	maxHeaderOctets = 64 << 10
	// progressEvery is how many octets pass between progress events.
	progressEvery = 1 << 20
	// deadlineRefresh is how often the read deadline moves on inside
	// message content (moving it per line costs more than the line).
	deadlineRefresh = time.Second
)

// endOfData is the line that ends DATA content (RFC 5321 4.1.1.4). Only
// CRLF.CRLF counts here; a bare-LF form is reported, since servers
// disagree about it (SMTP smuggling).
var endOfData = []byte(".\r\n")

// dataState watches the content of one message as it streams through.
type dataState struct {
	lines     int   // content lines shown
	more      int64 // octets not shown
	sent      int64 // octets relayed
	next      int64 // when the next progress event is due
	bareLF    int   // lines ended by LF alone
	bareDot   bool  // a "." line ended by a bare LF
	partial   []byte
	stuffed   bool // DATA content, dot-stuffed (RFC 5321 4.5.2); BDAT content is not
	lineStart bool // the next octet starts a line
	afterCRLF bool // …and the line before ended with CRLF: only there can the end marker start
	header    bytes.Buffer
	headerEnd bool // the blank line after the header was seen, or the cap hit
}

// relayData streams the message content after the server's 354 until the
// end marker, unchanged, then waits for the server's reply. Content moves
// in pieces of whatever has arrived (up to the read buffer's size), each
// scanned once for line ends. It reports false when the connection is
// over.
func (c *conn) relayData() bool {
	d := &dataState{next: progressEvery, afterCRLF: true, lineStart: true, stuffed: true}
	var deadlineSet time.Time
	want := 1 // octets to wait for before scanning again
	for {
		if now := time.Now(); now.Sub(deadlineSet) >= deadlineRefresh {
			c.appRaw.SetReadDeadline(now.Add(c.cfg.DataTimeout))
			deadlineSet = now
		}
		if _, err := c.appR.Peek(want); err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return c.dataReadFailed(err, d)
		}
		buf, _ := c.appR.Peek(c.appR.Buffered())
		n, end := d.scan(c, buf)
		if n == 0 {
			want = len(buf) + 1 // a possible end marker, cut short: wait for the rest
			continue
		}
		want = 1
		if end {
			d.finish(c)
			c.mu.Lock()
			c.legs(LegBoth, func(t *legTracker) { t.m.SentEndOfData() })
			c.mu.Unlock()
			c.record(LegBoth, session.DirClient, ".", 0, false)
			c.emit(Event{Leg: LegBoth, Event: session.Event{Kind: session.KindClient, Text: ".", Command: protocol.EndOfDataVerb}})
			// The reply is awaited before its last octet can reach the server.
			p := c.expect(protocol.EndOfDataVerb, c.cfg.Upstream.Timeouts.Data)
			err := c.writeData(buf[:n])
			c.appR.Discard(n)
			if err == nil {
				err = c.flushUp()
			}
			if err != nil {
				return c.upWriteFailed(err)
			}
			_, err = c.wait(p)
			return err == nil
		}
		err := c.writeData(buf[:n])
		c.appR.Discard(n)
		if err != nil {
			return c.upWriteFailed(err)
		}
		d.sent += int64(n)
		d.progress(c, -1)
	}
}

// scan walks buf line by line from where the content stands: it shows and
// checks each line and stops after the end marker. It returns how many
// octets to relay and whether they end with the marker; 0 means buf ends
// in what may be the start of the marker and more is needed.
func (d *dataState) scan(c *conn, buf []byte) (n int, end bool) {
	for n < len(buf) {
		i := bytes.IndexByte(buf[n:], '\n')
		if i < 0 {
			rest := buf[n:]
			if d.afterCRLF && len(rest) < len(endOfData) && bytes.HasPrefix(endOfData, rest) {
				return n, false
			}
			d.observe(c, rest, false)
			return len(buf), false
		}
		line := buf[n : n+i+1]
		if d.afterCRLF && bytes.Equal(line, endOfData) {
			return n + len(line), true
		}
		d.observe(c, line, true)
		n += len(line)
	}
	return n, false
}

// relayChunk streams a BDAT chunk of n octets (RFC 3030 2) unchanged; the
// reply is read by the upstream goroutine like any other. The header is
// followed across the chunks of one message, and checked after the LAST.
func (c *conn) relayChunk(n int64, last bool) bool {
	if c.chunks == nil {
		c.chunks = &dataState{next: progressEvery, lineStart: true}
	}
	d := c.chunks
	var deadlineSet time.Time
	for left := n; left > 0; {
		if now := time.Now(); now.Sub(deadlineSet) >= deadlineRefresh {
			c.appRaw.SetReadDeadline(now.Add(c.cfg.DataTimeout))
			deadlineSet = now
		}
		if _, err := c.appR.Peek(1); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return c.dataReadFailed(err, d)
		}
		b, _ := c.appR.Peek(int(min(int64(c.appR.Buffered()), left)))
		err := c.writeData(b)
		d.captureLines(b)
		c.appR.Discard(len(b))
		if err != nil {
			return c.upWriteFailed(err)
		}
		left -= int64(len(b))
		d.sent += int64(len(b))
		d.progress(c, -1)
	}
	// Worded as a session words a BDAT chunk, so that export knows it.
	c.note(LegBoth, session.KindInfo, fmt.Sprintf("[%d octets of message data]", n))
	if last {
		c.chunks = nil
		c.checkHeaderFrom(d)
	}
	return c.flushUnlessPipelined()
}

// writeData writes message content to the server with the data timeout.
func (c *conn) writeData(b []byte) error {
	c.upMu.Lock()
	defer c.upMu.Unlock()
	c.up.SetWriteDeadline(time.Now().Add(c.cfg.Upstream.Timeouts.Data))
	_, err := c.upW.Write(b)
	return err
}

// observe takes one piece of content: a whole line (complete) or the
// part of one that has arrived. It shows the first lines, keeps the
// header and counts bare LFs.
func (d *dataState) observe(c *conn, frag []byte, complete bool) {
	d.captureHeader(frag, d.lineStart)
	if complete && !bytes.HasSuffix(frag, []byte("\r\n")) {
		d.bareLF++
		if d.lineStart && bytes.Equal(frag, []byte(".\n")) {
			d.bareDot = true
		}
	}
	switch {
	case d.lines >= maxRecordedBodyLines:
		d.more += int64(len(frag))
	default:
		if room := maxRecordedLineOctets - len(d.partial); room > 0 {
			d.partial = append(d.partial, frag[:min(room, len(frag))]...)
		}
		if complete {
			d.lines++
			c.recordData(string(trimTerminator(d.partial)))
			d.partial = d.partial[:0]
		}
	}
	d.lineStart = complete
	d.afterCRLF = complete && bytes.HasSuffix(frag, []byte("\r\n"))
}

// progress emits a progress event every progressEvery octets.
func (d *dataState) progress(c *conn, total int64) {
	if d.sent < d.next {
		return
	}
	d.next = d.sent + progressEvery
	c.emit(Event{Leg: LegBoth, Event: session.Event{Kind: session.KindProgress, Progress: session.Progress{Sent: d.sent, Total: total}}})
}

// captureHeader keeps the message header (up to maxHeaderOctets) to
// check the From: line once the header ends. frag is a line or the part
// of one that has arrived; atLineStart says it starts a line.
func (d *dataState) captureHeader(frag []byte, atLineStart bool) {
	if d.headerEnd {
		return
	}
	if atLineStart && (bytes.Equal(frag, []byte("\r\n")) || bytes.Equal(frag, []byte("\n"))) {
		d.headerEnd = true
		return
	}
	room := maxHeaderOctets - d.header.Len()
	if room <= 0 {
		d.headerEnd = true
		return
	}
	if d.stuffed && atLineStart && bytes.HasPrefix(frag, []byte("..")) {
		frag = frag[1:] // RFC 5321 4.5.2: undo dot-stuffing
	}
	d.header.Write(frag[:min(room, len(frag))])
}

// captureLines feeds the header capture from raw content (BDAT), line by
// line.
func (d *dataState) captureLines(b []byte) {
	for len(b) > 0 && !d.headerEnd {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			d.captureHeader(b, d.lineStart)
			d.lineStart = false
			return
		}
		d.captureHeader(b[:i+1], d.lineStart)
		d.lineStart = true
		b = b[i+1:]
	}
}

// finish reports what the content showed once the end marker arrived.
func (d *dataState) finish(c *conn) {
	if len(d.partial) > 0 && d.lines < maxRecordedBodyLines {
		c.recordData(string(d.partial))
	}
	if d.more > 0 {
		c.note(LegBoth, session.KindInfo, fmt.Sprintf("… %d more octets of message data relayed, not shown", d.more))
	}
	c.emit(Event{Leg: LegBoth, Event: session.Event{Kind: session.KindProgress, Progress: session.Progress{Sent: d.sent, Total: d.sent, Done: true}}})
	if d.bareLF > 0 {
		c.note(LegBoth, session.KindWarning, fmt.Sprintf(
			"the application ended %d lines of the message with a bare LF instead of CRLF (RFC 5321 2.3.8 forbids it); servers differ on what that means, which is the SMTP smuggling problem", d.bareLF))
	}
	if d.bareDot {
		c.note(LegBoth, session.KindWarning, "the message holds a \".\" line ended by a bare LF: some servers take it as the end of the message (SMTP smuggling); only CRLF.CRLF ends it")
	}
	c.checkHeaderFrom(d)
}

// dataReadFailed ends the connection when the application stops in the
// middle of message content: the server must not take a cut message as
// whole, so its leg is closed without the end marker.
func (c *conn) dataReadFailed(err error, d *dataState) bool {
	if c.isDead() {
		return false
	}
	err = fmt.Errorf("the application stopped after %d octets of message content (%v); the upstream leg is closed without the end marker, so the server does not deliver a cut message", d.sent, err)
	c.note(LegApp, session.KindError, err.Error())
	c.end(err)
	return false
}
