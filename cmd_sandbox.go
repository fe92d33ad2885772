package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/sandbox"
)

// caFileMode is the permission of the --ca-file certificate: public data.
const caFileMode = 0o644

// scenarioListWord is the --scenario value that lists the scenarios.
const scenarioListWord = "list"

// sandboxOptions are the flags of `smtpscope sandbox`.
type sandboxOptions struct {
	listen        string
	tlsListen     string
	scenario      string
	hostname      string
	bannerDelay   time.Duration
	greylistDelay time.Duration
	maxSize       int64
	caFile        string
	verbose       bool
}

func newSandboxCmd() *cobra.Command {
	var o sandboxOptions
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the built-in practice SMTP server for other clients",
		Long: `Runs smtpscope's practice SMTP server alone, for swaks, telnet, a mail
library under test, or anything else that speaks SMTP. It listens on
loopback, offers STARTTLS with a certificate made in memory at start, accepts
the demo logins it prints, keeps mail for any @sandbox.test address in memory
and prints a line for each message. Scenarios imitate real providers'
replies and failures (--scenario list shows them). Ctrl-C stops it.`,
		Example: `  smtpscope sandbox
  smtpscope sandbox --listen 127.0.0.1:2525 --scenario gmail
  smtpscope sandbox --scenario list
  smtpscope sandbox --tls-listen 127.0.0.1:4465 --scenario qq`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSandbox(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", sandbox.DefaultListen, "address to listen on (plain SMTP with STARTTLS); port 0 picks a free one")
	f.StringVar(&o.tlsListen, "tls-listen", "", "also listen here with implicit TLS (as on port 465)")
	f.StringVar(&o.scenario, "scenario", sandbox.DefaultScenario, `behaviour to imitate; "list" shows them all`)
	f.StringVar(&o.hostname, "hostname", sandbox.DefaultHostname, "the server's name in its banner and certificate")
	f.DurationVar(&o.bannerDelay, "banner-delay", 0, "wait this long before the 220 greeting (default: none, 5s in the tarpit scenario)")
	f.DurationVar(&o.greylistDelay, "greylist-delay", sandbox.DefaultGreylistDelay, "greylist scenario: how long a new sender/recipient pair is deferred")
	f.Int64Var(&o.maxSize, "max-size", sandbox.DefaultMaxMessageSize, "largest message accepted, in octets (advertised in SIZE)")
	f.StringVar(&o.caFile, "ca-file", "", "write the sandbox's CA certificate (PEM) here, for clients that verify (swaks --tls-verify --tls-ca-path FILE)")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "also print connections, TLS, logins and disconnections")
	defaultInWords(f, "banner-delay")
	return cmd
}

// runSandbox starts the server, prints how to use it and serves until ctx
// ends or the process is interrupted.
func runSandbox(ctx context.Context, stdout, stderr io.Writer, o sandboxOptions) error {
	if strings.EqualFold(o.scenario, scenarioListWord) {
		printScenarios(stdout)
		return nil
	}
	for _, addr := range []string{o.listen, o.tlsListen} {
		if addr != "" && !isLoopbackListen(addr) {
			fmt.Fprintf(stderr, "warning: %s is reachable from other machines; the sandbox's demo logins are public\n", addr)
		}
	}
	if !knownScenario(o.scenario) {
		return withExitCode(exitUsage, fmt.Errorf("unknown scenario %q; smtpscope sandbox --scenario list shows them", o.scenario))
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	out := &lockedWriter{w: stdout}
	srv, err := sandbox.Start(sandbox.Config{
		Listen:         o.listen,
		TLSListen:      o.tlsListen,
		Scenario:       o.scenario,
		Hostname:       o.hostname,
		BannerDelay:    o.bannerDelay,
		GreylistDelay:  o.greylistDelay,
		MaxMessageSize: o.maxSize,
		OnEvent:        func(e sandbox.Event) { printSandboxEvent(out, e, o.verbose) },
	})
	if err != nil {
		return fmt.Errorf("%w; choose another --listen address (port 0 picks a free one)", err)
	}
	if o.caFile != "" {
		if err := os.WriteFile(o.caFile, srv.CACertificatePEM(), caFileMode); err != nil {
			srv.Close()
			return fmt.Errorf("writing the CA certificate: %w", err)
		}
	}
	printSandboxIntro(out, srv, o.caFile)
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return fmt.Errorf("stopping the sandbox: %w", err)
	}
	fmt.Fprintf(out, "stopped; messages received: %d\n", len(srv.Messages()))
	return nil
}

// printScenarios lists the scenarios with their descriptions.
func printScenarios(w io.Writer) {
	width := 0
	for _, s := range sandbox.Scenarios() {
		width = max(width, len(s.Name))
	}
	for _, s := range sandbox.Scenarios() {
		fmt.Fprintf(w, "%-*s  %s\n", width, s.Name, s.Description)
	}
}

