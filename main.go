// Command smtpscope is an interactive terminal SMTP debugger.
//
// main.go builds the cobra command tree and runs it through fang; each
// subcommand lives in its own cmd_*.go file and turns flags into a config
// for the package that does the work (protocol, session, sandbox, ui).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/charmbracelet/fang"
	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…"; a
// build from a checkout says "devel" and its commit instead.
var version = ""

// buildVersion is the version to print and the commit it was built from:
// the -ldflags version, else for a build from a git checkout "devel" (with
// ", modified" when the work tree had changes) and the commit Go stamped
// into the binary; "" leaves fang to use the module's release version.
func buildVersion() (string, string) {
	info, ok := debug.ReadBuildInfo()
	setting := func(key string) string {
		for _, s := range info.Settings {
			if s.Key == key {
				return s.Value
			}
		}
		return ""
	}
	if version != "" {
		if ok {
			return version, setting("vcs.revision")
		}
		return version, ""
	}
	if !ok || info.Main.Sum != "" {
		return "", "" // a module download: fang prints its version
	}
	commit := setting("vcs.revision")
	if commit == "" {
		return "", ""
	}
	v := "devel"
	if setting("vcs.modified") == "true" {
		v += ", modified"
	}
	return v, commit
}

// Exit statuses shared by all commands. Commands with stage-specific
// failures (probe) define their own above these.
const (
	exitOK    = 0
	exitError = 1 // any failure without a more specific status
	exitUsage = 2 // the input could not be understood

	// exitInterrupted is a run stopped by ctrl+c (SIGINT) or SIGTERM:
	// 128 + SIGINT, as shells report a program killed by it.
	exitInterrupted = 130
)

// exitCodeError carries a specific exit status through cobra and fang.
type exitCodeError struct {
	code int
	err  error
}

func (e *exitCodeError) Error() string { return e.err.Error() }
func (e *exitCodeError) Unwrap() error { return e.err }

// withExitCode wraps err so that main exits with code.
func withExitCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitCodeError{code: code, err: err}
}

// silentExit ends the program with code without printing anything more;
// the command already said what happened.
type silentExit int

func (e silentExit) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "smtpscope [HOST[:PORT]]",
		Short: "An interactive terminal SMTP debugger",
		Long: `smtpscope talks SMTP with you, live: every line on the wire in colour, a
composer that knows the SMTP state machine and what the server advertised,
and an explanation of every reply code with the provider-specific fix.`,
		SilenceUsage: true,
		Args:         cobra.ArbitraryArgs,
	}
	root.AddCommand(
		newExplainCmd(),
		newConnectCmd(),
		newSandboxCmd(),
		newProbeCmd(),
		newProxyCmd(),
		newExportCmd(),
		newProfilesCmd(),
		newDoctorCmd(),
		newProvidersCmd(),
		newLearnCmd(),
	)
	attachConnect(root)
	markUsageErrors(root)
	return root
}

// markUsageErrors makes every flag and argument error of cmd and its
// subcommands a usage error (exit status 2), as the README promises:
// cobra reports them as plain errors. An argument error names the
// command's usage line.
func markUsageErrors(cmd *cobra.Command) {
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return withExitCode(exitUsage, err) })
	if validate := cmd.Args; validate != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			// cobra counts ("accepts 1 arg(s), received 0") without
			// saying which arguments: the usage line does.
			if err := validate(c, args); err != nil {
				return withExitCode(exitUsage, fmt.Errorf("%w; usage: %s", err, c.UseLine()))
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		markUsageErrors(sub)
	}
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line and returns the process exit status.
// Commands read stdin through cobra's InOrStdin.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	opts := []fang.Option{fang.WithErrorHandler(errorHandler)}
	if v, commit := buildVersion(); v != "" {
		opts = append(opts, fang.WithVersion(v), fang.WithCommit(commit))
	}
	if err := fang.Execute(ctx, root, opts...); err != nil {
		return exitCode(err)
	}
	return exitOK
}

// errorHandler prints an error in fang's error style, but exactly as it
// was written: fang's own handler capitalises the first word ("--Tls-Min",
// "Http://…") and adds a full stop. A usage error ends with a pointer to
// --help. A silentExit prints nothing: its command has already reported.
func errorHandler(w io.Writer, styles fang.Styles, err error) {
	var se silentExit
	if errors.As(err, &se) {
		return
	}
	fmt.Fprintln(w, styles.ErrorHeader.String())
	fmt.Fprintln(w, styles.ErrorText.UnsetTransform().Render(err.Error()))
	fmt.Fprintln(w)
	if exitCode(err) == exitUsage {
		fmt.Fprintln(w, styles.ErrorText.UnsetTransform().Render("Try --help for usage."))
		fmt.Fprintln(w)
	}
}

// exitCode is the exit status for err: the one it carries, or exitError.
func exitCode(err error) int {
	var se silentExit
	if errors.As(err, &se) {
		return int(se)
	}
	var ce *exitCodeError
	if errors.As(err, &ce) {
		return ce.code
	}
	return exitError
}
