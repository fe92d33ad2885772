package proxy

import (
	"io"
	"time"

	"github.com/smtpscope/smtpscope/localca"
	"github.com/smtpscope/smtpscope/session"
)

// Defaults and limits.
const (
	// DefaultListen is where applications connect: loopback only.
	DefaultListen = "127.0.0.1:2525"
	// DefaultMaxConns is how many application connections run at once;
	// more are answered 421 and closed (RFC 5321 3.1).
	DefaultMaxConns = 32
	// DefaultIdleTimeout is how long the application may stay silent
	// between commands. RFC 5321 4.5.3.2.7: a server waits at least 5 min.
	DefaultIdleTimeout = 5 * time.Minute
	// DefaultDataTimeout is how long the application may pause inside
	// message content. RFC 5321 4.5.3.2.5 gives the client 3 min per data
	// block; the server side waits longer.
	DefaultDataTimeout = 5 * time.Minute
	// DefaultTLSHandshakeTimeout bounds the TLS handshake with the
	// application.
	DefaultTLSHandshakeTimeout = 30 * time.Second
	// DefaultPlainClientWait is how long the implicit-TLS listener waits
	// for a ClientHello before saying the application is probably waiting
	// for a plain greeting.
	DefaultPlainClientWait = 3 * time.Second
	// DefaultKeptTranscripts is how many finished connections keep their
	// transcript for [Proxy.Transcript]; each holds at most 20,000 lines.
	DefaultKeptTranscripts = 50

	// caLifetime is the life of the CA made at start, and of its leaf:
	// long enough that an application told to trust it keeps working for
	// as long as anyone keeps a proxy running.
	caLifetime = 365 * 24 * time.Hour
	// certBackdate absorbs clock skew between smtpscope and the application.
	certBackdate = time.Hour
)

// Config configures a [Proxy]. Upstream.Address is required; every other
// zero field takes its default.
type Config struct {
	// Listen is where applications connect (plain SMTP, STARTTLS offered).
	// Default DefaultListen; port 0 picks a free one.
	Listen string
	// TLSListen, when set, is a second listener that speaks TLS from the
	// first byte (implicit TLS, RFC 8314 3.3), for applications set to
	// "SSL/TLS" as on port 465.
	TLSListen string
	// NoDownstreamStartTLS stops smtpscope offering STARTTLS on Listen:
	// the EHLO reply to the application then never lists it.
	NoDownstreamStartTLS bool

	// Upstream is the server: Address, TLSMode (implicit or not), StartTLS
	// (the policy for the upstream leg), Insecure, RootCAs, CAFile, SNI,
	// TLSMin/TLSMax, ClientCert, Timeouts (Connect, Banner, Command, Data)
	// and Dial are used; the other fields are not.
	Upstream session.Config

	// CA signs the certificate shown to the application. nil: a fresh one
	// is made in memory at start ([Proxy.CA] returns it).
	CA *localca.Authority
	// CertNames are extra host names or IP addresses for that certificate,
	// besides localhost, the loopback addresses, the listen hosts, this
	// machine's name and the upstream host.
	CertNames []string

	MaxConns            int           // default DefaultMaxConns
	IdleTimeout         time.Duration // default DefaultIdleTimeout
	DataTimeout         time.Duration // default DefaultDataTimeout
	TLSHandshakeTimeout time.Duration // default DefaultTLSHandshakeTimeout
	PlainClientWait     time.Duration // default DefaultPlainClientWait
	KeptTranscripts     int           // default DefaultKeptTranscripts

	// ShowUsername lets events and the log show the AUTH username.
	// Passwords, tokens and SASL responses are never shown.
	ShowUsername bool
	// Log, when set, receives one JSON line ([session.JSONLine], with conn
	// and leg) per transcript line of every connection, as it happens.
	// Secrets never reach it. Writes are serialized.
	Log io.Writer
	// Now is the clock for event and transcript times; nil is time.Now.
	// Socket deadlines always use the wall clock.
	Now func() time.Time
}

// withDefaults returns cfg with every zero field set to its default.
func (cfg Config) withDefaults() Config {
	if cfg.Listen == "" {
		cfg.Listen = DefaultListen
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.DataTimeout <= 0 {
		cfg.DataTimeout = DefaultDataTimeout
	}
	if cfg.TLSHandshakeTimeout <= 0 {
		cfg.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
	}
	if cfg.PlainClientWait <= 0 {
		cfg.PlainClientWait = DefaultPlainClientWait
	}
	if cfg.KeptTranscripts <= 0 {
		cfg.KeptTranscripts = DefaultKeptTranscripts
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Upstream.Timeouts = cfg.Upstream.Timeouts.WithDefaults()
	return cfg
}
