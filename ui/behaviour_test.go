package ui

import (
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

func TestProgressBarWhileSendingBody(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	s := newScript()
	s.add(session.Event{Kind: session.KindProgress, Progress: session.Progress{Sent: 4_500_000, Total: 10_000_000}})
	feed(m, s)
	out := plain(m)
	if !strings.Contains(out, "45% 4.5 MB of 10.0 MB") || !strings.Contains(out, "█") {
		t.Fatalf("no progress bar for a large body:\n%s", out)
	}
	s.add(session.Event{Kind: session.KindProgress, Progress: session.Progress{Sent: 10_000_000, Total: 10_000_000, Done: true}})
	feed(m, s)
	if strings.Contains(plain(m), "█") {
		t.Fatal("the progress bar should go away when the body is sent")
	}
}

func TestMouseClickSelectsLineAndWheelScrolls(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := afterEHLO()
	feed(m, s)
	// Row 0 is the header, row 1 the pane's top border; the banner is the
	// second record, on row 3. The program draws a frame after every
	// update, and the click maps onto what was drawn.
	screen(m)
	m.Update(tea.MouseClickMsg{X: 10, Y: 3, Button: tea.MouseLeft})
	if m.focus != focusPane || m.shownReply != 0 {
		t.Fatalf("clicking the banner should focus the pane and show reply 0, focus %v reply %d", m.focus, m.shownReply)
	}
	for i := range 200 {
		s.client("NOOP "+strings.Repeat("x", i%5), "NOOP")
	}
	feed(m, s)
	m.pane.End()
	m.Update(tea.MouseWheelMsg{X: 10, Y: 10, Button: tea.MouseWheelUp})
	if m.pane.follow {
		t.Fatal("the wheel up should stop following new lines")
	}
	for range 100 {
		m.Update(tea.MouseWheelMsg{X: 10, Y: 10, Button: tea.MouseWheelDown})
	}
	if !m.pane.follow {
		t.Fatal("wheeling back to the end should follow again")
	}
}

func TestBackgroundColourPicksLightTheme(t *testing.T) {
	eng := &fakeEngine{}
	m := New(Options{Engine: eng, Styles: themes.Dark(), Address: "x:25", Now: fixedNow})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if m.ctx.Styles.Name != themes.NameLight {
		t.Fatalf("a light background should switch to the light theme, got %s", m.ctx.Styles.Name)
	}
	fixed := New(Options{Engine: eng, Styles: themes.Dark(), ThemeFixed: true, Address: "x:25", Now: fixedNow})
	fixed.Update(tea.BackgroundColorMsg{Color: color.White})
	if fixed.ctx.Styles.Name != themes.NameDark {
		t.Fatal("--theme must win over the terminal's background")
	}
}

func TestClosedConnectionShowsReasonAndLeavesDataMode(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := afterEHLO()
	feed(m, s)
	m.dataMode = true
	m.relayout()
	s.add(session.Event{Kind: session.KindClosed, Err: errString("connection reset by peer")})
	feed(m, s)
	out := plain(m)
	if !strings.Contains(out, "connection closed: connection reset by peer") || !strings.Contains(out, "disconnected") {
		t.Fatalf("the close and its reason should show:\n%s", out)
	}
	if m.dataMode {
		t.Fatal("a closed connection ends the DATA editor")
	}
	if !strings.Contains(out, "not connected · ctrl+r reconnects") || strings.Contains(out, "next: ") {
		t.Fatalf("the composer should say how to go on instead of suggesting commands:\n%s", out)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestInsecureIsLoud(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := afterEHLO()
	info := testTLSInfo()
	info.Verified, info.Insecure = false, true
	s.add(session.Event{Kind: session.KindTLS, TLSInfo: info})
	feed(m, s)
	if !strings.Contains(plain(m), "NOT VERIFIED (--insecure)") {
		t.Fatalf("an --insecure session must say so in the header:\n%s", plain(m))
	}
}

// TestThemeChangeReachesAnOpenDialog switches to the light theme while the
// AUTH dialog is open: the dialog, its inputs included, must draw exactly
// as one opened in the light theme.
func TestThemeChangeReachesAnOpenDialog(t *testing.T) {
	m := New(Options{Engine: &fakeEngine{}, Styles: themes.Dark(), Address: "127.0.0.1:25", Now: fixedNow, Location: time.UTC})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	feed(m, afterEHLOReply(ehloAuthInClear))
	press(m, "ctrl+a")
	if m.dialog == nil {
		t.Fatal("ctrl+a did not open the AUTH dialog")
	}
	dark := m.dialog.View()
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	got := m.dialog.View()

	light := NewAuthDialog(NewContext(themes.Light(), fixedNow, time.UTC), []string{"PLAIN", "LOGIN"}, "")
	light.SetSize(100, 30)
	if want := light.View(); got != want {
		t.Errorf("the open dialog did not take the light theme:\n got %q\nwant %q", got, want)
	}
	if got == dark {
		t.Error("the dialog draws the same in both themes")
	}
}

// TestFooterAlwaysNamesTheHelpKey narrows the screen step by step: the
// footer drops entries from its end to fit, never the help key's.
func TestFooterAlwaysNamesTheHelpKey(t *testing.T) {
	for w := MinWidth; w <= 130; w++ {
		m, _ := newTestModel(t, w, 30)
		feed(m, afterEHLO())
		lines := strings.Split(plain(m), "\n")
		footer := lines[len(lines)-1]
		if !strings.Contains(footer, "? help") || ansi.StringWidth(footer) > w {
			t.Fatalf("width %d: footer %q", w, footer)
		}
	}
}

// TestHandTypedMessageWarnsOfOverlongLines: DATA typed by hand goes as
// typed, but a line over 998 octets (RFC 5322 2.1.1) is named before the
// server's answer comes; a message within the limits gets no warning.
func TestHandTypedMessageWarnsOfOverlongLines(t *testing.T) {
	for _, tc := range []struct {
		body, want, longest string
	}{
		{"Subject: ok\n\nshort\n", "", ""},
		{"Subject: long\n\n" + strings.Repeat("L", 1100) + "\nshort\n", "1 line is over 998 octets", "longest: 1100"},
		{strings.Repeat("x", 999) + "\n" + strings.Repeat("y", 1200) + "\n", "2 lines are over 998 octets", "longest: 1200"},
	} {
		m, eng := newTestModel(t, 120, 40)
		feed(m, afterEHLO())
		m.dataMode = true
		m.finishBody(tc.body)
		if len(eng.bodies) != 1 || eng.bodies[0] != tc.body {
			t.Fatalf("the body should go as typed, sent %q", eng.bodies)
		}
		out := strings.Join(strings.Fields(plain(m)), " ")
		if tc.want == "" {
			if strings.Contains(out, "RFC 5322 2.1.1") {
				t.Errorf("a message within the limits is warned about:\n%s", out)
			}
			continue
		}
		if !strings.Contains(out, tc.want) || !strings.Contains(out, tc.longest) || !strings.Contains(out, "RFC 5322 2.1.1") {
			t.Errorf("no warning %q:\n%s", tc.want, out)
		}
	}
}
