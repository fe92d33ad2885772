package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/smtpscope/smtpscope/export"
	"github.com/smtpscope/smtpscope/message"
	"github.com/smtpscope/smtpscope/session"
)

// formatReport is the --format value of the share-safe report.
const formatReport = "report"

// exportOptions are the flags of `smtpscope export`.
type exportOptions struct {
	format        string
	output        string
	server        string
	user          string
	from          string
	to            []string
	message       string
	passwordEnv   string
	caEnv         string
	hideAddresses bool
	hideHosts     bool
	conn          int
}

// newExportCmd builds `smtpscope export FILE.jsonl`.
func newExportCmd() *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export FILE.jsonl",
		Short: "Turn a saved session into a swaks or curl command, or Python, nodemailer or Go code",
		Long: `export reads a transcript saved from the TUI as JSON lines (ctrl+s) and
writes code that does what the session did: the same server, port, TLS,
EHLO name, AUTH mechanism and user, envelope and message. Secrets are
never written: the code reads them from an environment variable, named
on stderr and in the code. Certificates stay verified; for a private CA
the code takes a PEM file from $SMTP_CA_FILE.

--format report writes instead a Markdown report to paste into a bug
report: the transcript with passwords, AUTH data and user names
redacted, the failing reply explained, smtpscope's version and the OS.`,
		Example: `  smtpscope export --format python session.jsonl -o send.py
  smtpscope export --format curl session.jsonl --user me@example.com
  smtpscope export --format report session.jsonl --hide-addresses`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr(), args[0], o)
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&o.format, "format", "f", string(export.Swaks), "swaks (the default), curl, python, nodemailer, go, or report (a share-safe Markdown report)")
	defaultInWords(fs, "format")
	fs.StringVarP(&o.output, "output", "o", "", "write to this file instead of stdout")
	fs.StringVar(&o.server, "server", "", "the server as HOST[:PORT], when the transcript does not say or to send elsewhere")
	fs.StringVar(&o.user, "user", "", "the AUTH username, when the transcript hides it")
	fs.StringVar(&o.from, "from", "", "the envelope sender, instead of the session's")
	fs.StringSliceVar(&o.to, "to", nil, "the recipients, instead of the session's (repeat or separate with commas)")
	fs.StringVar(&o.message, "message", "", "a file with the message (headers and body), when the transcript does not hold it")
	fs.StringVar(&o.passwordEnv, "password-env", "", "the environment variable the code reads the secret from (default SMTP_PASSWORD, SMTP_TOKEN for OAuth)")
	fs.StringVar(&o.caEnv, "ca-env", "", "the environment variable naming a CA file for the code to trust (default SMTP_CA_FILE)")
	fs.IntVar(&o.conn, "conn", 0, "the connection to export, by its number (a proxy log's #N, or the Nth connection of a session that reconnected); default: the last that delivered a message")
	fs.BoolVar(&o.hideAddresses, "hide-addresses", false, "report: replace mail addresses with [address N]")
	fs.BoolVar(&o.hideHosts, "hide-hosts", false, "report: replace host names and IP addresses with [host N]")
	return cmd
}

// runExport reads the transcript and writes the export.
func runExport(stdin io.Reader, stdout, stderr io.Writer, file string, o exportOptions) error {
	report := strings.EqualFold(o.format, formatReport)
	var format export.Format
	if !report {
		f, err := export.ParseFormat(o.format)
		if err != nil {
			return withExitCode(exitUsage, fmt.Errorf("%w, or report", err))
		}
		format = f
	}
	known, err := exportKnown(o)
	if err != nil {
		return withExitCode(exitUsage, err)
	}
	lines, err := readTranscript(stdin, file)
	if err != nil {
		return err
	}
	if o.conn != 0 {
		if lines, err = connectionLines(lines, o.conn); err != nil {
			return withExitCode(exitUsage, err)
		}
	}
	var text string
	if report {
		text = export.Report(lines, export.ReportOptions{Version: versionString(), Usernames: nonEmpty(o.user),
			HideAddresses: o.hideAddresses, HideHosts: o.hideHosts})
	} else {
		r, err := export.Export(lines, known, format, export.Options{PasswordEnv: o.passwordEnv, CAFileEnv: o.caEnv})
		switch {
		case errors.Is(err, export.ErrNoServer):
			return fmt.Errorf("%w; give it with --server HOST:PORT", err)
		case errors.Is(err, export.ErrNoRecipient):
			return fmt.Errorf("%w; give one with --to ADDRESS", err)
		case err != nil:
			return err
		}
		text = r.Code
		for _, e := range r.Env {
			need := "optional"
			if e.Required {
				need = "set it"
			}
			fmt.Fprintf(stderr, "%s (%s): %s\n", e.Name, need, e.Purpose)
		}
		for _, n := range r.Notes {
			fmt.Fprintf(stderr, "note: %s\n", n)
		}
	}
	if o.output == "" {
		_, err := io.WriteString(stdout, text)
		return err
	}
	// Replaced atomically, never written through a symbolic link.
	return session.SaveFile(o.output, true, func(w io.Writer) error {
		_, err := io.WriteString(w, text)
		return err
	})
}

// exportKnown turns the flags into what overrides the transcript.
func exportKnown(o exportOptions) (export.Session, error) {
	var k export.Session
	if o.server != "" {
		if err := k.SetAddress(o.server); err != nil {
			return k, fmt.Errorf("--server: %w", err)
		}
	}
	if o.user != "" {
		k.Auth = &export.Auth{Username: o.user}
	}
	k.From, k.To = o.from, o.to
	if o.message != "" {
		b, err := readUserFile("--message", o.message, message.DefaultMaxSize)
		if err != nil {
			return k, err
		}
		k.Message = b
	}
	return k, nil
}

// connectionLines keeps the lines of connection n (the Gen of a saved
// session, the conn of a proxy log), or says which numbers there are.
func connectionLines(lines []session.Line, n int) ([]session.Line, error) {
	var out []session.Line
	last := 0
	for _, l := range lines {
		last = max(last, l.Gen)
		if l.Gen == n {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--conn %d: the transcript has no connection %d; its connections are numbered 1 to %d", n, n, last)
	}
	return out, nil
}

// readTranscript reads a JSON-lines transcript from a file or stdin ("-").
func readTranscript(stdin io.Reader, file string) ([]session.Line, error) {
	r := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("cannot read the transcript: %w", err)
		}
		defer f.Close()
		r = f
	}
	lines, err := session.ReadJSONL(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (export reads the JSON-lines transcript the TUI saves with ctrl+s)", file, err)
	}
	return lines, nil
}

// versionString is smtpscope's version: the one set at build time, else
// the module's from the build information.
func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "devel"
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
