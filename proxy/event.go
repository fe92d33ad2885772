package proxy

import (
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// Leg says which wire a line travelled. A proxied connection has two: the
// application's (application ↔ smtpscope) and the upstream's (smtpscope
// ↔ server).
type Leg int

// Legs.
const (
	// LegBoth is a line relayed unchanged: the application sent it and the
	// server got it, or the server sent it and the application got it.
	LegBoth Leg = iota
	// LegApp is a line only the application's leg carried: smtpscope
	// answered the application itself (STARTTLS), or sent it a reply
	// changed from the server's (the EHLO list with STARTTLS added).
	LegApp
	// LegUpstream is a line only the upstream leg carried: smtpscope spoke
	// to the server itself (STARTTLS and the EHLO after it), or the
	// server's original of a reply the application got changed.
	LegUpstream
)

// String returns "", "app" or "upstream", as in the JSON-lines log.
func (l Leg) String() string {
	switch l {
	case LegApp:
		return session.LegApp
	case LegUpstream:
		return session.LegUpstream
	}
	return ""
}

// Event is one thing that happened on a proxied connection, in order. It
// carries a [session.Event] with the fields that kind documents, so the
// session pane and explain panel render it as they render a session of
// their own; C: lines are the application's, S: lines the server's.
//
// Kinds as the proxy uses them:
//   - KindConnected with Leg LegApp: an application connected (Text is its
//     address); with LegUpstream: the upstream connection is up.
//   - KindClosed with Leg LegApp: the proxied connection is over (Err says
//     why when it was not a clean QUIT); nothing more comes for Conn.
//   - KindTLS, KindState: about the leg in Leg (never LegBoth).
//   - KindClient, KindServer, KindReply: lines and replies, Leg as above.
//   - KindInfo, KindWarning, KindError: notes, including the explanations
//     of the application's mistakes.
type Event struct {
	session.Event
	Conn uint64 // the proxied connection, from 1; 0 for notes about the proxy itself
	Leg  Leg

	// AppTLS and UpstreamTLS say whether each leg was inside TLS when the
	// event happened. session.Event.TLS is the state of the leg in Leg,
	// the application's for a relayed line (the session is its).
	AppTLS      bool
	UpstreamTLS bool

	// Info is a snapshot of the connection after the event, set on
	// KindConnected, KindTLS, KindState and KindClosed: what a connection
	// list shows.
	Info *ConnInfo
}

// ConnInfo sums up one proxied connection. It is a copy: the proxy never
// changes one it has handed out.
type ConnInfo struct {
	ID          uint64
	Remote      string // the application's address
	ImplicitTLS bool   // accepted on the implicit-TLS listener
	Upstream    string // the server's host:port
	Provider    protocol.Provider
	Started     time.Time
	Ended       time.Time // zero while the connection is open
	Err         string    // why it ended, "" for a clean QUIT or while open

	App         LegInfo
	UpstreamLeg LegInfo

	// Mechanism is the SASL mechanism the application chose, Authenticated
	// whether the server accepted it. The username is not kept here.
	Mechanism     string
	Authenticated bool
	Messages      int // messages the server accepted (250 after the data)
	LastCode      int // the code of the latest reply the application got
}

// LegInfo is what is known of one leg.
type LegInfo struct {
	TLS   *session.TLSInfo  // nil while plain
	State protocol.Snapshot // the protocol state on this leg, capabilities included
}
