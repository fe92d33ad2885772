package sasl

import (
	gosasl "github.com/emersion/go-sasl"
)

// xoauth2Client is XOAUTH2 as Google and Microsoft document it: the
// initial response is "user=" U ^A "auth=Bearer " TOKEN ^A ^A. On failure
// the server sends a 334 with base64 JSON describing the error and expects
// an empty response before its final 5xx.
type xoauth2Client struct {
	username, token string
	started         bool
	last            Step
}

// NewXOAuth2Client returns an XOAUTH2 client.
func NewXOAuth2Client(username, token string) gosasl.Client {
	return &xoauth2Client{username: username, token: token}
}

func (c *xoauth2Client) Start() (string, []byte, error) {
	c.started, c.last = true, StepSecret
	return XOAuth2, []byte("user=" + c.username + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	if !c.started {
		// Without an initial response the server prompts with an empty
		// challenge first.
		_, ir, _ := c.Start()
		return ir, nil
	}
	// The error challenge: acknowledge with an empty response so that the
	// server sends its final reply.
	c.last = StepOther
	return []byte{}, nil
}

func (c *xoauth2Client) LastStep() Step { return c.last }
