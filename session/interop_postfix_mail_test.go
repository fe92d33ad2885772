package session_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

const (
	codeStartMail = 354 // RFC 5321 4.2.2: start mail input
	// postfixQueued is in Postfix's 250 to the end of data.
	postfixQueued = "queued as"
	// deliveryPoll is how often the maildir is looked at while waiting.
	deliveryPoll = 50 * time.Millisecond
)

// interopMessage returns a message, with bare LF line endings, whose body
// has lines that only survive when dot-stuffed (RFC 5321 4.5.2), and the
// unique marker in its headers.
func interopMessage(domain string) (body, marker string) {
	marker = fmt.Sprintf("smtpscope-interop-%d", time.Now().UnixNano())
	body = "From: <sender@" + domain + ">\n" +
		"To: <inbox@" + domain + ">\n" +
		"Subject: " + marker + "\n" +
		"Message-ID: <" + marker + "@smtpscope.test>\n" +
		"\n" +
		"first line\n" +
		".leading dot survives dot-stuffing\n" +
		".\n" +
		"last line, after a lone dot\n"
	return body, marker
}

// stuffedLines is what must arrive of the body (maildir files end lines
// with LF): both dotted lines intact and the text after the lone dot.
const stuffedLines = "\n.leading dot survives dot-stuffing\n.\nlast line, after a lone dot\n"

// TestPostfixPipelinedDATA sends MAIL, RCPT and DATA as one pipelined
// group (RFC 2920) inside STARTTLS, then streams the body.
func TestPostfixPipelinedDATA(t *testing.T) {
	env := requirePostfix(t)
	cfg := env.config(t, env.Addr)
	cfg.AutoHello, cfg.StartTLS = true, session.StartTLSRequire
	w := watch(t, cfg)
	if snap := w.ready(true); !snap.Caps.Has("PIPELINING") {
		t.Fatalf("Postfix does not list PIPELINING: %v", snap.Caps.Keywords())
	}
	body, marker := interopMessage(env.Domain)

	w.s.Pipeline([]string{"MAIL FROM:<sender@" + env.Domain + ">", "RCPT TO:<inbox@" + env.Domain + ">", "DATA"})
	if r := w.reply(protocol.VerbMAIL); r.Code != codeOK {
		t.Fatalf("MAIL: %d %s", r.Code, r.OneLine())
	}
	if r := w.reply(protocol.VerbRCPT); r.Code != codeOK {
		t.Fatalf("RCPT: %d %s", r.Code, r.OneLine())
	}
	if r := w.reply(protocol.VerbDATA); r.Code != codeStartMail {
		t.Fatalf("DATA: %d %s", r.Code, r.OneLine())
	}
	assertPipelined(t, w.all(), protocol.VerbMAIL, protocol.VerbRCPT, protocol.VerbDATA)

	w.s.SendBody(strings.NewReader(body), int64(len(body)))
	end := w.reply(protocol.EndOfDataVerb)
	if end.Code != codeOK || !strings.Contains(end.OneLine(), postfixQueued) {
		t.Fatalf("end of data: %d %q, want 250 … %s", end.Code, end.OneLine(), postfixQueued)
	}
	var progress session.Progress
	for _, e := range w.all() {
		if e.Kind == session.KindProgress {
			progress = e.Progress
		}
	}
	if !progress.Done || progress.Sent < int64(len(body)) {
		t.Errorf("last progress %+v, want Done with at least the %d octets of the body", progress, len(body))
	}

	for _, msg := range env.delivered(t, marker, 1) {
		if !strings.Contains(msg, stuffedLines) {
			t.Errorf("delivered message lost its dotted lines; want %q in:\n%s", stuffedLines, msg)
		}
	}
}

