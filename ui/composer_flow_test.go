package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// sends returns the lines the UI handed to the engine's Send, in order.
func sends(eng *fakeEngine) []string {
	var out []string
	for _, c := range eng.Calls() {
		if l, ok := strings.CutPrefix(c, "send "); ok {
			out = append(out, l)
		}
	}
	return out
}

// paneText is the text of every record in the session pane, one a line.
func paneText(m *Model) string {
	var b strings.Builder
	for i := range m.pane.Len() {
		b.WriteString(m.pane.store.At(i).text + "\n")
	}
	return b.String()
}

func paste(m *Model, text string) { m.Update(tea.PasteMsg{Content: text}) }

// answer presses keys in an open dialog and hands the dialog's result (a
// command that only emits a message) back to the model, as the program
// would.
func answer(m *Model, keys ...string) {
	for _, k := range keys {
		_, cmd := m.Update(keyPress(k))
		if cmd == nil {
			continue
		}
		switch msg := cmd().(type) {
		case ConfirmMsg, DialogClosedMsg, AuthSubmitMsg:
			m.Update(msg)
		}
	}
}

// TestPasteSplitsAtEveryLineEnd pastes lines ended the way terminals send
// them (CR), and the other ways: each becomes one command, and no command
// carries a CR or LF.
func TestPasteSplitsAtEveryLineEnd(t *testing.T) {
	for name, text := range map[string]string{
		"CR":   "NOOP\rRSET\rVRFY alice\r",
		"LF":   "NOOP\nRSET\nVRFY alice\n",
		"CRLF": "NOOP\r\nRSET\r\nVRFY alice\r\n",
		"mix":  "NOOP\r\nRSET\rVRFY alice",
	} {
		m, eng := newTestModel(t, 120, 40)
		feed(m, afterEHLO())
		paste(m, text)
		got := sends(eng)
		if want := []string{"NOOP", "RSET", "VRFY alice"}; !slices.Equal(got, want) {
			t.Errorf("%s: sent %q, want %q", name, got, want)
		}
		for _, l := range got {
			if strings.ContainsAny(l, "\r\n") {
				t.Errorf("%s: a command carries a line end: %q", name, l)
			}
		}
	}
}

// authLogin emits the reply to AUTH LOGIN: the 334 asking for prompt.
func challenge(s *script, b64 string) *script {
	return s.reply("AUTH", time.Millisecond, "334 "+b64, protocol.StateAuth)
}

// TestAnsweringA334ByHand types the seed's AUTH LOGIN exchange: each
// answer goes out on one enter, is not a command, and never enters the
// history.
func TestAnsweringA334ByHand(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := withTLS(afterEHLO())
	feed(m, s)
	typeText(m, "AUTH LOGIN")
	press(m, "enter")
	feed(m, challenge(s, "VXNlcm5hbWU6"))
	if !m.composer.AnsweringSASL() {
		t.Fatal("after a 334 the composer should take the SASL answer")
	}
	if in := ansi.Strip(m.composer.input.View()); strings.TrimSpace(in) != strings.TrimSpace(saslPrompt) {
		t.Errorf("the answer prompt should be empty, it shows %q (a stale completion?)", in)
	}
	if out := plain(m); !strings.Contains(out, `334 asks "Username:"`) || !strings.Contains(out, "334>") {
		t.Errorf("the decoded prompt is not shown:\n%s", out)
	}
	typeText(m, "ZGVtbw==")
	press(m, "enter")
	feed(m, challenge(s, "UGFzc3dvcmQ6"))
	typeText(m, "ZGVtby1wYXNzd29yZA==")
	if out := plain(m); strings.Contains(out, "ZGVtby1wYXNzd29yZA==") {
		t.Errorf("the password answer is shown while typed:\n%s", out)
	}
	press(m, "enter")
	if got, want := sends(eng), []string{"AUTH LOGIN", "ZGVtbw==", "ZGVtby1wYXNzd29yZA=="}; !slices.Equal(got, want) {
		t.Fatalf("sent %q, want %q (one enter per answer)", got, want)
	}
	feed(m, s.reply("AUTH", time.Millisecond, "235 2.7.0 Authentication successful", protocol.StateReady))
	if m.composer.AnsweringSASL() {
		t.Error("the answer mode should end with the 235")
	}
	for range 5 {
		press(m, "up")
		if v := m.composer.Value(); strings.Contains(v, "AUTH") || strings.Contains(v, "ZGVt") {
			t.Fatalf("the history brings back a credential: %q", v)
		}
	}
}

