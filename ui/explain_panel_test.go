package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// renderTab renders p on tab t, scrolled to the top.
func renderTab(p *ExplainPanel, t Tab) string {
	p.SetTab(t)
	return p.Render()
}

// allText scrolls through tab t and returns every content line it shows,
// styles stripped, so a test can look for text below the first screen.
func allText(p *ExplainPanel, t Tab) string {
	p.SetTab(t)
	return ansi.Strip(strings.Join(p.content(t), "\n"))
}

func checkSize(t *testing.T, what, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) != h {
		t.Errorf("%s: %d lines, want %d", what, len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("%s: line %d is %d cells wide, want %d: %q", what, i, got, w, ansi.Strip(l))
		}
	}
}

func TestPanelGoldens(t *testing.T) {
	for _, size := range []struct{ w, h int }{{44, 30}, {34, 20}} {
		p := fullPanel(t, themes.Dark(), size.w, size.h)
		for tab := TabExplain; tab < numTabs; tab++ {
			name := fmt.Sprintf("panel_%s_%dx%d", strings.ToLower(tab.String()), size.w, size.h)
			checkPanelGolden(t, name, renderTab(p, tab))
		}
	}
	empty := NewExplainPanel(testContext(themes.Dark()))
	empty.SetSize(44, 12)
	empty.SetSnapshot(protocol.Snapshot{State: protocol.StateGreeted})
	for tab := TabExplain; tab < numTabs; tab++ {
		checkPanelGolden(t, "panel_empty_"+strings.ToLower(tab.String()), renderTab(empty, tab))
	}
}

func TestPanelRenderIsExactlyItsSize(t *testing.T) {
	for _, st := range []*themes.Styles{themes.Dark(), themes.NoColor()} {
		for w := 20; w <= 160; w += 7 {
			for _, h := range []int{3, 8, 24, 41} {
				p := fullPanel(t, st, w, h)
				for tab := TabExplain; tab < numTabs; tab++ {
					p.SetTab(tab)
					p.ScrollBy(5)
					checkSize(t, fmt.Sprintf("%s %s %dx%d", st.Name, tab, w, h), p.Render(), w, h)
				}
			}
		}
	}
}

func TestPanelTinySizesStayInBounds(t *testing.T) {
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {2, 2}, {3, 2}, {2, 5}, {5, 3}} {
		p := fullPanel(t, themes.Dark(), sz[0], sz[1])
		out := p.Render()
		if sz[1] == 0 {
			if out != "" {
				t.Errorf("%v: want empty output, got %q", sz, out)
			}
			continue
		}
		checkSize(t, fmt.Sprint(sz), out, sz[0], sz[1])
	}
}

func TestPanelExplainShowsTheExplanation(t *testing.T) {
	p := fullPanel(t, themes.Dark(), 60, 60)
	frame := renderTab(p, TabExplain)
	text := ansi.Strip(frame)
	e := p.expl
	for _, want := range []string{
		e.Headline, "permanent · security or policy", "Gmail / Google Workspace", e.Evidence,
		"app password", ": fix", "1. ",
		"Server said", "535-5.7.8 Username and Password",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Explain tab lacks %q:\n%s", want, text)
		}
	}
	// The code is drawn in the permanent-failure class style.
	st := themes.Dark()
	if !strings.HasSuffix(e.Headline, "535 5.7.8") || e.Evidence == "" || len(e.Fix) == 0 {
		t.Fatalf("the engine gave no headline, evidence or fix: %+v", e)
	}
	if !strings.Contains(frame, st.ClassPermanent.Bold(true).Render(e.Headline)) {
		t.Error("the headline is not drawn in the permanent class style")
	}
}

func TestPanelExplainWithoutExplanationUsesTheClass(t *testing.T) {
	p := NewExplainPanel(testContext(themes.Dark()))
	p.SetSize(90, 12)
	p.SetReply(mustReply(t, "451 4.3.0 try later\r\n"), nil)
	text := ansi.Strip(p.Render())
	for _, want := range []string{"451 4.3.0  transient", "may work if tried again", "451 4.3.0 try later"} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
}

