package session

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	gosasl "github.com/emersion/go-sasl"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session/sasl"
)

// maxAuthRounds bounds the 334 challenges of one exchange; no mechanism
// smtpscope speaks needs more than three.
const maxAuthRounds = 10

// saslCancel is the response that aborts an exchange (RFC 4954 4).
const saslCancel = "*"

// oauthBearerDone is the response that ends an OAUTHBEARER exchange after
// the server's error challenge (RFC 7628 3.2.3: a single %x01).
const oauthBearerDone = "\x01"

// auth is the Auth intent: the SASL exchange, step by step.
func (s *Session) auth(ctx context.Context, c *conn, req AuthRequest) error {
	// From now on the secret and its base64 forms are redacted wherever
	// they appear: a server that echoes them gets them hidden.
	s.secrets.addSecret(req.Secret)
	if err := s.drain(ctx, c); err != nil {
		return err
	}
	fail := func(err error) error {
		s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err, Command: protocol.VerbAUTH})
		return err
	}
	if err := s.clearTextRefusal(c, protocol.VerbAUTH); err != nil {
		return fail(err)
	}
	mech := strings.ToUpper(req.Mechanism)
	if mech == "" {
		m, why, err := sasl.Choose(s.track.snapshot().Caps.AuthMechanisms(), req.Token, s.cfg.ClientCert != nil)
		if err != nil {
			return fail(fmt.Errorf("cannot choose an AUTH mechanism: %w", err))
		}
		mech = m
		s.emitConn(c, Event{Kind: KindInfo, Text: "AUTH mechanism " + why, Command: protocol.VerbAUTH})
	}
	if c.tls == nil && c.downgrade != nil && !req.AllowCleartext && mech != sasl.Anonymous {
		return fail(worded(ErrCleartextAuth, "AUTH not sent: %s on this connection, so the credentials would travel in clear text to whoever is on the path — confirm to send them anyway, or reconnect and get TLS first", c.downgrade.Reason))
	}
	if c.tls == nil && sendsSecretInClear(mech) {
		s.emitConn(c, Event{Kind: KindWarning, Command: protocol.VerbAUTH,
			Text: fmt.Sprintf("%s over a connection without TLS: the credentials can be read by anyone on the path (STARTTLS first)", mech)})
	}
	host, port := s.hostPort()
	client, err := sasl.New(mech, sasl.Credentials{Username: req.Username, Secret: req.Secret, Host: host, Port: port})
	if err != nil {
		return fail(err)
	}
	_, ir, err := client.Start()
	if err != nil {
		return fail(fmt.Errorf("%s could not start: %w", mech, err))
	}
	line := "AUTH " + mech
	out := outLine{text: line, verb: protocol.VerbAUTH, expect: s.timeouts.Command}
	if ir != nil && !req.NoInitialResponse {
		enc := "=" // RFC 4954 4: an empty initial response is sent as "="
		if len(ir) > 0 {
			enc = base64.StdEncoding.EncodeToString(ir)
		}
		resp := s.responseLine(client, mech, req.Username, enc, len(ir) == 0)
		if resp.secret {
			s.secrets.addLine(enc)
		}
		out.text, out.withUsername, out.redacted = line+" "+resp.text, prefixed(line+" ", resp.withUsername), resp.redacted
		line += " " + enc
		ir = nil
	}
	s.track.sent(protocol.Command{Raw: "AUTH " + mech, Verb: protocol.VerbAUTH, Args: []string{mech}})
	if !s.write(c, line, out) || !s.flush(c) {
		return errNotConnected
	}
	x := &saslExchange{s: s, c: c, client: client, mech: mech, username: req.Username}
	for round := 0; ; round++ {
		a, err := s.awaitReply(ctx, c)
		if err != nil {
			return err
		}
		switch {
		case a.reply.Code == codeAuthOK:
			s.emitConn(c, Event{Kind: KindInfo, Text: "authenticated with " + mech, Command: protocol.VerbAUTH})
			return nil
		case a.reply.Code != codeAuthChallenge:
			return fail(s.replyError(protocol.VerbAUTH, "authentication with "+mech+" failed", a.reply))
		case x.cancelled:
			// RFC 4954 4: after "*" the server must end the exchange with
			// 501. One that challenges again would go on for ever.
			err := worded(ErrOutOfStep, "protocol violation: the server sent another 334 challenge after smtpscope cancelled the exchange with \"*\" (RFC 4954 4 requires a 501); closing the connection")
			s.emitConn(c, Event{Kind: KindError, Text: err.Error(), Err: err, Command: protocol.VerbAUTH})
			s.teardown(c, err)
			return err
		case round >= maxAuthRounds:
			x.cancel(fmt.Sprintf("the server sent more than %d challenges", maxAuthRounds))
			continue
		}
		text := ""
		if len(a.reply.Lines) > 0 {
			text = strings.TrimSpace(a.reply.Lines[len(a.reply.Lines)-1].Text)
		}
		challenge, derr := base64.StdEncoding.DecodeString(text)
		if derr != nil {
			x.cancel(fmt.Sprintf("the server's 334 challenge %q is not valid base64 (RFC 4954 4)", abbreviate(text, 60)))
			continue
		}
		if explanation, ok := explainOAuthChallenge(challenge); ok {
			s.emitConn(c, Event{Kind: KindWarning, Text: explanation, Command: protocol.VerbAUTH})
		}
		var resp []byte
		if ir != nil { // the initial response held back for the first challenge
			resp, ir = ir, nil
		} else {
			resp, err = x.next(ctx, challenge)
		}
		var bearerErr *gosasl.OAuthBearerError
		switch {
		case errors.As(err, &bearerErr):
			x.send(oauthBearerDone)
			continue
		case ctx.Err() != nil:
			return errInterrupted
		case err != nil:
			x.cancel(fmt.Sprintf("%s cannot answer this challenge: %v", mech, err))
			continue
		}
		x.send(string(resp))
	}
}

