package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/session"
)

// autoMechanism is the first choice of the AUTH dialog: let the session
// pick the strongest mechanism the server advertised.
const autoMechanism = "auto (strongest)"

// SASL mechanisms whose secret is a token rather than a password, and
// those that need no secret at all.
var (
	tokenMechanisms    = []string{"XOAUTH2", "OAUTHBEARER"}
	noSecretMechanisms = []string{"EXTERNAL", "ANONYMOUS"}
)

// Fields of the AUTH dialog, in tab order.
const (
	authFieldMechanism = iota
	authFieldUser
	authFieldSecret
	authFieldCount
)

// authDialog asks for the mechanism, the username and the secret. The
// secret is typed into a masked input and is never drawn: View shows one
// mask character per character typed, nothing else.
type authDialog struct {
	dialogBox
	mechs  []string
	mech   int
	user   textinput.Model
	secret textinput.Model
	focus  int
	err    string
	demo   []string // the sandbox's demo logins, one a line; none on a real server
	fills  []DemoLogin
}

// DemoLogin is one of the sandbox's demo logins: public practice data,
// never a real account's.
type DemoLogin struct {
	Mechanisms []string // the mechanisms it is meant for
	Username   string
	Secret     string
}

// fillDemo puts the demo login meant for the chosen mechanism (the first
// one for "auto") into the form.
func (d *authDialog) fillDemo() {
	for _, l := range d.fills {
		if d.mech == 0 || slices.ContainsFunc(l.Mechanisms, func(m string) bool { return strings.EqualFold(m, d.mechanism()) }) {
			d.user.SetValue(l.Username)
			d.secret.SetValue(l.Secret)
			d.user.CursorEnd()
			d.secret.CursorEnd()
			d.err = ""
			return
		}
	}
	d.err = "No demo login is meant for " + d.mechanism() + "; pick another mechanism."
}

// NewAuthDialog returns the AUTH dialog. mechanisms are the ones the
// server advertised (they follow "auto (strongest)" in the choice);
// defaultUser prefills the username.
func NewAuthDialog(ctx *Context, mechanisms []string, defaultUser string) Dialog {
	d := &authDialog{
		dialogBox: newDialogBox(ctx, dialogWidth),
		mechs:     append([]string{autoMechanism}, mechanisms...),
		user:      newInput(ctx.Styles, defaultUser, "username or address"),
		secret:    newInput(ctx.Styles, "", ""),
	}
	d.secret.EchoMode = textinput.EchoPassword
	d.secret.EchoCharacter = '•'
	d.focus = authFieldUser
	if defaultUser != "" {
		d.focus = authFieldSecret
	}
	d.applyFocus()
	return d
}

func (d *authDialog) mechanism() string {
	if d.mech == 0 {
		return ""
	}
	return strings.ToUpper(d.mechs[d.mech])
}

func (d *authDialog) needsSecret() bool { return !slices.Contains(noSecretMechanisms, d.mechanism()) }

func (d *authDialog) secretLabel() string {
	if slices.Contains(tokenMechanisms, d.mechanism()) {
		return "Token"
	}
	return "Password"
}

func (d *authDialog) applyFocus() {
	d.user.Blur()
	d.secret.Blur()
	switch d.focus {
	case authFieldUser:
		d.user.Focus()
	case authFieldSecret:
		d.secret.Focus()
	}
}

// move changes focus by delta, skipping the secret when the mechanism
// needs none.
func (d *authDialog) move(delta int) {
	for range authFieldCount {
		d.focus = (d.focus + delta + authFieldCount) % authFieldCount
		if d.focus != authFieldSecret || d.needsSecret() {
			break
		}
	}
	d.applyFocus()
}

// Update handles keys and pastes; everything else goes to the focused input.
func (d *authDialog) Update(msg tea.Msg) (Dialog, tea.Cmd) {
	k, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && key.Matches(k, d.keys().Cancel):
		d.secret.SetValue("")
		return d, emit(DialogClosedMsg{})
	case isKey && key.Matches(k, d.keys().Submit):
		return d, d.submit()
	case isKey && d.focus == authFieldMechanism && key.Matches(k, d.keys().Toggle):
		d.mech = stepChoice(d.mech, len(d.mechs), k, d.keys())
		return d, nil
	case isKey && len(d.fills) > 0 && key.Matches(k, d.ctx.Keys.Actions.DemoCreds):
		d.fillDemo()
		return d, nil
	case isKey && key.Matches(k, d.keys().Next):
		d.move(1)
		return d, nil
	case isKey && key.Matches(k, d.keys().Prev):
		d.move(-1)
		return d, nil
	}
	var cmd tea.Cmd
	switch d.focus {
	case authFieldUser:
		d.user, cmd = d.user.Update(msg)
	case authFieldSecret:
		d.secret, cmd = d.secret.Update(msg)
	}
	d.err = ""
	return d, cmd
}

// submit checks the form and returns the request; the secret leaves the
// dialog in the message and is wiped from the input.
func (d *authDialog) submit() tea.Cmd {
	user := strings.TrimSpace(d.user.Value())
	mech := d.mechanism()
	switch {
	case user == "" && mech != "EXTERNAL" && mech != "ANONYMOUS":
		d.err = "Enter the username (often the full email address)."
		d.focus = authFieldUser
	case d.needsSecret() && d.secret.Value() == "":
		d.err = "Enter the " + strings.ToLower(d.secretLabel()) + "."
		d.focus = authFieldSecret
	default:
		req := session.AuthRequest{Mechanism: mech, Username: user}
		if d.needsSecret() {
			req.Secret = d.secret.Value()
		}
		d.secret.SetValue("")
		return emit(AuthSubmitMsg{Req: req})
	}
	d.applyFocus()
	return nil
}

// View draws the form. The secret input is in password mode, so only mask
// characters reach the frame.
func (d *authDialog) View() string {
	st := d.styles()
	if d.restyled() {
		d.user.SetStyles(st.TextInput())
		d.secret.SetStyles(st.TextInput())
	}
	cw := d.contentWidth()
	body := choiceRow(st, "Mechanism", d.focus == authFieldMechanism, d.mechs, d.mech, cw)
	body = append(body, "", inputRow(st, "Username", d.focus == authFieldUser, &d.user, cw))
	if d.needsSecret() {
		body = append(body, inputRow(st, d.secretLabel(), d.focus == authFieldSecret, &d.secret, cw))
	} else {
		body = append(body, labelCell(st, d.secretLabel(), false)+st.Muted.Render("not needed for "+d.mechanism()))
	}
	body = append(body, formFooter(st, d.err, cw,
		"The secret is never shown or saved; the session pane shows each AUTH step decoded, with secrets redacted.")...)
	if len(d.demo) > 0 {
		body = append(body, "")
		title := "Demo logins on this sandbox:"
		if len(d.fills) > 0 {
			title = "Demo logins on this sandbox (" + d.ctx.Keys.Actions.DemoCreds.Help().Key + " fills one in):"
		}
		body = append(body, wrapStyled(st.Label, title, cw)...)
		for _, l := range d.demo {
			body = append(body, wrapStyled(st.Muted, "• "+l, cw)...)
		}
	}
	hints := hintLine(st, withHelp(d.keys().Submit, "log in"), d.keys().Next, withHelp(d.keys().Toggle, "mechanism"), d.keys().Cancel)
	return d.render("AUTH: log in", body, hints)
}
