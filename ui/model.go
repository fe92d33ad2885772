// Package ui is the Bubble Tea program of smtpscope: a root model that
// owns layout, focus and routing, and small children (session pane,
// composer, DATA editor, explain panel, dialogs) that render session
// events and turn keys into intents on an [Engine].
package ui

import (
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/smtpscope/smtpscope/config"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/themes"
)

// Options configure a [Model].
type Options struct {
	Engine Engine                 // the session the UI drives
	Events <-chan []session.Event // its event batches; nil in tests that inject events
	Styles *themes.Styles         // nil: the dark theme
	// ThemeFixed keeps Styles even when the terminal reports its
	// background colour (--theme was given, or NO_COLOR is set).
	ThemeFixed bool
	// NoColorEnv is true when NO_COLOR is set in the environment.
	NoColorEnv bool

	Address         string   // host:port shown in the header
	Host            string   // host name, for provider detection
	Sandbox         bool     // connected to the built-in sandbox
	DemoCredentials []string // lines shown by the demo credentials key
	// DemoLogins are the sandbox's demo logins, which the AUTH dialog
	// fills in on the demo credentials key; none on a real server.
	DemoLogins []DemoLogin
	Insecure   bool   // --insecure was given
	Username   string // default AUTH username (--user)
	// Auth, when set, is run by the AUTH key without a dialog: the secret
	// came from --password-env or --password-cmd.
	Auth *session.AuthRequest
	// RequireTLS is --starttls=require: no AUTH goes out without TLS.
	RequireTLS bool
	// Version is smtpscope's version, for the share-safe report.
	Version string
	// Profile is this connection's settings, for the save-profile key;
	// nil on the sandbox, whose port changes every run.
	Profile *config.Profile
	// SandboxCA is the sandbox's CA certificate (PEM), which exported code
	// needs to verify the sandbox.
	SandboxCA []byte
	// Mailbox is the sandbox's store of accepted messages; nil on a real
	// server.
	Mailbox Mailbox
	// Context, when set, is shared with a parent screen (the proxy view's
	// connections share its theme, keys and clock); Styles, Now and
	// Location are then not used.
	Context *Context
	// Observer makes a read-only view of a session someone else drives
	// (an application's, through the proxy): no header, composer or
	// footer, and no key that would send anything.
	Observer bool
	// TreatLoopbackAsRemote asks before AUTH in clear text even to a
	// server on this machine, as for any other (tests; a look at what a
	// remote user sees).
	TreatLoopbackAsRemote bool
	// Doctor runs smtpscope doctor on this server for the doctor key; nil
	// where it is not available.
	Doctor DoctorRunner
	// DoctorLogin says whose login the doctor tries ("the sandbox's demo
	// login demo@sandbox.test"), "" when it tests none: its verdict may
	// differ from a login typed in this session, and the pane says why.
	DoctorLogin string
	// Lessons, on the sandbox, lets the user take the lesson track; nil
	// elsewhere.
	Lessons *Lessons

	// Now is the program's clock: message headers, notes, certificate
	// ages. nil: the wall clock. Location is the zone times are shown in;
	// nil: the local zone. Both go into the shared [Context].
	Now      func() time.Time
	Location *time.Location
}

// focusArea is the child that receives keys.
type focusArea int

const (
	focusComposer focusArea = iota
	focusPane
	focusLessons
	focusPanel
	numFocusAreas
)

// replyEntry is one complete reply with what it answered.
type replyEntry struct {
	reply       *protocol.Reply
	command     string
	at          time.Time
	latency     time.Duration
	explanation *protocol.Explanation // computed when first shown
}

