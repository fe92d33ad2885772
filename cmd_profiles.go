package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/smtpscope/smtpscope/config"
	"github.com/smtpscope/smtpscope/protocol"
)

// profileJSON is one profile in `smtpscope profiles --json`. The secret
// itself is never listed, only where it comes from.
type profileJSON struct {
	Name        string `json:"name"`
	Address     string `json:"address"`
	TLS         string `json:"tls"`
	Helo        string `json:"helo,omitempty"`
	User        string `json:"user,omitempty"`
	Auth        string `json:"auth,omitempty"`
	Secret      string `json:"secret,omitempty"` // cmd, env or file
	PasswordEnv string `json:"password_env,omitempty"`
	Theme       string `json:"theme,omitempty"`
	CA          string `json:"ca,omitempty"`
	Insecure    bool   `json:"insecure,omitempty"`
}

// newProfilesCmd builds `smtpscope profiles`.
func newProfilesCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the connection profiles of the config file",
		Long: `profiles lists the [profiles.NAME] tables of the config file,
$XDG_CONFIG_HOME/smtpscope/config.toml (~/.config/smtpscope/config.toml),
with the [defaults] under each. Use one with smtpscope connect @NAME or
smtpscope probe @NAME. Passwords are never shown, only where they come
from (cmd, env or file).`,
		Example: `  smtpscope profiles
  smtpscope profiles --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.LoadDefault()
			if err != nil {
				return withExitCode(exitUsage, err) // as connect @NAME does with the same file
			}
			return writeProfiles(cmd.OutOrStdout(), cfg, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array instead of the table")
	return cmd
}

// writeProfiles prints the profiles as a table or JSON.
func writeProfiles(w io.Writer, cfg *config.Config, asJSON bool) error {
	list := []profileJSON{}
	for _, name := range cfg.Names() {
		p, err := cfg.Profile(name)
		if err != nil {
			return err
		}
		list = append(list, profileJSON{Name: name, Address: p.Address(), TLS: profileTLS(p), Helo: p.Helo, User: p.User,
			Auth: p.Auth, Secret: p.PasswordSource(), PasswordEnv: p.PasswordEnv, Theme: p.Theme, CA: p.CA, Insecure: p.SkipVerify()}.sanitized())
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	if len(list) == 0 {
		if !cfg.Exists {
			fmt.Fprintf(w, "No profiles: %s does not exist yet. See docs/profiles.md for its form.\n", protocol.Sanitize(cfg.Path))
		} else {
			fmt.Fprintf(w, "No profiles in %s: add a [profiles.NAME] table.\n", protocol.Sanitize(cfg.Path))
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROFILE\tADDRESS\tTLS\tUSER\tAUTH\tSECRET")
	for _, p := range list {
		fmt.Fprintf(tw, "@%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Address, p.TLS, dash(p.User), dash(p.Auth), dash(p.Secret))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nfrom %s\n", protocol.Sanitize(cfg.Path))
	return nil
}

// sanitized returns p with every text shown as visible symbols: a
// config file's values (a host name holding an escape sequence, a bidi
// override in a user name) never reach the terminal, or a JSON reader,
// raw. Values that go on the wire are checked where they are used.
func (p profileJSON) sanitized() profileJSON {
	for _, f := range []*string{&p.Name, &p.Address, &p.TLS, &p.Helo, &p.User, &p.Auth, &p.Secret, &p.PasswordEnv, &p.Theme, &p.CA} {
		*f = protocol.Sanitize(*f)
	}
	return p
}

// profileTLS says how a profile protects the connection.
func profileTLS(p config.Profile) string {
	s := "starttls " + p.StartTLS
	switch {
	case p.ImplicitTLS():
		s = "implicit"
	case p.StartTLS == "":
		s = "starttls auto"
	}
	if p.SkipVerify() {
		s += " (insecure)"
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
