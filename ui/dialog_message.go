package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/protocol"
)

// Fields of the send-message dialog, in tab order.
const (
	msgFieldFrom = iota
	msgFieldTo
	msgFieldSubject
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
// the server would refuse as written is reported before anything is sent.
func (d *messageDialog) submit() tea.Cmd {
	to := splitAddresses(d.inputs[msgFieldTo].Value())
	if len(to) == 0 {
		d.fail(msgFieldTo, "Enter at least one recipient in To (separate several with commas).")
		return nil
	}
	from := trimAddress(d.inputs[msgFieldFrom].Value())
	if problem := addressProblem(from, true); problem != "" {
		d.fail(msgFieldFrom, "From: "+problem)
		return nil
	}
	for _, a := range to {
		if problem := addressProblem(a, false); problem != "" {
			d.fail(msgFieldTo, "To: "+problem)
			return nil
		}
	}
	m := MessageSubmitMsg{
		From:    from,
		To:      to,
		Subject: strings.TrimSpace(d.inputs[msgFieldSubject].Value()),
		Body:    d.body.Value(),
	}
	if b := strings.TrimSpace(m.Body); strings.HasPrefix(b, fileBodyPrefix) && !strings.Contains(b, "\n") {
		m.File, m.Body = strings.TrimSpace(strings.TrimPrefix(b, fileBodyPrefix)), ""
		if m.File == "" {
			d.err = "Give a file name after @ (for example @message.eml)."
			d.focus = msgFieldBody
			d.applyFocus()
			return nil
		}
	}
	return emit(m)
}

// fail shows an error and puts the focus on the field to fix.
func (d *messageDialog) fail(field int, err string) {
	d.err = err
	d.focus = field
	d.applyFocus()
}

// addressProblem says what is wrong with an envelope address, using the
// command grammar the composer checks typed commands with; "" when it is
// fine. The null sender (an empty From) is allowed.
func addressProblem(addr string, sender bool) string {
	if addr == "" && sender {
		return ""
	}
	if addr == "" {
		return "an empty recipient"
	}
	verb := "RCPT TO:"
	if sender {
		verb = "MAIL FROM:"
	}
	if strings.ContainsAny(addr, "<> \t\r\n") {
		return strconv.Quote(addr) + " is not one address (it holds a space, a line end or an angle bracket)"
	}
	cmd := protocol.ParseCommand(verb + "<" + addr + ">")
	for _, p := range cmd.Problems {
		return strconv.Quote(addr) + ": " + p.Message
	}
	if !strings.Contains(addr, "@") && !strings.EqualFold(addr, "postmaster") {
		return strconv.Quote(addr) + " has no @domain"
	}
	return ""
}

// splitAddresses turns "a@x, <b@y>;c@z" into bare addresses.
func splitAddresses(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		if a := trimAddress(part); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// trimAddress removes spaces and the angle brackets people often type.
func trimAddress(s string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "<"), ">")
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
	labels := [msgFieldBody]string{"From", "To", "Subject"}
	var body []string
	for i := range d.inputs {
		body = append(body, inputRow(st, labels[i], d.focus == i, &d.inputs[i], cw))
	}
	body = append(body, labelCell(st, "Body", d.focus == msgFieldBody))
	d.body.SetWidth(max(1, cw))
	h := messageBodyHeight
	if d.maxH > 0 {
		// Title, blank, three fields, body label, blank, note, hints, border.
		const chrome = 12
		h = min(h, max(1, d.maxH-chrome))
	}
	d.body.SetHeight(h)
	body = append(body, strings.Split(d.body.View(), "\n")...)
	body = append(body, formFooter(st, d.err, cw,
		"Sent as one transaction (MAIL, RCPT, DATA or BDAT), pipelined when the server offers it; Date and Message-ID are added, dots are stuffed for you.")...)
	hints := hintLine(st, withHelp(d.keys().Send, "send"), withHelp(d.keys().Submit, "next field"), d.keys().Cancel)
	return d.render("Send a message", body, hints)
}
