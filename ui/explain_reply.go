package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
)

// compactExplainRows is the panel height, in text rows, under which the
// Explain tab leaves out the evidence line and the blank lines above the
// meaning, so that the meaning shows without scrolling.
const compactExplainRows = 8

// buildExplain fills the Explain tab: the reason in words with the codes
// ("Mailbox full · 552 5.2.2"), the evidence it was read from, where the
// codes disagree with the text, the fix (the provider's own when known),
// its meaning after the command that got it, causes, references, what the
// server got wrong and its words as sent.
func (p *ExplainPanel) buildExplain(b *textBuilder) {
	st := p.ctx.Styles
	if p.verdict != nil {
		p.buildVerdict(b)
		return
	}
	if p.failure != nil {
		p.buildFailure(b)
		return
	}
	if p.unanswered != nil {
		p.buildUnanswered(b)
		return
	}
	r, e := p.reply, p.expl
	if r == nil && e == nil {
		p.explainEmpty(b)
		return
	}
	if e == nil {
		p.codeHead(b, r.Code, r.Enhanced.String(), r.Class().String())
		b.para(st.Text, classMeaning(r.Class()))
		p.serverText(b)
		return
	}

	// The headline: the reason and the codes, in the reply's class colour.
	head := e.Headline
	if head == "" {
		head = strconv.Itoa(e.Code) + " " + e.Enhanced
	}
	b.para(st.ReplyClass(e.Code).Bold(true), head)
	desc := []string{e.Class.String()}
	if e.Subject != "" {
		desc = append(desc, e.Subject)
	}
	if e.Provider.Name != "" {
		desc = append(desc, e.Provider.Name)
	}
	b.joined(st.Muted, desc)
	// On a short panel (80x24) the meaning must be in the first screenful:
	// the evidence line and the blank lines before it give way.
	compact := p.pageHeight() < compactExplainRows
	if e.Evidence != "" && !compact {
		b.para(st.Muted, e.Evidence)
	}
	if e.Disagreement != "" {
		b.bullet(st.WarnLine, "!", st.WarnLine, e.Disagreement)
	}

	if e.Summary != "" {
		if !compact {
			b.blank()
		}
		b.para(st.Text.Bold(true), e.Summary)
	}
	if e.InContext != "" {
		if !compact {
			b.blank()
		}
		b.para(st.Text, e.InContext)
	}
	if e.Challenge != nil {
		p.challenge(b, e.Challenge)
	}
	// A reply that succeeded has nothing to fix: its steps say what comes
	// next.
	fixTitle := "Fix"
	worked := e.Class == protocol.ClassSuccess || e.Class == protocol.ClassIntermediate
	if worked {
		fixTitle = "Next"
	}
	if e.Provider.Name != "" && len(e.Playbook) > 0 {
		fixTitle = e.Provider.Name + ": " + strings.ToLower(fixTitle)
	}
	if !worked || !p.observer {
		p.numbered(b, fixTitle, e.Fix)
	}
	p.list(b, "Likely causes", e.Causes, "•")
	if !worked || !p.observer {
		p.numbered(b, "Next steps", without(e.Actions, e.Fix))
	}
	if len(e.References) > 0 {
		b.blank()
		b.joined(st.Ref, e.References)
	}
	diags := e.Diagnostics
	if len(diags) == 0 && r != nil {
		for _, d := range r.Diagnostics {
			diags = append(diags, d.String())
		}
	}
	if len(diags) > 0 {
		b.blank()
		b.para(st.PanelTitle, "What the server got wrong")
		for _, d := range diags {
			b.bullet(st.WarnLine, "!", st.WarnLine, d)
		}
	}
	p.serverText(b)
}

// codeHead writes "535 5.7.8  permanent · …" for a reply without an
// explanation.
func (p *ExplainPanel) codeHead(b *textBuilder, code int, enhanced, desc string) {
	st := p.ctx.Styles
	head := strconv.Itoa(code)
	if enhanced != "" {
		head += " " + enhanced
	}
	if ansi.StringWidth(head)+2+ansi.StringWidth(desc) <= b.width {
		b.lines = append(b.lines, st.ReplyClass(code).Render(head)+"  "+st.Muted.Render(desc))
		return
	}
	b.para(st.ReplyClass(code), head)
	b.para(st.Muted, desc)
}

// challenge shows what a 334 challenge says, decoded.
func (p *ExplainPanel) challenge(b *textBuilder, c *protocol.Challenge) {
	st := p.ctx.Styles
	b.blank()
	b.para(st.PanelTitle, "The challenge, decoded")
	b.indented(st.Decoded, c.String(), panelIndent)
}

