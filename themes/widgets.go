package themes

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// steadyCursor is the Blink setting of every text cursor: a blinking
// cursor would make every frame different and redraw the screen for
// nothing.
const steadyCursor = false

// TextInput returns styles for a bubbles text input drawn in this theme,
// replacing the widget's built-in colours, with a steady cursor.
func (s *Styles) TextInput() textinput.Styles {
	focused := textinput.StyleState{
		Text:        s.Input,
		Placeholder: s.Ghost,
		Suggestion:  s.Ghost,
		Prompt:      s.Prompt,
	}
	blurred := textinput.StyleState{
		Text:        s.Muted,
		Placeholder: s.Ghost,
		Suggestion:  s.Ghost,
		Prompt:      s.Muted,
	}
	return textinput.Styles{
		Focused: focused,
		Blurred: blurred,
		Cursor:  textinput.CursorStyle{Color: s.Palette.Accent, Shape: tea.CursorBlock, Blink: steadyCursor},
	}
}

// TextArea returns styles for a bubbles text area (the message body
// editor) drawn in this theme, with a steady cursor.
func (s *Styles) TextArea() textarea.Styles {
	plain := lipgloss.NewStyle()
	state := func(text lipgloss.Style) textarea.StyleState {
		return textarea.StyleState{
			Base:             plain,
			Text:             text,
			LineNumber:       s.Muted,
			CursorLineNumber: s.Muted,
			CursorLine:       text,
			EndOfBuffer:      s.Ghost,
			Placeholder:      s.Ghost,
			Prompt:           s.Muted,
			Selection:        s.Selected,
		}
	}
	return textarea.Styles{
		Focused: state(s.Input),
		Blurred: state(s.Muted),
		Cursor:  textarea.CursorStyle{Color: s.Palette.Accent, Shape: tea.CursorBlock, Blink: steadyCursor},
	}
}

// Help returns styles for the bubbles help view: keys in the key style,
// descriptions muted.
func (s *Styles) Help() help.Styles {
	return help.Styles{
		Ellipsis:       s.Muted,
		ShortKey:       s.HelpKey,
		ShortDesc:      s.HelpDesc,
		ShortSeparator: s.Muted,
		FullKey:        s.HelpKey,
		FullDesc:       s.HelpDesc,
		FullSeparator:  s.Muted,
	}
}
