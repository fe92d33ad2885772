package session

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// TranscriptFileMode is the permission of a saved transcript: it can hold
// usernames and server addresses, so only the user reads it.
const TranscriptFileMode = 0o600

// ErrFileExists is returned by [Transcript.Save] when the path exists and
// overwriting was not asked for: ask the user, then save again with
// overwrite set.
var ErrFileExists = errors.New("the file already exists")

// Save writes the transcript to path, as JSON lines when asJSON, else in
// the text format. The file is created with mode [TranscriptFileMode].
// Save never follows a symbolic link at path: without overwrite an
// existing path (file, link or anything else) is left alone and Save
// returns an error wrapping [ErrFileExists]; with overwrite a regular file
// or a link is replaced — the new content is written to a temporary file
// beside it and renamed over it, so the link itself is replaced, its
// target untouched, and a failed save leaves the old file whole. Other
// kinds of file (a directory, a device) are refused.
func (t *Transcript) Save(path string, asJSON bool, o SaveOptions, overwrite bool) error {
	fi, err := os.Lstat(path)
	switch {
	case err == nil && !overwrite:
		return fmt.Errorf("%s: %w (choose another name, or confirm to replace it)", path, ErrFileExists)
	case err == nil && !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0:
		return fmt.Errorf("%s is not a regular file (%s); choose another name", path, fi.Mode().Type())
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot save to %s: %w", path, err)
	case err != nil:
		return t.saveNew(path, asJSON, o)
	}
	return t.saveReplacing(path, asJSON, o)
}

// saveNew creates path, failing if anything appeared there meanwhile
// (O_EXCL also refuses a symbolic link, even a dangling one).
func (t *Transcript) saveNew(path string, asJSON bool, o SaveOptions) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, TranscriptFileMode)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s: %w (choose another name, or confirm to replace it)", path, ErrFileExists)
	}
	if err != nil {
		return fmt.Errorf("cannot save to %s: %w", path, err)
	}
	if err := t.writeFile(f, asJSON, o); err != nil {
		os.Remove(path)
		return fmt.Errorf("saving to %s failed: %w", path, err)
	}
	return nil
}

// saveReplacing writes a temporary file in path's directory and renames
// it over path.
func (t *Transcript) saveReplacing(path string, asJSON bool, o SaveOptions) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".smtpscope-save-*")
	if err != nil {
		return fmt.Errorf("cannot save to %s: %w", path, err)
	}
	tmp := f.Name()
	if err := f.Chmod(TranscriptFileMode); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("cannot save to %s: %w", path, err)
	}
	if err := t.writeFile(f, asJSON, o); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("saving to %s failed: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot replace %s: %w", path, err)
	}
	return nil
}

// writeFile writes the transcript to f and closes it.
func (t *Transcript) writeFile(f *os.File, asJSON bool, o SaveOptions) error {
	var err error
	if asJSON {
		err = t.WriteJSONL(f, o) // both writers buffer and flush themselves
	} else {
		err = t.WriteText(f, o)
	}
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
