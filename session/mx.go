package session

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
)

// MXResolver looks up MX records; *net.Resolver is one. Tests pass a fake
// so that they never touch the network.
type MXResolver interface {
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
}

// MXHost is one mail exchanger of a domain.
type MXHost struct {
	Host string `json:"host"` // without the trailing dot
	Pref uint16 `json:"pref"` // lower is tried first
}

// LookupMX returns the mail exchangers of domain, most preferred first
// (RFC 5321 5.1; equal preferences keep the resolver's order). A domain
// without MX records has the implicit MX of its own name. A null MX
// (RFC 7505) is an error: the domain accepts no mail.
func LookupMX(ctx context.Context, r MXResolver, domain string) ([]MXHost, error) {
	domain = strings.TrimSuffix(strings.TrimSpace(domain), ".")
	if domain == "" {
		return nil, errors.New("no domain given")
	}
	mxs, err := r.LookupMX(ctx, domain)
	var dns *net.DNSError
	if err != nil && !(errors.As(err, &dns) && dns.IsNotFound) {
		return nil, fmt.Errorf("looking up the MX records of %s failed: %w", domain, err)
	}
	if len(mxs) == 0 {
		// RFC 5321 5.1: no MX records means the domain itself is the
		// host (the connect then says whether it exists).
		return []MXHost{{Host: domain}}, nil
	}
	if len(mxs) == 1 && (mxs[0].Host == "." || mxs[0].Host == "") {
		return nil, fmt.Errorf("%s publishes a null MX (RFC 7505): it accepts no mail", domain)
	}
	out := make([]MXHost, 0, len(mxs))
	for _, mx := range mxs {
		out = append(out, MXHost{Host: strings.TrimSuffix(mx.Host, "."), Pref: mx.Pref})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pref < out[j].Pref })
	return out, nil
}
