package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// RFC 6186 3.1 service labels: submission over implicit TLS (RFC 8314
// 5.1 prefers it) and submission with STARTTLS.
const (
	srvSubmissions = "submissions"
	srvSubmission  = "submission"
)

// errNotFound ends the where stage without a server.
var errNotFound = errors.New("no submission server found")

// where decides the server: the argument, a preset, or discovery for an
// email address.
func (r *runner) where(ctx context.Context) (Target, Result) {
	o := r.opts
	res := Result{Stage: StageWhere, Status: StatusPass}
	switch {
	case o.Address != "":
		t := Target{Address: session.NormalizeAddress(o.Address), How: "argument"}
		t.Implicit = o.Session.TLSMode == session.TLSImplicit || session.DefaultTLSMode(t.Address) == session.TLSImplicit
		host, _, _ := net.SplitHostPort(t.Address)
		if p, ok := protocol.PresetForHost(host); ok {
			t.Preset, t.Provider = p.Name, p.Provider
		}
		res.Summary = "the server given: " + t.Address
		return t, res
	case o.Preset != "":
		p, ok := protocol.LookupPreset(o.Preset)
		if !ok {
			return Target{}, whereFailed(res, fmt.Errorf("unknown preset %q; known: %s", o.Preset, strings.Join(protocol.PresetNames(), ", ")))
		}
		t, err := presetTarget(p, o.Region, "preset "+p.Name)
		if err != nil {
			return Target{}, whereFailed(res, err)
		}
		res.Summary = fmt.Sprintf("%s: %s (%s)", p.Title, t.Address, tlsWords(t.Implicit))
		return t, res
	}
	return r.discover(ctx, res)
}

// discover finds the submission server of an email address as mail
// clients do: a known provider's domain, RFC 6186 SRV records, the
// autoconfig document, the provider of the MX hosts, then smtp.DOMAIN.
func (r *runner) discover(ctx context.Context, res Result) (Target, Result) {
	addr, err := mail.ParseAddress(r.opts.For)
	if err != nil || !strings.Contains(addr.Address, "@") {
		return Target{}, whereFailed(res, fmt.Errorf("%q is not an email address (write it as user@example.com)", r.opts.For))
	}
	address := addr.Address
	domain := strings.ToLower(address[strings.LastIndexByte(address, '@')+1:])
	found := func(t Target, how string) (Target, Result) {
		t.How = how
		res.Summary = fmt.Sprintf("%s: %s (%s)", how, t.Address, tlsWords(t.Implicit))
		return t, res
	}
	if p, ok := protocol.PresetForDomain(domain); ok {
		t, err := presetTarget(p, "", "")
		if err != nil {
			return Target{}, whereFailed(res, err)
		}
		return found(t, fmt.Sprintf("%s is a %s domain (preset %s)", domain, p.Title, p.Name))
	}
	if t, how, ok := r.lookupSRV(ctx, domain, &res); ok {
		return found(t, how)
	}
	if srv, tried, err := fetchAutoconfig(ctx, r.opts.HTTP, address, domain); err == nil {
		res.Details = append(res.Details, tried...)
		return found(srv.target(&res, "the autoconfig document"), "autoconfig "+srv.url)
	} else {
		res.Details = append(res.Details, tried...)
	}
	if t, how, ok := r.lookupISPDB(ctx, address, domain, "", &res); ok {
		return found(t, how)
	}
	t, how, mxDomains, ok := r.lookupMXProvider(ctx, domain, &res)
	if ok {
		return found(t, how)
	}
	for _, d := range mxDomains {
		// Thunderbird's last step: the MX host's own domain in the ISPDB
		// (a domain hosted by a provider the presets do not know).
		if t, how, ok := r.lookupISPDB(ctx, address, d, domain, &res); ok {
			return found(t, how)
		}
	}
	guess := "smtp." + domain
	if ips, err := r.lookupHost(ctx, guess); err == nil && len(ips) > 0 {
		res.Warnings = append(res.Warnings, "nothing published says where "+domain+"'s submission server is; "+guess+" is a guess")
		return found(Target{Address: net.JoinHostPort(guess, session.PortSubmission)}, "guessed "+guess+" (it resolves)")
	}
	res.Details = append(res.Details, guess+": does not resolve")
	return Target{}, whereFailed(res, fmt.Errorf("%w for %s: no SRV record, no autoconfig document, no ISPDB entry, no known provider behind its MX hosts, and no %s; give the server: smtpscope doctor smtp.%s:587",
		errNotFound, domain, guess, domain))
}

