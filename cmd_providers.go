package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/themes"
)

// providerJSON is one preset in `smtpscope providers --json`.
type providerJSON struct {
	Name          string   `json:"name"`
	Aliases       []string `json:"aliases,omitempty"`
	Title         string   `json:"title"`
	Provider      string   `json:"provider,omitempty"`
	Host          string   `json:"host"`
	Regions       bool     `json:"regional,omitempty"`
	DefaultRegion string   `json:"default_region,omitempty"`
	Port          int      `json:"port"`
	TLS           string   `json:"tls"`
	Mechanisms    []string `json:"mechanisms"`
	Username      string   `json:"username"`
	Needs         []string `json:"needs"`
	Sender        struct {
		Policy  string `json:"policy"`
		Rule    string `json:"rule"`
		Refusal string `json:"refusal"`
		Fix     string `json:"fix"`
	} `json:"sender"`
	Domains []string `json:"domains,omitempty"`
	Docs    string   `json:"docs"`
}

// newProvidersCmd builds `smtpscope providers`.
func newProvidersCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "providers [NAME]",
		Short: "List the provider presets and what each account needs",
		Long: `providers lists the presets that connect --provider, doctor --provider and
doctor --for use: the submission host, port and TLS mode, the AUTH mechanisms,
the username, what the account needs before SMTP works (an app password, an
authorization code, SMTP AUTH enabled, SMTP credentials instead of IAM keys,
the user apikey …), and which sender addresses the provider allows. With
NAME it shows one preset.`,
		Example: `  smtpscope providers
  smtpscope providers qq
  smtpscope providers --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			presets := protocol.Presets()
			if len(args) == 1 {
				p, ok := protocol.LookupPreset(args[0])
				if !ok {
					return withExitCode(exitUsage, fmt.Errorf("unknown provider %q; known: %s", args[0], strings.Join(presetNames(), ", ")))
				}
				presets = []protocol.Preset{p}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeProvidersJSON(out, presets)
			}
			writeProvidersText(out, presets, probeStyles(out))
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the presets as a JSON array")
	return cmd
}

func writeProvidersJSON(w io.Writer, presets []protocol.Preset) error {
	list := make([]providerJSON, 0, len(presets))
	for _, p := range presets {
		j := providerJSON{Name: p.Name, Aliases: p.Aliases, Title: p.Title, Provider: p.Provider, Host: p.Host,
			Regions: p.Regional(), DefaultRegion: p.DefaultRegion, Port: p.Port, TLS: string(p.TLS),
			Mechanisms: p.Mechanisms, Username: p.Username, Needs: p.Needs, Domains: p.Domains, Docs: p.Docs}
		j.Sender.Policy, j.Sender.Rule, j.Sender.Refusal, j.Sender.Fix = string(p.Identity.Kind), p.Identity.Rule, p.Identity.Refusal, p.Identity.Fix
		list = append(list, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(list)
}

// writeProvidersText prints each preset as a short block.
func writeProvidersText(w io.Writer, presets []protocol.Preset, st *themes.Styles) {
	field := func(label, value string) {
		fmt.Fprintf(w, "  %s %s\n", st.Label.Render(fmt.Sprintf("%-9s", label)), st.Value.Render(value))
	}
	for i, p := range presets {
		if i > 0 {
			fmt.Fprintln(w)
		}
		name := p.Name
		if len(p.Aliases) > 0 {
			name += " (" + strings.Join(p.Aliases, ", ") + ")"
		}
		fmt.Fprintln(w, st.PanelTitle.Render(name)+" "+st.Muted.Render(p.Title))
		server := fmt.Sprintf("%s:%d %s", p.Host, p.Port, p.TLS)
		if p.Regional() {
			server += fmt.Sprintf(" (--region, default %s)", p.DefaultRegion)
		}
		field("server", server)
		field("AUTH", strings.Join(p.Mechanisms, " "))
		field("username", p.Username)
		for j, n := range p.Needs {
			label := ""
			if j == 0 {
				label = "needs"
			}
			field(label, "• "+n)
		}
		field("sender", p.Identity.Rule)
		field("docs", p.Docs)
	}
}
