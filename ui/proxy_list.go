package ui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/proxy"
)

// listIndent is what a connection's lines start with: the mark of the
// selected one, or its width in blanks.
const (
	listMark   = "› "
	listIndent = "  "
)

// listSize is the list's outer size: a column beside the view on a wide
// screen, as many rows as the connections need (up to a bound) above it
// on a narrow one, leaving the view its least height.
func (a *ProxyApp) listSize() (w, h int) {
	frame := a.ctx.Styles.PaneBorder
	if a.narrow() {
		rows := 0
		for _, c := range a.conns {
			rows += len(connLines(c.info, a.width-frame.GetHorizontalFrameSize()))
		}
		// The view below keeps the rows it needs; the list never takes them.
		most := min(proxyListMaxRows, a.height-proxyChromeRows-observerMinHeight)
		return a.width, max(0, min(most, frame.GetVerticalFrameSize()+max(1, rows)))
	}
	return proxyListWidth, a.height - proxyChromeRows
}

// renderList draws the connection list, boxed, at its size. Each
// connection takes the rows its facts need (nothing is cut off); the
// selected one is always in sight, and a last row counts those below.
func (a *ProxyApp) renderList() []string {
	st := a.ctx.Styles
	w, h := a.listSize()
	frame := st.PaneBorder
	if a.listFocused {
		frame = st.PaneBorderFocused
	}
	inner := w - frame.GetHorizontalFrameSize()
	rows := h - frame.GetVerticalFrameSize()
	var lines []string
	if len(a.conns) == 0 {
		for _, l := range wrapText("No connection yet.", inner) {
			lines = append(lines, st.Muted.Render(padRight(l, inner)))
		}
	}
	blocks := make([][]string, len(a.conns))
	for i, c := range a.conns {
		blocks[i] = connLines(c.info, inner)
	}
	first, last := visibleBlocks(blocks, max(a.sel, 0), rows)
	for i := first; i < last; i++ {
		for j, l := range blocks[i] {
			style, mark := st.Value, listIndent
			switch {
			case j > 0:
				style = st.Muted
			case i == a.sel:
				style, mark = st.Selected, listMark
			}
			lines = append(lines, style.Render(padRight(mark+l, inner)))
		}
	}
	if below := len(a.conns) - last; below > 0 {
		lines = append(lines, st.Muted.Render(padRight(ansi.Truncate(listIndent+"↓ "+plural(below, "more connection"), inner, "…"), inner)))
	}
	for len(lines) < rows {
		lines = append(lines, strings.Repeat(" ", inner))
	}
	return newBox(frame, w).draw(lines[:rows])
}

// visibleBlocks chooses the connections [first, last) that fit in rows,
// keeping sel in sight and a row free for the count of those below.
func visibleBlocks(blocks [][]string, sel, rows int) (first, last int) {
	fits := func(first, last int) bool {
		n := 0
		for _, b := range blocks[first:last] {
			n += len(b)
		}
		if last < len(blocks) {
			n++ // the "↓ N more" row
		}
		return n <= rows
	}
	sel = min(sel, len(blocks))
	for first < sel && !fits(first, min(sel+1, len(blocks))) {
		first++
	}
	last = first
	for last < len(blocks) && fits(first, last+1) {
		last++
	}
	return first, max(last, min(first+1, len(blocks)))
}

// connLines are a connection's lines in the list, fitted to width: its
// number, the application's address and state, then its facts (TLS per
// leg, login, messages, last reply), broken between facts, never cut.
func connLines(in proxy.ConnInfo, width int) []string {
	width = max(1, width-ansi.StringWidth(listIndent))
	state := "open"
	switch {
	case !in.Ended.IsZero() && in.Err != "":
		state = "✗ " + protocol.Sanitize(in.Err)
	case !in.Ended.IsZero():
		state = "closed"
	}
	lines := wrapText("#"+strconv.FormatUint(in.ID, 10)+" "+protocol.Sanitize(in.Remote)+" · "+state, width)
	facts := []string{"app " + legTLS(in.App.TLS, false), "srv " + legTLS(in.UpstreamLeg.TLS, true)}
	if in.Mechanism != "" {
		auth := in.Mechanism + " ✗"
		if in.Authenticated {
			auth = in.Mechanism + " ✓"
		}
		facts = append(facts, auth)
	}
	if in.Messages > 0 {
		facts = append(facts, plural(in.Messages, "msg"))
	}
	if in.LastCode > 0 {
		facts = append(facts, strconv.Itoa(in.LastCode))
	}
	line := ""
	for _, f := range facts {
		switch {
		case line == "":
			line = f
		case ansi.StringWidth(line+factSep+f) <= width:
			line += factSep + f
		default:
			lines = append(lines, wrapText(line, width)...)
			line = f
		}
	}
	return append(lines, wrapText(line, width)...)
}

// factSep separates a connection's facts on a line of the list.
const factSep = " · "

// insertConn adds c to the list in the order of the connections'
// numbers (the proxy's events for connections that run at the same time
// arrive in any order), keeping the selection on the same connection.
func (a *ProxyApp) insertConn(c *proxyConn) {
	i, _ := slices.BinarySearchFunc(a.conns, c.info.ID, func(x *proxyConn, id uint64) int {
		switch {
		case x.info.ID < id:
			return -1
		case x.info.ID > id:
			return 1
		}
		return 0
	})
	a.conns = slices.Insert(a.conns, i, c)
	switch {
	case a.sel < 0:
		a.sel = 0
	case i <= a.sel:
		a.sel++
	}
}
