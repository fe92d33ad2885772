package sandbox

import (
	"io"
	"net"
	"testing"
	"time"
)

// fuzzPrefixes bring a session to the state where the fuzzed client bytes
// arrive (as mox fuzzes its server from several protocol states). AUTH
// runs on a scenario that offers it before TLS.
var fuzzPrefixes = []struct {
	name   string
	auth   bool // needs AUTH before TLS
	prefix string
}{
	{"greeting", false, ""},
	{"after EHLO", false, "EHLO fuzz.test\r\n"},
	{"inside AUTH", true, "EHLO fuzz.test\r\nAUTH LOGIN\r\n"},
	{"inside DATA", false, "EHLO fuzz.test\r\nMAIL FROM:<a@sandbox.test>\r\nRCPT TO:<b@sandbox.test>\r\nDATA\r\n"},
	{"inside BDAT", false, "EHLO fuzz.test\r\nMAIL FROM:<a@sandbox.test>\r\nRCPT TO:<b@sandbox.test>\r\nBDAT 64\r\n"},
	{"after STARTTLS", false, "EHLO fuzz.test\r\nSTARTTLS\r\n"},
}

// FuzzSession feeds arbitrary client bytes to a session from each of
// several states and checks that the server answers and ends cleanly: no
// panic, no hang.
func FuzzSession(f *testing.F) {
	for i, seed := range []string{
		"MAIL FROM:<a@sandbox.test>\r\nRCPT TO:<b@sandbox.test>\r\nDATA\r\nhi\r\n.\r\n",
		"BDAT 3 LAST\r\nabc",
		"AUTH PLAIN\r\n*\r\nAUTH LOGIN\r\n=\r\n",
		"\x00\xff\r\n\n\r\r\nHELO\r\nRSET x\r\nHELP HELP\r\n",
		"MAIL FROM:<> SIZE=x BODY=BINARYMIME SMTPUTF8=1 RET=FULL\r\n",
		"ZGVtbw==\r\nc2VjcmV0\r\n",
		"\x16\x03\x01\x00\x05hello",
	} {
		for state := range fuzzPrefixes {
			f.Add(byte(state+i), []byte(seed))
		}
	}
	// Short waits: input that stops mid-command ends the run quickly.
	cfg := Config{IdleTimeout: 200 * time.Millisecond, DataTimeout: 200 * time.Millisecond, MaxStoredMessages: -1}
	plain, err := Start(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { plain.Close() })
	cfg.Scenario = "qq"
	authFirst, err := Start(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { authFirst.Close() })
	f.Fuzz(func(t *testing.T, state byte, input []byte) {
		p := fuzzPrefixes[int(state)%len(fuzzPrefixes)]
		s := plain
		if p.auth {
			s = authFirst
		}
		client, server := net.Pipe()
		defer client.Close()
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.serve(server, false) // unguarded: a panic must fail the fuzz run
			server.Close()
		}()
		go func() {
			client.Write([]byte(p.prefix))
			client.Write(input)
			client.Write([]byte("\r\n.\r\nRSET\r\nQUIT\r\n"))
		}()
		client.SetReadDeadline(time.Now().Add(testGuard))
		if _, err := io.Copy(io.Discard, client); err != nil {
			t.Fatalf("%s: session did not end: %v", p.name, err)
		}
		<-done
	})
}
