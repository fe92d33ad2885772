package ui

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// updatePanels rewrites the side panel's and dialogs' golden files:
// go test ./ui -run 'Panel|Dialog|Help' -update-panels. The package-wide
// -update flag, when the package defines one, does the same.
var updatePanels = flag.Bool("update-panels", false, "rewrite the panel_, dialog_ and help_ golden files in testdata/")

func shouldUpdatePanels() bool {
	if *updatePanels {
		return true
	}
	if f := flag.Lookup("update"); f != nil {
		return f.Value.String() == "true"
	}
	return false
}

// checkPanelGolden compares the text of a rendered frame, styles stripped,
// with testdata/name.golden.
func checkPanelGolden(t *testing.T, name, frame string) {
	t.Helper()
	got := ansi.Strip(frame) + "\n"
	path := filepath.Join("testdata", name+".golden")
	if shouldUpdatePanels() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update-panels to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (rerun with -update-panels and review the diff)\n--- got ---\n%s--- want ---\n%s", name, got, want)
	}
}
