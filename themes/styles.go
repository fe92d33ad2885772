package themes

import "charm.land/lipgloss/v2"

// Styles holds a ready-made lipgloss style for every role in the user
// interface. Build one with [Dark], [Light], [HighContrast], [NoColor] or
// [ByName]; the fields are plain values and may be copied freely.
type Styles struct {
	Name    string  // the theme's name, as accepted by [ByName]
	NoColor bool    // true for the colourless theme (NO_COLOR)
	Dark    bool    // the theme is meant for a dark background
	Palette Palette // the colours behind the styles, for components that take raw colours; zero in the no-colour theme

	// Header and status bar.
	Header      lipgloss.Style // the whole header bar
	HeaderLabel lipgloss.Style // "smtpscope", field names in the header
	StatusOK    lipgloss.Style // "TLS 1.3 ✓ verified", "AUTH ✓"
	StatusBad   lipgloss.Style // "✗ not verified", "AUTH ✗", disconnected
	StatusWarn  lipgloss.Style // in-progress or doubtful states
	Insecure    lipgloss.Style // the loud "--insecure" mark
	Sandbox     lipgloss.Style // the "sandbox" mark in the header

	// Footer (key hints).
	Footer     lipgloss.Style // the whole footer line
	FooterKey  lipgloss.Style // a key, "ctrl+t"
	FooterDesc lipgloss.Style // what the key does, "STARTTLS"

	// Panes. Both borders have the same frame size, so focus never moves
	// the layout.
	PaneBorder        lipgloss.Style // border of an unfocused pane
	PaneBorderFocused lipgloss.Style // border of the focused pane

	// Session pane.
	Timestamp   lipgloss.Style // "12:00:01.120"
	Latency     lipgloss.Style // "+38ms"
	ClientLine  lipgloss.Style // C: lines
	ServerLine  lipgloss.Style // S: lines with a 2yz or 3yz code
	ServerError lipgloss.Style // S: lines with a 4yz or 5yz code
	InfoLine    lipgloss.Style // notes from smtpscope ("TLS handshake done")
	WarnLine    lipgloss.Style // warnings, protocol diagnostics
	ErrorLine   lipgloss.Style // connection errors, timeouts
	TLSMark     lipgloss.Style // the lock mark on TLS-protected lines
	Redacted    lipgloss.Style // "●●●●●●●● (password, redacted)"
	Decoded     lipgloss.Style // `⟶ "Username:"`, decoded 334 prompts
	Selected    lipgloss.Style // the selected line; visible in every theme

	// Composer.
	Prompt             lipgloss.Style // "smtp>"
	Input              lipgloss.Style // the text being typed
	Hint               lipgloss.Style // "next: MAIL FROM · RSET · QUIT"
	Ghost              lipgloss.Style // completion ghost text after the cursor
	CompletionItem     lipgloss.Style // an entry of the completion list
	CompletionSelected lipgloss.Style // the highlighted completion entry
	Warning            lipgloss.Style // the out-of-sequence warning banner

	// Side panel.
	PanelTitle lipgloss.Style // a section heading inside the panel
	Tab        lipgloss.Style // an inactive tab title
	TabActive  lipgloss.Style // the active tab title
	Label      lipgloss.Style // "Cipher:", field names
	Value      lipgloss.Style // the value beside a label
	Text       lipgloss.Style // running prose
	Muted      lipgloss.Style // secondary prose, empty states
	Ref        lipgloss.Style // RFC references
	Added      lipgloss.Style // a capability that appeared after STARTTLS
	Removed    lipgloss.Style // a capability that disappeared
	Changed    lipgloss.Style // a capability whose parameters changed
	StepDone   lipgloss.Style // the ✓ of a step or lesson done, on the panel's background
	StepNext   lipgloss.Style // the › of the step or lesson to do next

	// Reply classes (RFC 5321 4.2.1), for codes and their headers.
	ClassSuccess      lipgloss.Style // 2yz
	ClassIntermediate lipgloss.Style // 3yz
	ClassTransient    lipgloss.Style // 4yz
	ClassPermanent    lipgloss.Style // 5yz

	// Dialogs and help.
	DialogBorder  lipgloss.Style // the dialog box, border and padding
	DialogTitle   lipgloss.Style // its title
	FieldLabel    lipgloss.Style // a form field's label
	FieldFocused  lipgloss.Style // the label of the field that has focus
	Button        lipgloss.Style // a button or toggle
	ButtonFocused lipgloss.Style // the focused button or toggle
	HelpKey       lipgloss.Style // a key in the help view
	HelpDesc      lipgloss.Style // its description
	HelpSection   lipgloss.Style // a group heading in the help view

	// Progress bar for large message bodies.
	ProgressFull  lipgloss.Style // the done part
	ProgressEmpty lipgloss.Style // the rest

	// TooSmall is the message shown when the terminal is too small.
	TooSmall lipgloss.Style
}

// ReplyClass returns the class style for a three-digit reply code: success
// for 2yz, intermediate for 3yz, transient for 4yz, permanent for 5yz, and
// [Styles.Muted] for anything else.
func (s *Styles) ReplyClass(code int) lipgloss.Style {
	switch code / 100 {
	case 2:
		return s.ClassSuccess
	case 3:
		return s.ClassIntermediate
	case 4:
		return s.ClassTransient
	case 5:
		return s.ClassPermanent
	}
	return s.Muted
}

