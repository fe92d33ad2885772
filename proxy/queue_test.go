package proxy

import (
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/session"
)

func TestQueueBoundsEveryKindAndSaysWhatItDropped(t *testing.T) {
	clock := func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
	q := newQueueState(clock, 3, 5) // the forwarder starts after the pushes: a consumer that fell behind
	for i := 0; i < 4; i++ {
		q.push(Event{Conn: 1, Event: session.Event{Kind: session.KindServer, Text: "line"}})
	}
	for i := 0; i < 4; i++ {
		q.push(Event{Conn: 2, Event: session.Event{Kind: session.KindWarning, Text: "note"}})
	}
	go q.forward()
	q.close()
	var got []Event
	for batch := range q.out {
		got = append(got, batch...)
	}
	lines, notes, notices := 0, 0, map[uint64]string{}
	for _, e := range got {
		switch {
		case e.Kind == session.KindServer:
			lines++
		case strings.Contains(e.Text, "were not displayed"):
			notices[e.Conn] = e.Text
		case e.Kind == session.KindWarning:
			notes++
		}
	}
	// 3 lines fit under the line cap; 2 notes fill the queue to 5.
	if lines != 3 || notes != 2 {
		t.Errorf("kept %d lines and %d notes, want 3 and 2", lines, notes)
	}
	if !strings.HasPrefix(notices[1], "1 events") || !strings.HasPrefix(notices[2], "2 events") {
		t.Errorf("drop notices %v", notices)
	}
}
