package session

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/internal/nettest"
)

// benchBodySize is the message size of the streaming benchmark.
const benchBodySize = 100 << 20

// lineSource produces size octets of a typical text body (some lines
// starting with a dot) without holding them in memory.
type lineSource struct {
	left int64
	pos  int
}

var benchLine = []byte("This is a line of a long message body, with words and numbers 0123456789.\r\n.and one that needs dot-stuffing\r\n")

func (s *lineSource) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && s.left > 0 {
		c := copy(p[n:], benchLine[s.pos:])
		if int64(c) > s.left {
			c = int(s.left)
		}
		n += c
		s.left -= int64(c)
		s.pos = (s.pos + c) % len(benchLine)
	}
	return n, nil
}

// sinkServer accepts connections and, for SMTP mode, greets, answers DATA
// with 354 and discards content until the end marker; in raw mode it
// discards everything.
func sinkServer(b *testing.B, smtp bool) string {
	return nettest.Serve(b, func(c net.Conn) {
		br := bufio.NewReaderSize(c, 64<<10)
		if !smtp {
			// The same scanning work as for SMTP data, so that
			// both sides of the comparison pay for the sink alike.
			for discardData(br) {
			}
			return
		}
		c.Write([]byte("220 sink\r\n"))
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				return
			}
			switch strings.TrimSpace(strings.ToUpper(l)) {
			case "DATA":
				c.Write([]byte("354 go\r\n"))
				if !discardData(br) {
					return
				}
				c.Write([]byte("250 ok\r\n"))
			case "QUIT":
				c.Write([]byte("221 bye\r\n"))
				return
			default:
				c.Write([]byte("250 ok\r\n"))
			}
		}
	})
}

// discardData reads until <CRLF>.<CRLF>. The client waits for the reply
// after the marker, so reading past it loses nothing.
func discardData(br *bufio.Reader) bool {
	end := []byte("\r\n.\r\n")
	buf := make([]byte, 64<<10)
	var prev []byte // the last octets of the previous read, for a marker split across reads
	for {
		n, err := br.Read(buf)
		if n > 0 {
			joint := append(append([]byte(nil), prev...), buf[:min(n, len(end))]...)
			if bytes.Contains(joint, end) || bytes.Contains(buf[:n], end) {
				return true
			}
			prev = append(prev[:0], buf[max(0, n-len(end)+1):n]...)
		}
		if err != nil {
			return false
		}
	}
}

// BenchmarkStreamBody compares SendBody (dot-stuffing, progress events,
// deadlines) with a plain io.Copy of the same bytes to a loopback sink.
func BenchmarkStreamBody(b *testing.B) {
	b.Run("session", func(b *testing.B) {
		addr := sinkServer(b, true)
		s := New(Config{Address: addr, Timeouts: Timeouts{Data: time.Minute}})
		ev := &events{t: &testing.T{}, s: s}
		s.Connect()
		waitFor(b, ev, func(e Event) bool { return e.Kind == KindReply })
		b.SetBytes(benchBodySize)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			s.Send("DATA")
			waitFor(b, ev, func(e Event) bool { return e.Kind == KindReply && e.Command == "DATA" })
			s.SendBody(&lineSource{left: benchBodySize}, benchBodySize)
			waitFor(b, ev, func(e Event) bool { return e.Kind == KindReply && e.Command == "." })
		}
		b.StopTimer()
		s.Close()
		for range s.Events() {
		}
	})
	b.Run("io.Copy", func(b *testing.B) {
		addr := sinkServer(b, false)
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.SetBytes(benchBodySize)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			io.Copy(c, &lineSource{left: benchBodySize})
		}
	})
}

// waitFor drains events until ok, without holding them.
func waitFor(b *testing.B, ev *events, ok func(Event) bool) {
	for batch := range ev.s.Events() {
		for _, e := range batch {
			if e.Kind == KindError {
				b.Fatal(e.Text)
			}
			if ok(e) {
				return
			}
		}
	}
	b.Fatal("events closed")
}

// BenchmarkReadReplies measures reply parsing of a chatty server: EHLO
// lists and one-line replies, read through the bounded reader.
func BenchmarkReadReplies(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 100; i++ {
		sb.WriteString("250-mx.example.com Hello [192.0.2.1]\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-AUTH LOGIN PLAIN XOAUTH2\r\n250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n")
		sb.WriteString("250 2.1.5 OK 1234567890abcdef - gsmtp\r\n")
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rr := newReplyReader(bytes.NewReader(data), false)
		for {
			res := rr.read()
			if res.err != nil {
				break
			}
		}
	}
}

// BenchmarkTranscriptAppend measures the cost of one transcript line.
func BenchmarkTranscriptAppend(b *testing.B) {
	tr := NewTranscript()
	now := time.Now()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tr.append(Line{Time: now, Gen: 1, Dir: DirServer, Code: 250, Text: "250 2.1.5 OK 1234567890abcdef - gsmtp"}, "")
	}
}