// Model is the root model. Only it returns a tea.View.
type Model struct {
	opts Options
	eng  Engine
	ctx  *Context // shared with every child
	help help.Model

	width, height int
	lay           screenLayout
	focus         focusArea

	pane     *sessionPane
	panel    *ExplainPanel
	composer *composer
	body     *bodyEditor
	search   *paneSearch
	lessons  *lessons // nil without Options.Lessons
	dialog   Dialog
	dataMode bool

	// Per connection, reset when a new generation starts.
	gen         int
	minGen      int // events below this generation are stale
	conn        connState
	snap        protocol.Snapshot
	state       protocol.State
	tls         *session.TLSInfo
	auth        authState
	lastLatency time.Duration
	greeting    string
	provider    protocol.Provider
	connectedAt time.Time
	bannerDelay time.Duration
	commands    int
	errors      int
	awaitData   bool   // the user typed DATA: open the editor on 354
	messageOut  bool   // message content went out; its reply has not come
	lastMessage []byte // the last message typed or composed, for exports

	pendingWrite *fileWrite     // a save waiting for "replace the file?"
	pendingBody  *pastedMessage // a pasted message to send on 354

	// The outbox: lines typed or pasted that wait for the greeting, for
	// the reply to an AUTH (their 334), or for the 354 to DATA.
	outbox         []outItem
	queuedNoted    int       // how many outbox lines the pane marks as queued
	awaitAuthReply bool      // an AUTH or a SASL answer is out; its reply decides what follows
	authByEngine   bool      // the AUTH key runs the exchange: the session answers each 334
	authBefore     authState // the AUTH mark before the exchange the session runs, for one that never starts
	saslPrompt     string    // the decoded text of the 334 being received
	authMechanism  string    // the mechanism of the last AUTH sent, for explanations

	// downgrade is set when STARTTLS was refused or not offered under
	// --starttls=auto: a login would go in clear, even to loopback.
	downgrade          *session.Downgrade
	cleartextConfirmed bool // the user said yes to logging in without TLS

	// suggest is what the last event suggesting a change proposed, offered
	// as a key until the next connection: TLS from the first byte after a
	// silent greeting, trusting the certificate after it failed.
	suggest    session.Suggestion
	suggestPin []byte // the leaf to trust, for SuggestTrustCertificate
	envFrom    string
	envTo      []string

	underHelp Dialog // the dialog the help (f1) was opened over, back when the help closes
	footer    string // cached rendering, see renderFooter
	footerKey footerKey
	header    string // cached rendering, see renderHeader
	headerKey headerKey

	doctor doctorState // the diagnosis the doctor key started

	replies    []replyEntry
	awaiting   []awaitedCommand // the commands of this connection waiting for their replies, oldest first
	failure    *connFailure     // why this connection ended on an error; nil while it is up or ended cleanly
	lastError  string           // the text of this connection's latest error line, not repeated by its close
	shownReply int              // reply index in the panel, -1 none
	runStart   int              // the first reply answering the user's latest action
	revealUser bool
	authUser   string
}

// New builds the root model.
func New(opts Options) *Model {
	ctx := opts.Context
	if ctx == nil {
		ctx = NewContext(opts.Styles, opts.Now, opts.Location)
	}
	m := &Model{
		opts:       opts,
		eng:        opts.Engine,
		ctx:        ctx,
		help:       help.New(),
		pane:       newSessionPane(ctx),
		panel:      NewExplainPanel(ctx),
		composer:   newComposer(ctx),
		body:       newBodyEditor(ctx),
		search:     newPaneSearch(ctx),
		lessons:    newLessons(ctx, opts.Lessons),
		shownReply: -1,
		authUser:   opts.Username,
	}
	m.restyle()
	if opts.Observer {
		m.setFocus(focusPane)
		m.panel.observer = true
	}
	m.composer.SetSuggestions(protocol.Suggest(m.snap))
	m.composer.params = func(verb string) []protocol.Suggestion { return protocol.SuggestParams(m.snap, verb) }
	return m
}

// Init starts waiting for session events and asks the terminal for its
// background colour to pick a light or dark theme.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{waitForEvents(m.opts.Events), m.startLessons()}
	if !m.opts.ThemeFixed {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

// Update routes each message family to its handler, then fits the
// layout to what the composer needs to show.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if m.width > 0 && !m.lay.tooSmall && !m.dataMode && !m.opts.Observer && m.composer.Rows(m.width) != m.lay.composerRows {
		m.relayout()
	}
	return m, cmd
}

