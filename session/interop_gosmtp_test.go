package session

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	gosasl "github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/xdg-go/scram"

	"github.com/smtpscope/smtpscope/protocol"
)

// Credentials every go-smtp test mechanism accepts.
const (
	interopUser   = "demo"
	interopSecret = "demo-password-Ω" // non-ASCII: SCRAM's SASLprep must agree on both sides
	cramChallenge = "<1896.697170952@mx.test>"
)

// interopBackend is a go-smtp backend whose sessions speak every
// mechanism smtpscope has and keep the messages they get.
type interopBackend struct {
	mu       sync.Mutex
	messages []string
	authed   []string // mechanisms that succeeded
}

func (b *interopBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &interopSession{b: b}, nil
}

type interopSession struct{ b *interopBackend }

func (s *interopSession) Reset()                               {}
func (s *interopSession) Logout() error                        { return nil }
func (s *interopSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *interopSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *interopSession) AuthMechanisms() []string             { return interopMechs }
func (s *interopSession) ok(mech string) {
	s.b.mu.Lock()
	s.b.authed = append(s.b.authed, mech)
	s.b.mu.Unlock()
}
func (s *interopSession) check(mech, user, secret string) error {
	if user != interopUser || secret != interopSecret {
		return errors.New("invalid credentials")
	}
	s.ok(mech)
	return nil
}

func (s *interopSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	s.b.messages = append(s.b.messages, string(b))
	s.b.mu.Unlock()
	return nil
}

