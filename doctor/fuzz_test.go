package doctor

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeToken: any secret decodes or errs, and what is shown of it is
// single-line text.
func FuzzDecodeToken(f *testing.F) {
	f.Add("ya29.a0Af")
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbSIsInNjcCI6IlNNVFAuU2VuZCJ9.c2ln")
	f.Add("a.b.c")
	f.Add("e30.e30.")
	f.Fuzz(func(t *testing.T, token string) {
		info, err := DecodeToken(token)
		if err != nil {
			return
		}
		for _, line := range append(info.Facts(fixedNow), info.Predict("microsoft", "me@example.com", fixedNow)...) {
			if strings.ContainsAny(line, "\r\n\x1b") || !utf8.ValidString(line) {
				t.Fatalf("unsafe line %q from %q", line, token)
			}
		}
	})
}

// FuzzParseAutoconfig: any document is read or refused, and a server it
// gives is a plain host:port.
func FuzzParseAutoconfig(f *testing.F) {
	for _, doc := range autoconfigDocs {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		srv, err := parseAutoconfig([]byte(doc), "me@x.example", "x.example")
		if err == nil && (srv.address == "" || strings.ContainsAny(srv.address, " \r\n\t<>")) {
			t.Fatalf("server %q from %q", srv.address, doc)
		}
	})
}

// FuzzQueueID: an id read from a reply is a single word.
func FuzzQueueID(f *testing.F) {
	for _, r := range queueIDRules {
		f.Add(r.example)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if id, _ := QueueID(text); strings.ContainsAny(id, " \r\n") {
			t.Fatalf("id %q from %q", id, text)
		}
	})
}
