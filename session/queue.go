package session

import (
	"fmt"
	"sync"
	"time"
)

// maxQueuedEvents bounds the events waiting for a slow consumer. The
// reader never blocks on the consumer: events go to an internal queue and
// a forwarder hands them out in batches. Past this many waiting events,
// server and client lines are dropped (counted, and reported by one
// warning once the consumer catches up); every other kind is always kept,
// and the transcript keeps every line whatever happens here.
const maxQueuedEvents = 100_000

// eventQueue is an unbounded-until-cap FIFO of events with one forwarder
// goroutine that delivers everything ready as one batch.
type eventQueue struct {
	out chan []Event

	mu      sync.Mutex
	pending []Event
	dropped int
	gen     int // generation of the last event, for the drop notice
	closed  bool
	signal  chan struct{}
	max     int
}

func newEventQueue(max int) *eventQueue {
	q := &eventQueue{out: make(chan []Event), signal: make(chan struct{}, 1), max: max}
	go q.forward()
	return q
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
		if len(q.pending) >= q.max && (e.Kind == KindServer || e.Kind == KindClient) {
			q.dropped++
			continue
		}
		q.pending = append(q.pending, e)
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
			q.pending = nil
			if q.dropped > 0 {
				batch = append(batch, Event{Gen: q.gen, Time: time.Now(), Kind: KindWarning,
					Text: fmt.Sprintf("%d lines were not displayed because the display fell behind; the transcript has all of them", q.dropped)})
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
