package sandbox

import (
	"time"

	"github.com/smtpscope/smtpscope/localca"
)

// Defaults and limits. The RFC minimums are the floor; the sandbox is
// generous above them because a person types at it.
const (
	// DefaultListen is the address the sandbox listens on: loopback, a free port.
	DefaultListen = "127.0.0.1:0"
	// DefaultHostname is the name the sandbox gives itself in its banner and certificate.
	DefaultHostname = "sandbox.test"
	// MailDomain is the domain the sandbox accepts mail for.
	MailDomain = "sandbox.test"

	// DefaultMaxMessageSize is advertised in SIZE (RFC 1870) and enforced with 552 5.3.4.
	DefaultMaxMessageSize = 32 << 20
	// DefaultMaxRecipients per transaction. RFC 5321 4.5.3.1.8: at least 100.
	DefaultMaxRecipients = 100
	// DefaultMaxClients is the number of simultaneous connections; more get 421.
	DefaultMaxClients = 64
	// DefaultMaxClientsPerHost is the number of simultaneous connections
	// from one client address, so that one client cannot take every slot.
	DefaultMaxClientsPerHost = 16
	// DefaultMaxStoredMessages is how many received messages are kept.
	DefaultMaxStoredMessages = 200
	// DefaultMaxStoredBytes bounds the memory the kept messages' content
	// takes together; older content moves to a private temporary directory.
	DefaultMaxStoredBytes = 64 << 20
	// DefaultMaxErrors is the patient limit of bad commands before the sandbox
	// hangs up (go-smtp and others stop at 3; a learner needs more).
	DefaultMaxErrors = 50

	// DefaultIdleTimeout is how long the sandbox waits for a command.
	// RFC 5321 4.5.3.2.7: a server should wait at least 5 minutes.
	DefaultIdleTimeout = 10 * time.Minute
	// DefaultHelloTimeout is how long a client may stay silent before its
	// first EHLO or HELO: a client that connects and says nothing holds a
	// slot for a minute, not for the whole idle timeout.
	DefaultHelloTimeout = time.Minute
	// DefaultDataTimeout is how long the sandbox waits for each line of a
	// message body: long enough to type a body by hand.
	// RFC 5321 4.5.3.2.6 asks clients to wait 3 minutes per data block.
	DefaultDataTimeout = 10 * time.Minute
	// DefaultGreylistDelay is how long the greylist scenario defers a new triplet.
	DefaultGreylistDelay = 5 * time.Second

	// maxLineOctets bounds a command line. RFC 5321 4.5.3.1.4 allows 512
	// octets; RFC 4954 4 requires 12288 for AUTH lines. Longer lines get
	// 500 5.5.2 and are discarded.
	maxLineOctets = 12288 + len("\r\n")
	// defaultWriteTimeout bounds a reply write to a client that stopped
	// reading. It counts from each write, not from the last flush: a client
	// that pipelines after a quiet minute fills the write buffer between
	// flushes, and a deadline left from that flush has passed.
	defaultWriteTimeout = time.Minute
	// overloadReplyTimeout bounds the 421 sent to a client over MaxClients.
	overloadReplyTimeout = 5 * time.Second
)

// Config configures a sandbox [Server]. The zero value is usable: loopback,
// a free port, the default scenario.
type Config struct {
	Listen      string        // default "127.0.0.1:0"
	TLSListen   string        // implicit-TLS listener (RFC 8314), "" = none
	Scenario    string        // "" = "default"; see [Scenarios]
	BannerDelay time.Duration // delays the 220 greeting; 0 = the scenario's own delay
	Hostname    string        // default "sandbox.test"
	OnEvent     func(Event)   // notifications, called synchronously from connection goroutines: return quickly, do not modify Event.Message

	MaxMessageSize    int64            // 0 = DefaultMaxMessageSize
	MaxRecipients     int              // 0 = DefaultMaxRecipients
	MaxClients        int              // 0 = DefaultMaxClients
	MaxClientsPerHost int              // 0 = DefaultMaxClientsPerHost (never above MaxClients)
	MaxStoredMessages int              // 0 = DefaultMaxStoredMessages; negative: keep none (bodies are counted, not stored)
	MaxStoredBytes    int64            // 0 = DefaultMaxStoredBytes: content kept in memory, all messages together
	MaxErrors         int              // 0 = the scenario's limit (DefaultMaxErrors unless it says otherwise)
	IdleTimeout       time.Duration    // 0 = DefaultIdleTimeout
	HelloTimeout      time.Duration    // 0 = DefaultHelloTimeout; the wait before EHLO/HELO and the cap on a TLS handshake (never above IdleTimeout)
	DataTimeout       time.Duration    // 0 = DefaultDataTimeout
	GreylistDelay     time.Duration    // 0 = DefaultGreylistDelay
	Now               func() time.Time // clock for greylisting and timestamps; nil = time.Now
	// Authority signs the server's certificate; nil makes a new one. Pass
	// an earlier server's [Server.Authority] to restart the sandbox (with
	// another scenario, say) under the same trust.
	Authority *localca.Authority

	writeTimeout time.Duration // 0 = defaultWriteTimeout; shortened by tests
}

// withDefaults returns cfg with every zero field set to its default.
func (cfg Config) withDefaults() Config {
	if cfg.Listen == "" {
		cfg.Listen = DefaultListen
	}
	if cfg.Hostname == "" {
		cfg.Hostname = DefaultHostname
	}
	if cfg.Scenario == "" {
		cfg.Scenario = DefaultScenario
	}
	if cfg.MaxMessageSize <= 0 {
		cfg.MaxMessageSize = DefaultMaxMessageSize
	}
	if cfg.MaxRecipients <= 0 {
		cfg.MaxRecipients = DefaultMaxRecipients
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = DefaultMaxClients
	}
	if cfg.MaxClientsPerHost <= 0 {
		cfg.MaxClientsPerHost = DefaultMaxClientsPerHost
	}
	cfg.MaxClientsPerHost = min(cfg.MaxClientsPerHost, cfg.MaxClients)
	if cfg.MaxStoredMessages == 0 {
		cfg.MaxStoredMessages = DefaultMaxStoredMessages
	}
	if cfg.MaxStoredBytes <= 0 {
		cfg.MaxStoredBytes = DefaultMaxStoredBytes
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.HelloTimeout <= 0 {
		cfg.HelloTimeout = DefaultHelloTimeout
	}
	cfg.HelloTimeout = min(cfg.HelloTimeout, cfg.IdleTimeout)
	if cfg.DataTimeout <= 0 {
		cfg.DataTimeout = DefaultDataTimeout
	}
	if cfg.GreylistDelay <= 0 {
		cfg.GreylistDelay = DefaultGreylistDelay
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.writeTimeout <= 0 {
		cfg.writeTimeout = defaultWriteTimeout
	}
	return cfg
}
