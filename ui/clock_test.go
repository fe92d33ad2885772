package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/themes"
)

// clockLine matches the only text on a screen that may change with the
// day it is drawn: how far a certificate date is from now, and the Date
// and Message-ID headers smtpscope writes into a new message.
var clockLine = regexp.MustCompile(`expired \d+ days? ago|expires in (\d+ days?|less than a day)|starts in \d+ days?|Date: |Message-ID: <\d+\.`)

// tenYears is how far ahead the far-future clock runs.
const tenYears = 10

// sameExceptClock fails unless got and want have the same lines, apart
// from lines that show a relative date in both.
func sameExceptClock(t *testing.T, name, got, want string) {
	t.Helper()
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	if len(g) != len(w) {
		t.Errorf("%s: %d lines ten years ahead, %d in the golden file:\n%s", name, len(g), len(w), got)
		return
	}
	for i := range g {
		if g[i] != w[i] && !(clockLine.MatchString(g[i]) && clockLine.MatchString(w[i])) {
			t.Errorf("%s line %d changes with the date:\n  golden: %q\n  future: %q", name, i+1, w[i], g[i])
		}
	}
}

// TestGoldensHoldOnAnyDay draws every golden screen and panel again with
// the clock ten years ahead. Only relative dates may change: a golden
// that depends on the day it runs fails here, whatever today is.
func TestGoldensHoldOnAnyDay(t *testing.T) {
	future := func() time.Time { return fixedNow().AddDate(tenYears, 0, 0) }
	for _, sc := range goldenScreens() {
		for _, size := range goldenSizes {
			name := fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				m, _ := newTestModelAt(t, size[0], size[1], future)
				sc.setup(m)
				want, err := os.ReadFile(screenGoldenPath(sc.name, size[0], size[1]))
				if err != nil {
					t.Fatal(err)
				}
				sameExceptClock(t, name, plain(m)+"\n", string(want))
			})
		}
	}
	panelFuture := func() time.Time { return panelNow.AddDate(tenYears, 0, 0) }
	for _, size := range []struct{ w, h int }{{44, 30}, {34, 20}} {
		p := fullPanelAt(t, themes.Dark(), size.w, size.h, panelFuture)
		for tab := TabExplain; tab < numTabs; tab++ {
			name := fmt.Sprintf("panel_%s_%dx%d", strings.ToLower(tab.String()), size.w, size.h)
			want, err := os.ReadFile(filepath.Join("testdata", name+".golden"))
			if err != nil {
				t.Fatal(err)
			}
			sameExceptClock(t, name, ansi.Strip(renderTab(p, tab))+"\n", string(want))
		}
	}
}

// TestCertificateAgeFollowsTheClock checks the far-future clock reaches
// the TLS tab: without it the test above would pass on a screen that
// ignores the injected clock.
func TestCertificateAgeFollowsTheClock(t *testing.T) {
	future := func() time.Time { return fixedNow().AddDate(tenYears, 0, 0) }
	m, _ := newTestModelAt(t, 120, 40, future)
	feed(m, withTLS(afterEHLO()))
	m.panel.SetTab(TabTLS)
	// The test certificate ended on 2025-06-12; ten years after the test
	// clock (2025-03-14) it is more than 3500 days past.
	notAfter := testTLSInfo().Chain[0].NotAfter
	want := fmt.Sprintf("expired %d days ago", int(future().Sub(notAfter)/(24*time.Hour)))
	if got := plain(m); !strings.Contains(got, want) || !strings.Contains(want, "35") {
		t.Errorf("the TLS tab does not count from the injected clock:\n%s", got)
	}
}
