package ui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/smtpscope/smtpscope/protocol"
)

// lipglossStyle keeps signatures in this package short.
type lipglossStyle = lipgloss.Style

// sessionLabelWidth aligns the values of the Session tab's fields.
const sessionLabelWidth = 10

// buildSession fills the Session tab: where we are connected, who the
// provider seems to be, timings and counts.
func (p *ExplainPanel) buildSession(b *textBuilder) {
	st := p.ctx.Styles
	s := p.summary
	field := func(label, value string) { b.field(st.Label, label, sessionLabelWidth, st.Value, value) }

	addr := s.Address
	if addr == "" {
		addr = "—"
	}
	field("Server", protocol.Sanitize(addr))
	switch {
	case s.Sandbox:
		field("Kind", "sandbox (built-in practice server, loopback only)")
	case s.Provider.Name != "":
		field("Provider", s.Provider.Name+" (detected)")
	default:
		field("Provider", "not recognised")
	}
	field("State", p.stateLine())
	if !s.Connected.IsZero() {
		conn := p.ctx.Local(s.Connected).Format(time.TimeOnly)
		if s.Generation > 1 {
			conn += " · connection #" + strconv.Itoa(s.Generation)
		}
		field("Connected", conn)
	}
	b.blank()
	field("Banner", formatDuration(s.BannerDelay))
	field("Last reply", formatDuration(s.LastLatency))
	field("Commands", strconv.Itoa(s.Commands))
	field("Replies", strconv.Itoa(s.Replies))
	errSt := st.Value
	if s.Errors > 0 {
		errSt = st.ClassPermanent
	}
	b.field(st.Label, "Errors", sessionLabelWidth, errSt, strconv.Itoa(s.Errors)+" (4yz/5yz replies)")
	if s.Sandbox && len(s.DemoLogins) > 0 {
		b.blank()
		b.para(st.PanelTitle, "Demo logins")
		for _, l := range demoLoginEntries(s.DemoLogins) {
			b.bullet(st.Muted, "•", st.Text, l)
		}
	}
}

// demoLoginEntries are the logins of the sandbox's scenario, one each,
// without the heading line the pane shows above them.
func demoLoginEntries(lines []string) []string {
	var out []string
	for i, l := range lines {
		if i == 0 && len(lines) > 1 && strings.HasSuffix(l, ":") {
			continue
		}
		out = append(out, protocol.Sanitize(strings.TrimSpace(l)))
	}
	return out
}

// stateLine sums up the protocol state: "READY · TLS · authenticated".
func (p *ExplainPanel) stateLine() string {
	parts := []string{p.snap.State.String()}
	if p.tls != nil || p.snap.TLS {
		parts = append(parts, "TLS")
	}
	if p.snap.Authenticated {
		parts = append(parts, "authenticated")
	}
	return strings.Join(parts, " · ")
}
