package ui

import (
	"io"
	"time"

	"github.com/smtpscope/smtpscope/session"
)

// observerEngine is the engine of a proxied connection's view. The view
// sends nothing — the application drives the session — so every intent
// is a no-op; only the transcript, to save, copy and export, is real.
type observerEngine struct {
	src ProxySource
	id  uint64
}

var _ Engine = observerEngine{}

func (observerEngine) Connect()                    {}
func (observerEngine) Send(string)                 {}
func (observerEngine) Pipeline([]string)           {}
func (observerEngine) StartTLS()                   {}
func (observerEngine) Auth(session.AuthRequest)    {}
func (observerEngine) SendBody(io.Reader, int64)   {}
func (observerEngine) SendMessage(session.Message) {}
func (observerEngine) Reconnect()                  {}
func (observerEngine) Close()                      {}

// Transcript returns the proxied connection's transcript.
func (e observerEngine) Transcript() *session.Transcript {
	t, _ := e.src.Transcript(e.id)
	return t
}

// Annotate keeps nothing: the proxy's transcript records the
// application's session, not this view's notes.
func (observerEngine) Annotate(time.Time, session.NoteLevel, string) {}
