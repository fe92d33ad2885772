package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// --password-cmd limits: a command that hangs (waiting for input it will
// never get, a stuck password manager) ends with an error instead of a
// blank screen, and what it prints is bounded.
const (
	defaultPasswordCmdTimeout = 30 * time.Second
	passwordCmdWaitDelay      = time.Second // for children that keep its pipes open
	maxSecretOctets           = 64 << 10
	maxStderrShown            = 500
)

// readSecret reads the AUTH secret from the environment or a command. The
// secret is kept in memory only, never logged or shown.
func readSecret(ctx context.Context, o connectOptions) (string, error) {
	if o.password != "" {
		return o.password, nil
	}
	if o.passwordEnv != "" {
		v, ok := os.LookupEnv(o.passwordEnv)
		if !ok || v == "" {
			return "", fmt.Errorf("--password-env %s: the variable is not set or empty; export it first", o.passwordEnv)
		}
		return v, nil
	}
	timeout := o.passwordCmdTimeout
	if timeout <= 0 {
		timeout = defaultPasswordCmdTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", o.passwordCmd)
	cmd.WaitDelay = passwordCmdWaitDelay
	var stdout, stderr boundedBuffer
	stdout.max, stderr.max = maxSecretOctets, maxStderrShown
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "", fmt.Errorf("--password-cmd did not finish within %s%s; it runs without a terminal, so it cannot ask for anything (raise --password-cmd-timeout if it is just slow)", timeout, stderrNote(&stderr))
	case err != nil:
		return "", fmt.Errorf("--password-cmd failed (%v)%s; run it by hand to check it prints the secret", err, stderrNote(&stderr))
	case stdout.over:
		return "", fmt.Errorf("--password-cmd printed more than %d KiB; it must print only the password or token", maxSecretOctets>>10)
	}
	secret := strings.TrimRight(stdout.String(), "\r\n")
	if secret == "" {
		return "", fmt.Errorf("--password-cmd printed nothing%s; it must print the password or token on stdout", stderrNote(&stderr))
	}
	return secret, nil
}

// stderrNote quotes what the command said on stderr, made safe for the
// terminal, or nothing.
func stderrNote(b *boundedBuffer) string {
	text := strings.TrimSpace(b.String())
	if text == "" {
		return ""
	}
	if b.over {
		text += " …"
	}
	return "; it said: " + protocol.Sanitize(strings.ReplaceAll(text, "\n", " | "))
}

// boundedBuffer keeps the first max octets written to it.
type boundedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room < len(p) {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
