package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// Fields of the save dialog, in tab order.
const (
	saveFieldPath = iota
	saveFieldFormat
	saveFieldReveal
	saveFieldCount
)

// File name extensions of the two transcript formats; switching the
// format changes a path that ends in the other one.
const (
	extText  = ".txt"
	extJSONL = ".jsonl"
)

var saveFormats = []string{"text (C:/S: lines)", "JSON lines"}

// saveDialog asks where and how to save the transcript.
type saveDialog struct {
	dialogBox
	path   textinput.Model
	json   bool
	reveal bool
	focus  int
	err    string
}

// NewSaveDialog returns the save dialog with defaultPath prefilled, the
// text format chosen and the username hidden.
func NewSaveDialog(ctx *Context, defaultPath string) Dialog {
	d := &saveDialog{
		dialogBox: newDialogBox(ctx, dialogWidth),
		path:      newInput(ctx.Styles, defaultPath, "transcript.txt"),
		json:      strings.HasSuffix(defaultPath, extJSONL),
	}
	d.path.Focus()
	return d
}

func (d *saveDialog) setFocus(f int) {
	d.focus = (f + saveFieldCount) % saveFieldCount
	if d.focus == saveFieldPath {
		d.path.Focus()
	} else {
		d.path.Blur()
	}
}

// Update handles the form keys.
func (d *saveDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && key.Matches(k, d.keys().Cancel):
		return d, emit(DialogClosedMsg{})
	case isKey && key.Matches(k, d.keys().Submit):
		p := strings.TrimSpace(d.path.Value())
		if p == "" {
			d.err = "Enter a file name to save to."
			d.setFocus(saveFieldPath)
			return d, nil
		}
		return d, emit(SaveSubmitMsg{Path: p, JSON: d.json, ShowUsername: d.reveal})
	case isKey && d.focus != saveFieldPath && key.Matches(k, d.keys().Toggle):
		if d.focus == saveFieldFormat {
			d.setFormat(!d.json)
		} else {
			d.reveal = !d.reveal
		}
		return d, nil
	case isKey && key.Matches(k, d.keys().Next):
		d.setFocus(d.focus + 1)
		return d, nil
	case isKey && key.Matches(k, d.keys().Prev):
		d.setFocus(d.focus - 1)
		return d, nil
	}
	if d.focus != saveFieldPath {
		return d, nil
	}
	d.err = ""
	var cmd tea.Cmd
	d.path, cmd = d.path.Update(msg)
	return d, cmd
}

// setFormat switches the format and, when the path ends in the other
// format's extension, the extension too.
func (d *saveDialog) setFormat(json bool) {
	d.json = json
	p := d.path.Value()
	from, to := extJSONL, extText
	if json {
		from, to = extText, extJSONL
	}
	if strings.HasSuffix(p, from) {
		d.path.SetValue(strings.TrimSuffix(p, from) + to)
		d.path.CursorEnd()
	}
}

// View draws the form.
func (d *saveDialog) View() string {
	st := d.styles()
	if d.restyled() {
		d.path.SetStyles(st.TextInput())
	}
	cw := d.contentWidth()
	format := 0
	if d.json {
		format = 1
	}
	body := []string{inputRow(st, "File", d.focus == saveFieldPath, &d.path, cw)}
	body = append(body, choiceRow(st, "Format", d.focus == saveFieldFormat, saveFormats, format, cw)...)
	body = append(body, toggleRow(st, "Username", d.focus == saveFieldReveal, d.reveal, "write the AUTH username in clear"))
	body = append(body, formFooter(st, d.err, cw,
		"Passwords and tokens are never saved: smtpscope does not keep them.")...)
	hints := hintLine(st, withHelp(d.keys().Submit, "save"), d.keys().Next, withHelp(d.keys().Toggle, "toggle"), d.keys().Cancel)
	return d.render("Save transcript", body, hints)
}
