package proxy

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/internal/nettest"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// benchLine is a typical body line; one in two needs dot-stuffing, which
// the application has done already.
var benchLine = []byte("This is a line of a long message body, with words and numbers 0123456789.\r\n..and a stuffed one\r\n")

// benchSink is an upstream server that greets, takes EHLO, MAIL, RCPT and
// DATA, and discards message content until the end marker, forever.
func benchSink(b *testing.B) string {
	return nettest.Serve(b, func(c net.Conn) {
		br := bufio.NewReaderSize(c, 64<<10)
		c.Write([]byte("220 sink ESMTP\r\n"))
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				return
			}
			switch {
			case bytes.HasPrefix(line, []byte("EHLO")):
				c.Write([]byte("250-sink\r\n250 PIPELINING\r\n"))
			case bytes.HasPrefix(line, []byte("DATA")):
				c.Write([]byte("354 go on\r\n"))
				if discardContent(br) != nil {
					return
				}
				c.Write([]byte("250 2.0.0 taken\r\n"))
			default:
				c.Write([]byte("250 ok\r\n"))
			}
		}
	})
}

// discardContent reads message content up to CRLF.CRLF.
func discardContent(br *bufio.Reader) error {
	atLineStart := true
	for {
		line, err := br.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull {
			return err
		}
		if atLineStart && bytes.Equal(line, []byte(".\r\n")) {
			return nil
		}
		atLineStart = err == nil
	}
}

// benchMessage sends one message of size octets on an open session and
// waits for its reply.
func benchMessage(b *testing.B, c net.Conn, br *bufio.Reader, size int) {
	bw := bufio.NewWriterSize(c, 64<<10)
	bw.WriteString("MAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n")
	bw.Flush()
	for _, want := range []string{"250", "250", "354"} {
		if l, _ := br.ReadString('\n'); len(l) < 3 || l[:3] != want {
			b.Fatalf("got %q, want %s", l, want)
		}
	}
	for left := size; left > 0; left -= len(benchLine) {
		bw.Write(benchLine[:min(left, len(benchLine))])
	}
	bw.WriteString("\r\n.\r\n")
	bw.Flush()
	if l, _ := br.ReadString('\n'); len(l) < 3 || l[:3] != "250" {
		b.Fatalf("end of data: %q", l)
	}
}

// BenchmarkRelayData measures message content through the proxy against
// the same content sent straight to the server: speed (MB/s) and memory
// per message (B/op), which must not grow with the message size.
func BenchmarkRelayData(b *testing.B) {
	sink := benchSink(b)
	for _, tc := range []struct {
		name string
		size int
		via  string // "" straight to the server, "copy" through a plain TCP relay, "proxy" through smtpscope
	}{
		{"direct/8MiB", 8 << 20, ""},
		{"tcp-relay/8MiB", 8 << 20, "copy"},
		{"proxy/8MiB", 8 << 20, "proxy"},
		{"proxy/64MiB", 64 << 20, "proxy"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			addr := sink
			switch tc.via {
			case "copy":
				addr = tcpRelay(b, sink)
			case "proxy":
				p, err := Start(b.Context(), Config{Listen: "127.0.0.1:0", Upstream: session.Config{Address: sink, StartTLS: session.StartTLSOff}})
				if err != nil {
					b.Fatal(err)
				}
				go func() {
					for range p.Events() {
					}
				}()
				b.Cleanup(func() { p.Close() })
				addr = p.Addr()
			}
			c, err := net.Dial("tcp", addr)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			br := bufio.NewReader(c)
			br.ReadString('\n')
			io.WriteString(c, "EHLO bench\r\n")
			for l, _ := br.ReadString('\n'); len(l) > 3 && l[3] == '-'; l, _ = br.ReadString('\n') {
			}
			b.SetBytes(int64(tc.size))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				benchMessage(b, c, br, tc.size)
			}
		})
	}
}

// tcpRelay is the cheapest possible relay, io.Copy both ways: the
// baseline for the cost of one more hop.
func tcpRelay(b *testing.B, to string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", to)
			if err != nil {
				c.Close()
				return
			}
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return ln.Addr().String()
}

// BenchmarkCommandFlood is an application that writes 8 MB of NOOPs
// without reading a reply, through the proxy to the sandbox, while the
// display takes a millisecond per batch. held-MB is the heap in use at
// the end of the flood: what the proxy holds for the commands still
// unanswered (bounded by maxOutstanding, not by the socket buffers).
func BenchmarkCommandFlood(b *testing.B) {
	srv, err := sandbox.Start(sandbox.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	p, err := Start(b.Context(), Config{Listen: "127.0.0.1:0", Log: io.Discard,
		Upstream: session.Config{Address: srv.Addr(), StartTLS: session.StartTLSOff}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	go func() {
		for range p.Events() {
			time.Sleep(time.Millisecond)
		}
	}()
	flood := bytes.Repeat([]byte("NOOP\r\n"), 8<<20/6)
	var held uint64
	for i := 0; i < b.N; i++ {
		nc, err := net.Dial("tcp", p.Addr())
		if err != nil {
			b.Fatal(err)
		}
		go io.Copy(io.Discard, nc)
		nc.Write([]byte("EHLO bench.test\r\n"))
		nc.SetWriteDeadline(time.Now().Add(time.Minute))
		if _, err := nc.Write(flood); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		held = max(held, ms.HeapInuse)
		nc.Close()
	}
	b.ReportMetric(float64(held)/(1<<20), "held-MB")
}
