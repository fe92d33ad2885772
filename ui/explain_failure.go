package ui

import (
	"errors"

	"charm.land/bubbles/v2/key"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// connFailure is why the connection ended on an error, as the Explain tab
// shows it: what failed, the error in words, and the keys that get past it.
type connFailure struct {
	title  string   // "Certificate not trusted"
	reason string   // the error in words, without command-line flags where the session gives them apart
	keys   []string // "alt+k: trust this certificate for this run", in the order to try them
}

// failureOf describes err, the error that closed the connection, with the
// keys of this model that apply: those the error suggests, then reconnect.
func (m *Model) failureOf(err error) *connFailure {
	a := m.ctx.Keys.Actions
	f := &connFailure{title: "Connection failed", reason: err.Error()}
	if m.connectedAt.IsZero() {
		f.title = "Could not connect"
	}
	var ce *session.CertificateError
	var te *session.TLSError
	switch {
	case errors.As(err, &ce):
		f.title, f.reason = "Certificate not trusted", "The server's certificate did not verify: "+ce.Reason+"."
	case errors.As(err, &te):
		f.title = "TLS handshake failed"
	}
	switch {
	case m.suggest == session.SuggestTrustCertificate && len(m.suggestPin) > 0:
		f.keys = append(f.keys,
			keyed(a.TrustCertificate, "trust exactly this certificate for this run, and reconnect"),
			keyed(a.ReconnectInsecure, "reconnect without verifying (the header marks it)"),
			keyed(a.SaveChain, "save the chain as PEM, to check it or to trust its CA later"))
	case m.suggest == session.SuggestImplicitTLS:
		f.keys = append(f.keys, keyed(a.ReconnectTLS, "reconnect with TLS from the first byte"))
	}
	f.keys = append(f.keys, keyed(a.Reconnect, "reconnect as before"))
	return f
}

// keyed is "key: what it does".
func keyed(b key.Binding, what string) string { return b.Help().Key + ": " + what }

// SetFailure shows on the Explain tab, and brings to the front, why the
// connection ended; nil takes it away. A reply or a selected line shows
// over it ([ExplainPanel.SetReply]).
func (p *ExplainPanel) SetFailure(f *connFailure) {
	if f == p.failure {
		return
	}
	p.failure = f
	p.offset[TabExplain] = 0
	p.lines[TabExplain] = nil
	p.frame = ""
	if f != nil {
		p.reply, p.expl, p.unanswered = nil, nil, nil
		p.SetTab(TabExplain)
	}
}

// buildFailure writes the connection failure: the title, the error in
// words, and the keys to try.
func (p *ExplainPanel) buildFailure(b *textBuilder) {
	st := p.ctx.Styles
	f := p.failure
	b.para(st.ClassPermanent, "✗ "+f.title)
	b.blank()
	b.para(st.Text, protocol.Sanitize(f.reason))
	p.numbered(b, "Fix", f.keys)
}
