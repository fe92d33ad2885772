package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/protocol"
)

// Mailbox is the sandbox's store of the messages it accepted, for the
// mailbox view (as the web UIs of Mailpit or smtp4dev show them, in the
// terminal). Its methods may read files, so the UI calls them only in
// commands.
type Mailbox interface {
	List() []MailboxEntry
	Open(id int) (MailboxMessage, error)
}

// MailboxEntry is one accepted message in the list.
type MailboxEntry struct {
	ID       int
	Received time.Time
	From     string // the From: field, decoded, or the envelope sender
	To       string
	Subject  string
	Size     int64
	// The envelope, as MAIL FROM and RCPT TO gave it ("" is the null
	// reverse-path): what the server delivered by, whatever the header
	// fields say.
	EnvelopeFrom string
	EnvelopeTo   []string
	Via          string // how it came: "TLS, logged in as demo, BDAT"
}

// MailboxMessage is one message opened: its header fields, its MIME parts
// and its raw source.
type MailboxMessage struct {
	Entry  MailboxEntry
	Header [][2]string // name, value (decoded, sanitized)
	Parts  []MailboxPart
	Source []byte // as received, CRLF line ends; nil when not kept
	Note   string // why something is missing, "" when nothing is
}

// MailboxPart is one leaf of a message's MIME structure.
type MailboxPart struct {
	ContentType string
	Filename    string
	Attachment  bool
	Content     []byte // decoded
}

// mailboxListMsg carries the list, read in a command.
type mailboxListMsg struct{ entries []MailboxEntry }

// mailboxOpenMsg asks the root to open a message of the list.
type mailboxOpenMsg struct{ id int }

// mailboxMessageMsg carries an opened message.
type mailboxMessageMsg struct {
	msg MailboxMessage
	err error
}

// openMailbox reads the mailbox's list in a command.
func (m *Model) openMailbox() tea.Cmd {
	mb := m.opts.Mailbox
	if mb == nil {
		m.composer.notice = "the mailbox view is the sandbox's: a real server delivers mail elsewhere"
		return nil
	}
	return func() tea.Msg { return mailboxListMsg{entries: mb.List()} }
}

// openMailboxMessage reads one message in a command.
func (m *Model) openMailboxMessage(id int) tea.Cmd {
	mb := m.opts.Mailbox
	return func() tea.Msg {
		msg, err := mb.Open(id)
		return mailboxMessageMsg{msg: msg, err: err}
	}
}

// mailboxDialog lists the sandbox's messages and shows one: its header,
// its parts (attachments with size and SHA-256, to check they arrived
// intact) and its raw source.
type mailboxDialog struct {
	dialogBox
	entries []MailboxEntry
	sel     int
	open    *MailboxMessage // nil: the list
	offset  int             // scroll of the open message
	err     string
}

// newMailboxDialog shows entries, the newest selected.
func newMailboxDialog(ctx *Context, entries []MailboxEntry) *mailboxDialog {
	d := &mailboxDialog{dialogBox: newDialogBox(ctx, 0), entries: entries}
	d.sel = max(0, len(entries)-1)
	return d
}

// SetMessage shows an opened message (or why it could not be opened).
func (d *mailboxDialog) SetMessage(msg MailboxMessage, err error) {
	if err != nil {
		d.err = err.Error()
		return
	}
	d.open, d.offset, d.err = &msg, 0, ""
}

// Update moves through the list, opens, scrolls and goes back.
func (d *mailboxDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return d, nil
	}
	mk := d.ctx.Keys.Mailbox
	switch {
	case key.Matches(k, d.keys().Cancel) && d.open != nil:
		d.open = nil
	case key.Matches(k, d.keys().Cancel):
		return d, emit(DialogClosedMsg{})
	case key.Matches(k, mk.Open) && d.open == nil && len(d.entries) > 0:
		return d, emit(mailboxOpenMsg{id: d.entries[d.sel].ID})
	case key.Matches(k, mk.Up):
		if d.open != nil {
			d.offset = max(0, d.offset-1)
		} else {
			d.sel = max(0, d.sel-1)
		}
	case key.Matches(k, mk.Down):
		if d.open != nil {
			d.offset++
		} else {
			d.sel = min(len(d.entries)-1, d.sel+1)
		}
	case key.Matches(k, mk.PageDown) && d.open != nil:
		d.offset += d.page()
	case key.Matches(k, mk.PageUp) && d.open != nil:
		d.offset = max(0, d.offset-d.page())
	}
	return d, nil
}

// mailboxChrome is the box lines around the content: border, title and
// its blank line, the blank line and the hints.
const mailboxChrome = 6

func (d *mailboxDialog) page() int { return max(1, d.maxH-mailboxChrome) }

