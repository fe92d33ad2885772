package ui

import (
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// awaitedCommand is a command line in the pane whose reply has not come.
type awaitedCommand struct {
	line int    // its record in the pane
	verb string // the verb the reply will name ([session.Event.Command])
}

// awaitReply notes that the client line at pane record i waits for a
// reply, unless it is a line of message content: those get no reply of
// their own (the final "." does, RFC 5321 4.1.1.4).
func (m *Model) awaitReply(e *session.Event, i int) {
	if e.Command == protocol.VerbDATA && m.state == protocol.StateData {
		return
	}
	m.pane.store.At(i).reply = awaitingReply
	m.awaiting = append(m.awaiting, awaitedCommand{line: i, verb: e.Command})
}

// answerCommand links reply idx, which answered verb, to its command line:
// replies come in the order of the commands (RFC 5321 4.3.1, RFC 2920 3),
// so it is the oldest one waiting with that verb. A greeting or a reply
// nobody asked for answers no line.
func (m *Model) answerCommand(verb string, idx int) {
	if verb == "" {
		return
	}
	for i, a := range m.awaiting {
		if strings.EqualFold(a.verb, verb) {
			m.pane.store.At(a.line).reply = idx
			m.awaiting = append(m.awaiting[:i:i], m.awaiting[i+1:]...)
			return
		}
	}
}

// endAwaiting marks the commands still waiting as never answered: their
// connection is gone.
func (m *Model) endAwaiting() {
	for _, a := range m.awaiting {
		if a.line < m.pane.Len() {
			m.pane.store.At(a.line).reply = neverAnswered
		}
	}
	m.awaiting = nil
}
