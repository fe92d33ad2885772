package ui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/proxy"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// fakeProxy stands in for a running proxy.
type fakeProxy struct{ closed bool }

func (f *fakeProxy) Events() <-chan []proxy.Event                  { return nil }
func (f *fakeProxy) Transcript(uint64) (*session.Transcript, bool) { return nil, false }
func (f *fakeProxy) Addr() string                                  { return "127.0.0.1:2525" }
func (f *fakeProxy) TLSAddr() string                               { return "" }
func (f *fakeProxy) Upstream() string                              { return "smtp.example.com:587" }
func (f *fakeProxy) Close() error                                  { f.closed = true; return nil }

// proxiedSession is one application's session as the proxy reports it:
// STARTTLS on both legs, AUTH LOGIN, a refused recipient.
func proxiedSession(id uint64) []proxy.Event {
	at := testEpoch
	tick := func() time.Time { at = at.Add(time.Millisecond); return at }
	info := &proxy.ConnInfo{ID: id, Remote: "127.0.0.1:40001", Upstream: "smtp.example.com:587", Started: at}
	ev := func(leg proxy.Leg, e session.Event) proxy.Event {
		e.Time = tick()
		return proxy.Event{Event: e, Conn: id, Leg: leg}
	}
	reply := func(leg proxy.Leg, verb, text string) []proxy.Event {
		r, err := protocol.ParseReply(strings.ReplaceAll(text, "\n", "\r\n") + "\r\n")
		if err != nil {
			panic(err)
		}
		var out []proxy.Event
		for _, l := range r.Lines {
			out = append(out, ev(leg, session.Event{Kind: session.KindServer, Text: l.Raw, Command: verb}))
		}
		return append(out, ev(leg, session.Event{Kind: session.KindReply, Reply: &r, Command: verb}))
	}
	tlsInfo := &session.TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", Verified: true, ServerName: "smtp.example.com"}
	var out []proxy.Event
	connected := ev(proxy.LegApp, session.Event{Kind: session.KindConnected, Text: "127.0.0.1:40001"})
	connected.Info = info
	out = append(out, connected)
	out = append(out, reply(proxy.LegBoth, "", "220 smtp.example.com ESMTP")...)
	out = append(out, ev(proxy.LegBoth, session.Event{Kind: session.KindClient, Text: "EHLO app.example", Command: "EHLO"}))
	out = append(out, reply(proxy.LegApp, "EHLO", "250-smtp.example.com\n250-STARTTLS\n250 AUTH LOGIN")...)
	up := ev(proxy.LegUpstream, session.Event{Kind: session.KindTLS, TLSInfo: tlsInfo})
	withTLS := *info
	withTLS.App.TLS = &session.TLSInfo{Version: "TLS 1.3"}
	withTLS.UpstreamLeg.TLS = tlsInfo
	up.Info = &withTLS
	out = append(out, up)
	out = append(out, ev(proxy.LegBoth, session.Event{Kind: session.KindClient, Text: "AUTH LOGIN", Command: "AUTH", TLS: true}))
	out = append(out, reply(proxy.LegBoth, "AUTH", "334 VXNlcm5hbWU6")...)
	out = append(out, ev(proxy.LegBoth, session.Event{Kind: session.KindClient, Text: "●●●●●●●● (username, redacted)", Redacted: true, Command: "AUTH", TLS: true}))
	out = append(out, reply(proxy.LegBoth, "AUTH", "235 2.7.0 ok")...)
	out = append(out, ev(proxy.LegBoth, session.Event{Kind: session.KindClient, Text: "RCPT TO:<nobody@example.com>", Command: "RCPT", TLS: true}))
	out = append(out, reply(proxy.LegBoth, "RCPT", "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table")...)
	return out
}

func newTestProxyApp(t *testing.T, w, h int) (*ProxyApp, *fakeProxy) {
	t.Helper()
	src := &fakeProxy{}
	a := NewProxyApp(ProxyOptions{Proxy: src, Styles: themes.NoColor(), ThemeFixed: true, Now: fixedNow, Location: time.UTC})
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return a, src
}

