package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Pane geometry. The prefix of a line is "15:04:05.000 +38ms 🔒 S: ".
const (
	timestampLayout = "15:04:05.000"
	timestampWidth  = len(timestampLayout)
	latencyWidth    = 6 // "+999ms", "+1.2s", "+12s"
	markWidth       = 2 // the TLS lock is a wide character
	dirWidth        = 2 // "C:", "S:", "! "
	// compactBelow is the inner pane width under which timestamps are
	// dropped so that the wire text keeps room.
	compactBelow = 64
	// minTextWidth keeps wrapping sane in a very narrow pane.
	minTextWidth = 10
	// wheelLines is how far one mouse wheel step scrolls.
	wheelLines = 3
	// maxCachedRecords bounds the wrap cache; it is dropped when full.
	maxCachedRecords = 4096
)

// tlsMark is drawn beside lines that travelled inside TLS.
const tlsMark = "🔒"

// anchor is a position in the pane: a record and a wrapped line inside it.
type anchor struct{ rec, sub int }

// before reports whether a is above b.
func (a anchor) before(b anchor) bool {
	return a.rec < b.rec || (a.rec == b.rec && a.sub < b.sub)
}

// sessionPane shows the session's records, wrapped to its width. It wraps
// and styles records only when they come into view and caches the result
// per width, so drawing costs the same for ten lines or ten million.
type sessionPane struct {
	ctx   *Context
	store lineStore

	width, height  int // outer size, border included
	innerW, innerH int
	focused        bool
	follow         bool   // stick to the newest line
	top            anchor // first visible line when not following
	selected       int    // record index, or -1
	revealUser     bool
	username       string
	cache          map[int][]string // record -> styled, padded display lines
	rows           []int            // record shown on each row at the last render
	boxes          [2]box           // border unfocused, focused
}

func newSessionPane(ctx *Context) *sessionPane {
	return &sessionPane{ctx: ctx, follow: true, selected: -1, cache: map[int][]string{}}
}

// SetSize sets the outer size, border included.
func (p *sessionPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.innerW = max(1, w-p.frame().GetHorizontalFrameSize())
	p.innerH = max(1, h-p.frame().GetVerticalFrameSize())
	p.boxes = [2]box{newBox(p.ctx.Styles.PaneBorder, w), newBox(p.ctx.Styles.PaneBorderFocused, w)}
	p.invalidate()
}

// restyle redraws with the context's theme.
func (p *sessionPane) restyle() { p.SetSize(p.width, p.height) }

// SetRevealUser shows (or hides again) the AUTH username in redacted lines.
func (p *sessionPane) SetRevealUser(on bool, username string) {
	p.revealUser, p.username = on, username
	p.invalidate()
}

func (p *sessionPane) invalidate() { clear(p.cache) }

func (p *sessionPane) frame() lipgloss.Style {
	if p.focused {
		return p.ctx.Styles.PaneBorderFocused
	}
	return p.ctx.Styles.PaneBorder
}

// Append adds a record and returns its index.
func (p *sessionPane) Append(r record) int { return p.store.Append(r) }

// Len returns the number of records.
func (p *sessionPane) Len() int { return p.store.Len() }

// lines returns the display lines of record i, wrapping it on first use.
func (p *sessionPane) lines(i int) []string {
	if ls, ok := p.cache[i]; ok {
		return ls
	}
	if len(p.cache) >= maxCachedRecords {
		clear(p.cache)
	}
	ls := p.renderRecord(p.store.At(i), false)
	p.cache[i] = ls
	return ls
}

func (p *sessionPane) heightOf(i int) int { return len(p.lines(i)) }

// bottom returns the anchor that shows the newest line on the last row.
func (p *sessionPane) bottom() anchor {
	remaining := p.innerH
	for i := p.store.Len() - 1; i >= 0; i-- {
		h := p.heightOf(i)
		if h >= remaining {
			return anchor{i, h - remaining}
		}
		remaining -= h
	}
	return anchor{}
}

// current returns the first visible line.
func (p *sessionPane) current() anchor {
	if p.follow {
		return p.bottom()
	}
	return p.top
}

// ScrollUp moves the view n lines towards the start and stops following.
func (p *sessionPane) ScrollUp(n int) {
	top := p.current()
	for ; n > 0; n-- {
		switch {
		case top.sub > 0:
			top.sub--
		case top.rec > 0:
			top.rec--
			top.sub = p.heightOf(top.rec) - 1
		default:
			n = 0
		}
	}
	p.top, p.follow = top, false
	p.clampBottom()
}

