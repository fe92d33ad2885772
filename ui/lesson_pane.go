package ui

import (
	"fmt"
	"regexp"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/learn"
)

// Marks of a goal's checklist.
const (
	stepDone = "✓"
	stepNext = "›"
	stepTodo = "○"
)

// lessonPane shows the lesson being taken: "lesson n of m", the goal and
// its steps, the explanation with its RFC references, the hints asked
// for, and, once the goal is reached, what happened. It is a plain struct
// drawn by the root at the size the layout gives it; it reads the course
// and never changes it.
type lessonPane struct {
	ctx     *Context
	course  *learn.Course
	w, h    int
	focused bool
	offset  int

	// lines caches the wrapped content for the current width and course
	// state; nil means it must be built again. frame caches Render.
	lines       []string
	widths      []int
	lastHint    int // the line where the latest hint starts
	lastHintEnd int // the line after the latest hint's text
	frame       string
}

func newLessonPane(ctx *Context, course *learn.Course) *lessonPane {
	return &lessonPane{ctx: ctx, course: course}
}

// SetSize sets the pane's outer size, border included.
func (p *lessonPane) SetSize(w, h int) {
	if w != p.w || h != p.h {
		p.w, p.h = w, h
		p.invalidate()
	}
}

// SetFocused marks the pane focused (its border changes).
func (p *lessonPane) SetFocused(f bool) {
	if f != p.focused {
		p.focused = f
		p.frame = ""
	}
}

// restyle redraws in the context's theme.
func (p *lessonPane) restyle() { p.invalidate() }

// Changed tells the pane that the course moved on: a new lesson, a hint,
// a step met. A new lesson, or a goal reached, scrolls back to the top,
// where it is shown.
func (p *lessonPane) Changed(toTop bool) {
	if toTop {
		p.offset = 0
	}
	p.invalidate()
}

func (p *lessonPane) invalidate() {
	p.lines, p.widths, p.frame = nil, nil, ""
}

// ScrollBy scrolls by n lines (negative: up), within the content.
func (p *lessonPane) ScrollBy(n int) {
	lines := p.content()
	off := min(max(p.offset+n, 0), max(0, len(lines)-p.pageHeight()))
	if off != p.offset {
		p.offset = off
		p.frame = ""
	}
}

// pageHeight is the number of content rows under the title row.
func (p *lessonPane) pageHeight() int { return panelPageHeight(p.ctx.Styles, p.h) }

// contentWidth is the width of the text inside border and padding.
func (p *lessonPane) contentWidth() int { return panelContentWidth(p.ctx.Styles, p.w) }

// Render draws the pane at exactly its size.
func (p *lessonPane) Render() string {
	if p.frame == "" {
		p.frame = p.draw()
	}
	return p.frame
}

func (p *lessonPane) draw() string {
	return drawTextBox(p.ctx.Styles, p.focused, p.w, p.h, p.content(), p.widths, p.offset, p.titleBar)
}

// titleSep goes between "Lesson n of m" and the title in the title bar.
const titleSep = " · "

// titleFits reports whether the lesson's title fits in the title bar
// beside "Lesson n of m" and the scroll marks; when not, it is the first
// paragraph of the pane, wrapped whole rather than cut.
func (p *lessonPane) titleFits() bool {
	text := p.course.Track().Text
	bar := fmt.Sprintf(text.LessonOf, p.course.Index()+1, p.course.Len()) + titleSep + p.course.Lesson().Title
	const marks = 3 // a space and "↑↓"
	return ansi.StringWidth(bar)+marks <= p.contentWidth()
}

// titleBar is "Lesson n of m · title", with scroll marks at the right
// when there is more above or below.
func (p *lessonPane) titleBar(width int, more, less bool) string {
	st := p.ctx.Styles
	text := p.course.Track().Text
	n := p.course.Index() + 1
	title := st.TabActive.Render(fmt.Sprintf(text.LessonOf, n, p.course.Len()))
	if p.titleFits() {
		title += st.Muted.Render(titleSep) + st.PanelTitle.Render(p.course.Lesson().Title)
	}
	marks := ""
	if more {
		marks += "↑"
	}
	if less {
		marks += "↓"
	}
	if marks == "" {
		return title
	}
	if w := ansi.StringWidth(title); w+1+len(marks) > width {
		title = ansi.Truncate(title, max(0, width-1-len(marks)), "…")
	}
	gap := width - ansi.StringWidth(title) - ansi.StringWidth(marks)
	return title + strings.Repeat(" ", max(1, gap)) + st.Muted.Render(marks)
}

// content returns the wrapped lines, building them on first use.
func (p *lessonPane) content() []string {
	if p.lines != nil {
		return p.lines
	}
	b := newTextBuilder(p.contentWidth())
	p.build(b)
	if b.lines == nil {
		b.lines = []string{}
	}
	p.widths = make([]int, len(b.lines))
	for i, l := range b.lines {
		p.widths[i] = ansi.StringWidth(l)
	}
	p.lines = b.lines
	return p.lines
}

