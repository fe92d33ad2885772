package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// tlsLabelWidth aligns the values of the TLS tab's fields.
const tlsLabelWidth = 9

// hoursPerDay converts certificate lifetimes to days.
const hoursPerDay = 24

// expirySoonDays is when a certificate's coming expiry turns into a warning.
const expirySoonDays = 14

// buildTLS fills the TLS tab: protocol version, cipher, SNI, whether the
// chain verified and why not, and each certificate in the chain.
func (p *ExplainPanel) buildTLS(b *textBuilder) {
	st := p.ctx.Styles
	t := p.tls
	if t == nil {
		p.tlsEmpty(b)
		return
	}
	b.field(st.Label, "Version", tlsLabelWidth, st.Value, t.Version)
	b.field(st.Label, "Cipher", tlsLabelWidth, st.Value, t.Cipher)
	if t.ServerName != "" {
		b.field(st.Label, "SNI", tlsLabelWidth, st.Value, t.ServerName)
	}
	if t.Handshake > 0 {
		b.field(st.Label, "Handshake", tlsLabelWidth, st.Value, formatDuration(t.Handshake))
	}
	b.blank()
	switch {
	case t.Verified:
		b.bullet(st.ClassSuccess, "✓", st.Text, "Verified: the chain leads to a trusted root and the certificate is valid for this host.")
	case t.Pinned:
		b.bullet(st.ClassTransient, "!", st.Text, "Pinned: no CA vouches for it; trusted because you chose to trust exactly this certificate for this run (alt+k). A different certificate would be refused.")
	case t.Insecure:
		b.bullet(st.ClassPermanent, "✗", st.Text, "Not verified: checking was switched off (--insecure, or alt+i).")
	default:
		b.bullet(st.ClassPermanent, "✗", st.Text, "Not verified.")
	}
	if t.VerifyError != "" {
		b.indented(st.WarnLine, t.VerifyError, panelIndent)
	}
	if t.Insecure {
		b.blank()
		b.para(st.Insecure, "Without verification anyone on the path could read or change this session, passwords included.")
	}
	for i, c := range t.Chain {
		b.blank()
		p.certificate(b, i, len(t.Chain), c)
	}
	if len(t.Chain) > 0 {
		b.blank()
		b.para(st.Muted, p.ctx.Keys.Actions.SaveChain.Help().Key+" saves the chain as PEM.")
	}
}

// certificate adds one certificate of the chain.
func (p *ExplainPanel) certificate(b *textBuilder, i, n int, c session.CertInfo) {
	st := p.ctx.Styles
	role := "intermediate"
	switch {
	case i == 0:
		role = "server"
	case i == n-1 && c.SelfSigned:
		role = "root"
	}
	title := fmt.Sprintf("%d. %s certificate", i+1, role)
	if c.SelfSigned {
		title += " (self-signed)"
	}
	b.para(st.PanelTitle, title)
	b.field(st.Label, "Subject", tlsLabelWidth, st.Value, protocol.Sanitize(c.Subject))
	b.field(st.Label, "Issuer", tlsLabelWidth, st.Value, protocol.Sanitize(c.Issuer))
	if len(c.DNSNames) > 0 {
		b.field(st.Label, "Names", tlsLabelWidth, st.Value, protocol.Sanitize(strings.Join(c.DNSNames, ", ")))
	}
	if !c.NotBefore.IsZero() || !c.NotAfter.IsZero() {
		b.field(st.Label, "Valid", tlsLabelWidth, st.Value,
			c.NotBefore.UTC().Format(time.DateOnly)+" → "+c.NotAfter.UTC().Format(time.DateOnly))
		age, style := p.certAge(c)
		b.field(st.Label, "", tlsLabelWidth, style, age)
	}
	key := c.KeyType
	if c.Signature != "" {
		key = strings.TrimPrefix(key+" · signed "+c.Signature, " · ")
	}
	if key != "" {
		b.field(st.Label, "Key", tlsLabelWidth, st.Value, key)
	}
}

// certAge says in days how far the certificate is from its end (or
// start), with a warning style when it is close or past.
func (p *ExplainPanel) certAge(c session.CertInfo) (string, lipglossStyle) {
	now := p.ctx.Now()
	st := p.ctx.Styles
	switch {
	case now.Before(c.NotBefore):
		return "not valid yet: starts in " + days(c.NotBefore.Sub(now)), st.ClassPermanent
	case now.After(c.NotAfter):
		return "expired " + days(now.Sub(c.NotAfter)) + " ago", st.ClassPermanent
	}
	left := c.NotAfter.Sub(now)
	if left < expirySoonDays*hoursPerDay*time.Hour {
		return "expires in " + days(left), st.ClassTransient
	}
	return "expires in " + days(left), st.Muted
}

// days formats a duration as whole days, "1 day", "42 days", or "less
// than a day".
func days(d time.Duration) string {
	n := int(d / (hoursPerDay * time.Hour))
	switch n {
	case 0:
		return "less than a day"
	case 1:
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// tlsEmpty explains why there is no TLS report and how to get one.
func (p *ExplainPanel) tlsEmpty(b *textBuilder) {
	st := p.ctx.Styles
	s := p.snap
	switch {
	case s.State == protocol.StateDisconnected:
		b.para(st.Muted, "Not connected.")
	case s.Caps.Has("STARTTLS"):
		p.emptyHint(b, "No TLS yet: the session is plain text.",
			"The server offers STARTTLS. Upgrade the connection to see the TLS version, the cipher and the certificate chain here.")
	case s.Extended:
		p.emptyHint(b, "No TLS: the session is plain text.",
			"The server did not offer STARTTLS. If it should, check the port (587 and 25 use STARTTLS, 465 uses TLS from the start).")
	default:
		p.emptyHint(b, "No TLS yet.",
			"Type EHLO to see whether the server offers STARTTLS.")
	}
}

// formatDuration shows a duration rounded for people: "38ms", "1.2s".
func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Millisecond:
		return strconv.FormatInt(d.Microseconds(), 10) + "µs"
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	}
	return d.Round(100 * time.Millisecond).String()
}
