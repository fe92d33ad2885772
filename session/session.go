// Package session owns the live connection to an SMTP server: dialing
// (plain, STARTTLS, implicit TLS), TLS facts and verification, SASL,
// message streaming, timing, redaction and the transcript. It emits typed
// [Event] values; consumers (the TUI, probe) only render them and turn
// user intent into calls on a [Session].
package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// TLSMode says whether the connection starts inside TLS.
type TLSMode int

// TLS modes.
const (
	// TLSNone starts in plain text; STARTTLS may upgrade it later.
	TLSNone TLSMode = iota
	// TLSImplicit starts TLS with the first byte (RFC 8314 3.3, port 465).
	TLSImplicit
)

// StartTLSPolicy says what the automatic greeting does about STARTTLS
// (RFC 3207) on a plain connection.
type StartTLSPolicy int

// STARTTLS policies.
const (
	// StartTLSAuto upgrades when the server offers STARTTLS.
	StartTLSAuto StartTLSPolicy = iota
	// StartTLSRequire upgrades, and fails clearly when it is not offered.
	StartTLSRequire
	// StartTLSOff never upgrades on its own.
	StartTLSOff
)

// Timeouts bound every wait of a session. A zero field takes its default.
type Timeouts struct {
	Connect time.Duration // TCP connect plus the implicit TLS handshake
	Banner  time.Duration // from connect to the complete 220 greeting
	Command time.Duration // from a command to its complete reply
	Data    time.Duration // from the end-of-data marker to its reply, and each write of data
	// Silence is how long a plain connection may wait for its greeting
	// before a warning says the port may expect implicit TLS (the wait
	// goes on until Banner).
	Silence time.Duration
}

// Default timeouts. RFC 5321 4.5.3.2 asks clients to wait 5 minutes for
// the greeting and most replies and 10 for the reply to end of data; a
// debugger with a person watching gives up sooner on the first two, and
// every one of them can be changed.
const (
	DefaultConnectTimeout = 20 * time.Second
	DefaultBannerTimeout  = 2 * time.Minute  // RFC 5321 4.5.3.2.1 suggests 5 min
	DefaultCommandTimeout = 2 * time.Minute  // RFC 5321 4.5.3.2.2-4 suggest 5 min
	DefaultDataTimeout    = 10 * time.Minute // RFC 5321 4.5.3.2.6: DATA termination, 10 min
	// DefaultSilence: a server on a plain port greets within moments; one
	// silent for 3 s is likely waiting for a TLS ClientHello.
	DefaultSilence = 3 * time.Second
)

// withDefaults returns t with every zero field set to its default.
func (t Timeouts) withDefaults() Timeouts {
	if t.Connect <= 0 {
		t.Connect = DefaultConnectTimeout
	}
	if t.Banner <= 0 {
		t.Banner = DefaultBannerTimeout
	}
	if t.Command <= 0 {
		t.Command = DefaultCommandTimeout
	}
	if t.Data <= 0 {
		t.Data = DefaultDataTimeout
	}
	if t.Silence <= 0 {
		t.Silence = DefaultSilence
	}
	return t
}

