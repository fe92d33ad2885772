package main

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/smtpscope/smtpscope/config"
)

// profilePrefix marks a command-line target that names a profile:
// `smtpscope connect @work`.
const profilePrefix = "@"

// loadProfile resolves an "@NAME" target to the profile NAME of the
// config file, [defaults] under it. ok is false when arg names no
// profile. connect, probe and doctor call it before their own checks.
func loadProfile(arg string) (p config.Profile, ok bool, err error) {
	name, ok := strings.CutPrefix(arg, profilePrefix)
	if !ok {
		return config.Profile{}, false, nil
	}
	if name == "" {
		return config.Profile{}, true, fmt.Errorf("%q names no profile; write @NAME, as listed by smtpscope profiles", arg)
	}
	cfg, err := config.LoadDefault()
	if err != nil {
		return config.Profile{}, true, err
	}
	p, err = cfg.Profile(name)
	return p, true, err
}

// applyProfile fills the shared connection flags that the command line
// did not set from p: flags always win over the profile.
func (f *connFlags) applyProfile(fs *pflag.FlagSet, p config.Profile) {
	set := func(flag string, dst *string, v string) {
		if v != "" && !fs.Changed(flag) {
			*dst = v
		}
	}
	set("starttls", &f.startTLS, p.StartTLS)
	set("helo", &f.helo, p.Helo)
	set("ca", &f.caFile, p.CA)
	set("sni", &f.sni, p.SNI)
	if p.TLS != nil && !fs.Changed("tls") {
		f.implicitTLS = *p.TLS
	}
	if p.Insecure != nil && !fs.Changed("insecure") {
		f.insecure = *p.Insecure
	}
	if d := p.TimeoutDuration(); d > 0 && !fs.Changed("timeout") {
		f.timeout = d
	}
}

// applyProfile fills the connect options the command line did not set:
// the shared flags, then user, mechanism, theme and where the secret
// comes from (one source: a --password-env or --password-cmd given on the
// command line replaces the profile's).
func (o *connectOptions) applyProfile(fs *pflag.FlagSet, p config.Profile) {
	o.connFlags.applyProfile(fs, p)
	if p.User != "" && !fs.Changed("user") {
		o.user = p.User
	}
	if p.Auth != "" && !fs.Changed("auth") {
		o.mechanism = p.Auth
	}
	if p.Theme != "" && !fs.Changed("theme") {
		o.theme = p.Theme
	}
	if !fs.Changed("password-env") && !fs.Changed("password-cmd") {
		o.passwordEnv, o.passwordCmd, o.password = p.PasswordEnv, p.PasswordCmd, p.Password
	}
}

// profile is the inverse of applyProfile: the settings of this connection
// as a profile the TUI can save (its save-profile key). It never holds a
// secret: only where the secret comes from.
func (o connectOptions) profile(address string, implicitTLS bool) config.Profile {
	p := config.Profile{
		StartTLS:    o.startTLS,
		Helo:        o.helo,
		User:        o.user,
		Auth:        o.mechanism,
		PasswordEnv: o.passwordEnv,
		PasswordCmd: o.passwordCmd,
		Theme:       o.theme,
		CA:          o.caFile,
		SNI:         o.sni,
	}
	if host, port, err := net.SplitHostPort(address); err == nil {
		p.Host = host
		p.Port, _ = strconv.Atoi(port)
	}
	if implicitTLS {
		p.TLS = &implicitTLS
	}
	if o.insecure {
		insecure := true
		p.Insecure = &insecure
	}
	if o.timeout > 0 {
		p.Timeout = o.timeout.String()
	}
	if p.StartTLS == "auto" {
		p.StartTLS = ""
	}
	return p
}
