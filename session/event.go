package session

import (
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// Kind says what an [Event] reports.
type Kind int

// Event kinds. A consumer switches on Kind and reads the fields that kind
// documents; the other fields are zero.
const (
	// KindInfo is a note from smtpscope itself ("connecting to …",
	// "TLS handshake complete"). Text.
	KindInfo Kind = iota
	// KindWarning is something the user should notice but that did not
	// stop the session (bytes injected after STARTTLS, AUTH in cleartext,
	// a reply that broke the RFC). Text.
	KindWarning
	// KindError is a failure the session could not get past (connect
	// refused, TLS verification failed, timeout). Text, Err.
	KindError
	// KindClient is one line smtpscope sent. Text (redacted when it
	// carried a secret), TLS, Redacted, Command, Auto.
	KindClient
	// KindServer is one line the server sent, sanitized. Text, Raw, TLS,
	// Latency (on the first line of a reply), Decoded (a 334 prompt).
	KindServer
	// KindReply follows the KindServer lines of a complete reply. Reply,
	// Command (the verb it answers), Latency, State (after the reply).
	KindReply
	// KindTLS reports a finished TLS handshake. TLS info in TLSInfo.
	KindTLS
	// KindState reports a change of protocol state, capabilities, TLS or
	// authentication. State, Snapshot.
	KindState
	// KindProgress reports message data sent so far. Progress.
	KindProgress
	// KindConnected reports the TCP (and implicit TLS) connection is up.
	// Text is the remote address.
	KindConnected
	// KindClosed reports the connection is gone; Err says why when it
	// was not a clean QUIT. Nothing more comes for this generation.
	KindClosed
)

// Event is one thing that happened on a connection, in the order it
// happened. Events of an older connection generation (before a reconnect)
// can still arrive; consumers drop those whose Gen is not current.
//
// Every string of an event meant for display (Text, Decoded, Err.Error(),
// the reply's line texts and diagnostics, the snapshot's capabilities, the
// TLS facts, Downgrade.Reason) is already display-safe: known secrets are
// redacted and control characters, escape sequences, bidirectional and
// zero-width characters are shown as visible symbols (protocol.Sanitize).
// Raw and the reply lines' Raw keep the bytes as received (secrets
// redacted) for a hex view; they are not for printing as text.
type Event struct {
	Gen  int       // connection generation, incremented by every (re)connect
	Time time.Time // when it happened
	Kind Kind

	Text     string // display text, already sanitized and redacted
	Raw      string // for KindServer: the line as received, without CRLF, secrets redacted; for a hex view, never printed as text
	TLS      bool   // the line travelled inside TLS
	Redacted bool   // Text hides a secret or username that was on the wire
	Decoded  string // for a 334 line: the base64 challenge decoded ("Username:")
	Command  string // the command verb a line or reply belongs to ("EHLO", "AUTH", "DATA")
	// Auto marks a KindClient line that smtpscope composed itself: the
	// automatic greeting, the EHLO after STARTTLS, the lines of an
	// exchange run by [Session.Auth], a whole [Session.SendMessage], the
	// QUIT of a reconnect or close. It is false for the lines the consumer
	// gave to Send, Pipeline or SendBody (typed by a person), so that a
	// reader of events can tell what the user did by hand.
	Auto bool

	Latency  time.Duration   // for a reply: time from the command to its first line
	Reply    *protocol.Reply // for KindReply: the parsed reply, raw lines kept
	State    protocol.State  // for KindState and KindReply: the state after it
	TLSInfo  *TLSInfo        // for KindTLS
	Progress Progress        // for KindProgress
	Err      error           // for KindError and KindClosed; Err.Error() is display-safe, errors.Is/As reach the cause
	// Downgrade is set on the KindWarning (or KindError) that reports a
	// connection left in clear text although TLS was wanted. Until the
	// next generation, AUTH then needs [AuthRequest.AllowCleartext].
	Downgrade *Downgrade
	// Suggest names a change of settings that would likely get past what
	// this event reports; a UI offers it as a key ([Session.ReconnectWith]).
	Suggest Suggestion

	// Snapshot is the protocol state after the change, for KindState: a
	// copy the consumer may keep (never modified afterwards).
	Snapshot *protocol.Snapshot
}

// Suggestion is a change of settings an event suggests.
type Suggestion int

// Suggestions.
const (
	SuggestNothing Suggestion = iota
	// SuggestImplicitTLS: a plain connection got no greeting for a while;
	// the port likely expects TLS from the first byte (465).
	SuggestImplicitTLS
	// SuggestTrustCertificate: the certificate did not verify; reconnect
	// trusting exactly this certificate for this run, or with --insecure.
	SuggestTrustCertificate
)

// Progress counts message data octets written to the server.
type Progress struct {
	Sent  int64 // octets sent so far (after dot-stuffing)
	Total int64 // octets expected, or -1 when unknown
	Done  bool
}

// Downgrade describes a plain connection that stayed plain although TLS
// was wanted: the server refused STARTTLS or the upgrade failed, or it did
// not offer STARTTLS at all — which is also what a man in the middle who
// strips STARTTLS from the EHLO reply produces (RFC 3207 6).
type Downgrade struct {
	Reason  string // in words, display-safe
	Refused bool   // STARTTLS was offered but refused or failed; false: it was not offered
}