func TestPanelSanitizesServerText(t *testing.T) {
	p := NewExplainPanel(testContext(themes.NoColor()))
	p.SetSize(60, 12)
	p.SetReply(mustReply(t, "550 evil \x1b]0;pwned\x07 text\r\n"), nil)
	out := p.Render()
	if strings.Contains(out, "\x1b]") || strings.Contains(out, "\x07") {
		t.Errorf("server escape sequence reached the frame: %q", out)
	}
	if !strings.Contains(out, "␛]0;pwned␇") {
		t.Errorf("control characters are not shown as visible symbols:\n%s", out)
	}
}

func TestPanelEmptyStates(t *testing.T) {
	tests := []struct {
		state protocol.State
		tab   Tab
		want  string
	}{
		{protocol.StateGreeted, TabExplain, "Type EHLO and press enter"},
		{protocol.StateGreeting, TabExplain, "Waiting for the server's 220 greeting"},
		{protocol.StateGreeted, TabCapabilities, "No EHLO reply yet"},
		{protocol.StateGreeted, TabTLS, "Type EHLO to see whether the server offers STARTTLS"},
		{protocol.StateDisconnected, TabTLS, "Not connected"},
	}
	for _, tc := range tests {
		p := NewExplainPanel(testContext(themes.Dark()))
		p.SetSize(60, 10)
		p.SetSnapshot(protocol.Snapshot{State: tc.state})
		if got := ansi.Strip(renderTab(p, tc.tab)); !strings.Contains(got, tc.want) {
			t.Errorf("%s in %s: lacks %q:\n%s", tc.tab, tc.state, tc.want, got)
		}
	}
}

func TestPanelCapabilitiesBeforeAndAfterSTARTTLS(t *testing.T) {
	p := fullPanel(t, themes.Dark(), 70, 80)
	text := allText(p, TabCapabilities)
	for _, want := range []string{
		"smtp.example.com", "6 extensions · inside TLS",
		"SIZE 35882577 (34.2 MiB)", "+ AUTH LOGIN PLAIN XOAUTH2",
		"Not in smtpscope's list", "Changed by STARTTLS",
		"+ AUTH LOGIN PLAIN XOAUTH2 (new after TLS)", "− STARTTLS (gone after TLS)", "+ X-VENDOR-THING on (new after TLS)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Capabilities tab lacks %q:\n%s", want, text)
		}
	}
	if info, ok := protocol.CapabilityInfo("PIPELINING"); ok && !strings.Contains(text, info.RFC) {
		t.Errorf("PIPELINING's reference %q is missing:\n%s", info.RFC, text)
	}
}

func TestPanelCapabilitiesAfterTLSBeforeEHLO(t *testing.T) {
	before, _ := capsFixture(t)
	p := NewExplainPanel(testContext(themes.Dark()))
	p.SetSize(60, 40)
	p.SetSnapshot(protocol.Snapshot{State: protocol.StateGreeted, CapsBeforeTLS: before, TLS: true})
	text := allText(p, TabCapabilities)
	if !strings.Contains(text, "send EHLO again") || !strings.Contains(text, "STARTTLS") {
		t.Errorf("after STARTTLS without EHLO the tab should ask for EHLO and show the old list:\n%s", text)
	}
}

