package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/smtpscope/smtpscope/session"
	"github.com/spf13/pflag"
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
	tlsMin      string
	tlsMax      string
	certFile    string
	keyFile     string
}

// register binds the shared flags on fs. The help texts begin with a plain
// word because fang capitalises the first word ("PEM" would show as "Pem").
// insecureHelp and timeoutHelp say what those flags mean for the command.
func (f *connFlags) register(fs *pflag.FlagSet, insecureHelp, timeoutHelp string) {
	fs.BoolVar(&f.implicitTLS, "tls", false, "implicit TLS from the first byte (the default on port 465)")
	fs.StringVar(&f.startTLS, "starttls", "auto", "when to upgrade with STARTTLS: auto (when offered; the default), require (fail when not offered) or off")
	fs.BoolVar(&f.insecure, "insecure", false, insecureHelp)
	fs.StringVar(&f.helo, "helo", "", "name sent with EHLO (default: the local address as a literal)")
	fs.DurationVar(&f.timeout, "timeout", 0, timeoutHelp)
	defaultInWords(fs, "starttls", "timeout")
	fs.StringVar(&f.caFile, "ca", "", "a PEM file of extra trusted root certificates")
	fs.StringVar(&f.sni, "sni", "", "the TLS server name to send and verify (default: the host)")
	fs.StringVar(&f.tlsMin, "tls-min", "", "lowest TLS version to offer: 1.0, 1.1, 1.2, 1.3")
	fs.StringVar(&f.tlsMax, "tls-max", "", "highest TLS version to offer: 1.0, 1.1, 1.2, 1.3")
	fs.StringVar(&f.certFile, "cert", "", "a PEM client certificate to present (with --key)")
	fs.StringVar(&f.keyFile, "key", "", "the PEM private key of --cert")
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
	if err := checkHelo(f.helo); err != nil {
		return cfg, err
	}
	if f.caFile != "" {
		// Read and checked now, with a size limit: a bad --ca is a usage
		// error before anything goes out in clear text.
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if err := session.AppendCAFile(pool, f.caFile); err != nil {
			return cfg, err
		}
		cfg.RootCAs, cfg.CAFile = pool, ""
	}
	if cfg.TLSMin, err = parseTLSVersion("--tls-min", f.tlsMin); err != nil {
		return cfg, err
	}
	if cfg.TLSMax, err = parseTLSVersion("--tls-max", f.tlsMax); err != nil {
		return cfg, err
	}
	if (f.certFile == "") != (f.keyFile == "") {
		return cfg, errors.New("--cert and --key go together: give both or neither")
	}
	if f.certFile != "" {
		cert, err := tls.LoadX509KeyPair(f.certFile, f.keyFile)
		if err != nil {
			return cfg, fmt.Errorf("cannot load the client certificate: %w", err)
		}
		cfg.ClientCert = &cert
	}
	return cfg, nil
}

// tlsVersions are the --tls-min/--tls-max values.
var tlsVersions = map[string]uint16{
	"1.0": tls.VersionTLS10, "1.1": tls.VersionTLS11, "1.2": tls.VersionTLS12, "1.3": tls.VersionTLS13,
}

// parseTLSVersion reads a --tls-min/--tls-max value ("1.2", "TLS1.2");
// "" is 0, the Go default.
func parseTLSVersion(flag, v string) (uint16, error) {
	if v == "" {
		return 0, nil
	}
	ver, ok := tlsVersions[strings.TrimPrefix(strings.ToLower(v), "tls")]
	if !ok {
		return 0, fmt.Errorf("%s must be 1.0, 1.1, 1.2 or 1.3, not %q", flag, v)
	}
	return ver, nil
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

// checkHelo refuses an EHLO name that would not stay one word on one
// line: a CR or LF would end the EHLO command and smuggle another one in
// (--helo $'x\r\nRCPT TO:<…>'), and other control characters and spaces
// have no place in a domain or address literal (RFC 5321 4.1.1.1).
func checkHelo(helo string) error {
	for _, r := range helo {
		switch {
		case r == '\r' || r == '\n':
			return fmt.Errorf("--helo %q holds a line break, which would send a second command after EHLO; give a host name such as client.example.com", helo)
		case unicode.IsControl(r) || unicode.IsSpace(r):
			return fmt.Errorf("--helo %q holds a space or control character; give a host name such as client.example.com or an address literal such as [192.0.2.1]", helo)
		}
	}
	return nil
}

// maxPort is the highest TCP port number.
const maxPort = 65535

// checkAddress catches a malformed HOST:PORT before any network traffic,
// so a typo is a usage error and not a failed connect or a DNS look-up
// of something that can never be a host name.
func checkAddress(address string) error {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%q is not HOST[:PORT]: %w", address, err)
	}
	if host == "" {
		return fmt.Errorf("%q has no host name; example: smtp.example.com:587", address)
	}
	if err := checkHost(host); err != nil {
		return fmt.Errorf("%q is not HOST[:PORT]: %w", address, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > maxPort {
		return fmt.Errorf("port %q in %q is not a number from 1 to %d (SMTP uses 25, submission 587, implicit TLS 465)", port, address, maxPort)
	}
	return nil
}

// checkHost accepts an IP address (IPv6 with an optional zone) or
// something shaped like a host name: letters, digits, '-', '_' and dots.
// "127.0.0.1:25:extra" has colons but is no IPv6 address.
func checkHost(host string) error {
	if strings.Contains(host, ":") {
		if _, err := netip.ParseAddr(host); err != nil {
			return fmt.Errorf("%q has a colon but is not an IPv6 address (one port only: HOST:PORT, IPv6 as [2001:db8::1]:25)", host)
		}
		return nil
	}
	for _, r := range host {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' && r != '.' {
			return fmt.Errorf("%q cannot be a host name: it holds %q (host names are letters, digits, '-' and dots)", host, r)
		}
	}
	return nil
}