// TestPlainAnswerIsEncoded uses the helper that encodes what a learner
// types, and the * that cancels.
func TestPlainAnswerIsEncoded(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := withTLS(afterEHLO())
	feed(m, s)
	typeText(m, "AUTH LOGIN")
	press(m, "enter")
	feed(m, challenge(s, "VXNlcm5hbWU6"))
	press(m, "ctrl+b")
	typeText(m, "demo")
	if out := plain(m); !strings.Contains(out, `"demo" → ZGVtbw==`) {
		t.Errorf("plain mode should show the text and its base64:\n%s", out)
	}
	press(m, "enter")
	feed(m, challenge(s, "UGFzc3dvcmQ6"))
	typeText(m, "*")
	press(m, "enter")
	if got, want := sends(eng), []string{"AUTH LOGIN", "ZGVtbw==", "*"}; !slices.Equal(got, want) {
		t.Fatalf("sent %q, want %q", got, want)
	}
}

// TestAnswerThatIsNotBase64Warns: an answer typed as it is, in base64
// mode, is held with a warning naming the plain-text key; a second enter
// sends it as typed, and plain mode encodes it.
func TestAnswerThatIsNotBase64Warns(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := withTLS(afterEHLO())
	feed(m, s)
	typeText(m, "AUTH LOGIN")
	press(m, "enter")
	feed(m, challenge(s, "VXNlcm5hbWU6"))
	typeText(m, "demo@sandbox.test")
	press(m, "enter")
	if got := sends(eng); !slices.Equal(got, []string{"AUTH LOGIN"}) {
		t.Fatalf("sent %q: a non-base64 answer went out without a warning", got)
	}
	if out := plain(m); !strings.Contains(out, "not base64") || !strings.Contains(out, "ctrl+b") {
		t.Errorf("the warning does not say what is wrong and which key helps:\n%s", out)
	}
	press(m, "ctrl+b")
	press(m, "enter")
	feed(m, challenge(s, "UGFzc3dvcmQ6"))
	typeText(m, "not-base64!")
	press(m, "enter")
	press(m, "enter")
	want := []string{"AUTH LOGIN", "ZGVtb0BzYW5kYm94LnRlc3Q=", "not-base64!"}
	if got := sends(eng); !slices.Equal(got, want) {
		t.Fatalf("sent %q, want %q (plain mode encodes; enter again sends as typed)", got, want)
	}
}

// TestPastedAuthWaitsForEach334 pastes AUTH LOGIN with both answers at
// once: the answers wait for their 334 and are never shown.
func TestPastedAuthWaitsForEach334(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := withTLS(afterEHLO())
	feed(m, s)
	paste(m, "AUTH LOGIN\rZGVtbw==\rZGVtby1wYXNzd29yZA==\rNOOP\r")
	if got := sends(eng); !slices.Equal(got, []string{"AUTH LOGIN"}) {
		t.Fatalf("before the first 334 only AUTH may go out, sent %q", got)
	}
	if out := plain(m); strings.Contains(out, "ZGVt") {
		t.Errorf("a queued answer is shown:\n%s", out)
	}
	feed(m, challenge(s, "VXNlcm5hbWU6"))
	feed(m, challenge(s, "UGFzc3dvcmQ6"))
	feed(m, s.reply("AUTH", time.Millisecond, "235 2.7.0 Authentication successful", protocol.StateReady))
	if got, want := sends(eng), []string{"AUTH LOGIN", "ZGVtbw==", "ZGVtby1wYXNzd29yZA==", "NOOP"}; !slices.Equal(got, want) {
		t.Fatalf("sent %q, want %q", got, want)
	}
	for range 5 {
		press(m, "up")
		if v := m.composer.Value(); strings.Contains(v, "ZGVt") || strings.Contains(v, "AUTH") {
			t.Fatalf("the history keeps a credential: %q", v)
		}
	}
}

