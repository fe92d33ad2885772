package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// buildCapabilities fills the Capabilities tab: every keyword of the
// latest EHLO reply with its meaning and parameters, and what STARTTLS
// changed in the list.
func (p *ExplainPanel) buildCapabilities(b *textBuilder) {
	st := p.ctx.Styles
	s := p.snap
	caps, before := s.Caps, s.CapsBeforeTLS
	switch {
	case len(caps.List) == 0 && len(before.List) > 0:
		b.para(st.Text.Bold(true), "TLS is up: send EHLO again.")
		b.para(st.Muted, "After STARTTLS the client must forget what the server said before (RFC 3207 4.2). The list seen before TLS:")
		b.blank()
		p.keywords(b, before, nil)
		return
	case len(caps.List) == 0 && caps.Domain == "":
		p.capabilitiesEmpty(b)
		return
	}

	where := "plain connection"
	if s.TLS {
		where = "inside TLS"
	}
	b.field(st.Label, "Server", 7, st.Value, protocol.Sanitize(caps.Domain))
	b.para(st.Muted, fmt.Sprintf("%d extensions · %s", len(caps.List), where))

	var changes map[string]protocol.CapabilityChange
	diff := s.TLS && len(before.List) > 0
	if diff {
		changes = map[string]protocol.CapabilityChange{}
		for _, ch := range protocol.DiffCapabilities(before, caps) {
			changes[ch.Keyword] = ch
		}
	}
	b.blank()
	p.keywords(b, caps, changes)

	if !s.TLS && caps.Has("STARTTLS") && !caps.Has("AUTH") {
		b.blank()
		b.para(st.Muted, "No AUTH on the plain connection: many servers offer it only after STARTTLS.")
	}
	if diff {
		p.tlsChanges(b, changes)
	}
}

// capabilitiesEmpty explains why there is no list yet.
func (p *ExplainPanel) capabilitiesEmpty(b *textBuilder) {
	st := p.ctx.Styles
	switch s := p.snap; {
	case s.State == protocol.StateDisconnected:
		b.para(st.Muted, "Not connected.")
	case s.State == protocol.StateGreeting:
		b.para(st.Muted, "Waiting for the server's 220 greeting…")
	case s.Extended:
		b.para(st.Muted, "The server accepted EHLO but advertised no extensions.")
	case s.State == protocol.StateGreeted:
		p.emptyHint(b, "No EHLO reply yet.",
			"Type EHLO and press enter: each extension the server advertises will be listed and explained here.")
	default:
		b.para(st.Muted, "No extensions known: servers list them only in reply to EHLO (HELO gets none).")
	}
}

// keywords lists each capability: its keyword and parameters, then its
// meaning indented below. changes, when not nil, marks what is new or
// different since STARTTLS.
func (p *ExplainPanel) keywords(b *textBuilder, caps protocol.Capabilities, changes map[string]protocol.CapabilityChange) {
	st := p.ctx.Styles
	for _, c := range caps.List {
		mark, markSt := " ", st.Muted
		if changes != nil {
			if ch, ok := changes[c.Keyword]; ok {
				if ch.Added() {
					mark, markSt = "+", st.Added
				} else {
					mark, markSt = "~", st.Changed
				}
			}
		}
		head := protocol.Sanitize(c.Keyword)
		if params := capabilityParams(caps, c); params != "" {
			head += " " + params
		}
		prefix := ""
		if changes != nil {
			prefix = mark
		}
		if prefix != "" {
			b.bullet(markSt, prefix, st.Value.Bold(true), head)
		} else {
			b.para(st.Value.Bold(true), head)
		}
		info, ok := protocol.CapabilityInfo(c.Keyword)
		indent := panelIndent
		switch {
		case ok:
			text := info.Meaning
			if info.Name != "" {
				text = info.Name + ": " + text
			}
			b.indented(st.Muted, text, indent)
			if info.RFC != "" {
				b.indented(st.Ref, info.RFC, indent)
			}
		default:
			b.indented(st.Muted, "Not in smtpscope's list: probably a vendor's own extension.", indent)
		}
		if c.Legacy {
			b.indented(st.Muted, "Also sent in the pre-standard "+c.Keyword+"= form, for old clients.", indent)
		}
	}
}

// tlsChanges sums up how the list differs from the one before STARTTLS.
func (p *ExplainPanel) tlsChanges(b *textBuilder, changes map[string]protocol.CapabilityChange) {
	st := p.ctx.Styles
	b.blank()
	b.para(st.PanelTitle, "Changed by STARTTLS")
	if len(changes) == 0 {
		b.para(st.Muted, "Nothing: the server offers the same extensions inside TLS.")
		return
	}
	keys := make([]string, 0, len(changes))
	for k := range changes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ch := changes[k]
		switch {
		case ch.Added():
			b.bullet(st.Added, "+", st.Text, k+" "+strings.Join(ch.After.Params, " ")+" (new after TLS)")
		case ch.Removed():
			b.bullet(st.Removed, "−", st.Text, k+" (gone after TLS)")
		default:
			b.bullet(st.Changed, "~", st.Text, fmt.Sprintf("%s %s → %s", k,
				paramsOrNone(ch.Before.Params), paramsOrNone(ch.After.Params)))
		}
	}
}

// capabilityParams renders a keyword's parameters for people: SIZE in
// human units, AUTH as its mechanisms, others as sent.
func capabilityParams(caps protocol.Capabilities, c protocol.Capability) string {
	switch c.Keyword {
	case "SIZE":
		limit, _ := caps.Size()
		if limit == 0 {
			return "(no fixed limit)"
		}
		return strconv.FormatInt(limit, 10) + " (" + humanBytes(limit) + ")"
	case "AUTH":
		return strings.Join(caps.AuthMechanisms(), " ")
	}
	return protocol.Sanitize(strings.Join(c.Params, " "))
}

func paramsOrNone(params []string) string {
	if len(params) == 0 {
		return "(none)"
	}
	return protocol.Sanitize(strings.Join(params, " "))
}

// humanBytes formats a size in binary units, "35.0 MiB".
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
