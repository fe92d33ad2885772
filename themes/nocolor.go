package themes

import "charm.land/lipgloss/v2"

// NoColor returns the colourless theme used when NO_COLOR is set
// (https://no-color.org). It emits no colour at all; where meaning would
// otherwise be carried only by colour (the selection, the focused pane,
// the active tab, failures) it uses reverse video, bold, underline and
// border shapes instead.
func NoColor() *Styles {
	base := lipgloss.NewStyle()
	bold := base.Bold(true)
	reverse := base.Reverse(true)
	plainBorder := base.Border(lipgloss.RoundedBorder())

	return &Styles{
		Name:    NameNoColor,
		NoColor: true,
		Dark:    true,

		Header:      base,
		HeaderLabel: bold,
		StatusOK:    base,
		StatusBad:   bold,
		StatusWarn:  base,
		Insecure:    reverse.Bold(true),
		Sandbox:     bold,

		Footer:     base,
		FooterKey:  bold,
		FooterDesc: base,

		PaneBorder:        plainBorder,
		PaneBorderFocused: base.Border(lipgloss.ThickBorder()),

		Timestamp:   base,
		Latency:     base,
		ClientLine:  base,
		ServerLine:  base,
		ServerError: bold,
		InfoLine:    base,
		WarnLine:    base,
		ErrorLine:   bold,
		TLSMark:     base,
		Redacted:    base,
		Decoded:     base,
		Selected:    reverse,

		Prompt:             bold,
		Input:              base,
		Hint:               base,
		Ghost:              base.Faint(true),
		CompletionItem:     base,
		CompletionSelected: reverse,
		Warning:            reverse,

		PanelTitle: bold,
		Tab:        base,
		TabActive:  reverse,
		Label:      base,
		Value:      base,
		Text:       base,
		Muted:      base,
		Ref:        base,
		Added:      base,
		Removed:    base,
		Changed:    base,
		StepDone:   bold,
		StepNext:   bold,

		ClassSuccess:      bold,
		ClassIntermediate: bold,
		ClassTransient:    bold,
		ClassPermanent:    bold,

		DialogBorder:  base.Border(lipgloss.ThickBorder()).Padding(0, 1),
		DialogTitle:   bold,
		FieldLabel:    base,
		FieldFocused:  bold,
		Button:        base.Padding(0, 1),
		ButtonFocused: reverse.Padding(0, 1),
		HelpKey:       bold,
		HelpDesc:      base,
		HelpSection:   bold.Underline(true),

		ProgressFull:  base,
		ProgressEmpty: base,

		TooSmall: bold,
	}
}