// remoteModel is a test model whose server counts as remote.
func remoteModel(t *testing.T, opts func(*Options)) (*Model, *fakeEngine) {
	t.Helper()
	m, eng := newTestModel(t, 120, 40)
	m.opts.TreatLoopbackAsRemote = true
	if opts != nil {
		opts(&m.opts)
	}
	return m, eng
}

func TestCleartextAuthAsksFirst(t *testing.T) {
	m, eng := remoteModel(t, nil)
	feed(m, afterEHLO())
	typeText(m, "AUTH PLAIN AGRlbW8AZGVtby1wYXNzd29yZA==")
	press(m, "enter")
	if len(sends(eng)) != 0 {
		t.Fatal("AUTH in clear text went out on the first enter")
	}
	if out := plain(m); !strings.Contains(out, "in clear text") {
		t.Errorf("no cleartext warning:\n%s", out)
	}
	press(m, "enter")
	if got := sends(eng); len(got) != 1 {
		t.Fatalf("the second enter should send it, sent %q", got)
	}

	// The AUTH key asks in a dialog.
	m, eng = remoteModel(t, nil)
	feed(m, afterEHLOReply(ehloAuthInClear))
	press(m, "ctrl+a")
	if _, ok := m.dialog.(*confirmDialog); !ok {
		t.Fatalf("ctrl+a without TLS should ask first, dialog %T", m.dialog)
	}
	answer(m, "n")
	if m.dialog != nil || len(eng.auths) != 0 {
		t.Fatal("no must not log in")
	}
	answer(m, "ctrl+a", "y")
	if _, ok := m.dialog.(*authDialog); !ok {
		t.Fatalf("yes should open the AUTH dialog, got %T", m.dialog)
	}
}

func TestRequireTLSNeverSendsAuthInClear(t *testing.T) {
	m, eng := remoteModel(t, func(o *Options) { o.RequireTLS = true })
	feed(m, afterEHLO())
	typeText(m, "AUTH PLAIN AGRlbW8AZGVtby1wYXNzd29yZA==")
	press(m, "enter", "enter")
	press(m, "ctrl+a")
	if len(sends(eng)) != 0 || m.dialog != nil {
		t.Fatalf("--starttls=require sent AUTH or opened a dialog: %q %T", sends(eng), m.dialog)
	}
}

// TestCommandsBeforeTheGreetingAreQueued types EHLO while the server has
// not greeted yet.
func TestCommandsBeforeTheGreetingAreQueued(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := newScript().connected()
	feed(m, s)
	typeText(m, "EHLO me.example")
	press(m, "enter")
	if len(sends(eng)) != 0 {
		t.Fatal("a command went out before the greeting")
	}
	if out := plain(m); !strings.Contains(out, "queued until the server's 220 greeting: EHLO") || !strings.Contains(out, "me.example") {
		t.Errorf("the queued command is not shown:\n%s", out)
	}
	feed(m, s.reply("", time.Millisecond, "220 ready", protocol.StateGreeted))
	if got := sends(eng); !slices.Equal(got, []string{"EHLO me.example"}) {
		t.Fatalf("after the 220 the queued EHLO should go out, sent %q", got)
	}
}