// without returns the items of list that are not in drop.
func without(list, drop []string) []string {
	var out []string
	for _, it := range list {
		if !slices.Contains(drop, it) {
			out = append(out, it)
		}
	}
	return out
}

// list adds a titled bullet list; nothing when items is empty.
func (p *ExplainPanel) list(b *textBuilder, title string, items []string, mark string) {
	if len(items) == 0 {
		return
	}
	b.blank()
	b.para(p.ctx.Styles.PanelTitle, title)
	for _, it := range items {
		b.bullet(p.ctx.Styles.Muted, mark, p.ctx.Styles.Text, it)
	}
}

// numbered adds a titled, numbered list; nothing when items is empty.
func (p *ExplainPanel) numbered(b *textBuilder, title string, items []string) {
	if len(items) == 0 {
		return
	}
	b.blank()
	b.para(p.ctx.Styles.PanelTitle, title)
	for i, it := range items {
		b.bullet(p.ctx.Styles.Muted, strconv.Itoa(i+1)+".", p.ctx.Styles.Text, it)
	}
}

// serverText adds the reply's lines as the server sent them, made safe for
// the terminal; when that changed any of them (control characters, escape
// sequences, invisible or bidi characters), the bytes as received follow
// as a hex dump, so nothing the server sent is hidden.
func (p *ExplainPanel) serverText(b *textBuilder) {
	r := p.reply
	if r == nil || len(r.Lines) == 0 {
		return
	}
	b.blank()
	b.para(p.ctx.Styles.PanelTitle, "Server said")
	style := p.ctx.Styles.ServerReply(r.Code)
	var changed []string
	for _, l := range r.Lines {
		safe := protocol.Sanitize(l.Raw)
		b.indented(style, safe, 0)
		if safe != l.Raw {
			changed = append(changed, l.Raw)
		}
	}
	if len(changed) == 0 {
		return
	}
	b.blank()
	b.para(p.ctx.Styles.PanelTitle, "The bytes as received (hex)")
	b.para(p.ctx.Styles.Muted, "Some lines hold bytes a terminal would act on; they are shown above as visible symbols, and here as sent.")
	for _, raw := range changed {
		for _, l := range hexDump([]byte(raw), hexBytesPerLine(b.width)) {
			b.lines = append(b.lines, p.ctx.Styles.Value.Render(l))
		}
	}
}

// hexBytesPerLine fits a hex dump line ("0000  41 42 …  AB…") in width.
func hexBytesPerLine(width int) int {
	const offset, perByte = 6, 4 // "0000  ", "41 " plus its character
	n := (width - offset) / perByte
	for _, fit := range []int{16, 8, 4} {
		if n >= fit {
			return fit
		}
	}
	return 1
}

// hexDump renders data as offset, hex octets and printable ASCII.
func hexDump(data []byte, perLine int) []string {
	var out []string
	for off := 0; off < len(data); off += perLine {
		end := min(off+perLine, len(data))
		var hexPart, text strings.Builder
		for i := off; i < off+perLine; i++ {
			if i < end {
				fmt.Fprintf(&hexPart, "%02x ", data[i])
				if c := data[i]; c >= 0x20 && c < 0x7f {
					text.WriteByte(c)
				} else {
					text.WriteByte('.')
				}
			} else {
				hexPart.WriteString("   ")
			}
		}
		out = append(out, fmt.Sprintf("%04x  %s %s", off, hexPart.String(), text.String()))
	}
	return out
}

// explainEmpty tells a newcomer what to do to get something explained.
func (p *ExplainPanel) explainEmpty(b *textBuilder) {
	st := p.ctx.Styles
	switch p.snap.State {
	case protocol.StateDisconnected:
		b.para(st.Muted, "Not connected.")
	case protocol.StateGreeting:
		b.para(st.Muted, "Waiting for the server's 220 greeting…")
	case protocol.StateGreeted:
		p.emptyHint(b, "Type EHLO and press enter.",
			"The server's reply will be explained here: what it means after your command, the likely causes of a failure, what to do next and the RFC behind it.")
	default:
		p.emptyHint(b, "Nothing to explain yet.",
			"Send a command, or select a server line in the session pane, to see its reply explained here.")
	}
}

// classMeaning is the one-line meaning of a reply class (RFC 5321 4.2.1),
// for replies that came without an explanation.
func classMeaning(c protocol.Class) string {
	switch c {
	case protocol.ClassSuccess:
		return "The command was accepted."
	case protocol.ClassIntermediate:
		return "The server is waiting for more from you."
	case protocol.ClassTransient:
		return "The command failed for now; the same command may work if tried again later."
	case protocol.ClassPermanent:
		return "The command failed; sending it again unchanged will fail again."
	}
	return "Not a reply code RFC 5321 defines."
}
