package ui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/learn"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// lessonHooks records what the lesson commands were asked to do; they run
// only when a test runs the commands, as the program would, never inside
// Update.
type lessonHooks struct {
	mu       sync.Mutex
	saved    []learn.Progress
	prepared []learn.Setup
	saveErr  error
}

func (h *lessonHooks) save(p learn.Progress) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.saved = append(h.saved, p)
	return h.saveErr
}

func (h *lessonHooks) prepare(s learn.Setup) ([]string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.prepared = append(h.prepared, s)
	return []string{"demo logins of " + s.ScenarioName()}, nil
}

func (h *lessonHooks) lastSaved() learn.Progress {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.saved) == 0 {
		return learn.Progress{}
	}
	return h.saved[len(h.saved)-1]
}

// newLessonModel is a test model on the sandbox taking the English track
// at lesson id, the pane shown when open.
func newLessonModel(t testing.TB, w, h int, id string, open bool) (*Model, *fakeEngine, *lessonHooks) {
	t.Helper()
	tr, err := learn.Load(learn.DefaultLanguage)
	if err != nil {
		t.Fatal(err)
	}
	hooks := &lessonHooks{}
	course := learn.NewCourse(tr, learn.Progress{Current: id})
	eng := &fakeEngine{}
	m := New(Options{
		Engine: eng, Styles: themes.NoColor(), ThemeFixed: true,
		Address: "127.0.0.1:2525", Host: "sandbox.test", Sandbox: true,
		DemoCredentials: []string{"demo credentials: username demo · password demo-password"},
		Now:             fixedNow, Location: time.UTC,
		Lessons: &Lessons{Course: course, Open: open, Running: course.Lesson().Sandbox,
			Save: hooks.save, Prepare: hooks.prepare},
	})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m, eng, hooks
}

// intents are the engine calls that act on the session, without the
// notes the UI hands over for the transcript.
func intents(eng *fakeEngine) []string {
	var out []string
	for _, c := range eng.Calls() {
		if !strings.HasPrefix(c, "note ") {
			out = append(out, c)
		}
	}
	return out
}

// runCmd executes cmd and feeds what it returns back to the model, as the
// program does.
func runCmd(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			runCmd(m, c)
		}
		return
	}
	if msg != nil {
		_, next := m.Update(msg)
		runCmd(m, next)
	}
}

// pressRun presses a key and runs the commands it starts.
func pressRun(m *Model, k string) {
	_, cmd := m.Update(keyPress(k))
	runCmd(m, cmd)
}

// feedRun injects events and runs the commands they start.
func feedRun(m *Model, s *script) {
	_, cmd := m.Update(EventsMsg(s.events))
	s.events = nil
	runCmd(m, cmd)
}

// firstMessage is lesson 3 typed by hand, up to the message's 250.
func firstMessage(s *script) *script {
	inTransaction(s)
	s.client("DATA", "DATA")
	s.reply("DATA", time.Millisecond, "354 Start mail input; end with <CRLF>.<CRLF>", protocol.StateData)
	s.add(session.Event{Kind: session.KindClient, Text: "Subject: hello", Command: "DATA"})
	s.add(session.Event{Kind: session.KindClient, Text: ".", Command: protocol.EndOfDataVerb})
	return s.reply(protocol.EndOfDataVerb, 3*time.Millisecond, "250 2.0.0 Message accepted for delivery", protocol.StateReady)
}

func TestLessonPaneGoldens(t *testing.T) {
	screens := []goldenScreen{
		{"lesson_steps", func(m *Model) {
			feed(m, inTransaction(afterEHLO()))
			press(m, "alt+h")
		}},
		{"lesson_reached", func(m *Model) {
			s := firstMessage(afterEHLO())
			s.client("QUIT", "QUIT")
			s.reply("QUIT", time.Millisecond, "221 2.0.0 Bye", protocol.StateClosed)
			feed(m, s)
		}},
	}
	for _, sc := range screens {
		for _, size := range goldenSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				m, _, _ := newLessonModel(t, size[0], size[1], "first-message", true)
				sc.setup(m)
				checkScreenGolden(t, sc.name, m)
			})
		}
	}
}

