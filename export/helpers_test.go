package export

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/sandbox"
	"github.com/smtpscope/smtpscope/session"
)

// runLimit bounds one exported program's run; it is a safety net against
// a hang, never a measurement.
const runLimit = 2 * time.Minute

// testbed is a sandbox on loopback with its CA written to a file.
type testbed struct {
	srv    *sandbox.Server
	caFile string
	dir    string
}

func newTestbed(t *testing.T) *testbed {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Config{TLSListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	ca := filepath.Join(dir, "sandbox-ca.pem")
	if err := os.WriteFile(ca, srv.CACertificatePEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return &testbed{srv: srv, caFile: ca, dir: dir}
}

// liveOptions describe the session to run against the sandbox.
type liveOptions struct {
	implicit     bool
	mechanism    string
	showUsername bool
	from         string
	to           []string
	message      string // sent after DATA, so the transcript keeps it
	chunked      bool   // send with SendMessage (BDAT): the transcript keeps no content
}

// liveSession runs a real smtpscope session against the sandbox and
// returns its transcript as saved (JSON lines) and read back.
func (tb *testbed) liveSession(t *testing.T, o liveOptions) []session.Line {
	t.Helper()
	cfg := session.Config{Address: tb.srv.Addr(), AutoHello: true, StartTLS: session.StartTLSRequire,
		RootCAs: tb.srv.RootCAs(), Helo: "client.test", ShowUsername: o.showUsername}
	if o.implicit {
		cfg.Address, cfg.TLSMode, cfg.StartTLS = tb.srv.TLSAddr(), session.TLSImplicit, session.StartTLSAuto
	}
	s := session.New(cfg)
	ev := &eventWaiter{t: t, ch: s.Events()}
	t.Cleanup(func() {
		s.Close()
		for range s.Events() {
		}
	})
	s.Connect()
	ev.until(func(e session.Event) bool { return e.Kind == session.KindReply && e.Command == "EHLO" && e.TLS })
	if o.mechanism != "" {
		s.Auth(session.AuthRequest{Mechanism: o.mechanism, Username: sandbox.DemoUsername, Secret: secretFor(o.mechanism)})
		ev.until(func(e session.Event) bool {
			return e.Kind == session.KindReply && e.Command == "AUTH" && e.Reply.Code == 235
		})
	}
	if o.chunked {
		s.SendMessage(session.Message{From: o.from, To: o.to, Body: strings.NewReader(o.message), Size: int64(len(o.message))})
		ev.until(func(e session.Event) bool {
			return e.Kind == session.KindReply && e.Command == "BDAT" && e.Reply.Code == 250
		})
	} else {
		s.Send("MAIL FROM:<" + o.from + ">")
		ev.until(replyTo("MAIL", 250))
		for _, r := range o.to {
			s.Send("RCPT TO:<" + r + ">")
			ev.until(replyTo("RCPT", 250))
		}
		s.Send("DATA")
		ev.until(replyTo("DATA", 354))
		s.SendBody(strings.NewReader(o.message), int64(len(o.message)))
		ev.until(replyTo(".", 250))
	}
	var buf bytes.Buffer
	if err := s.Transcript().WriteJSONL(&buf, session.SaveOptions{ShowUsername: o.showUsername}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte(secretFor(o.mechanism))) {
		t.Fatal("the saved transcript holds the secret")
	}
	lines, err := session.ReadJSONL(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// secretFor is the sandbox's demo secret for a mechanism.
func secretFor(mech string) string {
	if mech == mechXOAuth2 || mech == mechOAuthBearer {
		return sandbox.DemoToken
	}
	return sandbox.DemoPassword
}

func replyTo(verb string, code int) func(session.Event) bool {
	return func(e session.Event) bool {
		return e.Kind == session.KindReply && e.Command == verb && e.Reply.Code == code
	}
}

// eventWaiter reads session events until a condition holds; an error
// event or the end of the session fails the test.
type eventWaiter struct {
	t       *testing.T
	ch      <-chan []session.Event
	pending []session.Event
}

func (w *eventWaiter) until(ok func(session.Event) bool) session.Event {
	w.t.Helper()
	timer := time.NewTimer(runLimit)
	defer timer.Stop()
	for {
		for len(w.pending) > 0 {
			e := w.pending[0]
			w.pending = w.pending[1:]
			if ok(e) {
				return e
			}
			if e.Kind == session.KindError {
				w.t.Fatalf("session error: %s", e.Text)
			}
		}
		select {
		case batch, open := <-w.ch:
			if !open {
				w.t.Fatal("the session ended before the expected event")
			}
			w.pending = append(w.pending, batch...)
		case <-timer.C:
			w.t.Fatal("no expected event from the session")
		}
	}
}

// runExport writes code to a file and runs it with the tool of its
// format, with the secret and CA file in the environment. It skips the
// test when the tool is not installed.
func (tb *testbed) runExport(t *testing.T, r Result, env ...string) {
	t.Helper()
	dir := t.TempDir()
	var cmd *exec.Cmd
	ctx, cancel := context.WithTimeout(context.Background(), runLimit)
	defer cancel()
	switch r.Format {
	case Swaks, Curl:
		need(t, string(r.Format), "install Debian's "+string(r.Format)+" package (.ci/run does)")
		file := filepath.Join(dir, "send.sh")
		write(t, file, r.Code)
		cmd = exec.CommandContext(ctx, "sh", file)
	case Python:
		need(t, "python3", "install python3 to run the Python export")
		file := filepath.Join(dir, "send.py")
		write(t, file, r.Code)
		cmd = exec.CommandContext(ctx, "python3", file)
	case Nodemailer:
		need(t, "node", "install Node.js to run the nodemailer export")
		modules := os.Getenv("SMTPSCOPE_NODE_MODULES")
		if modules == "" {
			t.Skip("nodemailer export not run: set SMTPSCOPE_NODE_MODULES to a node_modules folder holding nodemailer (.ci/run does)")
		}
		file := filepath.Join(dir, "send.js")
		write(t, file, r.Code)
		cmd = exec.CommandContext(ctx, "node", file)
		env = append(env, "NODE_PATH="+modules)
	case Go:
		write(t, filepath.Join(dir, "go.mod"), "module send\n\ngo 1.21\n")
		write(t, filepath.Join(dir, "main.go"), r.Code)
		bin := filepath.Join(dir, "send")
		build := exec.CommandContext(ctx, goTool(t), "build", "-o", bin, ".")
		build.Dir = dir
		build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOPROXY=off")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("the Go export does not build: %v\n%s\n%s", err, out, numbered(r.Code))
		}
		cmd = exec.CommandContext(ctx, bin)
	}
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SMTP_CA_FILE="+tb.caFile)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s export failed: %v\n%s\n--- code:\n%s", r.Format, err, out, numbered(r.Code))
	}
}

func need(t *testing.T, tool, how string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not found: %s", tool, how)
	}
}

