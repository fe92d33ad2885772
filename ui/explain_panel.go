package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/doctor"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// Tab is one page of the side panel.
type Tab int

// The side panel's tabs, in the order [ExplainPanel.NextTab] visits them.
const (
	TabExplain      Tab = iota // the selected or latest reply, explained
	TabCapabilities            // the EHLO keywords, before and after STARTTLS
	TabTLS                     // the TLS handshake and certificate chain
	TabSession                 // provider, timings, counts
	numTabs
)

var tabTitles = [numTabs]struct{ long, short string }{
	TabExplain:      {"Explain", "Explain"},
	TabCapabilities: {"Capabilities", "Caps"},
	TabTLS:          {"TLS", "TLS"},
	TabSession:      {"Session", "Sess"},
}

// String returns the tab's title.
func (t Tab) String() string {
	if t >= 0 && t < numTabs {
		return tabTitles[t].long
	}
	return "Tab(?)"
}

// SessionSummary is what the Session tab shows: where smtpscope is
// connected and how the session has gone so far.
type SessionSummary struct {
	Address     string            // host:port as dialled
	Provider    protocol.Provider // detected from the host name and greeting
	Sandbox     bool              // the built-in practice server
	Connected   time.Time         // when the connection was made; zero when not connected
	Commands    int               // commands sent
	Replies     int               // replies received
	Errors      int               // 4yz and 5yz replies
	LastLatency time.Duration     // the time the latest reply took
	BannerDelay time.Duration     // connect to 220 greeting
	Generation  int               // connection number, 1 for the first
	DemoLogins  []string          // the sandbox scenario's demo logins, as the pane lists them
}

// ExplainPanel is the side panel: a tab bar over a scrollable page that
// explains replies, lists capabilities, reports TLS and sums up the
// session. It is a plain struct driven by the root model; Render never
// does I/O and draws exactly the size it was given.
type ExplainPanel struct {
	ctx     *Context
	w, h    int
	focused bool
	// observer: the session is someone else's (the proxy's view), so a
	// reply that worked has no next step for the person watching.
	observer bool
	tab      Tab
	offset   [numTabs]int

	reply   *protocol.Reply
	expl    *protocol.Explanation
	verdict *doctor.Verdict // the doctor's, shown on the Explain tab until the next reply
	// unanswered is the selected command line that has no reply, shown
	// on the Explain tab instead of a reply.
	unanswered *unanswered
	// failure is why the connection ended on an error, shown on the
	// Explain tab while no line is selected, until the next connection.
	failure *connFailure
	snap    protocol.Snapshot
	tls     *session.TLSInfo
	summary SessionSummary

	// lines caches each tab's wrapped content for the current width; nil
	// means it must be rebuilt.
	lines [numTabs][]string
	// widths holds the display width of each cached line, measured once
	// when the content is built, so drawing never measures styled text.
	widths [numTabs][]int
	// frame caches the last Render; "" means it must be drawn again.
	frame string
}

// NewExplainPanel returns a panel drawing in ctx, on the Explain tab.
// Certificate ages on the TLS tab are counted from ctx's clock.
func NewExplainPanel(ctx *Context) *ExplainPanel {
	return &ExplainPanel{ctx: ctx}
}

// SetSize sets the panel's outer size, border included.
func (p *ExplainPanel) SetSize(w, h int) {
	if w == p.w && h == p.h {
		return
	}
	p.w, p.h = w, h
	p.invalidate()
}

// restyle redraws every tab in the context's theme.
func (p *ExplainPanel) restyle() { p.invalidate() }

// SetReply shows the explanation of a reply (the selected one, or the
// latest). Either may be nil; with both nil the Explain tab shows its
// empty state. A different reply scrolls the Explain tab back to the top.
func (p *ExplainPanel) SetReply(r *protocol.Reply, e *protocol.Explanation) {
	if r != p.reply || e != p.expl || p.unanswered != nil {
		p.offset[TabExplain] = 0
		p.verdict = nil
	}
	p.unanswered, p.failure = nil, nil
	p.reply, p.expl = r, e
	p.lines[TabExplain] = nil
	p.frame = ""
}

