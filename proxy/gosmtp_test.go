package proxy

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	gosasl "github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/smtpscope/smtpscope/localca"
	"github.com/smtpscope/smtpscope/session"
)

// go-smtp plays both the application (its client) and the server (its
// server) here: an independent implementation on each side of the proxy.

const (
	goUser   = "app@go.test"
	goSecret = "go-secret-Ω1"
)

type goBackend struct {
	mu       sync.Mutex
	messages []string
	tls      []bool
}

func (b *goBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &goSession{b: b, tls: isTLS}, nil
}

func (b *goBackend) got() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.messages...)
}

type goSession struct {
	b    *goBackend
	tls  bool
	auth bool
}

func (s *goSession) Reset()        {}
func (s *goSession) Logout() error { return nil }
func (s *goSession) Mail(string, *smtp.MailOptions) error {
	if !s.auth {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	return nil
}
func (s *goSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *goSession) AuthMechanisms() []string             { return []string{"PLAIN", "LOGIN"} }
func (s *goSession) Data(r io.Reader) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	s.b.messages = append(s.b.messages, string(body))
	s.b.mu.Unlock()
	return nil
}

func (s *goSession) Auth(mech string) (gosasl.Server, error) {
	check := func(user, pass string) error {
		if user != goUser || pass != goSecret {
			return errors.New("invalid credentials")
		}
		s.auth = true
		return nil
	}
	switch mech {
	case "PLAIN":
		return gosasl.NewPlainServer(func(_, u, p string) error { return check(u, p) }), nil
	case "LOGIN":
		return &goLoginServer{check: check}, nil
	}
	return nil, errors.New("unsupported mechanism")
}

// goLoginServer is the server side of AUTH LOGIN, which go-sasl lacks.
type goLoginServer struct {
	step  int
	user  string
	check func(u, p string) error
}

func (l *goLoginServer) Next(resp []byte) ([]byte, bool, error) {
	l.step++
	switch l.step {
	case 1:
		if len(resp) == 0 {
			return []byte("Username:"), false, nil
		}
		l.user = string(resp)
		l.step++
		return []byte("Password:"), false, nil
	case 2:
		l.user = string(resp)
		return []byte("Password:"), false, nil
	}
	return nil, true, l.check(l.user, string(resp))
}

// goLoginClient is AUTH LOGIN for go-smtp's client.
type goLoginClient struct{ user, pass string }

func (c goLoginClient) Start() (string, []byte, error) { return "LOGIN", nil, nil }
func (c goLoginClient) Next(ch []byte) ([]byte, error) {
	if strings.Contains(strings.ToLower(string(ch)), "user") {
		return []byte(c.user), nil
	}
	return []byte(c.pass), nil
}

// goServer is a running go-smtp server and the CA its certificate is from.
type goServer struct {
	addr string
	ca   *localca.Authority
	b    *goBackend
}

// startGoServer runs go-smtp on loopback: plain (no TLS at all),
// STARTTLS, or implicit TLS.
func startGoServer(t *testing.T, mode string) *goServer {
	t.Helper()
	now := time.Now()
	ca, err := localca.New(localca.Options{CommonName: "go-smtp test CA", NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue(localca.Leaf{CommonName: "mx.go.test", DNSNames: []string{"localhost"}, IPs: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	b := &goBackend{}
	s := smtp.NewServer(b)
	s.Domain = "mx.go.test"
	s.ReadTimeout, s.WriteTimeout = testGuard, testGuard
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{leaf}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case "plain":
		s.AllowInsecureAuth = true
	case "starttls":
		s.TLSConfig = tlsCfg
	case "implicit":
		s.TLSConfig = tlsCfg
		ln = tls.NewListener(ln, tlsCfg)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return &goServer{addr: ln.Addr().String(), ca: ca, b: b}
}

func TestGoSMTPOnBothSides(t *testing.T) {
	for _, tc := range []struct {
		name        string
		server      string // go-smtp server mode
		implicit    bool   // the upstream leg is implicit TLS
		appSTARTTLS bool   // the application upgrades its leg
		auth        gosasl.Client
		appTLS      bool // expected TLS on each leg
		upTLS       bool
	}{
		{"plain both legs", "plain", false, false, gosasl.NewPlainClient("", goUser, goSecret), false, false},
		{"STARTTLS upstream only", "starttls", false, false, goLoginClient{goUser, goSecret}, false, true},
		{"STARTTLS on both legs", "starttls", false, true, gosasl.NewPlainClient("", goUser, goSecret), true, true},
		{"implicit TLS upstream", "implicit", true, true, goLoginClient{goUser, goSecret}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startGoServer(t, tc.server)
			up := session.Config{Address: srv.addr, RootCAs: srv.ca.Pool()}
			if tc.implicit {
				up.TLSMode = session.TLSImplicit
			}
			w := startProxy(t, Config{Upstream: up})
			var c *smtp.Client
			var err error
			if tc.appSTARTTLS {
				c, err = smtp.DialStartTLS(w.Addr(), w.appTLS("localhost"))
			} else {
				c, err = smtp.Dial(w.Addr())
			}
			if err != nil {
				t.Fatalf("dial: %v\n%s", err, w.dump())
			}
			defer c.Close()
			if err := c.Auth(tc.auth); err != nil {
				t.Fatalf("AUTH: %v\n%s", err, w.dump())
			}
			body := "From: " + goUser + "\r\nSubject: " + tc.name + "\r\n\r\n.starts with a dot\r\nend\r\n"
			if err := c.SendMail(goUser, []string{"rcpt@go.test"}, strings.NewReader(body)); err != nil {
				t.Fatalf("send: %v\n%s", err, w.dump())
			}
			if err := c.Quit(); err != nil {
				t.Fatal(err)
			}
			e := w.closed(1)
			if got := srv.b.got(); len(got) != 1 || got[0] != body {
				t.Fatalf("server got %q, want %q", got, body)
			}
			if (e.Info.App.TLS != nil) != tc.appTLS || (e.Info.UpstreamLeg.TLS != nil) != tc.upTLS {
				t.Errorf("TLS application %v upstream %v, want %v %v", e.Info.App.TLS != nil, e.Info.UpstreamLeg.TLS != nil, tc.appTLS, tc.upTLS)
			}
			if !e.Info.Authenticated || e.Info.Messages != 1 {
				t.Errorf("summary %+v", e.Info)
			}
			assertNoSecret(t, w, 1, goSecret)
		})
	}
}

func TestUpstreamAnsweringWithTLSBytesIsExplained(t *testing.T) {
	addr := scripted(t, 1, func(p *peer) {
		p.write("\x15\x03\x01\x00\x02\x02\x46") // a TLS alert, as some implicit-TLS servers send
		p.readline()
	})
	w := startProxy(t, plainUpstream(addr))
	app := dialApp(t, w.Addr())
	if got := app.expect("421"); !strings.Contains(got, "--upstream-tls") {
		t.Errorf("the application got %q", got)
	}
}

func TestRootsForTheApplication(t *testing.T) {
	// The CA the proxy prints verifies the certificate it shows, for every
	// name it claims.
	w := startProxy(t, Config{CertNames: []string{"mail.internal.test"}, Upstream: session.Config{Address: "127.0.0.1:1"}})
	leaf := w.Certificate().Leaf
	for _, name := range []string{"localhost", "127.0.0.1", "mail.internal.test"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: w.CA().Pool(), DNSName: name}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
