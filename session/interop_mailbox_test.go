package session

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/smtpscope/smtpscope/message"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/sandbox"
)

// A message composed by package message, with a UTF-8 recipient, UTF-8
// text and a binary attachment, goes through the session to the sandbox
// (SMTPUTF8, BODY=8BITMIME, the exact SIZE) and comes out of its mailbox
// intact, once with BDAT and once with DATA.
func TestComposedMessageReachesSandboxMailbox(t *testing.T) {
	attachment := make([]byte, 100000)
	for i := range attachment {
		attachment[i] = byte(i*31 + i/7)
	}
	fsys := fstest.MapFS{"data/sample.bin": {Data: attachment}}
	for _, tt := range []struct {
		scenario, from, to string
		auth               bool
	}{
		{"", "zoe@sandbox.test", "josé@sandbox.test", false},   // CHUNKING and SMTPUTF8: BDAT
		{"qq", sandbox.DemoAddress, "jose@sandbox.test", true}, // neither, and AUTH first: DATA
	} {
		t.Run("scenario "+tt.scenario, func(t *testing.T) {
			srv := startSandbox(t, tt.scenario)
			s := New(Config{Address: srv.Addr(), AutoHello: true, StartTLS: StartTLSOff})
			ev := watch(t, s)
			s.Connect()
			ready := ev.until("capabilities", func(e Event) bool {
				return e.Kind == KindState && e.Snapshot != nil && e.Snapshot.State == protocol.StateReady
			})
			if tt.auth {
				s.Auth(AuthRequest{Mechanism: "PLAIN", Username: sandbox.DemoAddress, Secret: sandbox.DemoPassword})
				ready = ev.until("authenticated", func(e Event) bool {
					return e.Kind == KindState && e.Snapshot != nil && e.Snapshot.Authenticated
				})
			}
			d := message.Draft{
				From:        message.Address{Name: "Zoë", Addr: tt.from},
				To:          []message.Address{{Addr: tt.to}},
				Subject:     "Grüße mit Anhang",
				Text:        "Hallo José,\nanbei die Datei.\n",
				Attachments: []string{"data/sample.bin"},
			}
			m, err := message.Compose(d, fsys, message.Options{Now: time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC), Caps: ready.Snapshot.Caps})
			if err != nil {
				t.Fatal(err)
			}
			if m.Needs.UTF8 != (tt.to != "jose@sandbox.test") {
				t.Fatalf("needs %+v", m.Needs)
			}
			s.SendMessage(Message{From: m.From, To: m.To, Body: m.Reader(), Size: m.Size, EightBit: m.Needs.EightBit, UTF8: m.Needs.UTF8})
			done := ev.until("message accepted", func(e Event) bool {
				return e.Kind == KindError || (e.Kind == KindReply && e.State == protocol.StateReady &&
					(e.Command == protocol.EndOfDataVerb || e.Command == protocol.VerbBDAT))
			})
			if done.Kind == KindError || done.Reply.Code != 250 {
				t.Fatalf("not accepted: %s\n%s", done.Text, ev.dump())
			}
			for _, w := range ev.find(KindWarning) {
				if strings.Contains(w.Text, "SIZE") {
					t.Errorf("warning: %s", w.Text)
				}
			}
			ev.finish()
			msgs := srv.Messages()
			if len(msgs) != 1 {
				t.Fatalf("%d messages in the mailbox", len(msgs))
			}
			got := msgs[0]
			if got.Size != m.Size || got.To[0] != tt.to || got.Summary.Subject != d.Subject || got.Summary.From != "Zoë <"+tt.from+">" {
				t.Errorf("mailbox has size %d (sent %d), to %q, summary %+v", got.Size, m.Size, got.To, got.Summary)
			}
			parts, err := got.Parts()
			if err != nil || len(parts) != 2 {
				t.Fatalf("parts %d, %v", len(parts), err)
			}
			if string(parts[0].Content) != "Hallo José,\r\nanbei die Datei.\r\n" && string(parts[0].Content) != "Hallo José,\nanbei die Datei.\n" {
				t.Errorf("text %q", parts[0].Content)
			}
			if p := parts[1]; p.Filename != "sample.bin" || !bytes.Equal(p.Content, attachment) {
				t.Errorf("attachment %q: %d octets, equal %v", p.Filename, len(p.Content), bytes.Equal(p.Content, attachment))
			}
			if src, ok := srv.Source(got.ID); !ok || !bytes.Equal(src, m.Content) {
				t.Errorf("raw source differs from what was composed")
			}
		})
	}
}
