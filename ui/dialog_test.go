package ui

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/themes"
)

// Keys as the terminal delivers them.
var (
	keyTab      = tea.KeyPressMsg{Code: tea.KeyTab}
	keyShiftTab = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	keyEnter    = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyEsc      = tea.KeyPressMsg{Code: tea.KeyEscape}
	keyRight    = tea.KeyPressMsg{Code: tea.KeyRight}
	keySpace    = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	keyCtrlD    = tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
)

func runeKey(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// typeIntoDialog sends s key by key and calls each after every key.
func typeIntoDialog(d Dialog, s string, each func()) Dialog {
	for _, r := range s {
		d, _ = d.Update(runeKey(r))
		if each != nil {
			each()
		}
	}
	return d
}

// result runs the command a dialog returned and gives its message.
func dialogResult(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	return cmd()
}

func TestAuthDialogNeverShowsTheSecret(t *testing.T) {
	const secret = "Zq9!xK7#vW2$mP4@"
	leaks := []string{secret, base64.StdEncoding.EncodeToString([]byte(secret))}
	for i := 0; i+4 <= len(secret); i++ {
		leaks = append(leaks, secret[i:i+4])
	}
	for _, st := range []*themes.Styles{themes.Dark(), themes.NoColor()} {
		for _, size := range [][2]int{{80, 24}, {40, 12}, {120, 40}} {
			d := NewAuthDialog(testContext(st), []string{"PLAIN", "LOGIN"}, "alice@example.com")
			d.SetSize(size[0], size[1])
			check := func(when string) {
				t.Helper()
				frame := ansi.Strip(d.View())
				for _, l := range leaks {
					if strings.Contains(frame, l) {
						t.Fatalf("%s %v %s: the frame shows %q:\n%s", st.Name, size, when, l, frame)
					}
				}
			}
			check("before typing")
			d = typeIntoDialog(d, secret, func() { check("while typing") })
			for _, k := range []tea.KeyPressMsg{keyTab, keyRight, keyRight, keyShiftTab, keyShiftTab, keyTab} {
				d, _ = d.Update(k)
				check("moving between fields: " + k.String())
			}
			d, _ = d.Update(tea.PasteMsg{Content: secret})
			check("after a paste")
			var cmd tea.Cmd
			d, cmd = d.Update(keyEnter)
			check("after submit")
			msg, ok := dialogResult(t, cmd).(AuthSubmitMsg)
			if !ok {
				t.Fatalf("enter did not submit: %#v", dialogResult(t, cmd))
			}
			if !strings.HasPrefix(msg.Req.Secret, secret) || msg.Req.Username != "alice@example.com" {
				t.Errorf("submitted user %q with a %d-byte secret; want the username and the secret typed", msg.Req.Username, len(msg.Req.Secret))
			}
			if msg.Req.Mechanism != "LOGIN" {
				t.Errorf("mechanism %q, want LOGIN, two steps right of auto", msg.Req.Mechanism)
			}
		}
	}
}

func TestAuthDialogMasksEachCharacter(t *testing.T) {
	d := NewAuthDialog(testContext(themes.NoColor()), nil, "bob")
	d.SetSize(80, 24)
	d = typeIntoDialog(d, "abc", nil)
	if frame := ansi.Strip(d.View()); !strings.Contains(frame, "•••") {
		t.Errorf("the password field should show one mask per character:\n%s", frame)
	}
}

func TestAuthDialogMechanismAndValidation(t *testing.T) {
	d := NewAuthDialog(testContext(themes.Dark()), []string{"PLAIN", "XOAUTH2", "EXTERNAL"}, "")
	d.SetSize(80, 24)
	// Empty form: enter explains what is missing and sends nothing.
	d, cmd := d.Update(keyEnter)
	if cmd != nil {
		t.Fatalf("an empty form was submitted: %#v", cmd())
	}
	if frame := ansi.Strip(d.View()); !strings.Contains(frame, "Enter the username") {
		t.Errorf("no hint for the missing username:\n%s", frame)
	}
	d = typeIntoDialog(d, "carol", nil)
	d, cmd = d.Update(keyEnter)
	if cmd != nil {
		t.Fatalf("a form without a password was submitted: %#v", cmd())
	}
	if frame := ansi.Strip(d.View()); !strings.Contains(frame, "Enter the password") {
		t.Errorf("no hint for the missing password:\n%s", frame)
	}
	// Choose XOAUTH2: the secret becomes a token.
	d, _ = d.Update(keyTab) // secret -> mechanism
	if frame := ansi.Strip(d.View()); !strings.Contains(frame, "› Mechanism") {
		t.Fatalf("tab from the last field should reach the mechanism:\n%s", frame)
	}
	d, _ = d.Update(keyRight)
	d, _ = d.Update(keyRight)
	if frame := ansi.Strip(d.View()); !strings.Contains(frame, "Token") {
		t.Errorf("XOAUTH2 should ask for a token:\n%s", frame)
	}
	// EXTERNAL needs no secret at all.
	d, _ = d.Update(keyRight)
	d, cmd = d.Update(keyEnter)
	msg, ok := dialogResult(t, cmd).(AuthSubmitMsg)
	if !ok || msg.Req.Mechanism != "EXTERNAL" || msg.Req.Secret != "" {
		t.Errorf("EXTERNAL submit = %#v", dialogResult(t, cmd))
	}
	// auto (strongest) sends an empty mechanism.
	d, _ = d.Update(keyRight)
	d, _ = d.Update(keyTab)
	d, _ = d.Update(keyTab)
	d = typeIntoDialog(d, "pw", nil)
	_, cmd = d.Update(keyEnter)
	if msg, ok := dialogResult(t, cmd).(AuthSubmitMsg); !ok || msg.Req.Mechanism != "" {
		t.Errorf("auto submit = %#v, want an empty mechanism", dialogResult(t, cmd))
	}
}

func TestDialogsCloseOnEsc(t *testing.T) {
	for name, d := range testDialogs() {
		_, cmd := d.Update(keyEsc)
		got := dialogResult(t, cmd)
		switch name {
		case "confirm":
			if m, ok := got.(ConfirmMsg); !ok || m.Yes {
				t.Errorf("%s: esc = %#v, want ConfirmMsg{Yes: false}", name, got)
			}
		default:
			if _, ok := got.(DialogClosedMsg); !ok {
				t.Errorf("%s: esc = %#v, want DialogClosedMsg", name, got)
			}
		}
	}
}

func TestMessageDialog(t *testing.T) {
	d := NewMessageDialog(testContext(themes.Dark()), "me@example.com", "")
	d.SetSize(100, 30)
	// Focus starts on To because From is filled.
	d = typeIntoDialog(d, "a@example.com, <b@example.com>", nil)
	d, _ = d.Update(keyTab)
	d = typeIntoDialog(d, "Hello", nil)
	d, _ = d.Update(keyTab)
	d, _ = d.Update(keyTab) // no attachment
	d = typeIntoDialog(d, "line one", nil)
	d, _ = d.Update(keyEnter) // a new line in the body, not a submit
	d = typeIntoDialog(d, ".dot", nil)
	_, cmd := d.Update(keyCtrlD)
	msg, ok := dialogResult(t, cmd).(MessageSubmitMsg)
	if !ok {
		t.Fatalf("ctrl+d did not send: %#v", dialogResult(t, cmd))
	}
	want := MessageSubmitMsg{From: "me@example.com", To: []string{"a@example.com", "b@example.com"}, Subject: "Hello", Body: "line one\n.dot"}
	if fmt.Sprint(msg) != fmt.Sprint(want) {
		t.Errorf("submitted %#v\nwant %#v", msg, want)
	}
}

func TestMessageDialogFileBodyAndValidation(t *testing.T) {
	d := NewMessageDialog(testContext(themes.Dark()), "", "")
	d.SetSize(80, 24)
	d, cmd := d.Update(keyCtrlD)
	if cmd != nil {
		t.Fatalf("a message without recipients was sent: %#v", cmd())
	}
	if frame := ansi.Strip(d.View()); !strings.Contains(frame, "at least one address") {
		t.Errorf("no hint for the missing recipient:\n%s", frame)
	}
	d = typeIntoDialog(d, "x@example.com", nil)
	d, _ = d.Update(keyTab)
	d, _ = d.Update(keyTab)
	d, _ = d.Update(keyTab)
	d = typeIntoDialog(d, "@testdata/msg.eml", nil)
	_, cmd = d.Update(keyCtrlD)
	msg, ok := dialogResult(t, cmd).(MessageSubmitMsg)
	if !ok || msg.File != "testdata/msg.eml" || msg.Body != "" || msg.From != "" {
		t.Errorf("@path body = %#v, want File set and an empty null sender", dialogResult(t, cmd))
	}
}

func TestSaveDialog(t *testing.T) {
	d := NewSaveDialog(testContext(themes.Dark()), "smtpscope-transcript.txt")
	d.SetSize(80, 24)
	_, cmd := d.Update(keyEnter)
	if msg, ok := dialogResult(t, cmd).(SaveSubmitMsg); !ok || msg.Format != SaveText || msg.ShowUsername || msg.Path != "smtpscope-transcript.txt" {
		t.Errorf("default save = %#v; want text, username hidden", dialogResult(t, cmd))
	}
	if frame := ansi.Strip(d.View()); !strings.Contains(frame, "[ ]") || !strings.Contains(frame, "never saved") {
		t.Errorf("the reveal toggle should start off and the note should promise secrets are not saved:\n%s", frame)
	}
	d, _ = d.Update(keyTab)
	d, _ = d.Update(keySpace) // format -> JSON lines, path follows
	d, _ = d.Update(keyTab)
	d, _ = d.Update(keySpace) // reveal the username
	_, cmd = d.Update(keyEnter)
	want := SaveSubmitMsg{Path: "smtpscope-transcript.jsonl", Format: SaveJSONL, ShowUsername: true}
	if msg, ok := dialogResult(t, cmd).(SaveSubmitMsg); !ok || msg != want {
		t.Errorf("save = %#v, want %#v", dialogResult(t, cmd), want)
	}
	// The report has its own toggles: the username one is gone (user
	// names are always hidden there).
	d, _ = d.Update(keyShiftTab)
	d, _ = d.Update(keySpace) // format -> bug report
	d, _ = d.Update(keyTab)
	d, _ = d.Update(keySpace) // hide addresses
	if frame := ansi.Strip(d.View()); strings.Contains(frame, "write the AUTH username") || !strings.Contains(frame, "hide mail addresses") {
		t.Errorf("the report's toggles should replace the username toggle:\n%s", frame)
	}
	_, cmd = d.Update(keyEnter)
	want = SaveSubmitMsg{Path: "smtpscope-transcript.md", Format: SaveReport, ShowUsername: true, HideAddresses: true}
	if msg, ok := dialogResult(t, cmd).(SaveSubmitMsg); !ok || msg != want {
		t.Errorf("report save = %#v, want %#v", dialogResult(t, cmd), want)
	}
}

func TestSaveDialogNeedsAPath(t *testing.T) {
	d := NewSaveDialog(testContext(themes.Dark()), "")
	d.SetSize(80, 24)
	d, cmd := d.Update(keyEnter)
	if cmd != nil {
		t.Fatalf("saved without a path: %#v", cmd())
	}
	if !strings.Contains(ansi.Strip(d.View()), "Enter a file name") {
		t.Error("no hint for the missing path")
	}
}

func TestConfirmDialog(t *testing.T) {
	tests := []struct {
		keys []tea.KeyPressMsg
		want bool
	}{
		{[]tea.KeyPressMsg{runeKey('y')}, true},
		{[]tea.KeyPressMsg{runeKey('n')}, false},
		{[]tea.KeyPressMsg{keyEnter}, false}, // No has the focus at first
		{[]tea.KeyPressMsg{keyTab, keyEnter}, true},
	}
	for _, tc := range tests {
		var d Dialog = NewConfirmDialog(testContext(themes.Dark()), confirmQuit, "A transaction is open. Quit anyway?")
		var cmd tea.Cmd
		for _, k := range tc.keys {
			d, cmd = d.Update(k)
		}
		if m, ok := dialogResult(t, cmd).(ConfirmMsg); !ok || m.Yes != tc.want {
			t.Errorf("keys %v: got %#v, want Yes=%v", tc.keys, dialogResult(t, cmd), tc.want)
		}
	}
}

// testSections are a few key sections standing in for the KeyMap's.
var testSections = []KeySection{
	{"Composer", []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")), key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete"))}},
	{"Actions", []key.Binding{key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "STARTTLS")), key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", "AUTH")),
		key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "hidden"), key.WithDisabled())}},
	{"In dialogs", []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "submit")), key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))}},
}