// update is Update without the layout check.
func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		if m.opts.Context == nil {
			m.ctx.SetSize(msg.Width, msg.Height)
		}
		m.relayout()
		return nil
	case tea.BackgroundColorMsg:
		return m.handleBackground(msg)
	case EventsMsg:
		return m.handleSessionEvents(msg)
	case []session.Event:
		return m.handleSessionEvents(msg)
	case channelEventsMsg:
		return tea.Batch(m.handleSessionEvents(msg), waitForEvents(m.opts.Events))
	case eventsClosedMsg:
		return tea.Quit
	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.PasteMsg:
		return m.handlePaste(msg)
	case tea.MouseWheelMsg, tea.MouseClickMsg:
		return m.handleMouse(msg.(tea.MouseMsg))
	}
	if cmd, ok := m.handleLessonMsg(msg); ok {
		return cmd
	}
	if cmd, ok := m.handleDialogResult(msg); ok {
		return cmd
	}
	if cmd, ok := m.handleActionResult(msg); ok {
		return cmd
	}
	if cmd, ok := m.handleDoctorMsg(msg); ok {
		return cmd
	}
	return m.forwardToFocused(msg)
}

// forwardToFocused gives other messages (cursor blinks and the like) to
// the child that is active.
func (m *Model) forwardToFocused(msg tea.Msg) tea.Cmd {
	if m.dialog != nil {
		var cmd tea.Cmd
		m.dialog, cmd = m.dialog.Update(msg)
		return cmd
	}
	if m.dataMode {
		return m.body.Update(msg)
	}
	return m.composer.Update(msg)
}

// handleBackground switches between the light and dark themes to match
// the terminal, unless a theme was chosen explicitly.
func (m *Model) handleBackground(msg tea.BackgroundColorMsg) tea.Cmd {
	if m.opts.ThemeFixed {
		return nil
	}
	st, err := themes.Choose("", m.opts.NoColorEnv, msg.IsDark())
	if err != nil || st.Name == m.ctx.Styles.Name {
		return nil
	}
	m.ctx.SetStyles(st)
	m.restyle()
	return nil
}

// restyle redraws every child in the context's theme. Children read the
// styles from the shared context; this drops what they cached. An open
// dialog notices the change itself when it next draws.
func (m *Model) restyle() {
	m.pane.restyle()
	m.panel.restyle()
	m.composer.restyle()
	m.body.restyle()
	m.search.restyle()
	if m.lessons != nil {
		m.lessons.pane.restyle()
	}
	m.help.Styles = m.ctx.Styles.Help()
	m.relayout()
}

// relayout computes the regions for the current size and sizes children.
func (m *Model) relayout() {
	if m.width == 0 || m.height == 0 {
		return
	}
	m.lay = layout(m.width, m.height, m.ctx.Styles, screenKind{
		dataMode: m.dataMode, composerRows: m.composer.Rows(m.width), observer: m.opts.Observer,
		lessons: m.lessonsShown(),
	})
	if m.lay.tooSmall {
		return
	}
	m.pane.SetSize(m.lay.pane.w, m.lay.pane.h)
	m.panel.SetSize(m.lay.panel.w, m.lay.panel.h)
	if m.lessons != nil {
		m.lessons.pane.SetSize(m.lay.lesson.w, m.lay.lesson.h)
	}
	m.composer.SetSize(m.lay.composer.w, m.lay.composer.h)
	m.body.SetSize(m.lay.composer.w, m.lay.composer.h)
	m.help.SetWidth(m.width)
	if m.dialog != nil {
		sizeDialog(m.dialog, m.width, m.height)
	}
}

// setFocus moves the key focus and updates the borders. A read-only view
// has no composer: its focus stays in the pane or the panel.
func (m *Model) setFocus(f focusArea) {
	if m.opts.Observer && f == focusComposer {
		f = focusPane
	}
	m.focus = f
	m.pane.focused = f == focusPane
	m.panel.SetFocused(f == focusPanel)
	if m.lessons != nil {
		m.lessons.pane.SetFocused(f == focusLessons)
	}
	m.composer.SetFocused(f == focusComposer && !m.dataMode)
}

// openDialog shows d over the screen; keys go to it until it closes.
func (m *Model) openDialog(d Dialog) {
	m.dialog = d
	sizeDialog(d, m.width, m.height)
}

// sizeDialog fits d to a width x height screen, one cell in from every
// edge, so that the screen stays in view around even the tallest dialog.
func sizeDialog(d Dialog, width, height int) {
	d.SetSize(width-2*dialogMargin, height-2*dialogMargin)
}

// dialogMargin is the screen left visible around a dialog.
const dialogMargin = 1
