package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// bodyFileMsg is a file opened to be sent as the message content.
type bodyFileMsg struct {
	file *os.File
	size int64
	path string
	err  error
}

// editorDoneMsg carries the message text back from $EDITOR.
type editorDoneMsg struct {
	text string
	err  error
}

// handleDataKey runs the body editor's keys: finish, send a file, open
// $EDITOR; everything else edits the text.
func (m *Model) handleDataKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.ctx.Keys.Body
	switch {
	case m.body.filePrompt && key.Matches(msg, k.FileSubmit):
		path := m.body.FilePath()
		if path == "" {
			return nil
		}
		return openBodyFile(path)
	case m.body.filePrompt && key.Matches(msg, k.Back):
		return m.body.AskFile(false)
	case key.Matches(msg, k.Finish) && m.body.chunk > 0:
		m.finishChunk()
		return nil
	case key.Matches(msg, k.Finish):
		m.finishBody(m.body.Value())
		return nil
	case key.Matches(msg, k.EndLine) && m.body.chunk == 0:
		if body, ok := m.body.EndsWithMarker(); ok {
			m.finishBody(body)
			return nil
		}
	case key.Matches(msg, k.File) && m.body.chunk > 0:
		m.body.SetNotice(fmt.Sprintf("%s sends a file after DATA; after BDAT %d the server reads the %d octets of this editor: type or paste them, or write them in $EDITOR with %s",
			k.File.Help().Key, m.body.chunk, m.body.chunk, k.Editor.Help().Key))
		return nil
	case key.Matches(msg, k.File):
		return m.body.AskFile(true)
	case key.Matches(msg, k.Editor):
		return m.openEditor()
	case key.Matches(msg, m.ctx.Keys.Global.Back) && m.body.chunk > 0:
		m.body.SetNotice(fmt.Sprintf("The server waits for exactly %d octets (BDAT %d): type them, then %s sends them; %s abandons the connection.",
			m.body.chunk, m.body.chunk, k.Finish.Help().Key, m.ctx.Keys.Actions.Reconnect.Help().Key))
		return nil
	case key.Matches(msg, m.ctx.Keys.Global.Back):
		m.body.SetNotice("The server waits for the message: " + k.Finish.Help().Key + " or a line with a single . sends it; " +
			m.ctx.Keys.Actions.Reconnect.Help().Key + " abandons the connection.")
		return nil
	}
	return m.body.Update(msg)
}

// finishBody sends the typed message; the session dot-stuffs it and adds
// the end marker (RFC 5321 4.5.2).
func (m *Model) finishBody(body string) {
	if body != "" && !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	m.leaveDataMode()
	m.warnContent(body)
	m.lastMessage = []byte(body)
	m.messageOut = true
	m.eng.SendBody(strings.NewReader(body), int64(len(body)))
}

// warnContent says what in a message typed by hand breaks a MUST of the
// message format. It still goes as typed — DATA by hand is where
// mistakes are made on purpose — but the server's answer is then
// explained before it comes.
func (m *Model) warnContent(body string) {
	var c protocol.ContentCounter
	c.Write([]byte(body))
	st := c.Stats()
	if st.OverMax > 0 {
		lines := "1 line is"
		if st.OverMax > 1 {
			lines = fmt.Sprintf("%d lines are", st.OverMax)
		}
		m.note(session.KindWarning, "%s over %d octets (the longest: %d) and goes as typed: RFC 5322 2.1.1 forbids it; "+
			"servers refuse such a message (500 5.5.2 line too long) or break the line", lines, protocol.MaxContentLine, st.Longest)
	}
	if st.NUL {
		m.note(session.KindWarning, "the message holds a NUL octet, which no message may carry (RFC 5322 2.1); servers refuse it or cut the message there")
	}
}