// TestPastedMessageEndsAtTheDot pastes a whole transaction: the message
// ends at the lone ".", and what follows is a command again.
func TestPastedMessageEndsAtTheDot(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := withTLS(afterEHLO())
	feed(m, s)
	paste(m, "MAIL FROM:<a@sandbox.test>\rRCPT TO:<b@sandbox.test>\rDATA\rSubject: hi\r\rHello\r.\rQUIT\r")
	if got, want := sends(eng), []string{"MAIL FROM:<a@sandbox.test>", "RCPT TO:<b@sandbox.test>", "DATA"}; !slices.Equal(got, want) {
		t.Fatalf("before the 354: sent %q, want %q", got, want)
	}
	feed(m, s.reply("MAIL", time.Millisecond, "250 ok", protocol.StateMail))
	feed(m, s.reply("RCPT", time.Millisecond, "250 ok", protocol.StateRcpt))
	feed(m, s.reply("DATA", time.Millisecond, "354 go ahead", protocol.StateData))
	if len(eng.bodies) != 1 || eng.bodies[0] != "Subject: hi\r\n\r\nHello\r\n" {
		t.Fatalf("the message should be the lines up to the dot, got %q", eng.bodies)
	}
	if got := sends(eng); got[len(got)-1] != "QUIT" {
		t.Errorf("the line after the dot is a command, sent %q", got)
	}
}

// TestTypedDotEndsTheMessage types a message in the DATA editor and ends
// it with a line holding a single dot, as the 354 says.
func TestTypedDotEndsTheMessage(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := inTransaction(withTLS(afterEHLO()))
	feed(m, s)
	typeText(m, "DATA")
	press(m, "enter")
	feed(m, s.reply("DATA", time.Millisecond, "354 go ahead", protocol.StateData))
	if !m.dataMode {
		t.Fatal("354 should open the DATA editor")
	}
	m.body.SetValue("Subject: hi\n\nHello")
	press(m, "enter")
	typeText(m, ".")
	press(m, "enter")
	if m.dataMode || len(eng.bodies) != 1 {
		t.Fatalf("a line with a single dot should send the message (data mode %v, bodies %q)", m.dataMode, eng.bodies)
	}
	if got := eng.bodies[0]; strings.Contains(got, "\n.") || !strings.HasSuffix(got, "Hello\n") {
		t.Errorf("the dot line must not be part of the message: %q", got)
	}
}

// TestEscInTheEditorSaysHowToFinish checks esc does what the footer says.
func TestEscInTheEditorSaysHowToFinish(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := inTransaction(withTLS(afterEHLO()))
	feed(m, s)
	typeText(m, "DATA")
	press(m, "enter")
	feed(m, s.reply("DATA", time.Millisecond, "354 go ahead", protocol.StateData))
	press(m, "esc")
	if out := plain(m); !strings.Contains(out, "The server waits for the message") {
		t.Errorf("esc shows nothing:\n%s", out)
	}
	typeText(m, "x")
	if !strings.HasSuffix(m.body.Value(), "x") || strings.Contains(plain(m), "The server waits for the message") {
		t.Error("typing after esc edits the message and the notice goes")
	}
}

// TestPasteIntoTheEditorEndsAtTheDot pastes the rest of a message and the
// next commands into the DATA editor.
func TestPasteIntoTheEditorEndsAtTheDot(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := inTransaction(withTLS(afterEHLO()))
	feed(m, s)
	typeText(m, "DATA")
	press(m, "enter")
	feed(m, s.reply("DATA", time.Millisecond, "354 go ahead", protocol.StateData))
	m.body.SetValue("")
	paste(m, "Subject: hi\r\rbody line\r.\rQUIT\r")
	if m.dataMode || len(eng.bodies) != 1 || eng.bodies[0] != "Subject: hi\n\nbody line\n" {
		t.Fatalf("the paste should end the message at the dot: data mode %v, bodies %q", m.dataMode, eng.bodies)
	}
	feed(m, s.reply(protocol.EndOfDataVerb, time.Millisecond, "250 2.0.0 queued", protocol.StateReady))
	if got := sends(eng); got[len(got)-1] != "QUIT" {
		t.Errorf("the line after the dot should be sent as a command, sent %q", got)
	}
}

// TestDropDuringDataSaysDeliveryIsUnknown closes the connection after
// the message went out but before its reply.
func TestDropDuringDataSaysDeliveryIsUnknown(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := inTransaction(withTLS(afterEHLO()))
	feed(m, s)
	typeText(m, "DATA")
	press(m, "enter")
	feed(m, s.reply("DATA", time.Millisecond, "354 go ahead", protocol.StateData))
	typeText(m, "Hello")
	press(m, "ctrl+d")
	feed(m, s.add(session.Event{Kind: session.KindClosed, Text: "connection closed by the server"}))
	if out := paneText(m); !strings.Contains(out, "delivery is unknown") || !strings.Contains(out, "twice") {
		t.Errorf("no word on the unknown delivery:\n%s", out)
	}
}

