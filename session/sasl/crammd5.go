package sasl

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/hex"

	gosasl "github.com/emersion/go-sasl"
)

// cramMD5Client is CRAM-MD5 (RFC 2195): the response is the username, a
// space, and the hex HMAC-MD5 of the challenge keyed with the password.
type cramMD5Client struct {
	username, password string
	done               bool
}

// NewCramMD5Client returns a CRAM-MD5 client.
func NewCramMD5Client(username, password string) gosasl.Client {
	return &cramMD5Client{username: username, password: password}
}

func (c *cramMD5Client) Start() (string, []byte, error) { return CramMD5, nil, nil }

func (c *cramMD5Client) Next(challenge []byte) ([]byte, error) {
	if c.done {
		return nil, gosasl.ErrUnexpectedServerChallenge
	}
	c.done = true
	mac := hmac.New(md5.New, []byte(c.password))
	mac.Write(challenge)
	return []byte(c.username + " " + hex.EncodeToString(mac.Sum(nil))), nil
}

// LastStep reports that the one response carries the username and a
// digest of the password.
func (c *cramMD5Client) LastStep() Step { return StepSecret }
