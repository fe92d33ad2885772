package ui

import (
	"crypto/x509"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/config"
	"github.com/smtpscope/smtpscope/export"
	"github.com/smtpscope/smtpscope/sandbox"
)

// loggedIn brings a live model to an authenticated session that sent a
// message through the form.
func loggedIn(t *testing.T) *liveModel {
	t.Helper()
	l := startLive(t)
	l.pump(t, "the banner", func(m *Model) bool { return m.greeting != "" })
	typeText(l.m, "EHLO client.example")
	press(l.m, "enter")
	l.pump(t, "EHLO", func(m *Model) bool { return m.snap.Extended })
	press(l.m, "ctrl+t")
	l.pump(t, "TLS", func(m *Model) bool { return m.tls != nil && len(m.snap.Caps.AuthMechanisms()) > 0 })
	press(l.m, "ctrl+a")
	typeText(l.m, sandbox.DemoPassword)
	_, cmd := l.m.Update(keyPress("enter"))
	l.run(cmd)
	l.pump(t, "AUTH", func(m *Model) bool { return m.auth == authOK })
	l.run(func() tea.Msg {
		return MessageSubmitMsg{From: "demo@sandbox.test", To: []string{"friend@sandbox.test"}, Subject: "export me", Body: "Hello"}
	})
	l.pump(t, "the message", func(m *Model) bool { return len(l.srv.Messages()) == 1 && !m.messageOut })
	return l
}

// TestExportKeyShowsCodeWithoutSecrets exports the live session as Python
// code from the TUI, copies and saves it.
func TestExportKeyShowsCodeWithoutSecrets(t *testing.T) {
	l := loggedIn(t)
	press(l.m, "alt+e")
	if _, ok := l.m.dialog.(*exportDialog); !ok {
		t.Fatalf("alt+e should open the export menu, got %T", l.m.dialog)
	}
	_, cmd := l.m.Update(keyPress("enter")) // Python is chosen first
	l.run(cmd)
	cd, ok := l.m.dialog.(*codeDialog)
	if !ok {
		t.Fatalf("the export should show its code, got %T:\n%s", l.m.dialog, paneText(l.m))
	}
	frame := ansi.Strip(cd.View())
	for _, want := range []string{"Export: Python smtplib", "SMTP_PASSWORD", "SMTP_CA_FILE="} {
		if !strings.Contains(frame, want) {
			t.Errorf("the code view lacks %q:\n%s", want, frame)
		}
	}
	code := cd.result.Code
	if !strings.Contains(code, "smtplib") || !strings.Contains(code, "starttls") || !strings.Contains(code, "export me") {
		t.Errorf("the code does not repeat the session:\n%s", code)
	}
	if strings.Contains(code, sandbox.DemoPassword) {
		t.Fatal("the exported code holds the password")
	}

	dir := t.TempDir()
	cd.path.SetValue(filepath.Join(dir, "send.py"))
	_, cmd = l.m.Update(keyPress("ctrl+s"))
	l.run(cmd)
	info, err := os.Stat(filepath.Join(dir, "send.py"))
	if err != nil {
		t.Fatalf("the code was not saved: %v\n%s", err, paneText(l.m))
	}
	if info.Mode().Perm() != privateFileMode {
		t.Errorf("saved with mode %v, want %v", info.Mode().Perm(), os.FileMode(privateFileMode))
	}
}

// TestSaveAsksBeforeReplacingAndRefusesLinks saves the transcript over an
// existing file (asked first) and over a symbolic link (asked first, then
// the link itself is replaced: its target is never written).
func TestSaveAsksBeforeReplacingAndRefusesLinks(t *testing.T) {
	l := loggedIn(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "t.txt")
	if err := os.WriteFile(path, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, cmd := l.m.Update(SaveSubmitMsg{Path: path})
	l.run(cmd)
	if _, ok := l.m.dialog.(*confirmDialog); !ok {
		t.Fatalf("saving over a file should ask first, dialog %T", l.m.dialog)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Fatal("the file was replaced before the user answered")
	}
	_, cmd = l.m.Update(runeKey('y'))
	l.run(cmd)
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "235") {
		t.Fatalf("yes should replace the file with the transcript, it holds %q", b)
	}

	target := filepath.Join(dir, "elsewhere.txt")
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, cmd = l.m.Update(SaveSubmitMsg{Path: link})
	l.run(cmd)
	if _, ok := l.m.dialog.(*confirmDialog); !ok {
		t.Fatalf("saving over a link should ask first, dialog %T", l.m.dialog)
	}
	_, cmd = l.m.Update(runeKey('y'))
	l.run(cmd)
	if _, err := os.Stat(target); err == nil {
		t.Fatal("the transcript was written through a symbolic link")
	}
	if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != privateFileMode {
		t.Fatalf("the link should be replaced by a private file: %v %v", fi, err)
	}
}

