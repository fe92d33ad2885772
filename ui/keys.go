package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
)

// KeyMap holds every key binding of the program, in sections, one per
// part of the screen. It is built once by [DefaultKeyMap], lives in the
// shared [Context], is matched only with key.Matches, and feeds the
// footer (short help), the help dialog (full help) and the README's key
// table (see [KeyMap.Sections]). No other file names a key.
type KeyMap struct {
	Global   GlobalKeys
	Composer ComposerKeys
	Pane     PaneKeys
	Panel    PanelKeys
	Actions  ActionKeys
	Lessons  LessonKeys
	Body     BodyKeys
	Dialog   DialogKeys
	Code     CodeKeys
	Mailbox  MailboxKeys
	Proxy    ProxyKeys
	Help     HelpKeys
}

// GlobalKeys work wherever no dialog is open.
type GlobalKeys struct {
	Focus key.Binding // composer → session pane → panel
	Back  key.Binding // cancel a warning, leave the pane or panel
	Help  key.Binding
	Quit  key.Binding
}

// ComposerKeys edit and send the command line.
type ComposerKeys struct {
	Send        key.Binding
	Complete    key.Binding
	History     key.Binding // help entry for HistoryPrev and HistoryNext together
	HistoryPrev key.Binding
	HistoryNext key.Binding
	SASLPlain   key.Binding // after a 334: type the answer plain, sent base64-encoded
}

// PaneKeys move through the session pane.
type PaneKeys struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding

	Search     key.Binding // open the search prompt
	SearchRun  key.Binding // at the prompt: find
	SearchNext key.Binding
	SearchPrev key.Binding
}

// PanelKeys switch and scroll the side panel's tabs.
type PanelKeys struct {
	NextTab     key.Binding // anywhere
	TabRight    key.Binding // panel focused
	TabLeft     key.Binding // panel focused
	ScrollUp    key.Binding // anywhere
	ScrollDown  key.Binding // anywhere
	LineUp      key.Binding // panel focused
	LineDown    key.Binding // panel focused
	FocusedHelp key.Binding // help entry for the focused-panel keys
}

// ActionKeys run the multi-step parts of a session.
type ActionKeys struct {
	StartTLS   key.Binding
	Auth       key.Binding
	Message    key.Binding
	Reset      key.Binding
	Noop       key.Binding
	Reconnect  key.Binding
	Save       key.Binding
	Copy       key.Binding
	RevealUser key.Binding
	DemoCreds  key.Binding
	Export     key.Binding
	Profile    key.Binding
	Mailbox    key.Binding
	SaveChain  key.Binding

	// Offered when an event suggests it.
	ReconnectTLS      key.Binding // the port seems to want TLS from the first byte
	TrustCertificate  key.Binding // the certificate did not verify: pin it for this run
	ReconnectInsecure key.Binding // … or go on without verification

	Doctor key.Binding // a staged diagnosis of this server
}

// LessonKeys take the lessons of smtpscope learn: anywhere on a sandbox
// session, and in the lesson pane when it has the focus.
type LessonKeys struct {
	Toggle   key.Binding // show or hide the lesson pane
	Hint     key.Binding
	Next     key.Binding
	Prev     key.Binding
	List     key.Binding // the list of lessons, to pick one (not in the DATA editor)
	Pick     key.Binding // lesson pane focused: the list of lessons
	LineUp   key.Binding // lesson pane focused
	LineDown key.Binding // lesson pane focused
}

// BodyKeys work in the DATA body editor.
type BodyKeys struct {
	Finish     key.Binding
	File       key.Binding
	Editor     key.Binding
	EndLine    key.Binding // enter: on a line holding a single "." it sends the message
	FileSubmit key.Binding // at the file prompt
	Back       key.Binding // at the file prompt: back to the editor
}

// DialogKeys are understood by every dialog.
type DialogKeys struct {
	Next       key.Binding // next field
	Prev       key.Binding // previous field
	NextInBody key.Binding // next field from a multi-line field, where ↓ moves the cursor
	PrevInBody key.Binding
	Submit     key.Binding // submit from a one-line field
	Send       key.Binding // submit from a multi-line field (the message body)
	Cancel     key.Binding // close without a result
	Toggle     key.Binding // flip a toggle or step a choice forward
	ToggleBack key.Binding // step a choice backward
	Yes        key.Binding // confirm dialogs
	No         key.Binding // confirm dialogs
}

// CodeKeys work in the exported code's viewer.
type CodeKeys struct {
	Copy key.Binding
	Save key.Binding
	Up   key.Binding
	Down key.Binding
}

