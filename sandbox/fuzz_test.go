package sandbox

import (
	"io"
	"net"
	"testing"
	"time"
)

// FuzzSession feeds arbitrary client bytes to a session and checks that
// the server answers and ends cleanly: no panic, no hang.
func FuzzSession(f *testing.F) {
	for _, seed := range []string{
		"EHLO a\r\nMAIL FROM:<a@sandbox.test>\r\nRCPT TO:<b@sandbox.test>\r\nDATA\r\nhi\r\n.\r\n",
		"EHLO a\r\nBDAT 3 LAST\r\nabc",
		"EHLO a\r\nAUTH PLAIN\r\n*\r\nAUTH LOGIN\r\n=\r\n",
		"\x00\xff\r\n\n\r\r\nHELO\r\nRSET x\r\nHELP HELP\r\n",
		"EHLO a\r\nMAIL FROM:<> SIZE=x BODY=BINARYMIME SMTPUTF8=1 RET=FULL\r\n",
	} {
		f.Add([]byte(seed))
	}
	s, err := Start(Config{IdleTimeout: time.Second, DataTimeout: time.Second, MaxStoredMessages: -1})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	f.Fuzz(func(t *testing.T, input []byte) {
		client, server := net.Pipe()
		defer client.Close()
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.serve(server, false)
			server.Close()
		}()
		go func() {
			client.Write(input)
			client.Write([]byte("\r\n.\r\nRSET\r\nQUIT\r\n"))
		}()
		client.SetReadDeadline(time.Now().Add(testGuard))
		if _, err := io.Copy(io.Discard, client); err != nil {
			t.Fatalf("session did not end: %v", err)
		}
		<-done
	})
}
