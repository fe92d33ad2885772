package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// Data-phase replies.
var (
	dataAfterBDAT = reply(codeBadSequence, enhInvalidCommand,
		"DATA cannot follow BDAT in one message - finish with BDAT 0 LAST, or RSET (RFC 3030 3)")
	chunkingOff = reply(codeNotImplemented, enhInvalidCommand,
		"BDAT is not offered here (no CHUNKING in EHLO) - use DATA; the chunk was discarded")
	chunkingAfterHELO = reply(codeNotImplemented, enhInvalidCommand,
		"BDAT needs EHLO: HELO turns no extensions on, CHUNKING included - use DATA; the chunk was discarded")
)

// endOfData is the line that ends DATA content (RFC 5321 4.1.1.4). Only
// CRLF.CRLF counts: accepting a bare LF form enables SMTP smuggling.
var endOfData = []byte(".\r\n")

// data answers DATA and reads the content (RFC 5321 4.1.1.4, 4.5.2).
func (c *conn) data(cmd protocol.Command) {
	if r := c.dataRefusal(cmd); r != nil {
		c.send(r)
		return
	}
	// RFC 3463 has no 3yz class: the 354 carries no enhanced code.
	c.write(protocol.FormatReply(codeStartData, "", "End data with <CR><LF>.<CR><LF> - a line with a single dot"))
	content := &bodyBuffer{dir: &c.srv.spill}
	defer content.reset()
	size, err := c.readContent(content)
	switch {
	case errors.Is(err, errDropped):
		c.end(errScenarioClose)
		return
	case err != nil:
		c.readFailed(err)
		return
	case size > c.srv.cfg.MaxMessageSize:
		c.resetTransaction()
		c.send(tooBig(size, c.srv.cfg.MaxMessageSize))
		return
	}
	c.deliver(content, size, false)
}

// deadlineRefresh is how often the DATA read deadline moves forward; the
// data timeout is thus honoured to within this much.
const deadlineRefresh = time.Second

// errDropped reports that a scenario cut the connection mid-DATA.
var errDropped = errors.New("connection dropped in the middle of DATA")

// readContent reads DATA content up to the end marker into buf, undoing
// dot-stuffing (RFC 5321 4.5.2). It keeps at most the SIZE limit; past it
// the rest is read and counted but not kept.
func (c *conn) readContent(buf *bodyBuffer) (size int64, err error) {
	keep := c.srv.store.max >= 0
	dropAfter := c.dropAfter()
	atLineStart := true
	for {
		line, err := c.readDataLine()
		if err != nil {
			return size, err
		}
		if atLineStart && bytes.Equal(line, endOfData) {
			if dropAfter > 0 {
				// A short message is cut just before its reply: the
				// client cannot know whether it was taken.
				return size, errDropped
			}
			return size, nil
		}
		if atLineStart && len(line) > 0 && line[0] == '.' {
			line = line[1:]
		}
		atLineStart = bytes.HasSuffix(line, []byte("\r\n"))
		size += int64(len(line))
		if keep && size <= c.srv.cfg.MaxMessageSize {
			buf.Write(line)
		}
		if dropAfter > 0 && size >= dropAfter {
			return size, errDropped
		}
	}
}

// dropAfter is after how many content octets the scenario cuts the
// connection; 0 means never.
func (c *conn) dropAfter() int64 {
	if h := c.srv.hooks.DropDataAfter; h != nil {
		return h(c.view())
	}
	return 0
}

// readDataLine returns the next content line, or the next part of a line
// longer than the read buffer.
func (c *conn) readDataLine() ([]byte, error) {
	if err := c.flushUnlessPipelined(); err != nil {
		return nil, err
	}
	if now := time.Now(); now.Sub(c.deadlineSet) >= deadlineRefresh {
		// Moving the deadline for every line costs more than reading it.
		c.nc.SetReadDeadline(now.Add(c.srv.cfg.DataTimeout))
		c.deadlineSet = now
	}
	line, err := c.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return line, nil
	}
	return line, err
}

// tooBig is the reply to content over the SIZE limit (RFC 1870 6.2).
func tooBig(size, limit int64) *Reply {
	return reply(codeExceededStorage, enhTooBig, fmt.Sprintf(
		"Message too big: %d octets, the limit is %d (see SIZE in EHLO)", size, limit))
}

// dataRefusal returns the reply that refuses DATA, or nil to go ahead.
// The checks run in this order so that the reply names the first thing
// missing.
func (c *conn) dataRefusal(cmd protocol.Command) *Reply {
	if r := c.needTransaction(); r != nil {
		return r
	}
	if c.txn.chunked {
		return dataAfterBDAT
	}
	if r := c.needRecipients(); r != nil {
		return r
	}
	return problemReply(cmd)
}

