package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// authState is how authentication stands on the current connection.
type authState int

const (
	authNone authState = iota
	authRunning
	authOK
	authFailed
)

// connState is whether the connection is up.
type connState int

const (
	connIdle connState = iota
	connConnecting
	connUp
	connClosed
)

// headerSep separates the header's fields.
const headerSep = " · "

// headerKey is everything the header shows; the rendered header is kept
// until one of them changes.
type headerKey struct {
	width   int
	theme   string
	conn    connState
	tls     *session.TLSInfo
	auth    authState
	state   protocol.State
	latency time.Duration
}

// renderHeader returns the status bar, drawing it again only when what it
// shows has changed.
func (m *Model) renderHeader(width int) string {
	k := headerKey{width, m.ctx.Styles.Name, m.conn, m.tls, m.auth, m.state, m.lastLatency}
	if k != m.headerKey || m.header == "" {
		var fits bool
		if m.header, fits = m.drawHeader(width, false); !fits {
			m.header, _ = m.drawHeader(width, true)
		}
		m.headerKey = k
	}
	return m.header
}

// drawHeader draws the one-line status bar: server, connection, TLS,
// AUTH, protocol state, last latency, and the sandbox mark.
// compact drops the words a narrow terminal has no room for; fits says
// whether the line had to be cut.
func (m *Model) drawHeader(width int, compact bool) (line string, fits bool) {
	verified, unverified, stateLabel := " ✓ verified", " ✗ unverified", "state: "
	if compact {
		verified, unverified, stateLabel = " ✓", " ✗ unverified", ""
	}
	st := m.ctx.Styles
	sep := st.Header.Render(headerSep)
	var parts []string
	// optional holds the fields dropped first when the line is too long,
	// least important last.
	var optional []string
	parts = append(parts, st.HeaderLabel.Render(" smtpscope"))
	if m.opts.Sandbox {
		parts[0] += st.Header.Render(" ") + st.Sandbox.Render("SANDBOX")
	}
	parts = append(parts, st.Header.Render(m.opts.Address))

	switch m.conn {
	case connConnecting, connIdle:
		parts = append(parts, st.StatusWarn.Render("connecting…"))
	case connClosed:
		parts = append(parts, st.StatusBad.Render("✗ disconnected"))
	}

	switch {
	case m.tls != nil && m.tls.Pinned:
		parts = append(parts, st.StatusWarn.Render(m.tls.Version+" ⚑ pinned, not verified"))
	case m.tls != nil && m.tls.Insecure:
		parts = append(parts, st.Insecure.Render(" "+m.tls.Version+" ✗ NOT VERIFIED (--insecure) "))
	case m.tls != nil && m.tls.Verified:
		parts = append(parts, st.StatusOK.Render(m.tls.Version+verified))
	case m.tls != nil:
		parts = append(parts, st.StatusBad.Render(m.tls.Version+unverified))
	case m.opts.Insecure:
		parts = append(parts, st.Insecure.Render(" --insecure "))
		fallthrough
	default:
		if m.conn == connUp {
			parts = append(parts, st.StatusWarn.Render("no TLS"))
		}
	}

	switch m.auth {
	case authOK:
		parts = append(parts, st.StatusOK.Render("AUTH ✓"))
	case authFailed:
		parts = append(parts, st.StatusBad.Render("AUTH ✗"))
	case authRunning:
		parts = append(parts, st.StatusWarn.Render("AUTH …"))
	default:
		parts = append(parts, st.Header.Render("AUTH –"))
	}

	parts = append(parts, st.Header.Render(stateLabel)+st.HeaderLabel.Render(m.state.String()))
	if m.opts.Sandbox {
		optional = append(optional, st.Header.Render(m.ctx.Keys.Actions.DemoCreds.Help().Key+" demo credentials"))
	}
	if m.lastLatency > 0 {
		optional = append(optional, st.Header.Render("last reply "+strings.TrimPrefix(formatLatency(m.lastLatency), "+")))
	}
	line = strings.Join(append(parts, optional...), sep)
	for len(optional) > 0 && ansi.StringWidth(line) > width {
		optional = optional[:len(optional)-1]
		line = strings.Join(append(parts, optional...), sep)
	}
	fits = ansi.StringWidth(line) <= width
	if !fits {
		line = ansi.Truncate(line, width, "…")
	}
	return line + st.Header.Render(strings.Repeat(" ", max(0, width-ansi.StringWidth(line)))), fits
}

// transactionOpen reports whether quitting now would abandon a message.
func transactionOpen(s protocol.State) bool {
	return s == protocol.StateMail || s == protocol.StateRcpt || s == protocol.StateData
}
