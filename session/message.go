package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/smtpscope/smtpscope/protocol"
)

// bdatChunkSize is the size of each BDAT chunk (RFC 3030 2 sets no
// limit; 1 MiB keeps memory flat and round trips few).
const bdatChunkSize = 1 << 20

// sendMessage is the SendMessage intent: a whole transaction.
func (s *Session) sendMessage(ctx context.Context, c *conn, m Message) error {
	if err := s.drain(ctx, c); err != nil {
		return err
	}
	fail := func(err error) error {
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err})
		return err
	}
	if len(m.To) == 0 {
		return fail(errors.New("a message needs at least one recipient"))
	}
	for _, addr := range append([]string{m.From}, m.To...) {
		if err := checkLine(addr); err != nil {
			return fail(worded(ErrLineBreak, "the address %q holds a CR or LF, which would smuggle another command onto the wire; nothing was sent", addr))
		}
	}
	if err := s.clearTextRefusal(c, protocol.VerbMAIL); err != nil {
		return fail(err)
	}
	caps := s.track.snapshot().Caps
	chunking := caps.Has("CHUNKING")
	mail, declared, err := mailCommand(caps, m)
	if err != nil {
		return fail(err)
	}
	// The content is measured as it goes, to check the SIZE declared.
	sent := &measuredReader{r: m.Body}
	m.Body = sent
	defer s.checkDeclaredSize(c, declared, sent)
	lines := []string{mail}
	for _, to := range m.To {
		lines = append(lines, "RCPT TO:<"+to+">")
	}
	if !chunking {
		lines = append(lines, protocol.VerbDATA)
	}
	var replies []answered
	if caps.Has("PIPELINING") { // RFC 2920 3.1: MAIL, RCPT and a final DATA in one group
		for _, l := range lines {
			if !s.writeTyped(c, l) {
				return errNotConnected
			}
		}
		if !s.flush(c) {
			return errNotConnected
		}
		for range lines {
			a, err := s.awaitReply(ctx, c)
			if err != nil {
				return err
			}
			replies = append(replies, a)
		}
	} else {
		for i, l := range lines {
			a, err := s.command(ctx, c, l)
			if err != nil {
				return err
			}
			replies = append(replies, a)
			if i == 0 && a.reply.Class() != protocol.ClassSuccess {
				return fail(s.replyError(protocol.VerbMAIL, "the server refused the sender", a.reply))
			}
			if i == len(m.To) && !chunking && acceptedRecipients(replies[1:]) == 0 {
				return fail(errors.New("the server accepted none of the recipients; not sending DATA"))
			}
		}
	}
	if replies[0].reply.Class() != protocol.ClassSuccess {
		return fail(s.replyError(protocol.VerbMAIL, "the server refused the sender", replies[0].reply))
	}
	accepted := acceptedRecipients(replies[1 : 1+len(m.To)])
	if chunking {
		if accepted == 0 {
			return fail(errors.New("the server accepted none of the recipients; not sending the message"))
		}
		return s.sendChunks(ctx, c, m.Body, m.Size)
	}
	data := replies[len(replies)-1]
	if data.reply.Code != codeStartMail {
		return fail(s.replyError(protocol.VerbDATA, "the server did not accept DATA", data.reply))
	}
	if accepted == 0 {
		// RFC 2920 3.1: a server should refuse DATA when no recipient
		// was accepted; this one did not, so end the data at once.
		s.emitConn(c, Event{Kind: KindWarning, Text: "the server answered DATA with 354 although it accepted no recipient; ending the message empty"})
		return s.sendBody(ctx, c, eofReader{}, 0)
	}
	return s.sendBody(ctx, c, m.Body, m.Size)
}

// mailCommand returns the MAIL FROM line for m: SIZE=, BODY=8BITMIME
// and SMTPUTF8 as the message needs and the server offers (RFC 1870,
// 6152, 6531), or the [*protocol.ExtensionError] that says what is
// missing. declared is the SIZE= value, -1 when none was declared.
func mailCommand(caps protocol.Capabilities, m Message) (line string, declared int64, err error) {
	needs := protocol.MessageNeeds{EightBit: m.EightBit, UTF8: m.UTF8}
	for i, a := range append([]string{m.From}, m.To...) {
		if !isASCII(a) {
			role := "recipient"
			if i == 0 {
				role = "sender"
			}
			needs.UTF8 = true
			needs.UTF8Why = fmt.Sprintf("the %s address %s is not ASCII", role, protocol.Sanitize(a))
			break
		}
	}
	params, err := protocol.MailParams(caps, m.Size, needs)
	if err != nil {
		return "", -1, err
	}
	line, declared = "MAIL FROM:<"+m.From+">", -1
	for _, p := range params {
		line += " " + p.String()
		if p.Name == protocol.ExtSize {
			declared = m.Size
		}
	}
	return line, declared, nil
}

