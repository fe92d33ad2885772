package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/proxy"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// ProxySource is what the proxy view needs of a running proxy
// (*proxy.Proxy implements it).
type ProxySource interface {
	Events() <-chan []proxy.Event
	Transcript(id uint64) (*session.Transcript, bool)
	Addr() string
	TLSAddr() string
	Upstream() string
	Close() error
}

var _ ProxySource = (*proxy.Proxy)(nil)

// ProxyOptions configure a [ProxyApp].
type ProxyOptions struct {
	Proxy      ProxySource
	Styles     *themes.Styles
	ThemeFixed bool
	NoColorEnv bool
	// Insecure is --insecure: the server's certificate is not verified.
	Insecure bool
	// CAFingerprint is the SHA-256 fingerprint of the CA smtpscope signs
	// the application's certificate with.
	CAFingerprint string
	// CAFile is where --ca-out wrote that CA's certificate ("" when not).
	CAFile   string
	Version  string
	Now      func() time.Time
	Location *time.Location
}

// ProxyApp is the root model of `smtpscope proxy` on a terminal: a list
// of the application's connections beside a read-only view of the one
// selected — the same session pane and explain panel as a session of
// smtpscope's own, fed by the proxy's events.
type ProxyApp struct {
	opts ProxyOptions
	ctx  *Context
	help help.Model

	width, height int
	conns         []*proxyConn
	byID          map[uint64]*proxyConn
	sel           int  // index of the selected connection, -1 none
	listFocused   bool // keys go to the list, not the view
	status        string
	dialog        Dialog
}

// proxyConn is one proxied connection: what the list shows and the view
// that draws its session.
type proxyConn struct {
	info proxy.ConnInfo
	view *Model
}

// NewProxyApp builds the proxy view.
func NewProxyApp(opts ProxyOptions) *ProxyApp {
	ctx := NewContext(opts.Styles, opts.Now, opts.Location)
	a := &ProxyApp{opts: opts, ctx: ctx, help: help.New(), byID: map[uint64]*proxyConn{}, sel: -1, listFocused: true}
	a.help.Styles = ctx.Styles.Help()
	return a
}

// proxyEventsMsg is a batch of the proxy's events.
type proxyEventsMsg []proxy.Event

// proxyClosedMsg says the proxy's event channel is closed: it has ended.
type proxyClosedMsg struct{}

// waitForProxy reads the next batch of events, re-armed after each.
func waitForProxy(ch <-chan []proxy.Event) tea.Cmd {
	return func() tea.Msg {
		batch, ok := <-ch
		if !ok {
			return proxyClosedMsg{}
		}
		return proxyEventsMsg(batch)
	}
}

// Init starts reading events and asks for the terminal's background.
func (a *ProxyApp) Init() tea.Cmd {
	cmds := []tea.Cmd{waitForProxy(a.opts.Proxy.Events())}
	if !a.opts.ThemeFixed {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

// Update routes messages: events to the connections, keys to the list,
// the dialog or the selected view.
func (a *ProxyApp) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.ctx.SetSize(msg.Width, msg.Height)
		a.relayout()
		return a, nil
	case tea.BackgroundColorMsg:
		if !a.opts.ThemeFixed {
			if st, err := themes.Choose("", a.opts.NoColorEnv, msg.IsDark()); err == nil && st.Name != a.ctx.Styles.Name {
				a.ctx.SetStyles(st)
				a.help.Styles = st.Help()
				for _, c := range a.conns {
					c.view.restyle()
				}
			}
		}
		return a, nil
	case proxyEventsMsg:
		a.handleEvents(msg)
		return a, waitForProxy(a.opts.Proxy.Events())
	case proxyClosedMsg:
		return a, tea.Quit
	case tea.KeyPressMsg:
		return a, a.handleKey(msg)
	case DialogClosedMsg:
		if a.dialog != nil {
			a.dialog = nil
			return a, nil
		}
		// Else a dialog of the connection's view closed: the view clears it.
	}
	if v := a.selected(); v != nil {
		_, cmd := v.view.Update(msg)
		return a, cmd
	}
	return a, nil
}

