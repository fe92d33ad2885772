package export

import (
	"fmt"
	"go/format"
	"slices"
	"strconv"
	"strings"
)

// goMechanisms are what the program can do: net/smtp's PlainAuth and
// CRAMMD5Auth, and LOGIN, XOAUTH2 and OAUTHBEARER written into it.
var goMechanisms = []string{mechPlain, mechLogin, mechCRAMMD5, mechXOAuth2, mechOAuthBearer}

// goAuthCode is the expression that makes each mechanism's smtp.Auth.
var goAuthCode = map[string]string{
	mechPlain:       `smtp.PlainAuth("", user, secret, host)`,
	mechCRAMMD5:     `smtp.CRAMMD5Auth(user, secret)`,
	mechLogin:       `&loginAuth{user: user, password: secret}`,
	mechXOAuth2:     `&oauthAuth{mech: "XOAUTH2", initial: "user=" + user + "\x01auth=Bearer " + secret + "\x01\x01"}`,
	mechOAuthBearer: `&oauthAuth{mech: "OAUTHBEARER", initial: "n,a=" + user + ",\x01auth=Bearer " + secret + "\x01\x01", done: "\x01"}`,
}

// goCode writes a Go program that uses only the standard library's
// net/smtp: dial (TLS from the start, or STARTTLS required), EHLO, AUTH,
// MAIL, RCPT, DATA and QUIT.
func goCode(p *plan) (string, error) {
	s := p.s
	mech, err := p.mechanism("net/smtp", goMechanisms...)
	if err != nil {
		return "", err
	}
	if s.Auth != nil && mech == "" {
		mech = mechPlain
		p.note("the code uses AUTH PLAIN; change the smtp.Auth in send() for another mechanism")
	}
	if s.Auth != nil && mech == mechPlain && s.Security == Plain {
		p.note("net/smtp's PlainAuth sends the password only inside TLS or to localhost, so without TLS this code stops before AUTH")
	}
	q := strconv.Quote
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("// Command send sends the message of an smtpscope session to %s\n// (%s) with net/smtp.\n//\n", s.Address(), s.Security)
	for _, l := range p.envLines() {
		w("// %s\n", l)
	}
	w("package main\n\nimport (\n")
	imports := []string{"fmt", "net", "net/smtp", "os", "time"}
	if s.Security != Plain {
		imports = append(imports, "crypto/tls", "crypto/x509")
	}
	if s.Security == StartTLS {
		imports = append(imports, "errors")
	}
	if mech == mechLogin {
		imports = append(imports, "strings")
	}
	slices.Sort(imports)
	for _, imp := range imports {
		w("\t%s\n", q(imp))
	}
	w(")\n\n")
	w("const (\n\thost = %s\n\tport = %s\n", q(s.Host), q(strconv.Itoa(s.Port)))
	w("\thelo = %s // the EHLO name; \"\" sends \"localhost\"\n", q(s.Helo))
	w("\tfrom = %s\n", q(s.From))
	w("\ttimeout = 60 * time.Second\n)\n\n")
	w("var to = []string{%s}\n\n", goList(s.To))
	w("// message is the content as the session sent it; net/smtp turns its\n// line ends into CRLF and dot-stuffs it.\nconst message = ")
	lines := splitKeepLF(string(p.message))
	for i, l := range lines {
		if i > 0 {
			w(" +\n\t")
		}
		w("%s", q(l))
	}
	w("\n\n")
	w("func main() {\n\tif err := send(); err != nil {\n\t\tfmt.Fprintln(os.Stderr, \"sending failed:\", err)\n\t\tos.Exit(1)\n\t}\n}\n\n")
	w("// need returns the value of the environment variable name, or an error\n// saying what to set.\n")
	w("func need(name, what string) (string, error) {\n\tif v := os.Getenv(name); v != \"\" {\n\t\treturn v, nil\n\t}\n")
	w("\treturn \"\", fmt.Errorf(\"set %%s to %%s\", name, what)\n}\n\n")
	if s.Security != Plain {
		writeGoTLSConfig(w, p.o.CAFileEnv)
	}

	w("func send() error {\n")
	if a := s.Auth; a != nil {
		w("\tsecret, err := need(%s, %s)\n\tif err != nil {\n\t\treturn err\n\t}\n", q(p.o.PasswordEnv), q("the "+secretWord(a)))
		if a.Username != "" {
			w("\tuser := %s\n", q(a.Username))
		} else {
			w("\tuser, err := need(%s, \"the username\")\n\tif err != nil {\n\t\treturn err\n\t}\n", q(p.o.UserEnv))
		}
	}
	if s.Security != Plain {
		w("\ttlsConfig, err := newTLSConfig()\n\tif err != nil {\n\t\treturn err\n\t}\n")
	}
	w("\tdialer := &net.Dialer{Timeout: timeout}\n")
	if s.Security == ImplicitTLS {
		w("\tconn, err := tls.DialWithDialer(dialer, \"tcp\", net.JoinHostPort(host, port), tlsConfig)\n")
	} else {
		w("\tconn, err := dialer.Dial(\"tcp\", net.JoinHostPort(host, port))\n")
	}
	w("\tif err != nil {\n\t\treturn err\n\t}\n")
	w("\tconn.SetDeadline(time.Now().Add(5 * timeout))\n")
	w("\tc, err := smtp.NewClient(conn, host)\n\tif err != nil {\n\t\tconn.Close()\n\t\treturn err\n\t}\n\tdefer c.Close()\n")
	w("\tif helo != \"\" {\n\t\tif err := c.Hello(helo); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n")
	if s.Security == StartTLS {
		w("\tif ok, _ := c.Extension(\"STARTTLS\"); !ok {\n\t\treturn errors.New(\"the server does not offer STARTTLS\")\n\t}\n")
		w("\tif err := c.StartTLS(tlsConfig); err != nil {\n\t\treturn err\n\t}\n")
	}
	if s.Auth != nil {
		w("\tif err := c.Auth(%s); err != nil {\n\t\treturn err\n\t}\n", goAuthCode[mech])
	}
	w("\tif err := c.Mail(from); err != nil {\n\t\treturn err\n\t}\n")
	w("\tfor _, rcpt := range to {\n\t\tif err := c.Rcpt(rcpt); err != nil {\n\t\t\treturn fmt.Errorf(\"RCPT TO:<%%s>: %%w\", rcpt, err)\n\t\t}\n\t}\n")
	w("\tw, err := c.Data()\n\tif err != nil {\n\t\treturn err\n\t}\n")
	w("\tif _, err := w.Write([]byte(message)); err != nil {\n\t\treturn err\n\t}\n")
	w("\tif err := w.Close(); err != nil {\n\t\treturn err\n\t}\n")
	w("\treturn c.Quit()\n}\n")
	writeGoAuthTypes(w, mech)
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		return "", fmt.Errorf("internal error: the Go code does not parse: %w", err)
	}
	return string(src), nil
}

