package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// PathPurpose says what a path dialog's file is for.
type PathPurpose int

// The files a path dialog asks for.
const (
	pathChain PathPurpose = iota // the server's certificate chain, as PEM
)

// PathChosenMsg carries the path the user chose.
type PathChosenMsg struct {
	Purpose PathPurpose
	Path    string
}

// pathDialog asks for one file name.
type pathDialog struct {
	dialogBox
	purpose PathPurpose
	title   string
	note    string
	path    textinput.Model
	err     string
}

// NewPathDialog asks where to write a file, with a suggestion and a note
// on what will be written.
func NewPathDialog(ctx *Context, purpose PathPurpose, title, suggested, note string) Dialog {
	d := &pathDialog{
		dialogBox: newDialogBox(ctx, dialogWidth),
		purpose:   purpose, title: title, note: note,
		path: newInput(ctx.Styles, suggested, "file name"),
	}
	d.path.Focus()
	return d
}

// Update checks the path on enter.
func (d *pathDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && key.Matches(k, d.keys().Cancel):
		return d, emit(DialogClosedMsg{})
	case isKey && key.Matches(k, d.keys().Submit):
		p := strings.TrimSpace(d.path.Value())
		if p == "" {
			d.err = "Enter a file name."
			return d, nil
		}
		return d, emit(PathChosenMsg{Purpose: d.purpose, Path: p})
	}
	d.err = ""
	var cmd tea.Cmd
	d.path, cmd = d.path.Update(msg)
	return d, cmd
}

// View draws the form.
func (d *pathDialog) View() string {
	st := d.styles()
	if d.restyled() {
		d.path.SetStyles(st.TextInput())
	}
	cw := d.contentWidth()
	body := []string{inputRow(st, "File", true, &d.path, cw)}
	body = append(body, formFooter(st, d.err, cw, d.note)...)
	return d.render(d.title, body, hintLine(st, withHelp(d.keys().Submit, "save"), d.keys().Cancel))
}
