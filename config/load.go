package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"

	"github.com/smtpscope/smtpscope/themes"
)

// Config is a loaded config file.
type Config struct {
	Path     string // the file read
	Exists   bool   // false: there is no file (an empty config)
	Defaults Profile
	profiles map[string]Profile
}

// document is the shape of the file.
type document struct {
	Defaults Profile            `toml:"defaults"`
	Profiles map[string]Profile `toml:"profiles"`
}

// Error is one problem in the config file, at a line and key.
type Error struct {
	Path string
	Line int    // 0 when unknown
	Key  string // dotted: "profiles.work.port"
	Msg  string
}

func (e *Error) Error() string {
	where := e.Path
	if e.Line > 0 {
		where += fmt.Sprintf(":%d", e.Line)
	}
	if e.Key != "" {
		return where + ": " + shownKey(e.Key) + ": " + e.Msg
	}
	return where + ": " + e.Msg
}

// maxShownKey bounds a key quoted in an error: a dotted key of 200 000
// parts is one line of the file, not 400 KB of message.
const maxShownKey = 100

// shownKey returns key for an error, cut to maxShownKey octets on a
// character boundary, its control characters escaped.
func shownKey(key string) string {
	if len(key) > maxShownKey {
		cut := maxShownKey
		for cut > 0 && !utf8.RuneStart(key[cut]) {
			cut--
		}
		key = fmt.Sprintf("%s… (%d octets)", key[:cut], len(key))
	}
	if strings.IndexFunc(key, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		key = strconv.Quote(key)
	}
	return key
}

// maxConfigSize bounds the file read: profiles are a few hundred bytes.
const maxConfigSize = 1 << 20

// othersMayRead and othersMayWrite are the permission bits of the group
// and everyone else.
const (
	othersMayRead  fs.FileMode = 0o044
	othersMayWrite fs.FileMode = 0o022
)

// LoadDefault loads the file at [DefaultPath].
func LoadDefault() (*Config, error) {
	path, err := DefaultPath()
	if err != nil {
		return nil, err
	}
	return Load(path)
}

// Load reads and checks the config file at path. A missing file is an
// empty config, not an error. Every problem found is reported, each with
// its line and key.
func Load(path string) (*Config, error) {
	c := &Config{Path: path, profiles: map[string]Profile{}}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the config file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read the config file: %w", err)
	}
	if info.Size() > maxConfigSize {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("is %d bytes; a config file of profiles is far smaller (is this the right file?)", info.Size())}
	}
	data := make([]byte, info.Size())
	if _, err := f.ReadAt(data, 0); err != nil && info.Size() > 0 {
		return nil, fmt.Errorf("cannot read the config file: %w", err)
	}
	c.Exists = true
	return c, c.parse(data, info.Mode())
}

// parse decodes data into c and checks it; mode is the file's.
func (c *Config) parse(data []byte, mode fs.FileMode) error {
	var doc document
	var errs []error
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		var strict *toml.StrictMissingError
		if !errors.As(err, &strict) {
			return c.decodeError(err)
		}
		// Unknown keys: say so, and check the rest too, so that every
		// problem is reported at once.
		errs = append(errs, unwrapJoined(c.decodeError(err))...)
		doc = document{}
		if err := toml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
			return c.decodeError(err)
		}
	}
	lines := keyLines(data)
	report := func(key, msg string) {
		errs = append(errs, &Error{Path: c.Path, Line: lines[key], Key: key, Msg: msg})
	}
	check := func(prefix string, p *Profile) {
		for _, pr := range p.check(themes.Names()) {
			report(prefix+"."+pr.key, pr.msg)
		}
		c.checkSecrets(prefix, *p, mode, report)
	}
	check("defaults", &doc.Defaults)
	if doc.Defaults.Host != "" || doc.Defaults.Port != 0 {
		report("defaults.host", "host and port belong in a profile: [profiles.NAME], used as smtpscope connect @NAME")
	}
	for name, p := range doc.Profiles {
		if !validName(name) {
			report("profiles."+name, fmt.Sprintf("%q is not a usable profile name: use letters, digits, - and _", name))
		}
		check("profiles."+name, &p)
		merged := p.over(doc.Defaults)
		merged.CA = c.resolvePath(merged.CA)
		if merged.Host == "" {
			report("profiles."+name, "has no host; add host = \"smtp.example.com\"")
		}
		c.profiles[name] = merged
	}
	c.Defaults = doc.Defaults
	sort.Slice(errs, func(i, j int) bool { return errs[i].(*Error).Line < errs[j].(*Error).Line })
	return errors.Join(errs...)
}