// SetSnapshot gives the panel the client's view of the session: the
// capabilities before and after STARTTLS, TLS and auth state.
func (p *ExplainPanel) SetSnapshot(s protocol.Snapshot) {
	p.snap = s
	p.invalidate() // every tab's empty state depends on the protocol state
}

// SetTLS sets the TLS facts; nil means no TLS yet.
func (p *ExplainPanel) SetTLS(info *session.TLSInfo) {
	p.tls = info
	p.lines[TabTLS] = nil
	p.lines[TabSession] = nil
	p.frame = ""
}

// SetSummary updates the Session tab.
func (p *ExplainPanel) SetSummary(s SessionSummary) {
	p.summary = s
	p.lines[TabSession] = nil
	p.frame = ""
}

// Tab returns the active tab.
func (p *ExplainPanel) Tab() Tab { return p.tab }

// SetTab switches to t; out-of-range values are ignored.
func (p *ExplainPanel) SetTab(t Tab) {
	if t >= 0 && t < numTabs && t != p.tab {
		p.tab = t
		p.frame = ""
	}
}

// NextTab moves to the next tab, wrapping around after the last.
func (p *ExplainPanel) NextTab() { p.SetTab((p.tab + 1) % numTabs) }

// PrevTab moves to the previous tab, wrapping around before the first.
func (p *ExplainPanel) PrevTab() { p.SetTab((p.tab + numTabs - 1) % numTabs) }

// ScrollBy scrolls the active tab by n lines (negative: up), stopping at
// the top and at the last screenful.
func (p *ExplainPanel) ScrollBy(n int) {
	lines := p.content(p.tab)
	maxOff := max(0, len(lines)-p.pageHeight())
	if off := min(max(p.offset[p.tab]+n, 0), maxOff); off != p.offset[p.tab] {
		p.offset[p.tab] = off
		p.frame = ""
	}
}

// SetFocused marks the panel as the focused pane (its border changes).
func (p *ExplainPanel) SetFocused(f bool) {
	if f != p.focused {
		p.focused = f
		p.frame = ""
	}
}

// Focused reports whether the panel has focus.
func (p *ExplainPanel) Focused() bool { return p.focused }

// Render draws the panel at exactly its set size: a border, the tab bar
// and the visible part of the active tab. No line is wider than the width.
// The frame is kept until something changes, so redrawing an unchanged
// panel costs nothing.
func (p *ExplainPanel) Render() string {
	if p.frame == "" {
		p.frame = p.draw()
	}
	return p.frame
}

func (p *ExplainPanel) draw() string {
	return drawTextBox(p.ctx.Styles, p.focused, p.w, p.h, p.content(p.tab), p.widths[p.tab], p.offset[p.tab], p.tabBar)
}

// minPaddedWidth is the narrowest inside width that still gets a blank
// column on each side of the text.
const minPaddedWidth = 12

// panelPadding is the blank margin inside the border: one space, unless
// the panel is so narrow that every column counts.
func panelPadding(inner int) string {
	if inner >= minPaddedWidth {
		return " "
	}
	return ""
}

// pageHeight is the number of content lines under the tab bar.
func (p *ExplainPanel) pageHeight() int { return panelPageHeight(p.ctx.Styles, p.h) }

// contentWidth is the width of the text inside the border and padding.
func (p *ExplainPanel) contentWidth() int { return panelContentWidth(p.ctx.Styles, p.w) }

// panelPageHeight is the number of content rows of a bordered panel h rows
// tall with one title (or tab) row.
func panelPageHeight(st *themes.Styles, h int) int {
	_, fh := st.PaneBorder.GetFrameSize()
	return max(0, h-fh-1)
}

// panelContentWidth is the width of the text inside a bordered panel w
// columns wide, within its border and padding.
func panelContentWidth(st *themes.Styles, w int) int {
	fw, _ := st.PaneBorder.GetFrameSize()
	inner := w - fw
	return max(1, inner-2*len(panelPadding(inner)))
}

func (p *ExplainPanel) invalidate() {
	p.lines = [numTabs][]string{}
	p.frame = ""
}

