package export

import (
	"fmt"
	"strings"
)

// pythonMechanisms are the mechanisms the script can name: smtplib's own
// auth_plain, auth_login and auth_cram_md5, and the OAuth ones written
// into the script.
var pythonMechanisms = []string{mechPlain, mechLogin, mechCRAMMD5, mechXOAuth2, mechOAuthBearer}

// pythonAuthObjects are smtplib's authobject methods per mechanism.
var pythonAuthObjects = map[string]string{
	mechPlain:   "smtp.auth_plain",
	mechLogin:   "smtp.auth_login",
	mechCRAMMD5: "smtp.auth_cram_md5",
}

// pythonCode writes a complete Python 3 script: smtplib with SMTP or
// SMTP_SSL, starttls() with a verifying context, login or auth, and
// send_message with an email.message.EmailMessage.
func pythonCode(p *plan) (string, error) {
	s := p.s
	mech, err := p.mechanism("smtplib", pythonMechanisms...)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	py := func(v string) string { return stringLiteral(v, stylePython) }

	w("#!/usr/bin/env python3\n")
	w("%s\n", pyDocstring(p))
	w("import os\nimport smtplib\nimport ssl\nimport sys\n")
	simple, isSimple := parseSimple(p.message)
	mangled := bodyHasFromLine(p.message)
	if !isSimple || mangled {
		w("from email import policy\n")
	}
	if isSimple {
		w("from email.message import EmailMessage\n")
	} else {
		w("from email.parser import BytesParser\n")
	}
	w("\nHOST = %s\nPORT = %d\n", py(s.Host), s.Port)
	if s.Helo != "" {
		w("HELO = %s  # the EHLO name\n", py(s.Helo))
	} else {
		w("HELO = None  # the EHLO name: None sends this machine's name\n")
	}
	w("FROM = %s\nTO = [%s]\n", py(s.From), pyList(s.To))
	w("TIMEOUT = 60  # seconds for each network step\n")

	if s.Security != Plain {
		w("\n\ndef tls_context():\n")
		w("    \"\"\"Verify the certificate and host name; trust %s too when it is set.\"\"\"\n", p.o.CAFileEnv)
		w("    return ssl.create_default_context(cafile=os.environ.get(%s) or None)\n", py(p.o.CAFileEnv))
	}

	w("\n\ndef build_message():\n")
	if isSimple {
		w("    msg = EmailMessage()\n")
		for _, h := range simple.headers {
			w("    msg[%s] = %s\n", py(h.name), py(h.value))
		}
		w("    msg.set_content(\n")
		body := splitKeepLF(simple.body)
		if len(body) == 0 {
			w("        \"\"\n")
		}
		for _, l := range body {
			w("        %s\n", py(l))
		}
		w("    )\n    return msg\n")
	} else {
		w("    \"\"\"The message as the session sent it, headers and body.\"\"\"\n")
		w("    raw = (\n")
		for _, l := range splitKeepLF(string(p.message)) {
			w("        %s\n", pythonBytes([]byte(l)))
		}
		w("    )\n    return BytesParser(policy=policy.default).parsebytes(raw)\n")
	}

	if a := s.Auth; a != nil && a.Token() {
		writePythonOAuth(w, a.Mechanism)
	}

	w("\n\ndef main():\n")
	if a := s.Auth; a != nil {
		w("    secret = os.environ.get(%s)\n", py(p.o.PasswordEnv))
		w("    if not secret:\n        sys.exit(%s)\n", py("set "+p.o.PasswordEnv+" to the "+secretWord(a)))
		if a.Username != "" {
			w("    user = %s\n", py(a.Username))
		} else {
			w("    user = os.environ.get(%s)\n", py(p.o.UserEnv))
			w("    if not user:\n        sys.exit(%s)\n", py("set "+p.o.UserEnv+" to the username"))
		}
	}
	if s.Security == ImplicitTLS {
		w("    with smtplib.SMTP_SSL(HOST, PORT, local_hostname=HELO, timeout=TIMEOUT, context=tls_context()) as smtp:\n")
	} else {
		w("    with smtplib.SMTP(HOST, PORT, local_hostname=HELO, timeout=TIMEOUT) as smtp:\n")
	}
	if s.Security == StartTLS {
		w("        smtp.starttls(context=tls_context())  # EHLO, STARTTLS; fails when not offered\n")
	}
	if a := s.Auth; a != nil {
		switch {
		case a.Token():
			w("        smtp.ehlo_or_helo_if_needed()\n")
			w("        smtp.auth(%s, %s(user, secret))\n", py(mech), pythonOAuthFunc[a.Mechanism])
		case mech == "":
			w("        smtp.login(user, secret)  # smtplib picks CRAM-MD5, PLAIN or LOGIN from what the server offers\n")
		default:
			w("        smtp.ehlo_or_helo_if_needed()\n")
			w("        smtp.user, smtp.password = user, secret\n")
			w("        smtp.auth(%s, %s)\n", py(mech), pythonAuthObjects[mech])
		}
	}
	if mangled {
		w("        # send_message() would write the body line that starts with \"From \" as\n")
		w("        # \">From \" (mbox quoting); sendmail() with the message's bytes keeps it.\n")
		w("        refused = smtp.sendmail(FROM, TO, build_message().as_bytes(policy=policy.SMTP))\n")
	} else {
		w("        refused = smtp.send_message(build_message(), from_addr=FROM, to_addrs=TO)\n")
	}
	w("        for rcpt, (code, text) in refused.items():\n")
	w("            print(f\"refused {rcpt}: {code} {text.decode(errors='replace')}\", file=sys.stderr)\n")
	w("\n\nif __name__ == \"__main__\":\n")
	w("    try:\n        main()\n")
	w("    except (smtplib.SMTPException, OSError) as e:\n")
	w("        sys.exit(f\"sending failed: {e}\")\n")
	return b.String(), nil
}