// goTool is the go command, to build the Go export.
func goTool(t *testing.T) string {
	t.Helper()
	need(t, "go", "the Go export is built with the go command")
	return "go"
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// numbered shows code with line numbers for failure messages.
func numbered(code string) string {
	var b strings.Builder
	for i, l := range strings.Split(code, "\n") {
		b.WriteString(fmt.Sprintf("%4d  %s\n", i+1, l))
	}
	return b.String()
}

// lastMessage is the newest message the sandbox received.
func (tb *testbed) lastMessage(t *testing.T) sandbox.Message {
	t.Helper()
	msgs := tb.srv.Messages()
	if len(msgs) == 0 {
		t.Fatal("the sandbox received no message")
	}
	return msgs[len(msgs)-1]
}

// sameMessage checks that got carries want's headers (decoded, unfolded)
// and body (transfer encoding undone, line ends normalized).
func sameMessage(t *testing.T, got []byte, want string) {
	t.Helper()
	gm, err := mail.ReadMessage(bytes.NewReader(got))
	if err != nil {
		t.Fatalf("the delivered message does not parse: %v\n%s", err, got)
	}
	wm, err := mail.ReadMessage(strings.NewReader(want))
	if err != nil {
		t.Fatalf("the test message does not parse: %v", err)
	}
	dec := new(mime.WordDecoder)
	norm := func(v string) string {
		d, err := dec.DecodeHeader(v)
		if err != nil {
			d = v
		}
		return strings.Join(strings.Fields(d), " ")
	}
	for name, values := range wm.Header {
		if mimeFields[name] {
			continue
		}
		gv := gm.Header[name]
		if len(gv) != len(values) {
			t.Errorf("header %s: got %q, want %q", name, gv, values)
			continue
		}
		for i := range values {
			if norm(gv[i]) != norm(values[i]) {
				t.Errorf("header %s: got %q, want %q", name, norm(gv[i]), norm(values[i]))
			}
		}
	}
	gb := decodeBody(t, gm)
	wb, _ := io.ReadAll(wm.Body)
	normBody := func(b []byte) string {
		return strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	}
	if normBody(gb) != normBody(wb) {
		t.Errorf("body:\n got %q\nwant %q", normBody(gb), normBody(wb))
	}
}

// decodeBody undoes a Content-Transfer-Encoding the library chose.
func decodeBody(t *testing.T, m *mail.Message) []byte {
	t.Helper()
	var r io.Reader = m.Body
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("the delivered body does not decode: %v", err)
	}
	return b
}