func TestHelpDialogListsEveryEnabledKey(t *testing.T) {
	d := newHelpDialog(testContext(themes.Dark()), testSections)
	d.SetSize(100, 30)
	frame := ansi.Strip(d.View())
	for _, want := range []string{"Composer", "Actions", "In dialogs", "enter  send", "ctrl+t  STARTTLS", "ctrl+a  AUTH", "esc"} {
		if !strings.Contains(frame, want) {
			t.Errorf("help lacks %q:\n%s", want, frame)
		}
	}
	if strings.Contains(frame, "hidden") {
		t.Errorf("a disabled binding is listed:\n%s", frame)
	}
	_, cmd := d.Update(runeKey('?'))
	if _, ok := dialogResult(t, cmd).(DialogClosedMsg); !ok {
		t.Error("? does not close the help")
	}
}

func TestHelpDialogScrollsWhenShort(t *testing.T) {
	var d Dialog = newHelpDialog(testContext(themes.Dark()), testSections)
	d.SetSize(24, 9)
	top := ansi.Strip(d.View())
	if !strings.Contains(top, "scroll") {
		t.Errorf("a help taller than the screen should say it scrolls:\n%s", top)
	}
	if !regexp.MustCompile(`Keys · 1–\d+ of \d+`).MatchString(top) {
		t.Errorf("a help taller than the screen should say which lines it shows:\n%s", top)
	}
	for range 50 {
		d, _ = d.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	bottom := ansi.Strip(d.View())
	if bottom == top || !strings.Contains(bottom, "cancel") {
		t.Errorf("scrolling down should reach the dialog keys at the end:\n%s", bottom)
	}
}

// end and home jump to the last and the first page, as in the session pane.
func TestHelpDialogEndAndHome(t *testing.T) {
	var d Dialog = newHelpDialog(testContext(themes.Dark()), testSections)
	d.SetSize(24, 9)
	top := ansi.Strip(d.View())
	d, _ = d.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	bottom := ansi.Strip(d.View())
	if bottom == top || !strings.Contains(bottom, "cancel") {
		t.Errorf("end should show the last page:\n%s", bottom)
	}
	d, _ = d.Update(tea.KeyPressMsg{Code: tea.KeyHome})
	if again := ansi.Strip(d.View()); again != top {
		t.Errorf("home should show the first page again:\n%s", again)
	}
}

func testDialogs() map[string]Dialog {
	st := themes.Dark()
	return map[string]Dialog{
		"auth":    NewAuthDialog(testContext(st), []string{"PLAIN", "LOGIN", "SCRAM-SHA-256", "XOAUTH2"}, "demo"),
		"message": NewMessageDialog(testContext(st), "demo@sandbox.test", "someone@example.com"),
		"save":    NewSaveDialog(testContext(st), "smtpscope-transcript.txt"),
		"confirm": NewConfirmDialog(testContext(st), confirmQuit, "A mail transaction is open (MAIL FROM accepted). Quit anyway?"),
		"help":    newHelpDialog(testContext(st), testSections),
	}
}

func TestDialogsFitTheirSize(t *testing.T) {
	for w := 20; w <= 160; w += 9 {
		for _, h := range []int{4, 6, 12, 24, 40} {
			for name, d := range testDialogs() {
				d.SetSize(w, h)
				lines := strings.Split(d.View(), "\n")
				if len(lines) > h {
					t.Errorf("%s at %dx%d: %d lines", name, w, h, len(lines))
				}
				for i, l := range lines {
					if lw := ansi.StringWidth(l); lw > w {
						t.Errorf("%s at %dx%d: line %d is %d wide: %q", name, w, h, i, lw, ansi.Strip(l))
					}
				}
			}
		}
	}
}

func TestDialogGoldens(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for name, d := range testDialogs() {
			d.SetSize(size[0], size[1])
			prefix := "dialog_"
			if name == "help" {
				prefix = "help_"
			}
			checkPanelGolden(t, fmt.Sprintf("%s%s_%dx%d", prefix, name, size[0], size[1]), d.View())
		}
	}
}

