package ui

import (
	"regexp"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// SaveProfileMsg asks the root to save the connection as a named profile.
type SaveProfileMsg struct{ Name string }

// profileNamePattern is what a profile name may be: it becomes a TOML
// table name and is typed after @ on the command line.
var profileNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// profileDialog asks for the name to save the connection under.
type profileDialog struct {
	dialogBox
	name   textinput.Model
	target string // where the profile connects, for the dialog's text
	err    string
}

// NewProfileDialog returns the save-profile dialog for a connection to
// target, with suggested as the name.
func NewProfileDialog(ctx *Context, target, suggested string) Dialog {
	d := &profileDialog{
		dialogBox: newDialogBox(ctx, dialogWidth),
		name:      newInput(ctx.Styles, suggested, "work"),
		target:    target,
	}
	d.name.Focus()
	return d
}

// Update checks the name on enter.
func (d *profileDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && key.Matches(k, d.keys().Cancel):
		return d, emit(DialogClosedMsg{})
	case isKey && key.Matches(k, d.keys().Submit):
		name := strings.TrimPrefix(strings.TrimSpace(d.name.Value()), profilePrefix)
		if !profileNamePattern.MatchString(name) {
			d.err = "A name of letters, digits, '.', '_' or '-' (you will type it as @" + name + ")."
			return d, nil
		}
		return d, emit(SaveProfileMsg{Name: name})
	}
	d.err = ""
	var cmd tea.Cmd
	d.name, cmd = d.name.Update(msg)
	return d, cmd
}

// profilePrefix is how a profile is named on the command line.
const profilePrefix = "@"

// View draws the form.
func (d *profileDialog) View() string {
	st := d.styles()
	if d.restyled() {
		d.name.SetStyles(st.TextInput())
	}
	cw := d.contentWidth()
	body := []string{inputRow(st, "Name", true, &d.name, cw)}
	body = append(body, formFooter(st, d.err, cw,
		"Saves "+d.target+" with this session's flags to your config.toml; no secret is written, only where it comes from. "+
			"Then: smtpscope connect @NAME.")...)
	hints := hintLine(st, withHelp(d.keys().Submit, "save"), d.keys().Cancel)
	return d.render("Save as a profile", body, hints)
}