// TestSearchInThePane searches as in less: / and a pattern, then n and N.
func TestSearchInThePane(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, withTLS(afterEHLO()))
	typeText(m, "/")
	if !m.search.editing {
		t.Fatal("/ in an empty composer should open the search")
	}
	typeText(m, "ehlo")
	press(m, "enter")
	first := m.pane.Selected()
	if first < 0 || !strings.Contains(strings.ToLower(m.pane.store.At(first).text), "ehlo") {
		t.Fatalf("enter should select a line holding the pattern, selected %d", first)
	}
	if out := plain(m); !strings.Contains(out, "match 1 of 2") {
		t.Errorf("the footer should count the matches:\n%s", out)
	}
	typeText(m, "n")
	second := m.pane.Selected()
	if second <= first || !strings.Contains(strings.ToLower(m.pane.store.At(second).text), "ehlo") {
		t.Fatalf("n should move to the next match: %d then %d", first, second)
	}
	typeText(m, "N")
	if m.pane.Selected() != first {
		t.Errorf("N should go back to %d, at %d", first, m.pane.Selected())
	}
	typeText(m, "n")
	typeText(m, "n")
	if m.pane.Selected() != first {
		t.Errorf("the search should wrap around to %d, at %d", first, m.pane.Selected())
	}
	press(m, "esc")
	if m.search.Active() {
		t.Error("esc should close the search")
	}
}

// TestPanelExplainsTheFirstFailureOfABatch pastes a transaction whose
// recipient is refused: the 503 to DATA is a consequence, the panel
// explains the 550.
func TestPanelExplainsTheFirstFailureOfABatch(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := withTLS(afterEHLO())
	feed(m, s)
	paste(m, "MAIL FROM:<a@sandbox.test>\rRCPT TO:<nobody@elsewhere.example>\r")
	feed(m, s.reply("MAIL", time.Millisecond, "250 2.1.0 ok", protocol.StateMail))
	feed(m, s.reply("RCPT", time.Millisecond, "550 5.1.1 no such user", protocol.StateMail))
	feed(m, s.reply("DATA", time.Millisecond, "503 5.5.1 no valid recipients", protocol.StateMail))
	if got := m.panel.reply; got == nil || got.Code != 550 {
		t.Fatalf("the panel should explain the 550, shows %v", got)
	}
	typeText(m, "NOOP")
	press(m, "enter")
	feed(m, s.reply("NOOP", time.Millisecond, "250 2.0.0 ok", protocol.StateMail))
	if got := m.panel.reply; got == nil || got.Code != 250 {
		t.Fatalf("a new command starts a new run: the panel should show its reply, shows %v", got)
	}
}

// TestAuthAfterADowngradeAsksEvenOnLoopback gets the session's warning
// that STARTTLS was refused: AUTH then asks first even to a server on this
// machine, and the request says the user agreed.
func TestAuthAfterADowngradeAsksEvenOnLoopback(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := afterEHLO()
	s.add(session.Event{Kind: session.KindWarning, Text: "STARTTLS refused: 454 4.7.0 TLS not available",
		Downgrade: &session.Downgrade{Reason: "the server answered 454 to STARTTLS", Refused: true}})
	feed(m, s)
	m.opts.Auth = &session.AuthRequest{Mechanism: "PLAIN", Username: "demo", Secret: "demo-password"}
	answer(m, "ctrl+a")
	if _, ok := m.dialog.(*confirmDialog); !ok {
		t.Fatalf("after a refused STARTTLS, AUTH should ask first; dialog %T", m.dialog)
	}
	if !strings.Contains(ansi.Strip(m.dialog.View()), "454") {
		t.Errorf("the question should say what happened:\n%s", ansi.Strip(m.dialog.View()))
	}
	answer(m, "y")
	if len(eng.auths) != 1 || !eng.auths[0].AllowCleartext {
		t.Fatalf("yes should run AUTH allowing clear text: %+v", eng.auths)
	}
	typeText(m, "AUTH PLAIN AGRlbW8AZGVtby1wYXNzd29yZA==")
	press(m, "enter")
	if got := sends(eng); len(got) != 0 {
		t.Errorf("a typed AUTH after the downgrade went out on the first enter: %q", got)
	}
}

