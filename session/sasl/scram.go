package sasl

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	gosasl "github.com/emersion/go-sasl"
	"github.com/xdg-go/scram"
)

// MaxSCRAMIterations caps the PBKDF2 iteration count a server may ask for
// (RFC 5802 5.1 "i="). RFC 7677 4 asks for at least 4096 and servers use
// 4096 to a few hundred thousand; two billion would keep a core busy for
// many minutes, so a count past the cap ends the exchange with an error.
const MaxSCRAMIterations = 1_000_000

// ContextClient is a client whose step can take long (SCRAM derives a key
// from the password) and stops waiting when ctx is done. The session
// prefers NextContext to Next when a client has it.
type ContextClient interface {
	NextContext(ctx context.Context, challenge []byte) ([]byte, error)
}

// IterationsError reports a SCRAM server-first message asking for more
// PBKDF2 iterations than [MaxSCRAMIterations].
type IterationsError struct {
	Mechanism  string
	Iterations int64
}

func (e *IterationsError) Error() string {
	return fmt.Sprintf("the server asks %s for %d PBKDF2 iterations; smtpscope stops at %d (RFC 7677 asks for at least 4096, servers use up to a few hundred thousand): a broken server, or one trying to tie up your CPU",
		e.Mechanism, e.Iterations, MaxSCRAMIterations)
}

// scramClient adapts an xdg-go/scram conversation to go-sasl's Client.
type scramClient struct {
	mech string
	conv *scram.ClientConversation
	step int
}

// NewScramClient returns a SCRAM-SHA-1 or SCRAM-SHA-256 client (RFC 5802,
// RFC 7677) without channel binding.
func NewScramClient(mech, username, password string) (gosasl.Client, error) {
	var gen scram.HashGeneratorFcn
	switch mech {
	case ScramSHA1:
		gen = scram.SHA1
	case ScramSHA256:
		gen = scram.SHA256
	default:
		return nil, fmt.Errorf("sasl: %s is not a SCRAM mechanism smtpscope knows", mech)
	}
	client, err := gen.NewClient(username, password, "")
	if err != nil {
		return nil, fmt.Errorf("sasl: preparing the password for %s: %w", mech, err)
	}
	return &scramClient{mech: mech, conv: client.NewConversation()}, nil
}

func (c *scramClient) Start() (string, []byte, error) {
	first, err := c.conv.Step("")
	if err != nil {
		return "", nil, err
	}
	c.step = 1
	return c.mech, []byte(first), nil
}

func (c *scramClient) Next(challenge []byte) ([]byte, error) {
	return c.NextContext(context.Background(), challenge)
}

// NextContext answers a challenge. The server-first message's iteration
// count is checked against [MaxSCRAMIterations] before any work; the key
// derivation then runs on its own goroutine, and NextContext returns as
// soon as ctx is done (the abandoned derivation ends by itself, bounded by
// the cap).
func (c *scramClient) NextContext(ctx context.Context, challenge []byte) ([]byte, error) {
	if c.step == 0 {
		_, ir, err := c.Start()
		return ir, err
	}
	if c.conv.Done() {
		return nil, gosasl.ErrUnexpectedServerChallenge
	}
	if c.step == 1 {
		if n, ok := scramIterations(string(challenge)); ok && n > MaxSCRAMIterations {
			return nil, &IterationsError{Mechanism: c.mech, Iterations: n}
		}
	}
	if err := ctx.Err(); err != nil {
		// Cancelled before the derivation starts: do not start it (the
		// select below would pick at random between a fast failure and
		// the cancellation).
		return nil, fmt.Errorf("sasl: %s: %w", c.mech, err)
	}
	c.step++
	type result struct {
		resp string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := c.conv.Step(string(challenge))
		done <- result{resp, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, fmt.Errorf("sasl: %s: %w", c.mech, r.err)
		}
		return []byte(r.resp), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("sasl: %s: %w", c.mech, ctx.Err())
	}
}

// scramIterations reads the "i=" attribute of a server-first message
// (RFC 5802 7: attributes separated by commas).
func scramIterations(msg string) (int64, bool) {
	for _, attr := range strings.Split(msg, ",") {
		if v, ok := strings.CutPrefix(attr, "i="); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			return n, err == nil // a malformed count is xdg-go/scram's to refuse
		}
	}
	return 0, false
}

// LastStep: the client-first message names the user; the client-final
// message carries the proof derived from the password; after the server's
// final message the response is empty.
func (c *scramClient) LastStep() Step {
	switch c.step {
	case 1:
		return StepUsername
	case 2:
		return StepSecret
	}
	return StepOther
}
