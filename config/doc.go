// Package config reads and writes smtpscope's profiles, kept in
// $XDG_CONFIG_HOME/smtpscope/config.toml (~/.config/smtpscope/config.toml
// when the variable is unset), and finds the state directory
// $XDG_STATE_HOME/smtpscope (~/.local/state/smtpscope) where smtpscope
// keeps what it learns between runs.
//
// A profile is a [profiles.NAME] table; [defaults] holds what every
// profile starts from. Errors name the file, the line and the key. A
// password in the file is accepted only when no one but its owner can
// read or write the file.
package config
