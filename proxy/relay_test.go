package proxy

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/session"
)

// plainUpstream is a proxy configuration for a scripted server that
// offers no TLS.
func plainUpstream(addr string) Config {
	return Config{Upstream: session.Config{Address: addr}}
}

// greetAndEHLO plays the start of a session on the server side.
func greetAndEHLO(p *peer, caps ...string) {
	p.writeline("220 mx.test ESMTP")
	p.expect("EHLO")
	ehloLines(p, caps...)
}

func TestPipelinedGroupReachesTheServerBeforeAnyReply(t *testing.T) {
	got := make(chan []string, 1)
	addr := scripted(t, 1, func(p *peer) {
		greetAndEHLO(p, "PIPELINING")
		// If the proxy waited for a reply before relaying the next
		// command, this script would block here.
		var lines []string
		for i := 0; i < 4; i++ {
			lines = append(lines, p.readline())
		}
		got <- lines
		p.writeline("250 2.1.0 sender ok")
		p.writeline("250 2.1.5 rcpt ok")
		p.writeline("250 2.1.5 rcpt ok")
		p.writeline("554 5.5.1 no valid recipients")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	w := startProxy(t, plainUpstream(addr))
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	app.reply()
	app.write("MAIL FROM:<a@app.test>\r\nRCPT TO:<b@mx.test>\r\nRCPT TO:<c@mx.test>\r\nDATA\r\n")
	want := []string{"MAIL FROM:<a@app.test>", "RCPT TO:<b@mx.test>", "RCPT TO:<c@mx.test>", "DATA"}
	if lines := <-got; strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Fatalf("server got %q, want %q", lines, want)
	}
	for _, want := range []string{"250 2.1.0", "250 2.1.5", "250 2.1.5", "554 5.5.1"} {
		app.expect(want)
	}
	// DATA was refused, so the next line is a command again.
	app.writeline("QUIT")
	app.expect("221")
	w.closed(1)
}

func TestEHLOListSaysWhatSmtpscopeOffers(t *testing.T) {
	addr := scripted(t, 1, func(p *peer) {
		greetAndEHLO(p, "PIPELINING", "SIZE 1000")
		p.expect("EHLO") // again, after the application's STARTTLS
		ehloLines(p, "PIPELINING", "SIZE 1000")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	w := startProxy(t, plainUpstream(addr))
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	list := app.reply()
	if !containsLine(list, "250-STARTTLS") || list[len(list)-1] != "250 SIZE 1000" {
		t.Fatalf("first EHLO list %q: want STARTTLS added and the rest unchanged", list)
	}
	w.until("warning: no STARTTLS upstream", kindText(session.KindWarning, "does not offer STARTTLS"))
	app.writeline("STARTTLS")
	app.expect("220")
	if err := app.clientTLS(w.appTLS("localhost")); err != nil {
		t.Fatal(err)
	}
	app.writeline("EHLO app.test")
	if list := app.reply(); containsLine(list, "250-STARTTLS") || containsLine(list, "250 STARTTLS") {
		t.Fatalf("EHLO list inside TLS %q still offers STARTTLS", list)
	}
	w.until("clear-text upstream warning", kindText(session.KindWarning, "upstream leg stays in clear text"))
	app.writeline("QUIT")
	app.expect("221")
	w.closed(1)
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestServerEchoingTheSecretIsRedacted(t *testing.T) {
	const secretB64 = "AGRlbW8Ac2VjcmV0LXZhbHVl" // \0demo\0secret-value
	addr := scripted(t, 1, func(p *peer) {
		greetAndEHLO(p, "AUTH PLAIN")
		p.expect("AUTH PLAIN")
		p.writeline("535 5.7.8 bad credentials: " + secretB64 + " (password secret-value)")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	w := startProxy(t, Config{Upstream: session.Config{Address: addr, StartTLS: session.StartTLSOff}})
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	app.reply()
	app.writeline("AUTH PLAIN " + secretB64)
	if got := app.expect("535"); !strings.Contains(got, secretB64) {
		t.Errorf("the application got %q: the server's reply must reach it unchanged", got)
	}
	app.writeline("QUIT")
	app.expect("221")
	w.closed(1)
	assertNoSecret(t, w, 1, secretB64, "secret-value")
}

// assertNoSecret checks events, the log and the transcript of conn.
func assertNoSecret(t *testing.T, w *watched, conn uint64, secrets ...string) {
	t.Helper()
	tr, ok := w.Transcript(conn)
	if !ok {
		t.Fatalf("no transcript for connection %d", conn)
	}
	var text, jsonl strings.Builder
	tr.WriteText(&text, session.SaveOptions{ShowUsername: true})
	tr.WriteJSONL(&jsonl, session.SaveOptions{ShowUsername: true})
	for _, s := range secrets {
		for where, got := range map[string]string{"events": w.texts(conn), "log": w.log.String(), "transcript": text.String(), "JSON transcript": jsonl.String()} {
			if strings.Contains(got, s) {
				t.Errorf("%s show %q:\n%s", where, s, got)
			}
		}
	}
}

func TestUpstreamSilenceEndsWith421(t *testing.T) {
	addr := scripted(t, 1, func(p *peer) {
		p.writeline("220 mx.test ESMTP")
		p.expect("EHLO")
		p.readline() // never answers; returns when the proxy gives up
	})
	cfg := plainUpstream(addr)
	cfg.Upstream.Timeouts = session.Timeouts{Connect: testGuard, Banner: testGuard, Command: 50 * time.Millisecond, Data: testGuard}
	w := startProxy(t, cfg)
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	if got := app.expect("421 4.4.2"); !strings.Contains(got, "EHLO") {
		t.Errorf("421 %q does not name the command", got)
	}
	e := w.closed(1)
	if e.Err == nil || !strings.Contains(e.Err.Error(), "no reply to EHLO") {
		t.Errorf("closed with %v", e.Err)
	}
}

// A server that floods replies nobody asked for is given up on after a
// few, instead of being relayed until the application gives up.
func TestUnsolicitedReplyFloodEndsTheConnection(t *testing.T) {
	addr := scripted(t, 1, func(p *peer) {
		greetAndEHLO(p)
		for range 5 * maxUnsolicited {
			p.writeline("334 VXNlcm5hbWU6")
		}
		p.readline() // returns when the proxy closes the connection
	})
	w := startProxy(t, plainUpstream(addr))
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	app.reply()
	e := w.closed(1)
	if e.Err == nil || !strings.Contains(e.Err.Error(), "no command was waiting for") {
		t.Errorf("closed with %v, want the flood named", e.Err)
	}
	warnings := strings.Count(w.texts(1), "with no command waiting for it")
	if warnings > maxUnsolicited {
		t.Errorf("%d warnings relayed, want at most %d", warnings, maxUnsolicited)
	}
}

func TestApplicationSilenceEndsWith421(t *testing.T) {
	addr := scripted(t, 1, func(p *peer) {
		p.writeline("220 mx.test ESMTP")
		p.readline()
	})
	cfg := plainUpstream(addr)
	cfg.IdleTimeout = 50 * time.Millisecond
	w := startProxy(t, cfg)
	app := dialApp(t, w.Addr())
	app.expect("220")
	app.expect("421 4.4.2")
	w.until("idle error", kindText(session.KindError, "the application sent nothing"))
	w.closed(1)
}

func TestUnreachableUpstreamIsExplainedToTheApplication(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	w := startProxy(t, plainUpstream(addr))
	app := dialApp(t, w.Addr())
	if got := app.expect("421 4.4.0"); !strings.Contains(got, "connection refused") {
		t.Errorf("the application got %q", got)
	}
	w.closed(1)
}

func TestConnectionsOverTheLimitGet421(t *testing.T) {
	release := make(chan struct{})
	addr := scripted(t, 1, func(p *peer) {
		p.writeline("220 mx.test ESMTP")
		<-release
	})
	cfg := plainUpstream(addr)
	cfg.MaxConns = 1
	w := startProxy(t, cfg)
	first := dialApp(t, w.Addr())
	first.expect("220")
	second := dialApp(t, w.Addr())
	if got := second.expect("421 4.3.2"); !strings.Contains(got, "too many connections") {
		t.Errorf("second connection got %q", got)
	}
	w.until("refusal note", kindText(session.KindWarning, "refused a connection"))
	close(release)
}

func TestRequireRefusesAServerWithoutSTARTTLS(t *testing.T) {
	addr := scripted(t, 1, func(p *peer) {
		greetAndEHLO(p, "PIPELINING")
		p.readline()
	})
	cfg := plainUpstream(addr)
	cfg.Upstream.StartTLS = session.StartTLSRequire
	w := startProxy(t, cfg)
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	if got := app.expect("421 4.7.0"); !strings.Contains(got, "does not offer STARTTLS") {
		t.Errorf("the application got %q", got)
	}
	w.closed(1)
}

func TestCommandsPipelinedAfterSTARTTLSAreDiscarded(t *testing.T) {
	addr := scripted(t, 1, func(p *peer) {
		greetAndEHLO(p, "PIPELINING")
		if l := p.readline(); l != "EHLO app.test" {
			t.Errorf("server got %q after the application's STARTTLS, want its EHLO inside TLS", l)
		}
		ehloLines(p, "PIPELINING")
		p.readline()
	})
	w := startProxy(t, Config{Upstream: session.Config{Address: addr, StartTLS: session.StartTLSOff}})
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	app.reply()
	app.write("STARTTLS\r\nRCPT TO:<injected@evil.test>\r\n")
	app.expect("220")
	if err := app.clientTLS(w.appTLS("localhost")); err != nil {
		t.Fatal(err)
	}
	w.until("injection warning", kindText(session.KindWarning, "without waiting for the 220"))
	app.writeline("EHLO app.test")
	app.reply()
}

func TestMessageContentPassesByteForByte(t *testing.T) {
	// Dot-stuffed lines, a bare LF, a long line and 8-bit text: the server
	// must get exactly what the application sent.
	content := ".. stuffed dot\r\nbare LF here\nlong " + strings.Repeat("x", 3*readBufferSize) + "\r\nüñí\r\n"
	got := make(chan string, 1)
	addr := scripted(t, 1, func(p *peer) {
		greetAndEHLO(p, "8BITMIME")
		p.expect("MAIL")
		p.writeline("250 ok")
		p.expect("RCPT")
		p.writeline("250 ok")
		p.expect("DATA")
		p.writeline("354 go on")
		var b strings.Builder
		for {
			p.c.SetReadDeadline(time.Now().Add(testGuard))
			l, err := p.r.ReadString('\n')
			if err != nil || l == ".\r\n" {
				break
			}
			b.WriteString(l)
		}
		got <- b.String()
		p.writeline("250 2.0.0 queued")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	w := startProxy(t, plainUpstream(addr))
	app := dialApp(t, w.Addr())
	app.reply()
	for _, step := range []struct{ send, want string }{
		{"EHLO app.test", "250"}, {"MAIL FROM:<a@app.test>", "250"}, {"RCPT TO:<b@mx.test>", "250"}, {"DATA", "354"},
	} {
		app.writeline(step.send)
		if r := app.reply(); len(r) == 0 || !strings.HasPrefix(r[len(r)-1], step.want) {
			t.Fatalf("%s: %q", step.send, r)
		}
	}
	app.write(content + ".\r\n")
	if s := <-got; s != content {
		t.Fatalf("server got %d octets, want %d; differ: %v", len(s), len(content), firstDifference(s, content))
	}
	app.expect("250 2.0.0")
	app.writeline("QUIT")
	app.expect("221")
	w.closed(1)
	w.until("bare LF warning", kindText(session.KindWarning, "bare LF"))
}

func firstDifference(a, b string) string {
	for i := 0; i < min(len(a), len(b)); i++ {
		if a[i] != b[i] {
			return fmt.Sprintf("at %d: %q vs %q", i, a[i:min(i+20, len(a))], b[i:min(i+20, len(b))])
		}
	}
	return "one is a prefix of the other"
}

func TestAPanicEndsOnlyItsConnection(t *testing.T) {
	addr := scripted(t, 1, func(p *peer) {
		p.writeline("220 mx.test ESMTP")
		p.readline()
	})
	w := startProxy(t, plainUpstream(addr))
	app := dialApp(t, w.Addr())
	app.expect("220")
	w.Proxy.mu.Lock()
	c := w.Proxy.conns[1]
	w.Proxy.mu.Unlock()
	func() {
		defer c.recoverPanic("test")
		panic("boom")
	}()
	e := w.closed(1)
	if e.Err == nil || !strings.Contains(e.Err.Error(), "smtpscope bug") {
		t.Errorf("closed with %v", e.Err)
	}
	w.until("error event", kindText(session.KindError, "boom"))
	if _, ok := w.Transcript(1); !ok {
		t.Error("the transcript of the ended connection is gone")
	}
}

func TestAnEmptyLineIsJustACommand(t *testing.T) {
	addr := scripted(t, 1, func(p *peer) {
		p.writeline("220 smtp.gmail.com ESMTP a1-20020a05 - gsmtp")
		p.expect("")
		p.writeline("500 5.5.2 Error: bad syntax")
		p.expect("EHLO")
		ehloLines(p, "AUTH LOGIN PLAIN")
		p.expect("AUTH LOGIN")
		p.writeline("535 5.7.8 Username and Password not accepted")
		p.readline()
	})
	w := startProxy(t, Config{Upstream: session.Config{Address: addr, StartTLS: session.StartTLSOff}})
	app := dialApp(t, w.Addr())
	app.expect("220")
	app.writeline("")
	app.expect("500")
	app.writeline("EHLO app.test")
	app.reply()
	app.writeline("AUTH LOGIN ZGVtbw==") // "demo", no domain
	app.expect("535")
	// The reply to the empty line was not taken for a greeting: the
	// provider the real greeting named is still known.
	w.until("username advice", kindText(session.KindWarning, "Gmail / Google Workspace wants the full address"))
}

// An application that floods commands without reading replies makes the
// proxy hold at most maxOutstanding of them unanswered: the rest wait in
// the application's socket, and every one is relayed and answered once
// the server catches up.
func TestCommandFloodIsHeldBackNotHeldInMemory(t *testing.T) {
	const flood = 3 * maxOutstanding
	answer, failed := make(chan struct{}), make(chan struct{})
	addr := scripted(t, 1, func(p *peer) {
		greetAndEHLO(p, "PIPELINING")
		select { // silent until the proxy has held back
		case <-answer:
		case <-failed:
			return
		}
		for i := 0; i < flood; i++ {
			if l := p.readline(); l != "NOOP" {
				p.t.Errorf("command %d: %q", i+1, l)
				return
			}
			p.writeline("250 2.0.0 ok")
		}
	})
	t.Cleanup(func() {
		if t.Failed() {
			close(failed)
		}
	})
	w := startProxy(t, plainUpstream(addr))
	app := dialApp(t, w.Addr())
	app.reply()
	app.writeline("EHLO app.test")
	app.reply()
	app.write(strings.Repeat("NOOP\r\n", flood))
	w.until("hold-back warning", kindText(session.KindWarning, "without waiting for a reply"))
	w.Proxy.mu.Lock()
	c := w.Proxy.conns[1]
	w.Proxy.mu.Unlock()
	c.mu.Lock()
	held := len(c.pending)
	c.mu.Unlock()
	if held > maxOutstanding {
		t.Errorf("%d commands unanswered, want at most %d", held, maxOutstanding)
	}
	close(answer)
	for i := 0; i < flood; i++ {
		app.expect("250 2.0.0")
	}
}