// Config describes one session. Only Address is required.
type Config struct {
	Address   string         // host:port (IPv6 as [::1]:25)
	TLSMode   TLSMode        // see [DefaultTLSMode] for the port-465 default
	StartTLS  StartTLSPolicy // used by AutoHello
	AutoHello bool           // after the banner: EHLO, STARTTLS per policy, EHLO again; false waits for the user
	Helo      string         // EHLO name; "" uses [DefaultHelo]

	Insecure bool // skip certificate verification; the session is marked unverified everywhere
	// PinnedCert is the DER of a server certificate the user chose to
	// trust for this run: a chain whose leaf is exactly this certificate
	// is accepted whatever its issuer, names or dates (shown as pinned).
	PinnedCert []byte
	RootCAs    *x509.CertPool // nil: the system roots (plus CAFile)
	CAFile     string         // PEM file of extra trusted roots
	SNI        string         // server name sent and verified; "" uses the host of Address
	TLSMin     uint16         // tls.VersionTLS12 …; 0 is Go's default minimum
	TLSMax     uint16         // 0 is Go's default maximum
	ClientCert *tls.Certificate

	Timeouts     Timeouts
	ShowUsername bool // events and the transcript may show the AUTH username (secrets never)

	// Dial replaces the network dialer, for tests.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// AuthRequest asks for one SASL exchange (RFC 4954).
type AuthRequest struct {
	Mechanism         string // "" picks the strongest advertised mechanism smtpscope supports
	Username          string
	Secret            string // password or OAuth token; never stored or shown
	NoInitialResponse bool   // wait for the server's first 334 instead of sending the initial response with AUTH
	Token             bool   // Secret is an OAuth 2.0 access token: automatic choice picks OAUTHBEARER or XOAUTH2

	// AllowCleartext says the user confirmed sending credentials on a
	// connection whose STARTTLS was refused, failed or missing (an event
	// with [Event.Downgrade] reported it). Without it such an AUTH is
	// refused with [ErrCleartextAuth] and nothing is sent.
	AllowCleartext bool
}

// Message is a whole mail transaction for [Session.SendMessage].
type Message struct {
	From string    // reverse path, "" for the null path <>
	To   []string  // forward paths
	Body io.Reader // the message (headers and body), any line endings
	// Size is the message's size on the wire, line endings counted as
	// CRLF (RFC 1870 3; [protocol.ContentCounter] measures it), or -1
	// when unknown. It is declared as SIZE= when the server has SIZE.
	Size int64
	// EightBit says the content has 8-bit octets: MAIL FROM then carries
	// BODY=8BITMIME (RFC 6152), and the send is refused before anything
	// goes out when the server does not offer 8BITMIME.
	EightBit bool
	// UTF8 says the header has UTF-8 (RFC 6532): MAIL FROM then carries
	// SMTPUTF8 (RFC 6531 3.4). Non-ASCII addresses in From and To set it
	// too, whatever this says.
	UTF8 bool
}

// Session is one conversation with one server, across reconnects. Its
// methods never block: each enqueues an intent that the session's own
// goroutine carries out in order, and the results arrive as events on
// [Session.Events].
type Session struct {
	cfg        Config
	timeouts   Timeouts
	events     *eventQueue
	transcript *Transcript
	secrets    secretSet // what display paths redact

	mu       sync.Mutex
	intents  []intent
	wake     chan struct{} // a token means intents are waiting
	started  bool
	closing  bool
	opCancel context.CancelFunc // cancels the intent being carried out
	done     chan struct{}      // closed when the loop has ended

	// Owned by the loop goroutine (and by Probe, which runs without it).
	gen   int
	c     *conn
	track tracker

	active atomic.Pointer[conn] // c, for interrupts from other goroutines
	genNow atomic.Int64         // gen, for Annotate from other goroutines
	// composing is set while the loop carries out an intent whose lines
	// smtpscope writes itself (see [Event.Auto]).
	composing bool
}

// New returns a session for cfg. Nothing happens on the network until
// [Session.Connect].
func New(cfg Config) *Session {
	return newSession(cfg, newEventQueue(maxQueuedEvents, maxQueuedOctets))
}

// newSession returns a session emitting to events; nil events (Probe,
// which reads results directly) makes emitting free.
func newSession(cfg Config, events *eventQueue) *Session {
	return &Session{
		cfg:        cfg,
		timeouts:   cfg.Timeouts.withDefaults(),
		transcript: NewTranscript(),
		wake:       make(chan struct{}, 1),
		done:       make(chan struct{}),
		track:      newTracker(),
		events:     events,
	}
}

// Events returns the channel of event batches. A batch holds every event
// that was ready when the consumer last took one, in order. The channel is
// closed after [Session.Close] has finished; consumers must keep reading
// until then. Events of an old generation can still arrive after
// [Session.Reconnect]; drop those whose Gen is not the latest.
func (s *Session) Events() <-chan []Event { return s.events.out }

// Transcript returns the session's transcript, shared across reconnects.
func (s *Session) Transcript() *Transcript { return s.transcript }

// Connect dials the server (a new generation) and reads the banner; with
// AutoHello it goes on with EHLO and STARTTLS per the policy.
func (s *Session) Connect() { s.enqueue(intent{kind: intentConnect}, false) }

// Send sends exactly line (CRLF added) and reads the reply it causes.
// An AUTH initial response or a line sent inside an AUTH exchange (also
// one sent before the server's 334 arrived) is redacted in events and the
// transcript. A line holding a CR or LF is refused ([ErrLineBreak]):
// it would smuggle a second command onto the wire.
func (s *Session) Send(line string) {
	s.enqueue(intent{kind: intentSend, lines: []string{line}}, false)
}

// Pipeline sends lines as one group (RFC 2920) and reads their replies in
// order. Without PIPELINING advertised a warning is emitted and the group
// is sent anyway: a debugger lets you break the rules. When any line holds
// a CR or LF, none is sent.
func (s *Session) Pipeline(lines []string) {
	s.enqueue(intent{kind: intentPipeline, lines: append([]string(nil), lines...)}, false)
}

// StartTLS sends STARTTLS, performs the handshake (KindTLS event) and
// sends a fresh EHLO (RFC 3207 4.2).
func (s *Session) StartTLS() { s.enqueue(intent{kind: intentStartTLS}, false) }

// Auth runs the SASL exchange of a step by step: each 334 prompt is decoded
// in events, each response redacted.
func (s *Session) Auth(a AuthRequest) { s.enqueue(intent{kind: intentAuth, auth: a}, false) }

// SendBody streams body as message content after DATA got 354: lines are
// normalized to CRLF and dot-stuffed, the end marker is sent, and
// KindProgress events report octets sent. size is the expected size or -1.
func (s *Session) SendBody(body io.Reader, size int64) {
	s.enqueue(intent{kind: intentBody, body: body, size: size}, false)
}

// SendChunk sends the message data a BDAT typed by hand announced
// ("BDAT 120 LAST" then exactly 120 octets, RFC 3030 2), as given — no
// dot-stuffing, no line end added — and reads the server's reply to the
// chunk. Data of another length is refused: the server reads exactly the
// number announced, and what followed would be read as commands.
func (s *Session) SendChunk(data []byte) {
	s.enqueue(intent{kind: intentChunk, chunk: append([]byte(nil), data...)}, false)
}

// SendMessage runs a whole transaction: MAIL, RCPT for each recipient,
// then DATA and the body (or BDAT chunks when CHUNKING is offered);
// MAIL, RCPT and DATA go as one group when PIPELINING is offered.
func (s *Session) SendMessage(m Message) { s.enqueue(intent{kind: intentMessage, msg: m}, false) }

// Reconnect abandons the current connection (QUIT when idle) and connects
// again as a new generation. It interrupts whatever is in progress — a
// wait, a TLS handshake, a message upload, a SCRAM computation — at once.
func (s *Session) Reconnect() { s.enqueue(intent{kind: intentReconnect}, true) }

// ReconnectOptions change the settings of the next connection, as the
// suggestion of an event proposes ([Event.Suggest]).
type ReconnectOptions struct {
	ImplicitTLS bool   // TLS from the first byte (the port is an implicit-TLS one)
	PinCert     []byte // trust exactly this certificate (its DER) for the rest of the run
	Insecure    bool   // do not verify the certificate at all
}

// ReconnectWith is [Session.Reconnect] with changed settings. Each change
// is said in a note, so the screen and the transcript show why the next
// connection differs.
func (s *Session) ReconnectWith(o ReconnectOptions) {
	s.enqueue(intent{kind: intentReconnect, reconfig: &o}, true)
}

// reconfigure applies o to the session's settings; it runs on the loop.
func (s *Session) reconfigure(o ReconnectOptions) {
	if o.ImplicitTLS && s.cfg.TLSMode != TLSImplicit {
		s.cfg.TLSMode = TLSImplicit
		s.emit(Event{Kind: KindInfo, Text: "reconnecting with TLS from the first byte (as --tls)"})
	}
	if len(o.PinCert) > 0 {
		s.cfg.PinnedCert = append([]byte(nil), o.PinCert...)
		s.emit(Event{Kind: KindWarning, Text: "reconnecting trusting exactly this server certificate for this run (pinned): it is accepted although it did not verify"})
	}
	if o.Insecure && !s.cfg.Insecure {
		s.cfg.Insecure = true
		s.emit(Event{Kind: KindWarning, Text: "reconnecting WITHOUT certificate verification (as --insecure): anyone on the path could read or change this session"})
	}
}

// Close sends QUIT when the connection is idle, closes it, and then closes
// the [Session.Events] channel. It interrupts whatever is in progress, as
// Reconnect does; intents still queued are dropped. Close may be called
// more than once.
func (s *Session) Close() { s.enqueue(intent{kind: intentClose}, true) }

// Done returns a channel closed when the session has ended after Close.
func (s *Session) Done() <-chan struct{} { return s.done }

// enqueue adds an intent for the loop, starting the loop on first use.
// An interrupting intent cancels the intent being carried out.
func (s *Session) enqueue(in intent, interrupt bool) {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return
	}
	if in.kind == intentClose {
		s.closing = true
	}
	if interrupt && s.opCancel != nil {
		s.opCancel()
	}
	s.intents = append(s.intents, in)
	if !s.started {
		s.started = true
		go s.loop()
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
