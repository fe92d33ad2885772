package session

import "fmt"

// noteInjection reports bytes injected before the STARTTLS handshake, as
// a warning and in its own field.
func (r *ProbeReport) noteInjection(c *conn) {
	if c.injectedN == 0 || r.StartTLSInjection != nil {
		return
	}
	r.StartTLSInjection = &ProbeInjection{Octets: c.injectedN, Preview: displayLine(c.injected)}
	r.Warnings = append(r.Warnings, fmt.Sprintf("the server sent %d octets after its 220 to STARTTLS, before the TLS handshake; they were discarded unread (the STARTTLS command-injection bug, RFC 3207 5): a man in the middle could use it to inject replies", c.injectedN))
}

// safeReport is the probe's display boundary: every string of the report
// (the server's banner, keywords, parameters, mechanisms, certificate
// names, texts quoted in warnings and errors) becomes display-safe, so
// the text report, the JSON and anything built on them are.
func (s *Session) safeReport(r *ProbeReport) {
	r.Banner = s.safe(r.Banner)
	r.Provider = s.safe(r.Provider)
	r.Error = s.safe(r.Error)
	for i := range r.Warnings {
		r.Warnings[i] = s.safe(r.Warnings[i])
	}
	for _, caps := range [][]ProbeCapability{r.CapabilitiesPlain, r.CapabilitiesTLS} {
		for i := range caps {
			caps[i].Keyword = s.safe(caps[i].Keyword)
			caps[i].Params = s.safeList(caps[i].Params)
		}
	}
	for i := range r.Changes {
		ch := &r.Changes[i]
		ch.Keyword = s.safe(ch.Keyword)
		ch.Before, ch.After = s.safeList(ch.Before), s.safeList(ch.After)
	}
	r.AuthMechanisms = s.safeList(r.AuthMechanisms)
	if r.StartTLSInjection != nil {
		r.StartTLSInjection.Preview = s.safe(r.StartTLSInjection.Preview)
	}
	if t := r.TLS; t != nil {
		t.ServerName, t.VerifyError = s.safe(t.ServerName), s.safe(t.VerifyError)
		for i := range t.Chain {
			c := &t.Chain[i]
			c.Subject, c.Issuer = s.safe(c.Subject), s.safe(c.Issuer)
			c.Names = s.safeList(c.Names)
		}
	}
}

// safeList returns a display-safe copy of list (nil stays nil).
func (s *Session) safeList(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = s.safe(v)
	}
	return out
}
