package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// SaveProfile writes p as [profiles.NAME] into the config file at path:
// it replaces a profile of that name and keeps the rest of the file,
// comments included, as it was. A new file is made 0600 in a 0700
// directory, and the file is always rewritten 0600 without following a
// symbolic link. A password is never written: p.Password is dropped (use
// password-cmd or password-env). The result is checked by loading it.
func SaveProfile(path, name string, p Profile) error {
	if !validName(name) {
		return fmt.Errorf("%q is not a usable profile name: use letters, digits, - and _", name)
	}
	if p.Host == "" {
		return errors.New("a profile needs a host")
	}
	p.Password = ""
	section, err := profileSection(name, p)
	if err != nil {
		return err
	}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	doc, err := replaceSection(old, name, section)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	check := &Config{Path: path, profiles: map[string]Profile{}}
	if err := check.parse(doc, privateFileMode); err != nil {
		return fmt.Errorf("the file would not load after saving, so it was left as it is: %w", err)
	}
	return writePrivate(path, doc)
}

// profileSection renders [profiles.NAME] with p's set keys.
func profileSection(name string, p Profile) ([]byte, error) {
	var buf bytes.Buffer
	enc := toml.NewEncoder(&buf)
	if err := enc.Encode(map[string]map[string]Profile{"profiles": {name: p}}); err != nil {
		return nil, fmt.Errorf("cannot write the profile: %w", err)
	}
	// The encoder writes the parent table first ("[profiles]"); only the
	// profile's own table is wanted.
	out := buf.Bytes()
	if i := bytes.Index(out, []byte("[profiles.")); i >= 0 {
		out = out[i:]
	}
	return out, nil
}

// replaceSection returns doc with the [profiles.NAME] table replaced by
// section, or section appended when there is none.
func replaceSection(doc []byte, name string, section []byte) ([]byte, error) {
	start, end, err := sectionRange(doc, name)
	if err != nil {
		return nil, err
	}
	if start < 0 {
		out := append([]byte(nil), doc...)
		if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
			out = append(out, '\n')
		}
		if len(out) > 0 {
			out = append(out, '\n')
		}
		return append(out, section...), nil
	}
	out := append([]byte(nil), doc[:start]...)
	out = append(out, section...)
	rest := doc[end:]
	if len(rest) > 0 {
		out = append(out, '\n')
	}
	return append(out, rest...), nil
}

// sectionRange finds the bytes of the [profiles.NAME] table: from its
// header to the next table header (or the end). start is -1 when there is
// none. A profile written another way (dotted keys, an inline table) is
// an error: rewriting it safely is not possible.
func sectionRange(doc []byte, name string) (start, end int, err error) {
	start, end = -1, len(doc)
	var p unstable.Parser
	p.Reset(doc)
	want := "profiles." + name
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			key := strings.Join(keyParts(e.Key()), ".")
			off := lineStart(doc, int(firstKeyOffset(&p, e)))
			if start >= 0 && end == len(doc) {
				end = off
			}
			if key == want {
				start = off
				end = len(doc)
			}
		case unstable.KeyValue:
			if start < 0 && strings.HasPrefix(strings.Join(keyParts(e.Key()), "."), "profiles") {
				return 0, 0, fmt.Errorf("profiles are written here as keys rather than [profiles.NAME] tables; add %s by hand", want)
			}
		}
	}
	if err := p.Error(); err != nil {
		return 0, 0, fmt.Errorf("the file is not valid TOML, so it was left as it is: %w", err)
	}
	if start >= 0 && end < len(doc) {
		end = commentsAbove(doc, start, end)
	}
	return start, end, nil
}

// commentsAbove moves end back over the comment and blank lines that
// stand above the next table's header: they belong to that table.
func commentsAbove(doc []byte, start, end int) int {
	for end > start {
		prev := lineStart(doc, end-1)
		line := strings.TrimSpace(string(doc[prev:end]))
		if line != "" && !strings.HasPrefix(line, "#") {
			break
		}
		end = prev
	}
	return end
}

// firstKeyOffset is the offset of a table header's first key.
func firstKeyOffset(p *unstable.Parser, e *unstable.Node) uint32 {
	it := e.Key()
	if it.Next() {
		return it.Node().Raw.Offset
	}
	return 0
}

// lineStart moves off back to the start of its line.
func lineStart(doc []byte, off int) int {
	for off > 0 && doc[off-1] != '\n' {
		off--
	}
	return off
}
