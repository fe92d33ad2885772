package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/xdg-go/scram"
)

// saslServer is the server side of one SASL exchange. Responses and
// challenges are decoded (not base64).
type saslServer interface {
	// Start begins the exchange with the initial response, if the AUTH
	// command carried one.
	Start(ir []byte, hasIR bool) (challenge []byte, done bool, err error)
	// Next takes the client's response to the last challenge.
	Next(resp []byte) (challenge []byte, done bool, err error)
	// Attempt returns the outcome once done.
	Attempt() AuthAttempt
}

// errMalformed marks a client response the mechanism cannot parse.
var errMalformed = errors.New("malformed response")

// newSASLServer returns the server side of mech, or nil when the sandbox
// does not implement it.
func newSASLServer(mech, host string, sc *scram.Server) saslServer {
	switch mech {
	case MechPlain:
		return &plainServer{}
	case MechLogin:
		return &loginServer{}
	case MechCRAMMD5:
		return &cramServer{host: host}
	case MechSCRAMSHA256:
		return &scramServer{conv: sc.NewConversation()}
	case MechXOAuth2:
		return &xoauth2Server{}
	}
	return nil
}

// plainServer is RFC 4616 PLAIN: authzid NUL authcid NUL passwd.
type plainServer struct{ a AuthAttempt }

func (s *plainServer) Start(ir []byte, hasIR bool) ([]byte, bool, error) {
	if !hasIR {
		return []byte{}, false, nil
	}
	return s.Next(ir)
}

func (s *plainServer) Next(resp []byte) ([]byte, bool, error) {
	parts := bytes.Split(resp, []byte{0})
	if len(parts) != 3 {
		return nil, true, fmt.Errorf("%w: PLAIN wants authzid NUL username NUL password (RFC 4616 2)", errMalformed)
	}
	authz, user, pass := string(parts[0]), string(parts[1]), string(parts[2])
	s.a = AuthAttempt{Mechanism: MechPlain, Username: user, Verdict: checkPassword(user, pass)}
	if authz != "" && authz != user {
		// The sandbox has no proxy authorization: acting as someone else fails.
		s.a.Verdict = AuthRejected
	}
	return nil, true, nil
}

func (s *plainServer) Attempt() AuthAttempt { return s.a }

// Prompts of the LOGIN mechanism, as nearly every server words them.
const (
	loginUserPrompt = "Username:"
	loginPassPrompt = "Password:"
)

// loginServer is the LOGIN mechanism (draft-murchison-sasl-login): a
// username prompt, then a password prompt.
type loginServer struct {
	user    string
	hasUser bool
	a       AuthAttempt
}

func (s *loginServer) Start(ir []byte, hasIR bool) ([]byte, bool, error) {
	if !hasIR {
		return []byte(loginUserPrompt), false, nil
	}
	return s.Next(ir)
}

func (s *loginServer) Next(resp []byte) ([]byte, bool, error) {
	if !s.hasUser {
		s.user, s.hasUser = string(resp), true
		return []byte(loginPassPrompt), false, nil
	}
	s.a = AuthAttempt{Mechanism: MechLogin, Username: s.user, Verdict: checkPassword(s.user, string(resp))}
	return nil, true, nil
}

func (s *loginServer) Attempt() AuthAttempt { return s.a }

// cramServer is RFC 2195 CRAM-MD5: a challenge, answered by the username
// and the hex HMAC-MD5 of the challenge keyed with the password.
type cramServer struct {
	host      string
	challenge []byte
	a         AuthAttempt
}

// cramNonceOctets is the random part of the CRAM-MD5 challenge.
const cramNonceOctets = 12

func (s *cramServer) Start(_ []byte, hasIR bool) ([]byte, bool, error) {
	if hasIR {
		return nil, true, fmt.Errorf("%w: CRAM-MD5 takes no initial response (RFC 2195 2)", errMalformed)
	}
	nonce := make([]byte, cramNonceOctets)
	_, _ = rand.Read(nonce)
	s.challenge = []byte(fmt.Sprintf("<%s@%s>", hex.EncodeToString(nonce), s.host))
	return s.challenge, false, nil
}