// legNote says, in the proxy's view, which leg the Capabilities and TLS
// tabs describe: smtpscope's own connection to the server (the
// application's leg is smtpscope's listener, shown in the connection list).
func (p *ExplainPanel) legNote(b *textBuilder) {
	if p.observer {
		b.para(p.ctx.Styles.Muted, "The server's leg: smtpscope ↔ the upstream server.")
		b.blank()
	}
}

// content returns the wrapped lines of tab t, building them on first use.
func (p *ExplainPanel) content(t Tab) []string {
	if p.lines[t] != nil {
		return p.lines[t]
	}
	b := newTextBuilder(p.contentWidth())
	switch t {
	case TabExplain:
		p.buildExplain(b)
	case TabCapabilities:
		p.legNote(b)
		p.buildCapabilities(b)
	case TabTLS:
		p.legNote(b)
		p.buildTLS(b)
	case TabSession:
		p.buildSession(b)
	}
	if b.lines == nil {
		b.lines = []string{}
	}
	widths := make([]int, len(b.lines))
	for i, l := range b.lines {
		widths[i] = ansi.StringWidth(l)
	}
	p.lines[t], p.widths[t] = b.lines, widths
	return b.lines
}

// emptyHint writes a tab's empty state: a bold headline saying what is
// missing, then a muted line saying what to do about it.
func (p *ExplainPanel) emptyHint(b *textBuilder, headline, hint string) {
	b.para(p.ctx.Styles.Text.Bold(true), headline)
	b.blank()
	b.para(p.ctx.Styles.Muted, hint)
}

// tabBar draws the tab titles, long ones when they fit, with scroll marks
// at the right when there is more above or below.
func (p *ExplainPanel) tabBar(width int, more, less bool) string {
	marks := ""
	if more {
		marks += "↑"
	}
	if less {
		marks += "↓"
	}
	bar := p.tabTitles(true, " │ ")
	if ansi.StringWidth(bar)+ansi.StringWidth(marks)+1 > width {
		bar = p.tabTitles(false, " ")
	}
	if marks == "" {
		return bar
	}
	gap := width - ansi.StringWidth(bar) - ansi.StringWidth(marks)
	if gap < 1 {
		return bar
	}
	return bar + strings.Repeat(" ", gap) + p.ctx.Styles.Muted.Render(marks)
}

func (p *ExplainPanel) tabTitles(long bool, sep string) string {
	parts := make([]string, numTabs)
	for t := Tab(0); t < numTabs; t++ {
		title := tabTitles[t].short
		if long {
			title = tabTitles[t].long
		}
		if t == p.tab {
			parts[t] = p.ctx.Styles.TabActive.Render(title)
		} else {
			parts[t] = p.ctx.Styles.Tab.Render(title)
		}
	}
	return strings.Join(parts, p.ctx.Styles.Muted.Render(sep))
}

// SetUnanswered shows, on the Explain tab, that the selected command line
// has no reply: not yet, or never (ended: its connection closed first).
func (p *ExplainPanel) SetUnanswered(command string, ended bool) {
	u := &unanswered{command: command, ended: ended}
	if p.unanswered != nil && *p.unanswered == *u && p.reply == nil {
		return
	}
	p.reply, p.expl, p.verdict, p.failure = nil, nil, nil, nil
	p.unanswered = u
	p.offset[TabExplain] = 0
	p.lines[TabExplain] = nil
	p.frame = ""
}

// unanswered is a selected command without a reply.
type unanswered struct {
	command string
	ended   bool
}

// buildUnanswered writes the Explain tab for a command without a reply.
func (p *ExplainPanel) buildUnanswered(b *textBuilder) {
	st := p.ctx.Styles
	u := p.unanswered
	b.para(st.ClientLine, "C: "+u.command)
	b.blank()
	if u.ended {
		b.para(st.Text.Bold(true), "No reply: the connection closed before the server answered this command.")
		return
	}
	b.para(st.Text.Bold(true), "No reply yet.")
	b.blank()
	b.para(st.Muted, "The server has not answered this command; its reply is explained here when it comes "+
		"(replies come in the order of the commands).")
}
