package export

import (
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// learnSASL adds the credentials a transcript's AUTH exchanges carry to
// the secrets and user names to hide. A transcript smtpscope saved has
// them redacted already; one from elsewhere, or written by hand, may not,
// and a server that echoes the password ("535 … pass=…") would then put
// it in the report beside the line that was hidden.
func (r *redactor) learnSASL(lines []session.Line) {
	challenge, inAuth := "", false
	for _, l := range lines {
		switch l.Dir {
		case session.DirServer:
			inAuth = strings.HasPrefix(l.Text, "334")
			challenge = ""
			if inAuth {
				challenge = strings.ToLower(decodedPayload(strings.TrimSpace(strings.TrimPrefix(l.Text, "334"))))
			}
		case session.DirClient:
			payload := ""
			if inAuth {
				payload, inAuth = l.Text, false
			} else if cmd := protocol.ParseCommand(l.Text); cmd.Verb == protocol.VerbAUTH && len(cmd.Args) > 1 {
				payload = cmd.Args[1]
			}
			if payload != "" && payload != "*" && payload != "=" {
				r.learnPayload(payload, challenge)
			}
		}
	}
}

// learnPayload learns from one SASL payload, sent in answer to challenge
// (decoded, lower case; "" for an initial response).
func (r *redactor) learnPayload(payload, challenge string) {
	r.addSecret(payload)
	dec := decodedPayload(payload)
	switch {
	case strings.Contains(dec, "\x00"): // PLAIN: authzid NUL authcid NUL passwd (RFC 4616 2)
		parts := strings.Split(dec, "\x00")
		r.addSecret(parts[len(parts)-1])
		for _, u := range parts[:len(parts)-1] {
			r.addUser(u)
		}
	case strings.Contains(dec, "\x01"): // XOAUTH2 and OAUTHBEARER: key=value fields split by ^A (RFC 7628 3.1)
		for _, f := range strings.Split(dec, "\x01") {
			switch k, v, _ := strings.Cut(f, "="); strings.ToLower(k) {
			case "auth":
				r.addSecret(strings.TrimSpace(v[strings.IndexByte(v, ' ')+1:]))
			case "user":
				r.addUser(v)
			}
		}
	case strings.Contains(challenge, "password"): // LOGIN's second answer
		r.addSecret(dec)
	case strings.Contains(challenge, "user"):
		r.addUser(dec)
	}
}

// addSecret adds a secret to hide, once; one of fewer than
// minBase64Token characters is too short to hide without hiding words.
func (r *redactor) addSecret(s string) {
	if len(s) < minBase64Token || contains(r.secrets, s) {
		return
	}
	r.secrets = append(r.secrets, s)
}

// decodedPayload is a base64 payload decoded, or "" when it is not
// base64.
func decodedPayload(s string) string {
	if d := decodings(s); len(d) > 0 {
		return d[0]
	}
	return ""
}
