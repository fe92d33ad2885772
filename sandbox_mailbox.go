package main

import (
	"fmt"
	"mime"
	"strings"

	"github.com/emersion/go-message/charset"

	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/ui"
)

// sandboxMailbox shows the sandbox's accepted messages in the TUI's
// mailbox view.
type sandboxMailbox struct{ srv mailSource }

// mailSource is where the accepted messages are kept: a
// [*sandbox.Server], or the [sandboxRunner] that restarts one.
type mailSource interface {
	Messages() []sandbox.Message
	Message(id int) (sandbox.Message, bool)
}

var _ ui.Mailbox = sandboxMailbox{}

// List returns every kept message, oldest first.
func (b sandboxMailbox) List() []ui.MailboxEntry {
	msgs := b.srv.Messages()
	out := make([]ui.MailboxEntry, len(msgs))
	for i, m := range msgs {
		out[i] = mailboxEntry(m)
	}
	return out
}

// Open returns one message with its header, parts and source.
func (b sandboxMailbox) Open(id int) (ui.MailboxMessage, error) {
	m, ok := b.srv.Message(id)
	if !ok {
		return ui.MailboxMessage{}, fmt.Errorf("message #%d is no longer kept (the sandbox keeps the latest ones)", id)
	}
	source, err := m.Body() // in memory, or in the sandbox's temporary directory when large or old
	if err != nil {
		source = nil
	}
	out := ui.MailboxMessage{Entry: mailboxEntry(m), Source: source}
	for _, h := range m.Summary.Header {
		out.Header = append(out.Header, [2]string{h.Name, headerText(h.Value)})
	}
	parts, err := m.Parts()
	if err != nil {
		out.Note = err.Error()
	}
	for _, p := range parts {
		out.Parts = append(out.Parts, ui.MailboxPart{ContentType: p.ContentType, Filename: p.Filename, Attachment: p.Attachment, Content: p.Content})
	}
	if m.Summary.Problem != "" {
		out.Note = strings.TrimSpace(out.Note + " " + m.Summary.Problem)
	}
	return out, nil
}

// headerWords decodes RFC 2047 encoded words in any charset go-message
// knows (GBK, ISO-8859-x, …).
var headerWords = &mime.WordDecoder{CharsetReader: charset.Reader}

// headerText is a raw header value as a person reads it: encoded words
// decoded (the view makes control characters visible).
func headerText(raw string) string {
	if v, err := headerWords.DecodeHeader(raw); err == nil {
		return v
	}
	return raw
}

// mailboxEntry is a message's row in the list: the header's From, To and
// Subject, or the envelope when the header has none.
func mailboxEntry(m sandbox.Message) ui.MailboxEntry {
	e := ui.MailboxEntry{ID: m.ID, Received: m.Received, From: m.Summary.From, To: m.Summary.To, Subject: m.Summary.Subject, Size: m.Size,
		EnvelopeFrom: m.From, EnvelopeTo: append([]string(nil), m.To...), Via: via(m)}
	if e.From == "" {
		e.From = "<" + m.From + ">"
	}
	if e.To == "" {
		e.To = strings.Join(m.To, ", ")
	}
	return e
}

// via says how a message came: TLS or not, the login, DATA or BDAT.
func via(m sandbox.Message) string {
	parts := []string{"without TLS"}
	if m.TLS {
		parts[0] = "TLS"
	}
	if m.User != "" {
		parts = append(parts, "logged in as "+m.User)
	}
	if m.Chunked {
		parts = append(parts, "BDAT")
	} else {
		parts = append(parts, "DATA")
	}
	return strings.Join(parts, ", ")
}
