package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// emptyView is what the proxy shows where a connection's session will be,
// before any application has connected: where to point it, what it will
// see, and an example to try. Without it the screen was a narrow list
// beside a blank area.
func (a *ProxyApp) emptyView(w, h int) []string {
	st := a.ctx.Styles
	fw, _ := st.PaneBorder.GetFrameSize()
	inner := w - fw
	b := newTextBuilder(max(1, inner-2*len(panelPadding(inner))))
	src := a.opts.Proxy
	b.para(st.Text.Bold(true), "Point the application's SMTP settings at "+src.Addr()+", for example:")
	b.indented(st.Value, "swaks --server "+src.Addr()+" --tls --to you@example.com", 2)
	b.blank()
	b.para(st.Muted, "Plain SMTP there, with STARTTLS offered; smtpscope relays to "+src.Upstream()+".")
	if tls := src.TLSAddr(); tls != "" {
		b.para(st.Muted, "An application set to SSL/TLS (as on port 465) connects to "+tls+".")
	}
	b.blank()
	b.para(st.Text, "Each connection appears in the list, and its session here, live: every command and reply, "+
		"AUTH steps decoded with the secrets redacted, and each reply explained.")
	if a.opts.CAFingerprint != "" {
		b.blank()
		trust := "restart with --ca-out FILE and give it the file."
		if a.opts.CAFile != "" {
			trust = "it is saved in " + a.opts.CAFile + " (--ca-out): make the application trust that file."
		}
		b.para(st.Muted, "smtpscope answers STARTTLS with a certificate of its own CA (SHA-256 "+a.opts.CAFingerprint+
			"); an application that verifies needs that CA: "+trust)
	}
	widths := make([]int, len(b.lines))
	for i, l := range b.lines {
		widths[i] = ansi.StringWidth(l)
	}
	title := func(int, bool, bool) string { return st.PanelTitle.Render("Waiting for an application to connect") }
	return strings.Split(drawTextBox(st, false, w, h, b.lines, widths, 0, title), "\n")
}
