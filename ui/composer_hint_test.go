package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/themes"
)

// The hint names one AUTH however many mechanisms the server offers, and
// always QUIT when it applies (a learner finishing lesson 3 looks for it).
func TestHintNamesOneAuthAndQuit(t *testing.T) {
	r, err := protocol.ParseReply("250-mx.test\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256 XOAUTH2\r\n250 PIPELINING\r\n")
	if err != nil {
		t.Fatal(err)
	}
	caps := protocol.ParseEHLO(r)
	sugs := protocol.Suggest(protocol.Snapshot{State: protocol.StateReady, Caps: caps, Extended: true})
	names := hintNames(sugs)
	if len(names) > maxHintItems || names[len(names)-1] != protocol.VerbQUIT {
		t.Fatalf("hint %q: want at most %d names ending with QUIT", names, maxHintItems)
	}
	auths := 0
	for _, n := range names {
		if len(n) >= 4 && n[:4] == "AUTH" {
			auths++
		}
	}
	if auths != 1 || !slices.Contains(names, "MAIL FROM") {
		t.Errorf("hint %q: want one AUTH and MAIL FROM", names)
	}
}

// On a narrow screen the commands keep the line; the tab reminder goes.
func TestHintDropsTheTabReminderFirst(t *testing.T) {
	c := newComposer(testContext(themes.Dark()))
	c.SetSuggestions(protocol.Suggest(protocol.Snapshot{State: protocol.StateGreeted}))
	narrow := ansi.Strip(c.hint(76))
	if strings.Contains(narrow, "(tab") || !strings.Contains(narrow, "QUIT") {
		t.Errorf("hint at 76 columns: %q", narrow)
	}
	if wide := ansi.Strip(c.hint(200)); !strings.Contains(wide, "(tab completes)") {
		t.Errorf("hint at 200 columns lacks the reminder: %q", wide)
	}
}
