package proxy

import (
	"slices"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// legTracker follows the SMTP session on one leg with the protocol state
// machine, as the client on that leg sees it.
type legTracker struct {
	m         *protocol.Machine
	tls       *session.TLSInfo
	last      protocol.Snapshot
	announced bool
}

// legs calls fn for the tracker of leg, or both trackers for LegBoth.
// The caller holds mu.
func (c *conn) legs(leg Leg, fn func(*legTracker)) {
	if leg != LegUpstream {
		fn(&c.appLeg)
	}
	if leg != LegApp {
		fn(&c.upLeg)
	}
}

// announce emits a KindState event for each leg whose state,
// capabilities, TLS or authentication changed since its last one.
func (c *conn) announce() {
	type change struct {
		leg  Leg
		snap protocol.Snapshot
	}
	var changes []change
	c.mu.Lock()
	for _, l := range []struct {
		leg Leg
		t   *legTracker
	}{{LegApp, &c.appLeg}, {LegUpstream, &c.upLeg}} {
		now := l.t.m.Snapshot()
		if l.t.announced && sameFacts(now, l.t.last) {
			continue
		}
		l.t.announced, l.t.last = true, now
		changes = append(changes, change{l.leg, now})
	}
	c.mu.Unlock()
	for _, ch := range changes {
		snap := ch.snap
		c.emit(Event{Leg: ch.leg, Event: session.Event{Kind: session.KindState, State: snap.State, Snapshot: &snap}})
	}
}

// sameFacts compares what a consumer shows; the pending count is left out
// so that pipelining does not produce an event per command.
func sameFacts(a, b protocol.Snapshot) bool {
	return a.State == b.State && a.TLS == b.TLS && a.Authenticated == b.Authenticated &&
		a.Extended == b.Extended && a.Refused == b.Refused && a.Chunking == b.Chunking &&
		a.BinaryMIME == b.BinaryMIME && sameCaps(a.Caps, b.Caps) && sameCaps(a.CapsBeforeTLS, b.CapsBeforeTLS)
}

func sameCaps(a, b protocol.Capabilities) bool {
	return a.Domain == b.Domain && a.Greeting == b.Greeting && slices.Equal(a.Keywords(), b.Keywords())
}

// infoLocked returns the connection's summary; the caller holds mu.
func (c *conn) infoLocked() ConnInfo {
	info := ConnInfo{
		ID: c.id, Remote: c.remote, ImplicitTLS: c.implicit, Upstream: c.cfg.Upstream.Address,
		Provider: c.provider, Started: c.started, Ended: c.ended,
		App:           LegInfo{TLS: c.appLeg.tls, State: c.appLeg.m.Snapshot()},
		UpstreamLeg:   LegInfo{TLS: c.upLeg.tls, State: c.upLeg.m.Snapshot()},
		Mechanism:     c.auth.mechanism,
		Authenticated: c.auth.ok,
		Messages:      c.messages,
		LastCode:      c.lastCode,
	}
	if c.endErr != nil {
		info.Err = c.redactLocked(protocol.Sanitize(c.endErr.Error()))
	}
	return info
}
