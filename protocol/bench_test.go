package protocol

import (
	"bytes"
	"io"
	"testing"
)

// reportReplies adds a replies/s metric for n replies per iteration.
func reportReplies(b *testing.B, n int) {
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "replies/s")
}

// benchReplies are typical replies as lines off the wire.
var benchReplies = [][]string{
	{"250 2.1.0 Ok\r\n"},
	{"354 End data with <CR><LF>.<CR><LF>\r\n"},
	{"250-smtp.gmail.com at your service, [203.0.113.5]\r\n", "250-SIZE 35882577\r\n", "250-8BITMIME\r\n",
		"250-STARTTLS\r\n", "250-ENHANCEDSTATUSCODES\r\n", "250-PIPELINING\r\n", "250-CHUNKING\r\n", "250 SMTPUTF8\r\n"},
	{"535-5.7.8 Username and Password not accepted. For more information, go to\r\n",
		"535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1-20020a\r\n"},
}

func BenchmarkParseReplyMixed(b *testing.B) {
	lines := make([][][]byte, len(benchReplies))
	for i, r := range benchReplies {
		for _, l := range r {
			lines[i] = append(lines[i], []byte(l))
		}
	}
	b.ReportAllocs()
	var rb ReplyBuilder
	for b.Loop() {
		for _, r := range lines {
			for _, l := range r {
				if _, err := rb.Add(l); err != nil {
					b.Fatal(err)
				}
			}
			_ = rb.Reply()
		}
	}
	reportReplies(b, len(lines))
}

func BenchmarkParseReplySimple(b *testing.B) {
	line := []byte("250 2.1.5 Ok\r\n")
	b.ReportAllocs()
	var rb ReplyBuilder
	for b.Loop() {
		if _, err := rb.Add(line); err != nil {
			b.Fatal(err)
		}
		_ = rb.Reply()
	}
	reportReplies(b, 1)
}

func BenchmarkParseReplyGBK(b *testing.B) {
	line := []byte("535 Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\xb5\xc7\xc2\xbc\r\n")
	b.ReportAllocs()
	var rb ReplyBuilder
	for b.Loop() {
		if _, err := rb.Add(line); err != nil {
			b.Fatal(err)
		}
		_ = rb.Reply()
	}
	reportReplies(b, 1)
}

func BenchmarkParseReplyEHLO(b *testing.B) {
	text := gmailEHLOAfterTLS
	b.ReportAllocs()
	for b.Loop() {
		r, err := ParseReply(text)
		if err != nil {
			b.Fatal(err)
		}
		_ = ParseEHLO(r)
	}
	reportReplies(b, 1)
}

func BenchmarkParseCommand(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = ParseCommand("MAIL FROM:<someone@example.com> SIZE=12345 BODY=8BITMIME")
	}
}

// dotBenchBody is a 64 MiB body of 76-character lines, CRLF-terminated,
// with a leading dot every 20 lines, so the writer does real work.
func dotBenchBody(lf string) []byte {
	const size = 64 << 20
	line := []byte("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod t" + lf)
	dotLine := append([]byte("."), line[1:]...)
	body := make([]byte, 0, size+len(line))
	for i := 0; len(body) < size; i++ {
		if i%20 == 0 {
			body = append(body, dotLine...)
		} else {
			body = append(body, line...)
		}
	}
	return body
}

// plainReader and plainWriter hide ReadFrom/WriteTo, so that io.Copy
// moves the data through its 32 KiB buffer as it does from a file to a
// socket.
type plainReader struct{ io.Reader }
type plainWriter struct{ io.Writer }

// BenchmarkDotWriter64MiB measures dot-stuffing throughput; compare with
// BenchmarkDotWriterBaselineCopy, the same io.Copy without stuffing.
func BenchmarkDotWriter64MiB(b *testing.B) {
	for _, tc := range []struct{ name, lf string }{{"CRLF", "\r\n"}, {"LF", "\n"}} {
		body := dotBenchBody(tc.lf)
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				d := NewDotWriter(io.Discard)
				if _, err := io.Copy(d, plainReader{bytes.NewReader(body)}); err != nil {
					b.Fatal(err)
				}
				if err := d.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDotWriterBaselineCopy(b *testing.B) {
	body := dotBenchBody("\r\n")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.Copy(plainWriter{io.Discard}, plainReader{bytes.NewReader(body)}); err != nil {
			b.Fatal(err)
		}
	}
}
