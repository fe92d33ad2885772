package main

import (
	"fmt"
	"github.com/charmbracelet/x/ansi"
	"io"
	"strings"

	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// probeLabelWidth aligns the labels of the text report.
const probeLabelWidth = 12

// probeTimingOrder is the order stages are listed in.
var probeTimingOrder = []string{"connect", "tls", "banner", "ehlo", "starttls", "ehlo_tls", "quit", "total"}

// writeProbeText prints the report for people.
func writeProbeText(w io.Writer, r *session.ProbeReport, mxs []session.MXHost, st *themes.Styles) {
	head := func(s string) { fmt.Fprintln(w, "\n"+st.PanelTitle.Render(s)) }
	field := func(label, value string) {
		fmt.Fprintf(w, "%s %s\n", st.Label.Render(fmt.Sprintf("%-*s", probeLabelWidth, label)), st.Value.Render(value))
	}
	fmt.Fprintln(w, st.PanelTitle.Render("smtpscope probe "+r.Address))
	if len(mxs) > 0 {
		var parts []string
		for _, m := range mxs {
			parts = append(parts, fmt.Sprintf("%d %s", m.Pref, m.Host))
		}
		field("MX", strings.Join(parts, " · "))
	}
	if r.RemoteAddr != "" {
		field("Connected", r.RemoteAddr)
	}
	if r.Banner != "" {
		field("Banner", strings.ReplaceAll(r.Banner, "\r\n", " | "))
	}
	if r.Provider != "" {
		field("Provider", r.Provider)
	}
	if r.TLS != nil {
		writeProbeTLS(w, r, st, field)
	}
	if r.CapabilitiesPlain != nil {
		head("Capabilities before TLS")
		writeProbeCaps(w, r.CapabilitiesPlain, st)
	}
	if r.CapabilitiesTLS != nil {
		head("Capabilities inside TLS")
		writeProbeCaps(w, r.CapabilitiesTLS, st)
	}
	if len(r.Changes) > 0 {
		head("Changed by STARTTLS")
		for _, c := range r.Changes {
			switch c.Change {
			case "added":
				fmt.Fprintln(w, "  "+st.Added.Render("+ "+strings.TrimSpace(c.Keyword+" "+strings.Join(c.After, " "))))
			case "removed":
				fmt.Fprintln(w, "  "+st.Removed.Render("- "+strings.TrimSpace(c.Keyword+" "+strings.Join(c.Before, " "))))
			default:
				fmt.Fprintf(w, "  ~ %s: %s → %s\n", c.Keyword, strings.Join(c.Before, " "), strings.Join(c.After, " "))
			}
		}
	}
	fmt.Fprintln(w)
	if r.AuthMechanisms != nil {
		field("AUTH", strings.Join(r.AuthMechanisms, " "))
	} else if r.FailedStage == "" {
		field("AUTH", "not offered")
	}
	if r.SizeLimit != nil {
		field("SIZE", fmt.Sprintf("%s (%d octets)", r.SizeHuman, *r.SizeLimit))
	}
	var times []string
	for _, k := range probeTimingOrder {
		if v, ok := r.TimingsMS[k]; ok {
			times = append(times, fmt.Sprintf("%s %.1f ms", k, v))
		}
	}
	field("Timings", strings.Join(times, " · "))
	if len(r.Warnings) > 0 {
		head("Warnings")
		for _, wn := range r.Warnings {
			fmt.Fprintln(w, "  "+st.WarnLine.Render("! "+wn))
		}
	}
	if r.Error != "" {
		head("Failed at the " + string(r.FailedStage) + " stage")
		fmt.Fprintln(w, "  "+st.ErrorLine.Render(r.Error))
	}
}

// writeProbeTLS prints the TLS facts and the chain.
func writeProbeTLS(w io.Writer, r *session.ProbeReport, st *themes.Styles, field func(string, string)) {
	t := r.TLS
	mode := map[string]string{"implicit": "implicit TLS", "starttls": "STARTTLS"}[r.TLSMode]
	field("TLS", strings.TrimPrefix(mode+" · ", " · ")+t.Version+" · "+t.Cipher)
	switch {
	case t.Insecure:
		field("Verified", st.Insecure.Render("NOT verified (--insecure)"))
	case t.Verified:
		field("Verified", st.StatusOK.Render("✓ chain and host name verified"))
	default:
		why := t.VerifyError
		if t.VerifyHint != "" {
			why += " (" + t.VerifyHint + ")"
		}
		field("Verified", st.StatusBad.Render("✗ "+why))
	}
	if t.ServerName != "" {
		field("SNI", t.ServerName)
	}
	for i, c := range t.Chain {
		label := "Certificate"
		if i > 0 {
			label = fmt.Sprintf("  chain %d", i)
		}
		field(label, fmt.Sprintf("%s · issuer %s · %s · %s · valid %s to %s",
			c.Subject, c.Issuer, c.KeyType, c.Signature, c.NotBefore.UTC().Format("2006-01-02"), c.NotAfter.UTC().Format("2006-01-02")))
		if len(c.Names) > 0 && i == 0 {
			field("  names", strings.Join(c.Names, ", "))
		}
	}
}

// Widths of the keyword column of the capability lists: the longest
// keyword sets it, up to probeCapMaxWidth; a longer one ("AUTH" with many
// mechanisms) puts its description on the next line, in the column.
const (
	probeCapMinWidth = 20
	probeCapMaxWidth = 40
)

// writeProbeCaps prints one capability list, each keyword explained, the
// descriptions in one column.
func writeProbeCaps(w io.Writer, caps []session.ProbeCapability, st *themes.Styles) {
	keywords := make([]string, len(caps))
	width := probeCapMinWidth
	for i, c := range caps {
		keywords[i] = strings.TrimSpace(c.Keyword + " " + strings.Join(c.Params, " "))
		if n := ansi.StringWidth(keywords[i]); n > width && n <= probeCapMaxWidth {
			width = n
		}
	}
	for i, c := range caps {
		line := "  " + keywords[i]
		if c.Name != "" {
			desc := st.Muted.Render(c.Name)
			if c.RFC != "" {
				desc += " " + st.Ref.Render("("+c.RFC+")")
			}
			pad := width - ansi.StringWidth(keywords[i])
			if pad < 0 {
				line += "\n  " + strings.Repeat(" ", width)
				pad = 0
			}
			line += strings.Repeat(" ", pad) + " " + desc
		}
		fmt.Fprintln(w, line)
	}
}
