package sandbox

import (
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// xoauth2Client is Google's XOAUTH2 for go-smtp's client; go-sasl has none.
type xoauth2Client struct{ user, token string }

func (x xoauth2Client) Start() (string, []byte, error) {
	return MechXOAuth2, []byte("user=" + x.user + "\x01auth=Bearer " + x.token + "\x01\x01"), nil
}

func (x xoauth2Client) Next([]byte) ([]byte, error) { return []byte{}, nil }

// TestGoSMTPClient sends mail with an independent client implementation,
// with each AUTH mechanism it has, over STARTTLS and implicit TLS.
func TestGoSMTPClient(t *testing.T) {
	s := startServer(t, Config{TLSListen: "127.0.0.1:0"})
	tlsConfig := &tls.Config{RootCAs: s.RootCAs(), ServerName: DefaultHostname}
	mechs := map[string]func() sasl.Client{
		"PLAIN":   func() sasl.Client { return sasl.NewPlainClient("", DemoUsername, DemoPassword) },
		"LOGIN":   func() sasl.Client { return sasl.NewLoginClient(DemoUsername, DemoPassword) },
		"XOAUTH2": func() sasl.Client { return xoauth2Client{DemoUsername, DemoToken} },
	}
	dialers := map[string]func() (*smtp.Client, error){
		"STARTTLS":     func() (*smtp.Client, error) { return smtp.DialStartTLS(s.Addr(), tlsConfig) },
		"implicit TLS": func() (*smtp.Client, error) { return smtp.DialTLS(s.TLSAddr(), tlsConfig) },
	}
	sent := 0
	for dname, dialer := range dialers {
		for mname, mech := range mechs {
			t.Run(dname+"/"+mname, func(t *testing.T) {
				c, err := dialer()
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				defer c.Close()
				if err := c.Auth(mech()); err != nil {
					t.Fatalf("AUTH %s: %v", mname, err)
				}
				subject := fmt.Sprintf("%s %s", dname, mname)
				body := "Subject: " + subject + "\r\n\r\n.leading dot\r\n"
				if err := c.SendMail(DemoAddress, []string{"friend@sandbox.test"}, strings.NewReader(body)); err != nil {
					t.Fatalf("SendMail: %v", err)
				}
				if err := c.Quit(); err != nil {
					t.Fatalf("QUIT: %v", err)
				}
				sent++
				msgs := s.Messages()
				last := msgs[len(msgs)-1]
				if string(last.Data) != body || !last.TLS || last.User != DemoUsername {
					t.Errorf("kept %+v", last)
				}
			})
		}
	}
	if got := len(s.Messages()); got != sent {
		t.Errorf("%d messages kept, %d sent", got, sent)
	}
}

// TestGoSMTPClientWrongPassword checks the error a library user gets.
func TestGoSMTPClientWrongPassword(t *testing.T) {
	s := startServer(t, Config{})
	c, err := smtp.DialStartTLS(s.Addr(), &tls.Config{RootCAs: s.RootCAs(), ServerName: DefaultHostname})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Auth(sasl.NewPlainClient("", DemoUsername, "wrong"))
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != codeAuthInvalid || se.EnhancedCode != (smtp.EnhancedCode{5, 7, 8}) {
		t.Fatalf("got %v, want 535 5.7.8", err)
	}
}