// printSandboxIntro tells the user where the server is, how clients
// verify its certificate (caFile: where its CA was written, if anywhere)
// and how to log in.
func printSandboxIntro(w io.Writer, srv *sandbox.Server, caFile string) {
	info := scenarioInfo(srv.Scenario())
	fmt.Fprintf(w, "smtpscope sandbox, scenario %s: %s\n", info.Name, info.Description)
	fmt.Fprintf(w, "listening on %s (SMTP, STARTTLS)\n", srv.Addr())
	if a := srv.TLSAddr(); a != "" {
		fmt.Fprintf(w, "listening on %s (implicit TLS)\n", a)
	}
	fmt.Fprintf(w, "certificate: made in memory for %s, 127.0.0.1 and ::1 by a throwaway CA\n", srv.Hostname())
	if caFile != "" {
		fmt.Fprintf(w, "CA certificate written to %s: smtpscope connect %s --ca %s · swaks --tls-verify --tls-ca-path %s\n", caFile, srv.Addr(), caFile, caFile)
	} else {
		fmt.Fprintln(w, "clients that verify need the CA: start with --ca-file FILE to write it out, then give it to them (smtpscope connect --ca FILE)")
	}
	fmt.Fprintln(w, "logins:")
	for _, c := range srv.Credentials() {
		fmt.Fprintf(w, "  %s / %s  (%s) %s\n", c.Username, c.Secret, strings.Join(c.Mechanisms, " "), c.Note)
	}
	fmt.Fprintf(w, "mail is accepted for any address @%s and kept (large or older bodies in a private temporary directory, removed on exit); Ctrl-C stops\n", sandbox.MailDomain)
}

// knownScenario reports whether name is a scenario (case-insensitive).
func knownScenario(name string) bool {
	for _, s := range sandbox.Scenarios() {
		if strings.EqualFold(s.Name, name) {
			return true
		}
	}
	return false
}

// scenarioInfo returns the description of the named scenario.
func scenarioInfo(name string) sandbox.ScenarioInfo {
	for _, s := range sandbox.Scenarios() {
		if s.Name == name {
			return s
		}
	}
	return sandbox.ScenarioInfo{Name: name}
}

// printSandboxEvent prints one line per message, and with verbose one per
// connection event. Addresses, usernames and mechanisms are what a client
// typed: they are sanitized before they reach the terminal.
func printSandboxEvent(w io.Writer, e sandbox.Event, verbose bool) {
	w = sanitizingWriter{w}
	stamp := e.Time.Format(time.TimeOnly)
	switch {
	case e.Kind == sandbox.EventMessage:
		m := e.Message
		var extra []string
		if m.TLS {
			extra = append(extra, "TLS")
		}
		if m.User != "" {
			extra = append(extra, "user "+m.User)
		}
		if m.Chunked {
			extra = append(extra, "BDAT")
		}
		fmt.Fprintf(w, "%s message #%d from <%s> to <%s>, %d octets (connection %d%s)\n", stamp, m.ID, m.From,
			strings.Join(m.To, ">, <"), m.Size, e.Conn, prefixed(", ", extra))
	case !verbose:
	case e.Kind == sandbox.EventAuth:
		verdict := "refused"
		if e.OK {
			verdict = "accepted"
		}
		fmt.Fprintf(w, "%s connection %d: AUTH %s as %q %s\n", stamp, e.Conn, e.Mechanism, e.User, verdict)
	case e.Kind == sandbox.EventDisconnect && e.Err != nil:
		fmt.Fprintf(w, "%s connection %d from %s closed: %v\n", stamp, e.Conn, e.Remote, e.Err)
	default:
		fmt.Fprintf(w, "%s connection %d from %s: %s\n", stamp, e.Conn, e.Remote, e.Kind)
	}
}

func prefixed(prefix string, parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	return prefix + strings.Join(parts, ", ")
}

// isLoopbackListen reports whether a listen address is loopback only.
func isLoopbackListen(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sanitizingWriter makes each line written safe for a terminal: a client
// of the sandbox chooses the addresses and names printed.
type sanitizingWriter struct{ w io.Writer }

func (s sanitizingWriter) Write(p []byte) (int, error) {
	lines := strings.SplitAfter(string(p), "\n")
	var b strings.Builder
	for _, l := range lines {
		body := strings.TrimSuffix(l, "\n")
		b.WriteString(protocol.Sanitize(body))
		if len(body) < len(l) {
			b.WriteByte('\n')
		}
	}
	if _, err := io.WriteString(s.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// lockedWriter serializes writes from the sandbox's connection goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
