package protocol

import "strings"

// State is where an SMTP session stands, from the client's point of view.
type State int

// Client states. The zero value is StateDisconnected.
const (
	StateDisconnected State = iota // no connection
	StateGreeting                  // connected, waiting for the 220 banner
	StateGreeted                   // banner received, no EHLO/HELO yet
	StateReady                     // EHLO/HELO accepted, no transaction open
	StateTLSHandshake              // STARTTLS got 220, handshake in progress
	StateAuth                      // inside an AUTH exchange (334 loop)
	StateMail                      // MAIL FROM accepted, no recipient yet
	StateRcpt                      // at least one RCPT TO accepted
	StateData                      // DATA got 354 (or BDAT in progress): message content
	StateClosed                    // QUIT answered or connection gone
	StateDesync                    // replies no longer match commands; reconnect
)

var stateNames = [...]string{
	StateDisconnected: "DISCONNECTED",
	StateGreeting:     "GREETING",
	StateGreeted:      "GREETED",
	StateReady:        "READY",
	StateTLSHandshake: "TLS",
	StateAuth:         "AUTH",
	StateMail:         "MAIL",
	StateRcpt:         "RCPT",
	StateData:         "DATA",
	StateClosed:       "CLOSED",
	StateDesync:       "DESYNC",
}

// String returns the short upper-case name shown in the status bar.
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "UNKNOWN"
}

// Reply codes the state machine acts on.
const (
	codeServiceReady   = 220 // RFC 5321 4.2.2: greeting; RFC 3207 4: ready to start TLS
	codeClosing        = 221 // RFC 5321 4.2.2: closing transmission channel (QUIT)
	codeAuthSucceeded  = 235 // RFC 4954 6: authentication succeeded
	codeOK             = 250 // RFC 5321 4.2.2: requested action okay
	codeWillForward    = 251 // RFC 5321 4.2.2: user not local; will forward
	codeAuthChallenge  = 334 // RFC 4954 4: server challenge
	codeStartInput     = 354 // RFC 5321 4.2.2: start mail input
	codeNotAvailable   = 421 // RFC 5321 4.2.2: service not available, closing channel
	codeBadSequence    = 503 // RFC 5321 4.2.4: bad sequence of commands
	codeParamNotImpl   = 504 // RFC 5321 4.2.4: command parameter not implemented
	codeExceedsStorage = 552 // RFC 5321 4.2.3; RFC 1870 6.1: message size exceeds fixed maximum
)

// Snapshot is an immutable picture of the client's view of a session, safe
// to pass between goroutines. The UI renders it; it never re-derives
// protocol state itself.
type Snapshot struct {
	State         State
	Caps          Capabilities // from the latest EHLO (empty before, and after STARTTLS until EHLO again)
	CapsBeforeTLS Capabilities // the EHLO list seen before STARTTLS, kept for the diff
	TLS           bool         // the connection is inside TLS
	Authenticated bool
	Extended      bool // EHLO (not HELO) was accepted

	// Refused is set when the greeting was 554: the server answers every
	// command but QUIT with 503 (RFC 5321 3.1).
	Refused bool
	// Chunking is set once a BDAT chunk was accepted in the current
	// transaction: DATA is then out of sequence (RFC 3030 2).
	Chunking bool
	// BinaryMIME is set when MAIL FROM carried BODY=BINARYMIME: the
	// content must go with BDAT, DATA gets 503 (RFC 3030 3).
	BinaryMIME bool
	// Pending counts commands sent and not yet answered (pipelining).
	Pending int
}

// InTransaction reports whether a mail transaction is open (MAIL accepted
// and not yet finished or reset).
func (s Snapshot) InTransaction() bool {
	return s.State == StateMail || s.State == StateRcpt || s.State == StateData
}

// Machine follows an SMTP session from the client's side: it is told what
// went on the wire and what came back, matches each reply to the oldest
// unanswered command (RFC 2920 3.2: replies come in command order) and moves
// the state. It is not safe for concurrent use; the session goroutine owns
// it and hands out [Snapshot] values.
type Machine struct {
	snap     Snapshot
	pending  []Command
	bodyOpen bool // DATA got 354: lines sent now are message content
}

// NewMachine returns a machine for a session not yet connected.
func NewMachine() *Machine { return &Machine{} }

// Snapshot returns the current picture. Its fields are never modified
// afterwards by the machine.
func (m *Machine) Snapshot() Snapshot {
	s := m.snap
	s.Pending = len(m.pending)
	return s
}

// Connected starts a fresh session: the TCP connection is up and the
// greeting is awaited. Everything learned on an earlier connection is
// forgotten.
func (m *Machine) Connected() {
	*m = Machine{}
	m.snap.State = StateGreeting
}

// SetImplicitTLS marks a connection that is TLS from the first byte
// (RFC 8314 3.3); call it right after [Machine.Connected].
func (m *Machine) SetImplicitTLS() { m.snap.TLS = true }

// Sent records a command line that went on the wire. Commands queue up
// (pipelining is allowed); each waits for its reply. While an AUTH
// exchange waits for the client's answer to a 334, the line is taken as
// that answer. While message content is being sent after a 354, lines get
// no reply and are ignored, except a lone "." which ends the data.
func (m *Machine) Sent(c Command) {
	switch {
	case m.bodyOpen:
		if c.Raw == EndOfDataVerb {
			m.SentEndOfData()
		}
		return
	case m.snap.State == StateAuth && len(m.pending) == 0:
		// RFC 4954 4: a base64 response (or "*" to cancel) to a 334.
		m.pending = append(m.pending, Command{Raw: c.Raw, Verb: VerbAUTH})
		return
	}
	m.pending = append(m.pending, c)
}

