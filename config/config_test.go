package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeConfig writes a config file with mode and returns its path.
func writeConfig(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask may have cut bits
		t.Fatal(err)
	}
	return path
}

const goodConfig = `# my servers
[defaults]
helo = "laptop.example.org"
theme = "light"
timeout = "30s"

[profiles.gmail]
host = "smtp.gmail.com"
port = 587
starttls = "require"
user = "me@gmail.com"
password-cmd = "pass show gmail-app"

[profiles.qq]
host = "smtp.qq.com:465"
tls = true
helo = "other.example"
auth = "LOGIN"
password-env = "QQ_AUTH_CODE"
ca = "certs/qq.pem"
`

func TestLoadProfilesWithDefaults(t *testing.T) {
	path := writeConfig(t, goodConfig, 0o644)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Names(), ","); got != "gmail,qq" {
		t.Errorf("names = %s", got)
	}
	g, err := c.Profile("gmail")
	if err != nil {
		t.Fatal(err)
	}
	if g.Address() != "smtp.gmail.com:587" || g.Helo != "laptop.example.org" || g.Theme != "light" || g.TimeoutDuration().Seconds() != 30 || g.PasswordSource() != "cmd" {
		t.Errorf("gmail = %+v", g)
	}
	q, _ := c.Profile("qq")
	if q.Address() != "smtp.qq.com:465" || !q.ImplicitTLS() || q.Helo != "other.example" || q.CA != filepath.Join(filepath.Dir(path), "certs/qq.pem") {
		t.Errorf("qq = %+v (address %s)", q, q.Address())
	}
	if _, err := c.Profile("gmial"); err == nil || !strings.HasSuffix(err.Error(), "(it has @gmail, @qq); did you mean @gmail?") {
		t.Errorf("a misspelt profile: %v", err)
	}
}

func TestMissingFileIsAnEmptyConfig(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "none.toml"))
	if err != nil || c.Exists || len(c.Names()) != 0 {
		t.Fatalf("Load of a missing file = %+v, %v", c, err)
	}
	if _, err := c.Profile("work"); err == nil || !strings.Contains(err.Error(), "no config file") {
		t.Errorf("profile from a missing file: %v", err)
	}
}

// TestErrorsNameTheLineAndKey covers each class of mistake.
func TestErrorsNameTheLineAndKey(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string // each must appear in the error
	}{
		{"syntax", "[profiles.a]\nhost = \"x\nport = 1\n", []string{":2:"}},
		{"type", "[profiles.a]\nhost = \"x\"\nport = \"587\"\n", []string{":3:", "profiles.a.port"}},
		{"unknown key with suggestion", "[profiles.a]\nhost = \"x\"\nhostname = \"y\"\n", []string{":3:", "profiles.a.hostname", `did you mean "host"`}},
		{"typo key", "[profiles.a]\nhost = \"x\"\nstarttsl = \"off\"\n", []string{":3:", `did you mean "starttls"`}},
		{"underscore key", "[profiles.a]\nhost = \"x\"\npassword_cmd = \"pass x\"\n", []string{":3:", `did you mean "password-cmd"`}},
		{"unknown table", "[profile.a]\nhost = \"x\"\n", []string{":1:", `did you mean "profiles"`}},
		{"bad port", "[profiles.a]\nhost = \"x\"\n\nport = 70000\n", []string{":4:", "profiles.a.port", "1 to 65535"}},
		{"bad starttls", "[profiles.a]\nhost = \"x\"\nstarttls = \"maybe\"\n", []string{":3:", "auto, require, off"}},
		{"tls and require", "[profiles.a]\nhost = \"x\"\ntls = true\nstarttls = \"require\"\n", []string{":4:", "contradicts"}},
		{"bad theme", "[profiles.a]\nhost = \"x\"\ntheme = \"neon\"\n", []string{":3:", "not a theme"}},
		{"bad timeout", "[defaults]\ntimeout = \"soon\"\n", []string{":2:", "defaults.timeout"}},
		{"two secrets", "[profiles.a]\nhost = \"x\"\npassword-env = \"A\"\npassword-cmd = \"b\"\n", []string{"one of password"}},
		{"no host", "[profiles.a]\nport = 25\n", []string{":1:", "has no host"}},
		{"host in defaults", "[defaults]\nhost = \"x\"\n", []string{":2:", "belong in a profile"}},
		{"bad name", "[profiles.\"a b\"]\nhost = \"x\"\n", []string{"not a usable profile name"}},
		{"two problems", "[profiles.a]\nhost = \"x\"\nport = 0\nstarttls = \"no\"\n[profiles.b]\nhost = \"y\"\ntheme = \"neon\"\n", []string{":4:", ":7:"}},
		{"an unknown key and other problems, all at once", "[defaults]\nthem = \"dark\"\n[profiles.a]\nhost = \"x\"\nport = 70000\nstarttls = \"maybe\"\n",
			[]string{":2:", `did you mean "theme"`, ":5:", "1 to 65535", ":6:", "auto, require, off"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(writeConfig(t, c.text, 0o600))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %T is not a *config.Error", err)
			}
		})
	}
}