// TestProxyViewShowsTheApplicationsSession feeds one proxied session:
// the list, the header's TLS per leg, the session and its explanation.
func TestProxyViewShowsTheApplicationsSession(t *testing.T) {
	for _, size := range goldenSizes {
		a, _ := newTestProxyApp(t, size[0], size[1])
		a.Update(proxyEventsMsg(proxiedSession(1)))
		frame := ansi.Strip(a.render())
		for _, want := range []string{"PROXY", "127.0.0.1:2525 → smtp.example.com:587", "TLS terminated on both legs",
			"#1 127.0.0.1:40001", "RCPT TO:<nobody@example.com>", "to the application only]"} {
			if !strings.Contains(frame, want) {
				t.Errorf("%dx%d: the proxy view lacks %q:\n%s", size[0], size[1], want, frame)
			}
		}
		checkFrameSize(t, frame, size[0], size[1])
		checkPanelGolden(t, "proxy_"+sizeName(size), a.render())
	}
}

// TestProxyViewKeys moves between two connections and quits, stopping
// the proxy.
func TestProxyViewKeys(t *testing.T) {
	a, src := newTestProxyApp(t, 140, 40)
	a.Update(proxyEventsMsg(append(proxiedSession(1), proxiedSession(2)...)))
	if a.sel != 0 || len(a.conns) != 2 {
		t.Fatalf("two connections, the first selected: %d of %d", a.sel, len(a.conns))
	}
	a.Update(keyPress("down"))
	if a.sel != 1 {
		t.Fatalf("down in the list selects the next connection, at %d", a.sel)
	}
	a.Update(keyPress("tab"))
	if a.listFocused {
		t.Fatal("tab moves to the connection's view")
	}
	a.Update(keyPress("up"))
	if a.sel != 1 || a.conns[1].view.pane.Selected() < 0 {
		t.Fatal("up in the view selects a line of the session, not another connection")
	}
	_, cmd := a.Update(keyPress("ctrl+q"))
	if !src.closed || cmd == nil {
		t.Fatal("quit should stop the proxy")
	}
}

// TestProxyWaitingSaysWhatToDo: before any application connects, the
// view area says where to point it and gives a command to try, at every
// size, and the frame keeps its size.
func TestProxyWaitingSaysWhatToDo(t *testing.T) {
	for _, size := range append(goldenSizes, [2]int{60, 16}) {
		a, _ := newTestProxyApp(t, size[0], size[1])
		frame := ansi.Strip(a.render())
		for _, want := range []string{"Waiting for an application to connect", "Point the application's SMTP", "swaks --server"} {
			if !strings.Contains(frame, want) {
				t.Errorf("%dx%d: the waiting proxy lacks %q:\n%s", size[0], size[1], want, frame)
			}
		}
		checkFrameSize(t, frame, size[0], size[1])
	}
}

// TestProxyListShowsEveryFact: a connection's facts (TLS per leg, the
// login, messages, the last reply) wrap in the list instead of being cut
// off; connections stand in the order of their numbers whatever order
// their events came in; when they do not all fit, the selected one stays
// in sight and a row counts the rest.
func TestProxyListShowsEveryFact(t *testing.T) {
	for _, size := range append(goldenSizes, [2]int{60, 16}) {
		a, _ := newTestProxyApp(t, size[0], size[1])
		var batch []proxy.Event
		for _, id := range []uint64{3, 1, 2, 12, 4, 5, 6, 7, 8, 9, 10, 11} {
			info := proxy.ConnInfo{ID: id, Remote: "127.0.0.1:4" + strconv.Itoa(1000+int(id)), Mechanism: "SCRAM-SHA-256", Authenticated: true,
				Messages: 12, LastCode: 221, App: proxy.LegInfo{TLS: &session.TLSInfo{Version: "TLS 1.3"}},
				UpstreamLeg: proxy.LegInfo{TLS: &session.TLSInfo{Version: "TLS 1.2", Verified: true}}}
			batch = append(batch, proxy.Event{Conn: id, Leg: proxy.LegApp, Info: &info,
				Event: session.Event{Kind: session.KindConnected, Text: info.Remote, Time: testEpoch}})
		}
		a.Update(proxyEventsMsg(batch))
		for i, c := range a.conns {
			if c.info.ID != uint64(i+1) {
				t.Fatalf("%dx%d: connection %d stands at %d of the list", size[0], size[1], c.info.ID, i)
			}
		}
		frame := ansi.Strip(a.render())
		for _, want := range []string{"› #3 127.0.0.1:41003", "SCRAM-SHA-256 ✓", "12 msgs", "221", "more connection"} {
			if !strings.Contains(frame, want) {
				t.Errorf("%dx%d: the list lacks %q:\n%s", size[0], size[1], want, frame)
			}
		}
		if strings.Contains(frame, "·…") || strings.Contains(frame, "✓ …") {
			t.Errorf("%dx%d: a fact is cut off:\n%s", size[0], size[1], frame)
		}
		checkFrameSize(t, frame, size[0], size[1])
		if strings.Contains(frame, "too small") {
			t.Errorf("%dx%d: the list leaves the view too little room:\n%s", size[0], size[1], frame)
		}
		for range 11 {
			a.Update(keyPress("down"))
		}
		if frame := ansi.Strip(a.render()); !strings.Contains(frame, "› #12 127.0.0.1:41012") {
			t.Errorf("%dx%d: the last connection, selected, is out of sight:\n%s", size[0], size[1], frame)
		}
	}
}

