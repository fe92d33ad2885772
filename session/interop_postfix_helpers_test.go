package session_test

import (
	"crypto/x509"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// The Postfix interop suite runs against the Postfix + Dovecot instance
// that scripts/postfix-interop.sh starts on loopback; its "env" command
// prints these variables.
const (
	envPostfixAddr       = "SMTPSCOPE_POSTFIX_ADDR"       // plain SMTP, STARTTLS offered
	envPostfixSubmission = "SMTPSCOPE_POSTFIX_SUBMISSION" // submission, STARTTLS required
	envPostfixSMTPS      = "SMTPSCOPE_POSTFIX_SMTPS"      // implicit TLS
	envPostfixCA         = "SMTPSCOPE_POSTFIX_CA"         // PEM of the throwaway CA
	envPostfixUser       = "SMTPSCOPE_POSTFIX_USER"
	envPostfixPassword   = "SMTPSCOPE_POSTFIX_PASSWORD"
	envPostfixDomain     = "SMTPSCOPE_POSTFIX_DOMAIN"  // delivered to the maildir
	envPostfixMaildir    = "SMTPSCOPE_POSTFIX_MAILDIR" // optional: where delivered mail lands
)

// Bounds of every wait in the suite. They guard against hangs only; no
// test asserts how long anything took.
const (
	interopWait    = 20 * time.Second // one awaited event, or a delivery
	interopTimeout = 15 * time.Second // the session's own timeouts, below interopWait
	interopHelo    = "interop.smtpscope.test"

	codeAuthChallenge = 334 // RFC 4954 4: server challenge
)

// postfixEnv is the running instance the suite talks to.
type postfixEnv struct {
	Addr, Submission, SMTPS string
	CAFile                  string
	User, Password          string
	Domain, Maildir         string
}

// requirePostfix returns the instance from the environment, or skips the
// test when the suite was not set up.
func requirePostfix(t *testing.T) postfixEnv {
	t.Helper()
	env := postfixEnv{
		Addr:       os.Getenv(envPostfixAddr),
		Submission: os.Getenv(envPostfixSubmission),
		SMTPS:      os.Getenv(envPostfixSMTPS),
		CAFile:     os.Getenv(envPostfixCA),
		User:       os.Getenv(envPostfixUser),
		Password:   os.Getenv(envPostfixPassword),
		Domain:     os.Getenv(envPostfixDomain),
		Maildir:    os.Getenv(envPostfixMaildir),
	}
	if env.Addr == "" {
		t.Skipf("Postfix interop suite skipped: %s is not set; run scripts/postfix-interop.sh start and eval \"$(scripts/postfix-interop.sh env)\" first", envPostfixAddr)
	}
	for name, v := range map[string]string{
		envPostfixSubmission: env.Submission, envPostfixSMTPS: env.SMTPS, envPostfixCA: env.CAFile,
		envPostfixUser: env.User, envPostfixPassword: env.Password, envPostfixDomain: env.Domain,
	} {
		if v == "" {
			t.Fatalf("%s is set but %s is not: eval the whole output of scripts/postfix-interop.sh env", envPostfixAddr, name)
		}
	}
	return env
}

// roots returns a pool that trusts only the instance's throwaway CA.
func (e postfixEnv) roots(t *testing.T) *x509.CertPool {
	t.Helper()
	pem, err := os.ReadFile(e.CAFile)
	if err != nil {
		t.Fatalf("reading the interop CA: %v (is scripts/postfix-interop.sh still running?)", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no PEM certificate", e.CAFile)
	}
	return pool
}

// config returns a session config for addr that trusts the CA and waits
// no longer than the suite's bounds.
func (e postfixEnv) config(t *testing.T, addr string) session.Config {
	return session.Config{
		Address:  addr,
		Helo:     interopHelo,
		RootCAs:  e.roots(t),
		Timeouts: session.Timeouts{Connect: interopTimeout, Banner: interopTimeout, Command: interopTimeout, Data: interopTimeout},
	}
}

// watcher runs one session and keeps every event it emits, so that a test
// can wait for the next event of interest in order.
type watcher struct {
	t *testing.T
	s *session.Session

	mu      sync.Mutex
	events  []session.Event
	changed chan struct{} // a token after each batch
	done    chan struct{} // closed when the events channel is
	next    int           // where the next await starts looking
}

// watch starts a session for cfg, connects it, and closes it when the
// test ends.
func watch(t *testing.T, cfg session.Config) *watcher {
	t.Helper()
	w := &watcher{t: t, s: session.New(cfg), changed: make(chan struct{}, 1), done: make(chan struct{})}
	go w.collect()
	t.Cleanup(func() {
		w.s.Close()
		select {
		case <-w.done:
		case <-time.After(interopWait):
			t.Errorf("the session did not close within %s", interopWait)
		}
	})
	w.s.Connect()
	return w
}

func (w *watcher) collect() {
	defer close(w.done)
	for batch := range w.s.Events() {
		w.mu.Lock()
		w.events = append(w.events, batch...)
		w.mu.Unlock()
		select {
		case w.changed <- struct{}{}:
		default:
		}
	}
}

// await returns the first event after the previous match that satisfies
// match. It fails the test when the connection closes first (unless the
// close is what match wants) or when nothing matches within interopWait.
func (w *watcher) await(what string, match func(session.Event) bool) session.Event {
	w.t.Helper()
	guard := time.NewTimer(interopWait)
	defer guard.Stop()
	ended := false
	for {
		w.mu.Lock()
		for i := w.next; i < len(w.events); i++ {
			e := w.events[i]
			if match(e) {
				w.next = i + 1
				w.mu.Unlock()
				return e
			}
			if e.Kind == session.KindClosed {
				w.mu.Unlock()
				w.t.Fatalf("the connection closed before %s:\n%s", what, w.dump())
			}
		}
		w.mu.Unlock()
		if ended {
			w.t.Fatalf("the session ended before %s:\n%s", what, w.dump())
		}
		select {
		case <-w.changed:
		case <-w.done:
			ended = true
		case <-guard.C:
			w.t.Fatalf("no %s within %s:\n%s", what, interopWait, w.dump())
		}
	}
}

// reply waits for the next complete reply to verb ("" for the greeting).
// AUTH's 334 challenges are skipped: the reply is the exchange's outcome.
func (w *watcher) reply(verb string) protocol.Reply {
	w.t.Helper()
	return *w.replyEvent(verb).Reply
}

// replyEvent is [watcher.reply] returning the whole KindReply event, with
// the state after the reply.
func (w *watcher) replyEvent(verb string) session.Event {
	w.t.Helper()
	return w.await("the reply to "+describeVerb(verb), func(e session.Event) bool {
		return e.Kind == session.KindReply && e.Command == verb && e.Reply != nil &&
			!(verb == protocol.VerbAUTH && e.Reply.Code == codeAuthChallenge)
	})
}

// awaitSnapshot waits for the next announced state that satisfies match.
func (w *watcher) awaitSnapshot(what string, match func(protocol.Snapshot) bool) protocol.Snapshot {
	w.t.Helper()
	e := w.await(what, func(e session.Event) bool {
		return e.Kind == session.KindState && e.Snapshot != nil && match(*e.Snapshot)
	})
	return *e.Snapshot
}

// ready waits until the session is in state READY with an EHLO list:
// inside TLS when tls is set.
func (w *watcher) ready(tls bool) protocol.Snapshot {
	w.t.Helper()
	return w.awaitSnapshot(fmt.Sprintf("state READY (TLS %v) after EHLO", tls), func(s protocol.Snapshot) bool {
		return s.State == protocol.StateReady && s.Extended && s.TLS == tls && len(s.Caps.List) > 0
	})
}

// all returns a copy of every event so far.
func (w *watcher) all() []session.Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]session.Event(nil), w.events...)
}

func (w *watcher) dump() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.dumpLocked()
}

func (w *watcher) dumpLocked() string {
	var b strings.Builder
	for _, e := range w.events {
		fmt.Fprintf(&b, "  %-9s %s", kindName(e.Kind), e.Text)
		if e.Reply != nil {
			fmt.Fprintf(&b, "[%d %s → %s]", e.Reply.Code, describeVerb(e.Command), e.State)
		}
		if e.Err != nil {
			fmt.Fprintf(&b, " (err: %v)", e.Err)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func kindName(k session.Kind) string {
	names := map[session.Kind]string{
		session.KindInfo: "info", session.KindWarning: "warning", session.KindError: "error",
		session.KindClient: "C:", session.KindServer: "S:", session.KindReply: "reply",
		session.KindTLS: "tls", session.KindState: "state", session.KindProgress: "progress",
		session.KindConnected: "connected", session.KindClosed: "closed",
	}
	if n, ok := names[k]; ok {
		return n
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

func describeVerb(verb string) string {
	switch verb {
	case "":
		return "the greeting"
	case protocol.EndOfDataVerb:
		return "end of data"
	}
	return verb
}
