package proxy

import (
	"bufio"
	"errors"
)

// readLine returns one line from br with its terminator. A line longer
// than keep octets keeps its first keep octets and its terminator; cut
// counts the octets dropped. The returned slice is valid until the next
// read on br. A line is never held whole in memory past keep; cut counts
// the octets of its content dropped (the terminator is always kept).
func readLine(br *bufio.Reader, keep int) (line []byte, cut int, err error) {
	frag, err := br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) && len(frag) <= keep {
		return frag, 0, err
	}
	var buf []byte
	var before byte // the octet before the final fragment
	for {
		take := max(0, min(keep-len(buf), len(frag)))
		buf = append(buf, frag[:take]...)
		cut += len(frag) - take
		if !errors.Is(err, bufio.ErrBufferFull) {
			break
		}
		before = frag[len(frag)-1]
		frag, err = br.ReadSlice('\n')
	}
	if cut > 0 && len(frag) > 0 && frag[len(frag)-1] == '\n' {
		// Keep the terminator, so that a parser still sees a finished line.
		crlf := (len(frag) >= 2 && frag[len(frag)-2] == '\r') || (len(frag) == 1 && before == '\r')
		buf = trimTerminator(buf)
		if crlf {
			if n := len(buf); n > 0 && buf[n-1] == '\r' {
				buf = buf[:n-1]
				cut++
			}
			buf = append(buf, '\r', '\n')
			cut -= 2
		} else {
			buf = append(buf, '\n')
			cut--
		}
	}
	return buf, cut, err
}

// trimTerminator drops a trailing LF or CRLF.
func trimTerminator(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n > 1 && b[n-2] == '\r' {
			b = b[:n-2]
		}
	}
	return b
}
