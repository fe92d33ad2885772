package doctor

import (
	"context"
	"fmt"
	"net"
	"sort"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// runner holds one diagnosis in progress.
type runner struct {
	opts   Options
	report *Report
	target Target
	st     *session.Stepper
	// greeting is the server's 220 text, for provider detection.
	greeting string
	// mechanism is the AUTH mechanism used, for explanations.
	mechanism string
	// predictions are what the token check expects the server to say.
	predictions []string
}

// Run diagnoses a submission setup and returns the report; the verdict
// says which stage failed first and what to do. The error is set only for
// options that cannot be run (they are checked before any network use).
// Run ends when ctx is cancelled, with the stages done so far.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	r := &runner{opts: opts.withDefaults(), report: &Report{}}
	r.run(ctx)
	r.finish()
	return r.report, nil
}

// run goes through the stages until one fails.
func (r *runner) run(ctx context.Context) {
	r.started(StageWhere)
	t, res := r.where(ctx)
	r.target, r.report.Target = t, t
	if r.done(res) {
		return
	}
	defer func() {
		if r.st != nil {
			r.st.Close()
		}
	}()
	if !r.connect(ctx) {
		return
	}
	if !r.hello(ctx) {
		return
	}
	if !r.auth(ctx) {
		return
	}
	r.transaction(ctx)
}

// started announces a stage.
func (r *runner) started(stage StageName) {
	r.observe(Event{Kind: EventStageStarted, Stage: stage})
}

// done records a stage's result and reports whether the diagnosis stops
// there.
func (r *runner) done(res Result) bool {
	r.report.Stages = append(r.report.Stages, res)
	out := res
	r.observe(Event{Kind: EventStageDone, Stage: res.Stage, Result: &out})
	return res.Status == StatusFail
}

func (r *runner) observe(e Event) {
	if r.opts.Observe != nil {
		r.opts.Observe(e)
	}
}

// finish orders the stages, adds the skipped ones, and decides the verdict.
func (r *runner) finish() {
	rep := r.report
	sort.SliceStable(rep.Stages, func(i, j int) bool {
		return stageIndex(rep.Stages[i].Stage) < stageIndex(rep.Stages[j].Stage)
	})
	rep.Verdict = r.verdict()
	v := rep.Verdict
	r.observe(Event{Kind: EventVerdict, Verdict: &v})
}

// clock returns the injected time.
func (r *runner) clock() time.Time { return r.opts.Now() }

// since is the duration from start on the injected clock, in ms.
func (r *runner) since(start time.Time) float64 {
	return float64(r.clock().Sub(start).Microseconds()) / 1000
}

// sessionConfig is the base configuration for a connection to address.
func (r *runner) sessionConfig(address string, implicit bool) session.Config {
	cfg := r.opts.Session
	cfg.Address = address
	cfg.AutoHello = false
	cfg.TLSMode = session.TLSNone
	if implicit {
		cfg.TLSMode = session.TLSImplicit
	}
	return cfg
}

// explainContext is what Explain needs to know about this conversation.
func (r *runner) explainContext(command string) protocol.ExplainContext {
	host, _, _ := net.SplitHostPort(r.target.Address)
	ec := protocol.ExplainContext{Command: command, Host: host, Greeting: r.greeting, Mechanism: r.mechanism}
	if r.st != nil {
		snap := r.st.Snapshot()
		ec.Caps, ec.TLS = &snap.Caps, snap.TLS
	}
	return ec
}

// replyFailure fills a failed result from a reply.
func (r *runner) replyFailure(res *Result, reply protocol.Reply, command string, what string) {
	e := protocol.Explain(reply, r.explainContext(command))
	res.Status, res.Reply, res.Reason = StatusFail, newReply(reply, command), e.Reason
	res.Summary = what + ": " + replyWords(reply)
}

// replyWords is a reply in one line with its codes: "535 5.7.8 Username …".
func replyWords(r protocol.Reply) string {
	codes := fmt.Sprintf("%03d", r.Code)
	if enh := r.Enhanced.String(); enh != "" {
		codes += " " + enh
	}
	return codes + " " + protocol.Sanitize(r.Excerpt())
}
