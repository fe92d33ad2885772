// Package doctor runs a staged diagnosis of a mail submission setup —
// where the server is, whether it can be reached, TLS, EHLO, STARTTLS
// enforcement, AUTH, the sender identity, a recipient, a test message —
// on the session engine, stops at the first stage that fails, and turns
// what failed into a verdict with the provider's fix. It knows no screen:
// progress goes to an observer as [Event] values that a UI renders.
package doctor

import (
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// StageName names a stage. The names are stable: they appear in
// `smtpscope doctor --json` and decide its exit status.
type StageName string

// The stages, in report order.
const (
	StageWhere     StageName = "where"     // which server: argument, preset or discovery
	StageReach     StageName = "reach"     // TCP and the greeting; other ports when it fails
	StageTLS       StageName = "tls"       // TLS mode, handshake, certificate
	StageEHLO      StageName = "ehlo"      // capabilities before and after STARTTLS
	StageSTARTTLS  StageName = "starttls"  // does the server refuse mail in clear text?
	StageAuth      StageName = "auth"      // the login, with the token checked first
	StageIdentity  StageName = "identity"  // MAIL FROM and From: against the login
	StageRecipient StageName = "recipient" // RCPT TO
	StageSend      StageName = "send"      // DATA with a short test message
)

// Stages lists every stage in report order.
var Stages = []StageName{StageWhere, StageReach, StageTLS, StageEHLO, StageSTARTTLS,
	StageAuth, StageIdentity, StageRecipient, StageSend}

// Status is how a stage ended.
type Status string

// Stage statuses.
const (
	StatusPass Status = "pass" // it worked
	StatusWarn Status = "warn" // it worked, with something to fix
	StatusFail Status = "fail" // it failed: the diagnosis stops here
	StatusSkip Status = "skip" // not run (nothing to test, or an earlier stage failed)
)

// Reply is a server reply as a report shows it: sanitized, codes apart.
type Reply struct {
	Code     int      `json:"code"`
	Enhanced string   `json:"enhanced,omitempty"`
	Lines    []string `json:"lines"` // each line as received, sanitized; the first maxReportLines
	// LinesOmitted counts the lines past maxReportLines (a broken or
	// hostile server's reply of hundreds of lines).
	LinesOmitted int    `json:"lines_omitted,omitempty"`
	Text         string `json:"text"` // the text without codes, lines joined, cut at protocol.MaxExcerptOctets
	Command      string `json:"command,omitempty"`

	raw protocol.Reply // as parsed, for explanations
}

// newReply copies a parsed reply into the report form.
func newReply(r protocol.Reply, command string) *Reply {
	if r.Code == 0 && len(r.Lines) == 0 {
		return nil
	}
	out := &Reply{Code: r.Code, Enhanced: r.Enhanced.String(), Text: protocol.Sanitize(r.Excerpt()), Command: command, raw: r}
	for i, l := range r.Lines {
		if i == maxReportLines {
			out.LinesOmitted = len(r.Lines) - i
			break
		}
		out.Lines = append(out.Lines, protocol.Sanitize(l.Raw))
	}
	return out
}

// maxReportLines is how many lines of a reply a report keeps: real
// replies have a few (an EHLO list a few dozen).
const maxReportLines = 100

// Result is what one stage found.
type Result struct {
	Stage      StageName       `json:"name"`
	Status     Status          `json:"status"`
	Summary    string          `json:"summary"`            // one line
	Details    []string        `json:"details,omitempty"`  // facts, one per line
	Warnings   []string        `json:"warnings,omitempty"` // things to fix that did not stop it
	DurationMS float64         `json:"duration_ms"`
	Reply      *Reply          `json:"reply,omitempty"`  // the reply that decided it
	Reason     protocol.Reason `json:"reason,omitempty"` // why it failed or warned, from the vocabulary
	Error      string          `json:"error,omitempty"`  // a failure that was not a reply (network, TLS)
	// Needs is what a skipped stage lacked, so that each front end says
	// how it is given there (a flag, a field); Summary says it in words.
	Needs Input `json:"needs,omitempty"`
}

// Input is something the doctor was not given and a stage needs.
type Input string

// The inputs a stage may be skipped for.
const (
	InputSender    Input = "sender"    // an envelope sender address
	InputRecipient Input = "recipient" // a recipient address
	InputUser      Input = "user"      // a username to log in with
	InputSecret    Input = "secret"    // a password or token
	InputSend      Input = "send"      // the permission to send a test message
)

// Verdict is the diagnosis: the first failing stage and what to do.
type Verdict struct {
	OK       bool            `json:"ok"`
	Stage    StageName       `json:"stage,omitempty"` // the failing stage
	Title    string          `json:"title"`           // the verdict in one line
	Reason   protocol.Reason `json:"reason,omitempty"`
	Variant  string          `json:"variant,omitempty"` // the verdict rule that matched ("microsoft-tenant")
	Reply    *Reply          `json:"reply,omitempty"`
	Error    string          `json:"error,omitempty"`
	Provider string          `json:"provider,omitempty"` // provider ID
	// Explanation is what the reply means (protocol.Explain), Evidence
	// what decided the reason.
	Explanation string      `json:"explanation,omitempty"`
	Evidence    string      `json:"evidence,omitempty"`
	Fix         []string    `json:"fix"`                // what to do, most useful first
	RetryAt     *time.Time  `json:"retry_at,omitempty"` // for a temporary refusal: when to try again
	Passed      []StageName `json:"passed"`
	Warnings    []string    `json:"warnings,omitempty"` // every stage's warnings, for a verdict that passed
}

// Target is the server the diagnosis talks to and how it was chosen.
type Target struct {
	Address  string `json:"address"`            // host:port
	Implicit bool   `json:"implicit_tls"`       // TLS from the first byte
	Preset   string `json:"preset,omitempty"`   // the preset in effect, by name
	Provider string `json:"provider,omitempty"` // provider ID
	How      string `json:"how"`                // "argument", "preset gmail", "SRV _submission._tcp.example.com", …
}

// Report is the whole diagnosis.
type Report struct {
	Target  Target   `json:"target"`
	Stages  []Result `json:"stages"`
	Verdict Verdict  `json:"verdict"`
}

// Result returns the result of a stage, and whether it ran.
func (r *Report) Result(stage StageName) (Result, bool) {
	for _, res := range r.Stages {
		if res.Stage == stage {
			return res, true
		}
	}
	return Result{}, false
}

// EventKind says what an [Event] reports.
type EventKind int

// Event kinds, in the order a run sends them.
const (
	EventStageStarted EventKind = iota // Stage is starting
	EventStageDone                     // Result is final
	EventVerdict                       // Verdict; the run is over
)

// Event is one step of a running diagnosis, for an observer (a UI).
type Event struct {
	Kind    EventKind
	Stage   StageName
	Result  *Result  // EventStageDone
	Verdict *Verdict // EventVerdict
}

// stageIndex orders stages for the report.
func stageIndex(s StageName) int {
	for i, name := range Stages {
		if name == s {
			return i
		}
	}
	return len(Stages)
}
