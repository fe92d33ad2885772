package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"

	"github.com/smtpscope/smtpscope/protocol"
)

// This file lends the session's connection, TLS and redaction code to
// packages that carry SMTP they do not originate (the proxy), so that a
// relayed session is dialled, verified, worded and redacted exactly like
// one smtpscope runs itself.

// RedactedMark stands in for a credential in display text.
const RedactedMark = redactedMark

// Dial opens the TCP connection to cfg.Address as a session does: within
// cfg.Timeouts.Connect, through cfg.Dial when set, with errors worded for
// people (refused, unknown host, no route, timeout).
func Dial(ctx context.Context, cfg Config) (net.Conn, error) {
	return lend(cfg).dial(ctx)
}

// ClientHandshake runs a session's TLS client handshake over raw with the
// TLS fields of cfg (SNI or the host of Address, Insecure, RootCAs,
// CAFile, TLSMin/TLSMax, ClientCert) within cfg.Timeouts.Connect.
// implicit says the handshake opens the connection (port 465) rather than
// follows STARTTLS, which changes how a plain-text answer is explained.
// The connection and its facts are returned whenever the handshake
// completed, also when the error is a [*CertificateError].
func ClientHandshake(raw net.Conn, cfg Config, implicit bool) (*tls.Conn, *TLSInfo, error) {
	return ClientHandshakeContext(context.Background(), raw, cfg, implicit)
}

// ClientHandshakeContext is [ClientHandshake] that also ends when ctx is
// done (a reconnect or quit), with a [*TLSError] saying it was interrupted.
func ClientHandshakeContext(ctx context.Context, raw net.Conn, cfg Config, implicit bool) (*tls.Conn, *TLSInfo, error) {
	return lend(cfg).tlsHandshake(ctx, raw, implicit)
}

// lend returns a session value that only carries cfg, for the helpers
// above: it has no loop, queue or connection.
func lend(cfg Config) *Session {
	return &Session{cfg: cfg, timeouts: cfg.Timeouts.withDefaults()}
}

// Summary returns the one-line description of a handshake that sessions
// note in the transcript ("TLS handshake complete: TLS 1.3, …, certificate
// verified").
func (i *TLSInfo) Summary() string { return describeTLS(i) }

// DisplayLine returns a received line as sessions show it: decoded
// (UTF-8, or GBK recovered), sanitized, without its terminator.
func DisplayLine(raw []byte) string { return protocol.Sanitize(displayLine(raw)) }

// DecodeChallenge decodes the text of a 334 line for display ("Username:");
// binary content is escaped and text that is not base64 says so.
func DecodeChallenge(text string) string { return decodeChallenge(text) }

// RedactAuthCommand returns how an AUTH command line is shown: the
// mechanism stays, an initial response becomes a note of what it carried.
// withUsername, when not "", is the same text naming the PLAIN username,
// for when the user asked to see usernames; redacted says a credential
// was hidden.
func RedactAuthCommand(cmd protocol.Command) (text, withUsername string, redacted bool) {
	out := redactAuthCommand(cmd, false)
	return out.text, out.withUsername, out.redacted
}

// RedactSASLResponse returns how a line sent in answer to a 334 is shown:
// "*" (a cancel) as it is, anything else as a redaction mark.
func RedactSASLResponse(line string) (text string, redacted bool) {
	out := redactSASLResponse(line)
	return out.text, out.redacted
}

// CredentialFree returns the command the state machine may keep for a
// line sent in an AUTH exchange: the mechanism without any response.
func CredentialFree(cmd protocol.Command) protocol.Command { return saslCommand(cmd) }

// DescribeCertificate returns a certificate in the display form of
// [TLSInfo.Chain]: the names a server chose are display-safe.
func DescribeCertificate(c *x509.Certificate) CertInfo {
	info := TLSInfo{Chain: []CertInfo{certInfo(c)}}
	safeTLSInfo(&info)
	return info.Chain[0]
}

// WithDefaults returns t with every zero field set to its default.
func (t Timeouts) WithDefaults() Timeouts { return t.withDefaults() }

// VerbName names the command a reply is awaited for, in messages:
// "the greeting" for "", "the end of message data" for ".", else the verb.
func VerbName(verb string) string { return verbName(verb) }
