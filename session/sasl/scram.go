package sasl

import (
	"fmt"

	gosasl "github.com/emersion/go-sasl"
	"github.com/xdg-go/scram"
)

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
	if c.step == 0 {
		_, ir, err := c.Start()
		return ir, err
	}
	if c.conv.Done() {
		return nil, gosasl.ErrUnexpectedServerChallenge
	}
	c.step++
	resp, err := c.conv.Step(string(challenge))
	if err != nil {
		return nil, fmt.Errorf("sasl: %s: %w", c.mech, err)
	}
	return []byte(resp), nil
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
