package ui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/learn"
	"github.com/smtpscope/smtpscope/session"
)

// Lessons lets the user take the lesson track (smtpscope learn) on the
// sandbox: a lesson pane beside the session, fed by the session's events.
type Lessons struct {
	Course *learn.Course
	// Open shows the lesson pane from the start.
	Open bool
	// Running is how the sandbox runs at start.
	Running learn.Setup
	// Save keeps the course's progress between runs. It runs in a
	// command, never in Update; nil keeps nothing.
	Save func(learn.Progress) error
	// Prepare readies the sandbox for a lesson's setup, to take effect at
	// the next connection, and returns the demo credential lines of that
	// setup. It runs in a command; nil: the sandbox cannot change.
	Prepare func(learn.Setup) ([]string, error)
}

// lessons is the root's part of the lesson track.
type lessons struct {
	opts    *Lessons
	pane    *lessonPane
	shown   bool
	active  bool        // shown once in this run: the course follows the session
	running learn.Setup // how the sandbox runs, or will at the next connection
}

// lessonSetupMsg reports that the sandbox is ready for a lesson's setup.
type lessonSetupMsg struct {
	setup  learn.Setup
	lesson int
	creds  []string
	err    error
}

// lessonSavedMsg reports a failed save of the progress.
type lessonSavedMsg struct{ err error }

// newLessons prepares the lesson track, or returns nil without one.
func newLessons(ctx *Context, opts *Lessons) *lessons {
	if opts == nil || opts.Course == nil {
		return nil
	}
	return &lessons{opts: opts, pane: newLessonPane(ctx, opts.Course), running: opts.Running, shown: opts.Open, active: opts.Open}
}

// lessonsShown reports whether the lesson pane takes part in the layout.
func (m *Model) lessonsShown() bool { return m.lessons != nil && m.lessons.shown }

// startLessons sets the sandbox up for the lesson shown at start, when it
// runs otherwise.
func (m *Model) startLessons() tea.Cmd {
	if m.lessons == nil || !m.lessons.active {
		return nil
	}
	return m.setupForLesson(false)
}

// showLessons shows or hides the lesson pane. Shown for the first time,
// the course starts following the session, and the sandbox is set up for
// the lesson when it runs otherwise.
func (m *Model) showLessons(show bool) tea.Cmd {
	ls := m.lessons
	ls.shown = show
	if !show && m.focus == focusLessons {
		m.setFocus(focusComposer)
	}
	m.relayout()
	if !show || ls.active {
		return nil
	}
	ls.active = true
	return m.setupForLesson(false)
}

// setupForLesson makes the sandbox run as the lesson needs; reconnect
// asks for a fresh connection even when it already does.
func (m *Model) setupForLesson(reconnect bool) tea.Cmd {
	ls := m.lessons
	c := ls.opts.Course
	want := c.Lesson().Sandbox
	if want.Same(ls.running) || ls.opts.Prepare == nil {
		if reconnect {
			m.reconnect()
		}
		return nil
	}
	m.note(session.KindInfo, c.Track().Text.Switching, describeSetup(c.Track().Text, want), c.Index()+1)
	prepare, lesson := ls.opts.Prepare, c.Index()
	return func() tea.Msg {
		creds, err := prepare(want)
		return lessonSetupMsg{setup: want, lesson: lesson, creds: creds, err: err}
	}
}

// goLesson starts lesson i on a fresh connection and saves the progress.
func (m *Model) goLesson(i int) tea.Cmd {
	ls := m.lessons
	c := ls.opts.Course
	if !c.Go(i) {
		return nil
	}
	ls.active = true
	if !ls.shown {
		ls.shown = true
		m.relayout()
	}
	ls.pane.Changed(true)
	m.note(session.KindInfo, "%s · %s", fmt.Sprintf(c.Track().Text.LessonOf, i+1, c.Len()), c.Lesson().Title)
	return tea.Batch(m.saveLessons(), m.setupForLesson(true))
}