// MailboxKeys work in the sandbox's mailbox view.
type MailboxKeys struct {
	Open     key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
}

// ProxyKeys work in the proxy's view: the connection list beside the
// selected connection's session.
type ProxyKeys struct {
	Up          key.Binding
	Down        key.Binding
	Open        key.Binding
	SwitchFocus key.Binding
}

// HelpKeys scroll and close the help dialog.
type HelpKeys struct {
	Close    key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
}

// DefaultKeyMap returns the bindings smtpscope ships with. Control keys
// are chosen so that none collides with the composer's line editing keys
// that people use most (ctrl+w, ctrl+k, ctrl+e, arrows).
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Global: GlobalKeys{
			Focus: bind("shift+tab", "focus: composer, pane, panel", "shift+tab"),
			Back:  bind("esc", "cancel; back to the composer", "esc"),
			Help:  bind("? or f1", "all keys", "?", "f1"),
			Quit:  bind("ctrl+q or ctrl+c", "quit (asks if a message is open)", "ctrl+q", "ctrl+c"),
		},
		Composer: ComposerKeys{
			Send:        bind("enter", "send (again: despite a warning)", "enter"),
			Complete:    bind("tab", "complete; again: next one", "tab"),
			History:     bind("↑ / ↓", "command history", "up", "down"),
			HistoryPrev: key.NewBinding(key.WithKeys("up")),
			HistoryNext: key.NewBinding(key.WithKeys("down")),
			SASLPlain:   bind("ctrl+b", "334: answer in plain text", "ctrl+b"),
		},
		Pane: PaneKeys{
			Up:       bind("↑ / k", "previous line", "up", "k"),
			Down:     bind("↓ / j", "next line", "down", "j"),
			PageUp:   bind("pgup", "scroll up (or the wheel)", "pgup"),
			PageDown: bind("pgdn", "scroll down", "pgdown"),
			Top:      bind("home / g", "first line", "home", "g"),
			Bottom:   bind("end / G", "follow new lines", "end", "G"),

			Search:     bind("/", "search the session", "/"),
			SearchRun:  key.NewBinding(key.WithKeys("enter")),
			SearchNext: bind("n", "next match", "n"),
			SearchPrev: bind("N", "previous match", "N"),
		},
		Panel: PanelKeys{
			NextTab:     bind("ctrl+p", "next panel tab", "ctrl+p"),
			TabRight:    key.NewBinding(key.WithKeys("right", "tab")),
			TabLeft:     key.NewBinding(key.WithKeys("left")),
			ScrollUp:    bind("shift+↑", "scroll the panel up", "shift+up", "alt+up"),
			ScrollDown:  bind("shift+↓", "scroll the panel down", "shift+down", "alt+down"),
			LineUp:      key.NewBinding(key.WithKeys("up", "k")),
			LineDown:    key.NewBinding(key.WithKeys("down", "j")),
			FocusedHelp: bind("← / →", "tabs (panel focused)", "left", "right"),
		},
		Actions: ActionKeys{
			StartTLS:   bind("ctrl+t", "STARTTLS, then EHLO", "ctrl+t"),
			Auth:       bind("ctrl+a", "AUTH (log in)", "ctrl+a"),
			Message:    bind("ctrl+n", "send a message", "ctrl+n"),
			Reset:      bind("alt+r", "RSET", "alt+r"),
			Noop:       bind("alt+n", "NOOP", "alt+n"),
			Reconnect:  bind("ctrl+r", "reconnect", "ctrl+r"),
			Save:       bind("ctrl+s", "save the transcript", "ctrl+s"),
			Copy:       bind("ctrl+y", "copy the transcript", "ctrl+y"),
			RevealUser: bind("alt+u", "show the AUTH username", "alt+u"),
			DemoCreds:  bind("ctrl+d", "sandbox demo logins", "ctrl+d"),
			Export:     bind("alt+e", "export as swaks, curl, Python…", "alt+e"),
			Profile:    bind("alt+p", "save as a profile", "alt+p"),
			Mailbox:    bind("alt+m", "the sandbox's mailbox", "alt+m"),
			SaveChain:  bind("alt+c", "save the TLS chain (PEM)", "alt+c"),

			ReconnectTLS:      bind("alt+t", "reconnect with TLS from the first byte", "alt+t"),
			TrustCertificate:  bind("alt+k", "trust this certificate for this run", "alt+k"),
			ReconnectInsecure: bind("alt+i", "reconnect without verifying", "alt+i"),

			Doctor: bind("alt+g", "doctor: diagnose this server", "alt+g"),
		},
		Lessons: LessonKeys{
			Toggle:   bind("ctrl+l", "show/hide lessons", "ctrl+l"),
			Hint:     bind("alt+h", "one more hint", "alt+h"),
			Next:     bind("alt+.", "next lesson", "alt+."),
			Prev:     bind("alt+,", "previous lesson", "alt+,"),
			List:     bind("alt+l", "pick a lesson", "alt+l"),
			Pick:     key.NewBinding(key.WithKeys("enter")),
			LineUp:   key.NewBinding(key.WithKeys("up", "k")),
			LineDown: key.NewBinding(key.WithKeys("down", "j")),
		},
		Body: BodyKeys{
			Finish:     bind("ctrl+d", "send the message", "ctrl+d"),
			File:       bind("ctrl+o", "send a file instead", "ctrl+o"),
			Editor:     bind("ctrl+x", "edit in $EDITOR", "ctrl+x"),
			EndLine:    bind("enter on .", "a lone . ends it", "enter"),
			FileSubmit: bind("enter", "send the file", "enter"),
			Back:       bind("esc", "back to the editor", "esc"),
		},
		Dialog: DialogKeys{
			Next:       bind("tab", "next field", "tab", "down"),
			Prev:       bind("shift+tab", "previous field", "shift+tab", "up"),
			NextInBody: key.NewBinding(key.WithKeys("tab")),
			PrevInBody: key.NewBinding(key.WithKeys("shift+tab")),
			Submit:     bind("enter", "submit", "enter"),
			Send:       bind("ctrl+d", "send (message form)", "ctrl+d"),
			Cancel:     bind("esc", "cancel", "esc"),
			Toggle:     bind("space/←→", "change a choice", "space", "right", "left"),
			ToggleBack: key.NewBinding(key.WithKeys("left")),
			Yes:        bind("y", "yes", "y", "Y"),
			No:         bind("n", "no", "n", "N"),
		},
		Code: CodeKeys{
			Copy: bind("ctrl+y", "copy", "ctrl+y"),
			Save: bind("ctrl+s", "save to the file", "ctrl+s"),
			Up:   bind("↑↓", "scroll", "up"),
			Down: key.NewBinding(key.WithKeys("down")),
		},
		Mailbox: MailboxKeys{
			Open:     bind("enter", "open", "enter"),
			Up:       bind("↑↓", "move", "up", "k"),
			Down:     key.NewBinding(key.WithKeys("down", "j")),
			PageUp:   key.NewBinding(key.WithKeys("pgup")),
			PageDown: key.NewBinding(key.WithKeys("pgdown", "space")),
		},
		Proxy: ProxyKeys{
			Up:          bind("↑↓", "choose a connection (list focused)", "up", "k"),
			Down:        key.NewBinding(key.WithKeys("down", "j")),
			Open:        bind("enter", "view the connection", "enter"),
			SwitchFocus: bind("tab", "list ↔ connection view", "tab"),
		},
		Help: HelpKeys{
			Close:    bind("esc", "close", "esc", "q", "?", "f1", "enter"),
			Up:       bind("↑↓", "scroll", "up", "k", "shift+tab"),
			Down:     key.NewBinding(key.WithKeys("down", "j", "tab")),
			PageUp:   key.NewBinding(key.WithKeys("pgup")),
			PageDown: key.NewBinding(key.WithKeys("pgdown", "space")),
			Top:      key.NewBinding(key.WithKeys("home", "g")),
			Bottom:   key.NewBinding(key.WithKeys("end", "G")),
		},
	}
}