func TestDialogsNoColour(t *testing.T) {
	st := themes.NoColor()
	for name, d := range map[string]Dialog{
		"auth":    NewAuthDialog(testContext(st), []string{"PLAIN"}, "demo"),
		"message": NewMessageDialog(testContext(st), "a@b", "c@d"),
		"save":    NewSaveDialog(testContext(st), "t.txt"),
		"confirm": NewConfirmDialog(testContext(st), confirmQuit, "Sure?"),
		"help":    newHelpDialog(testContext(st), testSections),
	} {
		d.SetSize(80, 24)
		if out := d.View(); hasColourSGR(out) {
			t.Errorf("%s dialog emits colour in the no-color theme: %q", name, out)
		}
	}
}

// TestMessageDialogEnterMovesOnAndAddressesAreChecked fills the form with
// enter between fields and a From that is not one address.
func TestMessageDialogEnterMovesOnAndAddressesAreChecked(t *testing.T) {
	d := NewMessageDialog(testContext(themes.Dark()), "", "")
	d.SetSize(100, 30)
	d = typeIntoDialog(d, "alice@testbed.localsecond test", nil)
	d, cmd := d.Update(keyEnter)
	if cmd != nil {
		t.Fatalf("enter in From should move to To, not send: %#v", cmd())
	}
	d = typeIntoDialog(d, "bob@example.com", nil)
	d, _ = d.Update(keyEnter)
	d = typeIntoDialog(d, "Hi", nil)
	d, _ = d.Update(keyEnter)
	d, _ = d.Update(keyEnter) // no attachment
	d = typeIntoDialog(d, "body", nil)
	d, cmd = d.Update(keyCtrlD)
	if cmd != nil {
		t.Fatalf("a From that is two words was sent: %#v", cmd())
	}
	if frame := ansi.Strip(d.View()); !strings.Contains(frame, "space") {
		t.Errorf("the bad From is not explained:\n%s", frame)
	}
	md := d.(*messageDialog)
	if md.focus != msgFieldFrom {
		t.Errorf("the focus should go back to From, it is on %d", md.focus)
	}
}

