package themes

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// styleFields calls fn for every lipgloss.Style field of st, by name.
func styleFields(st *Styles, fn func(name string, s lipgloss.Style)) {
	v := reflect.ValueOf(st).Elem()
	styleType := reflect.TypeOf(lipgloss.Style{})
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if f.Type == styleType {
			fn(f.Name, v.Field(i).Interface().(lipgloss.Style))
		}
	}
}

func colourThemes() []*Styles { return []*Styles{Dark(), Light(), HighContrast()} }

func TestEveryColourThemeStylesEveryRole(t *testing.T) {
	const sample = "x"
	plain := lipgloss.NewStyle().Render(sample)
	for _, st := range colourThemes() {
		n := 0
		styleFields(st, func(name string, s lipgloss.Style) {
			n++
			out := s.Render(sample)
			if out == plain {
				t.Errorf("%s: role %s renders like an unstyled string", st.Name, name)
			}
			if !hasColour(out) {
				t.Errorf("%s: role %s has no colour: %q", st.Name, name, out)
			}
		})
		if n < 50 {
			t.Errorf("%s: only %d style roles found; the reflection walk is broken", st.Name, n)
		}
	}
}

func TestEveryPaletteColourIsSet(t *testing.T) {
	for _, st := range colourThemes() {
		v := reflect.ValueOf(st.Palette)
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).IsNil() {
				t.Errorf("%s: palette colour %s is not set", st.Name, v.Type().Field(i).Name)
			}
		}
	}
}

func TestNoColorEmitsNoColour(t *testing.T) {
	st := NoColor()
	if !st.NoColor {
		t.Fatal("NoColor().NoColor = false")
	}
	styleFields(st, func(name string, s lipgloss.Style) {
		if out := s.Render("text"); hasColour(out) {
			t.Errorf("role %s emits colour: %q", name, out)
		}
	})
	// A few roles carry meaning that must survive without colour.
	plain := lipgloss.NewStyle().Render("x")
	for name, s := range map[string]lipgloss.Style{
		"Selected":           st.Selected,
		"CompletionSelected": st.CompletionSelected,
		"TabActive":          st.TabActive,
		"ButtonFocused":      st.ButtonFocused,
		"ClassPermanent":     st.ClassPermanent,
		"Insecure":           st.Insecure,
	} {
		if s.Render("x") == plain {
			t.Errorf("no-color role %s is indistinguishable from plain text", name)
		}
	}
	if st.PaneBorder.Render("x") == st.PaneBorderFocused.Render("x") {
		t.Error("no-color: the focused pane border looks like the unfocused one")
	}
}

func TestFocusDoesNotChangeFrameSize(t *testing.T) {
	for _, st := range append(colourThemes(), NoColor()) {
		w1, h1 := st.PaneBorder.GetFrameSize()
		w2, h2 := st.PaneBorderFocused.GetFrameSize()
		if w1 != w2 || h1 != h2 {
			t.Errorf("%s: pane frame %dx%d, focused %dx%d; focus would move the layout", st.Name, w1, h1, w2, h2)
		}
		if w1 != 2 || h1 != 2 {
			t.Errorf("%s: pane frame is %dx%d, want a one-cell border (2x2)", st.Name, w1, h1)
		}
	}
}

func TestByName(t *testing.T) {
	for _, name := range Names() {
		st, err := ByName(name)
		if err != nil {
			t.Fatalf("ByName(%q): %v", name, err)
		}
		if st.Name != name {
			t.Errorf("ByName(%q).Name = %q", name, st.Name)
		}
	}
	for in, want := range map[string]string{"DARK": NameDark, " Light ": NameLight, "nocolor": NameNoColor, "highcontrast": NameHighContrast} {
		st, err := ByName(in)
		if err != nil || st.Name != want {
			t.Errorf("ByName(%q) = %v, %v; want %s", in, st, err, want)
		}
	}
}