func TestLessonGoalReachedFromSessionEvents(t *testing.T) {
	m, _, hooks := newLessonModel(t, 120, 40, "first-message", true)
	s := firstMessage(afterEHLO())
	feedRun(m, s)
	if m.lessons.opts.Course.Reached() {
		t.Fatal("reached before QUIT")
	}
	s.client("QUIT", "QUIT")
	s.reply("QUIT", time.Millisecond, "221 2.0.0 Bye", protocol.StateClosed)
	feedRun(m, s)
	frame := plain(m)
	if !m.lessons.opts.Course.Reached() || !strings.Contains(frame, "Goal reached") {
		t.Fatalf("goal not shown as reached:\n%s", frame)
	}
	if !strings.Contains(frame, "lesson 3: goal reached") {
		t.Errorf("no note in the session pane:\n%s", frame)
	}
	if p := hooks.lastSaved(); len(p.Completed) != 1 || p.Completed[0] != "first-message" {
		t.Errorf("saved %+v, want the lesson completed", p)
	}
}

// A command typed right but refused by the server does not pass, and
// nothing is saved.
func TestRefusedCommandDoesNotPass(t *testing.T) {
	m, _, hooks := newLessonModel(t, 120, 40, "auth-plain", true)
	s := withTLS(afterEHLO())
	s.client("AUTH PLAIN ●●●●●●●● (username and password, redacted)", "AUTH")
	s.reply("AUTH", time.Millisecond, "535 5.7.8 Authentication credentials invalid", protocol.StateReady)
	feedRun(m, s)
	if m.lessons.opts.Course.Reached() || strings.Contains(plain(m), "Goal reached") {
		t.Errorf("a 535 passed the AUTH PLAIN lesson:\n%s", plain(m))
	}
	if len(hooks.saved) != 0 {
		t.Errorf("progress saved %d times without a goal reached", len(hooks.saved))
	}
}

func TestLessonKeys(t *testing.T) {
	m, eng, hooks := newLessonModel(t, 120, 40, "greeting", true)
	if m.lay.lesson.h == 0 || m.lay.panel.h == 0 {
		t.Fatalf("120x40: lesson %+v and panel %+v should share the side column", m.lay.lesson, m.lay.panel)
	}
	pressRun(m, "alt+h")
	if got := len(m.lessons.opts.Course.Hints()); got != 1 || !strings.Contains(plain(m), "Hint 1 of") {
		t.Errorf("alt+h: %d hints shown\n%s", got, plain(m))
	}
	// Next lesson: same sandbox, a fresh connection, progress saved.
	pressRun(m, "alt+.")
	if c := m.lessons.opts.Course; c.Index() != 1 || len(c.Hints()) != 0 {
		t.Errorf("alt+.: at lesson %d with %d hints", c.Index()+1, len(c.Hints()))
	}
	if calls := intents(eng); len(calls) == 0 || calls[len(calls)-1] != "reconnect" {
		t.Errorf("moving on: engine calls %v, want a reconnect", calls)
	}
	if p := hooks.lastSaved(); p.Current != "capabilities" {
		t.Errorf("saved %+v, want the current lesson", p)
	}
	// A lesson that needs another scenario readies the sandbox first,
	// then reconnects, and the demo logins follow the scenario.
	_, cmd := m.Update(LessonPickMsg{Index: m.lessons.opts.Course.Track().Index("provider-fix")})
	if len(hooks.prepared) != 0 {
		t.Fatal("Prepare ran inside Update")
	}
	before := len(intents(eng))
	runCmd(m, cmd)
	if len(hooks.prepared) != 1 || hooks.prepared[0].ScenarioName() != "gmail" {
		t.Errorf("prepared %+v, want gmail", hooks.prepared)
	}
	if calls := intents(eng)[before:]; len(calls) != 1 || calls[0] != "reconnect" {
		t.Errorf("after the sandbox was readied: %v, want one reconnect", calls)
	}
	if len(m.opts.DemoCredentials) != 1 || !strings.Contains(m.opts.DemoCredentials[0], "gmail") {
		t.Errorf("demo logins %v, want the gmail scenario's", m.opts.DemoCredentials)
	}
	if !strings.Contains(paneText(m), "The sandbox plays the gmail scenario: restarting it for lesson 10") {
		t.Errorf("the switch is not said:\n%s", plain(m))
	}
	// Previous at the first lesson, next at the last: nothing happens.
	runCmd(m, func() tea.Msg { return LessonPickMsg{Index: 0} })
	n := len(intents(eng))
	pressRun(m, "alt+,")
	if m.lessons.opts.Course.Index() != 0 || len(intents(eng)) != n {
		t.Errorf("alt+, on the first lesson moved or reconnected")
	}
	// ctrl+l hides the pane and gives the column back to the panel.
	pressRun(m, "ctrl+l")
	if m.lay.lesson.h != 0 || m.lay.panel.h == 0 || strings.Contains(plain(m), "Greet the server both ways") {
		t.Errorf("ctrl+l did not hide the lessons: %+v", m.lay.lesson)
	}
}

