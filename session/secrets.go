package session

import (
	"bytes"
	"encoding/base64"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Redaction limits. A fragment shorter than these is too common to hide
// everywhere it appears ("pass" would blank half of a 535 text); such a
// secret is still never shown where smtpscope sent it, since those lines
// are replaced as a whole.
const (
	minSecretOctets = 4 // the secret itself, or one part of a decoded response
	minBase64Core   = 6 // a base64 fragment that encodes only secret octets
)

// secretSet is what the session knows must never be shown: the AUTH
// secret and every form it takes on the wire (the base64 of the secret at
// each alignment, the SASL responses sent that carried it). The session
// goroutine adds; display paths read.
type secretSet struct {
	mu       sync.RWMutex
	patterns []string // longest first, so that a longer form wins over its parts
}

// empty reports whether nothing is known yet (the fast path).
func (ss *secretSet) empty() bool {
	ss.mu.RLock()
	defer ss.mu.RUnlock()
	return len(ss.patterns) == 0
}

// addSecret registers a password or token and its base64 forms.
func (ss *secretSet) addSecret(secret string) {
	if len(secret) < minSecretOctets {
		return
	}
	forms := []string{secret}
	forms = append(forms, base64Forms([]byte(secret))...)
	ss.add(forms...)
}

// addResponse registers a SASL response the user typed, whose meaning
// smtpscope can only guess: the line itself, and its decoded secret part
// (the password of a PLAIN response, or the whole decoded value, which for
// LOGIN may be the username — hidden too, rather than risk the password).
func (ss *secretSet) addResponse(enc string) {
	enc = strings.TrimSpace(enc)
	if enc == "" || enc == "=" || enc == saslCancel {
		return
	}
	forms := []string{enc}
	if raw, err := base64.StdEncoding.DecodeString(enc); err == nil {
		secret := raw
		if parts := bytes.Split(raw, []byte{0}); len(parts) == 3 { // RFC 4616 2: authzid NUL authcid NUL passwd
			secret = parts[2]
		}
		if len(secret) >= minSecretOctets {
			forms = append(forms, string(secret))
			forms = append(forms, base64Forms(secret)...)
		}
	}
	ss.add(forms...)
}

// addLine registers a line sent that carried a secret, as it went out.
func (ss *secretSet) addLine(line string) {
	if len(line) >= minSecretOctets {
		ss.add(line)
	}
}

func (ss *secretSet) add(forms ...string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, f := range forms {
		if f == "" || slices.Contains(ss.patterns, f) {
			continue
		}
		ss.patterns = append(ss.patterns, f)
	}
	sort.SliceStable(ss.patterns, func(i, j int) bool { return len(ss.patterns[i]) > len(ss.patterns[j]) })
}

// redact replaces every known secret form in text with the redaction mark.
func (ss *secretSet) redact(text string) string {
	ss.mu.RLock()
	defer ss.mu.RUnlock()
	for _, p := range ss.patterns {
		if strings.Contains(text, p) {
			text = strings.ReplaceAll(text, p, redactedMark)
		}
	}
	return text
}

// base64Forms returns how secret can appear inside base64 text: its own
// encoding, and for each of the three alignments at which it can start
// inside a longer encoded value (PLAIN's "\0user\0pass", XOAUTH2's
// "user=…\x01auth=Bearer …") the run of base64 characters that encode
// only octets of the secret.
func base64Forms(secret []byte) []string {
	forms := []string{base64.StdEncoding.EncodeToString(secret), base64.RawStdEncoding.EncodeToString(secret)}
	for shift := 0; shift < 3; shift++ {
		buf := make([]byte, shift+len(secret))
		copy(buf[shift:], secret)
		enc := base64.StdEncoding.EncodeToString(buf)
		// Character j covers bits [6j, 6j+6); keep those inside the
		// secret's bits [8·shift, 8·(shift+len)).
		start := (8*shift + 5) / 6
		end := 8 * (shift + len(secret)) / 6
		if end-start >= minBase64Core {
			forms = append(forms, enc[start:end])
		}
	}
	return forms
}