// build writes the lesson: what happened first once the goal is reached,
// then the goal and its steps, the hints asked for, the explanation and
// the sandbox it needs.
func (p *lessonPane) build(b *textBuilder) {
	st := p.ctx.Styles
	c := p.course
	l := c.Lesson()
	text := c.Track().Text
	keys := p.ctx.Keys.Lessons
	if !p.titleFits() {
		b.para(st.PanelTitle, l.Title)
		b.blank()
	}
	if c.Reached() {
		b.para(st.StepDone, stepDone+" "+text.Reached)
		if c.Index()+1 < c.Len() {
			b.para(st.Muted, fmt.Sprintf(text.NextKey, keys.Next.Help().Key))
		}
		b.para(st.Text, p.keyed(l.Done))
		if c.Index()+1 == c.Len() {
			b.para(st.Text, p.keyed(text.Finished))
		}
		b.blank()
	}
	b.para(st.PanelTitle, text.Goal)
	b.para(st.Text, p.keyed(l.Goal))
	for _, s := range c.Steps() {
		mark, markSt, textSt := stepTodo, st.Muted, st.Muted
		switch {
		case s.Done:
			mark, markSt, textSt = stepDone, st.StepDone, st.Text
		case s.Next:
			mark, markSt, textSt = stepNext, st.StepNext, st.Text
		}
		b.bullet(markSt, mark, textSt, p.keyed(s.Label))
	}
	b.blank()
	hints := c.Hints()
	for i, h := range hints {
		if i == len(hints)-1 {
			p.lastHint = len(b.lines)
		}
		b.para(st.PanelTitle, fmt.Sprintf(text.Hint, i+1, len(l.Hints)))
		b.para(st.Text, p.keyed(h))
		p.lastHintEnd = len(b.lines)
	}
	switch {
	case len(hints) == 0:
		b.para(st.Muted, fmt.Sprintf(text.HintKey, keys.Hint.Help().Key))
	case len(hints) < len(l.Hints):
		b.para(st.Muted, fmt.Sprintf(text.NextHint, keys.Hint.Help().Key))
	}
	b.blank()
	b.para(st.Text, p.keyed(l.Explain))
	b.joined(st.Ref, l.Refs)
	if setup := setupText(text, l.Sandbox); setup != "" {
		b.blank()
		b.para(st.Muted, setup)
	}
}

// keyed is text with the key names of the context's KeyMap.
func (p *lessonPane) keyed(text string) string { return withKeys(p.ctx.Keys, text) }

// RevealHint scrolls, when needed, so that the latest hint is in view:
// its title and its text, or as much of them as the pane holds, from the
// title down.
func (p *lessonPane) RevealHint() {
	p.content()
	page := p.pageHeight()
	off := p.offset
	switch {
	case p.lastHint < off:
		off = p.lastHint
	case p.lastHintEnd > off+page:
		off = min(p.lastHint, p.lastHintEnd-page)
	}
	if off = min(max(off, 0), max(0, len(p.lines)-page)); off != p.offset {
		p.offset = off
		p.frame = ""
	}
}

// keyToken is how a lesson text names a key: {key:NAME}, one of
// lessonKeyNames, so that the text follows the one KeyMap.
var keyToken = regexp.MustCompile(`\{key:([a-z_]+)\}`)

// lessonKeyNames are the keys a lesson text may name.
func lessonKeyNames(k KeyMap) map[string]key.Binding {
	return map[string]key.Binding{
		"auth": k.Actions.Auth, "starttls": k.Actions.StartTLS, "message": k.Actions.Message,
		"demo_logins": k.Actions.DemoCreds, "mailbox": k.Actions.Mailbox, "panel_tab": k.Panel.NextTab,
		"sasl_plain": k.Composer.SASLPlain, "reconnect": k.Actions.Reconnect,
		"hint": k.Lessons.Hint, "next_lesson": k.Lessons.Next, "lessons": k.Lessons.List,
	}
}

// withKeys puts the KeyMap's key names in place of a text's {key:NAME};
// a name it does not know stays as written.
func withKeys(km KeyMap, text string) string {
	if !strings.Contains(text, "{key:") {
		return text
	}
	names := lessonKeyNames(km)
	return keyToken.ReplaceAllStringFunc(text, func(tok string) string {
		if b, ok := names[keyToken.FindStringSubmatch(tok)[1]]; ok {
			return b.Help().Key
		}
		return tok
	})
}

// setupText says how the sandbox runs for a lesson, "" for the default.
func setupText(text learn.Text, s learn.Setup) string {
	if s.Same(learn.Setup{}) {
		return ""
	}
	return describeSetup(text, s)
}

// describeSetup says how the sandbox runs for a setup.
func describeSetup(text learn.Text, s learn.Setup) string {
	out := fmt.Sprintf(text.Sandbox, s.ScenarioName())
	if s.MaxSize > 0 {
		out += " " + fmt.Sprintf(text.SizeLimit, s.MaxSize)
	}
	return out
}
