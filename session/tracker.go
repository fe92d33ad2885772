package session

import (
	"github.com/smtpscope/smtpscope/protocol"
)

// tracker feeds the protocol state machine and announces changes as
// KindState events carrying a [protocol.Snapshot], so that consumers never
// re-derive protocol state.
type tracker struct {
	m           *protocol.Machine
	last        protocol.Snapshot
	capsChanged bool // an EHLO/HELO reply or TLS replaced the capabilities
	announced   bool
}

func newTracker() tracker { return tracker{m: protocol.NewMachine()} }

// connected starts a fresh machine for a new connection.
func (t *tracker) connected(implicitTLS bool) {
	t.m.Connected()
	if implicitTLS {
		t.m.SetImplicitTLS()
	}
	t.capsChanged = true
}

// sent records a command. Callers pass commands with credentials removed:
// the machine keeps pending commands and must never hold a secret.
func (t *tracker) sent(c protocol.Command) { t.m.Sent(c) }

func (t *tracker) sentEndOfData() { t.m.SentEndOfData() }

func (t *tracker) received(verb string, r protocol.Reply) {
	t.m.Received(r)
	if verb == protocol.VerbEHLO || verb == protocol.VerbHELO {
		t.capsChanged = true
	}
}

func (t *tracker) tlsStarted() {
	t.m.TLSStarted()
	t.capsChanged = true
}

func (t *tracker) closed() { t.m.Closed() }

func (t *tracker) state() protocol.State { return t.m.Snapshot().State }

func (t *tracker) snapshot() protocol.Snapshot { return t.m.Snapshot() }

// announce emits a KindState event when the state, capabilities, TLS or
// authentication changed since the last one.
func (t *tracker) announce(s *Session, c *conn) {
	if s.events == nil {
		return // nobody listens (Probe)
	}
	now := t.m.Snapshot()
	if t.announced && !t.capsChanged && sameFacts(now, t.last) {
		return
	}
	t.announced, t.capsChanged, t.last = true, false, now
	snap := s.safeSnapshot(now) // the capability texts are the server's words
	s.emitConn(c, Event{Kind: KindState, State: now.State, Snapshot: &snap})
}

// sameFacts compares what a consumer shows; the pending count is left out
// so that pipelining does not produce an event per command.
func sameFacts(a, b protocol.Snapshot) bool {
	return a.State == b.State && a.TLS == b.TLS && a.Authenticated == b.Authenticated &&
		a.Extended == b.Extended && a.Refused == b.Refused && a.Chunking == b.Chunking &&
		a.BinaryMIME == b.BinaryMIME
}
