package learn

import (
	"fmt"
	"os"
	"path/filepath"
)

// appDir is smtpscope's directory under the XDG base directories.
const appDir = "smtpscope"

// StateDir returns $XDG_STATE_HOME/smtpscope, or ~/.local/state/smtpscope
// when the variable is unset or not absolute (XDG Base Directory
// Specification 0.8: a relative path is to be ignored). It creates nothing.
//
// The config package (profiles, on its way to main) has the same helper;
// this one goes when it lands.
func StateDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, appDir), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the home directory for ~/.local/state (set XDG_STATE_HOME): %w", err)
	}
	return filepath.Join(home, ".local", "state", appDir), nil
}