// TestSuggestionsBecomeKeys gets the session's suggestions: after a silent
// greeting a key reconnects with TLS; after a certificate failure keys
// trust it for this run or skip verification.
func TestSuggestionsBecomeKeys(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := newScript().connected()
	s.add(session.Event{Kind: session.KindWarning, Text: "no greeting after 3s: …", Suggest: session.SuggestImplicitTLS})
	feed(m, s)
	if out := plain(m); !strings.Contains(out, "alt+t reconnects with TLS") {
		t.Errorf("the suggestion is not offered:\n%s", out)
	}
	press(m, "alt+t")
	if !slices.Contains(eng.Calls(), "reconnect tls=true pinned=false insecure=false") {
		t.Fatalf("alt+t should reconnect with TLS: %q", eng.Calls())
	}

	m, eng = newTestModel(t, 120, 40)
	s = newScript().connected()
	info := testTLSInfo()
	info.Verified, info.VerifyError = false, "the certificate expired"
	info.Chain[0].DER = []byte("leaf")
	s.add(session.Event{Kind: session.KindTLS, TLSInfo: info})
	s.add(session.Event{Kind: session.KindError, Text: "certificate: the certificate expired", Suggest: session.SuggestTrustCertificate})
	feed(m, s)
	if out := plain(m); !strings.Contains(out, "alt+k trusts this certificate") {
		t.Errorf("the trust suggestion is not offered:\n%s", out)
	}
	press(m, "alt+k")
	press(m, "alt+i")
	calls := eng.Calls()
	if !slices.Contains(calls, "reconnect tls=false pinned=true insecure=false") {
		t.Fatalf("alt+k should reconnect pinning the certificate: %q", calls)
	}
}

// TestBDATByHandOpensTheChunkEditor types BDAT with a size: the editor
// says the server reads exactly that many octets, counts them, and sends
// them only when they match.
func TestBDATByHandOpensTheChunkEditor(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	feed(m, inTransaction(withTLS(afterEHLO())))
	typeText(m, "BDAT 12 LAST")
	press(m, "enter", "enter") // the test server does not offer CHUNKING: a warning first
	if !slices.Contains(sends(eng), "BDAT 12 LAST") || !m.dataMode || m.body.chunk != 12 {
		t.Fatalf("BDAT should go out and open the chunk editor: %q, data mode %v, chunk %d", sends(eng), m.dataMode, m.body.chunk)
	}
	if out := plain(m); !strings.Contains(out, "BDAT 12: the server reads exactly 12 octets") {
		t.Errorf("the editor does not say what the server waits for:\n%s", out)
	}
	if f := ansi.Strip(m.renderFooter()); !strings.Contains(f, "send the chunk") || strings.Contains(f, "send a file") {
		t.Errorf("the chunk editor's footer offers what it cannot do: %q", f)
	}
	typeText(m, "short")
	press(m, "ctrl+d")
	if !m.dataMode || len(eng.bodies) != 0 {
		t.Fatal("5 octets for BDAT 12 must not be sent")
	}
	// Every notice is read whole, at the narrowest screen too; none
	// speaks of the "." line, which ends DATA, not a chunk.
	for _, size := range [][2]int{{120, 40}, {60, 16}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, k := range []string{"ctrl+d", "esc", "ctrl+o"} {
			press(m, k)
			notice := strings.Join(strings.Fields(m.body.notice), " ")
			out := strings.Join(strings.Fields(strings.NewReplacer("│", " ", "┃", " ").Replace(plain(m))), " ")
			if notice == "" || !strings.Contains(out, notice) || strings.Contains(notice, "single .") {
				t.Errorf("%dx%d, %s: the notice %q is not shown whole:\n%s", size[0], size[1], k, notice, plain(m))
			}
			if !m.dataMode || len(eng.bodies) != 0 {
				t.Fatalf("%s sent something for BDAT 12", k)
			}
		}
	}
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	typeText(m, " text")
	press(m, "enter")
	press(m, "ctrl+d")
	if m.dataMode || len(eng.bodies) != 1 || eng.bodies[0] != "short text\r\n" {
		t.Fatalf("12 octets (CRLF line ends) should be sent: data mode %v, %q", m.dataMode, eng.bodies)
	}
}

