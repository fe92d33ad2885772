package themes

import (
	"fmt"
	"strings"
)

// Theme names accepted by [ByName] and the --theme flag.
const (
	NameDark         = "dark"
	NameLight        = "light"
	NameHighContrast = "high-contrast"
	NameNoColor      = "no-color"
	// NameAuto picks a theme from NO_COLOR and the terminal's background;
	// [Choose] treats it like an empty flag.
	NameAuto = "auto"
)

var constructors = []struct {
	name string
	make func() *Styles
}{
	{NameDark, Dark},
	{NameLight, Light},
	{NameHighContrast, HighContrast},
	{NameNoColor, NoColor},
}

// Names returns the theme names in the order they are documented.
func Names() []string {
	out := make([]string, len(constructors))
	for i, c := range constructors {
		out[i] = c.name
	}
	return out
}

// ByName returns the named theme. Names are case-insensitive and "nocolor",
// "no_color", "highcontrast" are accepted as spellings. An unknown name is
// an error that lists the valid ones.
func ByName(name string) (*Styles, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "nocolor", "no_color", "none", "mono":
		n = NameNoColor
	case "highcontrast", "high_contrast", "contrast":
		n = NameHighContrast
	}
	for _, c := range constructors {
		if c.name == n {
			return c.make(), nil
		}
	}
	return nil, fmt.Errorf("unknown theme %q: choose one of %s (or %s)", name,
		strings.Join(Names(), ", "), NameAuto)
}

// Choose picks the theme for a run: the --theme flag wins when given (and
// is not "auto"); otherwise NO_COLOR selects the colourless theme;
// otherwise the terminal's background chooses between dark and light.
// noColorEnv should be true when the NO_COLOR environment variable is set
// to a non-empty value, as https://no-color.org asks.
func Choose(flag string, noColorEnv bool, darkBackground bool) (*Styles, error) {
	if f := strings.TrimSpace(flag); f != "" && !strings.EqualFold(f, NameAuto) {
		return ByName(f)
	}
	switch {
	case noColorEnv:
		return NoColor(), nil
	case darkBackground:
		return Dark(), nil
	default:
		return Light(), nil
	}
}
