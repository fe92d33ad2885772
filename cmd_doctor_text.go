package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/smtpscope/smtpscope/doctor"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/themes"
)

// doctorStageWidth aligns the stage names of the text report.
const doctorStageWidth = 10

// doctorMarks are the status marks of the text report.
var doctorMarks = map[doctor.Status]string{
	doctor.StatusPass: "✓", doctor.StatusWarn: "!", doctor.StatusFail: "✗", doctor.StatusSkip: "·",
}

// doctorPrinter prints a diagnosis for people while it runs: the title,
// each stage as it ends, then the stages not run and the verdict. A
// diagnosis waits on the network for seconds at a time; the stages done
// so far are on screen meanwhile, and stay there if it is interrupted.
type doctorPrinter struct {
	w       io.Writer
	st      *themes.Styles
	printed map[doctor.StageName]bool
}

func newDoctorPrinter(w io.Writer, st *themes.Styles) *doctorPrinter {
	return &doctorPrinter{w: w, st: st, printed: map[doctor.StageName]bool{}}
}

// title prints the first line: what is diagnosed.
func (p *doctorPrinter) title(target string) {
	title := "smtpscope doctor"
	if target != "" {
		title += " · " + target
	}
	fmt.Fprintln(p.w, p.st.PanelTitle.Render(title))
	fmt.Fprintln(p.w)
}

// observe is the diagnosis's observer: it prints each finished stage.
func (p *doctorPrinter) observe(e doctor.Event) {
	if e.Kind == doctor.EventStageDone && e.Result != nil {
		p.stage(*e.Result)
	}
}

// stage prints one finished stage, once.
func (p *doctorPrinter) stage(res doctor.Result) {
	if p.printed[res.Stage] {
		return
	}
	p.printed[res.Stage] = true
	writeDoctorStage(p.w, res, p.st)
}

// finish prints the stages the run did not print, and then the verdict;
// an interrupted run says so instead.
func (p *doctorPrinter) finish(rep *doctor.Report, interrupted bool) {
	for _, res := range rep.Stages {
		p.stage(res)
	}
	for _, s := range doctor.Stages {
		if !p.printed[s] {
			fmt.Fprintf(p.w, " %s %s %s\n", p.st.Muted.Render(doctorMarks[doctor.StatusSkip]),
				p.st.Muted.Render(fmt.Sprintf("%-*s", doctorStageWidth, s)), p.st.Muted.Render("not run"))
		}
	}
	fmt.Fprintln(p.w)
	if interrupted {
		fmt.Fprintln(p.w, p.st.StatusWarn.Render("Interrupted: the diagnosis stopped before its verdict; the stages above are what it found"))
		return
	}
	writeDoctorVerdict(p.w, rep.Verdict, p.st)
}

// doctorInputFlags say how a skipped stage's input is given here.
var doctorInputFlags = map[doctor.Input]string{
	doctor.InputSender:    "--from, or a --user that is an address",
	doctor.InputRecipient: "--to",
	doctor.InputUser:      "--user",
	doctor.InputSecret:    "--password-env or --password-cmd",
	doctor.InputSend:      "add --send to send a short test message",
}

// writeDoctorStage prints one stage.
func writeDoctorStage(w io.Writer, res doctor.Result, st *themes.Styles) {
	mark := doctorMarkStyle(res.Status, st).Render(doctorMarks[res.Status])
	name := st.Label.Render(fmt.Sprintf("%-*s", doctorStageWidth, res.Stage))
	timing := ""
	if res.DurationMS > 0 {
		timing = st.Latency.Render(fmt.Sprintf("  %.1f ms", res.DurationMS))
	}
	summary := res.Summary
	if flag := doctorInputFlags[res.Needs]; flag != "" {
		summary += " (" + flag + ")"
	}
	fmt.Fprintf(w, " %s %s %s%s\n", mark, name, st.Value.Render(summary), timing)
	indent := strings.Repeat(" ", doctorStageWidth+4)
	for _, d := range res.Details {
		fmt.Fprintln(w, indent+st.Muted.Render(d))
	}
	for _, warn := range res.Warnings {
		fmt.Fprintln(w, indent+st.WarnLine.Render("! "+warn))
	}
}

// doctorMarkStyle colours a status mark.
func doctorMarkStyle(s doctor.Status, st *themes.Styles) lipgloss.Style {
	switch s {
	case doctor.StatusPass:
		return st.StatusOK
	case doctor.StatusWarn:
		return st.StatusWarn
	case doctor.StatusFail:
		return st.StatusBad
	}
	return st.Muted
}

// writeDoctorVerdict prints the verdict and the fix.
func writeDoctorVerdict(w io.Writer, v doctor.Verdict, st *themes.Styles) {
	field := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "  %s %s\n", st.Label.Render(fmt.Sprintf("%-13s", label)), st.Value.Render(value))
		}
	}
	if v.OK {
		fmt.Fprintln(w, st.StatusOK.Render("Verdict: "+v.Title))
		for _, warn := range v.Warnings {
			fmt.Fprintln(w, "  "+st.WarnLine.Render("! "+warn))
		}
		return
	}
	fmt.Fprintln(w, st.StatusBad.Render("Verdict: "+v.Title))
	reason := ""
	if v.Reason != "" {
		reason = fmt.Sprintf("%s (%s)", v.Reason, v.Reason.Title())
	}
	field("failed at", string(v.Stage))
	field("reason", reason)
	if v.Reply != nil {
		field("server said", replyLine(v.Reply))
	} else {
		field("error", v.Error)
	}
	field("what it means", v.Explanation)
	field("evidence", v.Evidence)
	if p, ok := protocol.ProviderByID(v.Provider); ok {
		field("provider", p.Name)
	}
	if v.RetryAt != nil {
		field("retry at", v.RetryAt.Format("2006-01-02 15:04 MST"))
	}
	if len(v.Fix) > 0 {
		fmt.Fprintln(w, "  "+st.Label.Render("fix"))
		for i, f := range v.Fix {
			fmt.Fprintf(w, "    %d. %s\n", i+1, st.Text.Render(f))
		}
	}
	var passed []string
	for _, p := range v.Passed {
		passed = append(passed, string(p))
	}
	if len(passed) == 0 {
		passed = []string{"nothing"}
	}
	field("passed", strings.Join(passed, ", "))
}

// replyLine is a reply on one line as people quote it: the codes once,
// then the text of every line (a multi-line reply repeats its codes on
// each line; the report's Text has them taken off).
func replyLine(r *doctor.Reply) string {
	parts := []string{strconv.Itoa(r.Code)}
	if r.Enhanced != "" {
		parts = append(parts, r.Enhanced)
	}
	if text := strings.Join(strings.Fields(r.Text), " "); text != "" {
		parts = append(parts, text)
	}
	return strings.Join(parts, " ")
}
