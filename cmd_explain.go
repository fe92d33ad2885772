package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/themes"
)

// explainUsageHelp lists the input shapes `smtpscope explain` accepts; it
// is shown when the input cannot be read.
const explainUsageHelp = `expected an SMTP reply, for example:
  smtpscope explain 535
  smtpscope explain 535 5.7.8
  smtpscope explain "535-5.7.8 Username and Password not accepted"
  smtpscope explain "(535, b'5.7.8 Username and Password not accepted')"
  smtpscope explain "Remote Server returned '550 5.1.1 User unknown'"
  smtpscope explain - < reply.txt      (a whole multi-line reply on stdin)
If you only have the text, put the code in front of it:
  smtpscope explain 550 "From address is not one of your addresses"`

type explainOptions struct {
	json      bool
	host      string
	command   string
	mechanism string
}

func newExplainCmd() *cobra.Command {
	var o explainOptions
	cmd := &cobra.Command{
		Use:   "explain [--json] [--host HOST] [--command CMD] REPLY...",
		Short: "Explain an SMTP reply code or a whole reply",
		Long: `explain tells what an SMTP reply means, why it happens and what to do,
with the provider's own fix where one is known (Gmail, Microsoft 365, QQ,
NetEase, Yahoo, iCloud, Zoho, Amazon SES, SendGrid, Mailgun, Yandex,
Postfix, Exim, Sendmail, Exchange).

REPLY is a code (535), a code and enhanced code (535 5.7.8), a whole reply,
or whatever holds one: a client library's error, a debug log or transcript
(the failing reply is explained, the others listed), Python smtplib tuples,
Exchange NDRs, Exim bounces, Postfix and Sendmail log lines, a reply quoted
inside another (the inner one is the cause), Chinese client messages, and
failures with no reply at all (wrong version number, ECONNREFUSED, timeouts,
certificate errors). Every explanation names one reason from a fixed
vocabulary (docs/explain.md) and says where it came from. A 334 challenge is
decoded. Use - to read the paste from stdin.`,
		Example: `  smtpscope explain "535 5.7.8 Username and Password not accepted"
  smtpscope explain 450
  smtpscope explain --host smtp.office365.com 535 5.7.139
  smtpscope explain --json "(535, b'Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb\xb5\xc7\xc2\xbc')"`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExplain(cmd, o, args)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.json, "json", false, "print one JSON object (fields: code, enhanced, class, subject, provider, reason, reason_from, server_text, summary, causes, actions, references, diagnostics; see docs/explain.md)")
	f.StringVar(&o.host, "host", "", "the server's host name, to apply its provider's playbook (smtp.gmail.com, smtp.qq.com, …)")
	f.StringVar(&o.command, "command", "", "the command that got the reply: EHLO, AUTH, MAIL, RCPT, DATA, EOD (end of data) …")
	f.StringVar(&o.mechanism, "mechanism", "", "the AUTH mechanism that was used (XOAUTH2, OAUTHBEARER, PLAIN, LOGIN …): a refused XOAUTH2 login is a token problem")
	return cmd
}

func runExplain(cmd *cobra.Command, o explainOptions, args []string) error {
	input, err := explainInput(cmd.InOrStdin(), args)
	if errors.Is(err, errNoExplainInput) {
		return usageFailure(cmd.ErrOrStderr(), err.Error())
	}
	if err != nil {
		return err
	}
	pasted, err := protocol.ParsePastedInput(input)
	if err != nil {
		return usageFailure(cmd.ErrOrStderr(), "cannot read the input as an SMTP reply: "+err.Error())
	}
	command := pasted.Command
	if o.command != "" {
		if command, err = explainCommand(o.command); err != nil {
			return withExitCode(exitUsage, err)
		}
	}
	host := o.host
	if host == "" {
		host = pasted.Host
	}
	e := protocol.ExplainPasted(pasted, protocol.ExplainContext{Command: command, Host: host, Mechanism: o.mechanism})
	out := cmd.OutOrStdout()
	if o.json {
		return writeExplainJSON(out, e)
	}
	var styles *themes.Styles
	if isTerminal(out) && os.Getenv("NO_COLOR") == "" {
		if styles, err = themes.Choose("", false, true); err != nil {
			return err
		}
	}
	_, err = io.WriteString(out, renderExplanation(e, pasted, command, styles))
	return err
}

