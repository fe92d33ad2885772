package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/session"
)

// Resolver answers the DNS questions of discovery. *net.Resolver
// implements it; tests point one at a DNS server on loopback.
type Resolver interface {
	LookupSRV(ctx context.Context, service, proto, name string) (string, []*net.SRV, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Default limits of a diagnosis. A person waits for it: each step gives
// up sooner than the session's own defaults (RFC 5321 4.5.3.2 allows
// minutes), and every one can be changed.
const (
	DefaultConnectTimeout = 10 * time.Second // TCP connect and an implicit TLS handshake
	DefaultReplyTimeout   = 30 * time.Second // the greeting and each reply
	DefaultSweepTimeout   = 5 * time.Second  // each other port tried when the first cannot be reached
	DefaultLookupTimeout  = 10 * time.Second // each DNS query or autoconfig fetch
)

// Options describe one diagnosis. The target is one of Address, Preset
// or For.
type Options struct {
	Address string // host:port
	Preset  string // a preset name (protocol.LookupPreset)
	Region  string // the preset's region (ses)
	For     string // an email address: find its submission server

	// Session is the base of every connection: TLS mode and policy,
	// certificate roots, SNI, EHLO name, timeouts, the dialer. Its
	// Address is set per connection.
	Session session.Config

	User      string // AUTH username; "" skips the AUTH stage
	Secret    string // password or OAuth token; never reported
	Mechanism string // AUTH mechanism; "" lets smtpscope choose
	From      string // MAIL FROM and the From: header; "" uses User when it is an address
	To        string // RCPT TO; "" skips the recipient stage
	Send      bool   // send a short test message to To

	Resolver     Resolver         // nil: net.DefaultResolver
	HTTP         *http.Client     // nil: a client with DefaultLookupTimeout
	ISPDB        string           // "": DefaultISPDB; the base URL of Thunderbird's ISPDB, the domain is appended
	Now          func() time.Time // nil: time.Now; token and certificate expiry, retry times
	SweepPorts   []SweepPort      // nil: DefaultSweepPorts
	SweepTimeout time.Duration    // 0: DefaultSweepTimeout

	// Observe receives progress events, on the goroutine running the
	// diagnosis; it must return quickly. nil ignores them.
	Observe func(Event)
}

// withDefaults fills what was left zero.
func (o Options) withDefaults() Options {
	if o.Resolver == nil {
		o.Resolver = net.DefaultResolver
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: DefaultLookupTimeout}
	}
	if o.ISPDB == "" {
		o.ISPDB = DefaultISPDB
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SweepPorts == nil {
		o.SweepPorts = DefaultSweepPorts
	}
	if o.SweepTimeout <= 0 {
		o.SweepTimeout = DefaultSweepTimeout
	}
	t := &o.Session.Timeouts
	if t.Connect <= 0 {
		t.Connect = DefaultConnectTimeout
	}
	if t.Banner <= 0 {
		t.Banner = DefaultReplyTimeout
	}
	if t.Command <= 0 {
		t.Command = DefaultReplyTimeout
	}
	o.Mechanism = strings.ToUpper(strings.TrimSpace(o.Mechanism))
	return o
}

// check reports options that contradict each other.
func (o Options) check() error {
	n := 0
	for _, set := range []bool{o.Address != "", o.Preset != "", o.For != ""} {
		if set {
			n++
		}
	}
	switch {
	case n == 0:
		return errors.New("doctor: name a server (HOST[:PORT]), a preset or an address to diagnose")
	case n > 1 && !(n == 2 && o.For != "" && o.Address == ""):
		// --for may go with a preset: the preset says where, the address who.
		return errors.New("doctor: give one of a server, a preset or --for")
	case o.Send && o.To == "":
		return errors.New("doctor: sending a test message needs a recipient (--to)")
	case o.Secret != "" && o.User == "":
		return errors.New("doctor: a secret without a username (--user)")
	}
	for _, a := range []struct{ flag, addr string }{{"--from", o.From}, {"--to", o.To}} {
		if err := checkMailbox(a.flag, a.addr); err != nil {
			return err
		}
	}
	return nil
}

// checkMailbox accepts a bare address (local@domain) and nothing that
// could add a header or a command to what is sent.
func checkMailbox(flag, addr string) error {
	if addr == "" {
		return nil
	}
	parsed, err := mail.ParseAddress(addr)
	if err != nil || parsed.Address != addr || !strings.Contains(addr, "@") {
		return fmt.Errorf("doctor: %s %q is not a plain address like user@example.com", flag, addr)
	}
	return nil
}

// envelopeSender is the MAIL FROM address: From, else the username when
// it is an address, else "" (unknown).
func (o Options) envelopeSender() string {
	if o.From != "" {
		return o.From
	}
	if strings.Contains(o.User, "@") {
		return o.User
	}
	if strings.Contains(o.For, "@") {
		return o.For
	}
	return ""
}
