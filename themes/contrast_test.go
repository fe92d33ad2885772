package themes

import (
	"image/color"
	"math"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// WCAG 2.x minimum contrast ratios (success criteria 1.4.3 and 1.4.11).
const (
	minTextContrast  = 4.5 // ordinary text
	minMutedContrast = 3.0 // secondary text, hints and borders: large-text and non-text minimum
)

// mutedRoles are the style roles allowed the lower ratio: secondary text
// that must stay readable but may step back from the ordinary text.
var mutedRoles = map[string]bool{
	"Footer": true, "FooterDesc": true, "Timestamp": true, "Latency": true, "Redacted": true,
	"Hint": true, "Ghost": true, "Tab": true, "Label": true, "Muted": true,
	"FieldLabel": true, "HelpDesc": true, "ProgressEmpty": true,
}

// relativeLuminance is WCAG 2.x's relative luminance of c.
func relativeLuminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrastRatio is WCAG 2.x's contrast ratio of two colours, 1 to 21.
func contrastRatio(a, b color.Color) float64 {
	la, lb := relativeLuminance(a), relativeLuminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func isSet(c color.Color) bool {
	_, none := c.(lipgloss.NoColor)
	return c != nil && !none
}

// TestTextContrast checks every role's text colour against the background
// it is drawn on (its own, or the terminal's the theme is made for), and
// every border against the terminal's background: at least 4.5:1 for
// text, 3:1 for secondary text and borders.
func TestTextContrast(t *testing.T) {
	for _, st := range colourThemes() {
		styleFields(st, func(name string, s lipgloss.Style) {
			bg := s.GetBackground()
			if !isSet(bg) {
				bg = st.Palette.Background
			}
			if fg := s.GetForeground(); isSet(fg) {
				want := minTextContrast
				if mutedRoles[name] {
					want = minMutedContrast
				}
				if got := contrastRatio(fg, bg); got < want {
					t.Errorf("%s: %s text contrast %.2f:1, want at least %.1f:1", st.Name, name, got, want)
				}
			}
			if b := s.GetBorderTopForeground(); isSet(b) && strings.Contains(name, "Border") {
				if got := contrastRatio(b, st.Palette.Background); got < minMutedContrast {
					t.Errorf("%s: %s border contrast %.2f:1, want at least %.1f:1", st.Name, name, got, minMutedContrast)
				}
			}
		})
	}
}

func TestContrastRatioMatchesWCAGExamples(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#FFFFFF", 21},
		{"#FFFFFF", "#FFFFFF", 1},
		{"#767676", "#FFFFFF", 4.54}, // the lightest grey that passes AA on white
		{"#9AA1A9", "#FFFFFF", 2.61},
	} {
		if got := contrastRatio(lipgloss.Color(c.a), lipgloss.Color(c.b)); math.Abs(got-c.want) > 0.02 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}
