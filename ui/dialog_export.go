package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/export"
)

// ExportRequestMsg asks the root to export the session in a format.
type ExportRequestMsg struct{ Format export.Format }

// ExportCopyMsg asks the root to put exported code on the clipboard.
type ExportCopyMsg struct{ Text string }

// ExportSaveMsg asks the root to write exported code to a file.
type ExportSaveMsg struct {
	Path string
	Text string
}

// exportFormatLabels describe each export format in the choice.
var exportFormatLabels = map[export.Format]string{
	export.Swaks:      "swaks",
	export.Curl:       "curl",
	export.Python:     "Python smtplib",
	export.Nodemailer: "nodemailer",
	export.Go:         "Go",
}

// exportFileNames are the file names the viewer offers for each format.
var exportFileNames = map[export.Format]string{
	export.Swaks:      "smtpscope-send-swaks.sh",
	export.Curl:       "smtpscope-send-curl.sh",
	export.Python:     "smtpscope_send.py",
	export.Nodemailer: "smtpscope-send.mjs",
	export.Go:         "smtpscope_send.go",
}

// exportDialog asks which form to export the session in.
type exportDialog struct {
	dialogBox
	formats []export.Format
	chosen  int
}

// NewExportDialog returns the export menu: swaks, curl, Python,
// nodemailer or Go.
func NewExportDialog(ctx *Context) Dialog {
	return &exportDialog{dialogBox: newDialogBox(ctx, dialogWidth), formats: export.Formats(), chosen: 2}
}

// Update steps through the formats; enter exports.
func (d *exportDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d, nil
	}
	switch {
	case key.Matches(k, d.keys().Cancel):
		return d, emit(DialogClosedMsg{})
	case key.Matches(k, d.keys().Submit):
		return d, emit(ExportRequestMsg{Format: d.formats[d.chosen]})
	case key.Matches(k, d.keys().Toggle, d.keys().Next, d.keys().Prev):
		d.chosen = stepChoice(d.chosen, len(d.formats), k, d.keys())
	}
	return d, nil
}

// View draws the choice.
func (d *exportDialog) View() string {
	st := d.styles()
	cw := d.contentWidth()
	labels := make([]string, len(d.formats))
	for i, f := range d.formats {
		labels[i] = exportFormatLabels[f]
	}
	body := choiceRow(st, "Format", true, labels, d.chosen, cw)
	body = append(body, formFooter(st, "", cw,
		"The same server, TLS mode, EHLO name, AUTH mechanism and user, envelope and message as this session. "+
			"Secrets are never written: the code reads them from environment variables.")...)
	hints := hintLine(st, withHelp(d.keys().Submit, "export"), withHelp(d.keys().Toggle, "format"), d.keys().Cancel)
	return d.render("Export the session", body, hints)
}

// codeDialog shows exported code with the variables it reads, and copies
// or saves it.
type codeDialog struct {
	dialogBox
	result export.Result
	notes  []string // the export's notes and smtpscope's own
	path   textinput.Model
	offset int
	err    string
}

// NewCodeDialog shows an export's result; extra notes (where the
// sandbox's CA was written) follow the export's own.
func NewCodeDialog(ctx *Context, r export.Result, extra ...string) Dialog {
	d := &codeDialog{
		dialogBox: newDialogBox(ctx, dialogWideWidth+20),
		result:    r,
		notes:     append(append([]string(nil), r.Notes...), extra...),
		path:      newInput(ctx.Styles, exportFileNames[r.Format], "file name"),
	}
	d.path.Focus()
	return d
}

// Update scrolls, copies, saves and closes; other keys edit the file name.
func (d *codeDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	ck := d.ctx.Keys.Code
	switch {
	case isKey && key.Matches(k, d.keys().Cancel):
		return d, emit(DialogClosedMsg{})
	case isKey && key.Matches(k, ck.Copy):
		return d, emit(ExportCopyMsg{Text: d.result.Code})
	case isKey && key.Matches(k, ck.Save):
		p := strings.TrimSpace(d.path.Value())
		if p == "" {
			d.err = "Enter a file name to save to."
			return d, nil
		}
		return d, emit(ExportSaveMsg{Path: p, Text: d.result.Code})
	case isKey && key.Matches(k, ck.Up):
		d.offset = max(0, d.offset-1)
		return d, nil
	case isKey && key.Matches(k, ck.Down):
		d.offset++
		return d, nil
	}
	d.err = ""
	var cmd tea.Cmd
	d.path, cmd = d.path.Update(msg)
	return d, cmd
}

// codeChrome is the box lines around the code: border, title and blank,
// the file row, blank, hints.
const codeChrome = 8

// View draws the code, scrolled, then what it reads and the file row.
func (d *codeDialog) View() string {
	st := d.styles()
	if d.restyled() {
		d.path.SetStyles(st.TextInput())
	}
	cw := d.contentWidth()
	var info []string
	for _, e := range d.result.Env {
		need := "optional"
		if e.Required {
			need = "required"
		}
		info = append(info, wrapStyled(st.Muted, "$"+e.Name+" ("+need+"): "+e.Purpose, cw)...)
	}
	for _, n := range d.notes {
		info = append(info, wrapStyled(st.Hint, "• "+n, cw)...)
	}
	var code []string
	for _, l := range strings.Split(strings.TrimRight(d.result.Code, "\n"), "\n") {
		code = append(code, st.Value.Render(fitLine(l, cw)))
	}
	room := len(code)
	if d.maxH > 0 {
		room = max(1, d.maxH-codeChrome-len(info)-1)
	}
	d.offset = min(d.offset, max(0, len(code)-room))
	body := code[d.offset:min(len(code), d.offset+room)]
	body = append(body, "")
	body = append(body, info...)
	body = append(body, inputRow(st, "File", true, &d.path, cw))
	if d.err != "" {
		body = append(body, st.ErrorLine.Render(d.err))
	}
	ck := d.ctx.Keys.Code
	hints := hintLine(st, ck.Copy, ck.Save, ck.Up, d.keys().Cancel)
	return d.render("Export: "+exportFormatLabels[d.result.Format], body, hints)
}
