package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/smtpscope/smtpscope/doctor"
	"github.com/smtpscope/smtpscope/learn"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
	"github.com/smtpscope/smtpscope/ui"
)

// connectQuitWait bounds how long smtpscope waits, after the TUI ends, for
// the session to send QUIT and close.
const connectQuitWait = 3 * time.Second

// stdioIsTerminal reports whether stdin and stdout are both terminals; a
// variable so that tests do not depend on how they are run.
var stdioIsTerminal = func() bool {
	return term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd())
}

// connectOptions are the flags of `smtpscope connect` (and of the root
// command's HOST[:PORT] shorthand).
type connectOptions struct {
	connFlags
	user               string
	mechanism          string
	passwordEnv        string
	passwordCmd        string
	passwordCmdTimeout time.Duration
	password           string // from a profile in a private config file, never from a flag
	provider           string
	region             string
	theme              string
	scenario           string
	manual             bool
	auto               bool
	// loopbackRemote asks before AUTH in clear text even on loopback, as
	// for a remote server (a hidden flag for tests and demonstrations).
	loopbackRemote bool
}

// presetNames lists the --provider values in order.
func presetNames() []string { return protocol.PresetNames() }

// presetAddress resolves --provider (and --region) to host:port and
// whether the port speaks implicit TLS.
func presetAddress(name, region string) (address string, implicit bool, err error) {
	p, ok := protocol.LookupPreset(name)
	if !ok {
		return "", false, fmt.Errorf("unknown --provider %q; known: %s (smtpscope providers lists them)", name, strings.Join(presetNames(), ", "))
	}
	address, err = p.Address(region)
	if err != nil {
		return "", false, fmt.Errorf("--region: %w", err)
	}
	return address, p.Implicit(), nil
}

// addConnectFlags binds the connect flags to o on fs.
func addConnectFlags(fs *pflag.FlagSet, o *connectOptions) {
	o.register(fs, "do not verify the server certificate (shown loudly on screen)",
		"give up on a connect, banner or reply after this long (default: per stage, up to 2m)")
	fs.StringVar(&o.user, "user", "", "the AUTH username (the secret is typed in the AUTH dialog, or see --password-env)")
	fs.StringVar(&o.mechanism, "auth", "", "the AUTH mechanism (default: the strongest one advertised)")
	fs.StringVar(&o.passwordEnv, "password-env", "", "read the AUTH password or token from this environment variable")
	fs.StringVar(&o.passwordCmd, "password-cmd", "", "run this command and use its output as the AUTH password or token")
	fs.DurationVar(&o.passwordCmdTimeout, "password-cmd-timeout", defaultPasswordCmdTimeout, "give up on --password-cmd after this long")
	fs.StringVar(&o.provider, "provider", "", "connect to a provider's submission server: "+strings.Join(presetNames(), ", "))
	fs.StringVar(&o.region, "region", "", "the region of a regional --provider (ses: us-east-1, eu-west-1, …)")
	fs.StringVar(&o.theme, "theme", "", "colour theme: "+strings.Join(themes.Names(), ", ")+" (default: from the terminal; NO_COLOR is honoured)")
	fs.StringVar(&o.scenario, "scenario", "", "sandbox scenario, when no HOST is given (see smtpscope sandbox --help)")
	fs.BoolVar(&o.manual, "manual", false, "do not send EHLO/STARTTLS by itself on a real server: type every command")
	fs.BoolVar(&o.auto, "auto", false, "on the sandbox, send EHLO and STARTTLS by itself (default there: you type them)")
	fs.BoolVar(&o.loopbackRemote, "treat-loopback-as-remote", false, "ask before AUTH in clear text on loopback too, as on a remote server")
	_ = fs.MarkHidden("treat-loopback-as-remote")
}

// newConnectCmd builds `smtpscope connect HOST[:PORT]`.
func newConnectCmd() *cobra.Command {
	var o connectOptions
	cmd := &cobra.Command{
		Use:   "connect [HOST[:PORT] | @PROFILE]",
		Short: "Open the interactive SMTP debugger on a server",
		Long: `connect opens the TUI on a mail server: every line on the wire, a composer
that knows the SMTP state machine, and an explanation of every reply.
Without a port it uses 25 (465 with --tls). Secrets never come from the
command line: type them in the AUTH dialog, or use --password-env or
--password-cmd. Without HOST (and without --provider) it opens the
built-in sandbox. @PROFILE uses a profile of the config file
($XDG_CONFIG_HOME/smtpscope/config.toml, see smtpscope profiles); flags
given on the command line override it.`,
		Example: `  smtpscope connect smtp.gmail.com:587 --user me@gmail.com
  smtpscope connect @work --helo laptop.example.org
  smtpscope connect --provider qq --user 12345@qq.com --password-env QQ_AUTH_CODE
  smtpscope connect mail.example.com:465 --tls --insecure`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			args, err := connectProfile(cmd.Flags(), &o, args)
			if err != nil {
				return withExitCode(exitUsage, err)
			}
			return runConnect(cmd.Context(), o, args)
		},
	}
	addConnectFlags(cmd.Flags(), &o)
	return cmd
}

