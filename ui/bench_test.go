package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// fillPane appends n wire lines straight into the pane's store, the way
// handleSessionEvents does, without building events.
func fillPane(m *Model, n int) {
	at := testEpoch
	for i := range n {
		kind := session.KindClient
		text := fmt.Sprintf("RCPT TO:<user%d@example.com>", i)
		if i%2 == 1 {
			kind = session.KindServer
			text = "250 2.1.5 Recipient <user@example.com> OK, queued for delivery as part of this transaction"
		}
		m.pane.Append(record{at: nanos(at.Add(time.Duration(i) * time.Millisecond)), latency: time.Millisecond, text: text, kind: kind, reply: noReply})
	}
}

// BenchmarkView measures one frame at 120x40 with transcripts of growing
// size, following the tail and scrolled back to the middle.
func BenchmarkView(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		for _, where := range []string{"tail", "middle"} {
			b.Run(fmt.Sprintf("lines=%d/%s", n, where), func(b *testing.B) {
				m, _ := newTestModel(b, 120, 40)
				fillPane(m, n)
				if where == "middle" {
					m.pane.SelectIndex(n / 2)
				}
				m.View()
				b.ReportAllocs()
				for b.Loop() {
					_ = m.View()
				}
			})
		}
	}
}

// BenchmarkViewScrolling measures a frame after each page up, so that
// every frame wraps lines not seen before.
func BenchmarkViewScrolling(b *testing.B) {
	m, _ := newTestModel(b, 120, 40)
	fillPane(m, 1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		m.pane.PageUp()
		_ = m.View()
	}
}

// burst is 10,000 server lines of one huge multi-line reply, as a hostile
// or very chatty server would send in one batch.
func burst(gen int, lines int) []session.Event {
	events := make([]session.Event, 0, lines+1)
	var raw strings.Builder
	for i := range lines {
		text := fmt.Sprintf("250-line %d of a very long reply from a chatty server", i)
		events = append(events, session.Event{Gen: gen, Time: testEpoch, Kind: session.KindServer, Text: text, Command: "HELP"})
		if i < 3 {
			raw.WriteString(text + "\r\n")
		}
	}
	raw.WriteString("250 end\r\n")
	r, _ := protocol.ParseReply(raw.String())
	return append(events, session.Event{Gen: gen, Time: testEpoch, Kind: session.KindReply, Reply: &r, Command: "HELP", State: protocol.StateReady})
}

// BenchmarkBurstThenKeypress handles a batch of 10,000 reply lines, then a
// key press, then draws the frame: the time a key waits behind a burst.
func BenchmarkBurstThenKeypress(b *testing.B) {
	m, _ := newTestModel(b, 120, 40)
	feed(m, afterEHLO())
	batch := EventsMsg(burst(1, 10_000))
	key := keyPress("x")
	b.ReportAllocs()
	for b.Loop() {
		m.Update(batch)
		m.Update(key)
		_ = m.View()
	}
}

// BenchmarkKeypress is a key press (a character typed, then erased, so
// the line does not grow) and a frame on a million-line session.
func BenchmarkKeypress(b *testing.B) {
	m, _ := newTestModel(b, 120, 40)
	fillPane(m, 1_000_000)
	keys := []tea.KeyPressMsg{keyPress("x"), keyPress("backspace")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(keys[i%2])
		i++
		_ = m.View()
	}
}
