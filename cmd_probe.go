package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// Exit statuses of `smtpscope probe`, naming the stage that failed. They
// continue the shared exitOK/exitError/exitUsage (0, 1, 2).
const (
	exitProbeConnect     = 3 // TCP connect failed (refused, timeout, no such host)
	exitProbeBanner      = 4 // no 220 greeting (timeout, 554, closed)
	exitProbeEHLO        = 5 // EHLO (and HELO) refused or unanswered
	exitProbeTLS         = 6 // STARTTLS refused or missing with --starttls=require, or the TLS handshake failed
	exitProbeCertificate = 7 // the certificate did not verify
)

// probeExitCodes maps a failed stage to its exit status.
var probeExitCodes = map[session.Stage]int{
	session.StageConnect:     exitProbeConnect,
	session.StageBanner:      exitProbeBanner,
	session.StageEHLO:        exitProbeEHLO,
	session.StageTLS:         exitProbeTLS,
	session.StageCertificate: exitProbeCertificate,
}

// mxResolver answers --mx look-ups; tests replace it.
var mxResolver session.MXResolver = net.DefaultResolver

// probeOptions are the flags of `smtpscope probe`.
type probeOptions struct {
	connFlags
	json bool
	mx   bool
}

// newProbeCmd builds `smtpscope probe HOST[:PORT]`.
func newProbeCmd() *cobra.Command {
	var o probeOptions
	cmd := &cobra.Command{
		Use:   "probe HOST[:PORT] | @PROFILE",
		Short: "Report a server's capabilities, TLS and timings, without interaction",
		Long: `probe connects, reads the banner, sends EHLO, upgrades with STARTTLS when
offered (unless --starttls=off), sends EHLO again and QUITs. It reports the
capabilities before and after TLS and their difference, each explained, the
AUTH mechanisms, the SIZE limit, the TLS version, cipher and certificate
chain with its verification, the time each stage took, and warnings.

Exit status: 0 all went well, 1 other error, 2 bad usage, 3 connect failed,
4 no 220 banner, 5 EHLO failed, 6 STARTTLS/TLS failed, 7 certificate not
trusted.`,
		Example: `  smtpscope probe smtp.gmail.com:587
  smtpscope probe mail.example.com:465 --json
  smtpscope probe example.com --mx
  smtpscope probe @work --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			target := args[0]
			p, ok, err := loadProfile(target)
			if err != nil {
				return withExitCode(exitUsage, err)
			}
			if ok {
				o.applyProfile(cmd.Flags(), p)
				target = p.Address()
			}
			return runProbe(cmd.Context(), cmd.OutOrStdout(), target, o)
		},
	}
	fs := cmd.Flags()
	o.register(fs, "do not verify the certificate (the report says unverified)",
		"limit for each stage: connect, banner, each reply (default 20s connect, 2m others)")
	fs.BoolVar(&o.json, "json", false, "print one JSON object instead of the text report")
	fs.BoolVar(&o.mx, "mx", false, "treat HOST as a mail domain: look up its MX records and probe the most preferred on port 25")
	return cmd
}

// probeConfig turns the flags into a session config; errors are usage
// errors.
func probeConfig(address string, o probeOptions) (session.Config, error) {
	cfg, err := o.sessionConfig(session.NormalizeAddress(address))
	if err != nil {
		return cfg, err
	}
	if err := checkAddress(cfg.Address); err != nil {
		return cfg, err
	}
	if o.implicitTLS && !strings.Contains(address, ":") {
		cfg.Address = net.JoinHostPort(address, session.PortSubmissions)
	}
	cfg.TLSMode = session.DefaultTLSMode(cfg.Address)
	if o.implicitTLS {
		cfg.TLSMode = session.TLSImplicit
	}
	if o.implicitTLS && cfg.StartTLS == session.StartTLSRequire {
		return cfg, errors.New("--tls and --starttls=require contradict each other: implicit TLS needs no STARTTLS")
	}
	return cfg, nil
}

func runProbe(ctx context.Context, out io.Writer, target string, o probeOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var mxs []session.MXHost
	if o.mx {
		hosts, err := session.LookupMX(ctx, mxResolver, target)
		if err != nil {
			return withExitCode(exitProbeConnect, err)
		}
		mxs = hosts
		target = hosts[0].Host
	}
	cfg, err := probeConfig(target, o)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	rep, perr := session.ProbeDetectingTLS(ctx, cfg)
	if o.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(probeJSON{ProbeReport: rep, MX: mxs}); err != nil {
			return err
		}
	} else {
		writeProbeText(out, rep, mxs, probeStyles(out))
	}
	var pe *session.ProbeError
	if errors.As(perr, &pe) {
		if !o.json {
			// The text report ends with the failed stage and why;
			// saying it again in an error box adds nothing.
			return silentExit(probeExitCodes[pe.Stage])
		}
		return withExitCode(probeExitCodes[pe.Stage], fmt.Errorf("probe of %s failed at the %s stage: %w", cfg.Address, pe.Stage, pe.Err))
	}
	return perr
}

// probeJSON adds the MX list to the report for --mx.
type probeJSON struct {
	*session.ProbeReport
	MX []session.MXHost `json:"mx,omitempty"`
}

// probeStyles styles a terminal and leaves a pipe plain.
func probeStyles(out io.Writer) *themes.Styles {
	f, ok := out.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return &themes.Styles{} // zero styles render text unchanged
	}
	st, err := themes.Choose("", os.Getenv("NO_COLOR") != "", true)
	if err != nil {
		return themes.NoColor()
	}
	return st
}
