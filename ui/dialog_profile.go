package ui

import (
	"net"
	"regexp"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// SaveProfileMsg asks the root to save the connection as a named profile.
type SaveProfileMsg struct{ Name string }

// profileNamePattern is what a profile name may be: it becomes a TOML
// table name and is typed after @ on the command line. It is the
// config file's rule (no '.', which TOML reads as a nested table).
var profileNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// serviceLabels are the host name labels that name a service, not the
// provider: smtp.gmail.com is better saved as gmail than as smtp.
var serviceLabels = map[string]bool{"smtp": true, "smtps": true, "mail": true, "submission": true, "mx": true,
	"out": true, "outbound": true, "outgoing": true, "relay": true, "email": true, "send": true}

// secondLevelLabels stand before a country's top-level domain
// (example.co.uk): they are not the provider's name either.
var secondLevelLabels = map[string]bool{"co": true, "com": true, "net": true, "org": true, "ac": true, "gov": true, "edu": true}

// suggestProfileName proposes a profile name for host: the label that
// names the provider (smtp.gmail.com → gmail, smtp.mail.yahoo.com →
// yahoo, mail.example.co.uk → example), "local" for a loopback address,
// the digits of another IP address joined by '-'.
func suggestProfileName(host string) string {
	host = strings.Trim(strings.ToLower(host), "[].")
	if ip := net.ParseIP(host); ip != nil {
		if ip.IsLoopback() {
			return "local"
		}
		return usableProfileName(strings.NewReplacer(".", "-", ":", "-").Replace(host))
	}
	labels := strings.Split(host, ".")
	if len(labels) > 1 {
		labels = labels[:len(labels)-1] // the top-level domain
	}
	if n := len(labels); n > 1 && secondLevelLabels[labels[n-1]] {
		labels = labels[:n-1]
	}
	for len(labels) > 1 && serviceLabels[labels[0]] {
		labels = labels[1:]
	}
	if len(labels) > 1 {
		labels = labels[len(labels)-1:] // the registered domain's own label
	}
	return usableProfileName(labels[0])
}

// usableProfileName keeps what a profile name may hold, or says "server".
func usableProfileName(s string) string {
	s = strings.Trim(strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '-'
	}, s), "-_")
	if !profileNamePattern.MatchString(s) {
		return "server"
	}
	return s
}

// profileDialog asks for the name to save the connection under.
type profileDialog struct {
	dialogBox
	name   textinput.Model
	target string // where the profile connects, for the dialog's text
	err    string
}

// NewProfileDialog returns the save-profile dialog for a connection to
// target, with suggested as the name.
func NewProfileDialog(ctx *Context, target, suggested string) Dialog {
	d := &profileDialog{
		dialogBox: newDialogBox(ctx, dialogWidth),
		name:      newInput(ctx.Styles, suggested, "work"),
		target:    target,
	}
	d.name.Focus()
	return d
}

// Update checks the name on enter.
func (d *profileDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && key.Matches(k, d.keys().Cancel):
		return d, emit(DialogClosedMsg{})
	case isKey && key.Matches(k, d.keys().Submit):
		name := strings.TrimPrefix(strings.TrimSpace(d.name.Value()), profilePrefix)
		if !profileNamePattern.MatchString(name) {
			d.err = "A name of letters, digits, '_' or '-', starting with a letter or digit (you will type it as @NAME)."
			return d, nil
		}
		return d, emit(SaveProfileMsg{Name: name})
	}
	d.err = ""
	var cmd tea.Cmd
	d.name, cmd = d.name.Update(msg)
	return d, cmd
}

// profilePrefix is how a profile is named on the command line.
const profilePrefix = "@"

// View draws the form.
func (d *profileDialog) View() string {
	st := d.styles()
	if d.restyled() {
		d.name.SetStyles(st.TextInput())
	}
	cw := d.contentWidth()
	body := []string{inputRow(st, "Name", true, &d.name, cw)}
	body = append(body, formFooter(st, d.err, cw,
		"Saves "+d.target+" with this session's flags to your config.toml; no secret is written, only where it comes from. "+
			"Then: smtpscope connect @NAME.")...)
	hints := hintLine(st, withHelp(d.keys().Submit, "save"), d.keys().Cancel)
	return d.render("Save as a profile", body, hints)
}
