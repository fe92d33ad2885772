package message

import (
	"testing"
	"testing/fstest"

	"github.com/smtpscope/smtpscope/protocol"
)

// BenchmarkComposeAttachment composes a message with a 10 MiB attachment,
// the whole of it in memory (the form's path; @file streams instead).
func BenchmarkComposeAttachment(b *testing.B) {
	data := make([]byte, 10<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	fsys := fstest.MapFS{"big.bin": {Data: data}}
	d := Draft{From: addr("a@x.test"), To: []Address{addr("b@x.test")}, Text: "see attached\n", Attachments: []string{"big.bin"}}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Compose(d, fsys, Options{Now: testNow, Caps: protocol.Capabilities{}}); err != nil {
			b.Fatal(err)
		}
	}
}