func TestPanelTLS(t *testing.T) {
	p := fullPanel(t, themes.Dark(), 70, 60)
	text := allText(p, TabTLS)
	for _, want := range []string{"TLS 1.3", "TLS_AES_128_GCM_SHA256", "smtp.example.com", "41ms", "✓ Verified",
		"1. server certificate", "mx.example.com", "expires in 42 days", "ECDSA P-256 · signed SHA256-RSA", "2. intermediate certificate"} {
		if !strings.Contains(text, want) {
			t.Errorf("TLS tab lacks %q:\n%s", want, text)
		}
	}

	bad := tlsFixture()
	bad.Verified, bad.Insecure = false, true
	bad.VerifyError = "the certificate expired 3 days ago"
	bad.Chain[0].NotAfter = panelNow.AddDate(0, 0, -3)
	p.SetTLS(bad)
	text = allText(p, TabTLS)
	for _, want := range []string{"✗ Not verified", "--insecure", "the certificate expired 3 days ago", "expired 3 days ago", "anyone on the path"} {
		if !strings.Contains(text, want) {
			t.Errorf("unverified TLS tab lacks %q:\n%s", want, text)
		}
	}
}

func TestPanelSession(t *testing.T) {
	p := fullPanel(t, themes.Dark(), 60, 40)
	text := allText(p, TabSession)
	for _, want := range []string{"smtp.example.com:587", "Gmail (detected)", "READY · TLS", "120ms", "88ms", "Errors", "1 (4yz/5yz replies)"} {
		if !strings.Contains(text, want) {
			t.Errorf("Session tab lacks %q:\n%s", want, text)
		}
	}
	// The demo logins are the scenario's own: on a sandbox playing
	// Microsoft 365, "demo-password" is the one refused with 5.7.139.
	p.SetSummary(SessionSummary{Address: "127.0.0.1:2525", Sandbox: true, DemoLogins: []string{
		"sandbox demo credentials (ctrl+a opens AUTH):",
		"  username demo@sandbox.test · secret demo-password · LOGIN — the right password, but basic authentication is disabled: 535 5.7.139",
		"  username demo@sandbox.test · secret demo-token · XOAUTH2 — OAuth 2 works",
	}})
	text = allText(p, TabSession)
	for _, want := range []string{"sandbox", "Demo logins", "• username demo@sandbox.test · secret demo-password", "5.7.139", "secret demo-token"} {
		if !strings.Contains(text, want) {
			t.Errorf("a sandbox session should say so and give its scenario's demo logins: no %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, "opens AUTH):") {
		t.Errorf("the pane's heading line is repeated in the tab:\n%s", text)
	}
}

func TestPanelTabsCycle(t *testing.T) {
	p := NewExplainPanel(testContext(themes.Dark()))
	var seen []Tab
	for i := 0; i < 5; i++ {
		seen = append(seen, p.Tab())
		p.NextTab()
	}
	want := []Tab{TabExplain, TabCapabilities, TabTLS, TabSession, TabExplain}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("NextTab visits %v, want %v", seen, want)
	}
	p.PrevTab()
	if p.Tab() != TabExplain {
		t.Errorf("PrevTab from Capabilities = %v", p.Tab())
	}
	p.SetTab(Tab(99))
	if p.Tab() != TabExplain {
		t.Errorf("SetTab(99) changed the tab to %v", p.Tab())
	}
}

func TestPanelScrolls(t *testing.T) {
	p := fullPanel(t, themes.Dark(), 40, 10)
	top := ansi.Strip(renderTab(p, TabExplain))
	if !strings.Contains(top, "↓") {
		t.Errorf("a long page should show that there is more below:\n%s", top)
	}
	p.ScrollBy(3)
	mid := ansi.Strip(p.Render())
	if mid == top || !strings.Contains(mid, "↑") {
		t.Errorf("ScrollBy(3) did not move the page:\n%s", mid)
	}
	p.ScrollBy(10000)
	bottom := ansi.Strip(p.Render())
	if !strings.Contains(bottom, "gsmtp") || strings.Contains(strings.SplitN(bottom, "\n", 3)[1], "↓") {
		t.Errorf("scrolling far down should stop at the last line:\n%s", bottom)
	}
	p.ScrollBy(-10000)
	if got := ansi.Strip(p.Render()); got != top {
		t.Errorf("scrolling back up should return to the top:\n%s", got)
	}
	// A new reply starts at the top again.
	p.ScrollBy(4)
	r, e := gmail535(t)
	p.SetReply(r, e)
	if got := ansi.Strip(p.Render()); got != top {
		t.Errorf("a new reply should be shown from its top:\n%s", got)
	}
}

