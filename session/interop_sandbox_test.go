package session

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/internal/nettest"
	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/sandbox"
)

// startSandbox runs our own practice server on loopback, with an implicit
// TLS listener too.
func startSandbox(t *testing.T, scenario string) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(sandbox.Config{TLSListen: "127.0.0.1:0", Scenario: scenario})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func TestInteropSandboxAuthAndSend(t *testing.T) {
	srv := startSandbox(t, "")
	for _, cred := range srv.Credentials() {
		for _, mech := range cred.Mechanisms {
			for _, implicit := range []bool{false, true} {
				name := mech + "/starttls"
				cfg := Config{Address: srv.Addr(), AutoHello: true, StartTLS: StartTLSRequire, RootCAs: srv.RootCAs()}
				if implicit {
					name = mech + "/implicit"
					cfg = Config{Address: srv.TLSAddr(), TLSMode: TLSImplicit, AutoHello: true, RootCAs: srv.RootCAs()}
				}
				t.Run(name, func(t *testing.T) {
					s := New(cfg)
					ev := watch(t, s)
					s.Connect()
					ev.until("EHLO in TLS", func(e Event) bool { return e.Kind == KindReply && e.Command == "EHLO" && e.TLS })
					s.Auth(AuthRequest{Mechanism: mech, Username: cred.Username, Secret: cred.Secret})
					st := ev.until("authenticated state", func(e Event) bool {
						return (e.Kind == KindState && e.Snapshot.Authenticated) || e.Kind == KindError
					})
					if st.Kind == KindError {
						t.Fatalf("AUTH %s: %s\n%s", mech, st.Text, ev.dump())
					}
					ev.finish()
					if strings.Contains(transcriptText(t, s, SaveOptions{ShowUsername: true}), cred.Secret) {
						t.Error("transcript holds the secret")
					}
				})
			}
		}
	}
	s := New(Config{Address: srv.Addr(), AutoHello: true, RootCAs: srv.RootCAs()})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO in TLS", func(e Event) bool { return e.Kind == KindReply && e.Command == "EHLO" && e.TLS })
	body := "Subject: from the session tests\r\n\r\n.dot line\r\n"
	s.SendMessage(Message{From: "demo@sandbox.test", To: []string{"someone@sandbox.test"}, Body: strings.NewReader(body), Size: int64(len(body))})
	r := ev.until("message accepted", func(e Event) bool {
		return e.Kind == KindReply && (e.Command == protocol.EndOfDataVerb || e.Command == "BDAT") && e.State == protocol.StateReady
	})
	if r.Reply.Code != 250 {
		t.Fatalf("message reply %d", r.Reply.Code)
	}
	ev.finish()
	msgs := srv.Messages()
	if len(msgs) != 1 || msgs[0].From != "demo@sandbox.test" {
		t.Fatalf("sandbox holds %+v", msgs)
	}
}

func TestProbeAgainstSandbox(t *testing.T) {
	srv := startSandbox(t, "")
	rep, err := Probe(context.Background(), Config{Address: srv.Addr(), RootCAs: srv.RootCAs()})
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	if rep.BannerCode != 220 || !strings.Contains(rep.Banner, "sandbox.test") {
		t.Errorf("banner %d %q", rep.BannerCode, rep.Banner)
	}
	if rep.TLS == nil || !rep.TLS.Verified || len(rep.TLS.Chain) == 0 || rep.TLSMode != "starttls" {
		t.Errorf("TLS %+v mode %q: want verified STARTTLS with a chain", rep.TLS, rep.TLSMode)
	}
	if len(rep.CapabilitiesPlain) == 0 || len(rep.CapabilitiesTLS) == 0 || len(rep.Changes) == 0 {
		t.Errorf("caps plain %d, tls %d, changes %d", len(rep.CapabilitiesPlain), len(rep.CapabilitiesTLS), len(rep.Changes))
	}
	if len(rep.AuthMechanisms) == 0 || rep.SizeLimit == nil || rep.SizeHuman == "" {
		t.Errorf("auth %v size %v %q", rep.AuthMechanisms, rep.SizeLimit, rep.SizeHuman)
	}
	for _, stage := range []string{"connect", "banner", "ehlo", "starttls", "ehlo_tls", "quit", "total"} {
		if _, ok := rep.TimingsMS[stage]; !ok {
			t.Errorf("no timing for %s: %v", stage, rep.TimingsMS)
		}
	}
	for _, c := range rep.CapabilitiesTLS {
		if c.Keyword == "AUTH" && c.Name == "" {
			t.Error("AUTH capability not explained")
		}
	}
	// A verified sandbox with AUTH only after TLS is a healthy server:
	// nothing to warn about (its certificate does not expire soon).
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings %q: want none for a verified sandbox", rep.Warnings)
	}
}

