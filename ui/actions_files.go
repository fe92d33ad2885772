package ui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/config"
	"github.com/smtpscope/smtpscope/export"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// fileWrite is a file the user asked to write: a transcript, a report,
// exported code. session.SaveFile creates it private to its owner,
// never through a symbolic link, and replaces an existing file only
// after the user said yes.
type fileWrite struct {
	path      string
	what      string // "transcript", "report", "exported code"
	write     func(io.Writer) error
	overwrite bool // the user agreed to replace the file
}

// fileWrittenMsg reports the end of a fileWrite.
type fileWrittenMsg struct {
	fw     fileWrite
	exists bool // the file is there and overwrite was not agreed
	err    error
}

// writeFile runs fw in a command, off the update loop. A relative path
// is made absolute first, so that what the screen reports says where the
// file went whatever directory smtpscope was started in.
func writeFile(fw fileWrite) tea.Cmd {
	return func() tea.Msg {
		if abs, err := filepath.Abs(fw.path); err == nil {
			fw.path = abs
		}
		err := session.SaveFile(fw.path, fw.overwrite, fw.write)
		if errors.Is(err, session.ErrFileExists) {
			return fileWrittenMsg{fw: fw, exists: true}
		}
		return fileWrittenMsg{fw: fw, err: err}
	}
}

// privateFileMode is the mode of every file smtpscope writes.
const privateFileMode = session.TranscriptFileMode

// handleFileWritten reports a write, or asks before replacing a file.
func (m *Model) handleFileWritten(msg fileWrittenMsg) {
	switch {
	case msg.exists:
		m.pendingWrite = &msg.fw
		m.openDialog(NewConfirmDialog(m.ctx, confirmOverwrite,
			fmt.Sprintf("%s already exists. Replace it with the %s?", protocol.Sanitize(msg.fw.path), msg.fw.what)))
	case msg.err != nil:
		m.note(sessionError, "%s not saved: %v", msg.fw.what, msg.err)
	default:
		m.composer.notice = msg.fw.what + " saved to " + protocol.Sanitize(msg.fw.path) + " (readable by you only)"
	}
}

// sessionError is the pane's kind for smtpscope's own errors.
const sessionError = session.KindError

// saveTranscript writes the transcript in the chosen format: the username
// redacted unless asked otherwise, secrets never (smtpscope has none to
// write); the report redacts user names and, on request, addresses and
// host names.
func (m *Model) saveTranscript(msg SaveSubmitMsg) tea.Cmd {
	t := m.eng.Transcript()
	if t == nil {
		m.note(sessionError, "transcript not saved: there is no transcript yet")
		return nil
	}
	fw := fileWrite{path: msg.Path, what: "transcript"}
	o := session.SaveOptions{ShowUsername: msg.ShowUsername}
	switch msg.Format {
	case SaveJSONL:
		fw.write = func(w io.Writer) error { return t.WriteJSONL(w, o) }
	case SaveReport:
		fw.what = "bug report"
		ro := export.ReportOptions{
			Version:       m.opts.Version,
			Usernames:     nonEmpty(m.authUser, m.opts.Username),
			HideAddresses: msg.HideAddresses,
			HideHosts:     msg.HideHosts,
		}
		fw.write = func(w io.Writer) error {
			_, err := io.WriteString(w, export.Report(export.Lines(t), ro))
			return err
		}
	default:
		fw.write = func(w io.Writer) error { return t.WriteText(w, o) }
	}
	return writeFile(fw)
}

// nonEmpty returns the strings that are not empty.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// exportedMsg carries an export's result (or why there is none).
type exportedMsg struct {
	result export.Result
	notes  []string
	err    error
}

// exportSession rebuilds the session from its transcript, with what the
// UI knows better (the address dialled, implicit TLS, the user who logged
// in, the message the form sent), as code of format f, in a command.
func (m *Model) exportSession(f export.Format) tea.Cmd {
	t := m.eng.Transcript()
	if t == nil {
		m.note(sessionError, "nothing to export yet: there is no transcript")
		return nil
	}
	var known export.Session
	if err := known.SetAddress(m.opts.Address); err != nil {
		m.note(sessionError, "cannot export: %v", err)
		return nil
	}
	if m.opts.Profile != nil && m.opts.Profile.ImplicitTLS() {
		known.Security = export.ImplicitTLS
	}
	if m.auth == authOK && m.authUser != "" {
		known.Auth = &export.Auth{Username: m.authUser}
	}
	known.Message = m.lastMessage
	ca, port := m.opts.SandboxCA, known.Port
	return func() tea.Msg {
		r, err := export.Export(export.Lines(t), known, f, export.Options{})
		if err != nil {
			return exportedMsg{err: err}
		}
		var notes []string
		if len(ca) > 0 {
			path := filepath.Join(os.TempDir(), fmt.Sprintf("smtpscope-sandbox-ca-%d.pem", port))
			if werr := os.WriteFile(path, ca, 0o644); werr == nil {
				notes = append(notes, "the sandbox's certificate comes from a CA made at start: "+export.DefaultCAFileEnv+"="+path)
			}
		}
		return exportedMsg{result: r, notes: notes}
	}
}

// saveProfileCmd writes the connection as profile name, in a command.
func (m *Model) saveProfileCmd(name string) tea.Cmd {
	p := *m.opts.Profile
	return func() tea.Msg {
		path, err := config.DefaultPath()
		if err == nil {
			err = config.SaveProfile(path, name, p)
		}
		return profileSavedMsg{name: name, path: path, err: err}
	}
}

// profileSavedMsg reports the end of a profile save.
type profileSavedMsg struct {
	name, path string
	err        error
}

// copyText renders text to copy with OSC 52.
func copyText(what string, text string) tea.Cmd {
	return func() tea.Msg {
		return clipboardMsg{text: text, lines: bytes.Count([]byte(text), []byte("\n")), what: what}
	}
}