// View draws the list or the open message.
func (d *mailboxDialog) View() string {
	d.preferred = d.maxW
	if d.preferred <= 0 {
		d.preferred = dialogWideWidth
	}
	st := d.styles()
	cw := d.contentWidth()
	mk := d.ctx.Keys.Mailbox
	if d.open == nil {
		body := d.listLines(cw)
		if d.err != "" {
			body = append(body, "", st.ErrorLine.Render(d.err))
		}
		title := fmt.Sprintf("Sandbox mailbox · %s", plural(len(d.entries), "message"))
		return d.render(title, body, hintLine(st, mk.Open, mk.Up, withHelp(d.keys().Cancel, "close")))
	}
	lines := d.messageLines(cw)
	d.offset = min(d.offset, max(0, len(lines)-d.page()))
	visible := lines[d.offset:min(len(lines), d.offset+d.page())]
	title := fmt.Sprintf("Message #%d", d.open.Entry.ID)
	return d.render(title, visible, hintLine(st, mk.Up, withHelp(d.keys().Cancel, "back to the list")))
}

// listLines draws one row per message, the selected one marked.
func (d *mailboxDialog) listLines(cw int) []string {
	st := d.styles()
	if len(d.entries) == 0 {
		return wrapStyled(st.Muted, "No message yet. Send one (ctrl+n, or MAIL, RCPT, DATA) and it shows here: the sandbox keeps what it accepts and delivers nothing.", cw)
	}
	var out []string
	for i, e := range d.entries {
		row := fmt.Sprintf("#%-3d %s  %s → %s %9s  %s", e.ID, d.ctx.Local(e.Received).Format(time.TimeOnly),
			padRight(protocol.Sanitize(e.From), mailboxAddrWidth), padRight(protocol.Sanitize(e.To), mailboxAddrWidth),
			formatBytes(e.Size), protocol.Sanitize(e.Subject))
		if i == d.sel {
			out = append(out, st.Selected.Render(padRight("› "+row, cw)))
			continue
		}
		out = append(out, st.Value.Render(fitLine("  "+row, cw)))
	}
	return out
}

// messageLines draws the open message: envelope facts, header, parts,
// then the raw source.
func (d *mailboxDialog) messageLines(cw int) []string {
	st := d.styles()
	m := d.open
	var out []string
	field := func(name, value string) {
		for i, l := range wrapText(value, max(1, cw-14)) {
			label := ""
			if i == 0 {
				label = name
			}
			out = append(out, st.Label.Render(fmt.Sprintf("%-13s", label))+" "+st.Value.Render(l))
		}
	}
	field("Received", d.ctx.Local(m.Entry.Received).Format(time.DateTime))
	field("Size", formatBytes(m.Entry.Size))
	if m.Entry.EnvelopeFrom != "" || len(m.Entry.EnvelopeTo) > 0 {
		field("MAIL FROM", "<"+protocol.Sanitize(m.Entry.EnvelopeFrom)+">")
		for _, to := range m.Entry.EnvelopeTo {
			field("RCPT TO", "<"+protocol.Sanitize(to)+">")
		}
	}
	if m.Entry.Via != "" {
		field("Via", protocol.Sanitize(m.Entry.Via))
	}
	for _, h := range m.Header {
		field(protocol.Sanitize(h[0]), protocol.Sanitize(h[1]))
	}
	if len(m.Parts) > 0 {
		out = append(out, "", st.PanelTitle.Render("Parts"))
		for i, p := range m.Parts {
			sum := sha256.Sum256(p.Content)
			what := protocol.Sanitize(p.ContentType)
			if p.Filename != "" {
				what = protocol.Sanitize(p.Filename) + " (" + what + ")"
			}
			desc := fmt.Sprintf("%d. %s, %s, sha256 %s", i+1, what, formatBytes(int64(len(p.Content))), hex.EncodeToString(sum[:8]))
			out = append(out, wrapStyled(st.Text, desc, cw)...)
		}
	}
	if m.Note != "" {
		out = append(out, "")
		out = append(out, wrapStyled(st.WarnLine, protocol.Sanitize(m.Note), cw)...)
	}
	if m.Source != nil {
		out = append(out, "", st.PanelTitle.Render("Source ("+strconv.Itoa(len(m.Source))+" octets, as received)"))
		for _, l := range strings.Split(strings.TrimRight(string(m.Source), "\r\n"), "\n") {
			for _, w := range wrapText(protocol.Sanitize(strings.TrimSuffix(l, "\r")), cw) {
				out = append(out, st.Muted.Render(w))
			}
		}
	}
	return out
}

// mailboxAddrWidth is the width of the From and To columns of the list.
const mailboxAddrWidth = 24
