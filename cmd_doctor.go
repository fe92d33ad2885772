package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/smtpscope/smtpscope/doctor"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// Exit statuses of `smtpscope doctor`: each names the stage that failed.
// They continue the shared exitOK/exitError/exitUsage (0, 1, 2).
var doctorExitCodes = map[doctor.StageName]int{
	doctor.StageWhere:     3,  // no server: unknown domain, nothing discovered
	doctor.StageReach:     4,  // no TCP connection or no greeting (other ports tried)
	doctor.StageTLS:       5,  // TLS mode, handshake or certificate
	doctor.StageEHLO:      6,  // EHLO refused
	doctor.StageSTARTTLS:  7,  // the STARTTLS enforcement test could not run
	doctor.StageAuth:      8,  // the login was refused
	doctor.StageIdentity:  9,  // the sender was refused
	doctor.StageRecipient: 10, // the recipient was refused
	doctor.StageSend:      11, // the test message was refused
}

// doctorOptions are the flags of `smtpscope doctor`. The login and
// target fields are connect's, so that profiles and secrets are read the
// same way.
type doctorOptions struct {
	connectOptions
	forAddress string
	from       string
	to         string
	send       bool
	json       bool
}

// newDoctorCmd builds `smtpscope doctor`.
func newDoctorCmd() *cobra.Command {
	var o doctorOptions
	cmd := &cobra.Command{
		Use:   "doctor [HOST[:PORT] | @PROFILE | --provider NAME | --for ADDRESS]",
		Short: "Diagnose a mail setup stage by stage and say what to fix",
		Long: `doctor runs the steps of sending mail one after the other and stops at the
first that fails, with the provider's fix: where the server is (for --for
ADDRESS: the provider's preset, SRV records, the autoconfig document, the
MX hosts), whether it can be reached (other ports are tried when not),
TLS and the certificate, EHLO before and after STARTTLS, whether the server
refuses mail in clear text (MAIL FROM, never AUTH, before STARTTLS), AUTH
(an OAuth token is read locally first), the sender against the login and
the provider's rules (--from), a recipient (--to), and with --send a short
test message. Without a port HOST means port 587 (465 with --tls).

The secret comes from --password-env or --password-cmd, a profile, or a
masked prompt on a terminal; without a terminal a missing secret is an
error. --scenario NAME diagnoses the built-in sandbox playing that scenario.

Exit status: 0 all tested stages passed, 1 other error, 2 bad usage, and
for the stage that failed: 3 where, 4 reach, 5 tls, 6 ehlo, 7 starttls,
8 auth, 9 identity, 10 recipient, 11 send.`,
		Example: `  smtpscope doctor --for me@example.com --password-env MAIL_PASSWORD
  smtpscope doctor --provider microsoft --user me@contoso.com --password-cmd 'pass show m365'
  smtpscope doctor smtp.example.com:587 --user me@example.com --from me@example.com --to you@example.org --send
  smtpscope doctor --scenario microsoft-tenant --user demo@sandbox.test --password-env DEMO --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			args, err := connectProfile(cmd.Flags(), &o.connectOptions, args)
			if err != nil {
				return withExitCode(exitUsage, err)
			}
			// ctrl+c stops the diagnosis, keeps what it found on screen
			// and says it was interrupted.
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runDoctor(ctx, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr(), o, args)
		},
	}
	addDoctorFlags(cmd.Flags(), &o)
	return cmd
}

// addDoctorFlags binds the doctor flags to o on fs.
func addDoctorFlags(fs *pflag.FlagSet, o *doctorOptions) {
	o.register(fs, "do not verify the certificate (the report says unverified)",
		"limit for each connect and each reply (default 10s connect, 30s replies)")
	fs.StringVar(&o.provider, "provider", "", "diagnose a provider's submission server: "+strings.Join(presetNames(), ", "))
	fs.StringVar(&o.region, "region", "", "the region of a regional --provider (ses: us-east-1, eu-west-1, …)")
	fs.StringVar(&o.forAddress, "for", "", "find the submission server of this email address (with a secret, log in as it unless --user says otherwise)")
	fs.StringVar(&o.user, "user", "", "the AUTH username")
	fs.StringVar(&o.mechanism, "auth", "", "the AUTH mechanism (default: the strongest one advertised; XOAUTH2 or OAUTHBEARER for a token)")
	fs.StringVar(&o.passwordEnv, "password-env", "", "read the password or token from this environment variable")
	fs.StringVar(&o.passwordCmd, "password-cmd", "", "run this command and use its output as the password or token")
	fs.DurationVar(&o.passwordCmdTimeout, "password-cmd-timeout", defaultPasswordCmdTimeout, "give up on --password-cmd after this long")
	fs.StringVar(&o.from, "from", "", "the sender (MAIL FROM and From:) to check against the login (default: the --user address)")
	fs.StringVar(&o.to, "to", "", "a recipient to test with RCPT TO")
	fs.BoolVar(&o.send, "send", false, "send a short test message to --to (nothing is sent without it)")
	fs.BoolVar(&o.json, "json", false, "print the stages and the verdict as one JSON object")
	fs.StringVar(&o.scenario, "scenario", "", "diagnose the built-in sandbox playing this scenario (see smtpscope sandbox --help)")
}

// runDoctor checks the flags, reads the secret, runs the diagnosis and
// prints it; the exit status names the failing stage.
func runDoctor(ctx context.Context, stdin io.Reader, out, errOut io.Writer, o doctorOptions, args []string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	opts, cleanup, err := doctorRunOptions(ctx, stdin, errOut, o, args)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	defer cleanup()
	var printer *doctorPrinter
	if !o.json {
		printer = newDoctorPrinter(out, probeStyles(out))
		printer.title(doctorTitle(opts))
		opts.Observe = printer.observe
	}
	rep, err := doctor.Run(ctx, opts)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	interrupted := ctx.Err() != nil
	if o.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printer.finish(rep, interrupted)
	}
	if interrupted {
		return silentExit(exitInterrupted)
	}
	if rep.Verdict.OK {
		return nil
	}
	return silentExit(doctorExitCodes[rep.Verdict.Stage])
}

// doctorTitle names what a diagnosis is about before it has found the
// server: the address, the provider, or the mail address to look up.
func doctorTitle(o doctor.Options) string {
	switch {
	case o.Address != "":
		return o.Address
	case o.Preset != "":
		return "provider " + o.Preset
	case o.For != "":
		return "for " + o.For
	}
	return ""
}

// doctorRunOptions turns the flags into doctor options; cleanup stops a
// sandbox started for --scenario.
func doctorRunOptions(ctx context.Context, stdin io.Reader, errOut io.Writer, o doctorOptions, args []string) (doctor.Options, func(), error) {
	cleanup := func() {}
	target, err := doctorTarget(o, args)
	if err != nil {
		return doctor.Options{}, cleanup, err
	}
	if o.user == "" && o.forAddress != "" && (o.passwordEnv != "" || o.passwordCmd != "" || o.password != "") {
		o.user = o.forAddress // a secret with --for logs in as that address
	}
	cfg, err := connectSessionConfig(o.connectOptions, "", false)
	if err != nil {
		return doctor.Options{}, cleanup, err
	}
	opts := doctor.Options{
		Address: target, Preset: o.provider, Region: o.region, For: o.forAddress, Session: cfg,
		User: o.user, Mechanism: o.mechanism, From: o.from, To: o.to, Send: o.send,
	}
	if o.implicitTLS {
		opts.Session.TLSMode = session.TLSImplicit
	}
	if o.scenario != "" {
		srv, err := sandbox.Start(sandbox.Config{Scenario: o.scenario})
		if err != nil {
			return opts, cleanup, fmt.Errorf("cannot start the sandbox: %w", err)
		}
		cleanup = func() { srv.Close() }
		opts.Address, opts.Session.RootCAs, opts.Session.SNI = srv.Addr(), srv.RootCAs(), srv.Hostname()
	}
	if opts.Send && opts.To == "" {
		return opts, cleanup, errors.New("--send needs a recipient: add --to ADDRESS")
	}
	if o.user != "" {
		secret, err := doctorSecret(ctx, stdin, errOut, o)
		if err != nil {
			return opts, cleanup, err
		}
		opts.Secret = secret
	}
	return opts, cleanup, nil
}

// doctorTarget checks that one target was named and gives HOST without a
// port the submission port: 587, or 465 with --tls.
func doctorTarget(o doctorOptions, args []string) (string, error) {
	named := 0
	for _, set := range []bool{len(args) > 0, o.provider != "", o.scenario != ""} {
		if set {
			named++
		}
	}
	switch {
	case named > 1:
		return "", errors.New("give one of HOST[:PORT], @PROFILE, --provider or --scenario")
	case named == 0 && o.forAddress == "":
		return "", errors.New("name what to diagnose: HOST[:PORT], @PROFILE, --provider NAME, --for ADDRESS, or --scenario NAME for the sandbox")
	case o.region != "" && o.provider == "":
		return "", errors.New("--region goes with --provider ses")
	case o.provider != "":
		_, _, err := presetAddress(o.provider, o.region)
		return "", err
	case len(args) == 0:
		return "", nil
	}
	address := strings.TrimSpace(args[0])
	if address == "" || strings.ContainsAny(address, "/ @") {
		return "", fmt.Errorf("%q is not HOST[:PORT]; for an email address use --for %s", args[0], args[0])
	}
	if _, _, err := net.SplitHostPort(address); err != nil {
		port := session.PortSubmission
		if o.implicitTLS {
			port = session.PortSubmissions
		}
		address = net.JoinHostPort(strings.Trim(address, "[]"), port)
	}
	return address, checkAddress(address)
}

// doctorSecret reads the secret from its source, or asks for it on a
// terminal; without one a missing secret is an error, never a prompt.
func doctorSecret(ctx context.Context, stdin io.Reader, errOut io.Writer, o doctorOptions) (string, error) {
	if o.passwordEnv != "" || o.passwordCmd != "" || o.password != "" {
		return readSecret(ctx, o.connectOptions)
	}
	f, ok := stdin.(*os.File)
	if !ok || !stdioIsTerminal() {
		return "", fmt.Errorf("the login of %s needs a password or token and there is no terminal to ask on: give --password-env VAR or --password-cmd CMD", o.user)
	}
	fmt.Fprintf(errOut, "Password or token for %s (not shown): ", o.user)
	b, err := term.ReadPassword(f.Fd())
	fmt.Fprintln(errOut)
	if err != nil {
		return "", fmt.Errorf("reading the secret: %w", err)
	}
	if len(b) == 0 {
		return "", errors.New("no secret typed; to skip the login test, leave out --user")
	}
	return string(b), nil
}
