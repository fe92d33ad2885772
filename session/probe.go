package session

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// Stage names a step of a probe; a failed probe reports the stage that
// failed. The names are stable: they appear in JSON output.
type Stage string

// Probe stages, in order.
const (
	StageConnect     Stage = "connect"     // TCP connect
	StageBanner      Stage = "banner"      // the 220 greeting
	StageEHLO        Stage = "ehlo"        // EHLO (or HELO)
	StageTLS         Stage = "tls"         // STARTTLS or the TLS handshake
	StageCertificate Stage = "certificate" // certificate verification
)

// expiryWarning is how close to its end a certificate draws a warning.
const expiryWarning = 30 * 24 * time.Hour

// slowBanner is the greeting delay worth a warning: a deliberate greet
// pause or an overloaded server.
const slowBanner = 3 * time.Second

// ProbeReport is what [Probe] found. The JSON field names are documented
// in docs/probe.md.
type ProbeReport struct {
	Address           string             `json:"address"`
	RemoteAddr        string             `json:"remote_addr,omitempty"`
	TLSMode           string             `json:"tls_mode"` // "implicit", "starttls" or "none"
	Banner            string             `json:"banner"`
	BannerCode        int                `json:"banner_code,omitempty"`
	Provider          string             `json:"provider,omitempty"`
	CapabilitiesPlain []ProbeCapability  `json:"capabilities_plain"`
	CapabilitiesTLS   []ProbeCapability  `json:"capabilities_tls"`
	Changes           []CapabilityChange `json:"capability_changes"`
	AuthMechanisms    []string           `json:"auth_mechanisms"`
	SizeLimit         *int64             `json:"size_limit"`
	SizeHuman         string             `json:"size_human,omitempty"`
	TLS               *ProbeTLS          `json:"tls"`
	TimingsMS         map[string]float64 `json:"timings_ms"`
	Warnings          []string           `json:"warnings"`
	StartTLSInjection *ProbeInjection    `json:"starttls_injection,omitempty"`
	OutOfStep         bool               `json:"out_of_step,omitempty"`
	FailedStage       Stage              `json:"failed_stage,omitempty"`
	Error             string             `json:"error,omitempty"`

	transcript *Transcript
}

// Transcript returns the probe's conversation.
func (r *ProbeReport) Transcript() *Transcript { return r.transcript }

// ProbeInjection reports octets a server sent after its 220 to STARTTLS
// and before the TLS handshake (RFC 3207 5, the STARTTLS command-injection
// bug): they were discarded unread, never taken as a reply.
type ProbeInjection struct {
	Octets  int    `json:"octets"`
	Preview string `json:"preview"` // the first octets, display-safe
}

// ProbeCapability is one EHLO keyword with its explanation.
type ProbeCapability struct {
	Keyword string   `json:"keyword"`
	Params  []string `json:"params,omitempty"`
	Name    string   `json:"name,omitempty"`
	Meaning string   `json:"meaning,omitempty"`
	RFC     string   `json:"rfc,omitempty"`
}

// CapabilityChange is a keyword that differs before and after STARTTLS.
type CapabilityChange struct {
	Keyword string   `json:"keyword"`
	Change  string   `json:"change"` // "added", "removed" or "changed"
	Before  []string `json:"before,omitempty"`
	After   []string `json:"after,omitempty"`
}

// ProbeTLS is the TLS part of a probe report.
type ProbeTLS struct {
	Version     string      `json:"version"`
	Cipher      string      `json:"cipher"`
	ServerName  string      `json:"server_name,omitempty"`
	Verified    bool        `json:"verified"`
	Insecure    bool        `json:"insecure,omitempty"`
	VerifyError string      `json:"verify_error,omitempty"`
	VerifyHint  string      `json:"verify_hint,omitempty"` // the settings that would get past VerifyError ("pass it with --ca FILE")
	Chain       []ProbeCert `json:"chain"`
}

// ProbeCert is one certificate of the peer chain, leaf first.
type ProbeCert struct {
	Subject    string    `json:"subject"`
	Issuer     string    `json:"issuer"`
	Names      []string  `json:"names,omitempty"`
	NotBefore  time.Time `json:"not_before"`
	NotAfter   time.Time `json:"not_after"`
	KeyType    string    `json:"key_type"`
	Signature  string    `json:"signature"`
	SelfSigned bool      `json:"self_signed,omitempty"`
}

