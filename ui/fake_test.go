package ui

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// fakeEngine records the intents the UI sends.
type fakeEngine struct {
	mu         sync.Mutex
	calls      []string
	auths      []session.AuthRequest
	bodies     []string
	messages   []session.Message
	transcript *session.Transcript
}

func (f *fakeEngine) record(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
}

func (f *fakeEngine) Connect()            { f.record("connect") }
func (f *fakeEngine) Send(line string)    { f.record("send " + line) }
func (f *fakeEngine) Pipeline(l []string) { f.record("pipeline " + strings.Join(l, "|")) }
func (f *fakeEngine) StartTLS()           { f.record("starttls") }
func (f *fakeEngine) Auth(a session.AuthRequest) {
	f.auths = append(f.auths, a)
	f.record("auth " + a.Mechanism + " " + a.Username)
}
func (f *fakeEngine) SendBody(r io.Reader, size int64) {
	b, _ := io.ReadAll(r)
	f.bodies = append(f.bodies, string(b))
	f.record("body")
}
func (f *fakeEngine) SendChunk(data []byte) {
	f.bodies = append(f.bodies, string(data))
	f.record("chunk")
}
func (f *fakeEngine) SendMessage(m session.Message) {
	f.messages = append(f.messages, m)
	f.record("message " + m.From + " -> " + strings.Join(m.To, ","))
}
func (f *fakeEngine) Reconnect() { f.record("reconnect") }
func (f *fakeEngine) ReconnectWith(o session.ReconnectOptions) {
	f.record(fmt.Sprintf("reconnect tls=%v pinned=%v insecure=%v", o.ImplicitTLS, len(o.PinCert) > 0, o.Insecure))
}
func (f *fakeEngine) Close()                          { f.record("close") }
func (f *fakeEngine) Transcript() *session.Transcript { return f.transcript }
func (f *fakeEngine) Annotate(_ time.Time, l session.NoteLevel, text string) {
	f.record("note " + l.Mark() + " " + text)
}

// Calls returns the intents so far.
func (f *fakeEngine) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// testEpoch is the fixed time of the first event in every test.
var testEpoch = time.Date(2025, 3, 14, 12, 0, 1, 120_000_000, time.UTC)

// fixedNow is the clock of test models.
func fixedNow() time.Time { return testEpoch.Add(time.Hour) }

// testContext is a UI context on the test clock, in UTC.
func testContext(st *themes.Styles) *Context { return NewContext(st, fixedNow, time.UTC) }

// newTestModel builds a model on a fake engine at the given size with the
// no-colour theme, so that goldens hold only text.
func newTestModel(t testing.TB, w, h int) (*Model, *fakeEngine) {
	t.Helper()
	return newTestModelAt(t, w, h, fixedNow)
}

// newTestModelAt is newTestModel with the given clock.
func newTestModelAt(t testing.TB, w, h int, now func() time.Time) (*Model, *fakeEngine) {
	t.Helper()
	eng := &fakeEngine{}
	m := New(Options{
		Engine:          eng,
		Styles:          themes.NoColor(),
		ThemeFixed:      true,
		Address:         "127.0.0.1:2525",
		Host:            "sandbox.test",
		Sandbox:         true,
		DemoCredentials: []string{"demo credentials: username demo · password demo-password · OAuth token demo-token"},
		Now:             now,
		Location:        time.UTC,
	})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m, eng
}

// script builds events one after another, a few milliseconds apart, the
// way a session would emit them.
type script struct {
	gen    int
	at     time.Time
	events []session.Event
	state  protocol.State
	snap   protocol.Snapshot
}

func newScript() *script { return &script{gen: 1, at: testEpoch} }

func (s *script) tick(d time.Duration) time.Time {
	s.at = s.at.Add(d)
	return s.at
}

func (s *script) add(e session.Event) *script {
	e.Gen = s.gen
	if e.Time.IsZero() {
		e.Time = s.tick(time.Millisecond)
	}
	s.events = append(s.events, e)
	return s
}