// lookupSRV reads the RFC 6186 records, implicit TLS first.
func (r *runner) lookupSRV(ctx context.Context, domain string, res *Result) (Target, string, bool) {
	for _, service := range []string{srvSubmissions, srvSubmission} {
		name := "_" + service + "._tcp." + domain
		lctx, cancel := context.WithTimeout(ctx, DefaultLookupTimeout)
		_, records, err := r.opts.Resolver.LookupSRV(lctx, service, "tcp", domain)
		cancel()
		if err != nil {
			res.Details = append(res.Details, "SRV "+name+": "+dnsWords(err))
			continue
		}
		for _, rec := range records {
			host := strings.TrimSuffix(rec.Target, ".")
			// RFC 6186 3.4: a target of "." says the service is not offered.
			if host == "" || rec.Port == 0 || !validHostname(host) {
				res.Details = append(res.Details, "SRV "+name+": the domain says this service is not offered")
				continue
			}
			t := Target{Address: net.JoinHostPort(host, strconv.Itoa(int(rec.Port))), Implicit: service == srvSubmissions}
			if p, ok := protocol.PresetForHost(host); ok {
				t.Preset, t.Provider = p.Name, p.Provider
			}
			return t, "SRV " + name, true
		}
	}
	return Target{}, "", false
}

// lookupMXProvider maps the domain's MX hosts to a known provider.
// lookupMXProvider finds a known provider behind the domain's MX hosts;
// without one it returns the MX hosts' own registered domains (not the
// domain itself), for the ISPDB.
func (r *runner) lookupMXProvider(ctx context.Context, domain string, res *Result) (Target, string, []string, bool) {
	lctx, cancel := context.WithTimeout(ctx, DefaultLookupTimeout)
	mxs, err := r.opts.Resolver.LookupMX(lctx, domain)
	cancel()
	if err != nil {
		res.Details = append(res.Details, "MX "+domain+": "+dnsWords(err))
		return Target{}, "", nil, false
	}
	for _, mx := range mxs {
		p, region, ok := protocol.PresetForMX(mx.Host)
		if !ok {
			continue
		}
		t, err := presetTarget(p, region, "")
		if err != nil {
			continue
		}
		host := strings.TrimSuffix(mx.Host, ".")
		return t, fmt.Sprintf("MX %s is %s's (preset %s)", protocol.Sanitize(host), p.Title, p.Name), nil, true
	}
	var hosts, domains []string
	for _, mx := range mxs {
		host := strings.ToLower(strings.TrimSuffix(mx.Host, "."))
		hosts = append(hosts, protocol.Sanitize(host))
		if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil && d != domain && validHostname(d) && !slices.Contains(domains, d) {
			domains = append(domains, d)
		}
	}
	res.Details = append(res.Details, "MX "+domain+": "+strings.Join(hosts, ", ")+" (no known provider)")
	return Target{}, "", domains, false
}

// lookupISPDB asks Thunderbird's ISPDB for domain (for the MX host's
// domain of forDomain, when set).
func (r *runner) lookupISPDB(ctx context.Context, address, domain, forDomain string, res *Result) (Target, string, bool) {
	srv, detail, err := fetchISPDB(ctx, r.opts.HTTP, r.opts.ISPDB, address, domain)
	res.Details = append(res.Details, detail)
	if err != nil {
		return Target{}, "", false
	}
	t := srv.target(res, "Thunderbird's ISPDB")
	how := "Thunderbird's ISPDB entry for " + domain
	if forDomain != "" {
		how = fmt.Sprintf("Thunderbird's ISPDB entry for %s, the domain of %s's MX hosts", domain, forDomain)
	}
	return t, how, true
}

// target is where a settings document points, with the preset of its
// host when there is one; a server without TLS is warned about, naming
// the source.
func (srv autoconfigServer) target(res *Result, source string) Target {
	t := Target{Address: srv.address, Implicit: srv.implicit}
	host, _, _ := net.SplitHostPort(srv.address)
	if p, ok := protocol.PresetForHost(host); ok {
		t.Preset, t.Provider = p.Name, p.Provider
	}
	if srv.plain {
		res.Warnings = append(res.Warnings, source+" names a server without TLS")
	}
	return t
}

func (r *runner) lookupHost(ctx context.Context, host string) ([]string, error) {
	lctx, cancel := context.WithTimeout(ctx, DefaultLookupTimeout)
	defer cancel()
	return r.opts.Resolver.LookupHost(lctx, host)
}

// presetTarget is where a preset points.
func presetTarget(p protocol.Preset, region, how string) (Target, error) {
	address, err := p.Address(region)
	if err != nil {
		return Target{}, err
	}
	return Target{Address: address, Implicit: p.Implicit(), Preset: p.Name, Provider: p.Provider, How: how}, nil
}

// whereFailed ends the stage with err.
func whereFailed(res Result, err error) Result {
	res.Status, res.Error, res.Reason = StatusFail, err.Error(), protocol.ReasonNetwork
	res.Summary = "no server to diagnose"
	return res
}

// dnsWords says what a failed look-up means.
func dnsWords(err error) string {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		switch {
		case dns.IsNotFound:
			return "none"
		case dns.IsTimeout:
			return "the DNS server did not answer"
		}
	}
	return protocol.Sanitize(err.Error())
}

// tlsWords names a TLS mode.
func tlsWords(implicit bool) string {
	if implicit {
		return "implicit TLS"
	}
	return "STARTTLS"
}
