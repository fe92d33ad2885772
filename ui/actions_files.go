package ui

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/config"
	"github.com/smtpscope/smtpscope/export"
	"github.com/smtpscope/smtpscope/session"
)

// fileWrite is a file the user asked to write: a transcript, a report,
// exported code. It is created private to its owner (0600), never
// through a symbolic link, and an existing file is replaced only after
// the user said yes.
type fileWrite struct {
	path      string
	what      string // "transcript", "report", "Python code", …
	write     func(io.Writer) error
	overwrite bool // the user agreed to replace the file
}

// fileWrittenMsg reports the end of a fileWrite.
type fileWrittenMsg struct {
	fw     fileWrite
	exists bool // the file is there and overwrite was not agreed
	err    error
}

// errSymlink says why smtpscope will not write to a path.
var errSymlink = errors.New("it is a symbolic link; smtpscope does not write through links (give the real path)")

// writeFile runs fw in a command, off the update loop.
func writeFile(fw fileWrite) tea.Cmd {
	return func() tea.Msg {
		if info, err := os.Lstat(fw.path); err == nil {
			switch {
			case info.Mode()&fs.ModeSymlink != 0:
				return fileWrittenMsg{fw: fw, err: errSymlink}
			case !info.Mode().IsRegular():
				return fileWrittenMsg{fw: fw, err: errors.New("it is not a regular file")}
			case !fw.overwrite:
				return fileWrittenMsg{fw: fw, exists: true}
			}
		}
		return fileWrittenMsg{fw: fw, err: createAndWrite(fw)}
	}
}

// privateFileMode is the mode of every file smtpscope writes: transcripts
// and exports say who talked to which server.
const privateFileMode = 0o600

// createAndWrite creates (or, agreed, truncates) the file without
// following a link at its path, and writes it.
func createAndWrite(fw fileWrite) error {
	flags := os.O_WRONLY | os.O_CREATE | syscall.O_NOFOLLOW
	if fw.overwrite {
		flags |= os.O_TRUNC
	} else {
		flags |= os.O_EXCL
	}
	f, err := os.OpenFile(fw.path, flags, privateFileMode)
	if errors.Is(err, syscall.ELOOP) {
		return errSymlink
	}
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = fw.write(w)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// handleFileWritten reports a write, or asks before replacing a file.
func (m *Model) handleFileWritten(msg fileWrittenMsg) {
	switch {
	case msg.exists:
		m.pendingWrite = &msg.fw
		m.openDialog(NewConfirmDialog(m.ctx, confirmOverwrite,
			fmt.Sprintf("%s already exists. Replace it with the %s?", msg.fw.path, msg.fw.what)))
	case msg.err != nil:
		m.note(sessionError, "%s not saved to %s: %v", msg.fw.what, msg.fw.path, msg.err)
	default:
		m.composer.notice = msg.fw.what + " saved to " + msg.fw.path + " (readable by you only)"
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