// bind makes a binding with its help entry.
func bind(helpKey, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
}

// short returns b with a shorter description, for the footer.
func short(b key.Binding, desc string) key.Binding { return withHelp(b, desc) }

// KeySection is one titled group of bindings with help, as the help
// dialog and the README's key table show them.
type KeySection struct {
	Title    string
	Bindings []key.Binding
}

// Sections lists every binding that has a help entry, grouped the way
// people look for them: the README's key table.
func (k KeyMap) Sections() []KeySection {
	all := k.SessionSections()
	return append(all[:len(all)-1:len(all)-1], k.proxySection(), all[len(all)-1])
}

// proxySection is the proxy view's own keys.
func (k KeyMap) proxySection() KeySection {
	return KeySection{"Proxy view", []key.Binding{k.Proxy.Up, k.Proxy.Open, k.Proxy.SwitchFocus}}
}

// ProxySections are the keys of the proxy view's help: its own, and those
// of the read-only session view beside it.
func (k KeyMap) ProxySections() []KeySection {
	return []KeySection{
		k.proxySection(),
		{"Session pane", []key.Binding{k.Pane.Up, k.Pane.Down, k.Pane.PageUp, k.Pane.PageDown, k.Pane.Top, k.Pane.Bottom,
			k.Pane.Search, k.Pane.SearchNext, k.Pane.SearchPrev}},
		{"Side panel", []key.Binding{k.Panel.NextTab, k.Panel.FocusedHelp, withHelp(k.Global.Focus, "focus: session pane ↔ panel"),
			k.Panel.ScrollUp, k.Panel.ScrollDown}},
		{"Actions", []key.Binding{k.Actions.Save, k.Actions.Copy, k.Actions.Export, k.Actions.SaveChain}},
		{"Program", []key.Binding{k.Global.Help, withHelp(k.Global.Quit, "quit (stops the proxy)")}},
	}
}