// TestBugReportHidesTheUser saves the share-safe report.
func TestBugReportHidesTheUser(t *testing.T) {
	l := loggedIn(t)
	path := filepath.Join(t.TempDir(), "report.md")
	_, cmd := l.m.Update(SaveSubmitMsg{Path: path, Format: SaveReport, HideAddresses: true})
	l.run(cmd)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no report: %v\n%s", err, paneText(l.m))
	}
	report := string(b)
	if !strings.Contains(report, "smtpscope") || !strings.Contains(report, "```") {
		t.Errorf("not a report:\n%s", report)
	}
	for _, secret := range []string{sandbox.DemoPassword, "friend@sandbox.test", "ZGVtbw"} {
		if strings.Contains(report, secret) {
			t.Errorf("the report shows %q:\n%s", secret, report)
		}
	}
}

// TestSaveProfileKey saves a real server's connection as a profile.
func TestSaveProfileKey(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	m, _ := newTestModel(t, 120, 40)
	press(m, "alt+p")
	if m.dialog != nil {
		t.Fatal("the sandbox has no profile to save")
	}
	m.opts.Profile = &config.Profile{Host: "smtp.example.com", Port: 587, User: "me@example.com", StartTLS: "require"}
	press(m, "alt+p")
	if _, ok := m.dialog.(*profileDialog); !ok {
		t.Fatalf("alt+p should ask for a name, got %T", m.dialog)
	}
	_, cmd := m.Update(keyPress("enter"))
	for cmd != nil {
		msg := cmd()
		_, cmd = m.Update(msg)
	}
	path, _ := config.DefaultPath()
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatalf("the saved profile does not load: %v", err)
	}
	p, err := cfg.Profile("example")
	if err != nil || p.Host != "smtp.example.com" || p.Port != 587 || p.User != "me@example.com" || p.StartTLS != "require" {
		t.Errorf("saved profile %+v, %v", p, err)
	}
}

// TestSaveTheChainAsPEM saves the sandbox's chain from the TLS tab's key:
// every certificate parses, and the leaf verifies against the sandbox's
// CA for its name.
func TestSaveTheChainAsPEM(t *testing.T) {
	l := loggedIn(t)
	press(l.m, "alt+c")
	d, ok := l.m.dialog.(*pathDialog)
	if !ok {
		t.Fatalf("alt+c should ask where to save, got %T", l.m.dialog)
	}
	path := filepath.Join(t.TempDir(), "chain.pem")
	d.path.SetValue(path)
	_, cmd := l.m.Update(keyPress("enter"))
	l.run(cmd)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no chain saved: %v\n%s", err, paneText(l.m))
	}
	var certs []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		t.Fatalf("no certificate in the file:\n%s", data)
	}
	if _, err := certs[0].Verify(x509.VerifyOptions{Roots: l.srv.RootCAs(), DNSName: l.srv.Hostname()}); err != nil {
		t.Errorf("the saved leaf does not verify: %v", err)
	}
}

// TestExportWithoutRecipientNamesTheKey: an export refused for want of a
// recipient says what to do in the TUI, not which flag of smtpscope
// export would give one.
func TestExportWithoutRecipientNamesTheKey(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	m.Update(exportedMsg{err: export.ErrNoRecipient})
	text := paneText(m)
	if !strings.Contains(text, "no recipient to export") || !strings.Contains(text, "ctrl+n") {
		t.Errorf("the refusal does not say what to do:\n%s", text)
	}
	if strings.Contains(text, "--to") {
		t.Errorf("the TUI names a command-line flag:\n%s", text)
	}
}

// TestSavedFileIsReportedByItsAbsolutePath: a file saved under a relative
// name is reported with the directory it went to.
func TestSavedFileIsReportedByItsAbsolutePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	m, _ := newTestModel(t, 120, 40)
	msg := writeFile(fileWrite{path: "smtpscope-chain.pem", what: "certificate chain", write: func(w io.Writer) error {
		_, err := io.WriteString(w, "x")
		return err
	}})()
	m.Update(msg)
	want := filepath.Join(dir, "smtpscope-chain.pem")
	if !strings.Contains(m.composer.notice, "saved to "+want) {
		t.Errorf("the notice = %q, want the absolute path %s", m.composer.notice, want)
	}
}
