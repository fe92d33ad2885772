package learn

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// DefaultLanguage is the catalog used when no other fits the user's locale.
const DefaultLanguage = "en"

// catalogDir holds one catalog per language, named LANG.toml.
const catalogDir = "catalog"

//go:embed catalog/*.toml
var catalogs embed.FS

// Track is a loaded lesson catalog: the lessons in order and the words
// the screen puts around them, in one language.
type Track struct {
	Language string    `toml:"language"`
	Name     string    `toml:"name"` // the language's own name, "English"
	Text     Text      `toml:"text"`
	Lessons  []*Lesson `toml:"lessons"`
}

// Text holds the words around the lessons, translated with them. The
// fmt verbs of each are fixed (see textVerbs): a key name is a %s, a
// number a %d.
type Text struct {
	LessonOf    string `toml:"lesson_of"`    // "Lesson %d of %d"
	Goal        string `toml:"goal"`         // "Goal"
	Hint        string `toml:"hint"`         // "Hint %d of %d"
	HintKey     string `toml:"hint_key"`     // "%s shows a hint"
	NextHint    string `toml:"next_hint"`    // "%s: the next hint", once one is shown
	Reached     string `toml:"reached"`      // "Goal reached — what happened"
	NextKey     string `toml:"next_key"`     // "%s: on to the next lesson"
	Finished    string `toml:"finished"`     // after the last lesson
	Sandbox     string `toml:"sandbox"`      // "The sandbox plays the %s scenario"
	SizeLimit   string `toml:"size_limit"`   // "with a SIZE limit of %d octets"
	Switching   string `toml:"switching"`    // "lesson %d needs the %s scenario: restarting the sandbox"
	ReachedNote string `toml:"reached_note"` // "lesson %d: goal reached", in the session pane
	PickerTitle string `toml:"picker_title"` // "Lessons"
	PickerHelp  string `toml:"picker_help"`  // "%s choose · %s opens a lesson · %s closes"
}

// textVerbs are the fmt verbs each Text field must hold, in order.
var textVerbs = map[string]string{
	"lesson_of": "dd", "goal": "", "hint": "dd", "hint_key": "s", "next_hint": "s", "reached": "",
	"next_key": "s", "finished": "", "sandbox": "s", "size_limit": "d", "switching": "sd", "reached_note": "d",
	"picker_title": "", "picker_help": "sss",
}

// fields returns the Text fields by their catalog names.
func (t Text) fields() map[string]string {
	return map[string]string{
		"lesson_of": t.LessonOf, "goal": t.Goal, "hint": t.Hint, "hint_key": t.HintKey, "next_hint": t.NextHint,
		"reached": t.Reached, "next_key": t.NextKey, "finished": t.Finished, "sandbox": t.Sandbox,
		"size_limit": t.SizeLimit, "switching": t.Switching, "reached_note": t.ReachedNote, "picker_title": t.PickerTitle,
		"picker_help": t.PickerHelp,
	}
}

// Lesson is one step of the track.
type Lesson struct {
	ID      string    `toml:"id"`      // stable name, kept in the progress file
	Title   string    `toml:"title"`   //
	Goal    string    `toml:"goal"`    // what to do, in a sentence or two
	Explain string    `toml:"explain"` // the idea, a few lines
	Refs    []string  `toml:"refs"`    // the RFC sections behind it, "RFC 5321 §4.1.1.1"
	Hints   []string  `toml:"hints"`   // revealed one at a time
	Done    string    `toml:"done"`    // what happened, shown when the goal is reached
	Sandbox Setup     `toml:"sandbox"` // how the sandbox must run for it
	Check   Condition `toml:"check"`   // the goal, in conditions on session events

	goal *Goal
}

// Setup is how the sandbox runs for a lesson.
type Setup struct {
	Scenario string `toml:"scenario"` // "" = the default scenario
	MaxSize  int64  `toml:"max_size"` // the SIZE limit in octets; 0 = the sandbox's default
}

// Lesson setup names.
const defaultScenario = "default"

// ScenarioName returns the scenario, "default" when none is named.
func (s Setup) ScenarioName() string {
	if s.Scenario == "" {
		return defaultScenario
	}
	return s.Scenario
}

// Same reports whether two setups run the sandbox alike.
func (s Setup) Same(o Setup) bool {
	return strings.EqualFold(s.ScenarioName(), o.ScenarioName()) && s.MaxSize == o.MaxSize
}

