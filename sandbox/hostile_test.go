package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// sendMessage runs one transaction with body on c.
func sendMessage(c *client, body string) {
	c.t.Helper()
	c.cmd("MAIL FROM:<a@sandbox.test>", codeOK, "2.1.0")
	c.cmd("RCPT TO:<b@sandbox.test>", codeOK, "2.1.5")
	c.cmd("DATA", codeStartData, "")
	c.writeRaw(body + ".\r\n")
	c.expectReply(codeOK, "2.0.0")
}

// A bug in one connection (here a scenario hook that panics) ends that
// connection with 421 and an event; the server and other clients go on.
func TestPanicInAConnectionAnswers421(t *testing.T) {
	events := make(chan Event, 16)
	s := startServer(t, Config{OnEvent: func(e Event) { events <- e }})
	panicOnNOOP(s)
	c := connect(t, s)
	c.send("NOOP")
	r := c.expectReply(codeUnavailable, "4.3.0")
	if !strings.Contains(r.Text(), "internal error") {
		t.Errorf("reply %q", r.Raw())
	}
	c.expectClosed()
	other := connect(t, s)
	other.cmd("EHLO c.test", codeOK, "")
	timer := time.NewTimer(testGuard)
	defer timer.Stop()
	for {
		select {
		case e := <-events:
			if e.Kind == EventDisconnect && e.Err != nil && strings.Contains(e.Err.Error(), "boom") {
				return
			}
		case <-timer.C:
			t.Fatal("no disconnect event naming the panic")
		}
	}
}

// One client address cannot take every slot; another address still can.
func TestOneClientCannotTakeEverySlot(t *testing.T) {
	s := startServer(t, Config{MaxClients: 4, MaxClientsPerHost: 2})
	connect(t, s)
	connect(t, s)
	third := dial(t, s.Addr())
	r := third.expectReply(codeUnavailable, "4.7.0")
	if !strings.Contains(r.Text(), "too many connections from 127.0.0.1") {
		t.Errorf("reply %q", r.Raw())
	}
	third.expectClosed()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: testGuard}
	conn, err := d.Dial("tcp", s.Addr())
	if err != nil {
		t.Skip("no second loopback address here:", err)
	}
	other := &client{t: t, conn: conn, r: bufio.NewReader(conn)}
	t.Cleanup(func() { conn.Close() })
	other.expectReply(codeReady, "")
}

// A client that connects and says nothing gives its slot back after the
// hello timeout; after EHLO the (long) idle timeout applies.
func TestSilentNewcomerIsClosedSooner(t *testing.T) {
	s := startServer(t, Config{HelloTimeout: 100 * time.Millisecond, IdleTimeout: time.Hour})
	silent := connect(t, s)
	silent.expectReply(codeUnavailable, "4.4.2")
	silent.expectClosed()
	talker := connect(t, s)
	talker.cmd("EHLO c.test", codeOK, "")
	time.Sleep(300 * time.Millisecond) // past the hello timeout; not a timing assertion
	talker.cmd("NOOP", codeOK, "2.0.0")
}

// A client that starts a TLS handshake and stalls mid-record (here the
// header of an 11 789-octet record that never comes) is closed once the
// hello timeout passes, not held for the full handshake bound.
func TestStalledHandshakeIsClosed(t *testing.T) {
	s := startServer(t, Config{HelloTimeout: 100 * time.Millisecond, IdleTimeout: time.Hour})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	c.cmd("STARTTLS", codeReady, "2.0.0")
	c.writeRaw("\x16\r\n.\r\n")
	c.conn.SetReadDeadline(time.Now().Add(testGuard))
	if _, err := io.Copy(io.Discard, c.conn); err != nil {
		t.Fatalf("the stalled handshake was not closed: %v", err)
	}
}