var interopMechs = []string{"PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "OAUTHBEARER", "SCRAM-SHA-1", "SCRAM-SHA-256", "EXTERNAL", "ANONYMOUS"}

func (s *interopSession) Auth(mech string) (gosasl.Server, error) {
	switch mech {
	case "PLAIN":
		return gosasl.NewPlainServer(func(_, user, pass string) error { return s.check(mech, user, pass) }), nil
	case "LOGIN":
		return &loginServer{check: func(u, p string) error { return s.check(mech, u, p) }}, nil
	case "CRAM-MD5":
		return &cramServer{check: func(u, digest string) error {
			mac := hmac.New(md5.New, []byte(interopSecret))
			mac.Write([]byte(cramChallenge))
			return s.check(mech, u, map[bool]string{true: interopSecret}[digest == hex.EncodeToString(mac.Sum(nil))])
		}}, nil
	case "XOAUTH2":
		return &xoauth2Server{check: func(u, tok string) error { return s.check(mech, u, tok) }}, nil
	case "OAUTHBEARER":
		return gosasl.NewOAuthBearerServer(func(o gosasl.OAuthBearerOptions) *gosasl.OAuthBearerError {
			if s.check(mech, o.Username, o.Token) != nil {
				return &gosasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		}), nil
	case "SCRAM-SHA-1", "SCRAM-SHA-256":
		return newScramServer(mech, func() { s.ok(mech) })
	case "EXTERNAL":
		return gosasl.NewExternalServer(func(identity string) error { s.ok(mech); return nil }), nil
	case "ANONYMOUS":
		return gosasl.NewAnonymousServer(func(trace string) error { s.ok(mech); return nil }), nil
	}
	return nil, errors.New("unknown mechanism")
}

// loginServer prompts with unusual wording to check that the client does
// not depend on "Username:"/"Password:".
type loginServer struct {
	step  int
	user  string
	check func(u, p string) error
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	l.step++
	switch l.step {
	case 1:
		return []byte("Who are you?"), false, nil // go-smtp sends no initial response for LOGIN
	case 2:
		l.user = string(resp)
		return []byte("And the secret word"), false, nil
	}
	return nil, true, l.check(l.user, string(resp))
}

type cramServer struct {
	sent  bool
	check func(u, digest string) error
}

func (c *cramServer) Next(resp []byte) ([]byte, bool, error) {
	if !c.sent {
		c.sent = true
		return []byte(cramChallenge), false, nil
	}
	u, d, _ := strings.Cut(string(resp), " ")
	return nil, true, c.check(u, d)
}

type xoauth2Server struct{ check func(u, tok string) error }

func (x *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if resp == nil {
		return []byte{}, false, nil
	}
	var user, tok string
	for _, f := range strings.Split(string(resp), "\x01") {
		if v, ok := strings.CutPrefix(f, "user="); ok {
			user = v
		}
		if v, ok := strings.CutPrefix(f, "auth=Bearer "); ok {
			tok = v
		}
	}
	return nil, true, x.check(user, tok)
}

// scramServer runs an xdg-go/scram server conversation.
type scramServer struct {
	conv *scram.ServerConversation
	ok   func()
}

func newScramServer(mech string, ok func()) (gosasl.Server, error) {
	gen := scram.SHA256
	if mech == "SCRAM-SHA-1" {
		gen = scram.SHA1
	}
	client, err := gen.NewClient(interopUser, interopSecret, "")
	if err != nil {
		return nil, err
	}
	creds := client.GetStoredCredentials(scram.KeyFactors{Salt: "QSXCR+Q6sek8bf92", Iters: 4096})
	srv, err := gen.NewServer(func(user string) (scram.StoredCredentials, error) {
		if user != interopUser {
			return scram.StoredCredentials{}, errors.New("unknown user")
		}
		return creds, nil
	})
	if err != nil {
		return nil, err
	}
	return &scramServer{conv: srv.NewConversation(), ok: ok}, nil
}

func (s *scramServer) Next(resp []byte) ([]byte, bool, error) {
	if resp == nil {
		return []byte{}, false, nil // no initial response: ask for the client-first message
	}
	if s.conv.Done() {
		if !s.conv.Valid() {
			return nil, true, errors.New("SCRAM proof invalid")
		}
		s.ok()
		return nil, true, nil
	}
	out, err := s.conv.Step(string(resp))
	if err != nil {
		return nil, true, err
	}
	return []byte(out), false, nil
}

// startGoSMTP serves the backend on loopback: plain with STARTTLS, or
// implicit TLS.
func startGoSMTP(t *testing.T, implicit bool, cert tls.Certificate) (string, *interopBackend) {
	t.Helper()
	be := &interopBackend{}
	srv := smtp.NewServer(be)
	srv.Domain = "gosmtp.test"
	srv.AllowInsecureAuth = true
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	var ln net.Listener
	var err error
	if implicit {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", srv.TLSConfig)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), be
}

func TestInteropGoSMTPEveryMechanismOverEveryTransport(t *testing.T) {
	pki := newPKI(t)
	cert := pki.goodLeaf(t)
	transports := []struct {
		name     string
		implicit bool
		starttls StartTLSPolicy
	}{
		{"plain", false, StartTLSOff},
		{"starttls", false, StartTLSRequire},
		{"implicit", true, StartTLSOff},
	}
	for _, tr := range transports {
		addr, be := startGoSMTP(t, tr.implicit, cert)
		for _, mech := range interopMechs {
			for _, noIR := range []bool{false, true} {
				name := tr.name + "/" + mech
				if noIR {
					name += "/no-initial-response"
				}
				t.Run(name, func(t *testing.T) {
					mode := TLSNone
					if tr.implicit {
						mode = TLSImplicit
					}
					s := New(Config{Address: addr, TLSMode: mode, StartTLS: tr.starttls, AutoHello: true, RootCAs: pki.pool})
					ev := watch(t, s)
					s.Connect()
					ev.until("EHLO reply", func(e Event) bool {
						return e.Kind == KindReply && e.Command == "EHLO" && e.TLS == (tr.name != "plain")
					})
					s.Auth(AuthRequest{Mechanism: mech, Username: interopUser, Secret: interopSecret, NoInitialResponse: noIR})
					done := ev.until("authenticated", func(e Event) bool {
						return (e.Kind == KindInfo && strings.HasPrefix(e.Text, "authenticated")) || e.Kind == KindError
					})
					if done.Kind == KindError {
						t.Fatalf("AUTH %s failed: %s\n%s", mech, done.Text, ev.dump())
					}
					ev.finish()
					text := transcriptText(t, s, SaveOptions{ShowUsername: true})
					if strings.Contains(text, interopSecret) {
						t.Errorf("transcript holds the secret:\n%s", text)
					}
					for _, e := range ev.all {
						if strings.Contains(e.Text, interopSecret) {
							t.Errorf("event holds the secret: %+v", e)
						}
					}
				})
			}
		}
		be.mu.Lock()
		if len(be.authed) != 2*len(interopMechs) {
			t.Errorf("%s: server saw %d successful logins (%v), want %d", tr.name, len(be.authed), be.authed, 2*len(interopMechs))
		}
		be.mu.Unlock()
	}
}

func TestInteropGoSMTPSendMessage(t *testing.T) {
	pki := newPKI(t)
	addr, be := startGoSMTP(t, false, pki.goodLeaf(t))
	s := New(Config{Address: addr, AutoHello: true, RootCAs: pki.pool})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO in TLS", func(e Event) bool { return e.Kind == KindReply && e.Command == "EHLO" && e.TLS })
	body := "Subject: interop\r\n\r\n.starts with a dot\r\nline two\r\n"
	s.SendMessage(Message{From: "a@x.test", To: []string{"b@x.test", "c@x.test"}, Body: strings.NewReader(body), Size: int64(len(body))})
	r := ev.until("final reply", func(e Event) bool {
		return e.Kind == KindReply && (e.Command == protocol.EndOfDataVerb || (e.Command == "BDAT" && e.State == protocol.StateReady))
	})
	if r.Reply.Code != 250 {
		t.Fatalf("final reply %d", r.Reply.Code)
	}
	ev.finish()
	be.mu.Lock()
	defer be.mu.Unlock()
	if len(be.messages) != 1 || be.messages[0] != body {
		t.Errorf("server got %q, want the body unchanged", be.messages)
	}
}

func TestAuthRedactionByDefaultAndUsernameOnRequest(t *testing.T) {
	pki := newPKI(t)
	addr, _ := startGoSMTP(t, false, pki.goodLeaf(t))
	for _, show := range []bool{false, true} {
		s := New(Config{Address: addr, AutoHello: true, RootCAs: pki.pool, ShowUsername: show})
		ev := watch(t, s)
		s.Connect()
		ev.until("EHLO in TLS", func(e Event) bool { return e.Kind == KindReply && e.Command == "EHLO" && e.TLS })
		s.Auth(AuthRequest{Mechanism: "LOGIN", Username: interopUser, Secret: interopSecret})
		prompt := ev.until("334 prompt", func(e Event) bool { return e.Kind == KindServer && strings.HasPrefix(e.Text, "334") })
		if prompt.Decoded != "Who are you?" {
			t.Errorf("decoded prompt %q", prompt.Decoded)
		}
		ev.until("authenticated", textHas(KindInfo, "authenticated"))
		ev.finish()
		hidden := transcriptText(t, s, SaveOptions{})
		if strings.Contains(hidden, "ZGVtbw==") || strings.Contains(hidden, `"demo"`) {
			t.Errorf("transcript shows the username without being asked:\n%s", hidden)
		}
		if !strings.Contains(hidden, "(username, redacted)") || !strings.Contains(hidden, "(password, redacted)") {
			t.Errorf("transcript does not say what was sent:\n%s", hidden)
		}
		if shown := transcriptText(t, s, SaveOptions{ShowUsername: true}); !strings.Contains(shown, `(username "demo")`) {
			t.Errorf("transcript with ShowUsername lacks the username:\n%s", shown)
		}
		var eventShows bool
		for _, e := range ev.all {
			eventShows = eventShows || (e.Kind == KindClient && strings.Contains(e.Text, `"demo"`))
		}
		if eventShows != show {
			t.Errorf("ShowUsername=%v but events show the username: %v", show, eventShows)
		}
	}
}

func TestAutomaticMechanismChoiceSaysWhy(t *testing.T) {
	pki := newPKI(t)
	addr, be := startGoSMTP(t, false, pki.goodLeaf(t))
	s := New(Config{Address: addr, AutoHello: true, RootCAs: pki.pool})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO in TLS", func(e Event) bool { return e.Kind == KindReply && e.Command == "EHLO" && e.TLS })
	s.Auth(AuthRequest{Username: interopUser, Secret: interopSecret})
	why := ev.until("choice", textHas(KindInfo, "AUTH mechanism"))
	if !strings.Contains(why.Text, "SCRAM-SHA-256") || !strings.Contains(why.Text, "strongest") {
		t.Errorf("choice %q", why.Text)
	}
	ev.until("authenticated", textHas(KindInfo, "authenticated"))
	ev.finish()
	if be.authed[0] != "SCRAM-SHA-256" {
		t.Errorf("server saw %v", be.authed)
	}
}

func TestOAuthErrorChallengeIsExplained(t *testing.T) {
	addr := serve(t, 1, func(p *peer) {
		p.writeline("220 mx.test")
		p.expect("EHLO")
		ehloReply(p, "AUTH XOAUTH2")
		p.expect("AUTH XOAUTH2 ")
		// {"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}
		p.writeline("334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==")
		if l := p.readline(); l != "" {
			t.Errorf("client answered the error challenge with %q, want an empty line", l)
		}
		p.writeline("535-5.7.8 Username and Password not accepted.")
		p.writeline("535 5.7.8 https://support.google.com/mail/?p=BadCredentials")
		p.expect("QUIT")
		p.writeline("221 bye")
	})
	s := New(Config{Address: addr, AutoHello: true, StartTLS: StartTLSOff})
	ev := watch(t, s)
	s.Connect()
	ev.until("EHLO", replyTo("EHLO"))
	s.Auth(AuthRequest{Mechanism: "XOAUTH2", Username: "u@gmail.com", Secret: "ya29.secret-token"})
	w := ev.until("OAuth explanation", textHas(KindWarning, "OAuth error"))
	if !strings.Contains(w.Text, "expired") || !strings.Contains(w.Text, "https://mail.google.com/") {
		t.Errorf("explanation %q", w.Text)
	}
	ev.until("failure", kind(KindError))
	ev.finish()
	if strings.Contains(transcriptText(t, s, SaveOptions{ShowUsername: true}), "ya29") {
		t.Error("transcript holds the token")
	}
}