func TestLessonsDialogPicksAnyLesson(t *testing.T) {
	m, _, _ := newLessonModel(t, 120, 40, "greeting", true)
	pressRun(m, "alt+l")
	if m.dialog == nil || !strings.Contains(plain(m), "Lessons") {
		t.Fatalf("alt+l opened no list:\n%s", plain(m))
	}
	pressRun(m, "down")
	pressRun(m, "down")
	pressRun(m, "enter")
	if m.dialog != nil || m.lessons.opts.Course.Index() != 2 {
		t.Errorf("picked lesson %d (dialog open %v), want 3", m.lessons.opts.Course.Index()+1, m.dialog != nil)
	}
	pressRun(m, "alt+l")
	pressRun(m, "esc")
	if m.dialog != nil || m.lessons.opts.Course.Index() != 2 {
		t.Error("esc changed the lesson or left the list open")
	}
}

// The focus visits the lesson pane; there ↑↓ scroll, enter lists the
// lessons and typing goes back to the composer.
func TestLessonPaneFocus(t *testing.T) {
	m, _, _ := newLessonModel(t, 80, 24, "reply-codes", true)
	if m.lay.lesson.h == 0 || m.lay.panel.h != 0 {
		t.Fatalf("80x24: lesson %+v should take the stacked panel's place %+v", m.lay.lesson, m.lay.panel)
	}
	press(m, "shift+tab", "shift+tab")
	if m.focus != focusLessons {
		t.Fatalf("focus %d, want the lesson pane", m.focus)
	}
	top := plain(m)
	press(m, "down", "down")
	if plain(m) == top || m.lessons.pane.offset != 2 {
		t.Errorf("↓ did not scroll the lesson (offset %d)", m.lessons.pane.offset)
	}
	pressRun(m, "enter")
	if m.dialog == nil {
		t.Error("enter in the lesson pane: no list")
	}
	pressRun(m, "esc")
	typeText(m, "E")
	if m.focus != focusComposer || m.composer.Value() != "E" {
		t.Errorf("typing in the lesson pane: focus %d, composer %q", m.focus, m.composer.Value())
	}
	press(m, "shift+tab", "shift+tab", "shift+tab")
	if m.focus != focusComposer {
		t.Errorf("with no panel shown the cycle skips it: focus %d", m.focus)
	}
}

