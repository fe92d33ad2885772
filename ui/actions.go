package ui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/export"
	"github.com/smtpscope/smtpscope/session"
)

// clipboardMsg carries text to put on the clipboard.
type clipboardMsg struct {
	text  string
	lines int
	what  string // "transcript", "Python code"; "" is the transcript
	err   error
}

// handleDialogResult takes what a dialog returned and closes it.
func (m *Model) handleDialogResult(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case DialogClosedMsg:
		m.dialog = nil
		if m.underHelp != nil {
			m.openDialog(m.underHelp)
			m.underHelp = nil
		}
	case AuthSubmitMsg:
		m.dialog = nil
		m.startRun()
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
	case PathChosenMsg:
		m.dialog = nil
		if msg.Purpose == pathChain {
			return m.saveChain(msg.Path), true
		}
	case ConfirmMsg:
		m.dialog = nil
		pending := m.pendingWrite
		m.pendingWrite = nil
		switch {
		case !msg.Yes:
		case msg.Purpose == confirmQuit:
			return m.quit(), true
		case msg.Purpose == confirmCleartextAuth:
			m.cleartextConfirmed = true
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
	case mailboxListMsg:
		m.openDialog(newMailboxDialog(m.ctx, msg.entries))
	case mailboxOpenMsg:
		return m.openMailboxMessage(msg.id), true
	case mailboxMessageMsg:
		if d, ok := m.dialog.(*mailboxDialog); ok {
			d.SetMessage(msg.msg, msg.err)
		}
	case exportedMsg:
		if errors.Is(msg.err, export.ErrNoRecipient) {
			keys := m.ctx.Keys.Actions
			m.note(session.KindError, "cannot export yet: %v — send MAIL FROM and RCPT TO, or a whole message with %s, then %s again",
				msg.err, keys.Message.Help().Key, keys.Export.Help().Key)
			return nil, true
		}
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
	case composedMsg:
		m.handleComposed(msg)
	default:
		return nil, false
	}
	return nil, true
}

// sendMessage runs the message form: the message is built (and files
// read) in a command, then sent by handleComposed.
func (m *Model) sendMessage(msg MessageSubmitMsg) tea.Cmd {
	m.envFrom, m.envTo = msg.From, msg.To
	job := composeJob{submit: msg, now: m.ctx.Now(), caps: m.snap.Caps}
	return func() tea.Msg { return job.run() }
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
