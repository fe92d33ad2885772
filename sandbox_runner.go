package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"

	"github.com/smtpscope/smtpscope/learn"
	"github.com/smtpscope/smtpscope/localca"
	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
	"github.com/smtpscope/smtpscope/ui"
)

// sandboxRunner runs the built-in sandbox under the TUI and restarts it
// when a lesson needs another scenario or size limit. The restart happens
// when the session next dials — after the QUIT of its reconnect, so the
// old connection ends politely — on the same address and under the same
// CA: the session's address and trust stay valid.
type sandboxRunner struct {
	mu      sync.Mutex
	srv     *sandbox.Server
	running learn.Setup
	want    learn.Setup
}

// startSandboxRunner starts the sandbox on a free loopback port as setup
// says.
func startSandboxRunner(setup learn.Setup) (*sandboxRunner, error) {
	srv, err := sandbox.Start(sandboxConfig(setup, "", nil))
	if err != nil {
		return nil, err
	}
	return &sandboxRunner{srv: srv, running: setup, want: setup}, nil
}

// sandboxConfig is the sandbox configuration for a lesson setup. The
// TUI's own sandbox has one client, a person who may read the help (or a
// lesson) for a while before typing EHLO: the short wait before EHLO that
// keeps strangers from holding slots is not for them.
func sandboxConfig(setup learn.Setup, listen string, ca *localca.Authority) sandbox.Config {
	return sandbox.Config{Listen: listen, Scenario: setup.ScenarioName(), MaxMessageSize: setup.MaxSize, Authority: ca,
		HelloTimeout: sandbox.DefaultIdleTimeout}
}

// configure points a session and the UI at the sandbox.
func (r *sandboxRunner) configure(cfg *session.Config, opts *ui.Options) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg.Address = r.srv.Addr()
	cfg.RootCAs = r.srv.RootCAs()
	cfg.SNI = r.srv.Hostname()
	cfg.Dial = r.dial
	opts.Address = r.srv.Addr()
	opts.Sandbox = true
	opts.DemoCredentials = demoCredentialLines(r.srv.Credentials())
	opts.DemoLogins = nil
	for _, c := range r.srv.Credentials() {
		opts.DemoLogins = append(opts.DemoLogins, ui.DemoLogin{Mechanisms: c.Mechanisms, Username: c.Username, Secret: c.Secret})
	}
	opts.SandboxCA = r.srv.CACertificatePEM() // the same CA across restarts
	opts.Mailbox = sandboxMailbox{r}
}

// Messages returns the messages the running sandbox accepted; a restart
// starts with an empty mailbox.
func (r *sandboxRunner) Messages() []sandbox.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.srv.Messages()
}

// Message returns one accepted message of the running sandbox.
func (r *sandboxRunner) Message(id int) (sandbox.Message, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.srv.Message(id)
}

// Running returns the setup the sandbox runs with now.
func (r *sandboxRunner) Running() learn.Setup {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.running
}

// Prepare asks for setup at the next connection and returns the demo
// logins it will have. An unknown scenario is refused at once.
func (r *sandboxRunner) Prepare(setup learn.Setup) ([]string, error) {
	creds, err := sandbox.ScenarioCredentials(setup.ScenarioName())
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.want = setup
	r.mu.Unlock()
	return demoCredentialLines(creds), nil
}

// dial is the session's dialer: it restarts the sandbox first when the
// next connection must meet another setup.
func (r *sandboxRunner) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if err := r.restartIfWanted(); err != nil {
		return nil, err
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

func (r *sandboxRunner) restartIfWanted() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.want.Same(r.running) {
		return nil
	}
	addr, ca, want := r.srv.Addr(), r.srv.Authority(), r.want
	if err := r.srv.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("stopping the sandbox: %w", err)
	}
	srv, err := sandbox.Start(sandboxConfig(want, addr, ca))
	if err != nil {
		// Put the old setup back, so that a reconnect still finds a sandbox.
		old, oldErr := sandbox.Start(sandboxConfig(r.running, addr, ca))
		if oldErr == nil {
			r.srv = old
		}
		r.want = r.running
		return fmt.Errorf("cannot restart the sandbox with the %s scenario on %s: %w", want.ScenarioName(), addr, err)
	}
	r.srv, r.running = srv, want
	return nil
}

// Close stops the sandbox.
func (r *sandboxRunner) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.srv.Close()
}

// demoCredentialLines describes the sandbox's demo logins for the pane.
func demoCredentialLines(creds []sandbox.Credential) []string {
	lines := []string{"sandbox demo credentials (ctrl+a opens AUTH):"}
	for _, c := range creds {
		line := fmt.Sprintf("  username %s · secret %s · %s", c.Username, c.Secret, strings.Join(c.Mechanisms, ", "))
		if c.Note != "" {
			line += " — " + c.Note
		}
		lines = append(lines, line)
	}
	return lines
}
