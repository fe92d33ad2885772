package export

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"
)

// nodemailerMechanisms are the authMethod values nodemailer's SMTP
// connection implements; XOAUTH2 goes through auth.type "OAuth2".
var nodemailerMechanisms = []string{mechPlain, mechLogin, mechCRAMMD5, mechXOAuth2}

// nodemailerCode writes a Node.js script: the transport options object,
// then sendMail with the session's envelope and the message as it was
// sent (raw), so that nodemailer adds nothing to it.
func nodemailerCode(p *plan) (string, error) {
	s := p.s
	if a := s.Auth; a != nil && a.Mechanism == mechOAuthBearer {
		// nodemailer speaks XOAUTH2 only; the providers that accept
		// OAUTHBEARER (Google, Yahoo) accept XOAUTH2 with the same token.
		p.note("nodemailer cannot do AUTH OAUTHBEARER; the code uses XOAUTH2 with the same token")
		a2 := *a
		a2.Mechanism = mechXOAuth2
		p.s.Auth = &a2
		s = p.s
	}
	mech, err := p.mechanism("nodemailer", nodemailerMechanisms...)
	if err != nil {
		return "", err
	}
	js := func(v string) string { return stringLiteral(v, styleJS) }
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	w("// Sends the message of an smtpscope session to %s (%s) with nodemailer.\n", s.Address(), s.Security)
	for _, l := range p.envLines() {
		w("// %s\n", l)
	}
	w("// Run it with: npm install nodemailer && node %s\n", "send.js")
	w("\"use strict\";\n\nconst fs = require(\"node:fs\");\nconst nodemailer = require(\"nodemailer\");\n\n")
	w("function need(name, what) {\n")
	w("  const value = process.env[name];\n")
	w("  if (!value) {\n    console.error(`set ${name} to ${what}`);\n    process.exit(1);\n  }\n  return value;\n}\n\n")
	if s.Security != Plain {
		w("const caFile = process.env[%s];\n", js(p.o.CAFileEnv))
	}

	w("\nconst transportOptions = {\n")
	w("  host: %s,\n  port: %d,\n", js(s.Host), s.Port)
	switch s.Security {
	case ImplicitTLS:
		w("  secure: true, // TLS from the first byte (RFC 8314)\n")
	case StartTLS:
		w("  secure: false,\n  requireTLS: true, // STARTTLS, or fail\n")
	default:
		w("  secure: false,\n  ignoreTLS: true, // the session did not use STARTTLS\n")
	}
	if s.Helo != "" {
		w("  name: %s, // the EHLO name\n", js(s.Helo))
	}
	if a := s.Auth; a != nil {
		user := js(a.Username)
		if a.Username == "" {
			user = fmt.Sprintf("need(%s, %s)", js(p.o.UserEnv), js("the username"))
		}
		if a.Token() {
			w("  auth: { type: \"OAuth2\", user: %s, accessToken: need(%s, %s) },\n", user, js(p.o.PasswordEnv), js("the OAuth 2.0 access token"))
		} else {
			w("  auth: { user: %s, pass: need(%s, %s) },\n", user, js(p.o.PasswordEnv), js("the password"))
			if mech != "" {
				w("  authMethod: %s,\n", js(mech))
			}
		}
	}
	if s.Security != Plain {
		w("  // Certificates are verified; %s adds a private CA's PEM file.\n", p.o.CAFileEnv)
		w("  tls: caFile ? { ca: [fs.readFileSync(caFile)] } : {},\n")
	}
	w("};\n\n")

	w("// The message as the session sent it. For a new message, give\n")
	w("// from, to, subject and text instead of envelope and raw.\n")
	if utf8.Valid(p.message) {
		w("const raw = [\n")
		for _, l := range p.messageLines() {
			w("  %s,\n", js(l))
		}
		w("].join(\"\\r\\n\") + \"\\r\\n\";\n\n")
	} else {
		w("const raw = Buffer.from(%s, \"base64\");\n\n", js(base64.StdEncoding.EncodeToString(p.message)))
	}
	w("nodemailer\n  .createTransport(transportOptions)\n")
	w("  .sendMail({ envelope: { from: %s, to: [%s] }, raw })\n", js(s.From), jsList(s.To))
	w("  .then(\n    (info) => console.log(info.response),\n")
	w("    (err) => {\n      console.error(`sending failed: ${err.message}`);\n      process.exitCode = 1;\n    },\n  );\n")
	return b.String(), nil
}

// jsList writes strings as the items of a JavaScript array.
func jsList(items []string) string {
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = stringLiteral(it, styleJS)
	}
	return strings.Join(q, ", ")
}
