package protocol

// Line lengths of message content (RFC 5322 2.1.1).
const (
	// MaxContentLine is the longest line of a message without its CRLF.
	// RFC 5322 2.1.1: "Each line of characters MUST be no more than 998
	// characters ... excluding the CRLF."
	MaxContentLine = MaxTextLineOctets - len("\r\n")
	// PreferredContentLine is the line length a message SHOULD keep to.
	// RFC 5322 2.1.1: "SHOULD be no more than 78 characters, excluding
	// the CRLF."
	PreferredContentLine = 78
)

// ContentCounter is an io.Writer that measures message content as a
// client sends it: a bare LF becomes CRLF and an unterminated last line
// gets its CRLF, as [DotWriter] and BDAT do. [ContentCounter.Size] is then
// the value of the SIZE parameter (RFC 1870 3: "the number of octets,
// including CR-LF pairs, but not the SMTP DATA command's terminating dot
// or doubled quoting dots"). It also notes what the content needs of the
// server and which lines are too long. It never fails and keeps no
// content: memory stays constant whatever the size.
type ContentCounter struct {
	st       ContentStats // Size and the last line aside
	size     int64
	prevCR   bool
	nonEmpty bool
	lastLF   bool
	line     int64 // octets of the current line so far, a trailing CR included
}

// Write counts p. It always returns len(p), nil.
func (c *ContentCounter) Write(p []byte) (int, error) {
	for _, b := range p {
		if c.prevCR && b != '\n' {
			c.st.BareCR++
		}
		switch {
		case b == '\n':
			c.size++
			content := c.line
			if c.prevCR {
				content--
			} else {
				c.size++ // RFC 5321 2.3.8: the CR the sender adds
			}
			c.st.addLine(content)
			c.line = 0
		default:
			c.size++
			c.line++
			if b >= 0x80 {
				c.st.EightBit = true
			} else if b == 0 {
				c.st.NUL = true
			}
		}
		c.prevCR = b == '\r'
		c.lastLF = b == '\n'
		c.nonEmpty = true
	}
	return len(p), nil
}

// pending returns what the sender adds to end an unterminated last line,
// and that line's length.
func (c *ContentCounter) pending() (added, content int64) {
	switch {
	case !c.nonEmpty || c.lastLF:
		return 0, 0
	case c.prevCR:
		return 1, c.line - 1 // the LF after a final CR
	default:
		return 2, c.line
	}
}

// Size returns the content's size on the wire: line endings as CRLF,
// the last line ended, no dot-stuffing and no end-of-data marker.
func (c *ContentCounter) Size() int64 {
	added, _ := c.pending()
	return c.size + added
}

// Stats returns what the counter saw, the unterminated last line included.
func (c *ContentCounter) Stats() ContentStats {
	st := c.st
	st.Size = c.Size()
	if added, content := c.pending(); added > 0 {
		st.addLine(content)
	}
	return st
}

// ContentStats describes message content as measured by [ContentCounter].
type ContentStats struct {
	Size     int64 // octets on the wire (RFC 1870 SIZE)
	Lines    int   // lines, an unterminated last one included
	Longest  int64 // octets of the longest line, without its line ending
	OverMax  int   // lines over 998 octets (RFC 5322 2.1.1 MUST)
	OverPref int   // lines over 78 octets (RFC 5322 2.1.1 SHOULD)
	EightBit bool  // an octet over 127 (RFC 6152: needs 8BITMIME)
	NUL      bool  // a NUL octet (RFC 5322 2.1: never allowed; RFC 3030 BINARYMIME only)
	BareCR   int   // CRs not followed by LF (sent as they are; see DotWriter)
}

// addLine counts a line of content octets (its line ending excluded).
func (st *ContentStats) addLine(content int64) {
	st.Lines++
	st.Longest = max(st.Longest, content)
	if content > int64(MaxContentLine) {
		st.OverMax++
	}
	if content > PreferredContentLine {
		st.OverPref++
	}
}
