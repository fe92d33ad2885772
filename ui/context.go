package ui

import (
	"time"

	"github.com/smtpscope/smtpscope/themes"
)

// Context is what every component of the screen shares, handed down by
// the root (soft-serve's common.Common): the theme, the one [KeyMap], the
// clock and time zone, and the terminal size. Components keep the pointer
// and read from it each time they draw, so a theme switch reaches all of
// them at once, an open dialog included.
//
// The clock is the only way ui learns the time: nothing else in the
// package reads the wall clock, so tests fix it and screens do not depend
// on the day they are drawn.
type Context struct {
	Styles *themes.Styles
	Keys   KeyMap
	// Width and Height are the terminal's size; 0 before the first resize.
	Width, Height int

	now   func() time.Time
	loc   *time.Location
	theme int // counts theme changes, see ThemeChanged
}

// NewContext returns the context for a program drawing with st, telling
// the time with now in the zone loc. A nil now is the wall clock and a nil
// loc the local zone: the defaults given at start-up.
func NewContext(st *themes.Styles, now func() time.Time, loc *time.Location) *Context {
	if st == nil {
		st = themes.Dark()
	}
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.Local
	}
	return &Context{Styles: st, Keys: DefaultKeyMap(), now: now, loc: loc}
}

// Now returns the current time from the context's clock, in its zone.
func (c *Context) Now() time.Time { return c.now().In(c.loc) }

// Local returns t in the zone the screen shows times in.
func (c *Context) Local(t time.Time) time.Time { return t.In(c.loc) }

// SetStyles switches the theme for every component.
func (c *Context) SetStyles(st *themes.Styles) {
	if st == nil || st == c.Styles {
		return
	}
	c.Styles = st
	c.theme++
}

// SetSize records the terminal's size.
func (c *Context) SetSize(w, h int) { c.Width, c.Height = w, h }

// themeWatch lets a component that copies styles into a bubbles model
// (text inputs, text areas) notice a theme change when it next draws.
type themeWatch struct{ seen int }

// changed reports whether the theme changed since the last call that
// returned true (or since the component was made).
func (w *themeWatch) changed(c *Context) bool {
	if w.seen == c.theme {
		return false
	}
	w.seen = c.theme
	return true
}

// watchTheme returns a watch that has seen c's current theme.
func watchTheme(c *Context) themeWatch { return themeWatch{seen: c.theme} }