// checkDeclaredSize warns when the content sent differs from the SIZE=
// declared: a server may refuse a message larger than declared (RFC 1870
// 6.3), and a caller that measured the size wrongly should hear of it.
func (s *Session) checkDeclaredSize(c *conn, declared int64, sent *measuredReader) {
	if declared < 0 || !sent.eof || sent.count.Size() == declared {
		return
	}
	s.emitConn(c, Event{Kind: KindWarning, Text: fmt.Sprintf(
		"MAIL FROM declared SIZE=%d, but the message was %d octets on the wire (RFC 1870 counts CRLF line ends)", declared, sent.count.Size())})
}

// measuredReader measures the content read through it as it goes on the
// wire, and notes whether it was read to the end.
type measuredReader struct {
	r     io.Reader
	count protocol.ContentCounter
	eof   bool
}

func (m *measuredReader) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	m.count.Write(p[:n])
	if errors.Is(err, io.EOF) {
		m.eof = true
	}
	return n, err
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// acceptedRecipients counts RCPT replies that accepted.
func acceptedRecipients(rs []answered) int {
	n := 0
	for _, a := range rs {
		if a.verb == protocol.VerbRCPT && a.reply.Class() == protocol.ClassSuccess {
			n++
		}
	}
	return n
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// sendChunks sends the message with BDAT (RFC 3030 2): line endings
// normalized to CRLF, no dot-stuffing, one chunk at a time.
func (s *Session) sendChunks(ctx context.Context, c *conn, body io.Reader, size int64) error {
	norm := &crlfNormalizer{}
	in := make([]byte, bdatChunkSize/2) // normalizing can double it
	var sent int64
	body = ctxReader{ctx, body}
	readChunk := func() ([]byte, bool, error) {
		n, err := io.ReadFull(body, in)
		out := norm.normalize(make([]byte, 0, 2*n), in[:n])
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return norm.finish(out), true, nil
		case err != nil:
			return nil, false, err
		}
		return out, false, nil
	}
	chunk, last, err := readChunk()
	for err == nil {
		var next []byte
		var nextLast bool
		if !last {
			// Read ahead so that the final chunk can carry LAST.
			if next, nextLast, err = readChunk(); err != nil {
				break
			}
			last = nextLast && len(next) == 0
		}
		if err := s.bdat(ctx, c, chunk, last); err != nil {
			return err
		}
		sent += int64(len(chunk))
		s.emitConn(c, Event{Kind: KindProgress, Progress: Progress{Sent: sent, Total: size, Done: last}})
		if last {
			return nil
		}
		chunk, last = next, nextLast
	}
	if ctx.Err() != nil {
		s.teardown(c, errAbandoned)
		return errInterrupted
	}
	err = fmt.Errorf("reading the message failed after %d octets: %w", sent, err)
	s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err, Command: protocol.VerbBDAT})
	s.teardown(c, err)
	return err
}

// bdat sends one chunk and waits for its reply.
func (s *Session) bdat(ctx context.Context, c *conn, chunk []byte, last bool) error {
	line := "BDAT " + strconv.Itoa(len(chunk))
	if last {
		line += " LAST"
	}
	expect := s.timeouts.Command
	if last {
		expect = s.timeouts.Data
	}
	s.track.sent(protocol.ParseCommand(line))
	if !s.write(c, line, outLine{text: line, verb: protocol.VerbBDAT, expect: expect}) {
		return errNotConnected
	}
	c.setWriteDeadline(s.timeouts.Data)
	if _, err := c.bw.Write(chunk); err != nil {
		s.writeFailure(c, err)
		return err
	}
	if !s.flush(c) {
		return errNotConnected
	}
	s.note(c, KindInfo, fmt.Sprintf("[%d octets of message data]", len(chunk)), nil)
	a, err := s.awaitReply(ctx, c)
	if err != nil {
		return err
	}
	if a.reply.Class() != protocol.ClassSuccess {
		err := s.replyError(protocol.VerbBDAT, "the server refused the chunk", a.reply)
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err, Command: protocol.VerbBDAT})
		return err
	}
	return nil
}

// crlfNormalizer turns bare LF into CRLF across chunk boundaries.
type crlfNormalizer struct {
	prevCR   bool
	nonEmpty bool
	lastLF   bool
}

func (n *crlfNormalizer) normalize(out, in []byte) []byte {
	for _, b := range in {
		if b == '\n' && !n.prevCR {
			out = append(out, '\r')
		}
		out = append(out, b)
		n.prevCR = b == '\r'
		n.lastLF = b == '\n'
		n.nonEmpty = true
	}
	return out
}

// finish ends a message whose last line has no line ending (RFC 5321
// 2.3.8: the content is lines).
func (n *crlfNormalizer) finish(out []byte) []byte {
	if n.nonEmpty && !n.lastLF {
		if n.prevCR {
			return append(out, '\n')
		}
		return append(out, '\r', '\n')
	}
	return out
}
