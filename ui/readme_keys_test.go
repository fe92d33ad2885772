package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's key table sits between these markers; the test below
// writes it from the KeyMap with -update and fails when they disagree.
const (
	keyTableStart = "<!-- key table: written by `go test ./ui -run TestREADMEKeyTable -update` -->"
	keyTableEnd   = "<!-- end of key table -->"
)

// keyTable renders every section of km as a Markdown table.
func keyTable(km KeyMap) string {
	var b strings.Builder
	b.WriteString("| key | does |\n|---|---|\n")
	for _, s := range km.Sections() {
		b.WriteString("| **" + s.Title + "** | |\n")
		for _, kb := range s.Bindings {
			if !kb.Enabled() || kb.Help().Key == "" {
				continue
			}
			h := kb.Help()
			b.WriteString("| " + mdCell(h.Key) + " | " + mdCell(h.Desc) + " |\n")
		}
	}
	return b.String()
}

// mdCell escapes what would break a table cell.
func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// TestREADMEKeyTable checks that the README lists exactly the keys the
// program has, with the words its help uses.
func TestREADMEKeyTable(t *testing.T) {
	path := filepath.Join("..", "README.md")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start := strings.Index(readme, keyTableStart)
	end := strings.Index(readme, keyTableEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md has no key table between %q and %q", keyTableStart, keyTableEnd)
	}
	body := start + len(keyTableStart) + 1
	want := keyTable(DefaultKeyMap())
	if updating() {
		readme = readme[:body] + want + readme[end:]
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := readme[body:end]; got != want {
		t.Errorf("README.md's key table differs from the KeyMap (go test ./ui -run TestREADMEKeyTable -update rewrites it)\n--- README ---\n%s--- KeyMap ---\n%s", got, want)
	}
}