// ServerReply returns the style for an S: line carrying code: the error
// style for 4yz and 5yz, the ordinary server style otherwise.
func (s *Styles) ServerReply(code int) lipgloss.Style {
	if code >= 400 && code < 600 {
		return s.ServerError
	}
	return s.ServerLine
}

// build turns a palette into styles. Every colour theme goes through here,
// so the themes differ only in their colours.
func build(name string, dark bool, p Palette) *Styles {
	base := lipgloss.NewStyle()
	fg := base.Foreground(p.Fg)
	muted := base.Foreground(p.Muted)
	border := lipgloss.RoundedBorder()

	return &Styles{
		Name:    name,
		Dark:    dark,
		Palette: p,

		Header:      base.Background(p.HeaderBg).Foreground(p.HeaderFg),
		HeaderLabel: base.Background(p.HeaderBg).Foreground(p.Accent).Bold(true),
		StatusOK:    base.Background(p.HeaderBg).Foreground(p.OK),
		StatusBad:   base.Background(p.HeaderBg).Foreground(p.Error).Bold(true),
		StatusWarn:  base.Background(p.HeaderBg).Foreground(p.Warn),
		Insecure:    base.Background(p.Error).Foreground(p.Background).Bold(true),
		Sandbox:     base.Background(p.HeaderBg).Foreground(p.Decoded).Bold(true),

		Footer:     muted,
		FooterKey:  base.Foreground(p.Accent).Bold(true),
		FooterDesc: muted,

		PaneBorder:        base.Border(border).BorderForeground(p.Border),
		PaneBorderFocused: base.Border(border).BorderForeground(p.BorderFocus),

		Timestamp:   base.Foreground(p.Subtle),
		Latency:     muted,
		ClientLine:  base.Foreground(p.Client),
		ServerLine:  base.Foreground(p.Server),
		ServerError: base.Foreground(p.Error),
		InfoLine:    base.Foreground(p.Info).Italic(true),
		WarnLine:    base.Foreground(p.Warn),
		ErrorLine:   base.Foreground(p.Error).Bold(true),
		TLSMark:     base.Foreground(p.Secure),
		Redacted:    muted.Italic(true),
		Decoded:     base.Foreground(p.Decoded),
		Selected:    base.Background(p.SelectionBg).Foreground(p.SelectionFg),

		Prompt:             base.Foreground(p.Accent).Bold(true),
		Input:              fg,
		Hint:               muted,
		Ghost:              base.Foreground(p.Subtle),
		CompletionItem:     fg,
		CompletionSelected: base.Background(p.SelectionBg).Foreground(p.SelectionFg).Bold(true),
		Warning:            base.Background(p.BannerBg).Foreground(p.BannerFg),

		PanelTitle: base.Foreground(p.Accent).Bold(true),
		Tab:        muted,
		TabActive:  base.Foreground(p.Accent).Bold(true).Underline(true),
		Label:      muted,
		Value:      fg,
		Text:       fg,
		Muted:      muted,
		Ref:        base.Foreground(p.Link),
		Added:      base.Foreground(p.OK),
		Removed:    base.Foreground(p.Error),
		Changed:    base.Foreground(p.Warn),
		StepDone:   base.Foreground(p.OK).Bold(true),
		StepNext:   base.Foreground(p.Warn).Bold(true),

		ClassSuccess:      base.Foreground(p.OK).Bold(true),
		ClassIntermediate: base.Foreground(p.Pending).Bold(true),
		ClassTransient:    base.Foreground(p.Warn).Bold(true),
		ClassPermanent:    base.Foreground(p.Error).Bold(true),

		DialogBorder:  base.Border(border).BorderForeground(p.BorderFocus).Padding(0, 1),
		DialogTitle:   base.Foreground(p.Accent).Bold(true),
		FieldLabel:    muted,
		FieldFocused:  base.Foreground(p.Accent).Bold(true),
		Button:        base.Foreground(p.Fg).Background(p.HeaderBg).Padding(0, 1),
		ButtonFocused: base.Foreground(p.SelectionFg).Background(p.SelectionBg).Bold(true).Padding(0, 1),
		HelpKey:       base.Foreground(p.Accent).Bold(true),
		HelpDesc:      muted,
		HelpSection:   base.Foreground(p.Fg).Bold(true).Underline(true),

		ProgressFull:  base.Foreground(p.OK),
		ProgressEmpty: base.Foreground(p.Subtle),

		TooSmall: base.Foreground(p.Warn).Bold(true),
	}
}

// Dark returns the theme for terminals with a dark background.
func Dark() *Styles { return build(NameDark, true, darkPalette()) }

// Light returns the theme for terminals with a light background.
func Light() *Styles { return build(NameLight, false, lightPalette()) }

// HighContrast returns a theme of bright, fully saturated colours on the
// terminal's dark background, with the selection shown as black on yellow.
func HighContrast() *Styles {
	st := build(NameHighContrast, true, highContrastPalette())
	// Thicker lines make the focused pane obvious even at a glance.
	st.PaneBorderFocused = st.PaneBorderFocused.Border(lipgloss.ThickBorder())
	st.Selected = st.Selected.Bold(true)
	return st
}
