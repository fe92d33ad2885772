package session

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// TranscriptFileMode is the permission of a saved transcript (and of any
// file [SaveFile] writes): it can hold usernames and server addresses, so
// only the user reads it.
const TranscriptFileMode = 0o600

// ErrFileExists is returned by [SaveFile] and [Transcript.Save] when the
// path exists and overwriting was not asked for: ask the user, then save
// again with overwrite set.
var ErrFileExists = errors.New("the file already exists")

// Save writes the transcript to path, as JSON lines when asJSON, else in
// the text format, with [SaveFile]'s guarantees.
func (t *Transcript) Save(path string, asJSON bool, o SaveOptions, overwrite bool) error {
	return SaveFile(path, overwrite, func(w io.Writer) error {
		if asJSON {
			return t.WriteJSONL(w, o)
		}
		return t.WriteText(w, o)
	})
}

// SaveFile writes path with write, in a file of mode [TranscriptFileMode]
// (transcripts, reports, exported code: each says who talked to which
// server). It never follows a symbolic link at path: without overwrite an
// existing path (file, link or anything else) is left alone and SaveFile
// returns an error wrapping [ErrFileExists]; with overwrite a regular file
// or a link is replaced — the new content is written to a temporary file
// beside it and renamed over it, so the link itself is replaced, its
// target untouched, and a failed save leaves the old file whole. Other
// kinds of file (a directory, a device) are refused.
func SaveFile(path string, overwrite bool, write func(io.Writer) error) error {
	fi, err := os.Lstat(path)
	switch {
	case err == nil && !overwrite:
		return fmt.Errorf("%s: %w (choose another name, or confirm to replace it)", path, ErrFileExists)
	case err == nil && !fi.Mode().IsRegular() && fi.Mode()&fs.ModeSymlink == 0:
		return fmt.Errorf("%s is not a regular file (%s); choose another name", path, fi.Mode().Type())
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot save to %s: %w", path, err)
	case err != nil:
		return saveNew(path, write)
	}
	return saveReplacing(path, write)
}

// saveNew creates path, failing if anything appeared there meanwhile
// (O_EXCL also refuses a symbolic link, even a dangling one).
func saveNew(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, TranscriptFileMode)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s: %w (choose another name, or confirm to replace it)", path, ErrFileExists)
	}
	if err != nil {
		return fmt.Errorf("cannot save to %s: %w", path, err)
	}
	if err := writeAndClose(f, write); err != nil {
		os.Remove(path)
		return fmt.Errorf("saving to %s failed: %w", path, err)
	}
	return nil
}

// saveReplacing writes a temporary file in path's directory and renames
// it over path.
func saveReplacing(path string, write func(io.Writer) error) error {
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
	if err := writeAndClose(f, write); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("saving to %s failed: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot replace %s: %w", path, err)
	}
	return nil
}

// writeAndClose writes f through a buffer, syncs and closes it.
func writeAndClose(f *os.File, write func(io.Writer) error) error {
	w := bufio.NewWriter(f)
	err := write(w)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
