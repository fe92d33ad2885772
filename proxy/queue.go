package proxy

import (
	"fmt"
	"sync"
	"time"

	"github.com/smtpscope/smtpscope/session"
)

// Bounds of the events waiting for a slow consumer. Connection goroutines
// never block on the consumer: events wait in this queue and a forwarder
// hands them out in batches. Past maxQueuedLines waiting events, C: and S:
// lines are dropped; past maxQueuedEvents, every kind is. Drops are
// counted per connection and reported once the consumer catches up; the
// transcripts and the log keep every line whatever happens here.
const (
	maxQueuedLines  = 100_000
	maxQueuedEvents = 2 * maxQueuedLines
)

// eventQueue is a bounded FIFO of events with one forwarder goroutine.
type eventQueue struct {
	out    chan []Event
	signal chan struct{}

	mu      sync.Mutex
	pending []Event
	dropped map[uint64]int // connection → events dropped
	closed  bool
	now     func() time.Time

	maxLines, maxEvents int
}

func newEventQueue(now func() time.Time) *eventQueue {
	q := newQueueState(now, maxQueuedLines, maxQueuedEvents)
	go q.forward()
	return q
}

// newQueueState is an eventQueue whose forwarder is not started yet.
func newQueueState(now func() time.Time, maxLines, maxEvents int) *eventQueue {
	return &eventQueue{out: make(chan []Event), signal: make(chan struct{}, 1), dropped: map[uint64]int{},
		now: now, maxLines: maxLines, maxEvents: maxEvents}
}

// push adds an event; it never blocks.
func (q *eventQueue) push(e Event) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	line := e.Kind == session.KindClient || e.Kind == session.KindServer
	if len(q.pending) >= q.maxEvents || (line && len(q.pending) >= q.maxLines) {
		q.dropped[e.Conn]++
	} else {
		q.pending = append(q.pending, e)
	}
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// close delivers what is queued and then closes out.
func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

func (q *eventQueue) forward() {
	for range q.signal {
		for {
			q.mu.Lock()
			batch := q.pending
			q.pending = nil
			for conn, n := range q.dropped {
				batch = append(batch, Event{Conn: conn, Event: session.Event{Gen: connGen, Time: q.now(), Kind: session.KindWarning,
					Text: fmt.Sprintf("%d events were not displayed because the display fell behind; the transcript and the log have every line", n)}})
				delete(q.dropped, conn)
			}
			closed := q.closed
			q.mu.Unlock()
			if len(batch) == 0 {
				if closed {
					close(q.out)
					return
				}
				break
			}
			q.out <- batch
		}
	}
}
