package learn

import (
	"strings"
	"testing"
)

// Every catalog loads, and a translation keeps the English track's
// lessons, setups and checks: only the words differ.
func TestEveryCatalogLoads(t *testing.T) {
	en := english(t)
	if len(Languages()) == 0 {
		t.Fatal("no catalogs")
	}
	for _, lang := range Languages() {
		tr, err := Load(lang)
		if err != nil {
			t.Errorf("%s: %v", lang, err)
			continue
		}
		if tr.Language != lang {
			t.Errorf("%s.toml says language %q", lang, tr.Language)
		}
		if len(tr.Lessons) != len(en.Lessons) {
			t.Errorf("%s: %d lessons, English has %d", lang, len(tr.Lessons), len(en.Lessons))
			continue
		}
		for i, l := range tr.Lessons {
			e := en.Lessons[i]
			if l.ID != e.ID || !l.Sandbox.Same(e.Sandbox) {
				t.Errorf("%s lesson %d: %s %+v, English %s %+v", lang, i+1, l.ID, l.Sandbox, e.ID, e.Sandbox)
			}
		}
	}
	if _, err := Load("xx"); err == nil || !strings.Contains(err.Error(), "en") {
		t.Errorf("unknown language: %v", err)
	}
}

// minimal is a valid catalog with one lesson; tests break one part.
const minimal = `
language = "xx"
name = "Test"
[text]
lesson_of = "Lesson %d of %d"
goal = "Goal"
hint = "Hint %d of %d"
hint_key = "%s hint"
next_hint = "%s next hint"
reached = "reached"
next_key = "%s next"
finished = "finished"
sandbox = "scenario %s"
size_limit = "limit %d"
switching = "%s: lesson %d"
reached_note = "lesson %d: goal reached"
picker_title = "Lessons"
picker_help = "%s choose · %s open · %s close"
[[lessons]]
id = "one"
title = "One"
goal = "Do it"
explain = "Why"
hints = ["this way"]
done = "Done"
[lessons.check]
CHECK
`

func catalogWith(check string) string { return strings.Replace(minimal, "CHECK", check, 1) }

func TestParseChecksTheCatalog(t *testing.T) {
	if _, err := Parse([]byte(catalogWith(`reply = 250
label = "ok"`))); err != nil {
		t.Fatalf("the minimal catalog: %v", err)
	}
	tests := []struct {
		name, catalog, want string
	}{
		{"unknown key", catalogWith("reply = 250\nlabel = \"x\"\nfrobnicate = 1"), "frobnicate"},
		{"two event keys", catalogWith("reply = 250\ntls_handshake = true\nlabel = \"x\""), "not several"},
		{"nothing to check", catalogWith("label = \"x\""), "nothing to check"},
		{"code out of range", catalogWith("reply = 999\nlabel = \"x\""), "999"},
		{"bad class", catalogWith("reply = \"6xx\"\nlabel = \"x\""), "6xx"},
		{"unknown command", catalogWith("reply = 250\nto = \"FROB\"\nlabel = \"x\""), "FROB"},
		{"empty list", catalogWith("all = []"), "empty list"},
		{"step without label", catalogWith("all = [{ reply = 250 }]"), "label"},
		{"goal without label", catalogWith("reply = 250"), "label"},
		{"qualifier on a list", catalogWith("all = [{ reply = 250, label = \"a\" }]\ntls = true"), "qualifiers"},
		{"verified on a reply", catalogWith("reply = 250\nverified = true\nlabel = \"x\""), "verified"},
		{"qualifier on a handshake", catalogWith("tls_handshake = true\nto = \"EHLO\"\nlabel = \"x\""), "only verified"},
		{"no capabilities named", catalogWith("capabilities = []\nlabel = \"x\""), "at least one"},
		{"nested error named", catalogWith("in_order = [{ reply = 250, label = \"a\" }, { any = [{ reply = \"x\" }], label = \"b\" }]"), "step 2 step 1"},
		{"verbs of a text", strings.Replace(catalogWith("reply = 250\nlabel = \"x\""), `"Lesson %d of %d"`, `"Lesson %s"`, 1), "lesson_of"},
		{"missing text", strings.Replace(catalogWith("reply = 250\nlabel = \"x\""), "goal = \"Goal\"\n", "", 1), "text.goal"},
		{"bad id", strings.Replace(catalogWith("reply = 250\nlabel = \"x\""), `id = "one"`, `id = "One Two"`, 1), "id must be"},
		{"no hint", strings.Replace(catalogWith("reply = 250\nlabel = \"x\""), `hints = ["this way"]`, `hints = []`, 1), "hint"},
		{"negative size", catalogWith("reply = 250\nlabel = \"x\"\n[lessons.sandbox]\nmax_size = -1"), "max_size"},
		{"not TOML", "language = ", "line 1"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.catalog))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
	if _, err := Parse([]byte(strings.Replace(minimal, "CHECK", "reply = 250\nlabel = \"x\"\n[[lessons]]\nid = \"one\"\ntitle = \"t\"\ngoal = \"g\"\nexplain = \"e\"\nhints = [\"h\"]\ndone = \"d\"\n[lessons.check]\nreply = 250\nlabel = \"y\"", 1))); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("a duplicate id: %v", err)
	}
}

func TestFmtVerbs(t *testing.T) {
	for in, want := range map[string]string{"": "", "Lesson %d of %d": "dd", "100%% of %s": "s", "%": "", "%s%d": "sd"} {
		if got := fmtVerbs(in); got != want {
			t.Errorf("fmtVerbs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLanguageFor(t *testing.T) {
	for locale, want := range map[string]string{
		"": "en", "C": "en", "POSIX": "en", "en_GB.UTF-8": "en", "xx_YY.UTF-8": "en", "EN": "en",
	} {
		if got := LanguageFor(locale); got != want {
			t.Errorf("LanguageFor(%q) = %q, want %q", locale, got, want)
		}
	}
	env := map[string]string{"LANG": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}
	if got := LocaleFromEnv(func(k string) string { return env[k] }); got != "fr_FR.UTF-8" {
		t.Errorf("LC_MESSAGES before LANG: got %q", got)
	}
	env["LC_ALL"] = "pt_BR"
	if got := LocaleFromEnv(func(k string) string { return env[k] }); got != "pt_BR" {
		t.Errorf("LC_ALL first: got %q", got)
	}
}