// TestProxyFooterSaysWhatKeysDoNow: the footer follows the focus — the
// list's keys, the session pane's, the panel's — shows the search being
// typed and the keys of an open dialog, and a proxy-wide note until a
// key is pressed.
func TestProxyFooterSaysWhatKeysDoNow(t *testing.T) {
	a, _ := newTestProxyApp(t, 140, 40)
	a.Update(proxyEventsMsg(proxiedSession(1)))
	footer := func() string { return ansi.Strip(a.footer()) }
	step := func(name, key, want, notWant string) {
		t.Helper()
		if key != "" {
			a.Update(keyPress(key))
		}
		if f := footer(); !strings.Contains(f, want) || (notWant != "" && strings.Contains(f, notWant)) {
			t.Errorf("%s: footer %q, want %q and not %q", name, f, want, notWant)
		}
	}
	step("the list", "", "↑↓ connection", "")
	step("the session pane", "tab", "↑↓ line", "connection •")
	step("the panel", "shift+tab", "←→ tabs", "↑↓ line")
	step("back to the pane", "shift+tab", "↑↓ line", "")
	step("search", "/", "/", "↑↓ line")
	a.Update(keyPress("esc"))
	step("search closed", "", "↑↓ line", "")
	esc := func() {
		if _, cmd := a.Update(keyPress("esc")); cmd != nil {
			a.Update(cmd()) // the dialog says it closed
		}
	}
	step("the export dialog", "alt+e", "esc cancel", "↑↓ line")
	esc()
	step("esc closed the export dialog", "", "↑↓ line", "")
	step("the save dialog", "ctrl+s", "esc cancel", "↑↓ line")
	esc()
	step("esc closed the save dialog", "", "↑↓ line", "")
	step("help", "f1", "esc", "↑↓ line")
	esc()
	a.Update(proxyEventsMsg{{Event: session.Event{Kind: session.KindWarning, Text: "refused a connection from 127.0.0.1:5: 32 connections are open already (the limit)"}}})
	step("a proxy note", "", "refused a connection", "")
	step("a key after the note", "down", "↑↓ line", "refused")
}

// TestProxyWaitingNamesTheSavedCA: with --ca-out the waiting view names
// the file the CA was saved in instead of asking for a restart with it.
func TestProxyWaitingNamesTheSavedCA(t *testing.T) {
	for _, caFile := range []string{"", "/tmp/smtpscope-ca.pem"} {
		a := NewProxyApp(ProxyOptions{Proxy: &fakeProxy{}, Styles: themes.NoColor(), ThemeFixed: true, Now: fixedNow, Location: time.UTC,
			CAFingerprint: "AB:CD", CAFile: caFile})
		a.Update(tea.WindowSizeMsg{Width: 160, Height: 40})
		frame := strings.Join(strings.Fields(ansi.Strip(a.render())), " ")
		want, notWant := "restart with --ca-out FILE", "saved in"
		if caFile != "" {
			want, notWant = "saved in "+caFile, "restart with"
		}
		if !strings.Contains(frame, want) || strings.Contains(frame, notWant) {
			t.Errorf("--ca-out %q: the waiting view should say %q, not %q:\n%s", caFile, want, notWant, frame)
		}
	}
}