// On a plain sandbox session the lessons wait for their key: nothing is
// followed or saved before, and the key readies the sandbox when the
// lesson needs another one.
func TestLessonsOpenFromASandboxSession(t *testing.T) {
	m, eng, hooks := newLessonModel(t, 120, 40, "greeting", false)
	m.lessons.running = learn.Setup{Scenario: "greylist"} // started with --scenario greylist
	feedRun(m, afterEHLO())
	if m.lay.lesson.h != 0 || len(hooks.saved) != 0 {
		t.Fatal("lessons shown or saved before their key")
	}
	before := len(intents(eng))
	pressRun(m, "ctrl+l")
	if m.lay.lesson.h == 0 || !strings.Contains(plain(m), "Lesson 1 of") {
		t.Fatalf("ctrl+l did not show the lessons:\n%s", plain(m))
	}
	if len(hooks.prepared) != 1 || hooks.prepared[0].ScenarioName() != "default" {
		t.Errorf("prepared %+v, want the default sandbox for lesson 1", hooks.prepared)
	}
	if calls := intents(eng)[before:]; len(calls) != 1 || calls[0] != "reconnect" {
		t.Errorf("engine calls %v, want one reconnect", calls)
	}
}

func TestLessonsKeyOffTheSandbox(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	pressRun(m, "ctrl+l")
	if !strings.Contains(plain(m), "smtpscope learn") || m.lay.lesson.h != 0 {
		t.Errorf("ctrl+l without lessons:\n%s", plain(m))
	}
}

func TestLessonProgressNotSavedIsSaid(t *testing.T) {
	m, _, hooks := newLessonModel(t, 120, 40, "greeting", true)
	hooks.saveErr = fmt.Errorf("disk full")
	pressRun(m, "alt+.")
	if !strings.Contains(plain(m), "lesson progress not saved: disk full") {
		t.Errorf("a failed save is not said:\n%s", plain(m))
	}
}

// Every frame of the lesson screens fills the terminal exactly, at every
// size, the lesson shown or not.
func TestLessonFramesFitEverySize(t *testing.T) {
	m, _, _ := newLessonModel(t, 120, 40, "message-format", true)
	feed(m, withTLS(afterEHLO()))
	press(m, "alt+h", "alt+h")
	for _, size := range [][2]int{{80, 24}, {150, 50}, {61, 17}, {99, 30}, {100, 30}, {60, 16}, {120, 40}} {
		m.Update(teaSize(size[0], size[1]))
		checkFrameSize(t, plain(m), size[0], size[1])
	}
}

// Lesson 7 typed in the composer against a real session and sandbox: the
// answers to the 334s go out through the composer's SASL path, which the
// course counts as by hand; the AUTH dialog's exchange would not count.
func TestLessonTypedOnTheSandbox(t *testing.T) {
	l := startLive(t)
	tr, err := learn.Load(learn.DefaultLanguage)
	if err != nil {
		t.Fatal(err)
	}
	course := learn.NewCourse(tr, learn.Progress{Current: "auth-login"})
	l.m.lessons = newLessons(l.m.ctx, &Lessons{Course: course, Open: true})
	l.m.relayout()
	l.pump(t, "the banner", func(m *Model) bool { return m.greeting != "" })
	typeText(l.m, "EHLO client.example")
	press(l.m, "enter")
	l.pump(t, "EHLO", func(m *Model) bool { return m.snap.Extended })
	typeText(l.m, "STARTTLS")
	press(l.m, "enter")
	l.pump(t, "TLS and the second EHLO", func(m *Model) bool { return m.tls != nil && len(m.snap.Caps.AuthMechanisms()) > 0 })
	typeText(l.m, "AUTH LOGIN")
	press(l.m, "enter")
	l.pump(t, "the username prompt", func(m *Model) bool { return m.composer.AnsweringSASL() })
	press(l.m, "ctrl+b") // the plain-text helper: smtpscope encodes it
	typeText(l.m, "demo")
	press(l.m, "enter")
	l.pump(t, "the password prompt", func(m *Model) bool {
		return m.composer.AnsweringSASL() && strings.Contains(paneText(m), "UGFzc3dvcmQ6")
	})
	typeText(l.m, "ZGVtby1wYXNzd29yZA==")
	press(l.m, "enter")
	l.pump(t, "the goal", func(m *Model) bool { return course.Reached() || m.auth == authFailed })
	if !course.Reached() || !strings.Contains(plain(l.m), "Goal reached") {
		t.Fatalf("lesson 7 not reached:\n%s", plain(l.m))
	}
}