// handleKey: quit, help and the list are the proxy view's; the rest goes
// to the selected connection's view.
func (a *ProxyApp) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	a.status = "" // read: the footer shows the keys again
	if a.dialog != nil {
		var cmd tea.Cmd
		a.dialog, cmd = a.dialog.Update(msg)
		return cmd
	}
	k := a.ctx.Keys
	if key.Matches(msg, k.Global.Quit) {
		_ = a.opts.Proxy.Close()
		return tea.Quit
	}
	c := a.selected()
	busy := c != nil && (c.view.dialog != nil || c.view.search.editing)
	switch {
	case busy:
	case key.Matches(msg, k.Global.Help):
		a.dialog = newHelpDialog(a.ctx, a.ctx.Keys.ProxySections())
		sizeDialog(a.dialog, a.width, a.height)
		return nil
	case key.Matches(msg, k.Proxy.SwitchFocus):
		a.listFocused = !a.listFocused || c == nil
		return nil
	case a.listFocused && key.Matches(msg, k.Proxy.Up):
		a.selectConn(a.sel - 1)
		return nil
	case a.listFocused && key.Matches(msg, k.Proxy.Down):
		a.selectConn(a.sel + 1)
		return nil
	case a.listFocused && key.Matches(msg, k.Proxy.Open):
		a.listFocused = c == nil
		return nil
	case !a.listFocused && key.Matches(msg, k.Global.Back) && c.view.search.status == "" && c.view.pane.Selected() < 0:
		a.listFocused = true
		return nil
	}
	if c == nil {
		return nil
	}
	_, cmd := c.view.Update(msg)
	return cmd
}

// selected returns the selected connection, or nil.
func (a *ProxyApp) selected() *proxyConn {
	if a.sel < 0 || a.sel >= len(a.conns) {
		return nil
	}
	return a.conns[a.sel]
}

// selectConn selects connection i, within bounds.
func (a *ProxyApp) selectConn(i int) {
	if len(a.conns) > 0 {
		a.sel = min(max(i, 0), len(a.conns)-1)
	}
}

// handleEvents hands each event to its connection's view, creating the
// connection on its first event; proxy-wide notes go to the status line.
func (a *ProxyApp) handleEvents(batch []proxy.Event) {
	_, listH := a.listSize()
	defer func() {
		if _, h := a.listSize(); h != listH {
			a.relayout() // a narrow list grew: the view below gets less
		}
	}()
	views := map[*proxyConn][]session.Event{}
	var order []*proxyConn
	for _, e := range batch {
		if e.Conn == 0 {
			a.status = e.Text
			continue
		}
		c := a.byID[e.Conn]
		if c == nil {
			c = a.newConn(e.Conn)
		}
		if e.Info != nil {
			c.info = *e.Info
		}
		if se, ok := viewEvent(e); ok {
			if _, seen := views[c]; !seen {
				order = append(order, c)
			}
			views[c] = append(views[c], se)
		}
	}
	for _, c := range order {
		c.view.Update(EventsMsg(views[c]))
	}
}

// newConn adds a connection, with its read-only view; the first one is
// selected.
func (a *ProxyApp) newConn(id uint64) *proxyConn {
	src := a.opts.Proxy
	host := hostOf(src.Upstream())
	view := New(Options{
		Engine:   observerEngine{src: src, id: id},
		Context:  a.ctx,
		Address:  src.Upstream(),
		Host:     host,
		Insecure: a.opts.Insecure,
		Version:  a.opts.Version,
		Observer: true,
	})
	c := &proxyConn{info: proxy.ConnInfo{ID: id}, view: view}
	a.insertConn(c)
	a.byID[id] = c
	a.relayout()
	return c
}

