package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/session/sasl"
)

// auth is the AUTH stage: the mechanisms offered (after TLS), the one
// chosen, a token read locally first, and the exchange.
func (r *runner) auth(ctx context.Context) bool {
	r.started(StageAuth)
	start := r.clock()
	res := Result{Stage: StageAuth, Status: StatusPass}
	o := r.opts
	if o.User == "" {
		res.Status, res.Summary, res.Needs = StatusSkip, "not tested: no username", InputUser
		return !r.done(res)
	}
	if o.Secret == "" {
		res.Status, res.Summary, res.Needs = StatusSkip, "not tested: no password or token", InputSecret
		return !r.done(res)
	}
	offered := r.st.Snapshot().Caps.AuthMechanisms()
	if len(offered) == 0 {
		res.Status, res.Reason = StatusFail, protocol.ReasonAuthMechanism
		res.Summary = "the server offers no AUTH here: it is a relay or MX that takes mail only for its own domains, not a submission server (try port 587 or the provider's SMTP host)"
		res.DurationMS = r.since(start)
		r.done(res)
		return false
	}
	res.Details = append(res.Details, "offered: "+protocol.Sanitize(strings.Join(offered, " ")))
	token := o.Mechanism == sasl.XOAuth2 || o.Mechanism == sasl.OAuthBearer || (o.Mechanism == "" && looksLikeToken(o.Secret))
	mech := o.Mechanism
	if mech == "" {
		m, why, err := sasl.Choose(offered, token, o.Session.ClientCert != nil)
		if err != nil {
			res.Status, res.Reason = StatusFail, protocol.ReasonAuthMechanism
			res.Summary, res.DurationMS = "cannot choose a mechanism: "+err.Error(), r.since(start)
			r.done(res)
			return false
		}
		mech = m
		res.Details = append(res.Details, "chosen: "+why)
	} else if !slices.Contains(offered, mech) {
		res.Status, res.Reason = StatusFail, protocol.ReasonAuthMechanism
		res.Summary = fmt.Sprintf("the server does not offer %s (it offers %s)", mech, strings.Join(offered, " "))
		res.DurationMS = r.since(start)
		r.done(res)
		return false
	}
	r.mechanism = mech
	if token {
		r.checkToken(&res)
	}
	reply, err := r.st.Auth(ctx, session.AuthRequest{Mechanism: mech, Username: o.User, Secret: o.Secret, Token: token})
	res.DurationMS = r.since(start)
	if err != nil {
		r.failStep(&res, reply, protocol.VerbAUTH, err, "the login failed")
		if res.Reply != nil {
			res.Summary = mech + " refused: " + replyWords(reply)
		}
		r.done(res)
		return false
	}
	res.Reply = newReply(reply, protocol.VerbAUTH)
	res.Summary = fmt.Sprintf("logged in as %s with %s", protocol.Sanitize(o.User), mech)
	if len(res.Warnings) > 0 {
		res.Status = StatusWarn
	}
	return !r.done(res)
}

// checkToken reads an OAuth token locally and predicts the provider's
// refusal before the token is sent.
func (r *runner) checkToken(res *Result) {
	info, err := DecodeToken(r.opts.Secret)
	if err != nil {
		res.Warnings = append(res.Warnings, "the token looks like a JWT but does not decode ("+protocol.Sanitize(err.Error())+"): it may be cut short or pasted with extra characters")
		r.predictions = append(r.predictions, res.Warnings[len(res.Warnings)-1])
		return
	}
	for _, f := range info.Facts(r.clock()) {
		res.Details = append(res.Details, "token: "+f)
	}
	provider := r.target.Provider
	if provider == "" {
		host := hostOf(r.target.Address)
		provider = protocol.DetectProvider(host, r.greeting).ID
	}
	p := info.Predict(provider, r.opts.User, r.clock())
	res.Warnings = append(res.Warnings, p...)
	r.predictions = append(r.predictions, p...)
}
