package ui

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// hostileText is one string that tries every way into a terminal: an OSC 0
// title, an OSC 52 clipboard write, an OSC 8 link, SGR colours, a C1 CSI,
// a right-to-left override, a zero-width space, BEL and NUL.
const hostileText = "\x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x07 \x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ " +
	"\x1b[31mred\x1b[0m \xc2\x9b2J \u202eevil\u202c zero\u200bwidth \x07\x00"

// terminalUnsafe reports the first byte sequence of s a terminal would
// act on, other than the SGR styling smtpscope itself draws with.
func terminalUnsafe(s string) string {
	for _, bad := range []string{"\x1b]", "\x1bP", "\x1b_", "\x1b^", "\x07", "\x00", "\u009b", "\u202e", "\u202c", "\u200b", "pwned\x07"} {
		if strings.Contains(s, bad) {
			return bad
		}
	}
	return ""
}

// serveHostile runs a server on loopback that puts hostileText into every
// reply it sends, until the test ends.
func serveHostile(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(flowTimeout)) // only a guard against a hang
		w := bufio.NewWriter(c)
		r := bufio.NewReader(c)
		say := func(s string) { w.WriteString(s + "\r\n"); w.Flush() }
		say("220 hostile.example ESMTP " + hostileText)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch verb := strings.ToUpper(strings.Fields(line + " x")[0]); verb {
			case "EHLO":
				say("250-hostile.example " + hostileText)
				say("250-X-" + hostileText)
				say("250 AUTH PLAIN " + hostileText)
			case "QUIT":
				say("221 bye " + hostileText)
				return
			default:
				say("550-5.7.1 refused " + hostileText)
				say("550 5.7.1 " + hostileText)
			}
		}
	}()
	return ln.Addr().String()
}

// TestHostileTextNeverReachesTheTerminal talks to a server that puts
// escape sequences, C1 controls and bidi overrides in every reply, and
// checks every frame (header, pane, panel on each tab, the error line),
// the clipboard copy and the saved transcript.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	addr := serveHostile(t)
	s := session.New(session.Config{Address: addr})
	t.Cleanup(func() {
		s.Close()
		select {
		case <-s.Done():
		case <-time.After(flowTimeout):
		}
	})
	m := New(Options{Engine: s, Styles: themes.Dark(), ThemeFixed: true, Address: addr, Host: "hostile.example"})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	l := &liveModel{m: m, s: s}
	s.Connect()
	l.pump(t, "the banner", func(m *Model) bool { return m.greeting != "" })
	typeText(m, "EHLO client.example")
	press(m, "enter")
	l.pump(t, "EHLO", func(m *Model) bool { return m.snap.Extended })
	typeText(m, "NOOP")
	press(m, "enter")
	l.pump(t, "the refusal", func(m *Model) bool { return m.errors > 0 })

	var frames []string
	for tab := range numTabs {
		m.panel.SetTab(tab)
		frames = append(frames, m.View().Content)
	}
	press(m, "shift+tab")
	for range 6 {
		press(m, "up")
		frames = append(frames, m.View().Content)
	}
	for i, f := range frames {
		if bad := terminalUnsafe(f); bad != "" {
			t.Fatalf("frame %d passes %q to the terminal", i, bad)
		}
	}
	_, cmd := m.Update(keyPress("ctrl+y"))
	msg := cmd()
	if c, ok := msg.(clipboardMsg); !ok || c.err != nil || terminalUnsafe(c.text) != "" || c.text == "" {
		t.Fatalf("the clipboard copy is not safe: %#v", msg)
	}
	var b strings.Builder
	if err := s.Transcript().WriteText(&b, session.SaveOptions{}); err != nil || terminalUnsafe(b.String()) != "" {
		t.Fatalf("the text transcript is not safe (%v): %q", err, b.String())
	}
}