// TestCommandAfterGreetingBeforeItsSnapshot types EHLO when the greeting's
// reply has arrived but the state event that follows it is still in the
// next batch: the composer judges by the state the reply left, so EHLO
// goes out without a "not greeted yet" warning.
func TestCommandAfterGreetingBeforeItsSnapshot(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := newScript().connected()
	s.reply("", 20*time.Millisecond, "220 sandbox.test ESMTP ready", protocol.StateGreeted)
	last := s.events[len(s.events)-1]
	if last.Kind != session.KindState {
		t.Fatalf("the script should end with the state event, got %v", last.Kind)
	}
	s.events = s.events[:len(s.events)-1]
	feed(m, s)
	typeText(m, "EHLO client.example")
	press(m, "enter")
	if got := sends(eng); !slices.Equal(got, []string{"EHLO client.example"}) {
		t.Fatalf("sent %q, want the EHLO at once\n%s", got, plain(m))
	}
	if out := plain(m); strings.Contains(out, "greeting yet") {
		t.Errorf("a warning about the greeting after it arrived:\n%s", out)
	}
}

// TestAuthKeyWithoutMechanismsSaysWhatToDo presses the AUTH key where the
// server has offered no mechanism: before EHLO, and before STARTTLS on a
// server that lists AUTH only inside TLS. No dialog that could only fail
// opens; the composer says which key comes first.
func TestAuthKeyWithoutMechanismsSaysWhatToDo(t *testing.T) {
	m, eng := newTestModel(t, 120, 40)
	s := newScript().connected()
	s.reply("", time.Millisecond, "220 sandbox.test ESMTP", protocol.StateGreeted)
	feed(m, s)
	press(m, "ctrl+a")
	if m.dialog != nil || !strings.Contains(plain(m), "send EHLO first") {
		t.Errorf("ctrl+a before EHLO: dialog %T\n%s", m.dialog, plain(m))
	}
	m, eng = newTestModel(t, 120, 40)
	feed(m, afterEHLO())
	press(m, "ctrl+a")
	if m.dialog != nil || !strings.Contains(plain(m), "ctrl+t first, then ctrl+a") {
		t.Errorf("ctrl+a before STARTTLS: dialog %T\n%s", m.dialog, plain(m))
	}
	if len(eng.auths) != 0 || strings.Contains(plain(m), "AUTH …") {
		t.Errorf("nothing was sent, yet AUTH started: %v\n%s", eng.auths, plain(m))
	}
}

// TestAuthThatCannotStartLeavesNoSpinner: the session refuses an AUTH
// before sending anything (no mechanism to choose, the credentials would
// go in clear); the header must not stay on "AUTH …".
func TestAuthThatCannotStartLeavesNoSpinner(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	m.opts.Auth = &session.AuthRequest{Mechanism: "PLAIN", Username: "demo", Secret: "demo-password"}
	feed(m, afterEHLOReply(ehloAuthInClear))
	press(m, "ctrl+a")
	if !strings.Contains(plain(m), "AUTH …") {
		t.Fatalf("the AUTH key did not start AUTH:\n%s", plain(m))
	}
	s := newScript()
	s.add(session.Event{Kind: session.KindError, Command: protocol.VerbAUTH, Text: "AUTH not sent: STARTTLS was refused on this connection"})
	feed(m, s)
	if out := plain(m); strings.Contains(out, "AUTH …") || !strings.Contains(out, "AUTH –") {
		t.Errorf("after an AUTH that never went out the header says it runs:\n%s", out)
	}
}