// checkSecrets applies the file-mode rules: a password only in a file no
// one else can read, a command only in a file no one else can change.
func (c *Config) checkSecrets(prefix string, p Profile, mode fs.FileMode, report func(key, msg string)) {
	if runtime.GOOS == "windows" {
		return // no POSIX modes to check
	}
	perm := mode.Perm()
	if p.Password != "" && perm&(othersMayRead|othersMayWrite) != 0 {
		report(prefix+".password", fmt.Sprintf("a password is allowed only in a file that no one else can read, and this one has mode %04o; "+
			"run  chmod 600 %s  or replace password with password-cmd (a command that prints it, e.g. \"pass show smtp\") or password-env",
			perm, c.Path))
	}
	if p.PasswordCmd != "" && perm&othersMayWrite != 0 {
		report(prefix+".password-cmd", fmt.Sprintf("others can change this file (mode %04o) and so the command smtpscope runs; run  chmod go-w %s", perm, c.Path))
	}
}

// unwrapJoined returns the errors errors.Join put together, or err alone.
func unwrapJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// decodeError turns a TOML decoding error into errors with lines and keys.
func (c *Config) decodeError(err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var errs []error
		for _, e := range strict.Errors {
			row, _ := e.Position()
			key := strings.Join(e.Key(), ".")
			parts := e.Key()
			msg := "unknown key"
			s := suggestKey(parts[len(parts)-1], profileKeys)
			if top := parts[0]; top != "defaults" && top != "profiles" {
				msg = "unknown table or key; the file has [defaults] and [profiles.NAME] tables"
				s = nearest(top, []string{"defaults", "profiles"})
			}
			if s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			errs = append(errs, &Error{Path: c.Path, Line: row, Key: key, Msg: msg})
		}
		return errors.Join(errs...)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		return &Error{Path: c.Path, Line: row, Key: strings.Join(de.Key(), "."), Msg: msg}
	}
	return &Error{Path: c.Path, Msg: err.Error()}
}

// Names returns the profile names in order.
func (c *Config) Names() []string {
	names := make([]string, 0, len(c.profiles))
	for n := range c.profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Profile returns the named profile with the defaults under it.
func (c *Config) Profile(name string) (Profile, error) {
	if p, ok := c.profiles[name]; ok {
		return p, nil
	}
	if !c.Exists {
		return Profile{}, fmt.Errorf("no profile %q: there is no config file %s yet; see docs/profiles.md, or save one from the TUI (alt+p)", name, c.Path)
	}
	msg := fmt.Sprintf("no profile %q in %s", name, c.Path)
	names := c.Names()
	if len(names) > 0 {
		msg += " (it has @" + strings.Join(names, ", @") + ")"
	}
	if s := nearest(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean @%s?", s)
	}
	return Profile{}, errors.New(msg)
}

// validName reports a profile name usable as @NAME.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// resolvePath expands a leading ~/ to the home directory and makes a
// relative path relative to the config file's directory.
func (c *Config) resolvePath(p string) string {
	if p == "" {
		return ""
	}
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	if !filepath.IsAbs(p) {
		return filepath.Join(filepath.Dir(c.Path), p)
	}
	return p
}