// writeGoTLSConfig writes newTLSConfig: the system roots plus an optional
// CA file, host name verified.
func writeGoTLSConfig(w func(string, ...any), caEnv string) {
	w("// newTLSConfig verifies the certificate and host name, trusting the PEM\n// file in $%s too when it is set.\n", caEnv)
	w("func newTLSConfig() (*tls.Config, error) {\n\tcfg := &tls.Config{ServerName: host}\n")
	w("\tfile := os.Getenv(%s)\n\tif file == \"\" {\n\t\treturn cfg, nil\n\t}\n", strconv.Quote(caEnv))
	w("\tpem, err := os.ReadFile(file)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n")
	w("\tpool, err := x509.SystemCertPool()\n\tif err != nil {\n\t\tpool = x509.NewCertPool()\n\t}\n")
	w("\tif !pool.AppendCertsFromPEM(pem) {\n\t\treturn nil, fmt.Errorf(\"%%s holds no PEM certificate\", file)\n\t}\n")
	w("\tcfg.RootCAs = pool\n\treturn cfg, nil\n}\n\n")
}

// writeGoAuthTypes writes the smtp.Auth types net/smtp lacks.
func writeGoAuthTypes(w func(string, ...any), mech string) {
	switch mech {
	case mechLogin:
		w(`
// loginAuth is AUTH LOGIN, which net/smtp does not include: the server
// asks for the username, then the password, whatever its prompts say.
type loginAuth struct {
	user, password string
	step           int
}

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.user), nil
	case 2:
		return []byte(a.password), nil
	}
	return nil, fmt.Errorf("unexpected LOGIN prompt %%q", strings.TrimSpace(string(fromServer)))
}
`)
	case mechXOAuth2, mechOAuthBearer:
		w(`
// oauthAuth sends an OAuth 2.0 bearer token (XOAUTH2, or OAUTHBEARER of
// RFC 7628) as the initial response. A challenge carries the server's
// error (JSON: {"status":"401",…}); the done response ends the exchange
// so that the error reply follows.
type oauthAuth struct {
	mech, initial, done string
}

func (a *oauthAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	return a.mech, []byte(a.initial), nil
}

func (a *oauthAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	return []byte(a.done), nil
}
`)
	}
}

// goList writes strings as the items of a Go slice literal.
func goList(items []string) string {
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = strconv.Quote(it)
	}
	return strings.Join(q, ", ")
}