// pyDocstring is the script's opening description.
func pyDocstring(p *plan) string {
	lines := []string{
		fmt.Sprintf("Send the message of an smtpscope session to %s (%s) with smtplib.", p.s.Address(), p.s.Security),
		"",
	}
	lines = append(lines, p.envLines()...)
	var b strings.Builder
	b.WriteString(`"""`)
	for i, l := range lines {
		if i > 0 {
			b.WriteString("\n")
		}
		// The docstring holds only our words and the address, which
		// check() keeps free of line breaks; quotes are escaped.
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(l, `\`, `\\`), `"`, `\"`))
	}
	b.WriteString("\n\"\"\"")
	return b.String()
}

// pyList writes strings as the items of a Python list.
func pyList(items []string) string {
	q := make([]string, len(items))
	for i, it := range items {
		q[i] = stringLiteral(it, stylePython)
	}
	return strings.Join(q, ", ")
}

// secretWord names the secret for messages.
func secretWord(a *Auth) string {
	if a.Token() {
		return "OAuth 2.0 access token"
	}
	return "password"
}

// pythonOAuthFunc names the function that builds each OAuth mechanism's
// authobject.
var pythonOAuthFunc = map[string]string{
	mechXOAuth2:     "xoauth2",
	mechOAuthBearer: "oauthbearer",
}

// writePythonOAuth writes the authobject factory of an OAuth mechanism.
// smtplib calls the object with no challenge for the initial response,
// then with the server's error challenge, which gets the response that
// ends the exchange.
func writePythonOAuth(w func(string, ...any), mech string) {
	switch mech {
	case mechXOAuth2:
		w("\n\ndef xoauth2(user, token):\n")
		w("    \"\"\"AUTH XOAUTH2 (Google, Microsoft): user=…^Aauth=Bearer …^A^A.\"\"\"\n")
		w("    def respond(challenge=None):\n")
		w("        if challenge is not None:\n")
		w("            return \"\"  # the server sent its error as a challenge; an empty answer ends the exchange\n")
		w("        return f\"user={user}\\x01auth=Bearer {token}\\x01\\x01\"\n")
		w("    return respond\n")
	case mechOAuthBearer:
		w("\n\ndef oauthbearer(user, token):\n")
		w("    \"\"\"AUTH OAUTHBEARER (RFC 7628).\"\"\"\n")
		w("    def respond(challenge=None):\n")
		w("        if challenge is not None:\n")
		w("            return \"\\x01\"  # RFC 7628 3.2.3: answer the error challenge with ^A\n")
		w("        return f\"n,a={user},\\x01auth=Bearer {token}\\x01\\x01\"\n")
		w("    return respond\n")
	}
}

// bodyHasFromLine reports a body line that begins with "From ", which
// Python's generator quotes as ">From " unless told otherwise.
func bodyHasFromLine(msg []byte) bool {
	_, body, ok := strings.Cut(string(msg), "\n\n")
	return ok && (strings.HasPrefix(body, "From ") || strings.Contains(body, "\nFrom "))
}
