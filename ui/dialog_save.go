package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// SaveFormat is what the save dialog writes.
type SaveFormat int

// The save formats, in the dialog's order.
const (
	SaveText   SaveFormat = iota // C:/S: lines, the RFC examples' format
	SaveJSONL                    // JSON lines, which `smtpscope export` reads
	SaveReport                   // a share-safe Markdown report for a bug report
	numSaveFormats
)

// saveFormatInfo names each format and the file name extension it uses.
var saveFormatInfo = [numSaveFormats]struct{ label, ext string }{
	SaveText:   {"text (C:/S: lines)", ".txt"},
	SaveJSONL:  {"JSON lines", ".jsonl"},
	SaveReport: {"bug report (Markdown)", ".md"},
}

// saveField is a row of the save dialog.
type saveField int

// The save dialog's rows, in tab order; the toggles shown depend on the
// format.
const (
	saveFieldPath saveField = iota
	saveFieldFormat
	saveFieldReveal    // text, JSON lines: write the username
	saveFieldAddresses // report: hide mail addresses
	saveFieldHosts     // report: hide host names
)

// SaveSubmitMsg asks the root to save the transcript.
type SaveSubmitMsg struct {
	Path          string
	Format        SaveFormat
	ShowUsername  bool // text, JSON lines: the AUTH username in clear; secrets never are
	HideAddresses bool // report: mail addresses replaced by stand-ins
	HideHosts     bool // report: host names and IP addresses replaced
}

// saveDialog asks where and how to save the transcript.
type saveDialog struct {
	dialogBox
	path   textinput.Model
	format SaveFormat
	msg    SaveSubmitMsg // the toggles
	focus  saveField
	err    string
}

// NewSaveDialog returns the save dialog with defaultPath prefilled, its
// format taken from the extension (text when none matches).
func NewSaveDialog(ctx *Context, defaultPath string) Dialog {
	d := &saveDialog{
		dialogBox: newDialogBox(ctx, dialogWidth),
		path:      newInput(ctx.Styles, defaultPath, "transcript.txt"),
	}
	for f := SaveFormat(0); f < numSaveFormats; f++ {
		if strings.HasSuffix(defaultPath, saveFormatInfo[f].ext) {
			d.format = f
		}
	}
	d.path.Focus()
	return d
}

// fields are the rows the current format shows.
func (d *saveDialog) fields() []saveField {
	if d.format == SaveReport {
		return []saveField{saveFieldPath, saveFieldFormat, saveFieldAddresses, saveFieldHosts}
	}
	return []saveField{saveFieldPath, saveFieldFormat, saveFieldReveal}
}

// move steps the focus through the rows shown.
func (d *saveDialog) move(delta int) {
	fs := d.fields()
	i := 0
	for j, f := range fs {
		if f == d.focus {
			i = j
		}
	}
	d.focus = fs[(i+delta+len(fs))%len(fs)]
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
			d.focus = saveFieldFormat
			d.move(-1)
			return d, nil
		}
		m := d.msg
		m.Path, m.Format = p, d.format
		return d, emit(m)
	case isKey && d.focus != saveFieldPath && key.Matches(k, d.keys().Toggle):
		d.toggle(k)
		return d, nil
	case isKey && key.Matches(k, d.keys().Next):
		d.move(1)
		return d, nil
	case isKey && key.Matches(k, d.keys().Prev):
		d.move(-1)
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

// toggle flips the focused toggle or steps the format.
func (d *saveDialog) toggle(k tea.KeyPressMsg) {
	switch d.focus {
	case saveFieldFormat:
		d.setFormat(SaveFormat(stepChoice(int(d.format), int(numSaveFormats), k, d.keys())))
	case saveFieldReveal:
		d.msg.ShowUsername = !d.msg.ShowUsername
	case saveFieldAddresses:
		d.msg.HideAddresses = !d.msg.HideAddresses
	case saveFieldHosts:
		d.msg.HideHosts = !d.msg.HideHosts
	}
}

// setFormat switches the format and, when the path ends in another
// format's extension, the extension too.
func (d *saveDialog) setFormat(f SaveFormat) {
	p := d.path.Value()
	for _, info := range saveFormatInfo {
		if strings.HasSuffix(p, info.ext) {
			d.path.SetValue(strings.TrimSuffix(p, info.ext) + saveFormatInfo[f].ext)
			d.path.CursorEnd()
			break
		}
	}
	d.format = f
}

// View draws the form.
func (d *saveDialog) View() string {
	st := d.styles()
	if d.restyled() {
		d.path.SetStyles(st.TextInput())
	}
	cw := d.contentWidth()
	labels := make([]string, numSaveFormats)
	for i, info := range saveFormatInfo {
		labels[i] = info.label
	}
	body := []string{inputRow(st, "File", d.focus == saveFieldPath, &d.path, cw)}
	body = append(body, choiceRow(st, "Format", d.focus == saveFieldFormat, labels, int(d.format), cw)...)
	note := "Passwords and tokens are never saved: smtpscope does not keep them."
	if d.format == SaveReport {
		body = append(body,
			toggleRow(st, "Addresses", d.focus == saveFieldAddresses, d.msg.HideAddresses, "hide mail addresses"),
			toggleRow(st, "Hosts", d.focus == saveFieldHosts, d.msg.HideHosts, "hide host names and IP addresses"))
		note = "One Markdown file to paste into an issue: the transcript with AUTH data, secrets and user names " +
			"redacted, the failing reply explained, smtpscope's version and the OS."
	} else {
		body = append(body, toggleRow(st, "Username", d.focus == saveFieldReveal, d.msg.ShowUsername, "write the AUTH username in clear"))
	}
	body = append(body, formFooter(st, d.err, cw, note)...)
	hints := hintLine(st, withHelp(d.keys().Submit, "save"), d.keys().Next, withHelp(d.keys().Toggle, "toggle"), d.keys().Cancel)
	return d.render("Save transcript", body, hints)
}
