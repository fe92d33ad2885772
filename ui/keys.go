package ui

import "charm.land/bubbles/v2/key"

// KeyMap holds every key binding of the program. It is built once by
// [DefaultKeyMap], matched only with key.Matches, and feeds both the footer
// (short help) and the help dialog (full help).
type KeyMap struct {
	// Composer.
	Send     key.Binding
	Complete key.Binding
	History  key.Binding // help entry only: up/down recall commands
	Cancel   key.Binding

	// Focus and scrolling.
	Focus     key.Binding
	Up        key.Binding
	Down      key.Binding
	PageUp    key.Binding
	PageDown  key.Binding
	Top       key.Binding
	Bottom    key.Binding
	NextTab   key.Binding
	PanelUp   key.Binding
	PanelDown key.Binding

	// Session actions.
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
	Help       key.Binding
	Quit       key.Binding

	// DATA body editor.
	FinishBody key.Binding
	BodyFile   key.Binding
	BodyEditor key.Binding
}

// DefaultKeyMap returns the bindings smtpscope ships with. Control keys
// are chosen so that none collides with the composer's line editing keys
// that people use most (ctrl+w, ctrl+k, ctrl+e, arrows).
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Send:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		History:  key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", "history")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel / back to composer")),

		Focus:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "focus pane/panel/composer")),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "select previous line")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "select next line")),
		PageUp:    key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll down")),
		Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home", "first line")),
		Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end", "follow new lines")),
		NextTab:   key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "next panel tab")),
		PanelUp:   key.NewBinding(key.WithKeys("alt+up", "shift+up"), key.WithHelp("shift+↑", "scroll panel up")),
		PanelDown: key.NewBinding(key.WithKeys("alt+down", "shift+down"), key.WithHelp("shift+↓", "scroll panel down")),

		StartTLS:   key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "STARTTLS")),
		Auth:       key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", "AUTH")),
		Message:    key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "send message")),
		Reset:      key.NewBinding(key.WithKeys("alt+r"), key.WithHelp("alt+r", "RSET")),
		Noop:       key.NewBinding(key.WithKeys("alt+n"), key.WithHelp("alt+n", "NOOP")),
		Reconnect:  key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reconnect")),
		Save:       key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Copy:       key.NewBinding(key.WithKeys("ctrl+y"), key.WithHelp("ctrl+y", "copy transcript")),
		RevealUser: key.NewBinding(key.WithKeys("alt+u"), key.WithHelp("alt+u", "reveal username")),
		DemoCreds:  key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "demo credentials")),
		Help:       key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", "help")),
		Quit:       key.NewBinding(key.WithKeys("ctrl+c", "ctrl+q"), key.WithHelp("ctrl+q", "quit")),

		FinishBody: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "send body")),
		BodyFile:   key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "send a file")),
		BodyEditor: key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "$EDITOR")),
	}
}

// ShortHelp is the footer line: the keys a newcomer needs first.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Send, k.Complete, k.History, k.StartTLS, k.Auth, k.Message, k.Save, k.Help}
}

// FullHelp is the help dialog, one column per group.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Send, k.Complete, k.History, k.Cancel, k.Focus, k.NextTab, k.PanelUp, k.PanelDown},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.RevealUser},
		{k.StartTLS, k.Auth, k.Message, k.Reset, k.Noop, k.Reconnect, k.DemoCreds},
		{k.FinishBody, k.BodyFile, k.BodyEditor, k.Save, k.Copy, k.Help, k.Quit},
	}
}

// dataHelp is the footer while the DATA body editor is open.
type dataHelp struct{ k KeyMap }

func (d dataHelp) ShortHelp() []key.Binding {
	return []key.Binding{d.k.FinishBody, d.k.BodyFile, d.k.BodyEditor, d.k.Cancel, d.k.Help}
}

func (d dataHelp) FullHelp() [][]key.Binding { return d.k.FullHelp() }

// paneHelp is the footer while the session pane has the focus.
type paneHelp struct{ k KeyMap }

func (p paneHelp) ShortHelp() []key.Binding {
	return []key.Binding{p.k.Up, p.k.Down, p.k.PageUp, p.k.Bottom, p.k.RevealUser, p.k.Focus, p.k.Cancel, p.k.Help}
}

func (p paneHelp) FullHelp() [][]key.Binding { return p.k.FullHelp() }

// HelpGroupTitles names the columns of [KeyMap.FullHelp] in the help dialog.
func (k KeyMap) HelpGroupTitles() []string {
	return []string{"Composer", "Session pane", "Actions", "Message and transcript"}
}