// attachConnect makes the root command itself open the TUI: on the
// sandbox without arguments, on HOST[:PORT] with one.
func attachConnect(root *cobra.Command) {
	var o connectOptions
	addConnectFlags(root.Flags(), &o)
	root.Args = cobra.MaximumNArgs(1)
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 1 {
			if err := mistypedCommand(cmd, args[0]); err != nil {
				return withExitCode(exitUsage, err)
			}
		}
		args, err := connectProfile(cmd.Flags(), &o, args)
		if err != nil {
			return withExitCode(exitUsage, err)
		}
		return runConnect(cmd.Context(), o, args)
	}
}

// typoDistance is how many edits apart a word and a command name may be
// for the word to count as a typo of the command (cobra's own default).
const typoDistance = 2

// mistypedCommand reports a shorthand HOST that is more likely a misspelt
// subcommand ("smtpscope explian"): a bare word with no dot, no port and
// close to a command's name. A real host of that name can still be reached
// with `smtpscope connect NAME`.
func mistypedCommand(root *cobra.Command, arg string) error {
	if strings.ContainsAny(arg, ".:[@") || strings.EqualFold(arg, "localhost") {
		return nil
	}
	if root.SuggestionsMinimumDistance <= 0 {
		root.SuggestionsMinimumDistance = typoDistance
	}
	suggestions := root.SuggestionsFor(arg)
	if len(suggestions) == 0 {
		return nil
	}
	return fmt.Errorf("unknown command %q; did you mean %s? (to connect to a host of that name: smtpscope connect %s)",
		arg, strings.Join(suggestions, " or "), arg)
}

// runConnect checks the terminal and flags, starts the sandbox when no
// server was named, and runs the TUI until the user quits.
func runConnect(ctx context.Context, o connectOptions, args []string) error {
	st, err := chooseTheme(o.theme)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	address, implicit, err := connectAddress(o, args)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	cfg, err := connectSessionConfig(o, address, implicit)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	// Flags are checked first, so a typo is reported even from a script.
	if !stdioIsTerminal() {
		return withExitCode(exitUsage, errors.New("the interactive debugger needs a terminal on stdin and stdout; "+
			"for scripts use `smtpscope probe HOST[:PORT]` (capabilities and TLS report) or `smtpscope explain REPLY` (explain a reply)"))
	}
	opts := ui.Options{
		Styles:     st,
		ThemeFixed: (o.theme != "" && o.theme != themes.NameAuto) || os.Getenv("NO_COLOR") != "",
		NoColorEnv: os.Getenv("NO_COLOR") != "",
		Address:    address,
		Insecure:   o.insecure,
		Username:   o.user,
		RequireTLS: cfg.StartTLS == session.StartTLSRequire,
		Version:    versionString(),

		TreatLoopbackAsRemote: o.loopbackRemote,
	}
	if address != "" {
		p := o.profile(address, implicit)
		opts.Profile = &p
	}
	if address == "" {
		runner, err := startSandboxRunner(learn.Setup{Scenario: o.scenario})
		if err != nil {
			return withExitCode(exitUsage, fmt.Errorf("cannot start the sandbox: %w", err))
		}
		defer runner.Close()
		runner.configure(&cfg, &opts)
		cfg.AutoHello = o.auto
		if opts.Username == "" {
			opts.Username = sandbox.DemoUsername
		}
		// The lessons are a key away; when they cannot be read, the
		// sandbox still runs without them (smtpscope learn says why).
		opts.Lessons, _ = sandboxLessons(runner)
	}
	opts.Host, _, _ = net.SplitHostPort(cfg.Address)
	if cfg.SNI != "" {
		opts.Host = cfg.SNI
	}
	if o.passwordEnv != "" || o.passwordCmd != "" || o.password != "" {
		secret, err := readSecret(ctx, o)
		if err != nil {
			return withExitCode(exitUsage, err)
		}
		opts.Auth = &session.AuthRequest{Mechanism: strings.ToUpper(o.mechanism), Username: o.user, Secret: secret}
	}
	doctorUser, doctorAuth := o.user, opts.Auth
	if opts.Sandbox && doctorAuth == nil && doctorUser == "" {
		// On the sandbox the doctor logs in with the demo login, so that
		// each scenario's verdict can be seen.
		doctorUser, doctorAuth = sandbox.DemoAddress, &session.AuthRequest{Secret: sandbox.DemoPassword}
		opts.DoctorLogin = "the sandbox's demo login " + sandbox.DemoAddress + " (not a login typed here)"
	} else if doctorAuth != nil {
		opts.DoctorLogin = "the login smtpscope was started with (" + doctorUser + ")"
	}
	opts.Doctor = connectDoctor(cfg, doctorUser, doctorAuth)
	return runTUI(ctx, cfg, opts)
}

