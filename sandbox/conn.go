package sandbox

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// minErrorCode is the lowest reply code counted as an error (4yz and 5yz).
const minErrorCode = 400

// tlsHandshakeTimeout bounds a TLS handshake (STARTTLS or implicit); a
// shorter HelloTimeout bounds it too, since a client mid-handshake is as
// silent as one that never said EHLO.
const tlsHandshakeTimeout = 30 * time.Second

// Reasons a connection ended, reported in EventDisconnect.
var (
	errLineTooLong   = errors.New("line too long")
	errClientGone    = errors.New("the client closed the connection without QUIT")
	errIdleTimeout   = errors.New("the client was silent past the idle timeout")
	errTooManyErrors = errors.New("too many bad commands")
	errServerClosed  = errors.New("the sandbox was stopped")
	errScenarioClose = errors.New("the scenario closed the connection")
)

// conn is one client connection and its SMTP session state.
type conn struct {
	srv    *Server
	nc     net.Conn
	r      *bufio.Reader
	w      *bufio.Writer
	id     uint64
	remote string

	tls      bool
	helo     string
	extended bool
	user     string

	txn          transaction
	errors       int
	transactions int

	deadlineSet time.Time // when the DATA read deadline was last moved

	closing bool  // stop after the current command
	endErr  error // why the connection ends; nil after QUIT
}

// transaction is the state of one mail transaction (RFC 5321 3.3).
type transaction struct {
	open         bool
	from         string
	smtputf8     bool
	rcpts        []string
	rcptAttempts int
	chunked      bool        // BDAT seen
	chunks       *bodyBuffer // BDAT content so far (when kept)
	size         int64       // BDAT content octets so far
	tooBig       bool        // BDAT content passed the SIZE limit
}

// serve runs one connection from greeting to close.
func (s *Server) serve(nc net.Conn, implicitTLS bool) {
	c := &conn{srv: s, id: s.nextConn.Add(1), remote: nc.RemoteAddr().String()}
	c.txn.chunks = &bodyBuffer{dir: &s.spill}
	defer c.txn.chunks.reset()
	c.setConn(nc)
	s.emit(Event{Kind: EventConnect, Conn: c.id, Remote: c.remote})
	err := c.runGuarded(implicitTLS)
	s.emit(Event{Kind: EventDisconnect, Conn: c.id, Remote: c.remote, Err: err})
}

// runGuarded runs the connection. A panic in it (a bug, or a scenario
// hook) sends the replies already queued for pipelined commands, then a
// 421 through the connection's own writer — inside TLS when TLS is on —
// and ends the connection; other connections go on.
func (c *conn) runGuarded(implicitTLS bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.write(protocol.FormatReply(codeUnavailable, enhSystem, c.srv.cfg.Hostname+internalErrorText))
			c.flush()
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return c.run(implicitTLS)
}

func (c *conn) setConn(nc net.Conn) {
	c.nc = nc
	c.r = bufio.NewReaderSize(nc, maxLineOctets)
	c.w = bufio.NewWriter(nc)
}

// run greets the client and serves commands until QUIT, an error or Close.
func (c *conn) run(implicitTLS bool) error {
	if implicitTLS {
		if err := c.handshake(); err != nil {
			return err
		}
	}
	if !c.greet() {
		return c.finish()
	}
	for !c.closing {
		idle := c.srv.cfg.IdleTimeout
		if c.helo == "" {
			idle = c.srv.cfg.HelloTimeout // a silent newcomer gives its slot back sooner
		}
		line, err := c.readLine(idle)
		switch {
		case errors.Is(err, errLineTooLong):
			c.send(reply(codeUnrecognized, enhSyntax, fmt.Sprintf(
				"Line too long: the limit is %d octets (RFC 5321 4.5.3.1.4 asks for 512); the line was discarded",
				maxLineOctets-len("\r\n"))))
			continue
		case err != nil:
			c.readFailed(err)
			return c.finish()
		}
		c.dispatch(protocol.ParseCommand(string(line)))
	}
	return c.finish()
}

// finish flushes what is left and returns why the connection ends.
func (c *conn) finish() error {
	c.flush()
	return c.endErr
}

// greet sends the banner after the scenario's delay; false when the
// connection must end instead.
func (c *conn) greet() bool {
	delay := c.srv.cfg.BannerDelay
	if delay <= 0 {
		delay = c.srv.scenario.BannerDelay
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-c.srv.done:
			t.Stop()
			c.end(errServerClosed)
			return false
		}
	}
	if h := c.srv.hooks.Connect; h != nil {
		if r := h(c.view()); r != nil {
			c.send(r)
			return !c.closing
		}
	}
	text := c.srv.cfg.Hostname + " ESMTP smtpscope sandbox (" + c.srv.scenario.Name + ") - type HELP for a guide"
	if b := c.srv.scenario.Banner; b != nil {
		text = b(c.view())
	}
	// RFC 2034 3: the greeting carries no enhanced status code.
	c.write(protocol.FormatReply(codeReady, "", text))
	return !c.closing
}

// dispatch answers one command.
func (c *conn) dispatch(cmd protocol.Command) {
	if h := c.srv.hooks.Command; h != nil {
		if r := h(c.view(), cmd); r != nil {
			c.send(r)
			return
		}
	}
	switch cmd.Verb {
	case protocol.VerbEHLO, protocol.VerbHELO:
		c.hello(cmd)
	case protocol.VerbMAIL:
		c.mail(cmd)
	case protocol.VerbRCPT:
		c.rcpt(cmd)
	case protocol.VerbDATA:
		c.data(cmd)
	case protocol.VerbBDAT:
		c.bdat(cmd)
	case protocol.VerbRSET:
		c.rset(cmd)
	case protocol.VerbNOOP:
		c.send(reply(codeOK, enhOK, "OK"))
	case protocol.VerbQUIT:
		c.quit(cmd)
	case protocol.VerbVRFY:
		c.vrfy(cmd)
	case protocol.VerbEXPN:
		c.expn(cmd)
	case protocol.VerbHELP:
		c.help(cmd)
	case protocol.VerbAUTH:
		c.auth(cmd)
	case protocol.VerbSTARTTLS:
		c.starttls(cmd)
	case protocol.VerbETRN:
		c.etrn(cmd)
	default:
		c.unknown(cmd)
	}
}

