package ui

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// wrapSamples are server texts whose wrapping once lost characters.
var wrapSamples = []string{
	"214-2.0.0   MAIL FROM:<address> [SIZE=n BODY=8BITMIME SMTPUTF8 ...] - start a message",
	"214-2.0.0   AUTH <mechanism> [initial response] - log in; offered after STARTTLS",
	"214-2.0.0 A message goes: EHLO, (STARTTLS, EHLO, AUTH), MAIL FROM, RCPT TO, DATA, the text, a line with \".\"",
	"550-5.7.1 see https://support.google.com/mail/?p=UnsolicitedMessageError-and-more d2-20020a05600c4ec200b003e1f2 - gsmtp",
	"535 Error: 请使用授权码登录。详情请看: http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=28&&no=1001256",
	"334 cj0ra2ZvK21QWVk4NEtKalFYYWJaSDNJUk14OW4rdVFhSngzWk5MOTI5SlV3czQ0QjJocE11TEdWMm1yd2ErS0tsLHM9Y1",
	"   leading spaces -- and --double-dash flags --tls-min=1.2 -x",
}

// checkWrap fails unless lines are within width, keep every non-space
// character of text in order, and keep whole each word that fits a line.
func checkWrap(t *testing.T, text string, width int, lines []string) {
	t.Helper()
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > width && len([]rune(l)) > 1 {
			t.Errorf("width %d: line %q is %d wide", width, l, w)
		}
	}
	joined := strings.Join(lines, "\n")
	if got, want := strings.Join(strings.Fields(joined), ""), strings.Join(strings.Fields(text), ""); got != want {
		t.Errorf("width %d: characters lost or changed\n text %q\n got  %q", width, text, joined)
	}
	for _, word := range strings.Fields(text) {
		if ansi.StringWidth(word) <= width && !strings.Contains(joined, word) {
			t.Errorf("width %d: %q fits on a line but was split:\n%s", width, word, joined)
		}
	}
}

func TestWrapTextKeepsEveryCharacter(t *testing.T) {
	for _, text := range wrapSamples {
		for width := 1; width <= 130; width++ {
			checkWrap(t, text, width, wrapText(text, width))
		}
	}
}

func TestWrapTextRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("ab -/.=?&[]<>\"授权码…xyz012  ")
	for range 3000 {
		n := rng.IntN(120)
		r := make([]rune, n)
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		text := string(r)
		width := 2 + rng.IntN(60)
		checkWrap(t, text, width, wrapText(text, width))
	}
}

func TestWrapTextSplitsLongWordsAtABreak(t *testing.T) {
	got := wrapText("see https://support.google.com/mail/?p=BadCredentials", 30)
	want := []string{"see", "https://support.google.com/", "mail/?p=BadCredentials"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestPaneWrapKeepsServerText draws server lines in the session pane at
// every width the screen allows: no character of the server's text may
// go missing (as "] -" once did from a HELP line).
func TestPaneWrapKeepsServerText(t *testing.T) {
	for w := MinWidth; w <= 160; w++ {
		p := newSessionPane(testContext(themes.NoColor()))
		p.SetSize(w, 30)
		for _, text := range wrapSamples {
			i := p.Append(record{kind: session.KindServer, text: text, reply: noReply})
			var b strings.Builder
			for _, l := range p.lines(i) {
				b.WriteString(ansi.Cut(ansi.Strip(l), p.prefixWidth(), w) + " ")
			}
			if got, want := strings.Join(strings.Fields(b.String()), ""), strings.Join(strings.Fields(text), ""); got != want {
				t.Errorf("pane width %d: %q\n drawn as %q", w, text, b.String())
			}
		}
	}
}
