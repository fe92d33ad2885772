package ui

import (
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/session"
)

// Engine is what the UI asks of a live session. *session.Session
// implements it; tests use a fake that records the intents. Every method
// must return at once: results come back as events.
type Engine interface {
	Connect()
	Send(line string)
	Pipeline(lines []string)
	StartTLS()
	Auth(a session.AuthRequest)
	SendBody(body io.Reader, size int64)
	SendMessage(m session.Message)
	Reconnect()
	Close()
	Transcript() *session.Transcript
	// Annotate keeps one of the UI's own notes in the transcript, so a
	// saved transcript says what the screen said.
	Annotate(at time.Time, level session.NoteLevel, text string)
}

var _ Engine = (*session.Session)(nil)

// EventsMsg carries a batch of session events into Update. Tests inject
// it (or a plain []session.Event) directly.
type EventsMsg []session.Event

// channelEventsMsg is a batch read from the session's channel; handling it
// re-arms the wait for the next batch.
type channelEventsMsg []session.Event

// eventsClosedMsg reports that the session's event channel was closed: the
// session has ended.
type eventsClosedMsg struct{}

// waitForEvents returns a command that blocks until the next batch of
// events (the bubbletea "realtime" pattern: re-armed after each batch).
func waitForEvents(ch <-chan []session.Event) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		batch, ok := <-ch
		if !ok {
			return eventsClosedMsg{}
		}
		return channelEventsMsg(batch)
	}
}