// Compiled returns the lesson's goal, compiled from Check when the
// catalog was loaded.
func (l *Lesson) Compiled() *Goal { return l.goal }

// Languages lists the languages with a catalog, sorted.
func Languages() []string {
	entries, _ := fs.ReadDir(catalogs, catalogDir)
	var out []string
	for _, e := range entries {
		if lang, ok := strings.CutSuffix(e.Name(), ".toml"); ok {
			out = append(out, lang)
		}
	}
	sort.Strings(out)
	return out
}

// Load reads and checks the catalog of lang ("en"). Unknown keys, a goal
// that does not compile, a missing text or a translation whose fmt verbs
// differ are errors that name the lesson and the field.
func Load(lang string) (*Track, error) {
	raw, err := catalogs.ReadFile(path.Join(catalogDir, lang+".toml"))
	if err != nil {
		return nil, fmt.Errorf("no lesson catalog for language %q (have %s)", lang, strings.Join(Languages(), ", "))
	}
	return Parse(raw)
}

// Parse reads a catalog from TOML and checks it.
func Parse(raw []byte) (*Track, error) {
	var t Track
	dec := toml.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		var sm *toml.StrictMissingError
		if errors.As(err, &sm) && len(sm.Errors) > 0 {
			e := sm.Errors[0]
			row, _ := e.Position()
			return nil, fmt.Errorf("lesson catalog, line %d: unknown key %s", row, strings.Join(e.Key(), "."))
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("lesson catalog, line %d column %d: %w", row, col, err)
		}
		return nil, fmt.Errorf("lesson catalog: %w", err)
	}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("lesson catalog %q: %w", t.Language, err)
	}
	return &t, nil
}

// idPattern is what a lesson id may look like: it names the lesson in the
// progress file, so it stays plain.
var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// check validates the track and compiles every goal.
func (t *Track) check() error {
	if t.Language == "" {
		return errors.New("language is missing")
	}
	for name, text := range t.Text.fields() {
		if text == "" {
			return fmt.Errorf("text.%s is missing", name)
		}
		if got, want := fmtVerbs(text), textVerbs[name]; got != want {
			return fmt.Errorf("text.%s = %q: want the verbs %q in this order, found %q", name, text, want, got)
		}
	}
	if len(t.Lessons) == 0 {
		return errors.New("no lessons")
	}
	seen := map[string]bool{}
	for i, l := range t.Lessons {
		where := fmt.Sprintf("lesson %d (%s)", i+1, l.ID)
		switch {
		case !idPattern.MatchString(l.ID):
			return fmt.Errorf("%s: id must be lower-case letters, digits and dashes", where)
		case seen[l.ID]:
			return fmt.Errorf("%s: the id is used twice", where)
		case l.Title == "" || l.Goal == "" || l.Explain == "" || l.Done == "":
			return fmt.Errorf("%s: title, goal, explain and done are all needed", where)
		case len(l.Hints) == 0:
			return fmt.Errorf("%s: at least one hint is needed", where)
		case l.Sandbox.MaxSize < 0:
			return fmt.Errorf("%s: sandbox.max_size must not be negative", where)
		}
		seen[l.ID] = true
		g, err := Compile(l.Check)
		if err != nil {
			return fmt.Errorf("%s: check: %w", where, err)
		}
		l.goal = g
	}
	return nil
}

// fmtVerbs returns the letters of the fmt verbs in s, "%%" left out.
func fmtVerbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s)-1; i++ {
		if s[i] != '%' {
			continue
		}
		i++
		if s[i] != '%' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// Index returns the position of the lesson with id, or -1.
func (t *Track) Index(id string) int {
	for i, l := range t.Lessons {
		if l.ID == id {
			return i
		}
	}
	return -1
}

// LanguageFor picks the catalog for a locale setting ("de_DE.UTF-8",
// "pt-BR", "C"): the language part when a catalog has it, else English.
func LanguageFor(locale string) string {
	lang := strings.ToLower(locale)
	if i := strings.IndexAny(lang, "_-.@"); i >= 0 {
		lang = lang[:i]
	}
	for _, have := range Languages() {
		if have == lang {
			return lang
		}
	}
	return DefaultLanguage
}

// LocaleFromEnv returns the locale that decides the language of messages
// (POSIX: LC_ALL, then LC_MESSAGES, then LANG), read with getenv.
func LocaleFromEnv(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return v
		}
	}
	return ""
}