// viewEvent turns a proxy event into the session event the view draws.
// Lines one leg alone carried are marked so; the application leg's TLS
// and state stay in the list and the header (its certificate is
// smtpscope's own), the server leg's feed the panel's TLS and capability
// tabs.
func viewEvent(e proxy.Event) (session.Event, bool) {
	se := e.Event
	se.Gen = 1
	switch se.Kind {
	case session.KindTLS, session.KindState:
		return se, e.Leg == proxy.LegUpstream
	case session.KindConnected:
		if e.Leg == proxy.LegUpstream {
			se.Kind, se.Text = session.KindInfo, "smtpscope connected to the server "+se.Text
		} else {
			se.Text = se.Text + " (the application)"
		}
	case session.KindClosed:
		if e.Leg == proxy.LegUpstream {
			se.Kind = session.KindInfo
			if se.Text == "" {
				se.Text = "the server's connection closed"
			}
		}
	case session.KindClient, session.KindServer:
		if mark := session.LegMark(e.Leg.String()); mark != "" {
			se.Text += "  " + mark
		}
	}
	return se, true
}

// relayout sizes the list and the selected view: side by side on a wide
// screen, the list above the view on a narrow one.
func (a *ProxyApp) relayout() {
	lw, lh := a.listSize()
	vw, vh := a.width-lw, a.height-proxyChromeRows
	if a.narrow() {
		vw, vh = a.width, a.height-proxyChromeRows-lh
	}
	for _, c := range a.conns {
		c.view.Update(tea.WindowSizeMsg{Width: vw, Height: vh})
	}
	if a.dialog != nil {
		sizeDialog(a.dialog, a.width, a.height)
	}
}

// Proxy view geometry.
const (
	proxyChromeRows  = 2  // header and footer
	proxyListWidth   = 34 // the connection list beside the view
	proxyWideFrom    = 110
	proxyListMaxRows = 8 // the list above the view on a narrow screen
)

func (a *ProxyApp) narrow() bool { return a.width < proxyWideFrom }

// View draws the header, the list and the view, and the footer.
func (a *ProxyApp) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = windowTitle + " proxy · " + a.opts.Proxy.Addr()
	return v
}

func (a *ProxyApp) render() string {
	if a.width == 0 || a.height == 0 {
		return ""
	}
	st := a.ctx.Styles
	if a.width < MinWidth || a.height < MinHeight {
		return lipgloss.Place(a.width, a.height, lipgloss.Center, lipgloss.Center,
			st.TooSmall.Render("terminal too small: the proxy view needs at least 60x16"))
	}
	rows := []string{a.header()}
	list := a.renderList()
	var view []string
	lw, lh := a.listSize()
	if c := a.selected(); c != nil {
		view = strings.Split(c.view.render(), "\n")
	} else if len(a.conns) == 0 {
		if a.narrow() {
			view = a.emptyView(a.width, a.height-proxyChromeRows-lh)
		} else {
			view = a.emptyView(a.width-lw, a.height-proxyChromeRows)
		}
	}
	if a.narrow() {
		rows = append(rows, list...)
		for i := range a.height - proxyChromeRows - lh {
			rows = append(rows, lineAt(view, i, a.width))
		}
	} else {
		for i := range a.height - proxyChromeRows {
			rows = append(rows, lineAt(list, i, lw)+lineAt(view, i, a.width-lw))
		}
	}
	rows = append(rows, a.footer())
	screen := strings.Join(rows, "\n")
	if a.dialog != nil {
		return overlayCentered(screen, a.dialog.View(), a.width, a.height)
	}
	return screen
}

// lineAt returns line i of lines fitted to width, or blanks.
func lineAt(lines []string, i, width int) string {
	if i < len(lines) {
		return fitLine(lines[i], width)
	}
	return strings.Repeat(" ", width)
}

