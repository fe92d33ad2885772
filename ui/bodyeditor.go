package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// defaultSubject prefills the Subject header of a message typed in DATA.
const defaultSubject = "smtpscope test message"

// bodyEditor is the message editor that replaces the composer after a 354
// reply to DATA. It can also take a file path to send a file instead.
type bodyEditor struct {
	ctx        *Context
	area       textarea.Model
	file       textinput.Model
	filePrompt bool   // asking for a file path instead of editing
	notice     string // shown in the title line until the next key
	// chunk is the size a BDAT typed by hand announced: the editor then
	// holds that chunk's octets, sent as they are; 0 is a DATA message.
	chunk         int64
	width, height int // outer
}

func newBodyEditor(ctx *Context) *bodyEditor {
	area := textarea.New()
	area.ShowLineNumbers = false
	area.Prompt = ""
	area.CharLimit = 0
	area.MaxHeight = 0
	area.KeyMap = bodyAreaKeys()

	file := textinput.New()
	file.Prompt = "send file: "
	file.Placeholder = "path/to/message.eml"

	b := &bodyEditor{ctx: ctx, area: area, file: file}
	b.restyle()
	return b
}

// restyle applies the context's theme to the editor and the file prompt.
func (b *bodyEditor) restyle() {
	st := b.ctx.Styles
	b.area.SetStyles(st.TextArea())
	b.file.SetStyles(st.TextInput())
}

// Open starts editing with the given text (the prefilled headers).
func (b *bodyEditor) Open(text string) tea.Cmd {
	b.filePrompt = false
	b.file.SetValue("")
	b.area.SetValue(text)
	b.area.MoveToEnd()
	return b.area.Focus()
}

// Close stops editing and clears the text.
func (b *bodyEditor) Close() {
	b.area.Blur()
	b.file.Blur()
	b.area.Reset()
	b.filePrompt = false
}

// AskFile switches to the file path prompt (or back to the editor).
func (b *bodyEditor) AskFile(on bool) tea.Cmd {
	b.filePrompt = on
	if on {
		b.area.Blur()
		return b.file.Focus()
	}
	b.file.Blur()
	return b.area.Focus()
}

// Value returns the message text.
func (b *bodyEditor) Value() string { return b.area.Value() }

// endMarker is the line that ends a message typed in DATA (RFC 5321
// 4.1.1.4: a line holding a single ".").
const endMarker = "."

// EndsWithMarker reports whether the cursor is at the end of a last line
// holding a single ".": enter there ends the message, as the server's 354
// says. It returns the message without that line.
func (b *bodyEditor) EndsWithMarker() (string, bool) {
	v := b.area.Value()
	lines := strings.Split(v, "\n")
	last := len(lines) - 1
	if lines[last] != endMarker || b.area.Line() != last || b.area.Column() != len(endMarker) {
		return "", false
	}
	return strings.Join(lines[:last], "\n"), true
}

// InsertString types s at the cursor (a paste).
func (b *bodyEditor) InsertString(s string) { b.area.InsertString(s) }

// SetValue replaces the message text (after $EDITOR).
func (b *bodyEditor) SetValue(s string) {
	b.area.SetValue(s)
	b.area.MoveToEnd()
}

// FilePath returns the path typed at the file prompt.
func (b *bodyEditor) FilePath() string { return strings.TrimSpace(b.file.Value()) }

// SetSize sets the outer size, border included.
func (b *bodyEditor) SetSize(w, h int) {
	b.width, b.height = w, h
	fw, _ := b.ctx.Styles.PaneBorderFocused.GetFrameSize()
	b.area.SetWidth(max(1, w-fw))
	b.file.SetWidth(max(1, w-fw-len(b.file.Prompt)-1))
	b.fitArea()
}

// maxNoticeRows bounds the rows a notice takes from the editor.
const maxNoticeRows = 3

// SetNotice shows s above the text until the next key, on as many rows
// as it needs (up to maxNoticeRows): a notice says what to do, and a cut
// one did not.
func (b *bodyEditor) SetNotice(s string) {
	b.notice = s
	b.fitArea()
}

