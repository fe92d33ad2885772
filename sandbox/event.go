package sandbox

import "time"

// EventKind says what an [Event] reports.
type EventKind int

// Event kinds.
const (
	EventConnect    EventKind = iota + 1 // a client connected
	EventTLS                             // a connection finished a TLS handshake (STARTTLS or implicit)
	EventAuth                            // an AUTH exchange ended; User is set when it succeeded
	EventMessage                         // a message was accepted; Message is set
	EventDisconnect                      // a connection ended; Err says why when it was not a QUIT
)

// String returns the kind's lower-case name.
func (k EventKind) String() string {
	switch k {
	case EventConnect:
		return "connect"
	case EventTLS:
		return "tls"
	case EventAuth:
		return "auth"
	case EventMessage:
		return "message"
	case EventDisconnect:
		return "disconnect"
	}
	return "unknown"
}

// Event is a notification from the sandbox, delivered through
// [Config.OnEvent]. It never carries a password or token.
type Event struct {
	Kind      EventKind
	Time      time.Time
	Conn      uint64   // connection number, from 1
	Remote    string   // the client's address
	User      string   // EventAuth: the username tried; EventMessage: the authenticated user, if any
	Mechanism string   // EventAuth: the SASL mechanism
	OK        bool     // EventAuth: the credentials were accepted
	Message   *Message // EventMessage: the message accepted
	Err       error    // EventDisconnect: why the connection ended (nil after QUIT)
}
