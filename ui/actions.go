package ui

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/session"
)

// savedMsg reports the end of a transcript save.
type savedMsg struct {
	path string
	err  error
}

// clipboardMsg carries the transcript text to put on the clipboard.
type clipboardMsg struct {
	text  string
	lines int
	err   error
}

// handleDialogResult takes what a dialog returned and closes it.
func (m *Model) handleDialogResult(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case DialogClosedMsg:
		m.dialog = nil
	case AuthSubmitMsg:
		m.dialog = nil
		m.authUser = msg.Req.Username
		m.pane.SetRevealUser(m.revealUser, m.authUser)
		m.auth = authRunning
		m.eng.Auth(msg.Req)
	case MessageSubmitMsg:
		m.dialog = nil
		return m.sendMessage(msg), true
	case SaveSubmitMsg:
		m.dialog = nil
		return m.saveTranscript(msg), true
	case ConfirmMsg:
		m.dialog = nil
		if msg.Yes {
			return m.quit(), true
		}
	default:
		return nil, false
	}
	return nil, true
}

// handleActionResult takes the results of commands the actions started.
func (m *Model) handleActionResult(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case savedMsg:
		if msg.err != nil {
			m.note(session.KindError, "transcript not saved: %v", msg.err)
		} else {
			m.composer.notice = "transcript saved to " + msg.path
		}
	case clipboardMsg:
		if msg.err != nil {
			m.note(session.KindError, "cannot copy the transcript: %v", msg.err)
			return nil, true
		}
		m.composer.notice = fmt.Sprintf("copied %s to the clipboard (OSC 52; the terminal must allow it)", plural(msg.lines, "line"))
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

// saveTranscript writes the transcript in a command; the username is
// redacted unless the dialog asked otherwise, secrets are never stored.
func (m *Model) saveTranscript(msg SaveSubmitMsg) tea.Cmd {
	t := m.eng.Transcript()
	return func() tea.Msg {
		if t == nil {
			return savedMsg{path: msg.Path, err: fmt.Errorf("there is no transcript yet")}
		}
		f, err := os.Create(msg.Path)
		if err != nil {
			return savedMsg{path: msg.Path, err: err}
		}
		w := bufio.NewWriter(f)
		err = writeTranscript(w, t, msg.JSON, session.SaveOptions{ShowUsername: msg.ShowUsername})
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return savedMsg{path: msg.Path, err: err}
	}
}

func writeTranscript(w io.Writer, t *session.Transcript, asJSON bool, o session.SaveOptions) error {
	if asJSON {
		return t.WriteJSONL(w, o)
	}
	return t.WriteText(w, o)
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
		m.openDialog(NewConfirmDialog(m.ctx, "A mail transaction is open ("+m.state.String()+"). Quit and abandon it?"))
		return nil
	}
	return m.quit()
}

// quit closes the session (QUIT when possible) and ends the program.
func (m *Model) quit() tea.Cmd {
	m.eng.Close()
	return tea.Quit
}
