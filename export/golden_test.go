package export

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenSessions are fixed sessions whose exports are kept in testdata/
// for review: what a user gets, line by line.
var goldenSessions = map[string]Session{
	"starttls-plain": {
		Host: "smtp.example.com", Port: 587, Security: StartTLS, Helo: "laptop.example.com",
		Auth: &Auth{Mechanism: mechPlain, Username: "alice@example.com"},
		From: "alice@example.com", To: []string{"bob@example.net"},
		Message: []byte("From: Alice <alice@example.com>\nTo: bob@example.net\nSubject: Hello\n\nHi Bob,\nsee you at 5.\n"),
	},
	"implicit-xoauth2-unknown-message": {
		Host: "smtp.gmail.com", Port: 465, Security: ImplicitTLS,
		Auth: &Auth{Mechanism: mechXOAuth2, Username: "alice@gmail.com"},
		From: "alice@gmail.com", To: []string{"bob@example.net", "carol@example.org"},
		MessageMissing: "it went in BDAT chunks",
	},
}

func TestGoldenExports(t *testing.T) {
	for name, s := range goldenSessions {
		for _, f := range Formats() {
			t.Run(name+"/"+string(f), func(t *testing.T) {
				r, err := Generate(f, s, Options{})
				if err != nil {
					if f == Swaks && s.Auth.Token() {
						return // swaks has no XOAUTH2; TestUnsupportedMechanisms checks the error
					}
					t.Fatal(err)
				}
				path := filepath.Join("testdata", name+"."+string(f)+".txt")
				if *update {
					if err := os.MkdirAll("testdata", 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(r.Code), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./export -run TestGoldenExports -update)", err)
				}
				if string(want) != r.Code {
					t.Errorf("%s differs from the export; review and run with -update:\n%s", path, r.Code)
				}
			})
		}
	}
}
