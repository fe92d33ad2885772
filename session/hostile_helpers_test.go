package session

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// hostileText holds one of each thing a terminal acts on or that hides
// text: OSC 0 (title), OSC 52 (clipboard), OSC 8 (link), SGR colour, NUL,
// BEL, C1 CSI in UTF-8 and as a raw byte, bidi override and isolate,
// zero-width characters, and invalid UTF-8.
const hostileText = "\x1b]0;owned\x07 \x1b]52;c;ZXZpbA==\x07 \x1b]8;;http://evil.test/\x1b\\click\x1b]8;;\x1b\\ " +
	"\x1b[31mred\x1b[0m nul\x00 \xc2\x9b2J \x9b \u202egnp.exe \u2066iso\u2069 zero\u200bwidth\u200d\ufeff bad\xff"

// displayStrings calls fn with every display string of v (an Event, a
// ProbeReport, …), walking structs, pointers, slices and maps; errors are
// read through Error(). Fields that hold raw bytes for a hex view (named
// Raw inside an Event or a ReplyLine) are skipped.
func displayStrings(v any, fn func(path, s string)) {
	walkDisplay(reflect.ValueOf(v), "", fn)
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

func walkDisplay(v reflect.Value, path string, fn func(path, s string)) {
	if !v.IsValid() {
		return
	}
	if v.Type().Implements(errorType) && v.Kind() != reflect.Struct {
		if !v.IsNil() {
			fn(path+".Error()", v.Interface().(error).Error())
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		fn(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkDisplay(v.Elem(), path, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkDisplay(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			walkDisplay(v.MapIndex(k), fmt.Sprintf("%s[%v]", path, k), fn)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if f.Name == "Raw" && (t == reflect.TypeOf(Event{}) || t == reflect.TypeOf(protocol.ReplyLine{})) {
				continue
			}
			walkDisplay(v.Field(i), path+"."+f.Name, fn)
		}
	}
}

// assertDisplaySafe fails the test for every unsafe display string of v.
func assertDisplaySafe(t *testing.T, what string, v any) {
	t.Helper()
	displayStrings(v, func(path, s string) {
		if !protocol.IsDisplaySafe(s) {
			t.Errorf("%s%s = %q is not display-safe", what, path, s)
		}
	})
}

// assertEventsSafe checks every event seen so far.
func assertEventsSafe(t *testing.T, events []Event) {
	t.Helper()
	for i, e := range events {
		assertDisplaySafe(t, fmt.Sprintf("event %d (%s)", i, describeEvent(e)), e)
	}
}

// assertTranscriptSafe checks both transcript formats.
func assertTranscriptSafe(t *testing.T, s *Session) {
	t.Helper()
	for _, o := range []SaveOptions{{}, {ShowUsername: true}} {
		var text, jsonl strings.Builder
		if err := s.Transcript().WriteText(&text, o); err != nil {
			t.Fatal(err)
		}
		if err := s.Transcript().WriteJSONL(&jsonl, o); err != nil {
			t.Fatal(err)
		}
		if !protocol.IsDisplaySafe(strings.ReplaceAll(text.String(), "\n", "")) {
			t.Errorf("text transcript is not display-safe:\n%q", text.String())
		}
		if !protocol.IsDisplaySafe(strings.ReplaceAll(jsonl.String(), "\n", "")) {
			t.Errorf("JSON lines transcript is not display-safe:\n%q", jsonl.String())
		}
	}
}

// assertNoSecret fails when secret appears in any event string (raw bytes
// included) or in the transcript.
func assertNoSecret(t *testing.T, s *Session, events []Event, secrets ...string) {
	t.Helper()
	check := func(where, text string) {
		for _, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds the secret %q: %q", where, secret, text)
			}
		}
	}
	for i, e := range events {
		check(fmt.Sprintf("event %d Raw", i), e.Raw)
		if e.Reply != nil {
			for _, l := range e.Reply.Lines {
				check(fmt.Sprintf("event %d reply raw", i), l.Raw)
			}
		}
		displayStrings(e, func(path, text string) { check(fmt.Sprintf("event %d%s", i, path), text) })
	}
	for _, o := range []SaveOptions{{}, {ShowUsername: true}} {
		check("transcript", transcriptText(t, s, o))
	}
}

// hostileCert is a self-signed certificate whose subject and issuer hold
// cn and whose DNS names are dns (plus 127.0.0.1): a server chooses every
// one of these strings.
func hostileCert(t *testing.T, cn string, dns ...string) tls.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn, Organization: []string{cn}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: dns, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
