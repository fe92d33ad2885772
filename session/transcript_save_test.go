package session

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func savedTranscript() *Transcript {
	tr := NewTranscript()
	tr.append(Line{Time: time.Unix(1700000000, 0), Gen: 1, Dir: DirServer, Code: 220, Text: "220 mx.test"}, "")
	return tr
}

func TestSaveCreatesAPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.txt")
	if err := savedTranscript().Save(path, false, SaveOptions{}, false); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != TranscriptFileMode {
		t.Errorf("mode %v, want %v", fi.Mode().Perm(), os.FileMode(TranscriptFileMode))
	}
	if b, _ := os.ReadFile(path); untimed(string(b)) != "S: 220 mx.test\n" {
		t.Errorf("content %q", b)
	}
}

func TestSaveReportsAnExistingFileAndReplacesItOnlyWhenAsked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.txt")
	os.WriteFile(path, []byte("keep me"), 0o644)
	err := savedTranscript().Save(path, false, SaveOptions{}, false)
	if !errors.Is(err, ErrFileExists) {
		t.Fatalf("save over an existing file: %v, want ErrFileExists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Errorf("the existing file was changed to %q", b)
	}
	if err := savedTranscript().Save(path, true, SaveOptions{}, true); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if !strings.Contains(string(b), `"text":"220 mx.test"`) || fi.Mode().Perm() != TranscriptFileMode {
		t.Errorf("replaced file %q, mode %v", b, fi.Mode().Perm())
	}
}

// A symbolic link at the path is never followed: without overwrite it is
// reported as existing, with overwrite the link itself is replaced and its
// target stays as it was.
func TestSaveNeverFollowsASymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	os.WriteFile(target, []byte("precious"), 0o644)
	link := filepath.Join(dir, "t.txt")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := savedTranscript().Save(link, false, SaveOptions{}, false); !errors.Is(err, ErrFileExists) {
		t.Errorf("save to a symlink: %v, want ErrFileExists", err)
	}
	dangling := filepath.Join(dir, "dangling.txt")
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)
	if err := savedTranscript().Save(dangling, false, SaveOptions{}, false); !errors.Is(err, ErrFileExists) {
		t.Errorf("save to a dangling symlink: %v, want ErrFileExists", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was created through the dangling link: %v", err)
	}
	if err := savedTranscript().Save(link, false, SaveOptions{}, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "precious" {
		t.Errorf("the link's target was written: %q", b)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink != 0 {
		t.Error("the link is still a link after an overwrite")
	}
}

func TestSaveRefusesADirectory(t *testing.T) {
	dir := t.TempDir()
	if err := savedTranscript().Save(dir, false, SaveOptions{}, true); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("save over a directory: %v", err)
	}
}