// TestAuthDialogGivesTheDemoLoginsOnlyOnTheSandbox: the AUTH dialog lists
// the scenario's demo logins on the sandbox, and never on a real server.
func TestAuthDialogGivesTheDemoLoginsOnlyOnTheSandbox(t *testing.T) {
	for _, sandbox := range []bool{true, false} {
		m, _ := newTestModel(t, 120, 40)
		m.opts.Sandbox = sandbox
		feed(m, withTLS(afterEHLO()))
		press(m, "ctrl+a")
		d, ok := m.dialog.(*authDialog)
		if !ok {
			t.Fatalf("ctrl+a opened %T", m.dialog)
		}
		if got := strings.Contains(d.View(), "demo-password"); got != sandbox {
			t.Errorf("sandbox=%v: the dialog shows the demo login: %v\n%s", sandbox, got, d.View())
		}
	}
}

// TestProfileNameSuggestion: alt+p proposes the provider's name, not the
// service label every host shares, and always a name the config file
// accepts.
func TestProfileNameSuggestion(t *testing.T) {
	for host, want := range map[string]string{
		"smtp.gmail.com": "gmail", "smtp.office365.com": "office365", "smtp.mail.yahoo.com": "yahoo",
		"smtp.qq.com": "qq", "smtp.163.com": "163", "mail.example.co.uk": "example", "mail.lab.internal": "lab",
		"localhost": "localhost", "127.0.0.1": "local", "::1": "local", "[::1]": "local", "192.0.2.7": "192-0-2-7",
		"2001:db8::25": "2001-db8--25", "smtp.example.com.": "example", "smtp": "smtp", "_.example": "server",
	} {
		got := suggestProfileName(host)
		if got != want || !profileNamePattern.MatchString(got) {
			t.Errorf("suggestProfileName(%q) = %q, want %q", host, got, want)
		}
	}
}

