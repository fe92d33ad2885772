package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Directory and file names under the XDG base directories (XDG Base
// Directory Specification 0.8).
const (
	appDir     = "smtpscope"
	configFile = "config.toml"
)

// Permissions of what smtpscope writes: readable by the user alone.
const (
	privateDirMode  os.FileMode = 0o700
	privateFileMode os.FileMode = 0o600
)

// DefaultPath returns $XDG_CONFIG_HOME/smtpscope/config.toml, or
// ~/.config/smtpscope/config.toml when the variable is unset or not an
// absolute path (the specification says to ignore a relative one).
func DefaultPath() (string, error) {
	dir, err := baseDir("XDG_CONFIG_HOME", ".config")
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, appDir, configFile), nil
}

// StateDir returns $XDG_STATE_HOME/smtpscope, or ~/.local/state/smtpscope.
// It does not create it; [WriteStateFile] does.
func StateDir() (string, error) {
	dir, err := baseDir("XDG_STATE_HOME", filepath.Join(".local", "state"))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, appDir), nil
}

// baseDir resolves an XDG base directory variable with its fallback under
// the home directory.
func baseDir(env, fallback string) (string, error) {
	if d := os.Getenv(env); filepath.IsAbs(d) {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the home directory for %s (set %s): %w", fallback, env, err)
	}
	return filepath.Join(home, fallback), nil
}

// ReadStateFile reads name from the state directory; a missing file is
// os.ErrNotExist.
func ReadStateFile(name string) ([]byte, error) {
	dir, err := StateDir()
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(dir, filepath.Base(name)))
}

// WriteStateFile replaces name in the state directory with data, the
// directory created 0700 and the file written 0600 (see [writePrivate]).
func WriteStateFile(name string, data []byte) error {
	dir, err := StateDir()
	if err != nil {
		return err
	}
	return writePrivate(filepath.Join(dir, filepath.Base(name)), data)
}

// errSymlink is returned for a target that is a symbolic link.
var errSymlink = errors.New("is a symbolic link; smtpscope does not write through links: edit the file it points to, or replace the link with a file")

// writePrivate replaces path with data atomically: a new file, mode 0600,
// in the same directory, then renamed over path. The rename replaces a
// name and never follows a link; a path that is a link is refused so that
// the user's link is not silently replaced. Missing directories are made
// 0700.
func writePrivate(path string, data []byte) error {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s %w", path, errSymlink)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, privateDirMode); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if err := tmp.Chmod(privateFileMode); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot replace %s: %w", path, err)
	}
	return nil
}
