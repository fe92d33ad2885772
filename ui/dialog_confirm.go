package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// confirmDialog asks a yes/no question; "No" has the focus at first so
// that a stray enter does nothing harmful.
type confirmDialog struct {
	dialogBox
	purpose  ConfirmPurpose
	question string
	yes      bool // the focused button
}

// NewConfirmDialog returns a yes/no dialog asking question. y or enter
// on "Yes" answers yes; n, esc or enter on "No" answers no.
func NewConfirmDialog(ctx *Context, purpose ConfirmPurpose, question string) Dialog {
	return &confirmDialog{
		dialogBox: newDialogBox(ctx, dialogWidth),
		purpose:   purpose,
		question:  question,
	}
}

// Update handles y/n, the buttons and esc.
func (d *confirmDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d, nil
	}
	switch {
	case key.Matches(k, d.keys().Yes):
		return d, emit(ConfirmMsg{Purpose: d.purpose, Yes: true})
	case key.Matches(k, d.keys().No), key.Matches(k, d.keys().Cancel):
		return d, emit(ConfirmMsg{Purpose: d.purpose, Yes: false})
	case key.Matches(k, d.keys().Submit):
		return d, emit(ConfirmMsg{Purpose: d.purpose, Yes: d.yes})
	case key.Matches(k, d.keys().Toggle, d.keys().Next, d.keys().Prev):
		d.yes = !d.yes
	}
	return d, nil
}

// View draws the question and the two buttons.
func (d *confirmDialog) View() string {
	st := d.styles()
	cw := d.contentWidth()
	body := wrapStyled(st.Text, d.question, cw)
	yes, no := st.Button, st.ButtonFocused
	if d.yes {
		yes, no = no, yes
	}
	body = append(body, "", yes.Render("Yes (y)")+"  "+no.Render("No (n)"))
	hints := hintLine(st, withHelp(d.keys().Submit, "choose"), withHelp(d.keys().Toggle, "switch"), withHelp(d.keys().Cancel, "no"))
	return d.render("Confirm", body, hints)
}