// TestPostfixSendMessage runs a whole transaction with SendMessage, to two
// recipients, after STARTTLS and AUTH on the submission port.
func TestPostfixSendMessage(t *testing.T) {
	env := requirePostfix(t)
	w, _, _ := env.submission(t)
	w.s.Auth(session.AuthRequest{Username: env.User, Secret: env.Password})
	if r := w.reply(protocol.VerbAUTH); r.Code != codeAuthOK {
		t.Fatalf("AUTH: %d %s", r.Code, r.OneLine())
	}
	body, marker := interopMessage(env.Domain)
	start := len(w.all())

	w.s.SendMessage(session.Message{
		From: "sender@" + env.Domain,
		To:   []string{"one@" + env.Domain, "two@" + env.Domain},
		Body: strings.NewReader(body),
		Size: int64(len(body)),
	})
	end := w.await("the reply accepting the message", func(e session.Event) bool {
		return e.Kind == session.KindReply && e.Reply != nil &&
			(e.Command == protocol.EndOfDataVerb || e.Command == protocol.VerbBDAT) &&
			strings.Contains(e.Reply.OneLine(), postfixQueued)
	})
	if end.Reply.Code != codeOK {
		t.Fatalf("message not accepted: %d %s", end.Reply.Code, end.Reply.OneLine())
	}
	events := w.all()[start:]
	rcpts := 0
	for _, e := range events {
		if e.Kind == session.KindReply && e.Reply.Code >= 400 {
			t.Errorf("%s got %d %s during the transaction", describeVerb(e.Command), e.Reply.Code, e.Reply.OneLine())
		}
		if e.Kind == session.KindReply && e.Command == protocol.VerbRCPT {
			rcpts++
		}
	}
	if rcpts != 2 {
		t.Errorf("%d replies to RCPT, want 2 (one per recipient)", rcpts)
	}
	assertPipelined(t, events, protocol.VerbMAIL, protocol.VerbRCPT)

	for _, msg := range env.delivered(t, marker, 2) {
		if !strings.Contains(msg, stuffedLines) {
			t.Errorf("delivered message lost its dotted lines; want %q in:\n%s", stuffedLines, msg)
		}
	}
}

// assertPipelined checks that every command with one of verbs went on the
// wire before the first reply to any of them arrived (RFC 2920 3.1).
func assertPipelined(t *testing.T, events []session.Event, verbs ...string) {
	t.Helper()
	lastSent, firstReply := -1, -1
	for i, e := range events {
		if !slices.Contains(verbs, e.Command) {
			continue
		}
		switch e.Kind {
		case session.KindClient:
			lastSent = i
		case session.KindServer:
			if firstReply < 0 {
				firstReply = i
			}
		}
	}
	if lastSent < 0 || firstReply < 0 || lastSent > firstReply {
		t.Errorf("%v were not pipelined: last sent at event %d, first reply at event %d", verbs, lastSent, firstReply)
	}
}

// delivered waits until want messages containing marker are in the
// instance's maildir and returns them. Without SMTPSCOPE_POSTFIX_MAILDIR,
// or when the maildir is not readable (it belongs to the nobody user; the
// suite normally runs as root), delivery is not checked.
func (e postfixEnv) delivered(t *testing.T, marker string, want int) []string {
	t.Helper()
	if e.Maildir == "" {
		t.Logf("%s is not set: delivery not checked", envPostfixMaildir)
		return nil
	}
	deadline := time.Now().Add(interopWait)
	for {
		var found []string
		for _, sub := range []string{"new", "cur"} {
			entries, _ := os.ReadDir(filepath.Join(e.Maildir, sub))
			for _, ent := range entries {
				data, err := os.ReadFile(filepath.Join(e.Maildir, sub, ent.Name()))
				if errors.Is(err, fs.ErrPermission) {
					t.Logf("cannot read the maildir (%v): delivery not checked", err)
					return nil
				}
				if err == nil && strings.Contains(string(data), marker) {
					found = append(found, string(data))
				}
			}
		}
		if len(found) >= want {
			return found
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d messages with %s delivered to %s within %s (see the Postfix log beside it)",
				len(found), want, marker, e.Maildir, interopWait)
		}
		time.Sleep(deliveryPoll)
	}
}
