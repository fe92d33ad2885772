package ui

import (
	"github.com/smtpscope/smtpscope/doctor"
	"github.com/smtpscope/smtpscope/protocol"
)

// SetVerdict shows the doctor's verdict on the Explain tab, which it
// brings to the front: the user asked for a diagnosis, and the reply the
// tab showed before (often the greeting, "nothing to fix") would read as
// if it contradicted a failed stage. The next reply, or a line selected
// in the pane, takes the tab back ([ExplainPanel.SetReply]).
func (p *ExplainPanel) SetVerdict(v *doctor.Verdict) {
	p.verdict = v
	p.offset[TabExplain] = 0
	p.lines[TabExplain] = nil
	p.frame = ""
	p.SetTab(TabExplain)
}

// buildVerdict writes the doctor's verdict: the stage that failed and why,
// the provider's fix, the reply that decided it, and, for a diagnosis
// that passed, the warnings met on the way.
func (p *ExplainPanel) buildVerdict(b *textBuilder) {
	st := p.ctx.Styles
	v := p.verdict
	if v.OK {
		b.para(st.ClassSuccess, "Doctor: "+doctorMarks[doctor.StatusPass]+" no stage failed")
	} else {
		b.para(st.ClassPermanent, "Doctor: "+doctorMarks[doctor.StatusFail]+" stopped at "+string(v.Stage))
	}
	b.blank()
	b.para(st.Text.Bold(true), protocol.Sanitize(v.Title))
	if v.Explanation != "" {
		b.blank()
		b.para(st.Text, protocol.Sanitize(v.Explanation))
	}
	if v.Evidence != "" {
		b.para(st.Muted, protocol.Sanitize(v.Evidence))
	}
	if v.Error != "" {
		b.blank()
		b.para(st.WarnLine, protocol.Sanitize(v.Error))
	}
	p.numbered(b, "Fix", sanitizeAll(v.Fix))
	p.list(b, "Warnings", sanitizeAll(v.Warnings), "!")
	if v.Reply != nil && len(v.Reply.Lines) > 0 {
		b.blank()
		b.para(st.PanelTitle, "Server said")
		for _, l := range v.Reply.Lines {
			b.indented(st.ServerReply(v.Reply.Code), protocol.Sanitize(l), 0)
		}
	}
	b.blank()
	b.para(st.Muted, "The doctor ran on a connection of its own; each stage is in the session pane. "+
		"The next reply, or a line you select, is explained here again.")
}

// sanitizeAll returns items made safe for the terminal.
func sanitizeAll(items []string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = protocol.Sanitize(it)
	}
	return out
}