// Message content is bounded in memory: past MaxStoredBytes older bodies
// move to private files, a body larger than the in-memory limit goes to a
// file as it arrives, and everything is removed by Close.
func TestMessageContentIsBoundedInMemory(t *testing.T) {
	s, err := Start(Config{MaxStoredBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	small := strings.Repeat("a line of the body\r\n", 30) // 600 octets
	for range 3 {
		sendMessage(c, small)
	}
	big := strings.Repeat("x", 1000) + "\r\n"
	sendMessage(c, strings.Repeat(big, (inMemoryBody/len(big))+10))
	msgs := s.Messages()
	if len(msgs) != 4 {
		t.Fatalf("%d messages kept", len(msgs))
	}
	var inMemory int
	var files []string
	for _, m := range msgs {
		inMemory += len(m.Data)
		if m.BodyFile != "" {
			files = append(files, m.BodyFile)
			fi, err := os.Stat(m.BodyFile)
			if err != nil || fi.Mode().Perm() != bodyFileMode {
				t.Errorf("message #%d file %s: %v, mode %v", m.ID, m.BodyFile, err, fi.Mode())
			}
		}
		body, err := m.Body()
		if err != nil || int64(len(body)) != m.Size {
			t.Errorf("message #%d: Body() = %d octets, %v; want %d", m.ID, len(body), err, m.Size)
		}
	}
	if inMemory > 1000 || len(files) != 3 || msgs[3].BodyFile == "" {
		t.Errorf("%d octets in memory, files %q: want at most 1000, the big one and older ones on disk", inMemory, files)
	}
	c.cmd("QUIT", codeClosing, "2.0.0")
	s.Close()
	for _, f := range files {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s survived Close: %v", f, err)
		}
	}
	if dir := filepath.Dir(files[0]); dir != "" {
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the temporary directory %s survived Close", dir)
		}
	}
}

// When content cannot go to disk, it is dropped with a note instead of
// held in memory.
func TestMessageContentIsDroppedWithANoteWhenTheDiskFails(t *testing.T) {
	s := startServer(t, Config{MaxStoredBytes: 100})
	s.spill.err = errors.New("disk full (simulated)")
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	sendMessage(c, strings.Repeat("z", 300)+"\r\n")
	sendMessage(c, "short\r\n")
	msgs := s.Messages()
	if len(msgs) != 2 || msgs[0].Data != nil || !strings.Contains(msgs[0].Note, "disk full") {
		t.Fatalf("first message: Data %d octets, note %q; want dropped with the reason", len(msgs[0].Data), msgs[0].Note)
	}
	if _, err := msgs[0].Body(); err == nil {
		t.Error("Body() of a dropped message gave no error")
	}
	if !bytes.Equal(msgs[1].Data, []byte("short\r\n")) {
		t.Errorf("second message %q", msgs[1].Data)
	}
}

// A client that pipelines a group with long replies after a quiet spell
// gets every reply: the write buffer fills and flushes by itself between
// two reads, and the deadline of that write counts from the write, not
// from the flush before the quiet spell (which had passed, and cut the
// connection with no reply at all).
func TestPipelinedRepliesAfterAQuietSpell(t *testing.T) {
	t.Parallel()
	const quiet = time.Second
	s := startServer(t, Config{writeTimeout: quiet})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	time.Sleep(2 * quiet) // the deadline of the EHLO reply's flush passes
	const helps = 100     // about 100 KB of replies, more than the write buffer
	c.writeRaw(strings.Repeat("HELP\r\n", helps) + "NOOP\r\n")
	for i := 0; i < helps; i++ {
		if r, err := c.tryReply(); err != nil || r.Code != codeHelp {
			t.Fatalf("reply %d to HELP: %v %v", i+1, r.Code, err)
		}
	}
	c.expectReply(codeOK, "2.0.0")
}

// A BDAT size of more digits than any message (which overflowed no
// counter but found no reply to send, and panicked the connection) is a
// 501, and the pipelined replies before it arrive first.
func TestBDATSizeOfTooManyDigitsIsASyntaxError(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	c := connect(t, s)
	c.cmd("EHLO c.test", codeOK, "")
	for _, size := range []string{"9223372036854775807", "99999999999999999999999"} {
		c.writeRaw("MAIL FROM:<a@c.test>\r\nRCPT TO:<u@sandbox.test>\r\nBDAT " + size + " LAST\r\n")
		c.expectReply(codeOK, "2.1.0")
		c.expectReply(codeOK, "2.1.5")
		c.expectReply(codeSyntaxArgs, "5.5.4")
		c.cmd("RSET", codeOK, "2.0.0")
	}
}

// After a panic, the replies already owed to pipelined commands go out
// first, and the 421 travels inside TLS when the session is in TLS (it
// was written to the raw socket, which a TLS client reads as a broken
// record).
func TestPanicAnswersInsideTLSAfterThePipelinedReplies(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	panicOnNOOP(s)
	c := ehloTLS(t, s)
	c.writeRaw("RSET\r\nNOOP\r\n")
	c.expectReply(codeOK, "2.0.0")
	if r := c.expectReply(codeUnavailable, "4.3.0"); !strings.Contains(r.Text(), "internal error") {
		t.Errorf("reply %q", r.Raw())
	}
}

// panicOnNOOP makes s's command hook panic with "boom" on NOOP.
func panicOnNOOP(s *Server) {
	s.hooks.Command = func(v View, c protocol.Command) *Reply {
		if c.Verb == protocol.VerbNOOP {
			panic("boom")
		}
		return nil
	}
}
