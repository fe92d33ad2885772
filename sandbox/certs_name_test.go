package sandbox

import (
	"strings"
	"testing"
)

// TestCANameNeedsNoQuoting: the sandbox CA's name is shown in the TLS tab,
// probe and doctor; a comma or plus in it would be escaped or quoted.
func TestCANameNeedsNoQuoting(t *testing.T) {
	for _, name := range []string{caCommonName, caOrg} {
		if strings.ContainsAny(name, ",+\"\\;") {
			t.Errorf("%q holds a character that certificate names quote", name)
		}
	}
}
