// Package themes turns a small semantic palette into one [Styles] struct
// that every part of the user interface draws with. Colour literals live
// here and nowhere else: components take a *Styles and ask for roles
// ("a server reply", "a permanent failure"), never for colours.
package themes

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Palette is the set of semantic colours a theme is built from. Each field
// names what the colour means on screen, not what it looks like.
type Palette struct {
	// Background is the terminal background the theme is made for. It is
	// never painted (the terminal's own shows); the contrast of every text
	// colour is measured against it.
	Background  color.Color
	Fg          color.Color // ordinary text
	Muted       color.Color // secondary text: timestamps, hints, descriptions
	Subtle      color.Color // the faintest text: ghost completions, empty bars
	Accent      color.Color // titles, active tabs, focused things
	Client      color.Color // what the user sent (C: lines)
	Server      color.Color // what the server said (S: lines)
	Info        color.Color // informational notes from smtpscope itself
	Warn        color.Color // warnings and transient (4yz) failures
	Error       color.Color // errors and permanent (5yz) failures
	OK          color.Color // success (2yz), verified TLS
	Pending     color.Color // intermediate (3yz) replies: 334, 354
	Secure      color.Color // the TLS mark on protected lines
	Decoded     color.Color // text smtpscope decoded for the reader (334 prompts)
	Link        color.Color // RFC references
	Border      color.Color // pane borders
	BorderFocus color.Color // the border of the focused pane or dialog
	HeaderBg    color.Color // the header bar's background
	HeaderFg    color.Color // the header bar's text
	SelectionBg color.Color // the selected line or item
	SelectionFg color.Color // text on the selection
	BannerBg    color.Color // background of the sequence-warning banner
	BannerFg    color.Color // text on the warning banner
}

// hex is a short alias to keep the palette tables readable.
func hex(s string) color.Color { return lipgloss.Color(s) }

// darkPalette suits terminals with a dark background.
func darkPalette() Palette {
	return Palette{
		Background:  hex("#000000"),
		Fg:          hex("#DADADA"),
		Muted:       hex("#8A8A8A"),
		Subtle:      hex("#7A7A7A"),
		Accent:      hex("#B48EFF"),
		Client:      hex("#7DCFFF"),
		Server:      hex("#C3E88D"),
		Info:        hex("#82AAFF"),
		Warn:        hex("#FFC777"),
		Error:       hex("#FF757F"),
		OK:          hex("#4FD6BE"),
		Pending:     hex("#7AA2F7"),
		Secure:      hex("#4FD6BE"),
		Decoded:     hex("#FCA7EA"),
		Link:        hex("#65BCFF"),
		Border:      hex("#5C6394"),
		BorderFocus: hex("#B48EFF"),
		HeaderBg:    hex("#2F334D"),
		HeaderFg:    hex("#E4E4E4"),
		SelectionBg: hex("#3B4261"),
		SelectionFg: hex("#FFFFFF"),
		BannerBg:    hex("#5C3B00"),
		BannerFg:    hex("#FFE2B0"),
	}
}

// lightPalette suits terminals with a light background: darker, more
// saturated text colours so they keep their contrast on white.
func lightPalette() Palette {
	return Palette{
		Background:  hex("#FFFFFF"),
		Fg:          hex("#1F2328"),
		Muted:       hex("#636C76"),
		Subtle:      hex("#7D8590"),
		Accent:      hex("#6639BA"),
		Client:      hex("#0550AE"),
		Server:      hex("#116329"),
		Info:        hex("#0969DA"),
		Warn:        hex("#8A5A00"),
		Error:       hex("#C21F2B"),
		OK:          hex("#177030"),
		Pending:     hex("#0550AE"),
		Secure:      hex("#177030"),
		Decoded:     hex("#A0008C"),
		Link:        hex("#0969DA"),
		Border:      hex("#848D97"),
		BorderFocus: hex("#6639BA"),
		HeaderBg:    hex("#E6E9EF"),
		HeaderFg:    hex("#1F2328"),
		SelectionBg: hex("#DDF4FF"),
		SelectionFg: hex("#0A0A0A"),
		BannerBg:    hex("#FFF1C2"),
		BannerFg:    hex("#4D2D00"),
	}
}

// highContrastPalette uses the brightest pairs: pure white and black and
// fully saturated hues, for low vision and washed-out displays.
func highContrastPalette() Palette {
	return Palette{
		Background:  hex("#000000"),
		Fg:          hex("#FFFFFF"),
		Muted:       hex("#D0D0D0"),
		Subtle:      hex("#B0B0B0"),
		Accent:      hex("#FFFF00"),
		Client:      hex("#00FFFF"),
		Server:      hex("#00FF00"),
		Info:        hex("#5FD7FF"),
		Warn:        hex("#FFFF00"),
		Error:       hex("#FF5F5F"),
		OK:          hex("#00FF00"),
		Pending:     hex("#5FD7FF"),
		Secure:      hex("#00FF00"),
		Decoded:     hex("#FF87FF"),
		Link:        hex("#87D7FF"),
		Border:      hex("#FFFFFF"),
		BorderFocus: hex("#FFFF00"),
		HeaderBg:    hex("#000000"),
		HeaderFg:    hex("#FFFFFF"),
		SelectionBg: hex("#FFFF00"),
		SelectionFg: hex("#000000"),
		BannerBg:    hex("#FFFF00"),
		BannerFg:    hex("#000000"),
	}
}
