package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/message"
)

// Fields of the send-message dialog, in tab order.
const (
	msgFieldFrom = iota
	msgFieldTo
	msgFieldSubject
	msgFieldAttach
	msgFieldBody
	msgFieldCount
)

// messageBodyHeight is the body editor's height in lines, before the
// screen shrinks it.
const messageBodyHeight = 6

// fileBodyPrefix starts a body that names a file to send instead.
const fileBodyPrefix = "@"

// messageDialog is the short form for sending a whole message: from, to,
// subject and a body (or "@path" to send a file).
type messageDialog struct {
	dialogBox
	inputs [msgFieldBody]textinput.Model
	body   textarea.Model
	focus  int
	err    string
}

// NewMessageDialog returns the send-message dialog prefilled with from and
// to (comma-separated recipients).
func NewMessageDialog(ctx *Context, from string, to string) Dialog {
	st := ctx.Styles
	d := &messageDialog{dialogBox: newDialogBox(ctx, dialogWideWidth)}
	d.inputs[msgFieldFrom] = newInput(st, from, "sender@example.com (empty: null sender <>)")
	d.inputs[msgFieldTo] = newInput(st, to, "one@example.com, two@example.com")
	d.inputs[msgFieldSubject] = newInput(st, "", "Subject line")
	d.inputs[msgFieldAttach] = newInput(st, "", "files to attach: report.pdf, photo.jpg (optional)")
	d.body = textarea.New()
	d.body.SetStyles(st.TextArea())
	d.body.ShowLineNumbers = false
	d.body.Prompt = ""
	d.body.Placeholder = "Message text, or @path/to/message.eml to send a file"
	d.body.SetHeight(messageBodyHeight)
	d.focus = msgFieldFrom
	if from != "" {
		d.focus = msgFieldTo
		if to != "" {
			d.focus = msgFieldSubject
		}
	}
	d.applyFocus()
	return d
}

func (d *messageDialog) applyFocus() {
	for i := range d.inputs {
		d.inputs[i].Blur()
	}
	d.body.Blur()
	if d.focus == msgFieldBody {
		d.body.Focus()
	} else {
		d.inputs[d.focus].Focus()
	}
}

// Update handles the form keys: enter moves to the next field (in the
// body it starts a new line), ctrl+d sends from any field, as in the DATA
// editor.
func (d *messageDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	inBody := d.focus == msgFieldBody
	switch {
	case isKey && key.Matches(k, d.keys().Cancel):
		return d, emit(DialogClosedMsg{})
	case isKey && key.Matches(k, d.keys().Send):
		return d, d.submit()
	case isKey && !inBody && key.Matches(k, d.keys().Submit):
		d.focus++
		d.applyFocus()
		return d, nil
	case isKey && key.Matches(k, d.keys().NextInBody), isKey && !inBody && key.Matches(k, d.keys().Next):
		d.focus = (d.focus + 1) % msgFieldCount
		d.applyFocus()
		return d, nil
	case isKey && key.Matches(k, d.keys().PrevInBody), isKey && !inBody && key.Matches(k, d.keys().Prev):
		d.focus = (d.focus + msgFieldCount - 1) % msgFieldCount
		d.applyFocus()
		return d, nil
	}
	d.err = ""
	var cmd tea.Cmd
	if inBody {
		d.body, cmd = d.body.Update(msg)
	} else {
		d.inputs[d.focus], cmd = d.inputs[d.focus].Update(msg)
	}
	return d, cmd
}

// submit checks the form and returns the message to send; an address
// the server would refuse as written is reported before anything is sent
// (package message reads "Bob <b@example.com>" as well as bare addresses).
func (d *messageDialog) submit() tea.Cmd {
	fromField := strings.TrimSpace(d.inputs[msgFieldFrom].Value())
	from, err := message.ParseSender(fromField)
	if err != nil {
		d.fail(msgFieldFrom, err.Error())
		return nil
	}
	to, err := message.ParseRecipients(d.inputs[msgFieldTo].Value())
	if err != nil {
		d.fail(msgFieldTo, err.Error())
		return nil
	}
	m := MessageSubmitMsg{
		From:        envelopeForm(from),
		Subject:     strings.TrimSpace(d.inputs[msgFieldSubject].Value()),
		Body:        d.body.Value(),
		Attachments: splitList(d.inputs[msgFieldAttach].Value()),
	}
	for _, a := range to {
		m.To = append(m.To, envelopeForm(a))
	}
	if b := strings.TrimSpace(m.Body); strings.HasPrefix(b, fileBodyPrefix) && !strings.Contains(b, "\n") {
		m.File, m.Body = strings.TrimSpace(strings.TrimPrefix(b, fileBodyPrefix)), ""
		if m.File == "" {
			d.fail(msgFieldBody, "Give a file name after @ (for example @message.eml).")
			return nil
		}
	}
	return emit(m)
}

// envelopeForm writes an address back for the message: bare when it has
// no display name ("" for the null sender), "Name <addr>" when it has one.
func envelopeForm(a message.Address) string {
	if a.Name == "" {
		return a.Addr
	}
	return a.String()
}

// fail shows an error and puts the focus on the field to fix.
func (d *messageDialog) fail(field int, err string) {
	d.err = err
	d.focus = field
	d.applyFocus()
}

// splitList splits a comma- or semicolon-separated field.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// View draws the form.
func (d *messageDialog) View() string {
	st := d.styles()
	if d.restyled() {
		for i := range d.inputs {
			d.inputs[i].SetStyles(st.TextInput())
		}
		d.body.SetStyles(st.TextArea())
	}
	cw := d.contentWidth()
	labels := [msgFieldBody]string{"From", "To", "Subject", "Attach"}
	var body []string
	for i := range d.inputs {
		body = append(body, inputRow(st, labels[i], d.focus == i, &d.inputs[i], cw))
	}
	body = append(body, labelCell(st, "Body", d.focus == msgFieldBody))
	d.body.SetWidth(max(1, cw))
	h := messageBodyHeight
	if d.maxH > 0 {
		// Title, blank, four fields, body label, blank, note, hints, border.
		const chrome = 13
		h = min(h, max(1, d.maxH-chrome))
	}
	d.body.SetHeight(h)
	body = append(body, strings.Split(d.body.View(), "\n")...)
	body = append(body, formFooter(st, d.err, cw,
		"A MIME message in one transaction (MAIL, RCPT, DATA or BDAT), pipelined when offered; Date and Message-ID are added, dots stuffed, the SIZE exact.")...)
	hints := hintLine(st, withHelp(d.keys().Send, "send"), withHelp(d.keys().Submit, "next field"), d.keys().Cancel)
	return d.render("Send a message", body, hints)
}
