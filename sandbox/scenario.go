package sandbox

import (
	"fmt"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// DefaultScenario is the name of the scenario used when none is chosen.
const DefaultScenario = "default"

// Scenario is a way for the sandbox to behave: data plus small hooks. The
// zero value of every field means the default behaviour; see the package
// documentation for how to add one.
type Scenario struct {
	Name        string
	Description string // one line, shown by --scenario list

	// Banner returns the greeting text after "220 "; nil: "<host> ESMTP …".
	Banner      func(v View) string
	BannerDelay time.Duration // used when Config.BannerDelay is 0

	// Extensions replaces the default EHLO keyword list (without STARTTLS
	// and AUTH, which are added per TLS state). Parameters of MAIL and RCPT
	// are accepted only for extensions listed.
	Extensions []string
	// Mechanisms replaces the default AUTH mechanisms, in advertised order.
	Mechanisms []string
	// AuthBeforeTLS advertises and allows AUTH on a plain connection.
	AuthBeforeTLS bool
	// EHLOGreeting returns the text of the first EHLO reply line; nil:
	// "<host> Hello <name>".
	EHLOGreeting func(v View) string
	// Credentials replaces the list of demo logins printed at start.
	Credentials []Credential
	MaxErrors   int      // bad commands before 421; 0 = DefaultMaxErrors
	Certificate CertKind // the certificate STARTTLS and implicit TLS present

	// Hooks returns the scenario's hooks for one server run. State shared
	// by the server's connections (a greylist) lives in its closure.
	Hooks func(env Env) Hooks
}

// Env is what a scenario's hooks may know about the server they run in.
type Env struct {
	Hostname      string
	Now           func() time.Time
	GreylistDelay time.Duration
}

// Hooks are a scenario's departures from the default behaviour. Each may
// be nil, and each returns nil to keep the default reply.
type Hooks struct {
	// Connect replaces the 220 greeting (a 421 for an overloaded server).
	Connect func(v View) *Reply
	// Command runs before the default handling of every command.
	Command func(v View, c protocol.Command) *Reply
	// Auth decides the reply at the end of an AUTH exchange.
	Auth func(v View, a AuthAttempt) *Reply
	// Recipient runs for a RCPT TO that the default rules would accept.
	Recipient func(v View, rcpt string) *Reply
	// Data decides the reply to a complete message (after DATA's end
	// marker or BDAT LAST) that the default rules would accept.
	Data func(v View, m *Message) *Reply
	// DropDataAfter returns after how many content octets the connection
	// is cut in the middle of DATA (at the end marker at the latest, before
	// any reply); 0 or less: never.
	DropDataAfter func(v View) int64
}

// View is a read-only picture of one connection, given to hooks.
type View struct {
	Conn         uint64 // connection number on this server, from 1
	Remote       string // client address, host:port
	Hostname     string // the sandbox's name
	TLS          bool
	Helo         string // EHLO/HELO name, "" before
	Extended     bool   // EHLO (not HELO) was accepted
	User         string // authenticated username, "" when not
	From         string // MAIL FROM of the open transaction
	InMail       bool   // a transaction is open
	Recipients   []string
	Transactions int // messages accepted on this connection
	Now          time.Time
}

// RemoteIP returns the client's IP address without the port.
func (v View) RemoteIP() string {
	host := v.Remote
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// Reply is a reply a hook sends instead of the default.
type Reply struct {
	Code     int
	Enhanced string   // "" for none (as QQ and NetEase send)
	Lines    []string // one string per line; may hold raw non-UTF-8 bytes (GBK)
	Close    bool     // close the connection after sending it
	Drop     bool     // close the connection without sending anything
}

// AuthVerdict is what the demo credential check found.
type AuthVerdict int

// Verdicts of an AUTH attempt.
const (
	AuthAccepted        AuthVerdict = iota // demo credentials (password or token)
	AuthAccountPassword                    // the demo "account password": right user, wrong kind of secret
	AuthRejected                           // anything else
)

// AuthAttempt is a finished AUTH exchange, for [Hooks.Auth].
type AuthAttempt struct {
	Mechanism string
	Username  string
	Token     bool // the secret was an OAuth token (XOAUTH2), not a password
	Verdict   AuthVerdict
}

// ScenarioInfo names and describes a scenario.
type ScenarioInfo struct {
	Name        string
	Description string
}

// scenarios is the registry, in the order --scenario list shows.
var scenarios = []*Scenario{
	defaultScenario(),
	gmailScenario(),
	microsoftScenario(),
	microsoftTenantScenario(),
	microsoftMailboxScenario(),
	microsoftSecurityDefaultsScenario(),
	qqScenario(),
	greylistScenario(),
	quotaScenario(),
	tarpitScenario(),
	flakyScenario(),
	strictScenario(),
	tlsExpiredScenario(),
	tlsWrongHostScenario(),
}

// Scenarios lists the scenarios the sandbox can play.
func Scenarios() []ScenarioInfo {
	out := make([]ScenarioInfo, len(scenarios))
	for i, s := range scenarios {
		out[i] = ScenarioInfo{Name: s.Name, Description: s.Description}
	}
	return out
}

// ScenarioCredentials returns the logins that matter in the named
// scenario, as [Server.Credentials] does for a running server: what a
// client shows before it connects to a sandbox restarted with name.
func ScenarioCredentials(name string) ([]Credential, error) {
	sc, err := lookupScenario(name)
	if err != nil {
		return nil, err
	}
	return append([]Credential(nil), sc.credentials()...), nil
}

// lookupScenario finds a scenario by name (case-insensitive).
func lookupScenario(name string) (*Scenario, error) {
	for _, s := range scenarios {
		if strings.EqualFold(s.Name, name) {
			return s, nil
		}
	}
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.Name
	}
	return nil, fmt.Errorf("unknown scenario %q; choose one of: %s", name, strings.Join(names, ", "))
}

// defaultScenario teaches: patient, every reply explained.
func defaultScenario() *Scenario {
	return &Scenario{
		Name:        DefaultScenario,
		Description: "a patient practice server: replies that teach, AUTH after STARTTLS, mail for any @" + MailDomain + " address",
	}
}