// saslExchange is one AUTH exchange in progress.
type saslExchange struct {
	s         *Session
	c         *conn
	client    gosasl.Client
	mech      string
	username  string
	cancelled bool // "*" was sent: the next reply must end the exchange
}

// next computes the answer to a challenge, bounded by the command timeout
// and cancelled with the intent (SCRAM's key derivation can take long).
func (x *saslExchange) next(ctx context.Context, challenge []byte) ([]byte, error) {
	cc, ok := x.client.(sasl.ContextClient)
	if !ok {
		return x.client.Next(challenge)
	}
	ctx, cancel := context.WithTimeout(ctx, x.s.timeouts.Command)
	defer cancel()
	resp, err := cc.NextContext(ctx, challenge)
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("computing the answer took longer than %s", x.s.timeouts.Command)
	}
	return resp, err
}

// send sends one client response, base64-encoded and redacted.
func (x *saslExchange) send(resp string) {
	s, c := x.s, x.c
	enc := base64.StdEncoding.EncodeToString([]byte(resp))
	out := s.responseLine(x.client, x.mech, x.username, enc, resp == "")
	if out.secret {
		s.secrets.addLine(enc)
	}
	out.verb, out.expect = protocol.VerbAUTH, s.timeouts.Command
	c.inAuth = false
	s.track.sent(protocol.Command{Verb: protocol.VerbAUTH})
	if s.write(c, enc, out) {
		s.flush(c)
	}
}

// cancel answers a challenge with "*" and says why (RFC 4954 4).
func (x *saslExchange) cancel(why string) {
	s, c := x.s, x.c
	x.cancelled = true
	s.emitConn(c, Event{Kind: KindWarning, Text: why + `; cancelling the exchange with "*"`, Command: protocol.VerbAUTH})
	c.inAuth = false
	s.track.sent(protocol.Command{Verb: protocol.VerbAUTH})
	if s.write(c, saslCancel, outLine{text: saslCancel, verb: protocol.VerbAUTH, expect: s.timeouts.Command}) {
		s.flush(c)
	}
}

// responseLine describes a SASL response for display: what it carried,
// never the secret; the username only in withUsername.
func (s *Session) responseLine(client gosasl.Client, mech, username, enc string, empty bool) outLine {
	if empty {
		return outLine{text: "(empty response)"}
	}
	step := stepOf(client, mech)
	switch step {
	case sasl.StepUsername:
		return outLine{redacted: true, text: redactedMark + " (username, redacted)",
			withUsername: enc + ` (username "` + username + `")`}
	case sasl.StepSecret:
		what := "password"
		switch mech {
		case sasl.XOAuth2, sasl.OAuthBearer:
			what = "access token"
		case sasl.CramMD5:
			what = "password digest"
		case sasl.ScramSHA1, sasl.ScramSHA256:
			what = "password proof"
		}
		text := redactedMark + " (" + what + ", redacted)"
		with := ""
		if mech != sasl.ScramSHA1 && mech != sasl.ScramSHA256 && mech != sasl.Login {
			text = redactedMark + " (username and " + what + ", redacted)"
			with = redactedMark + ` (username "` + username + `" and ` + what + ", redacted)"
		}
		return outLine{redacted: true, secret: true, text: text, withUsername: with}
	}
	return outLine{text: enc}
}

// stepOf says what the client's latest response carried.
func stepOf(client gosasl.Client, mech string) sasl.Step {
	if st, ok := client.(sasl.Stepper); ok {
		return st.LastStep()
	}
	switch mech {
	case sasl.External:
		return sasl.StepUsername
	case sasl.Anonymous:
		return sasl.StepOther
	}
	return sasl.StepSecret
}

// sendsSecretInClear reports mechanisms whose responses reveal the secret
// to anyone who reads the connection.
func sendsSecretInClear(mech string) bool {
	switch mech {
	case sasl.Plain, sasl.Login, sasl.XOAuth2, sasl.OAuthBearer:
		return true
	}
	return false
}

// hostPort splits the configured address for OAUTHBEARER.
func (s *Session) hostPort() (string, int) {
	host, p, err := net.SplitHostPort(s.cfg.Address)
	if err != nil {
		return s.cfg.Address, 0
	}
	port, _ := strconv.Atoi(p)
	return host, port
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func abbreviate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
