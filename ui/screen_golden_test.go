package ui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// updating reports whether -update was given: go test ./ui -update
// rewrites the whole-screen golden files (and, through shouldUpdatePanels,
// the panel and dialog ones). The flag itself is registered by
// charmbracelet/x/exp/golden, which teatest brings in.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// goldenSizes are the terminal sizes every main screen is checked at.
var goldenSizes = [][2]int{{120, 40}, {80, 24}}

// checkScreenGolden compares the styled-stripped frame with
// testdata/screen_<name>_<w>x<h>.golden and checks the frame's size.
func checkScreenGolden(t *testing.T, name string, m *Model) {
	t.Helper()
	frame := plain(m)
	checkFrameSize(t, frame, m.width, m.height)
	path := screenGoldenPath(name, m.width, m.height)
	got := frame + "\n"
	if updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (rerun with -update and review the diff)\n--- got ---\n%s--- want ---\n%s", path, got, want)
	}
}

func screenGoldenPath(name string, w, h int) string {
	return filepath.Join("testdata", fmt.Sprintf("screen_%s_%dx%d.golden", name, w, h))
}

// ehloAfterTLS is the sandbox's capability list once TLS is up.
const ehloAfterTLS = "250-sandbox.test greets client.example\n250-PIPELINING\n250-SIZE 10240000\n250-8BITMIME\n250-ENHANCEDSTATUSCODES\n250-AUTH PLAIN LOGIN SCRAM-SHA-256 XOAUTH2\n250 SMTPUTF8"

// testTLSInfo is a fixed handshake report.
func testTLSInfo() *session.TLSInfo {
	return &session.TLSInfo{
		Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256", ServerName: "sandbox.test",
		Verified: true, Handshake: 3 * time.Millisecond,
		Chain: []session.CertInfo{{
			Subject: "CN=sandbox.test", Issuer: "CN=smtpscope sandbox CA", DNSNames: []string{"sandbox.test"},
			NotBefore: time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2025, 6, 12, 0, 0, 0, 0, time.UTC),
			KeyType: "ECDSA P-256", Signature: "ECDSA-SHA256",
		}},
	}
}

// withTLS runs STARTTLS and the second EHLO on the script.
func withTLS(s *script) *script {
	s.client("STARTTLS", "STARTTLS")
	s.reply("STARTTLS", time.Millisecond, "220 2.0.0 Ready to start TLS", protocol.StateTLSHandshake)
	s.add(session.Event{Kind: session.KindInfo, Text: "TLS handshake done: TLS 1.3, certificate verified for sandbox.test"})
	s.add(session.Event{Kind: session.KindTLS, TLSInfo: testTLSInfo()})
	s.snap.CapsBeforeTLS = s.snap.Caps
	s.snap.Caps = protocol.Capabilities{}
	s.snap.TLS = true
	s.snap.State = protocol.StateGreeted
	s.stateChange()
	s.client("EHLO client.example", "EHLO")
	r, _ := protocol.ParseReply(strings.ReplaceAll(ehloAfterTLS, "\n", "\r\n") + "\r\n")
	s.snap.Caps = protocol.ParseEHLO(r)
	return s.reply("EHLO", 2*time.Millisecond, ehloAfterTLS, protocol.StateReady)
}

// failed535 is a Gmail-style refused login after AUTH LOGIN.
func failed535(s *script) *script {
	s.client("AUTH LOGIN", "AUTH")
	s.reply("AUTH", 39*time.Millisecond, "334 VXNlcm5hbWU6", protocol.StateAuth)
	s.add(session.Event{Kind: session.KindClient, Text: "●●●●●●●● (SASL response, redacted)", Redacted: true, Command: "AUTH", TLS: true})
	s.reply("AUTH", 38*time.Millisecond, "334 UGFzc3dvcmQ6", protocol.StateAuth)
	s.add(session.Event{Kind: session.KindClient, Text: "●●●●●●●● (SASL response, redacted)", Redacted: true, Command: "AUTH", TLS: true})
	return s.reply("AUTH", 88*time.Millisecond,
		"535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials", protocol.StateReady)
}

// goldenScreen is one main screen checked against golden files: a name
// and the steps that bring a fresh test model to it.
type goldenScreen struct {
	name  string
	setup func(m *Model)
}

// goldenScreens are the main screens with golden files.
func goldenScreens() []goldenScreen {
	return []goldenScreen{
		{"sandbox_ehlo", func(m *Model) { feed(m, afterEHLO()) }},
		{"auth_535", func(m *Model) {
			m.opts.Host = "smtp.gmail.com"
			feed(m, failed535(withTLS(afterEHLO())))
		}},
		{"capabilities", func(m *Model) {
			feed(m, withTLS(afterEHLO()))
			m.panel.SetTab(TabCapabilities)
		}},
		{"tls", func(m *Model) {
			feed(m, withTLS(afterEHLO()))
			m.panel.SetTab(TabTLS)
		}},
		{"data", func(m *Model) {
			s := inTransaction(withTLS(afterEHLO()))
			feed(m, s)
			m.envFrom, m.envTo = "alice@example.com", []string{"bob@example.com"}
			typeText(m, "DATA")
			press(m, "enter")
			s.client("DATA", "DATA")
			s.reply("DATA", time.Millisecond, "354 Start mail input; end with <CRLF>.<CRLF>", protocol.StateData)
			feed(m, s)
			typeText(m, "Hello Bob,\nthis is a test.")
		}},
		{"auth_dialog", func(m *Model) {
			feed(m, withTLS(afterEHLO()))
			press(m, "ctrl+a")
		}},
		{"help", func(m *Model) {
			feed(m, afterEHLO())
			press(m, "?")
		}},
		{"sequence_warning", func(m *Model) {
			feed(m, afterEHLO())
			typeText(m, "RCPT TO:<bob@example.com>")
			press(m, "enter")
		}},
	}
}

func TestScreenGoldens(t *testing.T) {
	for _, sc := range goldenScreens() {
		for _, size := range goldenSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				m, _ := newTestModel(t, size[0], size[1])
				sc.setup(m)
				checkScreenGolden(t, sc.name, m)
			})
		}
	}
}

// TestResizeNeverCorruptsTheFrame renders at a series of sizes, growing and
// shrinking, and checks every frame fills the terminal exactly.
func TestResizeNeverCorruptsTheFrame(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	feed(m, failed535(withTLS(afterEHLO())))
	for _, size := range [][2]int{{80, 24}, {150, 50}, {61, 17}, {99, 30}, {100, 30}, {45, 12}, {120, 40}} {
		m.Update(teaSize(size[0], size[1]))
		frame := plain(m)
		if size[0] < MinWidth || size[1] < MinHeight {
			if !strings.Contains(frame, "too small") {
				t.Errorf("%dx%d: want the too-small message", size[0], size[1])
			}
			continue
		}
		checkFrameSize(t, frame, size[0], size[1])
	}
	// A frame of the styled output must keep its size too.
	checkFrameSize(t, ansi.Strip(m.View().Content), 120, 40)
}