// SentEndOfData records that <CRLF>.<CRLF> went on the wire; the next
// reply answers the whole message (RFC 5321 4.1.1.4).
func (m *Machine) SentEndOfData() {
	m.bodyOpen = false
	m.pending = append(m.pending, Command{Raw: EndOfDataVerb, Verb: EndOfDataVerb})
}

// Received matches a complete reply to the oldest pending command (or to
// the greeting) and moves the state. It returns the command answered (the
// zero Command for the greeting or an unsolicited reply) and the new state.
// A reply with nothing pending puts the session in [StateDesync], except a
// 421, which a server may send at any time before closing (RFC 5321 3.8).
func (m *Machine) Received(r Reply) (answered Command, s State) {
	st := &m.snap
	switch st.State {
	case StateDesync, StateClosed, StateDisconnected:
		return Command{}, st.State
	case StateGreeting:
		// Even when commands were sent before the banner, the banner
		// comes first; those commands stay pending.
		m.greeting(r)
		return Command{}, st.State
	}
	if r.Code == codeNotAvailable {
		if len(m.pending) > 0 {
			answered = m.pending[0]
		}
		m.close()
		return answered, st.State
	}
	if len(m.pending) == 0 {
		st.State = StateDesync
		return Command{}, st.State
	}
	answered = m.pending[0]
	m.pending = m.pending[1:]
	m.apply(answered, r)
	return answered, st.State
}

// greeting handles the server's first reply (RFC 5321 3.1, 4.3.2).
func (m *Machine) greeting(r Reply) {
	st := &m.snap
	switch {
	case r.Code == codeServiceReady:
		st.State = StateGreeted
	case r.Code == codeNotAvailable:
		m.close()
	default:
		// 554 (or anything else): the server will not serve us but waits
		// for QUIT, answering 503 to the rest.
		st.State = StateGreeted
		st.Refused = true
	}
}

// apply moves the state for reply r to command c.
func (m *Machine) apply(c Command, r Reply) {
	st := &m.snap
	ok := r.Class() == ClassSuccess
	switch c.Verb {
	case VerbEHLO:
		if r.Code == codeOK {
			st.State, st.Caps, st.Extended = StateReady, ParseEHLO(r), true
			m.resetTransaction() // RFC 5321 4.1.4: EHLO implies RSET
		}
	case VerbHELO:
		if r.Code == codeOK {
			st.State, st.Caps, st.Extended = StateReady, Capabilities{}, false
			m.resetTransaction()
		}
	case VerbSTARTTLS:
		if r.Code == codeServiceReady {
			st.State = StateTLSHandshake
			m.pending = nil // RFC 3207 4.2: nothing may follow STARTTLS in a group
		}
	case VerbAUTH:
		switch {
		case r.Code == codeAuthChallenge:
			st.State = StateAuth
		case r.Code == codeAuthSucceeded:
			st.State, st.Authenticated = StateReady, true
		case st.State == StateAuth:
			st.State = StateReady // failed or cancelled; RFC 4954 4: may retry
		}
	case VerbMAIL, "SEND", "SOML", "SAML":
		if ok {
			st.State = StateMail
			st.Chunking = false
			body, _ := c.Param("BODY")
			st.BinaryMIME = strings.EqualFold(body.Value, "BINARYMIME")
		}
	case VerbRCPT:
		if r.Code == codeOK || r.Code == codeWillForward {
			st.State = StateRcpt
		}
	case VerbDATA:
		if r.Code == codeStartInput {
			st.State = StateData
			m.bodyOpen = true
		}
	case EndOfDataVerb:
		// RFC 5321 4.1.1.4: success or failure, the transaction is over.
		st.State = StateReady
		m.resetTransaction()
	case VerbBDAT:
		switch {
		case ok && c.LastChunk():
			st.State = StateReady // RFC 3030 2: the reply to LAST ends the transaction
			m.resetTransaction()
		case ok:
			st.State, st.Chunking = StateData, true
		}
	case VerbRSET:
		if ok && st.InTransaction() {
			st.State = StateReady
			m.resetTransaction()
		}
	case VerbQUIT:
		if r.Code == codeClosing {
			m.close()
		}
	}
}

func (m *Machine) resetTransaction() {
	m.snap.Chunking, m.snap.BinaryMIME = false, false
	m.bodyOpen = false
}

// TLSStarted records a finished STARTTLS handshake. RFC 3207 4.2: the
// client must forget what it learned before TLS and send EHLO again, so
// the capabilities move to CapsBeforeTLS and the state is back to
// [StateGreeted].
func (m *Machine) TLSStarted() {
	st := &m.snap
	st.CapsBeforeTLS = st.Caps
	st.Caps = Capabilities{}
	st.TLS, st.Authenticated, st.Extended = true, false, false
	st.State = StateGreeted
	m.pending = nil
	m.resetTransaction()
}

// Closed records that the connection is gone.
func (m *Machine) Closed() { m.close() }

func (m *Machine) close() {
	m.snap.State = StateClosed
	m.pending = nil
	m.bodyOpen = false
}