// ProbeError is returned by [Probe] when a stage failed; the report is
// still filled as far as the probe got.
type ProbeError struct {
	Stage Stage
	Err   error
}

func (e *ProbeError) Error() string { return fmt.Sprintf("%s: %v", e.Stage, e.Err) }
func (e *ProbeError) Unwrap() error { return e.Err }

// Probe connects, reads the banner, sends EHLO, upgrades with STARTTLS
// per cfg.StartTLS (when not already in TLS), sends EHLO again, and
// QUITs. It returns the report, and a [*ProbeError] naming the stage when
// one failed. cfg.AutoHello is ignored: the probe runs its own steps.
func Probe(ctx context.Context, cfg Config) (*ProbeReport, error) {
	s := newSession(cfg, nil) // no one reads events: the report and transcript are the results
	rep := &ProbeReport{Address: cfg.Address, TimingsMS: map[string]float64{}, transcript: s.transcript, TLSMode: "none"}
	if cfg.TLSMode == TLSImplicit {
		rep.TLSMode = "implicit"
	}
	start := time.Now()
	fail := func(stage Stage, err error) (*ProbeReport, error) {
		var cert *CertificateError
		if errors.As(err, &cert) {
			stage = StageCertificate
		}
		err = s.safeError(err)
		rep.FailedStage, rep.Error = stage, err.Error()
		rep.OutOfStep = errors.Is(err, ErrOutOfStep)
		rep.TimingsMS["total"] = ms(time.Since(start))
		if s.c != nil {
			rep.noteInjection(s.c)
			s.teardown(s.c, err)
		}
		s.safeReport(rep)
		return rep, &ProbeError{Stage: stage, Err: err}
	}
	// step checks a stage's outcome: its error, or a server found out of
	// step with the commands (replies after that point cannot be trusted).
	step := func(err error) error {
		if err == nil && s.c != nil && s.c.outOfStep != nil {
			err = s.c.outOfStep
		}
		return err
	}
	c, err := s.open(ctx)
	if c != nil {
		rep.RemoteAddr = c.raw.RemoteAddr().String()
		rep.setTLS(c.tls)
		if c.tls != nil {
			rep.TimingsMS["tls"] = ms(c.tls.Handshake)
		}
	}
	rep.TimingsMS["connect"] = ms(time.Since(start) - time.Duration(rep.TimingsMS["tls"]*float64(time.Millisecond)))
	if err != nil {
		if c == nil {
			return fail(StageConnect, err)
		}
		return fail(StageTLS, err)
	}
	a, err := s.awaitReply(ctx, c)
	if err := step(err); err != nil {
		return fail(StageBanner, err)
	}
	rep.TimingsMS["banner"] = ms(a.latency)
	rep.Banner = a.reply.Raw()
	rep.BannerCode = a.reply.Code
	rep.Provider = protocol.DetectProvider(hostOf(cfg.Address), a.reply.OneLine()).Name
	if a.latency > slowBanner {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the greeting took %s (a deliberate greet pause, or an overloaded server)", a.latency.Round(time.Millisecond)))
	}
	if a.reply.Code != codeServiceReady {
		return fail(StageBanner, s.replyError("", fmt.Sprintf("the server greeted with %03d instead of 220", a.reply.Code), a.reply))
	}
	t := time.Now()
	a, err = s.hello(ctx, c)
	if err := step(err); err != nil {
		return fail(StageEHLO, err)
	}
	rep.TimingsMS["ehlo"] = ms(time.Since(t))
	first := s.track.snapshot().Caps
	if c.tls == nil {
		rep.CapabilitiesPlain = probeCaps(first)
		if first.Has(protocol.VerbAUTH) {
			rep.Warnings = append(rep.Warnings, "AUTH is offered before TLS: a client could send its password in clear text")
		}
		if !first.Has(protocol.VerbSTARTTLS) && portOf(cfg.Address) == PortSubmission {
			rep.Warnings = append(rep.Warnings, "no STARTTLS on the submission port 587: passwords and mail would travel in clear text")
		}
	}
	final := first
	if c.tls == nil && cfg.StartTLS != StartTLSOff {
		switch {
		case first.Has(protocol.VerbSTARTTLS):
			rep.TLSMode = "starttls"
			t = time.Now()
			err := s.upgrade(ctx, c)
			rep.TimingsMS["starttls"] = ms(time.Since(t))
			rep.setTLS(c.tls)
			if err := step(err); err != nil {
				return fail(StageTLS, err)
			}
			t = time.Now()
			if _, err := s.hello(ctx, c); step(err) != nil {
				return fail(StageEHLO, step(err))
			}
			rep.TimingsMS["ehlo_tls"] = ms(time.Since(t))
			final = s.track.snapshot().Caps
		case cfg.StartTLS == StartTLSRequire:
			return fail(StageTLS, errNoStartTLS)
		}
	}
	if c.tls != nil {
		rep.CapabilitiesTLS = probeCaps(final)
		if rep.CapabilitiesPlain != nil {
			rep.Changes = probeChanges(protocol.DiffCapabilities(first, final))
		}
	}
	rep.AuthMechanisms = final.AuthMechanisms()
	if limit, ok := final.Size(); ok {
		rep.SizeLimit = &limit
		rep.SizeHuman = HumanSize(limit)
	}
	rep.Warnings = append(rep.Warnings, tlsWarnings(rep.TLS, time.Now())...)
	rep.noteInjection(c)
	t = time.Now()
	s.quitAndClose()
	rep.TimingsMS["quit"] = ms(time.Since(t))
	rep.TimingsMS["total"] = ms(time.Since(start))
	s.safeReport(rep)
	return rep, nil
}

