package session

import (
	"bufio"
	"bytes"
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
	maxLineOctets  = 64 << 10  // longer lines keep their first 64 KiB; the rest is discarded with a diagnostic
	maxReplyLines  = 1000      // a reply with more lines is treated as broken and the connection closed
	maxReplyOctets = 256 << 10 // past this, a reply's further lines are counted, not kept (its last line is)
	maxTailOctets  = protocol.MaxReplyLineOctets
	readBufferSize = 4 << 10
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

	// trailing counts octets already received after the reply: with no
	// command waiting, the server talked out of turn.
	trailing int

	// unended counts the octets of a last line that arrived without its
	// line end before the read failed (a timeout, a close); bareCR says
	// that line held a CR: the server ends its lines with CR alone.
	unended int
	bareCR  bool
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
	first bool   // nothing read yet on this stream: check for TLS bytes
	long  []byte // reused for lines longer than the buffer
}

func newReplyReader(r io.Reader, checkTLS bool) *replyReader {
	return &replyReader{br: bufio.NewReaderSize(r, readBufferSize), first: checkTLS}
}

// replyBudget tracks how much of one reply is kept: the head up to
// maxReplyOctets, then only the last line (for its code), with a count of
// what was dropped.
type replyBudget struct {
	kept         int
	droppedLines int
	droppedBytes int64
	cutDiags     []protocol.Diagnostic
}

// room says how many octets of the next line may be kept.
func (rb *replyBudget) room() int {
	if rb.kept >= maxReplyOctets {
		return maxTailOctets
	}
	return maxLineOctets
}

// diagnostics are the reader's own notes on the reply.
func (rb *replyBudget) diagnostics(lines int) []protocol.Diagnostic {
	d := rb.cutDiags
	if rb.droppedLines > 0 {
		d = append(d, protocol.Diagnostic{Kind: protocol.DiagReplyTooLong, Line: lines - 1,
			Message: fmt.Sprintf("the reply went on for %d more lines (%d octets) after the first %d octets; smtpscope keeps at most %d octets of a reply, so those lines were counted and dropped",
				rb.droppedLines, rb.droppedBytes, rb.kept, maxReplyOctets)})
	}
	return d
}

// read reads one reply. It never holds more than maxReplyOctets of one
// reply (plus its last line), nor more than maxReplyLines lines.
func (rr *replyReader) read() readResult {
	var res readResult
	var b protocol.ReplyBuilder
	var budget replyBudget
	junkSeen := 0
	abort := func(err error) readResult {
		if b.Len() > 0 {
			res.reply = b.Abort()
			res.reply.Diagnostics = append(res.reply.Diagnostics, budget.diagnostics(b.Len())...)
		}
		res.err = err
		return res
	}
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
		line, cut, err := rr.readLine(budget.room())
		if len(line) > 0 && res.first.IsZero() {
			res.first = time.Now()
		}
		if err != nil {
			if len(line) > 0 {
				res.unended, res.bareCR = len(line)+cut, bytes.IndexByte(line, '\r') >= 0
				// A last line without its terminator: keep it.
				if _, aerr := b.Add(line); aerr != nil {
					res.junk = append(res.junk, junkLine{raw: append([]byte(nil), line...), when: time.Now()})
				}
			}
			if b.Len() > 0 && errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return abort(err)
		}
		if b.Len() > 0 && budget.kept >= maxReplyOctets && !isLastLine(line) {
			budget.droppedLines++
			budget.droppedBytes += int64(len(line) + cut)
			if b.Len()+budget.droppedLines >= maxReplyLines {
				return abort(errTooManyLines)
			}
			continue
		}
		if cut > 0 {
			budget.cutDiags = append(budget.cutDiags, protocol.Diagnostic{Kind: protocol.DiagLineTooLong, Line: b.Len(),
				Message: fmt.Sprintf("line was %d octets; only the first %d were kept (RFC 5321 4.5.3.1.5 allows 512)", len(line)+cut, len(line))})
		}
		done, perr := b.Add(line)
		if perr != nil {
			// Not a reply line, before any reply line: kept (within the
			// budget) so the transcript shows what was on the wire.
			if budget.kept < maxReplyOctets {
				res.junk = append(res.junk, junkLine{raw: append([]byte(nil), line...), when: time.Now()})
				budget.kept += len(line)
			}
			if junkSeen++; junkSeen >= maxReplyLines {
				return abort(errTooManyLines)
			}
			continue
		}
		budget.kept += len(line)
		if done {
			res.reply = b.Reply()
			res.reply.Diagnostics = append(res.reply.Diagnostics, budget.diagnostics(len(res.reply.Lines))...)
			return res
		}
		if b.Len()+budget.droppedLines >= maxReplyLines {
			return abort(errTooManyLines)
		}
	}
}

// isLastLine reports whether a reply line carries a code not followed by
// '-': the line that ends a reply (RFC 5321 4.2.1).
func isLastLine(line []byte) bool {
	if len(line) < 3 || !isDigit(line[0]) || !isDigit(line[1]) || !isDigit(line[2]) {
		return false
	}
	return len(line) == 3 || line[3] != '-'
}

// readLine returns one line with its terminator, keeping at most keep
// octets of it (its start, and its terminator); cut counts the octets
// dropped. The returned slice is valid until the next read.
func (rr *replyReader) readLine(keep int) (line []byte, cut int, err error) {
	frag, err := rr.br.ReadSlice('\n')
	if err != bufio.ErrBufferFull && len(frag) <= keep {
		return frag, 0, err
	}
	buf := rr.long[:0]
	for {
		room := keep - len(buf)
		switch {
		case room >= len(frag):
			buf = append(buf, frag...)
		case room > 0:
			buf = append(buf, frag[:room]...)
			cut += len(frag) - room
		default:
			cut += len(frag)
		}
		if err != bufio.ErrBufferFull {
			break
		}
		frag, err = rr.br.ReadSlice('\n')
	}
	if cut > 0 && len(frag) > 0 && frag[len(frag)-1] == '\n' {
		// Keep the terminator so the parser sees a finished line.
		buf = append(buf[:len(buf)-1], '\n')
		if len(frag) > 1 && frag[len(frag)-2] == '\r' {
			buf = append(buf[:len(buf)-2], '\r', '\n')
		}
	}
	if cap(buf) <= maxLineOctets+2 {
		rr.long = buf
	}
	return buf, cut, err
}

// buffered returns how many received octets wait unread.
func (rr *replyReader) buffered() int { return rr.br.Buffered() }