// runTUI runs the program on a new session until the user quits, then
// lets the session say QUIT.
func runTUI(ctx context.Context, cfg session.Config, opts ui.Options) error {
	s := session.New(cfg)
	opts.Engine = s
	opts.Events = s.Events()
	s.Connect()
	_, runErr := tea.NewProgram(ui.New(opts), tea.WithContext(ctx)).Run()
	s.Close()
	select {
	case <-s.Done():
	case <-time.After(connectQuitWait):
	}
	if runErr != nil && !errors.Is(runErr, tea.ErrProgramKilled) {
		return fmt.Errorf("terminal: %w", runErr)
	}
	return nil
}

// connectProfile replaces an @PROFILE argument with the profile's
// address and fills the options the command line left unset.
func connectProfile(fs *pflag.FlagSet, o *connectOptions, args []string) ([]string, error) {
	if len(args) == 0 {
		return args, nil
	}
	p, ok, err := loadProfile(args[0])
	if !ok || err != nil {
		return args, err
	}
	if o.provider != "" {
		return args, fmt.Errorf("give either %s or --provider, not both", args[0])
	}
	o.applyProfile(fs, p)
	return []string{p.Address()}, nil
}

// chooseTheme applies --theme, then NO_COLOR; without either the dark
// theme starts and the UI switches to light if the terminal says so.
func chooseTheme(flag string) (*themes.Styles, error) {
	return themes.Choose(flag, os.Getenv("NO_COLOR") != "", true)
}

// connectAddress works out host:port from the argument and --provider;
// "" means the sandbox.
func connectAddress(o connectOptions, args []string) (address string, implicit bool, err error) {
	implicit = o.implicitTLS
	if o.provider != "" {
		if len(args) > 0 {
			return "", false, fmt.Errorf("give either HOST[:PORT] or --provider %s, not both", o.provider)
		}
		address, presetImplicit, err := presetAddress(o.provider, o.region)
		if err != nil {
			return "", false, err
		}
		return address, presetImplicit || implicit, nil
	}
	if o.region != "" {
		return "", false, errors.New("--region goes with --provider ses")
	}
	if len(args) == 0 {
		return "", implicit, nil
	}
	address = strings.TrimSpace(args[0])
	if address == "" || strings.ContainsAny(address, "/ ") {
		return "", false, fmt.Errorf("%q is not HOST[:PORT]; example: smtpscope connect smtp.example.com:587", args[0])
	}
	if _, _, err := net.SplitHostPort(address); err != nil && implicit {
		host := strings.TrimSuffix(strings.TrimPrefix(address, "["), "]")
		address = net.JoinHostPort(host, session.PortSubmissions)
	}
	address = session.NormalizeAddress(address)
	if err := checkAddress(address); err != nil {
		return "", false, err
	}
	if session.DefaultTLSMode(address) == session.TLSImplicit {
		implicit = true
	}
	return address, implicit, nil
}

// connectSessionConfig turns the flags into a session configuration.
func connectSessionConfig(o connectOptions, address string, implicit bool) (session.Config, error) {
	cfg, err := o.sessionConfig(address)
	if err != nil {
		return cfg, err
	}
	cfg.AutoHello = !o.manual
	if implicit {
		cfg.TLSMode = session.TLSImplicit
	}
	if (o.passwordEnv != "" || o.passwordCmd != "") && o.user == "" {
		return cfg, errors.New("--password-env and --password-cmd need --user as well")
	}
	if o.password != "" && o.user == "" {
		return cfg, errors.New("the profile has a password but no user: add user = \"…\" to it, or give --user")
	}
	if o.passwordEnv != "" && o.passwordCmd != "" {
		return cfg, errors.New("give either --password-env or --password-cmd, not both")
	}
	return cfg, nil
}

// connectDoctor is the TUI's doctor key: a diagnosis of the session's
// server with its settings, on a connection of its own. The login is
// tested only when the secret came with the command line or a profile.
func connectDoctor(cfg session.Config, user string, auth *session.AuthRequest) ui.DoctorRunner {
	base := doctor.Options{Address: cfg.Address, Session: cfg, User: user}
	if auth != nil {
		base.Secret, base.Mechanism = auth.Secret, auth.Mechanism
	}
	return func(ctx context.Context, observe func(doctor.Event)) {
		o := base
		o.Observe = observe
		if _, err := doctor.Run(ctx, o); err != nil {
			v := doctor.Verdict{Title: "the doctor cannot run: " + err.Error()}
			observe(doctor.Event{Kind: doctor.EventVerdict, Verdict: &v})
		}
	}
}
