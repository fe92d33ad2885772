package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/smtpscope/smtpscope/localca"
	"github.com/smtpscope/smtpscope/proxy"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
	"github.com/smtpscope/smtpscope/ui"
)

// File modes of what the proxy writes: the CA certificate is public, the
// CA with its key and the log are the user's alone.
const (
	caCertFileMode = 0o644
	privateMode    = 0o600
)

// proxyOptions are the flags of `smtpscope proxy`.
type proxyOptions struct {
	upstream        string
	listen          string
	tlsListen       string
	upstreamTLS     bool
	upstreamSTLS    string
	caFile          string
	insecure        bool
	sni             string
	timeout         time.Duration
	caOut           string
	downstreamCA    string
	certNames       []string
	logFile         string
	noTUI           bool
	theme           string
	showUsername    bool
	maxConns        int
	noDownstreamTLS bool
}

func newProxyCmd() *cobra.Command {
	var o proxyOptions
	cmd := &cobra.Command{
		Use:   "proxy",
		Short: "Sit between an application and its mail server and show its session live",
		Long: `proxy listens for an application's SMTP connections and relays each to the
upstream server, showing the application's own session live: every command
and reply, AUTH steps decoded (secrets redacted), and an explanation of
what the application gets wrong (AUTH before STARTTLS, TLS spoken to a
STARTTLS port, a username or sender the provider refuses, …).

Point the application at the listen address instead of its mail server.
Commands and replies pass unchanged; TLS is terminated on both legs:
smtpscope answers the application's STARTTLS with a certificate from a CA
it makes at start (printed; --ca-out saves it for applications that
verify), and talks TLS to the server on its own, verified as usual.

Without a terminal, or with --no-tui, the live transcript goes to stdout
and --log FILE.jsonl gets JSON lines per connection, redacted. Without a
port, --upstream uses 587 (465 with --upstream-tls). Ctrl-C stops it.`,
		Example: `  smtpscope proxy --upstream smtp.gmail.com:587
  smtpscope proxy --upstream smtp.qq.com --upstream-tls --listen 127.0.0.1:2525 --downstream-tls-listen 127.0.0.1:2465
  smtpscope proxy --upstream mail.example.com --ca-out smtpscope-ca.pem --log session.jsonl --no-tui`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runProxy(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.upstream, "upstream", "", "the mail server the application should reach, HOST[:PORT] (required)")
	f.StringVar(&o.listen, "listen", proxy.DefaultListen, "where applications connect (plain SMTP with STARTTLS); another address than loopback is reachable from other machines")
	f.StringVar(&o.tlsListen, "downstream-tls-listen", "", "also listen here with implicit TLS, for applications set to SSL/TLS (as on port 465)")
	f.BoolVar(&o.upstreamTLS, "upstream-tls", false, "implicit TLS to the server from the first byte (the default on port 465)")
	f.StringVar(&o.upstreamSTLS, "upstream-starttls", "auto", "when to upgrade the upstream leg with STARTTLS: auto (when offered; the default), require (refuse to go on without) or off")
	f.StringVar(&o.caFile, "ca", "", "a PEM file of extra root certificates to trust for the server")
	f.BoolVar(&o.insecure, "insecure", false, "do not verify the server's certificate (said loudly on every connection)")
	f.StringVar(&o.sni, "sni", "", "the TLS server name to send and verify upstream (default: the host)")
	f.DurationVar(&o.timeout, "timeout", 0, "give up on the server's connect, greeting or reply after this long (default: per stage, up to 10m)")
	f.StringVar(&o.caOut, "ca-out", "", "write the CA certificate (PEM) that signs smtpscope's certificate here, for applications that verify")
	f.StringVar(&o.downstreamCA, "downstream-ca", "", "keep the CA (certificate and key, PEM) in this file: made there (mode 0600) when missing, reused when present, so an application trusts it across runs")
	f.StringSliceVar(&o.certNames, "cert-name", nil, "extra host name or IP address for smtpscope's certificate (the application connects by it); repeatable")
	f.StringVar(&o.logFile, "log", "", "append JSON lines (one per transcript line, with a connection id) to this file; secrets are never written")
	f.BoolVar(&o.noTUI, "no-tui", false, "print the live transcript to stdout even on a terminal")
	f.StringVar(&o.theme, "theme", "", "colour theme for the TUI: "+strings.Join(themes.Names(), ", "))
	f.BoolVar(&o.showUsername, "show-username", false, "show the AUTH username in the transcript and log (passwords never)")
	f.IntVar(&o.maxConns, "max-conns", proxy.DefaultMaxConns, "most application connections at once; more are answered 421")
	defaultInWords(f, "upstream-starttls", "timeout")
	f.BoolVar(&o.noDownstreamTLS, "no-downstream-starttls", false, "do not offer STARTTLS to the application (it then talks to smtpscope in clear text)")
	return cmd
}

// runProxy checks the flags, starts the proxy, prints how to use it and
// relays until ctx ends or the process is interrupted.
func runProxy(ctx context.Context, stdout, stderr io.Writer, o proxyOptions) error {
	st, err := chooseTheme(o.theme)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	cfg, err := proxyConfig(o)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	for _, addr := range []string{o.listen, o.tlsListen} {
		if addr != "" && !isLoopbackListen(addr) {
			fmt.Fprintf(stderr, "warning: %s is reachable from other machines: anyone who reaches it talks to %s through smtpscope, and the sessions it shows may hold their mail\n", addr, cfg.Upstream.Address)
		}
	}
	ca, created, err := loadDownstreamCA(o.downstreamCA)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	cfg.CA = ca
	var logf *os.File
	if o.logFile != "" {
		if logf, err = openAppendLog(o.logFile); err != nil {
			return withExitCode(exitUsage, fmt.Errorf("cannot open the --log file: %w", err))
		}
		defer logf.Close()
		cfg.Log = logf
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	p, err := proxy.Start(ctx, cfg)
	if err != nil {
		return fmt.Errorf("%w; choose another --listen address (port 0 picks a free one)", err)
	}
	defer p.Close()
	if o.caOut != "" {
		if err := os.WriteFile(o.caOut, p.CA().CertificatePEM(), caCertFileMode); err != nil {
			return fmt.Errorf("cannot write the --ca-out file: %w", err)
		}
	}
	out := &lockedWriter{w: stdout}
	if stdioIsTerminal() && !o.noTUI {
		return runProxyTUI(ctx, p, cfg, o, st)
	}
	printProxyIntro(out, p, cfg, o, created)
	pr := newProxyPrinter(out)
	// The proxy closes itself when ctx ends (Ctrl-C); Events is closed
	// once every connection has ended.
	for batch := range p.Events() {
		for _, e := range batch {
			pr.print(e)
		}
	}
	fmt.Fprintf(out, "stopped; %d connections, %d messages accepted by the server\n", pr.conns, pr.messages)
	return nil
}

// proxyConfig turns the flags into a proxy configuration.
func proxyConfig(o proxyOptions) (proxy.Config, error) {
	cfg := proxy.Config{
		Listen: o.listen, TLSListen: o.tlsListen, CertNames: o.certNames,
		ShowUsername: o.showUsername, MaxConns: o.maxConns, NoDownstreamStartTLS: o.noDownstreamTLS,
	}
	if strings.TrimSpace(o.upstream) == "" {
		return cfg, errors.New("no upstream server: give --upstream HOST[:PORT], the mail server the application should reach (example: --upstream smtp.gmail.com:587)")
	}
	address, err := proxyUpstreamAddress(o.upstream, o.upstreamTLS)
	if err != nil {
		return cfg, err
	}
	policy, err := parseStartTLS(o.upstreamSTLS)
	if err != nil {
		return cfg, fmt.Errorf("unknown --upstream-starttls value %q: use auto, require or off", o.upstreamSTLS)
	}
	if o.timeout < 0 {
		return cfg, fmt.Errorf("the --timeout must be positive, not %s", o.timeout)
	}
	if o.maxConns < 1 {
		return cfg, fmt.Errorf("at least one connection must be allowed, not --max-conns %d", o.maxConns)
	}
	if o.caFile != "" {
		if _, err := os.Stat(o.caFile); err != nil {
			return cfg, fmt.Errorf("cannot read the --ca file: %w", err)
		}
	}
	for _, l := range []struct{ flag, addr string }{{"--listen", o.listen}, {"--downstream-tls-listen", o.tlsListen}} {
		if l.addr == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(l.addr); err != nil {
			return cfg, fmt.Errorf("the %s address %q is not HOST:PORT (example: 127.0.0.1:2525)", l.flag, l.addr)
		}
	}
	cfg.Upstream = session.Config{
		Address: address, StartTLS: policy, Insecure: o.insecure, CAFile: o.caFile, SNI: o.sni,
		Timeouts: session.Timeouts{Connect: o.timeout, Banner: o.timeout, Command: o.timeout, Data: o.timeout},
	}
	if o.upstreamTLS || session.DefaultTLSMode(address) == session.TLSImplicit {
		cfg.Upstream.TLSMode = session.TLSImplicit
	}
	return cfg, nil
}

// proxyUpstreamAddress reads --upstream: without a port, 587 (submission,
// what applications hand mail to) or 465 with --upstream-tls.
func proxyUpstreamAddress(v string, implicit bool) (string, error) {
	address := strings.TrimSpace(v)
	if strings.ContainsAny(address, "/ ") {
		return "", fmt.Errorf("the --upstream address %q is not HOST[:PORT]; example: smtp.example.com:587", v)
	}
	if _, _, err := net.SplitHostPort(address); err != nil {
		port := session.PortSubmission
		if implicit {
			port = session.PortSubmissions
		}
		address = net.JoinHostPort(strings.TrimSuffix(strings.TrimPrefix(address, "["), "]"), port)
	}
	if err := checkAddress(address); err != nil {
		return "", fmt.Errorf("bad --upstream address: %w", err)
	}
	return address, nil
}

// loadDownstreamCA reads the --downstream-ca file, or makes a CA and
// saves it there (certificate and key, readable by the owner alone).
// Without the flag it returns nil: the proxy makes one in memory.
func loadDownstreamCA(path string) (ca *localca.Authority, created bool, err error) {
	if path == "" {
		return nil, false, nil
	}
	data, err := readUserFile("--downstream-ca", path, session.MaxCAFileSize)
	switch {
	case err == nil:
		ca, err := localca.Load(data)
		if err != nil {
			return nil, false, fmt.Errorf("cannot use the --downstream-ca file %s: %w (delete the file to make a new CA)", path, err)
		}
		return ca, false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, false, fmt.Errorf("cannot read the CA: %w", err)
	}
	now := time.Now()
	ca, err = localca.New(localca.Options{CommonName: "smtpscope proxy CA (kept in " + path + ")", Organization: "smtpscope",
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0)})
	if err != nil {
		return nil, false, err
	}
	key, err := ca.KeyPEM()
	if err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateMode)
	if err != nil {
		return nil, false, fmt.Errorf("cannot create the --downstream-ca file: %w", err)
	}
	_, err = f.Write(append(ca.CertificatePEM(), key...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, false, fmt.Errorf("cannot write the --downstream-ca file %s: %w", path, err)
	}
	return ca, true, nil
}

// runProxyTUI shows the proxy's connections live in the terminal until
// the user quits (the proxy then stops) or the proxy ends.
func runProxyTUI(ctx context.Context, p *proxy.Proxy, cfg proxy.Config, o proxyOptions, st *themes.Styles) error {
	app := ui.NewProxyApp(ui.ProxyOptions{
		Proxy:         p,
		Styles:        st,
		ThemeFixed:    (o.theme != "" && o.theme != themes.NameAuto) || os.Getenv("NO_COLOR") != "",
		NoColorEnv:    os.Getenv("NO_COLOR") != "",
		Insecure:      cfg.Upstream.Insecure,
		CAFingerprint: p.CA().Fingerprint(),
		CAFile:        o.caOut,
		Version:       versionString(),
	})
	_, err := tea.NewProgram(app, tea.WithContext(ctx)).Run()
	p.Close()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("terminal: %w", err)
	}
	return nil
}
