package protocol

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