// finishChunk sends the octets a BDAT typed by hand announced, when the
// editor holds exactly that many.
func (m *Model) finishChunk() {
	data := chunkData(m.body.Value())
	if int64(len(data)) != m.body.chunk {
		m.body.SetNotice(fmt.Sprintf("BDAT announced %d octets and the editor holds %d: the server reads exactly the number announced (edit, or %s to abandon the connection)",
			m.body.chunk, len(data), m.ctx.Keys.Actions.Reconnect.Help().Key))
		return
	}
	m.leaveDataMode()
	m.lastMessage = data
	m.messageOut = true
	m.eng.SendChunk(data)
}

// enterChunkMode opens the editor for the octets a BDAT typed by hand
// announced.
func (m *Model) enterChunkMode(size int64) tea.Cmd {
	m.body.chunk = size
	return m.enterDataMode("")
}

// openBodyFile opens path in a command, off the update loop.
func openBodyFile(path string) tea.Cmd {
	return func() tea.Msg {
		f, err := os.Open(path)
		if err != nil {
			return bodyFileMsg{path: path, err: err}
		}
		info, err := f.Stat()
		if err != nil {
			f.Close()
			return bodyFileMsg{path: path, err: err}
		}
		if info.IsDir() {
			f.Close()
			return bodyFileMsg{path: path, err: errors.New("it is a directory; give the path of a message file")}
		}
		return bodyFileMsg{file: f, size: info.Size(), path: path}
	}
}

// closeAtEOF closes the file once the session has read all of it.
type closeAtEOF struct{ f *os.File }

func (c closeAtEOF) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	if err != nil {
		c.f.Close()
	}
	return n, err
}

var _ io.Reader = closeAtEOF{}

// handleBodyFile sends an opened file as the message content.
func (m *Model) handleBodyFile(msg bodyFileMsg) {
	if msg.err != nil {
		m.note(session.KindError, "cannot send %s: %v", msg.path, msg.err)
		return
	}
	if m.dataMode {
		m.leaveDataMode()
		m.note(session.KindInfo, "sending %s (%s) as the message content", msg.path, formatBytes(msg.size))
		m.messageOut = true
		m.eng.SendBody(closeAtEOF{msg.file}, msg.size)
		return
	}
	msg.file.Close()
}

// editorFileMsg is the temporary file prepared for $EDITOR.
type editorFileMsg struct {
	path string
	err  error
}

// openEditor writes the message to a temporary file in a command; the
// editor itself runs when the file is ready (see runEditor).
func (m *Model) openEditor() tea.Cmd {
	text := m.body.Value()
	return func() tea.Msg {
		f, err := os.CreateTemp("", "smtpscope-*.eml")
		if err != nil {
			return editorFileMsg{err: err}
		}
		_, werr := f.WriteString(text)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(f.Name())
			return editorFileMsg{err: werr}
		}
		return editorFileMsg{path: f.Name()}
	}
}

// runEditor runs $VISUAL, $EDITOR or vi on the prepared file through
// tea.ExecProcess, which gives it the terminal until it exits.
func (m *Model) runEditor(msg editorFileMsg) tea.Cmd {
	if msg.err != nil {
		m.note(session.KindError, "cannot prepare a temporary file for $EDITOR: %v", msg.err)
		return nil
	}
	editor := os.Getenv("VISUAL")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	args := strings.Fields(editor)
	c := exec.Command(args[0], append(args[1:], msg.path)...)
	path := msg.path
	return tea.ExecProcess(c, func(err error) tea.Msg {
		defer os.Remove(path)
		if err != nil {
			return editorDoneMsg{err: fmt.Errorf("%s: %w", editor, err)}
		}
		b, err := os.ReadFile(path)
		return editorDoneMsg{text: string(b), err: err}
	})
}

// pasteIntoBody types a paste into the DATA editor. A line holding a
// single "." in it ends the message there, as if typed; the lines after it
// are commands again.
func (m *Model) pasteIntoBody(text string) {
	lines := splitLines(text)
	for i, l := range lines {
		if l != endMarker {
			continue
		}
		m.body.InsertString(strings.Join(lines[:i], "\n"))
		m.finishBody(m.body.Value())
		m.enqueue(pastedItems(lines[i+1:])...)
		return
	}
	m.body.InsertString(strings.Join(lines, "\n"))
}