// setTLS copies the TLS facts into the report.
func (r *ProbeReport) setTLS(info *TLSInfo) {
	if info == nil {
		return
	}
	pt := &ProbeTLS{Version: info.Version, Cipher: info.Cipher, ServerName: info.ServerName,
		Verified: info.Verified, Insecure: info.Insecure, VerifyError: info.VerifyError, VerifyHint: info.VerifyHint}
	for _, c := range info.Chain {
		pt.Chain = append(pt.Chain, ProbeCert{Subject: c.Subject, Issuer: c.Issuer, Names: c.DNSNames,
			NotBefore: c.NotBefore, NotAfter: c.NotAfter, KeyType: c.KeyType, Signature: c.Signature, SelfSigned: c.SelfSigned})
	}
	r.TLS = pt
}

// tlsWarnings lists what a user should know about the TLS facts.
func tlsWarnings(t *ProbeTLS, now time.Time) []string {
	if t == nil {
		return nil
	}
	var w []string
	if t.Insecure {
		w = append(w, "certificate verification was skipped (--insecure): this session is unverified")
		if t.VerifyError != "" {
			w = append(w, "verification would have failed: "+t.VerifyError)
		}
	}
	if len(t.Chain) > 0 {
		left := t.Chain[0].NotAfter.Sub(now)
		if left > 0 && left < expiryWarning {
			w = append(w, fmt.Sprintf("the certificate expires in %d days, on %s", int(left.Hours()/24), t.Chain[0].NotAfter.UTC().Format(dateLayout)))
		}
	}
	return w
}

func probeCaps(c protocol.Capabilities) []ProbeCapability {
	out := make([]ProbeCapability, 0, len(c.List))
	for _, cp := range c.List {
		pc := ProbeCapability{Keyword: cp.Keyword, Params: cp.Params}
		if info, ok := protocol.CapabilityInfo(cp.Keyword); ok {
			pc.Name, pc.Meaning, pc.RFC = info.Name, info.Meaning, info.RFC
		}
		out = append(out, pc)
	}
	return out
}

func probeChanges(diff []protocol.CapabilityChange) []CapabilityChange {
	out := make([]CapabilityChange, 0, len(diff))
	for _, d := range diff {
		ch := CapabilityChange{Keyword: d.Keyword, Change: "changed"}
		switch {
		case d.Added():
			ch.Change = "added"
		case d.Removed():
			ch.Change = "removed"
		}
		if d.Before != nil {
			ch.Before = d.Before.Params
		}
		if d.After != nil {
			ch.After = d.After.Params
		}
		out = append(out, ch)
	}
	return out
}

// HumanSize renders an octet count in binary units ("35 MiB"); 0 means
// the server announced no fixed limit.
func HumanSize(n int64) string {
	if n == 0 {
		return "no fixed limit"
	}
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func hostOf(addr string) string {
	h, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return h
}

func portOf(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}