// errNoExplainInput is returned when explain got no arguments.
var errNoExplainInput = errors.New("no reply given")

// usageFailure prints what went wrong and the accepted input shapes, then
// ends with the usage exit status. The message is printed here rather than
// through fang so that the examples keep their line breaks.
func usageFailure(stderr io.Writer, msg string) error {
	fmt.Fprintf(stderr, "smtpscope explain: %s\n%s\n", protocol.Sanitize(msg), explainUsageHelp)
	return silentExit(exitUsage)
}

// explainInput joins the arguments, or reads stdin for "-".
func explainInput(stdin io.Reader, args []string) (string, error) {
	if len(args) == 0 {
		return "", errNoExplainInput
	}
	if len(args) == 1 && args[0] == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, protocol.MaxPastedOctets+1))
		if err != nil {
			return "", fmt.Errorf("reading the reply from stdin: %w", err)
		}
		return string(b), nil
	}
	return strings.Join(args, " "), nil
}

// explainCommand turns the --command value into a verb.
func explainCommand(s string) (string, error) {
	f := strings.Fields(strings.ToUpper(s))
	if len(f) == 0 {
		return "", nil
	}
	verb, _, _ := strings.Cut(f[0], ":")
	switch verb {
	case ".", "EOD", "END", "END-OF-DATA", "ENDOFDATA":
		return protocol.EndOfDataVerb, nil
	case "GREETING", "BANNER", "CONNECT":
		return "", nil
	case protocol.VerbEHLO, protocol.VerbHELO, protocol.VerbMAIL, protocol.VerbRCPT, protocol.VerbDATA,
		protocol.VerbBDAT, protocol.VerbRSET, protocol.VerbVRFY, protocol.VerbEXPN, protocol.VerbHELP,
		protocol.VerbNOOP, protocol.VerbQUIT, protocol.VerbAUTH, protocol.VerbSTARTTLS, protocol.VerbETRN:
		return verb, nil
	}
	return "", fmt.Errorf("unknown --command %q: use an SMTP verb (EHLO, AUTH, MAIL, RCPT, DATA, BDAT, STARTTLS, …), EOD for the end of data, or GREETING", s)
}

// explainJSON is the stable JSON shape of `smtpscope explain --json`,
// documented field by field in docs/explain.md. Fields are only ever
// added.
type explainJSON struct {
	Code        int      `json:"code"`
	Enhanced    string   `json:"enhanced"`
	Class       string   `json:"class"`
	Subject     string   `json:"subject"`
	Provider    string   `json:"provider"`
	Reason      string   `json:"reason"`
	ReasonFrom  string   `json:"reason_from"`
	ServerText  string   `json:"server_text"`
	Summary     string   `json:"summary"`
	Causes      []string `json:"causes"`
	Actions     []string `json:"actions"`
	References  []string `json:"references"`
	Diagnostics []string `json:"diagnostics"`
}