// lessonTexts returns every text of a track the screen shows.
func lessonTexts(tr *learn.Track) []string {
	var out []string
	var labels func(c learn.Condition)
	labels = func(c learn.Condition) {
		out = append(out, c.Label)
		for _, list := range [][]learn.Condition{c.All, c.InOrder, c.Any} {
			for _, k := range list {
				labels(k)
			}
		}
	}
	t := tr.Text
	out = append(out, t.LessonOf, t.Goal, t.Hint, t.HintKey, t.NextHint, t.Reached, t.NextKey, t.Finished,
		t.Sandbox, t.SizeLimit, t.Switching, t.ReachedNote, t.PickerTitle, t.PickerHelp)
	for _, l := range tr.Lessons {
		out = append(out, l.Title, l.Goal, l.Explain, l.Done)
		out = append(out, l.Hints...)
		out = append(out, l.Refs...)
		labels(l.Check)
	}
	return out
}

// Lesson texts name keys only through {key:NAME}, and every name is one
// the KeyMap has: the lessons follow the one key map.
func TestLessonTextsNameKeysFromTheKeyMap(t *testing.T) {
	km := DefaultKeyMap()
	names := lessonKeyNames(km)
	for _, lang := range learn.Languages() {
		tr, err := learn.Load(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range lessonTexts(tr) {
			for _, m := range keyToken.FindAllStringSubmatch(text, -1) {
				if _, ok := names[m[1]]; !ok {
					t.Errorf("%s: {key:%s} is not a key lesson texts may name: %q", lang, m[1], text)
				}
			}
			if plain := keyToken.ReplaceAllString(text, ""); strings.Contains(plain, "ctrl+") || strings.Contains(plain, "alt+") {
				t.Errorf("%s: a key written out (use {key:NAME}): %q", lang, text)
			}
		}
	}
	if got := withKeys(km, "press {key:auth}, then {key:nope}"); got != "press "+km.Actions.Auth.Help().Key+", then {key:nope}" {
		t.Errorf("withKeys = %q", got)
	}
}

// BenchmarkLessonPaneDraw measures a lesson pane drawn afresh (wrapped
// again, as after every reply while a lesson runs).
func BenchmarkLessonPaneDraw(b *testing.B) {
	m, _, _ := newLessonModel(b, 120, 40, "message-format", true)
	feed(m, inTransaction(afterEHLO()))
	press(m, "alt+h", "alt+h")
	for b.Loop() {
		m.lessons.pane.Changed(false)
		m.lessons.pane.Render()
	}
}

// BenchmarkLessonFrame measures a whole frame with the lesson pane shown
// and nothing changed since the last one.
func BenchmarkLessonFrame(b *testing.B) {
	m, _, _ := newLessonModel(b, 120, 40, "message-format", true)
	feed(m, inTransaction(afterEHLO()))
	for b.Loop() {
		m.View()
	}
}

// TestHintShownWhole asks for every hint of every lesson, at sizes where
// the pane scrolls, and wants each new hint on screen whole: its title
// and the last line of its text.
func TestHintShownWhole(t *testing.T) {
	tr, err := learn.Load(learn.DefaultLanguage)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{120, 40}, {100, 30}, {80, 24}} {
		for _, l := range tr.Lessons {
			m, _, _ := newLessonModel(t, size[0], size[1], l.ID, true)
			p := m.lessons.pane
			for n := 1; n <= len(l.Hints); n++ {
				pressRun(m, "alt+h")
				lines := p.content()
				if p.lastHintEnd-p.lastHint > p.pageHeight() {
					continue // taller than the pane: its start is what counts
				}
				view := ansi.Strip(p.Render())
				title := fmt.Sprintf(tr.Text.Hint, n, len(l.Hints))
				last := strings.TrimSpace(ansi.Strip(lines[p.lastHintEnd-1]))
				if !strings.Contains(view, title) || !strings.Contains(view, last) {
					t.Errorf("%dx%d lesson %s hint %d: not all on screen (want %q and %q)\n%s", size[0], size[1], l.ID, n, title, last, view)
				}
			}
		}
	}
}

