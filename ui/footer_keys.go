package ui

import (
	"charm.land/bubbles/v2/key"

	"github.com/smtpscope/smtpscope/protocol"
)

// A footer lists only keys that do something now: those of the open
// dialog, or of the part of the screen that has the focus in the
// session's state — never ctrl+t once TLS is up, nor ctrl+n on a closed
// connection — and always the key that shows the rest.

// footerKeyer is a dialog that names its own keys for the footer.
type footerKeyer interface {
	footerKeys() []key.Binding
}

// dialogFooter is the footer while dialog d is open: its keys, then the
// help key (f1, as ? may be typed into a field).
func dialogFooter(k KeyMap, d Dialog) []key.Binding {
	var out []key.Binding
	if fk, ok := d.(footerKeyer); ok {
		out = fk.footerKeys()
	} else {
		out = []key.Binding{short(k.Dialog.Submit, "ok"), short(k.Dialog.Cancel, "cancel")}
	}
	if _, isHelp := d.(*helpDialog); isHelp {
		return out
	}
	return append(out, short(withKeyHelp(k.Global.Help, "f1"), helpDesc))
}

// helpEntry is the footer's "? help".
func helpEntry(k KeyMap) key.Binding { return short(withKeyHelp(k.Global.Help, "?"), helpDesc) }

// sessionFooter is the composer's footer in the session's state: on a
// closed connection the ways back in; otherwise sending and completing,
// then the actions the server's state allows.
func (m *Model) sessionFooter() []key.Binding {
	k := m.ctx.Keys
	a := k.Actions
	if m.conn == connClosed {
		out := []key.Binding{short(a.Reconnect, "reconnect")}
		if len(m.suggestPin) > 0 {
			out = append(out, short(a.TrustCertificate, "trust certificate"), short(a.ReconnectInsecure, "without verifying"))
		}
		return append(out, short(a.Save, "save"), short(a.Export, "export"), helpEntry(k))
	}
	out := []key.Binding{short(k.Composer.Send, "send"), short(k.Composer.Complete, "complete"),
		short(withKeyHelp(k.Composer.History, "↑↓"), "history")}
	return append(append(out, m.stateActions()...), short(a.Save, "save"), helpEntry(k))
}

// stateActions are the multi-step actions that make sense now: STARTTLS
// while the server offers it outside TLS, AUTH while it offers AUTH and
// nobody is logged in, a message once EHLO is done.
func (m *Model) stateActions() []key.Binding {
	a := m.ctx.Keys.Actions
	s := m.snap
	var out []key.Binding
	greeted := s.State != protocol.StateDisconnected && s.State != protocol.StateGreeting && s.State != protocol.StateClosed
	if greeted && !s.TLS && s.Caps.Has(protocol.VerbSTARTTLS) {
		out = append(out, short(a.StartTLS, "STARTTLS"))
	}
	if greeted && !s.Authenticated && len(s.Caps.AuthMechanisms()) > 0 {
		out = append(out, short(a.Auth, "AUTH"))
	}
	if greeted {
		out = append(out, short(a.Message, "send message"))
	}
	return out
}

func (d *authDialog) footerKeys() []key.Binding {
	k := d.keys()
	out := []key.Binding{short(k.Submit, "log in"), short(k.Next, "next field"), short(k.Toggle, "mechanism")}
	if len(d.fills) > 0 {
		out = append(out, short(d.ctx.Keys.Actions.DemoCreds, "fill the demo login"))
	}
	return append(out, short(k.Cancel, "cancel"))
}

func (d *confirmDialog) footerKeys() []key.Binding {
	k := d.keys()
	return []key.Binding{short(k.Yes, "yes"), short(k.No, "no"), short(k.Cancel, "cancel")}
}

func (d *exportDialog) footerKeys() []key.Binding {
	k := d.keys()
	return []key.Binding{short(k.Toggle, "format"), short(k.Submit, "export"), short(k.Cancel, "cancel")}
}

func (d *codeDialog) footerKeys() []key.Binding {
	ck := d.ctx.Keys.Code
	return []key.Binding{short(ck.Copy, "copy"), short(ck.Save, "save"), short(ck.Up, "scroll"), short(d.keys().Cancel, "close")}
}

func (d *lessonsDialog) footerKeys() []key.Binding {
	k := d.keys()
	return []key.Binding{short(withKeyHelp(k.Next, "↑↓"), "choose"), short(k.Submit, "open"), short(k.Cancel, "close")}
}

func (d *messageDialog) footerKeys() []key.Binding {
	k := d.keys()
	return []key.Binding{short(k.Send, "send"), short(withKeyHelp(k.NextInBody, "tab"), "next field"), short(k.Cancel, "cancel")}
}

func (d *saveDialog) footerKeys() []key.Binding {
	k := d.keys()
	return []key.Binding{short(k.Submit, "save"), short(k.Next, "next field"), short(k.Toggle, "change a choice"), short(k.Cancel, "cancel")}
}

func (d *helpDialog) footerKeys() []key.Binding {
	hk := d.ctx.Keys.Help
	return []key.Binding{short(hk.Up, "scroll"), short(hk.Close, "close")}
}

func (d *mailboxDialog) footerKeys() []key.Binding {
	mk := d.ctx.Keys.Mailbox
	if d.open != nil {
		return []key.Binding{short(withKeyHelp(mk.PageDown, "space/pgdn"), "scroll"), short(d.keys().Cancel, "back to the list")}
	}
	return []key.Binding{short(mk.Up, "move"), short(mk.Open, "open"), short(d.keys().Cancel, "close")}
}
