package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// Dialog is a small modal model. The root opens one, routes every key
// and paste to it while it is open, and draws View centred over the
// screen. A dialog finishes by returning one of the *Msg results below as
// a command; the root then closes it.
type Dialog interface {
	Update(msg tea.Msg) (Dialog, tea.Cmd)
	// View draws the dialog box. It is never wider or taller than the
	// size given to SetSize, and narrower when the content allows.
	View() string
	// SetSize gives the space the dialog may use: the screen, usually.
	SetSize(w, h int)
}

// AuthSubmitMsg asks the root to run an AUTH exchange.
type AuthSubmitMsg struct{ Req session.AuthRequest }

// MessageSubmitMsg asks the root to send a whole message. File, when not
// empty, names a file to send as the message instead of Body (the user
// typed "@path" as the body). Attachments are paths of files to attach
// to the typed Body.
type MessageSubmitMsg struct {
	From        string
	To          []string
	Subject     string
	Body        string
	File        string
	Attachments []string
}

// ConfirmPurpose says what a confirm dialog asks about, so its answer
// reaches the right action.
type ConfirmPurpose int

// The questions smtpscope asks.
const (
	confirmQuit          ConfirmPurpose = iota // quit with a mail transaction open
	confirmCleartextAuth                       // log in without TLS to a remote server
	confirmOverwrite                           // replace an existing file
)

// ConfirmMsg is the answer to a confirm dialog.
type ConfirmMsg struct {
	Purpose ConfirmPurpose
	Yes     bool
}

// DialogClosedMsg says the user closed a dialog without a result (esc).
type DialogClosedMsg struct{}

// emit returns a command that delivers msg.
func emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// Dialog box sizes: the preferred outer width, and the smallest size in
// which a box is drawn at all.
const (
	dialogWidth      = 64
	dialogWideWidth  = 76
	dialogMinWidth   = 16
	dialogMinHeight  = 5
	dialogLabelWidth = 10
)

// dialogBox holds what every dialog shares: the UI context and the size
// logic.
type dialogBox struct {
	ctx       *Context
	maxW      int // from SetSize; 0 means not set
	maxH      int
	preferred int
	watch     themeWatch
}

func newDialogBox(ctx *Context, preferred int) dialogBox {
	return dialogBox{ctx: ctx, preferred: preferred, watch: watchTheme(ctx)}
}

// styles is the current theme; it follows the context, so a theme change
// reaches a dialog that is open.
func (b *dialogBox) styles() *themes.Styles { return b.ctx.Styles }

// keys are the dialog section of the one KeyMap.
func (b *dialogBox) keys() DialogKeys { return b.ctx.Keys.Dialog }

// restyled reports, once per theme change, that inputs copied from the
// old theme must be styled again.
func (b *dialogBox) restyled() bool { return b.watch.changed(b.ctx) }

func (b *dialogBox) SetSize(w, h int) { b.maxW, b.maxH = w, h }

// outerWidth is the box's width: the preferred one, shrunk to fit.
func (b *dialogBox) outerWidth() int {
	w := b.preferred
	if b.maxW > 0 && b.maxW < w {
		w = b.maxW
	}
	return w
}

// contentWidth is the width inside border and padding.
func (b *dialogBox) contentWidth() int {
	fw, _ := b.styles().DialogBorder.GetFrameSize()
	return max(1, b.outerWidth()-fw)
}

// render draws title, body and hint line in the dialog border, each line
// fitted to the box. When the space is too short, body lines are dropped
// from the end, but the title and hints stay.
func (b *dialogBox) render(title string, body []string, hints string) string {
	w := b.outerWidth()
	fw, fh := b.styles().DialogBorder.GetFrameSize()
	if w < dialogMinWidth || (b.maxH > 0 && b.maxH < dialogMinHeight) {
		return fitBlock(b.styles().DialogTitle.Render(title), w, b.maxH)
	}
	cw := w - fw
	lines := []string{b.styles().DialogTitle.Render(title), ""}
	lines = append(lines, body...)
	lines = append(lines, "")
	hintLines := wrapPlainStyled(hints, cw)
	if b.maxH > 0 {
		avail := b.maxH - fh
		// The title always stays; hints give way to it, the body to both.
		hintLines = hintLines[:min(len(hintLines), avail-1)]
		if room := avail - len(hintLines); len(lines) > room {
			lines = lines[:room]
		}
	}
	lines = append(lines, hintLines...)
	for i, l := range lines {
		lines[i] = fitLine(l, cw)
	}
	return b.styles().DialogBorder.Render(strings.Join(lines, "\n"))
}

// fitBlock fits styled text into at most w×h cells, for screens too small
// to draw a box in.
func fitBlock(s string, w, h int) string {
	if w <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if h > 0 && len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = fitLine(l, w)
	}
	return strings.Join(lines, "\n")
}

// wrapPlainStyled splits an already styled hint line at its " · "
// separators so that each piece fits; pieces wider than width are
// truncated by fitLine later.
func wrapPlainStyled(s string, width int) []string {
	if ansi.StringWidth(s) <= width {
		return []string{s}
	}
	var out []string
	line := ""
	for _, part := range strings.Split(s, hintSep) {
		switch {
		case line == "":
			line = part
		case ansi.StringWidth(line)+ansi.StringWidth(hintSep)+ansi.StringWidth(part) <= width:
			line += hintSep + part
		default:
			out = append(out, line)
			line = part
		}
	}
	return append(out, line)
}

const hintSep = " · "

// hintLine renders key bindings as "key desc · key desc".
func hintLine(st *themes.Styles, bindings ...key.Binding) string {
	parts := make([]string, 0, len(bindings))
	for _, b := range bindings {
		h := b.Help()
		parts = append(parts, st.FooterKey.Render(h.Key)+" "+st.FooterDesc.Render(h.Desc))
	}
	return strings.Join(parts, hintSep)
}

// withHelp returns a copy of b with a different description, for hints
// that say what enter does in this dialog.
func withHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
