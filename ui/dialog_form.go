package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/themes"
)

// newInput returns a one-line text input styled by the theme, with a
// steady cursor (a blinking one would make every frame different).
func newInput(st *themes.Styles, value, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.SetStyles(st.TextInput())
	in.SetValue(value)
	in.CursorEnd()
	return in
}

// labelCell renders a field label padded to the label column, in the
// focused style when the field has focus, with a marker in front so that
// focus shows without colour too.
func labelCell(st *themes.Styles, label string, focused bool) string {
	mark, style := "  ", st.FieldLabel
	if focused {
		mark, style = "› ", st.FieldFocused
	}
	cell := mark + label
	pad := max(1, dialogLabelWidth+2-ansi.StringWidth(cell))
	return style.Render(cell) + strings.Repeat(" ", pad)
}

// labelCellWidth is the width labelCell takes for ordinary labels.
const labelCellWidth = dialogLabelWidth + 2

// inputRow renders "› Label  [input]" with the input sized to the rest of
// the line.
func inputRow(st *themes.Styles, label string, focused bool, in *textinput.Model, cw int) string {
	in.SetWidth(max(1, cw-labelCellWidth-1))
	return labelCell(st, label, focused) + in.View()
}

// choiceRow renders a label and a set of options with the chosen one
// highlighted, wrapping onto more lines under the options column when
// they do not fit.
func choiceRow(st *themes.Styles, label string, focused bool, options []string, chosen, cw int) []string {
	var lines []string
	line := labelCell(st, label, focused)
	indent := strings.Repeat(" ", labelCellWidth)
	for i, o := range options {
		// Brackets mark the choice in every theme, so it shows without
		// colour and when the row does not have the focus.
		style, cell := st.Value, " "+o+" "
		if i == chosen {
			style, cell = st.Value.Bold(true), "["+o+"]"
			if focused {
				style = st.ButtonFocused.UnsetPadding()
			}
		}
		cell = style.Render(cell)
		if ansi.StringWidth(line) > labelCellWidth && ansi.StringWidth(line)+1+ansi.StringWidth(cell) > cw {
			lines = append(lines, line)
			line = indent
		}
		if ansi.StringWidth(line) > labelCellWidth {
			line += " "
		}
		line += cell
	}
	return append(lines, line)
}

// toggleRow renders a label and an on/off box: "[x] on" or "[ ] off".
func toggleRow(st *themes.Styles, label string, focused, on bool, text string) string {
	box := "[ ] "
	if on {
		box = "[x] "
	}
	style := st.Value
	if focused {
		style = st.ButtonFocused.UnsetPadding()
	}
	return labelCell(st, label, focused) + style.Render(box+text)
}

// formFooter ends a form's body: a blank line, the last error when there
// is one, and a muted note on what the form does, wrapped to width.
func formFooter(st *themes.Styles, errMsg string, width int, note string) []string {
	lines := []string{""}
	if errMsg != "" {
		lines = append(lines, wrapStyled(st.ErrorLine, errMsg, width)...)
	}
	return append(lines, wrapStyled(st.Muted, note, width)...)
}

// wrapStyled wraps plain text to width and styles each line.
func wrapStyled(style lipglossStyle, text string, width int) []string {
	lines := wrapPlain(text, width)
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

// stepChoice moves a choice index one step: back for the ToggleBack key,
// forward for any other Toggle key, wrapping around.
func stepChoice(i, n int, k tea.KeyPressMsg, keys DialogKeys) int {
	if n == 0 {
		return 0
	}
	if key.Matches(k, keys.ToggleBack) {
		return (i + n - 1) % n
	}
	return (i + 1) % n
}
