package ui

import (
	"regexp"
	"strconv"
	"strings"
)

var sgrPattern = regexp.MustCompile("\x1b\\[([0-9;:]*)m")

// hasColourSGR reports whether s sets a foreground, background or
// underline colour anywhere.
func hasColourSGR(s string) bool {
	for _, m := range sgrPattern.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, err := strconv.Atoi(p)
			if err != nil {
				continue
			}
			switch {
			case n == 38 || n == 48 || n == 58,
				n >= 30 && n <= 37, n >= 40 && n <= 47,
				n >= 90 && n <= 97, n >= 100 && n <= 107:
				return true
			}
		}
	}
	return false
}
