package session

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// conn is one connection generation: the socket, the reader goroutine
// feeding complete replies, and the commands waiting for replies.
//
// The reader works in lockstep with the session goroutine: it delivers
// one reply on replies and waits on resume before reading the next. That
// lets the session stop it right after the 220 to STARTTLS, before it can
// read bytes that belong to the TLS handshake.
type conn struct {
	gen     int
	raw     net.Conn // the TCP connection
	nc      net.Conn // raw, or the TLS connection over it
	rr      *replyReader
	bw      *bufio.Writer
	tls     *TLSInfo // nil while plain
	replies chan readResult
	resume  chan struct{}
	stop    chan struct{}
	stopped sync.Once
	reading bool // a reader goroutine runs for the current stream
	// received counts the octets the readers took from the server; the
	// session goroutine reads it while a reader runs.
	received atomic.Int64

	pending      []pending      // commands sent whose replies have not come
	lastCode     int            // the code of the latest reply
	quitAnswered bool           // QUIT got its reply: the server's close that follows is the normal end
	last         protocol.Reply // the latest complete reply, for [Stepper]
	inAuth       bool           // a 334 is outstanding: lines sent are SASL responses
	silenceNoted bool           // the silent-greeting warning was given
	// chunkOwed is what a BDAT typed by hand announced: the server now
	// reads exactly this many octets as message data before it answers.
	chunkOwed int64
	chunkLast bool
	inData    bool   // DATA got 354: lines sent are message content
	dead      bool   // closed; nothing more is sent or read
	tlsErr    error  // why the last TLS handshake failed
	hello     string // the EHLO/HELO name the user typed on this connection

	authOpen    bool       // an AUTH exchange is under way: every line sent belongs to it
	tlsRefused  bool       // STARTTLS was refused or failed on this connection
	downgrade   *Downgrade // why this plain connection stayed plain, when TLS was wanted
	unsolicited int        // replies that arrived with no command waiting
	outOfStep   error      // why replies no longer match commands, once seen
	injected    []byte     // octets the server sent between its 220 to STARTTLS and the handshake (a preview)
	injectedN   int        // how many there were

	wmu         sync.Mutex // guards interrupted and the write deadline against an interrupt
	interrupted bool       // Reconnect or Close cut the intent in progress: writes fail at once
}

// pending is a command on the wire waiting for its reply.
type pending struct {
	verb     string
	sent     time.Time
	deadline time.Time
}

func newConn(gen int, raw net.Conn) *conn {
	return &conn{
		gen: gen, raw: raw, nc: raw,
		bw:      bufio.NewWriterSize(raw, writeBufferSize),
		replies: make(chan readResult, 1),
		resume:  make(chan struct{}, 1), // next never waits for the reader to be scheduled
		stop:    make(chan struct{}),
	}
}

// writeBufferSize holds a pipelined group of commands, so that it leaves
// in one write. Message data does not need a bigger one: DATA content is
// written straight to the connection and a BDAT chunk larger than the
// buffer bypasses it.
const writeBufferSize = 4 << 10

// startReader starts the reader goroutine on the current stream (plain or
// TLS). checkTLS makes it recognise TLS bytes where a greeting belongs.
func (c *conn) startReader(checkTLS bool) {
	c.rr = newReplyReader(countingReader{c.nc, &c.received}, checkTLS)
	c.reading = true
	// This reader's own channels: pauseReader replaces c.stop and c.resume,
	// and a paused reader must neither read the fields nor take the next
	// reader's resume token.
	rr, stop, resume := c.rr, c.stop, c.resume
	go func() {
		defer func() {
			// A bug here must end the connection with an error event, not
			// take the user's terminal down.
			if r := recover(); r != nil {
				select {
				case c.replies <- readResult{err: fmt.Errorf("internal error in smtpscope's reader (please report it): %v", r)}:
				case <-stop:
				}
			}
		}()
		for {
			res := rr.read()
			res.trailing = rr.buffered()
			select {
			case c.replies <- res:
			case <-stop:
				return
			}
			if res.err != nil {
				return
			}
			select {
			case <-resume:
			case <-stop:
				return
			}
		}
	}()
}

// countingReader counts the octets read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (cr countingReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	cr.n.Add(int64(n))
	return n, err
}

// next lets the reader go on to the next reply.
func (c *conn) next() {
	select {
	case c.resume <- struct{}{}:
	case <-c.stop:
	}
}

// pauseReader stops the lockstep reader after the reply it delivered
// (it is waiting on resume) so that the stream can be handed to TLS.
func (c *conn) pauseReader() {
	c.reading = false
	old := c.stop
	close(old)
	c.stop = make(chan struct{})
	c.resume = make(chan struct{}, 1)
	c.stopped = sync.Once{}
}

// close shuts the socket and the reader down; safe to call twice.
func (c *conn) close() {
	c.stopped.Do(func() {
		c.dead = true
		close(c.stop)
		c.nc.Close()
		c.raw.Close()
	})
}

// setWriteDeadline bounds the next writes by d from now, unless an
// interrupt came first: then the deadline stays in the past.
func (c *conn) setWriteDeadline(d time.Duration) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if !c.interrupted {
		c.raw.SetWriteDeadline(time.Now().Add(d))
	}
}

// interrupt makes every blocked and later write fail at once; it is safe
// to call from any goroutine.
func (c *conn) interrupt() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.interrupted = true
	c.raw.SetWriteDeadline(time.Unix(1, 0))
}

// lift lifts an interrupt: later writes get their own deadlines again.
func (c *conn) lift() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.interrupted = false
	c.raw.SetWriteDeadline(time.Time{})
}

// wasInterrupted reports whether an interrupt cut a step on c.
func (c *conn) wasInterrupted() bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.interrupted
}

// deadline returns when the oldest pending reply is due, or the zero time.
func (c *conn) deadline() time.Time {
	if len(c.pending) == 0 {
		return time.Time{}
	}
	return c.pending[0].deadline
}