// ScrollDown moves the view n lines towards the end; reaching the end
// follows new lines again.
func (p *sessionPane) ScrollDown(n int) {
	if p.follow {
		return
	}
	top := p.top
	last := p.store.Len() - 1
	for ; n > 0 && top.rec <= last; n-- {
		if top.sub < p.heightOf(top.rec)-1 {
			top.sub++
		} else if top.rec < last {
			top.rec, top.sub = top.rec+1, 0
		} else {
			break
		}
	}
	p.top = top
	p.clampBottom()
}

// clampBottom turns following back on when the view reached the end.
func (p *sessionPane) clampBottom() {
	if p.top.before(p.bottom()) {
		return
	}
	p.follow = true
}

// Home shows the first line.
func (p *sessionPane) Home() {
	p.top, p.follow = anchor{}, false
	p.clampBottom()
}

// End follows the newest line and drops the selection.
func (p *sessionPane) End() {
	p.follow, p.selected = true, -1
}

// PageUp and PageDown scroll by a pane height less one line of overlap.
func (p *sessionPane) PageUp()   { p.ScrollUp(max(1, p.innerH-1)) }
func (p *sessionPane) PageDown() { p.ScrollDown(max(1, p.innerH-1)) }

// Select moves the selection by delta records (starting from the newest
// when nothing is selected) and scrolls it into view.
func (p *sessionPane) Select(delta int) {
	n := p.store.Len()
	if n == 0 {
		return
	}
	i := p.selected
	if i < 0 {
		i = n
		if delta > 0 {
			return
		}
	}
	i = min(max(i+delta, 0), n-1)
	p.SelectIndex(i)
}

// SelectIndex selects record i and scrolls it into view.
func (p *sessionPane) SelectIndex(i int) {
	p.selected = i
	top := p.current()
	if i < top.rec || (i == top.rec && top.sub > 0) {
		p.top, p.follow = anchor{i, 0}, false
		p.clampBottom()
		return
	}
	// Rows from the top of the view to the end of record i.
	rows := p.heightOf(top.rec) - top.sub
	for r := top.rec + 1; r <= i && rows <= p.innerH; r++ {
		rows += p.heightOf(r)
	}
	if rows <= p.innerH {
		return
	}
	// Put the end of record i on the last row.
	remaining := p.innerH
	for r := i; r >= 0; r-- {
		h := p.heightOf(r)
		if h >= remaining {
			p.top, p.follow = anchor{r, h - remaining}, false
			break
		}
		remaining -= h
	}
	p.clampBottom()
}

// Selected returns the selected record index, or -1.
func (p *sessionPane) Selected() int { return p.selected }

// RecordAtRow returns the record drawn on inner row y at the last render,
// or -1.
func (p *sessionPane) RecordAtRow(y int) int {
	if y < 0 || y >= len(p.rows) {
		return -1
	}
	return p.rows[y]
}

// Render draws the pane at its set size, one string per screen row.
func (p *sessionPane) Render() []string {
	out := make([]string, 0, p.innerH)
	p.rows = p.rows[:0]
	top := p.current()
	n := p.store.Len()
	for i := top.rec; i < n && len(out) < p.innerH; i++ {
		ls := p.lines(i)
		if i == p.selected {
			ls = p.renderRecord(p.store.At(i), true)
		}
		start := 0
		if i == top.rec {
			start = min(top.sub, len(ls))
		}
		for _, l := range ls[start:] {
			if len(out) == p.innerH {
				break
			}
			out = append(out, l)
			p.rows = append(p.rows, i)
		}
	}
	if n == 0 {
		out = append(out, p.pad(p.ctx.Styles.Muted.Render("waiting for the connection…")))
	}
	if !p.follow && len(out) == p.innerH {
		if below := n - 1 - p.rows[len(p.rows)-1]; below > 0 {
			note := " ↓ " + plural(below, "more line") + " · end follows new lines "
			out[len(out)-1] = p.pad(p.ctx.Styles.Hint.Reverse(true).Render(note))
		}
	}
	for len(out) < p.innerH {
		out = append(out, strings.Repeat(" ", p.innerW))
	}
	if p.focused {
		return p.boxes[1].draw(out)
	}
	return p.boxes[0].draw(out)
}

// pad fits a styled line to the inner width exactly.
func (p *sessionPane) pad(s string) string {
	w := ansi.StringWidth(s)
	if w > p.innerW {
		return ansi.Truncate(s, p.innerW, "…")
	}
	return s + strings.Repeat(" ", p.innerW-w)
}
