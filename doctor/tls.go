package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// expiryWarning is how close to its end a certificate draws a warning.
const expiryWarning = 30 * 24 * time.Hour

// dateLayout writes certificate dates.
const dateLayout = "2006-01-02"

// tlsResult is the TLS stage after a handshake (or its failure).
func (r *runner) tlsResult(err error, start time.Time) Result {
	res := Result{Stage: StageTLS, Status: StatusPass, DurationMS: r.since(start)}
	info := r.st.TLS()
	if info != nil {
		res.Details = append(res.Details, tlsFacts(info)...)
	}
	var cert *session.CertificateError
	var tlsErr *session.TLSError
	switch {
	case errors.As(err, &cert):
		res.Status, res.Reason, res.Error = StatusFail, protocol.ReasonTLSUnavailable, cert.Error()
		res.Summary = "the certificate is not trusted: " + cert.Reason
		return res
	case errors.As(err, &tlsErr):
		res.Status, res.Reason, res.Error = StatusFail, protocol.ReasonTLSUnavailable, tlsErr.Error()
		res.Summary = "the TLS handshake failed: " + tlsErr.Msg
		return res
	case err != nil:
		res.Status, res.Reason, res.Error = StatusFail, protocol.ReasonTLSUnavailable, protocol.Sanitize(err.Error())
		res.Summary = "TLS failed: " + protocol.Sanitize(err.Error())
		return res
	case info == nil:
		res.Status, res.Reason, res.Summary = StatusFail, protocol.ReasonTLSUnavailable, "no TLS handshake took place"
		return res
	}
	verified := "certificate verified"
	if info.Insecure {
		verified = "certificate NOT verified (--insecure)"
		res.Warnings = append(res.Warnings, "certificate verification was skipped (--insecure): anyone on the path could read the password")
		if info.VerifyError != "" {
			res.Warnings = append(res.Warnings, "verification would have failed: "+info.VerifyError)
		}
	}
	res.Summary = fmt.Sprintf("%s, %s, %s", info.Version, info.Cipher, verified)
	if len(info.Chain) > 0 {
		left := info.Chain[0].NotAfter.Sub(r.clock())
		if left > 0 && left < expiryWarning {
			res.Warnings = append(res.Warnings, fmt.Sprintf("the certificate expires in %d days, on %s: the server's admin should renew it now",
				int(left.Hours()/24), info.Chain[0].NotAfter.UTC().Format(dateLayout)))
		}
	}
	if w := r.portModeWarning(); w != "" {
		res.Warnings = append(res.Warnings, w)
	}
	if len(res.Warnings) > 0 {
		res.Status = StatusWarn
	}
	return res
}

// portModeWarning names a TLS mode unusual for the port.
func (r *runner) portModeWarning() string {
	_, port, _ := net.SplitHostPort(r.target.Address)
	switch {
	case r.target.Implicit && (port == session.PortSubmission || port == session.PortSMTP):
		return "port " + port + " normally speaks plain SMTP and upgrades with STARTTLS; implicit TLS worked here anyway"
	case !r.target.Implicit && port == session.PortSubmissions:
		return "port 465 normally speaks TLS from the first byte (RFC 8314); this server used STARTTLS there"
	}
	return ""
}

// tlsFacts describe a handshake and the leaf certificate in words.
func tlsFacts(info *session.TLSInfo) []string {
	facts := []string{fmt.Sprintf("%s, cipher %s", info.Version, info.Cipher)}
	if len(info.Chain) > 0 {
		leaf := info.Chain[0]
		names := strings.Join(leaf.DNSNames, ", ")
		if names == "" {
			names = leaf.Subject
		}
		facts = append(facts, fmt.Sprintf("certificate for %s, issued by %s, valid %s to %s",
			protocol.Sanitize(names), protocol.Sanitize(leaf.Issuer),
			leaf.NotBefore.UTC().Format(dateLayout), leaf.NotAfter.UTC().Format(dateLayout)))
	}
	if info.VerifyError != "" {
		facts = append(facts, "verification: "+info.VerifyError)
	}
	return facts
}

