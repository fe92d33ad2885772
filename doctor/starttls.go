package doctor

import (
	"context"
	"net"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// enforcement is the STARTTLS stage: before upgrading, it sends MAIL FROM
// in clear text (never AUTH: a password must not leave in clear) and
// reads whether the server refuses mail without TLS. An accepted MAIL is
// undone with RSET. It reports false when the diagnosis must stop.
func (r *runner) enforcement(ctx context.Context) bool {
	r.started(StageSTARTTLS)
	start := r.clock()
	res := Result{Stage: StageSTARTTLS, Status: StatusPass}
	line := "MAIL FROM:<" + r.opts.envelopeSender() + ">"
	reply, err := r.st.Command(ctx, line)
	res.DurationMS = r.since(start)
	if err != nil {
		res.Status, res.Error = StatusWarn, protocol.Sanitize(err.Error())
		res.Summary = "could not test: " + res.Error
		r.done(res)
		return r.reopen(ctx)
	}
	res.Reply = newReply(reply, protocol.VerbMAIL)
	_, port, _ := net.SplitHostPort(r.target.Address)
	if reply.Class() == protocol.ClassSuccess {
		res.Summary = "not enforced: the server accepted MAIL FROM in clear text"
		if port == session.PortSMTP {
			res.Details = append(res.Details, "normal on port 25: a relay must take mail from senders without TLS (RFC 3207 4)")
		} else {
			res.Status = StatusWarn
			res.Warnings = append(res.Warnings, "the server takes mail in clear text on port "+port+
				": a client that skips STARTTLS sends mail (and maybe its password) unprotected; a submission server should insist on TLS")
		}
		if rr, err := r.st.Command(ctx, protocol.VerbRSET); err != nil || rr.Class() != protocol.ClassSuccess {
			r.done(res)
			return r.reopen(ctx)
		}
		return !r.done(res)
	}
	e := protocol.Explain(reply, r.explainContext(protocol.VerbMAIL))
	what := replyWords(reply)
	switch e.Reason {
	case protocol.ReasonTLSRequired:
		res.Summary = "enforced: MAIL FROM is refused before STARTTLS (" + what + ")"
	case protocol.ReasonAuthRequired:
		res.Summary = "MAIL FROM is refused before login (" + what + ")"
		if r.st.Snapshot().Caps.Has(protocol.VerbAUTH) {
			res.Details = append(res.Details, "AUTH is offered in clear text, so the login itself is not forced into TLS")
		} else {
			res.Details = append(res.Details, "AUTH is not offered before TLS, so logging in (and sending) needs STARTTLS")
		}
	default:
		res.Summary = "MAIL FROM in clear text is refused (" + what + ")"
		res.Details = append(res.Details, "the refusal reads as "+string(e.Reason)+", not as a TLS requirement")
	}
	if !r.st.Connected() {
		res.Details = append(res.Details, "the server closed the connection after the refusal")
		r.done(res)
		return r.reopen(ctx)
	}
	return !r.done(res)
}

// reopen connects again after a test closed the connection, and sends
// EHLO; a failure ends the diagnosis at the reach stage.
func (r *runner) reopen(ctx context.Context) bool {
	r.st.Close()
	st, a := r.open(ctx, r.sessionConfig(r.target.Address, r.target.Implicit), SweepPort{})
	r.st = st
	if a.openErr == nil && a.greeting.Code == 220 {
		if _, err := st.Hello(ctx); err == nil {
			return true
		}
	}
	r.done(Result{Stage: StageReach, Status: StatusFail, Reason: protocol.ReasonNetwork,
		Summary: "reconnecting failed: " + a.outcome + " " + a.detailSuffix(), Error: protocol.Sanitize(errText(a.openErr))})
	return false
}