func (s *script) connected() *script {
	s.snap.State = protocol.StateGreeting
	s.add(session.Event{Kind: session.KindConnected, Text: "127.0.0.1:2525"})
	return s.stateChange()
}

func (s *script) stateChange() *script {
	snap := s.snap
	return s.add(session.Event{Kind: session.KindState, State: snap.State, Snapshot: &snap})
}

func (s *script) client(line, verb string) *script {
	return s.add(session.Event{Kind: session.KindClient, Text: line, Command: verb, TLS: s.snap.TLS})
}

// reply emits the server lines of text (a reply in wire form, lines
// separated by \n) and the reply event answering verb.
func (s *script) reply(verb string, latency time.Duration, text string, next protocol.State) *script {
	r, err := protocol.ParseReply(strings.ReplaceAll(text, "\n", "\r\n") + "\r\n")
	if err != nil {
		panic(err)
	}
	s.tick(latency)
	for i, l := range r.Lines {
		e := session.Event{Kind: session.KindServer, Text: l.Raw, Command: verb, TLS: s.snap.TLS}
		if i == 0 {
			e.Latency = latency
		}
		if r.Code == codeAuthContinue && i == 0 {
			e.Decoded = decodeForTest(l.Text)
		}
		s.add(e)
	}
	s.add(session.Event{Kind: session.KindReply, Reply: &r, Command: verb, Latency: latency, State: next})
	if next != s.snap.State {
		s.snap.State = next
		s.stateChange()
	}
	return s
}

func decodeForTest(b64 string) string {
	switch b64 {
	case "VXNlcm5hbWU6":
		return "Username:"
	case "UGFzc3dvcmQ6":
		return "Password:"
	}
	return ""
}

// ehloReply is the sandbox's capability list before TLS.
const ehloReply = "250-sandbox.test greets client.example\n250-PIPELINING\n250-SIZE 10240000\n250-8BITMIME\n250-ENHANCEDSTATUSCODES\n250-STARTTLS\n250 SMTPUTF8"

// afterEHLO is the common start: banner, EHLO and its capabilities.
func afterEHLO() *script { return afterEHLOReply(ehloReply) }

// ehloAuthInClear is an EHLO reply that offers AUTH before TLS.
const ehloAuthInClear = "250-mail.example greets client.example\n250-PIPELINING\n250-STARTTLS\n250 AUTH PLAIN LOGIN"

// afterEHLOReply is banner, EHLO and the given reply to it.
func afterEHLOReply(ehlo string) *script {
	s := newScript().connected()
	s.reply("", 38*time.Millisecond, "220 sandbox.test ESMTP smtpscope sandbox ready", protocol.StateGreeted)
	s.client("EHLO client.example", "EHLO")
	r, _ := protocol.ParseReply(strings.ReplaceAll(ehlo, "\n", "\r\n") + "\r\n")
	s.snap.Caps = protocol.ParseEHLO(r)
	s.snap.Extended = true
	return s.reply("EHLO", 2*time.Millisecond, ehlo, protocol.StateReady)
}

// feed injects the script's events into m.
func feed(m *Model, s *script) {
	m.Update(EventsMsg(s.events))
	s.events = nil
}

// keyPress builds a key message from a key name as bubbletea prints it.
func keyPress(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "f1":
		return tea.KeyPressMsg{Code: tea.KeyF1}
	}
	if mod, rest, ok := strings.Cut(k, "+"); ok && len(rest) == 1 {
		m := tea.ModCtrl
		if mod == "alt" {
			m = tea.ModAlt
		}
		return tea.KeyPressMsg{Code: rune(rest[0]), Mod: m}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// typeText sends each character of s as a key press.
func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// press sends named keys.
func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(keyPress(k))
	}
}

// screen returns the rendered frame without styling.
func screen(m *Model) string {
	return m.View().Content
}

// teaSize is a window size message.
func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
