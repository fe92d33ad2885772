package session

import (
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// The display boundary. Every string that leaves the session for people —
// event texts, notes, warnings, errors, transcript lines, reply texts, TLS
// facts, capability keywords, probe reports — passes through safe: known
// secrets are redacted, then the text is sanitized (protocol.Sanitize), so
// no consumer can forget either step. Raw bytes travel beside the display
// text (Event.Raw, protocol.ReplyLine.Raw) with secrets redacted but
// nothing else changed, for a hex view.

// safe returns text as it may be shown: secrets redacted, sanitized.
func (s *Session) safe(text string) string {
	return protocol.Sanitize(s.secrets.redact(text))
}

// present makes every display field of e safe; emit and emitConn call it
// for each event, so events cannot leave the session unsafe.
func (s *Session) present(e *Event) {
	e.Text = s.safe(e.Text)
	e.Decoded = s.safe(e.Decoded)
	if e.Raw != "" {
		e.Raw = s.secrets.redact(e.Raw)
	}
	if e.Err != nil {
		e.Err = s.safeError(e.Err)
	}
	if e.Reply != nil {
		r := s.displayReply(*e.Reply)
		e.Reply = &r
	}
	if e.Downgrade != nil {
		d := *e.Downgrade
		d.Reason = s.safe(d.Reason)
		e.Downgrade = &d
	}
}

// displayReply returns a copy of r whose texts are display-safe and whose
// raw lines have secrets redacted; code, enhanced code and structure stay.
func (s *Session) displayReply(r protocol.Reply) protocol.Reply {
	lines := make([]protocol.ReplyLine, len(r.Lines))
	for i, l := range r.Lines {
		l.Raw = s.secrets.redact(l.Raw)
		l.Text = s.safe(l.Text)
		lines[i] = l
	}
	r.Lines = lines
	if len(r.Diagnostics) > 0 {
		diags := make([]protocol.Diagnostic, len(r.Diagnostics))
		for i, d := range r.Diagnostics {
			d.Message = s.safe(d.Message)
			diags[i] = d
		}
		r.Diagnostics = diags
	}
	return r
}

// redactedReply returns r with secrets removed from its raw and decoded
// texts, and nothing else changed: for errors that carry the reply.
func (s *Session) redactedReply(r protocol.Reply) protocol.Reply {
	if s.secrets.empty() {
		return r
	}
	lines := make([]protocol.ReplyLine, len(r.Lines))
	for i, l := range r.Lines {
		l.Raw = s.secrets.redact(l.Raw)
		l.Text = s.secrets.redact(l.Text)
		lines[i] = l
	}
	r.Lines = lines
	return r
}

// displayError is an error whose message was made display-safe; the
// original stays reachable for errors.Is and errors.As.
type displayError struct {
	text string
	err  error
}

func (e *displayError) Error() string { return e.text }
func (e *displayError) Unwrap() error { return e.err }

// safeError returns err with a display-safe message, wrapping it only
// when the message had to change.
func (s *Session) safeError(err error) error {
	if _, done := err.(*displayError); done {
		return err
	}
	msg := err.Error()
	text := s.safe(msg)
	if text == msg {
		return err
	}
	return &displayError{text: text, err: err}
}

// safeSnapshot returns snap with the server's capability texts made
// display-safe; the slices are copied only when something changes.
func (s *Session) safeSnapshot(snap protocol.Snapshot) protocol.Snapshot {
	snap.Caps = s.safeCaps(snap.Caps)
	snap.CapsBeforeTLS = s.safeCaps(snap.CapsBeforeTLS)
	return snap
}

func (s *Session) safeCaps(c protocol.Capabilities) protocol.Capabilities {
	c.Domain = s.safe(c.Domain)
	c.Greeting = s.safe(c.Greeting)
	changed := false
	for _, cp := range c.List {
		if !capSafe(cp) {
			changed = true
			break
		}
	}
	if !changed {
		return c
	}
	list := make([]protocol.Capability, len(c.List))
	for i, cp := range c.List {
		cp.Keyword = s.safe(cp.Keyword)
		cp.Raw = s.safe(cp.Raw)
		params := make([]string, len(cp.Params))
		for j, p := range cp.Params {
			params[j] = s.safe(p)
		}
		cp.Params = params
		list[i] = cp
	}
	c.List = list
	return c
}

func capSafe(cp protocol.Capability) bool {
	if !protocol.IsDisplaySafe(cp.Keyword) || !protocol.IsDisplaySafe(cp.Raw) {
		return false
	}
	for _, p := range cp.Params {
		if !protocol.IsDisplaySafe(p) {
			return false
		}
	}
	return true
}

// safeTLSInfo makes the certificate facts a server chose (subject, issuer,
// names) and the verification text display-safe.
func safeTLSInfo(info *TLSInfo) {
	info.ServerName = protocol.Sanitize(info.ServerName)
	info.VerifyError = protocol.Sanitize(info.VerifyError)
	for i := range info.Chain {
		c := &info.Chain[i]
		c.Subject = protocol.Sanitize(c.Subject)
		c.Issuer = protocol.Sanitize(c.Issuer)
		for j, n := range c.DNSNames {
			c.DNSNames[j] = protocol.Sanitize(n)
		}
	}
}

// displayLine returns a received line as it is shown: decoded (UTF-8, or
// GBK recovered), without its terminator. The caller passes it through
// the boundary (record, emit), which sanitizes.
func displayLine(raw []byte) string {
	text, _ := protocol.DecodeText([]byte(strings.TrimRight(string(raw), "\r\n")))
	return text
}
