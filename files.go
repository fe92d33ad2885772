package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// readUserFile reads a file named by flag, at most limit octets: a larger
// file, an endless one (/dev/zero, a pipe that never ends) or something
// that is no file gets an error naming the flag instead of all the
// memory there is.
func readUserFile(flag, path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s: %s is a directory; give the path of a file", flag, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: reading %s: %w", flag, path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %s is larger than %s; is it the right file?", flag, path, formatOctets(limit))
	}
	return data, nil
}

// formatOctets writes a bound in the largest whole binary unit.
func formatOctets(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d octets", n)
}

// errLinkedLog is returned for a --log path that is a symbolic link.
var errLinkedLog = errors.New("is a symbolic link; smtpscope does not append through links (a link planted in a shared directory would point the log at another file): give the file itself")

// openAppendLog opens path for appending, created mode 0600 when
// missing. A symbolic link, even a dangling one, is refused (as a saved
// transcript refuses one): a link planted where the log goes would point
// what the application sends into another file.
func openAppendLog(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND|syscall.O_NOFOLLOW, privateMode)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s %w", path, errLinkedLog)
		}
		return nil, err
	}
	return f, nil
}
