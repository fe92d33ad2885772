package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// SweepPort is a port tried when the server cannot be reached on its own,
// with the TLS mode that port expects.
type SweepPort struct {
	Port     string
	Implicit bool
}

// DefaultSweepPorts are the submission and relay ports, in the order they
// are recommended: 587 with STARTTLS (RFC 6409), 465 with implicit TLS
// (RFC 8314), 25 (RFC 5321, often filtered for home and cloud networks),
// and 2525, which several sending services open because 25 is filtered.
var DefaultSweepPorts = []SweepPort{
	{session.PortSubmission, false},
	{session.PortSubmissions, true},
	{session.PortSMTP, false},
	{"2525", false},
}

// slowGreeting is a greeting delay worth a warning.
const slowGreeting = 3 * time.Second

// Outcomes of a connection attempt.
const (
	outcomeAnswers  = "answers"
	outcomeRefused  = "refused"
	outcomeTimeout  = "timed out"
	outcomeSilent   = "silent"
	outcomeNoHost   = "no such host"
	outcomeRefusing = "refuses service"
	outcomeTLSWrong = "plain SMTP, not TLS"
	outcomeError    = "failed"
)

// attempt is what connecting to one port gave.
type attempt struct {
	port     SweepPort
	outcome  string
	detail   string // the error or greeting, in words
	dialErr  error  // the raw dial error, when the TCP connect failed
	greeting protocol.Reply
	openErr  error
	dialed   bool // the TCP connection was made
}

// describe is the attempt in a few words: "587 with STARTTLS answers".
func (a attempt) describe() string {
	return strings.TrimSpace(fmt.Sprintf("%s %s %s", portWords(a.port), a.outcome, a.detailSuffix()))
}

func (a attempt) detailSuffix() string {
	if a.detail == "" {
		return ""
	}
	return "(" + a.detail + ")"
}

// portWords names a port with its TLS mode: "587 with STARTTLS".
func portWords(p SweepPort) string {
	switch {
	case p.Implicit:
		return p.Port + " with implicit TLS"
	case p.Port == session.PortSMTP:
		return p.Port
	}
	return p.Port + " with STARTTLS"
}

// recordingDial wraps the configured dialer to keep the raw dial error,
// which the session words for people.
func recordingDial(base func(ctx context.Context, network, addr string) (net.Conn, error), into *error) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if base == nil {
		d := &net.Dialer{}
		base = d.DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := base(ctx, network, addr)
		*into = err
		return c, err
	}
}

// open connects one stepper to address and classifies what happened.
func (r *runner) open(ctx context.Context, cfg session.Config, port SweepPort) (*session.Stepper, attempt) {
	var dialErr error
	cfg.Dial = recordingDial(cfg.Dial, &dialErr)
	st := session.NewStepper(cfg, nil)
	greeting, err := st.Open(ctx)
	a := attempt{port: port, greeting: greeting, openErr: err, dialErr: dialErr, dialed: st.RemoteAddr() != ""}
	var cert *session.CertificateError
	var tlsErr *session.TLSError
	switch {
	case err == nil && greeting.Code == 220:
		a.outcome = outcomeAnswers
		a.detail = ""
	case err == nil:
		a.outcome = outcomeRefusing
		a.detail = fmt.Sprintf("%03d %s", greeting.Code, protocol.Sanitize(greeting.Excerpt()))
	case !a.dialed:
		a.outcome, a.detail = dialOutcome(dialErr, err)
	case errors.As(err, &cert):
		a.outcome, a.detail = outcomeAnswers, "certificate not trusted"
	case errors.As(err, &tlsErr) && strings.Contains(tlsErr.Msg, "plain SMTP"):
		a.outcome = outcomeTLSWrong
	case errors.As(err, &tlsErr) && isTimeout(tlsErr.Err):
		a.outcome, a.detail = outcomeSilent, "connected, but no TLS handshake within "+cfg.Timeouts.Connect.String()
	case errors.As(err, &tlsErr):
		a.outcome, a.detail = outcomeError, tlsErr.Msg
	case strings.Contains(err.Error(), "no greeting"):
		a.outcome, a.detail = outcomeSilent, "connected, but no greeting within "+cfg.Timeouts.Banner.String()
	default:
		a.outcome, a.detail = outcomeError, protocol.Sanitize(err.Error())
	}
	return st, a
}

