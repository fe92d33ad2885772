package learn

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/smtpscope/smtpscope/config"
)

// progressFile is the name of the progress file in the state directory.
const progressFile = "learn.json"

// progressVersion is the format of the progress file.
const progressVersion = 1

// maxProgressFile bounds what Load reads: a progress file is a few ids.
const maxProgressFile = 64 << 10

// Permissions of what the store writes: the user's alone, as the rest of
// the state directory.
const (
	stateDirMode  os.FileMode = 0o700
	stateFileMode os.FileMode = 0o600
)

// Progress is what smtpscope remembers of a learner between runs: the
// lesson being taken and the lessons completed, by id. Nothing typed in a
// session, and no secret, is ever part of it.
type Progress struct {
	Version   int      `json:"version"`
	Current   string   `json:"current,omitempty"`
	Completed []string `json:"completed,omitempty"`
}

// Store keeps [Progress] in a file in a directory.
type Store struct {
	Dir string
}

// DefaultStore returns the store in the user's state directory
// ($XDG_STATE_HOME/smtpscope, or ~/.local/state/smtpscope).
func DefaultStore() (Store, error) {
	dir, err := config.StateDir()
	if err != nil {
		return Store{}, err
	}
	return Store{Dir: dir}, nil
}

// Path returns the progress file's path.
func (s Store) Path() string { return filepath.Join(s.Dir, progressFile) }

// Load reads the saved progress; a missing file is a fresh start.
func (s Store) Load() (Progress, error) {
	f, err := os.Open(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return Progress{Version: progressVersion}, nil
	}
	if err != nil {
		return Progress{}, fmt.Errorf("reading lesson progress: %w", err)
	}
	defer f.Close()
	var p Progress
	dec := json.NewDecoder(io.LimitReader(f, maxProgressFile))
	if err := dec.Decode(&p); err != nil {
		return Progress{}, fmt.Errorf("lesson progress in %s is damaged (%v); smtpscope learn --reset starts over", s.Path(), err)
	}
	if p.Version > progressVersion {
		return Progress{}, fmt.Errorf("lesson progress in %s was written by a newer smtpscope (format %d); update smtpscope, or start over with smtpscope learn --reset", s.Path(), p.Version)
	}
	return p, nil
}

// Save replaces the progress file: written whole to a new file, then
// renamed over the old one, so that a crash never leaves half a file.
func (s Store) Save(p Progress) error {
	p.Version = progressVersion
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("saving lesson progress: %w", err)
	}
	if err := os.MkdirAll(s.Dir, stateDirMode); err != nil {
		return fmt.Errorf("saving lesson progress: cannot create %s: %w", s.Dir, err)
	}
	tmp, err := os.CreateTemp(s.Dir, "."+progressFile+".*")
	if err != nil {
		return fmt.Errorf("saving lesson progress in %s: %w", s.Dir, err)
	}
	defer os.Remove(tmp.Name()) // nothing left after a successful rename
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Chmod(stateFileMode)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.Path())
	}
	if err != nil {
		return fmt.Errorf("saving lesson progress to %s: %w", s.Path(), err)
	}
	return nil
}

// Reset forgets all progress.
func (s Store) Reset() error {
	if err := os.Remove(s.Path()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("resetting lesson progress: %w", err)
	}
	return nil
}