func TestByNameErrorListsTheNames(t *testing.T) {
	_, err := ByName("solarized")
	if err == nil {
		t.Fatal("ByName(solarized) succeeded")
	}
	msg := err.Error()
	if !strings.Contains(msg, `"solarized"`) {
		t.Errorf("error does not repeat the bad name: %s", msg)
	}
	for _, n := range Names() {
		if !strings.Contains(msg, n) {
			t.Errorf("error does not list %q: %s", n, msg)
		}
	}
}

func TestChoose(t *testing.T) {
	tests := []struct {
		flag    string
		noColor bool
		dark    bool
		want    string
	}{
		{"", false, true, NameDark},
		{"", false, false, NameLight},
		{"", true, true, NameNoColor},
		{"auto", true, false, NameNoColor},
		{"AUTO", false, false, NameLight},
		{"light", true, true, NameLight}, // --theme wins over NO_COLOR
		{"high-contrast", false, false, NameHighContrast},
	}
	for _, tc := range tests {
		st, err := Choose(tc.flag, tc.noColor, tc.dark)
		if err != nil {
			t.Errorf("Choose(%q, %v, %v): %v", tc.flag, tc.noColor, tc.dark, err)
			continue
		}
		if st.Name != tc.want {
			t.Errorf("Choose(%q, %v, %v) = %s, want %s", tc.flag, tc.noColor, tc.dark, st.Name, tc.want)
		}
	}
	if _, err := Choose("purple", false, true); err == nil {
		t.Error("Choose with an unknown --theme succeeded")
	}
}

func TestReplyClass(t *testing.T) {
	st := Dark()
	for code, want := range map[int]lipgloss.Style{
		250: st.ClassSuccess, 334: st.ClassIntermediate, 421: st.ClassTransient, 535: st.ClassPermanent, 0: st.Muted,
	} {
		if got := st.ReplyClass(code).Render("x"); got != want.Render("x") {
			t.Errorf("ReplyClass(%d) = %q, want %q", code, got, want.Render("x"))
		}
	}
	if st.ServerReply(550).Render("x") != st.ServerError.Render("x") ||
		st.ServerReply(250).Render("x") != st.ServerLine.Render("x") {
		t.Error("ServerReply does not separate failures from other replies")
	}
}

var sgr = regexp.MustCompile("\x1b\\[([0-9;:]*)m")

// hasColour reports whether s contains an SGR sequence that sets a
// foreground, background or underline colour.
func hasColour(s string) bool {
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, err := strconv.Atoi(p)
			if err != nil {
				continue
			}
			switch {
			case n == 38 || n == 48 || n == 58,
				n >= 30 && n <= 37, n >= 40 && n <= 47,
				n >= 90 && n <= 97, n >= 100 && n <= 107:
				return true
			}
		}
	}
	return false
}

func TestWidgetStylesFollowTheTheme(t *testing.T) {
	nc := NoColor()
	ti := nc.TextInput()
	ta := nc.TextArea()
	hp := nc.Help()
	for name, s := range map[string]lipgloss.Style{
		"textinput focused text": ti.Focused.Text, "textinput prompt": ti.Focused.Prompt,
		"textarea text": ta.Focused.Text, "textarea line number": ta.Focused.LineNumber,
		"help key": hp.FullKey, "help desc": hp.FullDesc,
	} {
		if out := s.Render("x"); hasColour(out) {
			t.Errorf("no-color %s emits colour: %q", name, out)
		}
	}
	if ti.Cursor.Color != nil || ta.Cursor.Color != nil {
		t.Error("no-color cursor has a colour")
	}
	d := Dark()
	if got := d.TextInput().Focused.Prompt.Render("x"); got != d.Prompt.Render("x") {
		t.Errorf("dark text input prompt = %q, want the theme's prompt", got)
	}
	if d.TextArea().Cursor.Color != d.Palette.Accent {
		t.Error("dark text area cursor is not the accent colour")
	}
}