// TestLessonMarksCarryNoHeaderBackground: the ✓ and › of the steps and of
// the lessons list are drawn on the pane's background, not in the header
// bar's colours (they once borrowed its status styles).
func TestLessonMarksCarryNoHeaderBackground(t *testing.T) {
	for _, st := range []*themes.Styles{themes.Dark(), themes.Light()} {
		m, _, _ := newLessonModel(t, 120, 40, "first-message", true)
		m.ctx.SetStyles(st)
		m.restyle()
		s := firstMessage(afterEHLO())
		feed(m, s)
		r, g, b, _ := st.Palette.HeaderBg.RGBA()
		headerBg := fmt.Sprintf("48;2;%d;%d;%d", r>>8, g>>8, b>>8)
		pane := m.lessons.pane.Render()
		if !strings.Contains(ansi.Strip(pane), stepDone) {
			t.Fatalf("%s: no step is marked done:\n%s", st.Name, ansi.Strip(pane))
		}
		if strings.Contains(pane, headerBg) {
			t.Errorf("%s: the lesson pane draws with the header's background", st.Name)
		}
		press(m, "alt+l")
		if view := m.dialog.View(); strings.Contains(view, headerBg) {
			t.Errorf("%s: the lessons list draws with the header's background", st.Name)
		}
	}
}

// TestLessonTitleWrapsAndHintKeyFollowsTheHints: a title too long for the
// pane's title bar is shown whole, wrapped, not cut with "…"; the hint key
// is offered as "the next hint" once one is shown, and not at all when
// none is left.
func TestLessonTitleWrapsAndHintKeyFollowsTheHints(t *testing.T) {
	m, _, _ := newLessonModel(t, 120, 40, "greeting", true)
	title := m.lessons.pane.course.Lesson().Title
	pane := strings.Join(strings.Fields(ansi.Strip(m.lessons.pane.Render())), " ")
	if strings.Contains(pane, "…") || !strings.Contains(pane, strings.Join(strings.Fields(title), " ")) {
		t.Errorf("the title %q is not shown whole:\n%s", title, ansi.Strip(m.lessons.pane.Render()))
	}
	hintKey := m.ctx.Keys.Lessons.Hint.Help().Key
	n := len(m.lessons.pane.course.Lesson().Hints)
	for i := 0; i <= n; i++ {
		got := ansi.Strip(strings.Join(m.lessons.pane.content(), "\n"))
		switch {
		case i == 0 && !strings.Contains(got, hintKey+" shows a hint"):
			t.Errorf("no hint shown: the pane does not offer one:\n%s", got)
		case i > 0 && i < n && !strings.Contains(got, hintKey+": the next hint"):
			t.Errorf("%d of %d hints shown: the pane does not offer the next:\n%s", i, n, got)
		case i == n && strings.Contains(got, hintKey):
			t.Errorf("every hint shown: the pane still offers %s:\n%s", hintKey, got)
		}
		press(m, "alt+h")
	}
	press(m, "alt+l")
	if view := ansi.Strip(m.dialog.View()); !strings.Contains(view, "↑↓") {
		t.Errorf("the lessons list does not say how to move:\n%s", view)
	}
}