// bdatRefusal returns the reply that refuses a BDAT chunk, or nil to
// take it.
func (c *conn) bdatRefusal(cmd protocol.Command) *Reply {
	if r := c.chunkingRefusal(); r != nil {
		return r
	}
	if r := problemReply(cmd); r != nil {
		return r // the syntax first, as for a size that does not parse
	}
	if r := c.needTransaction(); r != nil {
		return r
	}
	return c.needRecipients()
}

// chunkingRefusal returns the reply to BDAT when CHUNKING is not on.
func (c *conn) chunkingRefusal() *Reply {
	switch {
	case !c.srv.scenario.hasExtension(extChunking):
		return chunkingOff
	case !c.extended:
		return chunkingAfterHELO
	}
	return nil
}

// bdat answers BDAT (RFC 3030 2). The chunk is always read, even when
// the command is refused, so that its octets are not taken for commands;
// a size that does not parse is refused first, since then the chunk
// cannot be skipped.
func (c *conn) bdat(cmd protocol.Command) {
	n, ok := cmd.ChunkSize()
	if !ok {
		r := c.chunkingRefusal()
		if r == nil {
			r = problemReply(cmd)
		}
		if r == nil { // a size ChunkSize cannot read is always a problem; never send nothing
			r = reply(codeSyntaxArgs, enhBadArgs, "the chunk size is not a number of octets (RFC 3030 2)")
		}
		c.send(r)
		return
	}
	if drop := c.dropAfter(); drop > 0 && (cmd.LastChunk() || c.txn.size+n >= drop) {
		// As with DATA: cut in the middle of the content, or right
		// before the reply to a short last chunk.
		part := n
		if c.txn.size+n > drop {
			part = max(0, drop-c.txn.size)
		}
		c.nc.SetReadDeadline(c.srv.deadline(c.srv.cfg.DataTimeout))
		io.CopyN(io.Discard, c.r, part)
		c.end(errScenarioClose)
		return
	}
	if err := c.readChunk(n); err != nil {
		c.readFailed(err)
		return
	}
	if r := c.bdatRefusal(cmd); r != nil {
		c.resetTransaction()
		c.send(r)
		return
	}
	c.txn.chunked = true
	if !cmd.LastChunk() {
		c.send(reply(codeOK, enhOK, fmt.Sprintf("%d octets received - send the next BDAT, or BDAT 0 LAST", n)))
		return
	}
	if c.txn.tooBig {
		size := c.txn.size
		c.resetTransaction()
		c.send(tooBig(size, c.srv.cfg.MaxMessageSize))
		return
	}
	c.deliver(c.txn.chunks, c.txn.size, true)
}

// readChunk reads a BDAT chunk of n octets into the transaction, keeping
// it while under the SIZE limit.
func (c *conn) readChunk(n int64) error {
	if err := c.flush(); err != nil {
		return err
	}
	c.nc.SetReadDeadline(c.srv.deadline(c.srv.cfg.DataTimeout))
	c.txn.size += n
	if c.txn.size > c.srv.cfg.MaxMessageSize {
		c.txn.tooBig = true
		c.txn.chunks.reset()
	}
	var dst io.Writer = io.Discard
	if !c.txn.tooBig && c.srv.store.max >= 0 {
		dst = c.txn.chunks
	}
	_, err := io.CopyN(dst, c.r, n)
	return err
}

// deliver ends a transaction whose content arrived: the scenario may
// refuse it, otherwise it is kept and acknowledged.
func (c *conn) deliver(content *bodyBuffer, size int64, chunked bool) {
	m := &Message{
		Conn:    c.id,
		Remote:  c.remote,
		Helo:    c.helo,
		User:    c.user,
		TLS:     c.tls,
		From:    c.txn.from,
		To:      append([]string(nil), c.txn.rcpts...),
		Size:    size,
		Chunked: chunked,
	}
	if c.srv.store.max >= 0 {
		content.take(m)
	} else {
		m.Note = "the sandbox keeps no message content (MaxStoredMessages < 0)"
	}
	m.Summary = summarizeKept(m)
	var hooked *Reply
	if h := c.srv.hooks.Data; h != nil {
		hooked = h(c.view(), m)
	}
	c.resetTransaction()
	if hooked != nil && protocol.ClassOf(hooked.Code) != protocol.ClassSuccess {
		c.send(hooked)
		return
	}
	m.Received = c.srv.cfg.Now()
	c.srv.store.add(m)
	c.transactions++
	c.srv.emit(Event{Kind: EventMessage, Conn: c.id, Remote: c.remote, User: c.user, Message: m})
	if hooked != nil {
		c.send(hooked)
		return
	}
	c.send(reply(codeOK, enhOK, fmt.Sprintf(
		"Message accepted as #%d (%d octets) - kept by the sandbox, never delivered", m.ID, size)))
}