func TestPanelFocusChangesTheBorderOnly(t *testing.T) {
	p := fullPanel(t, themes.NoColor(), 40, 10)
	plain := p.Render()
	p.SetFocused(true)
	focused := p.Render()
	if plain == focused {
		t.Error("focus does not show")
	}
	checkSize(t, "focused", focused, 40, 10)
}

func TestPanelNoColorHasNoColour(t *testing.T) {
	p := fullPanel(t, themes.NoColor(), 60, 40)
	for tab := TabExplain; tab < numTabs; tab++ {
		if out := renderTab(p, tab); hasColourSGR(out) {
			t.Errorf("%s tab emits colour in the no-color theme", tab)
		}
	}
	// Content (everything but the active tab's reverse video) has no
	// escape sequences at all.
	for tab := TabExplain; tab < numTabs; tab++ {
		for _, l := range p.content(tab) {
			if strings.Contains(l, "\x1b[3") || strings.Contains(l, "\x1b[9") {
				t.Errorf("%s: coloured line %q", tab, l)
			}
		}
	}
}

func TestPanelUnverifiedTLSWithoutChain(t *testing.T) {
	p := NewExplainPanel(testContext(themes.Dark()))
	p.SetSize(50, 20)
	p.SetTLS(&session.TLSInfo{Version: "TLS 1.2", Cipher: "X", VerifyError: "the certificate is for mx.other.test, not smtp.example.com"})
	text := allText(p, TabTLS)
	if !strings.Contains(text, "✗ Not verified") || !strings.Contains(text, "mx.other.test") {
		t.Errorf("TLS tab should say why verification failed:\n%s", text)
	}
}

func BenchmarkPanelRender(b *testing.B) {
	p := fullPanel(b, themes.Dark(), 50, 40)
	p.Render() // build the content once, as the root's first frame does
	b.ReportAllocs()
	for b.Loop() {
		p.Render()
	}
}

// BenchmarkPanelDraw measures a frame after a scroll or tab change: the
// wrapped content is cached, the visible window is drawn again.
func BenchmarkPanelDraw(b *testing.B) {
	p := fullPanel(b, themes.Dark(), 50, 40)
	p.Render()
	b.ReportAllocs()
	for b.Loop() {
		p.draw()
	}
}

// BenchmarkPanelResize measures a frame after a resize or a new reply:
// the content is wrapped again, then drawn.
func BenchmarkPanelResize(b *testing.B) {
	p := fullPanel(b, themes.Dark(), 50, 40)
	b.ReportAllocs()
	w := 50
	for b.Loop() {
		w = 150 - w // alternate between 50 and 100 columns
		p.SetSize(w, 40)
		p.Render()
	}
}

// TestSuccessHasNoFixHeading: a reply that succeeded lists what comes
// next, not a "Fix"; a failure keeps its "Fix".
func TestSuccessHasNoFixHeading(t *testing.T) {
	for _, c := range []struct {
		line, verb, want, not string
	}{
		{"250 2.1.0 Sender OK", "MAIL", "Next", "Fix"},
		{"354 End data with <CR><LF>.<CR><LF>", "DATA", "Next", "Fix"},
		{"550 5.1.1 No such user", "RCPT", "Fix", "Next"},
	} {
		r, err := protocol.ParseReply(c.line + "\r\n")
		if err != nil {
			t.Fatal(err)
		}
		e := protocol.Explain(r, protocol.ExplainContext{Command: c.verb})
		p := NewExplainPanel(testContext(themes.NoColor()))
		p.SetSize(60, 40)
		p.SetReply(&r, &e)
		lines := strings.Split(allText(p, TabExplain), "\n")
		if !slices.Contains(lines, c.want) || slices.Contains(lines, c.not) {
			t.Errorf("%s: want a %q heading, no %q:\n%s", c.line, c.want, c.not, strings.Join(lines, "\n"))
		}
	}
}

