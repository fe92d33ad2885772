package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
)

var (
	mdLink  = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	docPath = regexp.MustCompile(`docs/[A-Za-z0-9_./-]+\.md`)
)

// TestDocLinksResolve checks that every relative link in the README and
// docs/, and every docs/… file named in a Go comment, exists.
func TestDocLinksResolve(t *testing.T) {
	pages, _ := filepath.Glob("docs/*.md")
	pages = append(pages, "README.md")
	for _, page := range pages {
		text, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(text), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(page), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", page, m[1])
			}
		}
	}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, p := range docPath.FindAllString(string(src), -1) {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s points to %s, which does not exist", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestProvidersDocListsEveryPreset keeps docs/providers.md in step with
// the preset table.
func TestProvidersDocListsEveryPreset(t *testing.T) {
	text, err := os.ReadFile("docs/providers.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range protocol.Presets() {
		row := "| `" + p.Name + "`"
		if !strings.Contains(string(text), row) {
			t.Errorf("docs/providers.md has no row for the preset %s", p.Name)
		}
		if !strings.Contains(string(text), p.Host) {
			t.Errorf("docs/providers.md lacks the host %s of %s", p.Host, p.Name)
		}
	}
}

// TestREADMEListsEveryReason keeps the README's reason table complete:
// every identifier of the vocabulary appears in it, in backquotes.
func TestREADMEListsEveryReason(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range protocol.Reasons() {
		if !strings.Contains(string(readme), "`"+string(r.ID)+"`") {
			t.Errorf("README.md does not list the reason %s", r.ID)
		}
	}
}
