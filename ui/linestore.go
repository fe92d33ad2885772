package ui

import (
	"time"

	"github.com/smtpscope/smtpscope/session"
)

// nanos converts an event time for a record; the zero time stays zero.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// chunkSize is how many records one chunk of the [lineStore] holds.
// Appending never copies old records: a full chunk is left alone and a new
// one started, so a session of millions of lines grows without pauses.
const chunkSize = 4096

// Values of record.reply other than a reply's index.
const (
	noReply       = -1 // the record belongs to no parsed reply
	awaitingReply = -2 // a command the server has not answered yet
	neverAnswered = -3 // a command whose connection ended before its reply
)

// record is one line of the session pane before wrapping: a line on the
// wire or a note from smtpscope, with what is needed to draw it.
type record struct {
	at       int64 // unix nanoseconds; smaller than a time.Time
	latency  time.Duration
	text     string // sanitized, redacted display text
	decoded  string // a 334 challenge decoded ("Username:")
	kind     session.Kind
	tls      bool
	redacted bool
	username bool // a redacted line that carried the AUTH username
	reply    int  // index into Model.replies, or noReply
}

// isServer reports whether the record is a line the server sent.
func (r *record) isServer() bool { return r.kind == session.KindServer }

// lineStore is the append-only list of records behind the session pane.
// Records live in fixed-size chunks so that appending is O(1) without
// reallocating the whole history.
type lineStore struct {
	chunks [][]record
	n      int
}

// Len returns the number of records.
func (s *lineStore) Len() int { return s.n }

// Append adds r and returns its index.
func (s *lineStore) Append(r record) int {
	if s.n%chunkSize == 0 {
		s.chunks = append(s.chunks, make([]record, 0, chunkSize))
	}
	last := len(s.chunks) - 1
	s.chunks[last] = append(s.chunks[last], r)
	s.n++
	return s.n - 1
}

// At returns the record at index i, which must be in [0, Len()).
func (s *lineStore) At(i int) *record {
	return &s.chunks[i/chunkSize][i%chunkSize]
}