// In the proxy's read-only view, a reply that worked has no next step
// for the person watching; a failure keeps its fix.
func TestObserverPanelHasNoNextSteps(t *testing.T) {
	for _, c := range []struct {
		line, verb string
		fix        bool
	}{
		{"250 2.1.0 Sender OK", "MAIL", false},
		{"550 5.1.1 No such user", "RCPT", true},
	} {
		r, err := protocol.ParseReply(c.line + "\r\n")
		if err != nil {
			t.Fatal(err)
		}
		e := protocol.Explain(r, protocol.ExplainContext{Command: c.verb})
		p := NewExplainPanel(testContext(themes.NoColor()))
		p.observer = true
		p.SetSize(60, 40)
		p.SetReply(&r, &e)
		lines := strings.Split(allText(p, TabExplain), "\n")
		if got := slices.Contains(lines, "Fix"); got != c.fix || slices.Contains(lines, "Next") {
			t.Errorf("%s: Fix heading %v (want %v), Next heading %v:\n%s", c.line, got, c.fix, slices.Contains(lines, "Next"), strings.Join(lines, "\n"))
		}
	}
}

// In the proxy's view, the Capabilities and TLS tabs say whose leg they
// describe; a session of one's own needs no such line.
func TestObserverPanelNamesTheLeg(t *testing.T) {
	for _, observer := range []bool{true, false} {
		p := NewExplainPanel(testContext(themes.NoColor()))
		p.observer = observer
		p.SetSize(60, 40)
		for _, tab := range []Tab{TabCapabilities, TabTLS} {
			if got := strings.Contains(allText(p, tab), "The server's leg"); got != observer {
				t.Errorf("observer %v, tab %d: leg line shown %v", observer, tab, got)
			}
		}
	}
}

// TestShortPanelShowsTheMeaningFirst: at 80x24 the panel has a handful
// of rows; the reply's meaning must be among them, not below a line of
// evidence and blank lines.
func TestShortPanelShowsTheMeaningFirst(t *testing.T) {
	for _, c := range []struct{ line, verb string }{
		{"220 sandbox.test ESMTP ready", ""},
		{"250 2.1.0 Sender OK", "MAIL"},
		{"535 5.7.8 Username and Password not accepted", "AUTH"},
	} {
		r, err := protocol.ParseReply(c.line + "\r\n")
		if err != nil {
			t.Fatal(err)
		}
		e := protocol.Explain(r, protocol.ExplainContext{Command: c.verb})
		p := NewExplainPanel(testContext(themes.NoColor()))
		p.SetSize(80, 7) // the panel's size on an 80x24 screen
		p.SetReply(&r, &e)
		words := strings.Fields(e.Summary)
		first := strings.Join(words[:min(3, len(words))], " ")
		if frame := ansi.Strip(p.Render()); !strings.Contains(frame, first) {
			t.Errorf("%s: the meaning %q is not on the first screenful:\n%s", c.line, e.Summary, frame)
		}
	}
}

// TestPanelTLSSaysHowTheCertificateWasTrusted: a pinned certificate and
// one taken without verification each say so, never a bare "not verified".
func TestPanelTLSSaysHowTheCertificateWasTrusted(t *testing.T) {
	for _, tt := range []struct {
		info session.TLSInfo
		want string
	}{
		{session.TLSInfo{Version: "TLS 1.3", Cipher: "X", Pinned: true}, "Pinned"},
		{session.TLSInfo{Version: "TLS 1.3", Cipher: "X", Insecure: true}, "checking was switched off"},
	} {
		p := NewExplainPanel(testContext(themes.Dark()))
		p.SetSize(60, 30)
		p.SetTLS(&tt.info)
		text := allText(p, TabTLS)
		if !strings.Contains(text, tt.want) || strings.Contains(text, "Not verified.") {
			t.Errorf("%+v: want %q:\n%s", tt.info, tt.want, text)
		}
	}
}
