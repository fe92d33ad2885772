package ui

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/session"
)

// clipboardMsg carries text to put on the clipboard.
type clipboardMsg struct {
	text  string
	lines int
	what  string // "transcript", "Python code"; "" is the transcript
	err   error
}

// messageFileMsg is a file opened to be sent by the message form.
type messageFileMsg struct {
	submit MessageSubmitMsg
	file   *os.File
	size   int64
	err    error
}

// handleDialogResult takes what a dialog returned and closes it.
func (m *Model) handleDialogResult(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case DialogClosedMsg:
		m.dialog = nil
	case AuthSubmitMsg:
		m.dialog = nil
		m.engineAuth(msg.Req)
	case MessageSubmitMsg:
		m.dialog = nil
		m.startRun()
		return m.sendMessage(msg), true
	case SaveSubmitMsg:
		m.dialog = nil
		return m.saveTranscript(msg), true
	case ExportRequestMsg:
		m.dialog = nil
		return m.exportSession(msg.Format), true
	case ExportCopyMsg:
		return copyText("exported code", msg.Text), true
	case ExportSaveMsg:
		m.dialog = nil
		return writeFile(fileWrite{path: msg.Path, what: "exported code", write: func(w io.Writer) error {
			_, err := io.WriteString(w, msg.Text)
			return err
		}}), true
	case SaveProfileMsg:
		m.dialog = nil
		return m.saveProfileCmd(msg.Name), true
	case ConfirmMsg:
		m.dialog = nil
		pending := m.pendingWrite
		m.pendingWrite = nil
		switch {
		case !msg.Yes:
		case msg.Purpose == confirmQuit:
			return m.quit(), true
		case msg.Purpose == confirmCleartextAuth:
			m.runAuth()
		case msg.Purpose == confirmOverwrite && pending != nil:
			pending.overwrite = true
			return writeFile(*pending), true
		}
	default:
		return nil, false
	}
	return nil, true
}

// handleActionResult takes the results of commands the actions started.
func (m *Model) handleActionResult(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case fileWrittenMsg:
		m.handleFileWritten(msg)
	case exportedMsg:
		if msg.err != nil {
			m.note(session.KindError, "cannot export: %v", msg.err)
			return nil, true
		}
		m.openDialog(NewCodeDialog(m.ctx, msg.result, msg.notes...))
	case profileSavedMsg:
		if msg.err != nil {
			m.note(session.KindError, "profile not saved: %v", msg.err)
		} else {
			m.composer.notice = "saved as profile " + msg.name + " in " + msg.path + ": smtpscope connect @" + msg.name
		}
	case clipboardMsg:
		what := msg.what
		if what == "" {
			what = "the transcript"
		}
		if msg.err != nil {
			m.note(session.KindError, "cannot copy %s: %v", what, msg.err)
			return nil, true
		}
		m.composer.notice = fmt.Sprintf("copied %s (%s) to the clipboard (OSC 52; the terminal must allow it)", what, plural(msg.lines, "line"))
		return tea.SetClipboard(msg.text), true
	case bodyFileMsg:
		m.handleBodyFile(msg)
	case editorFileMsg:
		return m.runEditor(msg), true
	case editorDoneMsg:
		if msg.err != nil {
			m.note(session.KindError, "editor: %v", msg.err)
		} else if m.dataMode {
			m.body.SetValue(msg.text)
		}
	case messageFileMsg:
		m.sendMessageFile(msg)
	default:
		return nil, false
	}
	return nil, true
}

// sendMessage runs the message form: a typed body gets headers; a file is
// opened in a command and sent as it is.
func (m *Model) sendMessage(msg MessageSubmitMsg) tea.Cmd {
	m.envFrom, m.envTo = msg.From, msg.To
	if msg.File != "" {
		return func() tea.Msg {
			f, err := os.Open(msg.File)
			if err != nil {
				return messageFileMsg{submit: msg, err: err}
			}
			info, err := f.Stat()
			if err != nil {
				f.Close()
				return messageFileMsg{submit: msg, err: err}
			}
			return messageFileMsg{submit: msg, file: f, size: info.Size()}
		}
	}
	text := composeMessage(msg, m.ctx.Now(), m.snap.Caps.Domain)
	m.lastMessage = []byte(text)
	m.messageOut = true
	m.eng.SendMessage(session.Message{From: msg.From, To: msg.To, Body: strings.NewReader(text), Size: int64(len(text))})
	return nil
}

// sendMessageFile sends a message whose content came from a file.
func (m *Model) sendMessageFile(msg messageFileMsg) {
	if msg.err != nil {
		m.note(session.KindError, "cannot send %s: %v", msg.submit.File, msg.err)
		return
	}
	s := msg.submit
	m.messageOut = true
	m.eng.SendMessage(session.Message{From: s.From, To: s.To, Body: closeAtEOF{msg.file}, Size: msg.size})
}

// composeMessage builds the message text of the send form: headers from
// the form, then the body.
func composeMessage(msg MessageSubmitMsg, now time.Time, domain string) string {
	headers := messageHeaders(msg.From, msg.To, now, domain)
	if msg.Subject != "" {
		headers = strings.Replace(headers, "Subject: "+defaultSubject, "Subject: "+msg.Subject, 1)
	}
	body := msg.Body
	if body != "" && !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	return strings.ReplaceAll(headers+body, "\r\n", "\n")
}

// defaultSavePath is the file name offered by the save dialog.
func defaultSavePath(now time.Time) string {
	return "smtpscope-" + now.Format("20060102-150405") + ".txt"
}

// copyTranscript renders the redacted transcript in a command and puts it
// on the clipboard with OSC 52.
func (m *Model) copyTranscript() tea.Cmd {
	t := m.eng.Transcript()
	return func() tea.Msg {
		if t == nil {
			return clipboardMsg{err: fmt.Errorf("there is no transcript yet")}
		}
		var b bytes.Buffer
		if err := t.WriteText(&b, session.SaveOptions{}); err != nil {
			return clipboardMsg{err: err}
		}
		return clipboardMsg{text: b.String(), lines: t.Len()}
	}
}

// requestQuit quits, asking first when a mail transaction is open.
func (m *Model) requestQuit() tea.Cmd {
	if transactionOpen(m.state) || m.dataMode {
		m.openDialog(NewConfirmDialog(m.ctx, confirmQuit, "A mail transaction is open ("+m.state.String()+"). Quit and abandon it?"))
		return nil
	}
	return m.quit()
}

// quit closes the session (QUIT when possible) and ends the program.
func (m *Model) quit() tea.Cmd {
	m.eng.Close()
	return tea.Quit
}
