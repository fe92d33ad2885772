package session

import (
	"fmt"
	"sync"
	"time"
)

// Event queue bounds. The reader never blocks on the consumer: events go
// to an internal queue and a forwarder hands them out in batches. Past
// maxQueuedEvents waiting events, or maxQueuedOctets of their text, new
// events are dropped (counted, and reported by one warning once the
// consumer catches up), except those that mark the life of a connection
// (connected, TLS, error, closed: a handful per connection); state events
// replace the last waiting state event instead, so the consumer always
// gets the latest state. The transcript keeps the lines whatever happens
// here (up to its own bounds).
const (
	maxQueuedEvents = 100_000
	maxQueuedOctets = 64 << 20
)

// eventQueue is a bounded FIFO of events with one forwarder goroutine
// that delivers everything ready as one batch.
type eventQueue struct {
	out chan []Event

	mu        sync.Mutex
	pending   []Event
	octets    int // text held by pending
	lastState int // index in pending of the last KindState event, -1 when none
	dropped   int
	gen       int // generation of the last event, for the drop notice
	closed    bool
	signal    chan struct{}
	max       int
	maxOctets int
}

func newEventQueue(max, maxOctets int) *eventQueue {
	q := &eventQueue{out: make(chan []Event), signal: make(chan struct{}, 1), max: max, maxOctets: maxOctets, lastState: -1}
	go q.forward()
	return q
}

// alwaysKept reports event kinds that are never dropped: each happens a
// bounded number of times per connection, and consumers need them.
func alwaysKept(k Kind) bool {
	return k == KindConnected || k == KindTLS || k == KindError || k == KindClosed
}

// eventOctets estimates the memory an event holds beyond its fixed size.
func eventOctets(e *Event) int {
	n := len(e.Text) + len(e.Raw) + len(e.Decoded)
	if e.Reply != nil {
		for _, l := range e.Reply.Lines {
			n += len(l.Raw) + len(l.Text)
		}
	}
	return n
}

// push adds events; it never blocks.
func (q *eventQueue) push(evs ...Event) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	for _, e := range evs {
		q.gen = e.Gen
		size := eventOctets(&e)
		full := len(q.pending) >= q.max || q.octets+size > q.maxOctets
		switch {
		case !full || alwaysKept(e.Kind):
		case e.Kind == KindState && q.lastState >= 0:
			q.pending[q.lastState] = e
			continue
		case e.Kind != KindState:
			q.dropped++
			continue
		}
		if e.Kind == KindState {
			q.lastState = len(q.pending)
		}
		q.pending = append(q.pending, e)
		q.octets += size
	}
	q.mu.Unlock()
	q.poke()
}

// close delivers what is queued and then closes out.
func (q *eventQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.poke()
}

func (q *eventQueue) poke() {
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
			q.pending, q.octets, q.lastState = nil, 0, -1
			if q.dropped > 0 {
				batch = append(batch, Event{Gen: q.gen, Time: time.Now(), Kind: KindWarning,
					Text: fmt.Sprintf("%d events (lines, replies, notes) were not displayed because the display fell behind; the transcript has the lines", q.dropped)})
				q.dropped = 0
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