// SessionSections are the keys of a session's help dialog.
func (k KeyMap) SessionSections() []KeySection {
	return []KeySection{
		{"Composer", []key.Binding{k.Composer.Send, k.Composer.Complete, k.Composer.History, k.Composer.SASLPlain, k.Global.Back, k.Global.Focus}},
		{"Session pane", []key.Binding{k.Pane.Up, k.Pane.Down, k.Pane.PageUp, k.Pane.PageDown, k.Pane.Top, k.Pane.Bottom,
			k.Pane.Search, k.Pane.SearchNext, k.Pane.SearchPrev}},
		{"Side panel", []key.Binding{k.Panel.NextTab, k.Panel.FocusedHelp, k.Panel.ScrollUp, k.Panel.ScrollDown}},
		{"Actions", []key.Binding{k.Actions.StartTLS, k.Actions.Auth, k.Actions.Message, k.Actions.Reset, k.Actions.Noop,
			k.Actions.Reconnect, k.Actions.Save, k.Actions.Copy, k.Actions.Export, k.Actions.Profile, k.Actions.Mailbox, k.Actions.SaveChain,
			k.Actions.ReconnectTLS, k.Actions.TrustCertificate, k.Actions.ReconnectInsecure,
			k.Actions.Doctor, k.Actions.RevealUser, k.Actions.DemoCreds}},
		{"DATA editor", []key.Binding{k.Body.Finish, k.Body.EndLine, k.Body.File, k.Body.Editor}},
		{"In dialogs", []key.Binding{k.Dialog.Submit, k.Dialog.Send, k.Dialog.Next, k.Dialog.Prev, k.Dialog.Toggle, k.Dialog.Cancel, k.Dialog.Yes, k.Dialog.No}},
		{"Lessons", []key.Binding{k.Lessons.Toggle, k.Lessons.Hint, k.Lessons.Next, k.Lessons.Prev, k.Lessons.List}},
		{"Program", []key.Binding{k.Global.Help, k.Global.Quit}},
	}
}

// ShortHelp is the footer line: the keys a newcomer needs first.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		short(k.Composer.Send, "send"), short(k.Composer.Complete, "complete"), short(withKeyHelp(k.Composer.History, "↑↓"), "history"),
		short(k.Actions.StartTLS, "STARTTLS"), short(k.Actions.Auth, "AUTH"), short(k.Actions.Message, "send message"),
		short(k.Actions.Save, "save"), short(withKeyHelp(k.Global.Help, "?"), "help"),
	}
}

// FullHelp is every section's bindings, one column per section.
func (k KeyMap) FullHelp() [][]key.Binding {
	sections := k.SessionSections()
	out := make([][]key.Binding, len(sections))
	for i, s := range sections {
		out[i] = s.Bindings
	}
	return out
}

// HelpGroupTitles names the columns of [KeyMap.FullHelp].
func (k KeyMap) HelpGroupTitles() []string {
	sections := k.SessionSections()
	out := make([]string, len(sections))
	for i, s := range sections {
		out[i] = s.Title
	}
	return out
}

// dataHelp is the footer while the DATA body editor is open.
type dataHelp struct {
	k     KeyMap
	chunk bool // a BDAT chunk typed by hand: no file, no "." line
}

func (d dataHelp) ShortHelp() []key.Binding {
	b := d.k.Body
	if d.chunk {
		return []key.Binding{short(b.Finish, "send the chunk"), short(b.Editor, "$EDITOR"),
			short(d.k.Global.Back, "how to finish"), short(withKeyHelp(d.k.Global.Help, "f1"), "help")}
	}
	return []key.Binding{short(b.Finish, "send body"), short(b.File, "send a file"), short(b.Editor, "$EDITOR"),
		short(d.k.Global.Back, "how to finish"), short(withKeyHelp(d.k.Global.Help, "f1"), "help")}
}