func TestProbeStages(t *testing.T) {
	srv := startSandbox(t, "")
	cases := []struct {
		name  string
		cfg   Config
		stage Stage
	}{
		{"connect refused", Config{Address: nettest.ClosedAddr(t)}, StageConnect},
		{"untrusted certificate", Config{Address: srv.Addr()}, StageCertificate},
		{"implicit TLS on a plain port", Config{Address: srv.Addr(), TLSMode: TLSImplicit, RootCAs: srv.RootCAs()}, StageTLS},
	}
	for _, c := range cases {
		rep, err := Probe(context.Background(), c.cfg)
		var pe *ProbeError
		if !errors.As(err, &pe) || pe.Stage != c.stage || rep.FailedStage != c.stage {
			t.Errorf("%s: error %v (report stage %q), want stage %q", c.name, err, rep.FailedStage, c.stage)
		}
	}
	rep, err := Probe(context.Background(), Config{Address: srv.Addr(), StartTLS: StartTLSOff})
	if err != nil || rep.TLS != nil || rep.CapabilitiesTLS != nil {
		t.Errorf("--starttls=off: err %v, TLS %+v", err, rep.TLS)
	}
	if !containsText(rep.Warnings, "before TLS") && hasAuth(rep.CapabilitiesPlain) {
		t.Errorf("warnings %v: want cleartext AUTH noted", rep.Warnings)
	}
	rep, err = Probe(context.Background(), Config{Address: srv.Addr(), Insecure: true})
	if err != nil || rep.TLS == nil || rep.TLS.Verified || !containsText(rep.Warnings, "--insecure") {
		t.Errorf("--insecure: err %v, tls %+v, warnings %v", err, rep.TLS, rep.Warnings)
	}
}

func containsText(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func hasAuth(caps []ProbeCapability) bool {
	for _, c := range caps {
		if c.Keyword == "AUTH" {
			return true
		}
	}
	return false
}

// The fresh EHLO that follows STARTTLS repeats the name the user typed in
// their own EHLO, not the configured default.
func TestStartTLSRepeatsTheTypedEHLOName(t *testing.T) {
	srv := startSandbox(t, "")
	s := New(Config{Address: srv.Addr(), RootCAs: srv.RootCAs()})
	ev := watch(t, s)
	s.Connect()
	ev.until("greeting", func(e Event) bool { return e.Kind == KindReply && e.Reply.Code == 220 })
	s.Send("EHLO laptop.local")
	ev.until("EHLO", func(e Event) bool { return e.Kind == KindReply && e.Command == "EHLO" })
	s.StartTLS()
	e := ev.until("EHLO inside TLS", func(e Event) bool { return e.Kind == KindClient && e.TLS && strings.HasPrefix(e.Text, "EHLO") })
	if e.Text != "EHLO laptop.local" {
		t.Errorf("EHLO after STARTTLS = %q, want the typed name again", e.Text)
	}
}

// Event.Auto tells the lines smtpscope composed (the automatic greeting,
// an exchange run by Auth, a whole SendMessage) from those given to Send
// and SendBody, which a person typed.
func TestClientLinesSayWhoComposedThem(t *testing.T) {
	srv := startSandbox(t, "")
	s := New(Config{Address: srv.Addr(), AutoHello: true, RootCAs: srv.RootCAs()})
	ev := watch(t, s)
	s.Connect()
	auto := ev.until("the automatic EHLO", func(e Event) bool { return e.Kind == KindClient && e.Command == "EHLO" })
	if !auto.Auto {
		t.Errorf("automatic %q: Auto false", auto.Text)
	}
	ev.until("EHLO in TLS", func(e Event) bool { return e.Kind == KindReply && e.Command == "EHLO" && e.TLS })
	s.Send("NOOP")
	if e := ev.until("NOOP", func(e Event) bool { return e.Kind == KindClient && e.Command == "NOOP" }); e.Auto {
		t.Errorf("typed %q: Auto true", e.Text)
	}
	s.Auth(AuthRequest{Mechanism: "PLAIN", Username: sandbox.DemoUsername, Secret: sandbox.DemoPassword})
	if e := ev.until("AUTH", func(e Event) bool { return e.Kind == KindClient && e.Command == "AUTH" }); !e.Auto {
		t.Errorf("AUTH run by Auth: Auto false")
	}
	ev.until("235", func(e Event) bool { return e.Kind == KindReply && e.Command == "AUTH" })
	s.Send("MAIL FROM:<demo@sandbox.test>")
	s.Send("RCPT TO:<a@sandbox.test>")
	s.Send("DATA")
	ev.until("354", func(e Event) bool { return e.Kind == KindReply && e.Command == "DATA" })
	s.SendBody(strings.NewReader("Subject: typed\r\n\r\nhello\r\n"), -1)
	var lines []Event
	ev.until("end of data", func(e Event) bool {
		if e.Kind == KindClient {
			lines = append(lines, e)
		}
		return e.Kind == KindClient && e.Command == protocol.EndOfDataVerb
	})
	for _, e := range lines {
		if e.Auto {
			t.Errorf("message line %q given to SendBody: Auto true", e.Text)
		}
	}
	ev.until("250 to the message", func(e Event) bool { return e.Kind == KindReply && e.Command == protocol.EndOfDataVerb })
	s.SendMessage(Message{From: "demo@sandbox.test", To: []string{"b@sandbox.test"}, Body: strings.NewReader("Subject: form\r\n\r\nhi\r\n"), Size: -1})
	if e := ev.until("MAIL of SendMessage", func(e Event) bool { return e.Kind == KindClient && e.Command == "MAIL" }); !e.Auto {
		t.Errorf("SendMessage's %q: Auto false", e.Text)
	}
	ev.finish()
}
