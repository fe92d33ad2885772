package ui

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/message"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// composedMsg is a message the form's command built, ready to send.
type composedMsg struct {
	submit  MessageSubmitMsg
	send    session.Message
	content []byte // the composed message, for exports; nil for a file sent as it is
	notes   []string
	err     error
}

// composeJob is what building a message needs, taken from the model in
// Update so that the command reads no model state.
type composeJob struct {
	submit MessageSubmitMsg
	now    time.Time
	caps   protocol.Capabilities
}

// run builds the message (it reads files, so it runs in a command): the
// form's fields through package message, or an @file inspected and sent
// as it is, or as the text of a composed message when it has no header.
func (j composeJob) run() composedMsg {
	out := composedMsg{submit: j.submit}
	from, err := message.ParseSender(j.submit.From)
	if err != nil {
		out.err = err
		return out
	}
	to, err := message.ParseRecipients(strings.Join(j.submit.To, ", "))
	if err != nil {
		out.err = err
		return out
	}
	d := message.Draft{From: from, To: to, Subject: j.submit.Subject, Text: j.submit.Body}
	if j.submit.File != "" {
		return j.sendFile(d)
	}
	return j.compose(d)
}

// compose builds d with its attachments, named as the user typed them.
func (j composeJob) compose(d message.Draft) composedMsg {
	out := composedMsg{submit: j.submit}
	for _, p := range j.submit.Attachments {
		name, err := rootName(p)
		if err != nil {
			out.err = err
			return out
		}
		d.Attachments = append(d.Attachments, name)
	}
	m, err := message.Compose(d, os.DirFS("/"), message.Options{Now: j.now, Caps: j.caps})
	if err != nil {
		out.err = err
		return out
	}
	out.send = session.Message{From: m.From, To: m.To, Body: m.Reader(), Size: m.Size, EightBit: m.Needs.EightBit, UTF8: m.Needs.UTF8}
	out.content = m.Content
	out.notes = m.Notes
	for _, a := range m.Attachments {
		out.notes = append(out.notes, fmt.Sprintf("attached %s (%s, %s)", a.Name, a.ContentType, formatBytes(a.Size)))
	}
	return out
}

// sendFile inspects the @file: one with its own header goes as it is,
// with the fields it overrides in the notes; one without becomes the
// text of a message with the form's header.
func (j composeJob) sendFile(d message.Draft) composedMsg {
	out := composedMsg{submit: j.submit}
	f, err := os.Open(j.submit.File)
	if err != nil {
		out.err = err
		return out
	}
	form := message.Form{From: d.From.Addr, Subject: d.Subject}
	for _, a := range d.To {
		form.To = append(form.To, a.Addr)
	}
	rep, err := message.Inspect(f, form)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		out.err = err
		return out
	}
	if !rep.HasHeader {
		text, err := io.ReadAll(io.LimitReader(f, message.DefaultMaxSize+1))
		f.Close()
		if err != nil {
			out.err = err
			return out
		}
		d.Text = string(text)
		out = j.compose(d)
		out.notes = append([]string{"the file has no header, so it goes as the text of a message with the form's From, To and Subject"}, out.notes...)
		return out
	}
	err = rep.SendableAsIs()
	if err == nil {
		// The session checks this again, but the file is closed only
		// once read to the end.
		_, err = protocol.MailParams(j.caps, rep.Stats.Size, rep.Needs)
	}
	if err != nil {
		f.Close()
		out.err = err
		return out
	}
	out.send = session.Message{From: d.From.Addr, To: form.To, Body: closeAtEOF{f}, Size: rep.Stats.Size, EightBit: rep.Needs.EightBit, UTF8: rep.Needs.UTF8}
	for _, fr := range rep.Overrides() {
		out.notes = append(out.notes, fr.Text)
	}
	out.notes = append(out.notes, rep.Notes...)
	return out
}

// rootName turns a path as typed (relative to the working directory, or
// absolute) into a name in os.DirFS("/").
func rootName(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("attachment %s: %w", p, err)
	}
	name := strings.TrimPrefix(filepath.ToSlash(abs), "/")
	if !fs.ValidPath(name) {
		return "", fmt.Errorf("attachment %s: not a path this program can open", p)
	}
	return name, nil
}

// handleComposed sends what the command built, or says why not.
func (m *Model) handleComposed(msg composedMsg) {
	what := "the message"
	if msg.submit.File != "" {
		what = msg.submit.File
	}
	if msg.err != nil {
		m.note(session.KindError, "%s was not sent: %v", what, msg.err)
		return
	}
	for _, n := range msg.notes {
		m.note(session.KindInfo, "%s", n)
	}
	if msg.content != nil {
		m.lastMessage = msg.content
	}
	m.messageOut = true
	m.eng.SendMessage(msg.send)
}