// saveLessons saves the course's progress in a command.
func (m *Model) saveLessons() tea.Cmd {
	save := m.lessons.opts.Save
	if save == nil {
		return nil
	}
	p := m.lessons.opts.Course.Progress()
	return func() tea.Msg {
		if err := save(p); err != nil {
			return lessonSavedMsg{err: err}
		}
		return nil
	}
}

// observeLesson feeds one session event to the course. When the event
// reaches the goal, the pane shows what happened and progress is saved.
func (m *Model) observeLesson(e *session.Event) tea.Cmd {
	ls := m.lessons
	if ls == nil || !ls.active {
		return nil
	}
	reached := ls.opts.Course.Observe(*e)
	switch e.Kind {
	case session.KindReply, session.KindTLS, session.KindState:
		ls.pane.Changed(reached)
	}
	if !reached {
		return nil
	}
	c := ls.opts.Course
	m.note(session.KindInfo, "%s %s", stepDone, fmt.Sprintf(c.Track().Text.ReachedNote, c.Index()+1))
	return m.saveLessons()
}

// handleLessonMsg takes the results of the lesson commands and the pick
// of the lessons dialog.
func (m *Model) handleLessonMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case LessonPickMsg:
		m.dialog = nil
		if m.lessons == nil {
			return nil, true
		}
		return m.goLesson(msg.Index), true
	case lessonSetupMsg:
		if msg.err != nil {
			m.note(session.KindError, "cannot set up the sandbox for lesson %d: %v", msg.lesson+1, msg.err)
			return nil, true
		}
		m.lessons.running = msg.setup
		m.opts.DemoCredentials = msg.creds
		m.reconnect()
	case lessonSavedMsg:
		m.note(session.KindWarning, "lesson progress not saved: %v", msg.err)
	default:
		return nil, false
	}
	return nil, true
}

// handleLessonKey runs the lesson keys that work anywhere.
func (m *Model) handleLessonKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.ctx.Keys.Lessons
	if !key.Matches(msg, k.Toggle, k.Hint, k.Next, k.Prev, k.List) {
		return nil, false
	}
	ls := m.lessons
	if ls == nil {
		m.composer.notice = "lessons run on the built-in sandbox: smtpscope learn"
		return nil, true
	}
	c := ls.opts.Course
	switch {
	case key.Matches(msg, k.Toggle):
		return m.showLessons(!ls.shown), true
	case !ls.shown:
		// The other lesson keys need the pane: they show it first.
		cmd := m.showLessons(true)
		if !key.Matches(msg, k.Hint) {
			return cmd, true
		}
		c.ShowHint()
		ls.pane.Changed(false)
		ls.pane.RevealHint()
		return cmd, true
	case key.Matches(msg, k.Hint):
		c.ShowHint()
		ls.pane.Changed(false)
		ls.pane.RevealHint()
	case key.Matches(msg, k.Next):
		return m.goLesson(c.Index() + 1), true
	case key.Matches(msg, k.Prev):
		return m.goLesson(c.Index() - 1), true
	case key.Matches(msg, k.List) && !m.dataMode:
		m.openDialog(newLessonsDialog(m.ctx, c))
	default:
		return nil, false
	}
	return nil, true
}

// handleLessonPaneKey scrolls the focused lesson pane and opens the list
// of lessons; typing goes back to the composer.
func (m *Model) handleLessonPaneKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.ctx.Keys.Lessons
	switch {
	case key.Matches(msg, k.LineUp):
		m.lessons.pane.ScrollBy(-1)
	case key.Matches(msg, k.LineDown):
		m.lessons.pane.ScrollBy(1)
	case key.Matches(msg, k.Pick):
		m.openDialog(newLessonsDialog(m.ctx, m.lessons.opts.Course))
	case key.Matches(msg, m.ctx.Keys.Global.Back):
		m.setFocus(focusComposer)
	case msg.Text != "":
		m.setFocus(focusComposer)
		return m.composer.Update(msg)
	}
	return nil
}