// TestProfileDialogRefusesWhatTheConfigRefuses: a name with a dot (TOML
// would read it as a nested table) is refused in the dialog, saying
// what a name may hold, instead of failing when the file is written.
func TestProfileDialogRefusesWhatTheConfigRefuses(t *testing.T) {
	d := NewProfileDialog(testContext(themes.NoColor()), "mail.example.com:587", "mail.example")
	d, cmd := d.Update(keyPress("enter"))
	if cmd != nil {
		if _, saved := cmd().(SaveProfileMsg); saved {
			t.Fatal("a name with a dot was accepted")
		}
	}
	if view := ansi.Strip(d.View()); !strings.Contains(view, "letters, digits, '_' or '-'") {
		t.Errorf("the dialog does not say what a name may hold:\n%s", view)
	}
}

// On the sandbox, ctrl+d fills in the demo login meant for the chosen
// mechanism; the footer and the dialog say so.
func TestAuthDialogFillsTheDemoLogin(t *testing.T) {
	d := NewAuthDialog(testContext(themes.Dark()), []string{"PLAIN", "XOAUTH2"}, "").(*authDialog)
	d.demo = []string{"username demo · secret demo-password"}
	d.fills = []DemoLogin{
		{Mechanisms: []string{"PLAIN", "LOGIN"}, Username: "demo", Secret: "demo-password"},
		{Mechanisms: []string{"XOAUTH2"}, Username: "demo", Secret: "demo-token"},
	}
	d.SetSize(100, 30)
	if !strings.Contains(ansi.Strip(d.View()), "ctrl+d fills one in") {
		t.Errorf("the dialog does not say ctrl+d fills a login:\n%s", ansi.Strip(d.View()))
	}
	d.Update(keyPress("ctrl+d"))
	if d.user.Value() != "demo" || d.secret.Value() != "demo-password" {
		t.Errorf("auto: filled %q / %q", d.user.Value(), d.secret.Value())
	}
	d.mech = 2 // XOAUTH2
	d.Update(keyPress("ctrl+d"))
	if d.secret.Value() != "demo-token" {
		t.Errorf("XOAUTH2: filled secret %q, want the token", d.secret.Value())
	}
	if strings.Contains(ansi.Strip(d.View()), "demo-token") {
		t.Error("the filled secret is shown in clear")
	}
}