// noticeLines is the notice wrapped to the editor's width.
func (b *bodyEditor) noticeLines() []string {
	if b.notice == "" {
		return nil
	}
	inner := b.width - b.ctx.Styles.PaneBorderFocused.GetHorizontalFrameSize()
	lines := wrapText(b.notice, max(1, inner))
	if len(lines) > maxNoticeRows {
		lines = lines[:maxNoticeRows]
		lines[maxNoticeRows-1] = ansi.Truncate(lines[maxNoticeRows-1], inner-1, "") + "…"
	}
	return lines
}

// fitArea gives the text area the rows the title line or notice leave.
func (b *bodyEditor) fitArea() {
	_, fh := b.ctx.Styles.PaneBorderFocused.GetFrameSize()
	b.area.SetHeight(max(1, b.height-fh-max(1, len(b.noticeLines()))))
}

// Update passes editing keys and pastes to the editor or the file prompt.
func (b *bodyEditor) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.KeyPressMsg); ok && b.notice != "" {
		b.SetNotice("")
	}
	var cmd tea.Cmd
	if b.filePrompt {
		b.file, cmd = b.file.Update(msg)
		return cmd
	}
	b.area, cmd = b.area.Update(msg)
	return cmd
}

// Render draws the editor box with its title line.
func (b *bodyEditor) Render() string {
	keys := b.ctx.Keys.Body
	frame := b.ctx.Styles.PaneBorderFocused
	inner := b.width - frame.GetHorizontalFrameSize()
	title := b.ctx.Styles.PanelTitle.Render("DATA: the message") + b.ctx.Styles.Hint.Render(fmt.Sprintf(
		"  ends with %s or a line holding a single . · %s sends a file · %s $EDITOR",
		keys.Finish.Help().Key, keys.File.Help().Key, keys.Editor.Help().Key))
	if b.chunk > 0 {
		title = b.ctx.Styles.PanelTitle.Render(fmt.Sprintf("BDAT %d: the server reads exactly %d octets", b.chunk, b.chunk)) +
			b.ctx.Styles.Hint.Render(fmt.Sprintf("  typed %d (lines end in CRLF) · %s sends them as they are",
				len(chunkData(b.area.Value())), keys.Finish.Help().Key))
	}
	head := padRight(ansi.Truncate(title, inner, "…"), inner)
	if notice := b.noticeLines(); len(notice) > 0 {
		for i, l := range notice {
			notice[i] = padRight(b.ctx.Styles.Warning.Render(l), inner)
		}
		head = strings.Join(notice, "\n")
	}
	var body string
	if b.filePrompt {
		rows := b.height - frame.GetVerticalFrameSize() - max(1, len(b.noticeLines()))
		lines := []string{padRight(b.file.View(), inner),
			padRight(b.ctx.Styles.Hint.Render(keys.FileSubmit.Help().Key+" sends the file as it is (headers included) · "+
				keys.Back.Help().Key+" goes back to the editor"), inner)}
		for len(lines) < rows {
			lines = append(lines, strings.Repeat(" ", inner))
		}
		body = strings.Join(lines, "\n")
	} else {
		body = b.area.View()
	}
	content := head + "\n" + body
	return frame.Width(b.width).Height(b.height).MaxHeight(b.height).Render(content)
}

// messageHeaders returns the header block prefilled in the editor: the
// envelope as From/To, a Subject, and the Date and Message-ID every
// message should carry (RFC 5322 3.6.1, 3.6.4), then the empty line that
// ends the header section. The Message-ID is on the sender's domain
// (RFC 5322 3.6.4), else on domain.
func messageHeaders(from string, to []string, now time.Time, domain string) string {
	if at := strings.LastIndexByte(from, '@'); at >= 0 && at < len(from)-1 {
		domain = from[at+1:]
	}
	if domain == "" {
		domain = "smtpscope.invalid"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "From: <%s>\n", from)
	if len(to) > 0 {
		fmt.Fprintf(&b, "To: <%s>\n", strings.Join(to, ">, <"))
	}
	fmt.Fprintf(&b, "Subject: %s\n", defaultSubject)
	// RFC 5322 3.3: date-time, e.g. "Mon, 02 Jan 2006 15:04:05 -0700".
	fmt.Fprintf(&b, "Date: %s\n", now.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%d.smtpscope@%s>\n", now.UnixNano(), domain)
	b.WriteString("\n")
	return b.String()
}

// chunkData is the editor's text as BDAT octets: lines end in CRLF, and
// nothing is dot-stuffed (RFC 3030 2: a chunk is sent as it is).
func chunkData(text string) []byte {
	return []byte(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n"))
}