func (d dataHelp) FullHelp() [][]key.Binding { return d.k.FullHelp() }

// paneHelp is the footer while the session pane has the focus; the
// username key only once a login has put a username in the pane.
type paneHelp struct {
	k    KeyMap
	user bool
}

func (p paneHelp) ShortHelp() []key.Binding {
	pk := p.k.Pane
	out := []key.Binding{short(withKeyHelp(pk.Up, "↑/k"), "previous line"), short(withKeyHelp(pk.Down, "↓/j"), "next line"),
		short(pk.PageUp, "scroll up"), short(withKeyHelp(pk.Bottom, "end"), "follow new lines")}
	if p.user {
		out = append(out, short(p.k.Actions.RevealUser, "reveal username"))
	}
	return append(out, short(p.k.Global.Focus, "focus"),
		short(p.k.Global.Back, "back to composer"), short(withKeyHelp(p.k.Global.Help, "?"), "help"))
}

func (p paneHelp) FullHelp() [][]key.Binding { return p.k.FullHelp() }

// focusedPanelHelp is the footer while the side panel has the focus:
// the keys that act there, not the composer's.
type focusedPanelHelp struct{ k KeyMap }

func (p focusedPanelHelp) ShortHelp() []key.Binding {
	pk := p.k.Panel
	return []key.Binding{short(withKeyHelp(pk.TabRight, "←→"), "tabs"), short(withKeyHelp(pk.LineDown, "↑↓"), "scroll"),
		short(p.k.Global.Focus, "focus"), short(p.k.Global.Back, "back to composer"), short(withKeyHelp(p.k.Global.Help, "?"), "help")}
}

func (p focusedPanelHelp) FullHelp() [][]key.Binding { return p.k.FullHelp() }

// lessonPaneHelp is the footer while the lesson pane has the focus.
type lessonPaneHelp struct{ k KeyMap }

func (l lessonPaneHelp) ShortHelp() []key.Binding {
	lk := l.k.Lessons
	return []key.Binding{short(withKeyHelp(lk.LineDown, "↑↓"), "scroll the lesson"), short(withKeyHelp(lk.Pick, "enter"), "lessons"),
		short(lk.Hint, "hint"), short(lk.Next, "next lesson"), short(l.k.Global.Focus, "focus"),
		short(l.k.Global.Back, "back to composer"), short(withKeyHelp(l.k.Global.Help, "?"), "help")}
}

func (l lessonPaneHelp) FullHelp() [][]key.Binding { return l.k.FullHelp() }

// lessonHelp is the footer while the lesson pane is shown.
type lessonHelp struct{ k KeyMap }

func (l lessonHelp) ShortHelp() []key.Binding {
	lk := l.k.Lessons
	return []key.Binding{short(l.k.Composer.Send, "send"), short(lk.Hint, "hint"), short(lk.Next, "next lesson"),
		short(lk.List, "lessons"), short(withKeyHelp(l.k.Global.Help, "?"), "help"),
		short(l.k.Composer.Complete, "complete"), short(lk.Toggle, "hide")}
}

func (l lessonHelp) FullHelp() [][]key.Binding { return l.k.FullHelp() }

// withKeyHelp returns a copy of b whose help names a shorter key.
func withKeyHelp(b key.Binding, helpKey string) key.Binding {
	b.SetHelp(helpKey, b.Help().Desc)
	return b
}

// composerInputKeys are the line-editing keys of the composer's input:
// bubbles' defaults, less the ones the root uses for itself (tab, up and
// down, ctrl+a, ctrl+n, ctrl+p, ctrl+d, ctrl+b).
func composerInputKeys() textinput.KeyMap {
	km := textinput.DefaultKeyMap()
	km.CharacterBackward = key.NewBinding(key.WithKeys("left"))
	km.AcceptSuggestion = key.NewBinding(key.WithDisabled())
	km.NextSuggestion = key.NewBinding(key.WithDisabled())
	km.PrevSuggestion = key.NewBinding(key.WithDisabled())
	km.LineStart = key.NewBinding(key.WithKeys("home"))
	km.DeleteCharacterForward = key.NewBinding(key.WithKeys("delete"))
	return km
}

// bodyAreaKeys are the DATA editor's editing keys: ctrl+d finishes the
// message, so delete alone deletes forward, and home (not ctrl+a) goes
// to the start of the line.
func bodyAreaKeys() textarea.KeyMap {
	km := textarea.DefaultKeyMap()
	km.DeleteCharacterForward = key.NewBinding(key.WithKeys("delete"))
	km.LineStart = key.NewBinding(key.WithKeys("home"))
	return km
}