// hello is the EHLO stage, with STARTTLS enforcement and the upgrade
// (the TLS stage) for a connection that started plain.
func (r *runner) hello(ctx context.Context) bool {
	r.started(StageEHLO)
	start := r.clock()
	ehlo := Result{Stage: StageEHLO, Status: StatusPass}
	reply, err := r.st.Hello(ctx)
	if err != nil {
		ehlo.DurationMS = r.since(start)
		r.failStep(&ehlo, reply, protocol.VerbEHLO, err, "EHLO failed")
		r.done(ehlo)
		return false
	}
	before := r.st.Snapshot().Caps
	if r.target.Implicit {
		ehlo.DurationMS = r.since(start)
		ehlo.Summary = capsSummary(before)
		ehlo.Details = append(ehlo.Details, "capabilities: "+capsLine(before))
		r.done(Result{Stage: StageSTARTTLS, Status: StatusSkip, Summary: "not applicable: the connection is in TLS from the first byte"})
		return !r.done(ehlo)
	}
	ehlo.Details = append(ehlo.Details, "before TLS: "+capsLine(before))
	if before.Has(protocol.VerbAUTH) {
		ehlo.Warnings = append(ehlo.Warnings, "AUTH is offered before TLS: a client that skips STARTTLS would send its password in clear text")
	}
	policy := r.opts.Session.StartTLS
	switch {
	case policy == session.StartTLSOff:
		r.done(Result{Stage: StageTLS, Status: StatusWarn, Summary: "not tried (--starttls=off): everything travels in clear text",
			Warnings: []string{"--starttls=off: the password and the mail travel in clear text"}})
		r.done(Result{Stage: StageSTARTTLS, Status: StatusSkip, Summary: "not tested (--starttls=off)"})
		return r.finishEHLO(ehlo, before, start)
	case !before.Has(protocol.VerbSTARTTLS):
		res := Result{Stage: StageTLS, Status: StatusWarn, Reason: protocol.ReasonTLSUnavailable,
			Summary: "the server does not offer STARTTLS: the password and the mail would travel in clear text"}
		if policy == session.StartTLSRequire || r.opts.Secret != "" {
			res.Status = StatusFail
			if r.opts.Secret != "" {
				res.Summary += "; smtpscope doctor does not send a password in clear text"
			}
		}
		if r.done(res) {
			return false
		}
		r.done(Result{Stage: StageSTARTTLS, Status: StatusSkip, Summary: "nothing to enforce: the server offers no STARTTLS"})
		return r.finishEHLO(ehlo, before, start)
	}
	if !r.enforcement(ctx) {
		return false
	}
	r.started(StageTLS)
	tlsStart := r.clock()
	reply, err = r.st.StartTLS(ctx)
	tlsRes := r.tlsResult(err, tlsStart)
	if err != nil && reply.Code != 0 && reply.Code != 220 {
		r.replyFailure(&tlsRes, reply, protocol.VerbSTARTTLS, "the server refused STARTTLS")
		tlsRes.Error = ""
	}
	if r.done(tlsRes) {
		ehlo.DurationMS, ehlo.Summary = r.since(start), capsSummary(before)+" (before TLS)"
		r.done(ehlo)
		return false
	}
	reply, err = r.st.Hello(ctx)
	if err != nil {
		ehlo.DurationMS = r.since(start)
		r.failStep(&ehlo, reply, protocol.VerbEHLO, err, "EHLO after STARTTLS failed")
		r.done(ehlo)
		return false
	}
	return r.finishEHLO(ehlo, before, start)
}

// finishEHLO completes the EHLO stage with the capabilities after TLS.
func (r *runner) finishEHLO(ehlo Result, before protocol.Capabilities, start time.Time) bool {
	after := r.st.Snapshot().Caps
	ehlo.DurationMS = r.since(start)
	ehlo.Summary = capsSummary(after)
	if r.st.Snapshot().TLS {
		ehlo.Details = append(ehlo.Details, "after TLS: "+capsLine(after))
		for _, d := range protocol.DiffCapabilities(before, after) {
			switch {
			case d.Added():
				ehlo.Details = append(ehlo.Details, "added after TLS: "+capWords(*d.After))
			case d.Removed():
				ehlo.Details = append(ehlo.Details, "removed after TLS: "+capWords(*d.Before))
			default:
				ehlo.Details = append(ehlo.Details, fmt.Sprintf("changed after TLS: %s → %s", capWords(*d.Before), capWords(*d.After)))
			}
		}
	}
	if len(ehlo.Warnings) > 0 {
		ehlo.Status = StatusWarn
	}
	return !r.done(ehlo)
}

// capsSummary is the capability list in one line for a summary.
func capsSummary(c protocol.Capabilities) string {
	mechs := c.AuthMechanisms()
	s := fmt.Sprintf("%d extensions", len(c.List))
	if len(mechs) > 0 {
		s += "; AUTH " + strings.Join(mechs, " ")
	} else {
		s += "; no AUTH offered"
	}
	if limit, ok := c.Size(); ok && limit > 0 {
		s += "; SIZE " + session.HumanSize(limit)
	}
	return s
}

// capsLine lists the keywords with their parameters.
func capsLine(c protocol.Capabilities) string {
	var words []string
	for _, cp := range c.List {
		words = append(words, capWords(cp))
	}
	if len(words) == 0 {
		return "(none)"
	}
	return strings.Join(words, " · ")
}

func capWords(c protocol.Capability) string {
	return protocol.Sanitize(strings.TrimSpace(c.Keyword + " " + strings.Join(c.Params, " ")))
}

// failStep fills a failed result from a refusal (a 4yz or 5yz reply), or
// from the error otherwise: a step that failed on a positive reply (a
// 250 that never ended, a 334 nobody asked for, a 250 where 235 belongs)
// failed for what the error says, and its reply only shows as a detail.
func (r *runner) failStep(res *Result, reply protocol.Reply, command string, err error, what string) {
	if reply.Code >= 400 {
		r.replyFailure(res, reply, command, what)
		return
	}
	res.Status, res.Reason = StatusFail, protocol.ReasonNetwork
	res.Error = protocol.Sanitize(protocol.Excerpt(errText(err), protocol.MaxExcerptOctets))
	res.Summary = what + ": " + res.Error
	if reply.Code != 0 {
		res.Details = append(res.Details, "the server's reply: "+replyWords(reply))
	}
}
