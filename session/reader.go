package session

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// Read limits. RFC 5321 4.5.3.1.5 allows 512 octets per reply line; real
// servers stay far below these caps, which exist so that a hostile or
// broken server cannot make smtpscope hold unbounded memory.
const (
	maxLineOctets  = 64 << 10 // longer lines keep their first 64 KiB; the rest is discarded with a diagnostic
	maxReplyLines  = 1000     // a reply with more lines is treated as broken and the connection closed
	readBufferSize = 16 << 10
)

// TLS record content types that open a TLS stream (RFC 8446 5.1): a plain
// reader that meets one is talking to a TLS port.
const (
	tlsRecordAlert     = 0x15
	tlsRecordHandshake = 0x16
	tlsRecordMajor     = 0x03
)

// Errors the reader reports; the session words them for people.
var (
	errTooManyLines = fmt.Errorf("the server sent more than %d lines in one reply; treating the connection as broken", maxReplyLines)
	errTLSRecord    = errors.New("the server answered with TLS bytes instead of an SMTP greeting")
)

// readResult is one complete reply, or what was read before an error.
type readResult struct {
	reply protocol.Reply // complete, or the partial reply when err != nil
	first time.Time      // when the first octet of the reply arrived
	junk  []junkLine     // lines before the reply that were not SMTP replies
	err   error          // io.EOF for a clean close between replies
}

// junkLine is a received line that could not start a reply, kept so the
// transcript shows everything that was on the wire.
type junkLine struct {
	raw  []byte
	when time.Time
}

// replyReader reads bounded replies from a connection.
type replyReader struct {
	br    *bufio.Reader
	first bool // nothing read yet on this stream: check for TLS bytes
}

func newReplyReader(r io.Reader, checkTLS bool) *replyReader {
	return &replyReader{br: bufio.NewReaderSize(r, readBufferSize), first: checkTLS}
}

// read reads one reply. It never holds more than maxLineOctets of one line
// or maxReplyLines lines.
func (rr *replyReader) read() readResult {
	var res readResult
	var b protocol.ReplyBuilder
	var cutDiags []protocol.Diagnostic
	for {
		if rr.first {
			rr.first = false
			if head, err := rr.br.Peek(2); len(head) == 2 && head[1] == tlsRecordMajor &&
				(head[0] == tlsRecordHandshake || head[0] == tlsRecordAlert) {
				res.first = time.Now()
				res.err = errTLSRecord
				return res
			} else if err != nil && len(head) == 0 {
				res.err = err
				return res
			}
		}
		line, cut, err := rr.readLine()
		if len(line) > 0 && res.first.IsZero() {
			res.first = time.Now()
		}
		if err != nil {
			if len(line) > 0 {
				// A last line without its terminator: keep it.
				if _, aerr := b.Add(line); aerr != nil {
					res.junk = append(res.junk, junkLine{raw: append([]byte(nil), line...), when: time.Now()})
				}
			}
			if b.Len() > 0 {
				res.reply = b.Abort()
				res.reply.Diagnostics = append(res.reply.Diagnostics, cutDiags...)
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
			}
			res.err = err
			return res
		}
		if cut > 0 {
			cutDiags = append(cutDiags, protocol.Diagnostic{Kind: protocol.DiagLineTooLong, Line: b.Len(),
				Message: fmt.Sprintf("line was %d octets; only the first %d were kept (RFC 5321 4.5.3.1.5 allows 512)", len(line)+cut, maxLineOctets)})
		}
		done, perr := b.Add(line)
		if perr != nil {
			res.junk = append(res.junk, junkLine{raw: append([]byte(nil), line...), when: time.Now()})
			if len(res.junk) >= maxReplyLines {
				res.err = errTooManyLines
				return res
			}
			continue
		}
		if done {
			res.reply = b.Reply()
			res.reply.Diagnostics = append(res.reply.Diagnostics, cutDiags...)
			return res
		}
		if b.Len() >= maxReplyLines {
			res.reply = b.Abort()
			res.reply.Diagnostics = append(res.reply.Diagnostics, cutDiags...)
			res.err = errTooManyLines
			return res
		}
	}
}

// readLine returns one line with its terminator. A line longer than
// maxLineOctets keeps its start and its terminator; cut counts the octets
// dropped. The returned slice is valid until the next read.
func (rr *replyReader) readLine() (line []byte, cut int, err error) {
	frag, err := rr.br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return frag, 0, err
	}
	buf := append([]byte(nil), frag...)
	for err == bufio.ErrBufferFull {
		frag, err = rr.br.ReadSlice('\n')
		room := maxLineOctets - len(buf)
		switch {
		case room >= len(frag):
			buf = append(buf, frag...)
		case room > 0:
			buf = append(buf, frag[:room]...)
			cut += len(frag) - room
		default:
			cut += len(frag)
		}
	}
	if cut > 0 && len(frag) > 0 && frag[len(frag)-1] == '\n' {
		// Keep the terminator so the parser sees a finished line.
		buf = append(buf[:len(buf)-1], '\n')
		if len(frag) > 1 && frag[len(frag)-2] == '\r' {
			buf = append(buf[:len(buf)-2], '\r', '\n')
		}
	}
	return buf, cut, err
}

// buffered returns how many received octets wait unread.
func (rr *replyReader) buffered() int { return rr.br.Buffered() }
