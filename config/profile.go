package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Profile is one connection's settings: a [profiles.NAME] table, or the
// [defaults] every profile starts from. The keys are named after the
// connect and probe flags. Zero fields are unset.
type Profile struct {
	Host        string `toml:"host,omitempty"`
	Port        int    `toml:"port,omitempty"`
	TLS         *bool  `toml:"tls,omitempty"`      // implicit TLS from the first byte (--tls)
	StartTLS    string `toml:"starttls,omitempty"` // auto, require or off (--starttls)
	Helo        string `toml:"helo,omitempty"`
	User        string `toml:"user,omitempty"`
	Auth        string `toml:"auth,omitempty"` // the AUTH mechanism
	Password    string `toml:"password,omitempty"`
	PasswordCmd string `toml:"password-cmd,omitempty"`
	PasswordEnv string `toml:"password-env,omitempty"`
	Theme       string `toml:"theme,omitempty"`
	CA          string `toml:"ca,omitempty"` // PEM file of extra trusted roots (--ca)
	SNI         string `toml:"sni,omitempty"`
	Insecure    *bool  `toml:"insecure,omitempty"`
	Timeout     string `toml:"timeout,omitempty"` // a Go duration: "30s", "2m"
}

// profileKeys are the keys a profile may have, for suggestions.
var profileKeys = []string{"host", "port", "tls", "starttls", "helo", "user", "auth", "password",
	"password-cmd", "password-env", "theme", "ca", "sni", "insecure", "timeout"}

// StartTLS values, as the --starttls flag takes them.
var startTLSValues = []string{"auto", "require", "off"}

// maxPort is the highest TCP port.
const maxPort = 65535

// Address returns host:port; the port is 25 when unset, 465 with tls.
func (p Profile) Address() string {
	port := p.Port
	if port == 0 {
		port = 25
		if p.ImplicitTLS() {
			port = 465
		}
	}
	return net.JoinHostPort(p.Host, strconv.Itoa(port))
}

// ImplicitTLS reports tls = true.
func (p Profile) ImplicitTLS() bool { return p.TLS != nil && *p.TLS }

// SkipVerify reports insecure = true.
func (p Profile) SkipVerify() bool { return p.Insecure != nil && *p.Insecure }

// TimeoutDuration returns the timeout, 0 when unset (Load has checked it).
func (p Profile) TimeoutDuration() time.Duration {
	d, _ := time.ParseDuration(p.Timeout)
	return d
}

// PasswordSource says where the secret comes from, for listings: "cmd",
// "env", "file" or "" (typed in the AUTH dialog). It never shows it.
func (p Profile) PasswordSource() string {
	switch {
	case p.PasswordCmd != "":
		return "cmd"
	case p.PasswordEnv != "":
		return "env"
	case p.Password != "":
		return "file"
	}
	return ""
}

// over returns d with every field p sets replacing it.
func (p Profile) over(d Profile) Profile {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&d.Host, p.Host)
	set(&d.StartTLS, p.StartTLS)
	set(&d.Helo, p.Helo)
	set(&d.User, p.User)
	set(&d.Auth, p.Auth)
	set(&d.Theme, p.Theme)
	set(&d.CA, p.CA)
	set(&d.SNI, p.SNI)
	set(&d.Timeout, p.Timeout)
	if p.Password != "" || p.PasswordCmd != "" || p.PasswordEnv != "" {
		// One source of the secret: a profile's own replaces the default's.
		d.Password, d.PasswordCmd, d.PasswordEnv = p.Password, p.PasswordCmd, p.PasswordEnv
	}
	if p.Port != 0 {
		d.Port = p.Port
	}
	if p.TLS != nil {
		d.TLS = p.TLS
	}
	if p.Insecure != nil {
		d.Insecure = p.Insecure
	}
	return d
}

// problem is one thing wrong with a profile, with the key it is about.
type problem struct {
	key, msg string
}

// check lists what is wrong in p; themes are the known theme names.
func (p *Profile) check(themes []string) []problem {
	var out []problem
	bad := func(key, format string, args ...any) {
		out = append(out, problem{key, fmt.Sprintf(format, args...)})
	}
	if p.Host != "" {
		if strings.ContainsAny(p.Host, " /\t") {
			bad("host", "%q is not a host name", p.Host)
		} else if h, port, err := net.SplitHostPort(p.Host); err == nil {
			n, perr := strconv.Atoi(port)
			switch {
			case p.Port != 0:
				bad("host", "%q has a port and port = %d is set too; keep one", p.Host, p.Port)
			case perr != nil || n < 1 || n > maxPort:
				bad("host", "%q has no valid port", p.Host)
			default:
				p.Host, p.Port = h, n
			}
		}
		p.Host = strings.TrimSuffix(strings.TrimPrefix(p.Host, "["), "]")
	}
	if p.Port < 0 || p.Port > maxPort {
		bad("port", "%d is not a port (1 to %d; SMTP uses 25, submission 587, implicit TLS 465)", p.Port, maxPort)
	}
	if p.StartTLS != "" && !containsFold(startTLSValues, p.StartTLS) {
		bad("starttls", "%q is not one of auto, require, off", p.StartTLS)
	}
	if p.ImplicitTLS() && strings.EqualFold(p.StartTLS, "require") {
		bad("starttls", "require contradicts tls = true: implicit TLS needs no STARTTLS")
	}
	if p.Auth != "" && strings.ContainsAny(p.Auth, " \t=") {
		bad("auth", "%q is not a SASL mechanism name (PLAIN, LOGIN, CRAM-MD5, XOAUTH2, …)", p.Auth)
	}
	if p.Theme != "" && !containsFold(themes, p.Theme) {
		bad("theme", "%q is not a theme; known: %s", p.Theme, strings.Join(themes, ", "))
	}
	if p.Timeout != "" {
		if d, err := time.ParseDuration(p.Timeout); err != nil || d <= 0 {
			bad("timeout", "%q is not a positive duration such as \"30s\" or \"2m\"", p.Timeout)
		}
	}
	n := 0
	for _, v := range []string{p.Password, p.PasswordCmd, p.PasswordEnv} {
		if v != "" {
			n++
		}
	}
	if n > 1 {
		bad("password", "give one of password, password-cmd and password-env, not several")
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}