func (s *cramServer) Next(resp []byte) ([]byte, bool, error) {
	i := bytes.LastIndexByte(resp, ' ')
	if i < 0 {
		return nil, true, fmt.Errorf("%w: CRAM-MD5 wants \"username hex-digest\" (RFC 2195 2)", errMalformed)
	}
	user, digest := string(resp[:i]), strings.ToLower(string(resp[i+1:]))
	s.a = AuthAttempt{Mechanism: MechCRAMMD5, Username: user, Verdict: AuthRejected}
	for _, pw := range []string{DemoPassword, DemoAccountPassword} {
		mac := hmac.New(md5.New, []byte(pw))
		mac.Write(s.challenge)
		if hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(digest)) {
			s.a.Verdict = checkPassword(user, pw)
		}
	}
	return nil, true, nil
}

func (s *cramServer) Attempt() AuthAttempt { return s.a }

// scramServer is RFC 7677 SCRAM-SHA-256 over SMTP (RFC 4954): the
// server-final message goes in a 334 challenge and the client answers it
// with an empty line.
type scramServer struct {
	conv  *scram.ServerConversation
	steps int
	a     AuthAttempt
}

// SCRAM exchange steps: client-first, client-final, then the empty
// response to the server-final challenge.
const (
	scramClientFirst = iota
	scramClientFinal
	scramAcknowledge
)

func (s *scramServer) Start(ir []byte, hasIR bool) ([]byte, bool, error) {
	if !hasIR {
		return []byte{}, false, nil
	}
	return s.Next(ir)
}

func (s *scramServer) Next(resp []byte) ([]byte, bool, error) {
	step := s.steps
	s.steps++
	s.a.Mechanism = MechSCRAMSHA256
	switch step {
	case scramClientFirst, scramClientFinal:
		out, err := s.conv.Step(string(resp))
		s.a.Username = s.conv.Username()
		if err != nil {
			s.a.Verdict = AuthRejected
			return nil, true, nil
		}
		return []byte(out), false, nil
	default:
		if s.conv.Valid() {
			s.a.Verdict = AuthAccepted
		} else {
			s.a.Verdict = AuthRejected
		}
		return nil, true, nil
	}
}

func (s *scramServer) Attempt() AuthAttempt { return s.a }

// xoauth2Error is the JSON challenge Google's XOAUTH2 sends for a bad
// token; the client answers with an empty line and gets the final 535.
const xoauth2Error = `{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}`

// xoauth2Server is Google's XOAUTH2:
// "user=" user ^A "auth=Bearer " token ^A ^A.
type xoauth2Server struct {
	failed bool
	a      AuthAttempt
}

func (s *xoauth2Server) Start(ir []byte, hasIR bool) ([]byte, bool, error) {
	if !hasIR {
		return []byte{}, false, nil
	}
	return s.Next(ir)
}

func (s *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if s.failed {
		return nil, true, nil
	}
	var user, token string
	var sawAuth bool
	for _, f := range strings.Split(string(resp), "\x01") {
		k, v, _ := strings.Cut(f, "=")
		switch strings.ToLower(k) {
		case "user":
			user = v
		case "auth":
			scheme, tok, ok := strings.Cut(v, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				return nil, true, fmt.Errorf("%w: XOAUTH2 wants auth=Bearer <token>", errMalformed)
			}
			token, sawAuth = tok, true
		}
	}
	if !sawAuth {
		return nil, true, fmt.Errorf("%w: XOAUTH2 wants user=<name>^Aauth=Bearer <token>^A^A", errMalformed)
	}
	s.a = AuthAttempt{Mechanism: MechXOAuth2, Username: user, Token: true, Verdict: checkToken(user, token)}
	if s.a.Verdict != AuthAccepted {
		s.failed = true
		return []byte(xoauth2Error), false, nil
	}
	return nil, true, nil
}

func (s *xoauth2Server) Attempt() AuthAttempt { return s.a }
