package main

import (
	"fmt"
	"time"

	"github.com/smtpscope/smtpscope/session"
)

// connFlags are the connection and TLS flags that connect and probe share.
// Each command registers them with its own help text, since what the
// flag does for the user differs (a TUI warning versus a report field).
type connFlags struct {
	implicitTLS bool
	startTLS    string
	insecure    bool
	helo        string
	timeout     time.Duration
	caFile      string
	sni         string
}

// sessionConfig returns the part of a session configuration these flags
// decide, for address. The STARTTLS policy and TLS mode are left to the
// caller: connect and probe read --starttls and --tls differently.
func (f connFlags) sessionConfig(address string) session.Config {
	return session.Config{
		Address:  address,
		Helo:     f.helo,
		Insecure: f.insecure,
		CAFile:   f.caFile,
		SNI:      f.sni,
		// A zero timeout leaves each stage its own default.
		Timeouts: session.Timeouts{Connect: f.timeout, Banner: f.timeout, Command: f.timeout, Data: f.timeout},
	}
}

// startTLSPolicies are the --starttls values.
var startTLSPolicies = map[string]session.StartTLSPolicy{
	"auto":    session.StartTLSAuto,
	"require": session.StartTLSRequire,
	"off":     session.StartTLSOff,
}

// parseStartTLS reads a --starttls value, matched exactly.
func parseStartTLS(v string) (session.StartTLSPolicy, error) {
	p, ok := startTLSPolicies[v]
	if !ok {
		return session.StartTLSAuto, fmt.Errorf("--starttls must be auto, require or off, not %q", v)
	}
	return p, nil
}
