package protocol

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// EndOfData is the marker that ends message content after DATA, sent after
// the body's last CRLF (RFC 5321 4.1.1.4: <CRLF>.<CRLF>).
const EndOfData = ".\r\n"

// MaxTextLineOctets is the longest line of message content, CRLF included.
// RFC 5321 4.5.3.1.6: "The maximum total length of a text line including
// the <CRLF> is 1000 octets (not counting the leading dot duplicated for
// transparency)."
const MaxTextLineOctets = 1000

// maxLineContent is a line's limit without its CRLF.
const maxLineContent = MaxTextLineOctets - 2 // CRLF

// dotWriterBuffer is the DotWriter's output buffer: large enough that a
// body with Unix line endings still goes out in big writes, small enough
// to keep memory constant.
const dotWriterBuffer = 32 << 10

// ErrDotWriterClosed is returned by a write to a closed [DotWriter].
var ErrDotWriterClosed = errors.New("dot writer: write after Close")

// DotWriter is an io.WriteCloser that turns message content into what goes
// on the wire after a 354 reply: a '.' at the start of a line is doubled
// (RFC 5321 4.5.2), a bare LF becomes CRLF, and Close ends the last line
// and writes the end-of-data marker ".\r\n". It streams: memory use does
// not grow with the message, and a line may be split across any number
// of writes.
//
// A bare CR (not followed by LF) is kept, since it is the user's byte, and
// counted by [DotWriter.BareCR] so that the caller can warn: servers
// disagree on what it means, which is the SMTP smuggling problem.
type DotWriter struct {
	w         *bufio.Writer
	count     *countingWriter
	lineStart bool  // the next byte starts a line
	pendingCR bool  // the last byte written was a CR whose LF may come next
	lineLen   int64 // octets of the current line in earlier writes, CR included
	bareCR    int
	longLines int
	closed    bool
}

// NewDotWriter returns a DotWriter that writes to w. Nothing reaches w
// before the buffer fills or Close is called.
func NewDotWriter(w io.Writer) *DotWriter {
	cw := &countingWriter{w: w}
	return &DotWriter{w: bufio.NewWriterSize(cw, dotWriterBuffer), count: cw, lineStart: true}
}

// Written returns the number of octets written to the underlying writer.
func (d *DotWriter) Written() int64 { return d.count.n }

// LongLines returns the number of lines so far longer than
// [MaxTextLineOctets]. Servers may refuse such a message (500 line too long)
// or break the lines, which invalidates a DKIM signature.
func (d *DotWriter) LongLines() int { return d.longLines }

// BareCR returns the number of bare CRs (CR not followed by LF) seen in
// the content so far.
func (d *DotWriter) BareCR() int { return d.bareCR }

// Write dot-stuffs p and writes it. It returns len(p) on success.
func (d *DotWriter) Write(p []byte) (int, error) {
	if d.closed {
		return 0, ErrDotWriterClosed
	}
	if len(p) == 0 {
		return 0, nil
	}
	// Bare CRs are all CRs minus those followed by LF; counting all of
	// them at once is much faster than looking for them line by line.
	crs, crlfs := bytes.Count(p, crByte), 0
	start, i := 0, 0 // p[start:i] is still to be copied as it is
	lineBegin := 0   // where the current line starts in p; d.lineLen octets came before
	if d.pendingCR {
		d.pendingCR = false
		if p[0] == '\n' {
			d.endLine(d.lineLen - 1) // the CR came in the previous write
			i, lineBegin = 1, 1
			d.lineStart = true
		} else {
			d.bareCR++
		}
	}
	for i < len(p) {
		if d.lineStart {
			d.lineStart = false
			if p[i] == '.' {
				// RFC 5321 4.5.2: double a leading dot.
				if err := d.flushSpan(p[start:i], "."); err != nil {
					return 0, err
				}
				start = i
			}
		}
		j := bytes.IndexByte(p[i:], '\n')
		if j < 0 {
			break
		}
		lf := i + j
		content := d.lineLen + int64(lf-lineBegin)
		if lf > 0 && p[lf-1] == '\r' {
			crlfs++
			content--
		} else {
			// A bare LF: RFC 5321 2.3.8 allows only CRLF as a line end.
			if err := d.flushSpan(p[start:lf], "\r\n"); err != nil {
				return 0, err
			}
			start = lf + 1
		}
		d.endLine(content)
		i, lineBegin = lf+1, lf+1
		d.lineStart = true
	}
	d.lineLen += int64(len(p) - lineBegin)
	if p[len(p)-1] == '\r' {
		// Its LF may come in the next write; decide then.
		d.pendingCR = true
		crs--
	}
	d.bareCR += crs - crlfs
	if _, err := d.w.Write(p[start:]); err != nil {
		return 0, err
	}
	return len(p), nil
}

var crByte = []byte{'\r'}

// endLine notes the end of a line of content octets (terminator excluded).
func (d *DotWriter) endLine(content int64) {
	if content > maxLineContent {
		d.longLines++
	}
	d.lineLen = 0
}

func (d *DotWriter) flushSpan(span []byte, extra string) error {
	if _, err := d.w.Write(span); err != nil {
		return err
	}
	_, err := d.w.WriteString(extra)
	return err
}

// Close ends the last line with CRLF if the content did not, writes the
// end-of-data marker ".\r\n" and flushes. It does not close the
// underlying writer. Calling Close again does nothing.
func (d *DotWriter) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	switch {
	case d.pendingCR:
		// The content ended with CR: complete it to CRLF.
		d.pendingCR = false
		d.endLine(d.lineLen - 1)
		if err := d.w.WriteByte('\n'); err != nil {
			return err
		}
	case !d.lineStart:
		d.endLine(d.lineLen)
		if _, err := d.w.WriteString("\r\n"); err != nil {
			return err
		}
	}
	if _, err := d.w.WriteString(EndOfData); err != nil {
		return err
	}
	return d.w.Flush()
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// DotStuff returns body as it goes on the wire after a 354: dot-stuffed,
// line endings normalized to CRLF, ending with the end-of-data marker. It
// is [DotWriter] for a body already in memory.
func DotStuff(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body) + len(body)/64 + len("\r\n"+EndOfData))
	d := NewDotWriter(&buf)
	// Writes to a bytes.Buffer do not fail.
	_, _ = d.Write(body)
	_ = d.Close()
	return buf.Bytes()
}

// BareEnding is a line ending in a message body that is not CRLF.
type BareEnding struct {
	Offset int  // byte offset of the CR or LF
	CR     bool // true: a CR not followed by LF; false: an LF not preceded by CR
}

// FindBareLineEndings lists every bare CR and bare LF in body. Servers and
// filters disagree on whether these end a line, which lets a crafted
// "<LF>.<CR><LF>" end the message early for one of them and smuggle a
// second message past the other (the SMTP smuggling problem; RFC 5321
// 2.3.8 allows only CRLF).
func FindBareLineEndings(body []byte) []BareEnding {
	var out []BareEnding
	for i := 0; i < len(body); {
		k := bytes.IndexAny(body[i:], "\r\n")
		if k < 0 {
			break
		}
		i += k
		switch {
		case body[i] == '\r' && i+1 < len(body) && body[i+1] == '\n':
			i += 2
			continue
		case body[i] == '\r':
			out = append(out, BareEnding{Offset: i, CR: true})
		default:
			out = append(out, BareEnding{Offset: i})
		}
		i++
	}
	return out
}