// header says where the proxy listens and relays, that it terminates TLS
// on both legs, and the selected connection's TLS on each leg. On a
// narrow screen the optional parts give way first.
func (a *ProxyApp) header() string {
	st := a.ctx.Styles
	src := a.opts.Proxy
	sep := st.Header.Render(headerSep)
	route := st.Header.Render(src.Addr() + " → " + src.Upstream())
	terminated := st.StatusWarn.Render("TLS terminated on both legs")
	var legs, insecure string
	if c := a.selected(); c != nil {
		legs = st.Header.Render("app " + legTLS(c.info.App.TLS, false) + " · server " + legTLS(c.info.UpstreamLeg.TLS, true))
	}
	if a.opts.Insecure {
		insecure = st.Insecure.Render(" server certificate NOT verified (--insecure) ")
	}
	count := st.Header.Render(plural(len(a.conns), "connection"))
	full := st.HeaderLabel.Render(" smtpscope") + st.Header.Render(" ") + st.Sandbox.Render("PROXY")
	compact := st.Sandbox.Render(" PROXY")
	for _, parts := range [][]string{
		{full, route, terminated, legs, insecure, count},
		{full, route, terminated, insecure, legs},
		{compact, route, terminated, insecure},
		{compact, route, insecure, terminated},
	} {
		line := joinNonEmpty(parts, sep)
		if ansi.StringWidth(line) <= a.width {
			return padRight(line, a.width)
		}
	}
	return padRight(ansi.Truncate(joinNonEmpty([]string{compact, route, insecure, terminated}, sep), a.width, "…"), a.width)
}

// joinNonEmpty joins the parts that are not empty.
func joinNonEmpty(parts []string, sep string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// legTLS sums up one leg's TLS for the header.
func legTLS(t *session.TLSInfo, verifies bool) string {
	switch {
	case t == nil:
		return "plain"
	case !verifies:
		return t.Version
	case t.Verified:
		return t.Version + " ✓"
	}
	return t.Version + " ✗"
}

// footer says what the keys do now: the open dialog's keys, the
// search being typed, the proxy's last word until a key is pressed, or
// the keys of the list or of the part of the view that has the focus.
func (a *ProxyApp) footer() string {
	k := a.ctx.Keys
	c := a.selected()
	var bindings []key.Binding
	switch {
	case a.dialog != nil:
		bindings = dialogFooter(k, a.dialog)
	case c != nil && c.view.dialog != nil:
		bindings = dialogFooter(k, c.view.dialog)
	case c != nil && c.view.search.Active():
		return padRight(c.view.search.Footer(a.width), a.width)
	case a.status != "":
		return padRight(a.ctx.Styles.WarnLine.Render(protocol.Sanitize(a.status)), a.width)
	case a.listFocused || c == nil:
		bindings = []key.Binding{short(k.Proxy.Up, "connection"), short(k.Proxy.Open, "view it"),
			short(k.Actions.Save, "save"), short(k.Actions.Export, "export"), helpEntry(k), short(proxyQuit(k), "quit")}
	case c.view.focus == focusPanel:
		bindings = []key.Binding{short(withKeyHelp(k.Panel.TabRight, "←→"), "tabs"), short(withKeyHelp(k.Panel.LineDown, "↑↓"), "scroll"),
			short(k.Global.Focus, "session pane"), short(k.Proxy.SwitchFocus, "connections"), helpEntry(k), short(proxyQuit(k), "quit")}
	default:
		bindings = []key.Binding{short(withKeyHelp(k.Pane.Up, "↑↓"), "line"), short(k.Pane.PageUp, "scroll"),
			short(withKeyHelp(k.Pane.Bottom, "end"), "follow"), short(k.Pane.Search, "search"), short(k.Panel.NextTab, "panel tab"),
			short(k.Global.Focus, "panel"), short(k.Proxy.SwitchFocus, "connections"), short(k.Actions.Save, "save"),
			short(k.Actions.Export, "export"), helpEntry(k), short(proxyQuit(k), "quit")}
	}
	return padRight(fittedShortHelp(a.help, bindings, a.width), a.width)
}

// proxyQuit is the quit key as the proxy's footer and help name it.
func proxyQuit(k KeyMap) key.Binding {
	return withHelp(withKeyHelp(k.Global.Quit, "ctrl+q"), "quit (stops the proxy)")
}