// dialOutcome classifies a failed TCP connect.
func dialOutcome(dialErr, worded error) (string, string) {
	var dns *net.DNSError
	switch {
	case dialErr == nil:
		return outcomeError, protocol.Sanitize(worded.Error())
	case errors.As(dialErr, &dns) && dns.IsNotFound:
		return outcomeNoHost, ""
	case errors.Is(dialErr, syscall.ECONNREFUSED):
		return outcomeRefused, "nothing listens there"
	case errors.Is(dialErr, context.DeadlineExceeded) || isTimeout(dialErr):
		return outcomeTimeout, ""
	case errors.Is(dialErr, syscall.ENETUNREACH) || errors.Is(dialErr, syscall.EHOSTUNREACH):
		return outcomeError, "no route to that network"
	}
	return outcomeError, protocol.Sanitize(dialErr.Error())
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// connect is the reach stage, and the TLS stage for implicit TLS.
func (r *runner) connect(ctx context.Context) bool {
	r.started(StageReach)
	start := r.clock()
	host, port, _ := net.SplitHostPort(r.target.Address)
	main := SweepPort{Port: port, Implicit: r.target.Implicit}
	st, a := r.open(ctx, r.sessionConfig(r.target.Address, r.target.Implicit), main)
	r.st = st
	res := Result{Stage: StageReach, Status: StatusPass}
	if a.dialed {
		res.Details = append(res.Details, "TCP connection to "+st.RemoteAddr())
	}
	var cert *session.CertificateError
	tlsFailed := r.target.Implicit && a.dialed && (a.outcome == outcomeTLSWrong || errors.As(a.openErr, &cert) ||
		(a.outcome == outcomeError && isTLSError(a.openErr)))
	switch {
	case a.outcome == outcomeAnswers && a.openErr == nil, tlsFailed:
		res.DurationMS = r.since(start)
		if a.openErr == nil {
			r.greeting = a.greeting.OneLine()
			res.Reply = newReply(a.greeting, "")
			res.Summary = fmt.Sprintf("%s answers: %03d %s", r.target.Address, a.greeting.Code, protocol.Sanitize(a.greeting.Excerpt()))
		} else {
			res.Summary = "connected to " + st.RemoteAddr() + "; the TLS handshake decides the rest"
		}
		r.done(res)
		if r.target.Implicit {
			return r.implicitTLS(a, start)
		}
		return true
	case a.outcome == outcomeRefusing:
		r.replyFailure(&res, a.greeting, "", "the server refuses service")
		res.DurationMS = r.since(start)
		r.done(res)
		return false
	case a.dialed && a.outcome == outcomeError:
		res.Status, res.Reason = StatusFail, protocol.ReasonNetwork
		res.Error, res.Summary = protocol.Sanitize(errText(a.openErr)), "connected, but "+a.detail
		res.DurationMS = r.since(start)
		r.done(res)
		return false
	}
	if ctx.Err() != nil {
		res.Status, res.Reason, res.DurationMS = StatusFail, protocol.ReasonNetwork, r.since(start)
		res.Summary, res.Error = "stopped: the diagnosis was cancelled", ctx.Err().Error()
		r.done(res)
		return false
	}
	// Not reached: try the other ports to say what works. A port that
	// accepts but stays silent may be waiting for a TLS handshake: try it
	// with TLS from the first byte too.
	var also []SweepPort
	if a.outcome == outcomeSilent && !main.Implicit {
		also = append(also, SweepPort{Port: main.Port, Implicit: true})
	}
	alternatives := r.sweep(ctx, host, main, also...)
	res.DurationMS = r.since(start)
	r.reachFailed(&res, a, alternatives)
	r.done(res)
	return false
}

// reachFailed words a failed reach stage from the attempt on the target's
// port and the sweep of the others.
func (r *runner) reachFailed(res *Result, first attempt, others []attempt) {
	res.Status = StatusFail
	res.Error = protocol.Sanitize(errText(first.openErr))
	res.Reason = protocol.ReasonNetwork
	p := first.port.Port
	var what string
	switch first.outcome {
	case outcomeTimeout:
		what = fmt.Sprintf("port %s is filtered on this network (timed out)", p)
		res.Reason = protocol.ReasonPortBlocked
	case outcomeSilent:
		// The TCP connection was made: nothing on the way filters it.
		what = fmt.Sprintf("port %s accepts connections but never greets (no 220 within the timeout)", p)
	case outcomeRefused:
		what = fmt.Sprintf("nothing listens on port %s (connection refused)", p)
	case outcomeNoHost:
		what = fmt.Sprintf("the host name %s does not exist", hostOf(r.target.Address))
		res.Reason = protocol.ReasonHostUnknown
	default:
		what = fmt.Sprintf("port %s cannot be reached (%s)", p, first.detail)
	}
	var works *attempt
	for i := range others {
		res.Details = append(res.Details, "port "+others[i].describe())
		if works == nil && others[i].outcome == outcomeAnswers {
			works = &others[i]
		}
	}
	switch {
	case works != nil && works.port.Port == p:
		// The same port answers in the other TLS mode.
		res.Reason = protocol.ReasonTLSMismatch
		what = fmt.Sprintf("port %s does not answer %s, but answers %s: use that", p, modeWords(first.port.Implicit), modeWords(works.port.Implicit))
	case works != nil:
		what += fmt.Sprintf("; %s answers: use that", portWords(works.port))
	case len(others) > 0 && first.outcome != outcomeNoHost:
		what += "; no other SMTP port answers either: the network blocks outgoing mail, or the server is down"
	}
	res.Summary = what
}

// modeWords names how a connection starts.
func modeWords(implicit bool) string {
	if implicit {
		return "with implicit TLS (--tls)"
	}
	return "in plain text with STARTTLS"
}

// sweep tries the other ports, and then also, at once, each bounded by
// the sweep timeout, and returns the attempts in that order.
func (r *runner) sweep(ctx context.Context, host string, tried SweepPort, also ...SweepPort) []attempt {
	var ports []SweepPort
	for _, p := range append(slices.Clone(r.opts.SweepPorts), also...) {
		if p != tried && !slices.Contains(ports, p) {
			ports = append(ports, p)
		}
	}
	out := make([]attempt, len(ports))
	var wg sync.WaitGroup
	for i, p := range ports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cfg := r.sessionConfig(net.JoinHostPort(host, p.Port), p.Implicit)
			cfg.Timeouts.Connect, cfg.Timeouts.Banner = r.opts.SweepTimeout, r.opts.SweepTimeout
			st, a := r.open(ctx, cfg, p)
			st.Close()
			out[i] = a
		}()
	}
	wg.Wait()
	return out
}

// implicitTLS is the TLS stage of a connection that started in TLS.
func (r *runner) implicitTLS(a attempt, start time.Time) bool {
	r.started(StageTLS)
	res := r.tlsResult(a.openErr, start)
	if a.outcome == outcomeTLSWrong {
		res.Reason = protocol.ReasonTLSMismatch
		res.Summary = "port " + a.port.Port + " speaks plain SMTP, not TLS from the first byte: connect without --tls (STARTTLS upgrades it)"
	}
	r.done(res)
	return res.Status != StatusFail
}

// isTLSError reports a failed TLS handshake.
func isTLSError(err error) bool {
	var tlsErr *session.TLSError
	return errors.As(err, &tlsErr)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func hostOf(address string) string {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return address
	}
	return host
}
