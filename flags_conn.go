package main

import (
	"fmt"
	"os"
	"strings"
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
// decide, for address, after checking them the same way for connect and
// probe. The TLS mode is left to the caller: connect and probe infer it
// from the address and --tls differently.
func (f connFlags) sessionConfig(address string) (session.Config, error) {
	cfg := session.Config{
		Address:  address,
		Helo:     f.helo,
		Insecure: f.insecure,
		CAFile:   f.caFile,
		SNI:      f.sni,
		// A zero timeout leaves each stage its own default.
		Timeouts: session.Timeouts{Connect: f.timeout, Banner: f.timeout, Command: f.timeout, Data: f.timeout},
	}
	var err error
	if cfg.StartTLS, err = parseStartTLS(f.startTLS); err != nil {
		return cfg, err
	}
	if f.timeout < 0 {
		return cfg, fmt.Errorf("--timeout must be positive, not %s", f.timeout)
	}
	if f.caFile != "" {
		if _, err := os.Stat(f.caFile); err != nil {
			return cfg, fmt.Errorf("--ca %s: %w", f.caFile, err)
		}
	}
	return cfg, nil
}

// startTLSPolicies are the --starttls values.
var startTLSPolicies = map[string]session.StartTLSPolicy{
	"auto":    session.StartTLSAuto,
	"require": session.StartTLSRequire,
	"off":     session.StartTLSOff,
}

// parseStartTLS reads a --starttls value in any case; "" means auto.
func parseStartTLS(v string) (session.StartTLSPolicy, error) {
	if v == "" {
		return session.StartTLSAuto, nil
	}
	p, ok := startTLSPolicies[strings.ToLower(v)]
	if !ok {
		return session.StartTLSAuto, fmt.Errorf("--starttls must be auto, require or off, not %q", v)
	}
	return p, nil
}