func writeExplainJSON(w io.Writer, e protocol.Explanation) error {
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(explainJSON{
		Code:        e.Code,
		Enhanced:    e.Enhanced,
		Class:       e.Class.String(),
		Subject:     e.Subject,
		Provider:    e.Provider.ID,
		Reason:      string(e.Reason),
		ReasonFrom:  string(e.ReasonFrom),
		ServerText:  e.ServerText,
		Summary:     e.Summary,
		Causes:      nonNil(e.Causes),
		Actions:     nonNil(mergeSteps(e.Actions, e.Playbook)),
		References:  nonNil(e.References),
		Diagnostics: nonNil(e.Diagnostics),
	})
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// renderExplanation lays the explanation out as text; styles nil means
// plain text without escape sequences.
func renderExplanation(e protocol.Explanation, p protocol.Pasted, command string, s *themes.Styles) string {
	style := func(st func(*themes.Styles) lipgloss.Style, text string) string {
		if s == nil {
			return text
		}
		return st(s).Render(text)
	}
	heading := func(t string) string { return style(func(s *themes.Styles) lipgloss.Style { return s.PanelTitle }, t) }
	var b strings.Builder

	facts := []string{e.Class.String()}
	if e.Code == 0 {
		facts = []string{"no reply"}
	}
	if e.Subject != "" {
		facts = append(facts, e.Subject)
	}
	if e.Provider.ID != "" {
		facts = append(facts, e.Provider.Name)
	}
	b.WriteString(style(func(s *themes.Styles) lipgloss.Style { return s.ReplyClass(e.Code).Bold(true) }, protocol.Sanitize(e.Headline)))
	b.WriteString("  " + style(func(s *themes.Styles) lipgloss.Style { return s.Muted }, strings.Join(facts, " · ")) + "\n")
	muted := func(t string) string { return style(func(s *themes.Styles) lipgloss.Style { return s.Muted }, t) }
	switch {
	case e.ServerText != "":
		b.WriteString(muted("Server said: '"+e.ServerText+"'") + "\n")
	case p.NoReply:
		b.WriteString(muted("No reply from a server: only the client's words are known.") + "\n")
	}
	b.WriteString(muted("Reason: "+string(e.Reason)+", "+protocol.Sanitize(e.Evidence)) + "\n")
	if e.Disagreement != "" {
		b.WriteString(muted("Codes and text disagree: "+protocol.Sanitize(e.Disagreement)+".") + "\n")
	}
	b.WriteString("\n" + style(func(s *themes.Styles) lipgloss.Style { return s.Text.Bold(true) }, protocol.Sanitize(e.Summary)) + "\n")
	if e.InContext != "" {
		after := "After " + command
		switch command {
		case protocol.EndOfDataVerb:
			after = "After the end of data"
		case "":
			after = "As a greeting"
		}
		b.WriteString(after + ": " + e.InContext + "\n")
	}
	list := func(title string, items []string, numbered bool) {
		if len(items) == 0 {
			return
		}
		b.WriteString("\n" + heading(title) + "\n")
		for i, it := range items {
			mark := "  •"
			if numbered {
				mark = fmt.Sprintf("  %d.", i+1)
			}
			b.WriteString(mark + " " + protocol.Sanitize(it) + "\n")
		}
	}
	list("Likely causes", e.Causes, false)
	if len(e.Playbook) > 0 {
		e.Actions = withoutSteps(e.Actions, e.Playbook)
	}
	list("What to do", mergeSteps(e.Actions, nil), false)
	if len(e.Playbook) > 0 {
		list(e.Provider.Name+" playbook", e.Playbook, true)
	}
	if len(e.References) > 0 {
		b.WriteString("\n" + heading("References") + "\n  " +
			style(func(s *themes.Styles) lipgloss.Style { return s.Ref }, strings.Join(e.References, " · ")) + "\n")
	}
	list("Protocol diagnostics", e.Diagnostics, false)
	if len(p.Others) > 0 {
		var others []string
		for _, r := range p.Others {
			line := fmt.Sprintf("%03d", r.Code)
			if !r.Enhanced.IsZero() {
				line += " " + r.Enhanced.String()
			}
			others = append(others, line+" "+abbreviateText(r.OneLine(), 90))
		}
		list("Other replies in the paste", others, false)
	}
	if read := readAs(e, p); len(read) > 0 {
		b.WriteString("\n" + muted("Read as: "+protocol.Sanitize(strings.Join(read, "; "))) + "\n")
	}
	return b.String()
}

// mergeSteps appends the playbook's steps to the actions, without repeats.
func mergeSteps(actions, playbook []string) []string {
	return append(append([]string(nil), actions...), withoutSteps(playbook, actions)...)
}

// withoutSteps returns the items of list that are not in drop.
func withoutSteps(list, drop []string) []string {
	var out []string
	for _, it := range list {
		dup := false
		for _, d := range drop {
			if it == d {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, it)
		}
	}
	return out
}

// readAs says what was found where: the paste's shape, the provider's
// evidence and a decoded 334 challenge.
func readAs(e protocol.Explanation, p protocol.Pasted) []string {
	read := append([]string(nil), p.Notes...)
	if e.Provider.ID != "" && e.ProviderFrom != "" {
		read = append(read, "provider "+e.Provider.Name+" from "+e.ProviderFrom)
	}
	if ch := e.Challenge; ch != nil {
		read = append(read, "334 challenge: "+ch.String())
	}
	return read
}

// abbreviateText shortens s to about n characters at a word boundary.
func abbreviateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndex(s[:n], " ")
	if cut < n/2 {
		cut = n
	}
	return s[:cut] + " …"
}