// view is the connection's state for hooks.
func (c *conn) view() View {
	return View{
		Conn:         c.id,
		Remote:       c.remote,
		Hostname:     c.srv.cfg.Hostname,
		TLS:          c.tls,
		Helo:         c.helo,
		Extended:     c.extended,
		User:         c.user,
		From:         c.txn.from,
		InMail:       c.txn.open,
		Recipients:   append([]string(nil), c.txn.rcpts...),
		Transactions: c.transactions,
		Now:          c.srv.cfg.Now(),
	}
}

// send writes a reply, counts errors, and hangs up past the error limit.
func (c *conn) send(r *Reply) {
	if r.Drop {
		c.end(errScenarioClose)
		return
	}
	enh := r.Enhanced
	if !c.enhancedCodes() {
		enh = ""
	}
	c.write(protocol.FormatReply(r.Code, enh, r.Lines...))
	if r.Close {
		c.end(errScenarioClose)
		return
	}
	if r.Code >= minErrorCode && r.Code != codeUnavailable {
		c.errors++
		if c.errors >= c.srv.maxErrors && !c.closing {
			c.write(protocol.FormatReply(codeUnavailable, enhPolicy, fmt.Sprintf(
				"%s Error: too many errors (%d); closing the connection - reconnect to try again",
				c.srv.cfg.Hostname, c.errors)))
			c.end(errTooManyErrors)
		}
	}
}

// end marks the connection to close after the current command, for why.
func (c *conn) end(why error) {
	if !c.closing {
		c.closing, c.endErr = true, why
	}
}

// write queues raw reply text; a failed write ends the connection. The
// write deadline moves with every reply: the buffer flushes by itself when
// full (a pipelined group with long replies), long after the last flush.
func (c *conn) write(s string) {
	c.nc.SetWriteDeadline(time.Now().Add(c.srv.cfg.writeTimeout))
	if _, err := c.w.WriteString(s); err != nil {
		c.end(fmt.Errorf("write: %w", err))
	}
}

// flush sends queued replies. Replies to pipelined commands are queued
// until the client's input is drained (RFC 2920 3.2).
func (c *conn) flush() error {
	if c.w.Buffered() == 0 {
		return nil
	}
	c.nc.SetWriteDeadline(time.Now().Add(c.srv.cfg.writeTimeout))
	err := c.w.Flush()
	if err != nil {
		c.end(fmt.Errorf("write: %w", err))
	}
	return err
}

// flushUnlessPipelined sends queued replies unless the client has already
// sent another complete command, whose reply can go with them.
func (c *conn) flushUnlessPipelined() error {
	if c.w.Buffered() == 0 || c.hasLine() {
		return nil
	}
	return c.flush()
}

// hasLine reports whether a complete line is already buffered.
func (c *conn) hasLine() bool {
	n := c.r.Buffered()
	if n == 0 {
		return false
	}
	b, _ := c.r.Peek(n)
	return bytes.IndexByte(b, '\n') >= 0
}

// readLine reads one line (terminator included), flushing queued replies
// first unless another command is already waiting. A line longer than
// maxLineOctets is discarded and reported as errLineTooLong.
func (c *conn) readLine(timeout time.Duration) ([]byte, error) {
	if err := c.flushUnlessPipelined(); err != nil {
		return nil, err
	}
	c.nc.SetReadDeadline(time.Now().Add(timeout))
	c.deadlineSet = time.Time{} // the next DATA line sets its own
	line, err := c.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = c.r.ReadSlice('\n')
		}
		if err != nil {
			return nil, err
		}
		return nil, errLineTooLong
	}
	return line, err
}

// readFailed ends the connection after a failed read, telling a silent
// client why (RFC 5321 4.5.3.2: 421 on timeout).
func (c *conn) readFailed(err error) {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		c.write(protocol.FormatReply(codeUnavailable, enhTimeout,
			c.srv.cfg.Hostname+" Error: timeout exceeded; closing the connection"))
		c.end(errIdleTimeout)
	case errors.Is(err, io.EOF):
		c.end(errClientGone)
	case isClosedByServer(c.srv):
		c.end(errServerClosed)
	default:
		c.end(fmt.Errorf("read: %w", err))
	}
}

// isClosedByServer reports whether Close is stopping the server.
func isClosedByServer(s *Server) bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// handshake runs the server side of a TLS handshake on the connection.
func (c *conn) handshake() error {
	tc := tls.Server(c.nc, c.srv.tlsConfig)
	tc.SetDeadline(time.Now().Add(min(tlsHandshakeTimeout, c.srv.cfg.HelloTimeout)))
	if err := tc.Handshake(); err != nil {
		return fmt.Errorf("TLS handshake: %w", err)
	}
	tc.SetDeadline(time.Time{})
	c.setConn(tc)
	c.tls = true
	c.srv.emit(Event{Kind: EventTLS, Conn: c.id, Remote: c.remote})
	return nil
}

// enhancedCodes reports whether replies carry enhanced status codes: only
// when ENHANCEDSTATUSCODES is advertised (RFC 2034 3).
func (c *conn) enhancedCodes() bool {
	return c.srv.scenario.hasExtension(extEnhancedStatusCodes)
}