// TestPasswordNeedsAPrivateFile: a password is accepted only when no one
// else can read or write the file.
func TestPasswordNeedsAPrivateFile(t *testing.T) {
	text := "[profiles.work]\nhost = \"mail.example.com\"\nuser = \"me\"\npassword = \"hunter2\"\n"
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o620, 0o660} {
		_, err := Load(writeConfig(t, text, mode))
		if err == nil || !strings.Contains(err.Error(), "chmod 600") || !strings.Contains(err.Error(), "password-cmd") || !strings.Contains(err.Error(), ":4:") {
			t.Errorf("mode %04o: err = %v, want the line, chmod 600 and password-cmd", mode, err)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
	for _, mode := range []os.FileMode{0o600, 0o400} {
		c, err := Load(writeConfig(t, text, mode))
		if err != nil {
			t.Fatalf("mode %04o: %v", mode, err)
		}
		if p, _ := c.Profile("work"); p.Password != "hunter2" || p.PasswordSource() != "file" {
			t.Errorf("mode %04o: password not read", mode)
		}
	}
	cmd := "[profiles.work]\nhost = \"mail.example.com\"\npassword-cmd = \"pass show x\"\n"
	if _, err := Load(writeConfig(t, cmd, 0o644)); err != nil {
		t.Errorf("a password-cmd in a readable file: %v", err)
	}
	if _, err := Load(writeConfig(t, cmd, 0o666)); err == nil || !strings.Contains(err.Error(), "chmod go-w") {
		t.Errorf("a password-cmd in a file others can change: %v", err)
	}
}

func TestSaveProfileKeepsTheRestOfTheFile(t *testing.T) {
	path := writeConfig(t, goodConfig, 0o644)
	tls := true
	if err := SaveProfile(path, "gmail", Profile{Host: "smtp.gmail.com", Port: 465, TLS: &tls, User: "new@gmail.com", Password: "never-written", PasswordEnv: "GMAIL_PW"}); err != nil {
		t.Fatal(err)
	}
	if err := SaveProfile(path, "lab", Profile{Host: "::1", Port: 2525, Helo: "lab \"quoted\""}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	text := string(data)
	for _, want := range []string{"# my servers", "[profiles.qq]", "QQ_AUTH_CODE", "[profiles.lab]"} {
		if !strings.Contains(text, want) {
			t.Errorf("saved file lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "never-written") || strings.Contains(text, "pass show gmail-app") {
		t.Errorf("saved file holds a password or the replaced profile's keys:\n%s", text)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode after saving = %04o, want 0600", info.Mode().Perm())
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := c.Profile("gmail")
	l, _ := c.Profile("lab")
	if g.Address() != "smtp.gmail.com:465" || g.User != "new@gmail.com" || g.PasswordEnv != "GMAIL_PW" || l.Address() != "[::1]:2525" || l.Helo != "lab \"quoted\"" {
		t.Errorf("reloaded: gmail %+v, lab %+v", g, l)
	}
}

func TestSaveProfileRefusesLinksAndBadNames(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.toml")
	if err := os.WriteFile(target, []byte(goodConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "config.toml")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	err := SaveProfile(link, "x", Profile{Host: "h"})
	if err == nil || !errors.Is(err, errSymlink) {
		t.Errorf("saving through a link: %v", err)
	}
	if data, _ := os.ReadFile(target); string(data) != goodConfig {
		t.Error("the link's target was changed")
	}
	if err := SaveProfile(filepath.Join(dir, "new", "config.toml"), "a b", Profile{Host: "h"}); err == nil {
		t.Error("a name with a space was saved")
	}
	fresh := filepath.Join(dir, "fresh", "smtpscope", "config.toml")
	if err := SaveProfile(fresh, "first", Profile{Host: "mail.example.com"}); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(filepath.Dir(fresh)); info.Mode().Perm() != 0o700 {
		t.Errorf("new directory mode %04o, want 0700", info.Mode().Perm())
	}
}

func TestXDGPaths(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	if p, _ := DefaultPath(); p != filepath.Join(dir, "smtpscope", "config.toml") {
		t.Errorf("DefaultPath = %s", p)
	}
	if err := WriteStateFile("lessons.json", []byte(`{"done":1}`)); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadStateFile("lessons.json"); err != nil || string(b) != `{"done":1}` {
		t.Errorf("state file = %q, %v", b, err)
	}
	t.Setenv("XDG_CONFIG_HOME", "relative/dir") // the spec says to ignore it
	t.Setenv("HOME", dir)
	if p, _ := DefaultPath(); p != filepath.Join(dir, ".config", "smtpscope", "config.toml") {
		t.Errorf("DefaultPath with a relative XDG_CONFIG_HOME = %s", p)
	}
	if d, err := StateDir(); err != nil || d != filepath.Join(dir, "state", "smtpscope") {
		t.Errorf("StateDir with XDG_STATE_HOME = %s, %v", d, err)
	}
	t.Setenv("XDG_STATE_HOME", "relative/dir")
	if d, err := StateDir(); err != nil || d != filepath.Join(dir, ".local", "state", "smtpscope") {
		t.Errorf("StateDir with a relative XDG_STATE_HOME = %s, %v", d, err)
	}
}

// Hostile files get short errors: a dotted key of thousands of parts is
// quoted cut, a key holding control characters escaped; deep nesting is
// the TOML library's bounded error, a file over the size bound is refused
// before parsing.
func TestHostileFilesGetShortErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"dotted key", "[profiles.a]\nhost = \"x\"\n" + strings.Repeat("a.", 20000) + "a = 1\n", "octets): unknown key"},
		{"control characters in a key", "[profiles.a]\nhost = \"x\"\n\"k\\u001b]0;t\\u0007\" = 1\n", `"profiles.a.k\x1b]0;t\a"`},
		{"nesting", "[profiles.a]\nhost = \"x\"\nx = " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n", "nested"},
		{"size", strings.Repeat("# x\n", maxConfigSize/4+1), "far smaller"},
	} {
		_, err := Load(writeConfig(t, tc.text, 0o600))
		if err == nil || !strings.Contains(err.Error(), tc.want) || len(err.Error()) > 1000 {
			t.Errorf("%s: error %.300q (%d octets); want a short one with %q", tc.name, fmt.Sprint(err), len(fmt.Sprint(err)), tc.want)
		}
	}
}
