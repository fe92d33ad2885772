package export

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hostileValues are legal or at least plausible values full of what
// shells and string literals treat specially.
var hostileValues = []string{
	`it's`, `"double"`, `$HOME`, "`id`", `$(id)`, `a b`, `back\slash`, `semi;colon&amp|pipe`,
	`*?[glob]`, `~tilde`, `-starts-with-dash`, `héllo 日本`, `#hash`, `!bang`, `%DATE%`, `''`, `\n`,
}

// TestShellWordsSurviveTheShell runs the swaks and curl exports with the
// tools replaced by shell functions that print their arguments, and
// checks that every hostile value arrives as one argument, unchanged.
func TestShellWordsSurviveTheShell(t *testing.T) {
	need(t, "sh", "the shell quoting test runs sh")
	for _, v := range hostileValues {
		user := strings.ReplaceAll(v, ":", "")
		s := Session{Host: "mx.example.com", Port: 587, Security: StartTLS, Helo: "helo" + v,
			Auth: &Auth{Mechanism: mechPlain, Username: user}, From: "from" + v + "@example.com",
			To: []string{"to" + v + "@example.com"}, Message: []byte("Subject: " + v + "\n\n" + v + "\n")}
		for _, f := range []Format{Swaks, Curl} {
			if f == Swaks && strings.Contains(v, ",") {
				continue
			}
			r, err := Generate(f, s, Options{})
			if err != nil {
				t.Fatalf("%s %q: %v", f, v, err)
			}
			args := runWithStub(t, r.Code, "SMTP_PASSWORD=pw", "SMTP_CA_FILE=/ca file.pem")
			want := map[string]string{"--auth-user": user, "--helo": "helo" + v, "--from": s.From, "--to": s.To[0], "--tls-ca-path": "/ca file.pem"}
			if f == Curl {
				want = map[string]string{"--user": user + ":pw", "--mail-from": s.From, "--mail-rcpt": s.To[0], "--cacert": "/ca file.pem"}
			}
			for opt, val := range want {
				if got := argAfter(args, opt); got != val {
					t.Errorf("%s with %q: %s = %q, want %q\n%s", f, v, opt, got, val, r.Code)
				}
			}
			if f == Swaks && !contains(args, "ENV auth_password=pw") {
				t.Errorf("swaks with %q: the password did not reach swaks's environment: %q", v, args)
			}
			if !contains(args, "STDIN "+v) {
				t.Errorf("%s with %q: the message body did not arrive on stdin: %q", f, v, args)
			}
		}
	}
}

// runWithStub runs a shell export with swaks and curl replaced by a
// function that prints each argument on a line, the swaks password
// variable and the message lines from stdin.
func runWithStub(t *testing.T, code string, env ...string) []string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "export.sh")
	write(t, file, code)
	stub := `stub() { for a in "$@"; do printf '%s\n' "$a"; done; ` +
		`printf 'ENV auth_password=%s\n' "$SWAKS_OPT_auth_password"; ` +
		`while IFS= read -r l; do printf 'STDIN %s\n' "$(printf '%s' "$l" | tr -d '\r')"; done; }; ` +
		`swaks() { stub "$@"; }; curl() { stub "$@"; }; . "$1"`
	cmd := exec.Command("sh", "-c", stub, "sh", file)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sh: %v\n%s\n%s", err, out, code)
	}
	return strings.Split(string(out), "\n")
}

func argAfter(args []string, opt string) string {
	for i, a := range args {
		if a == opt && i+1 < len(args) {
			return args[i+1]
		}
	}
	return "(missing)"
}

// TestControlCharactersAreRefusedOrEscaped: a line break, NUL or escape
// sequence never reaches the code raw. Shell formats refuse them; the
// others write escapes.
func TestControlCharactersAreRefusedOrEscaped(t *testing.T) {
	for _, bad := range []string{"a\nb", "a\rb", "a\x00b", "a\x1b[31mb", "a\u202eb", "a\u0085b"} {
		for _, f := range Formats() {
			s := Session{Host: "mx.example.com", Port: 25, From: "a@example.com", To: []string{"b@example.com"},
				Auth: &Auth{Mechanism: mechPlain, Username: "user" + bad}, Message: []byte("Subject: x" + bad + "\n\nbody" + bad + "\n")}
			r, err := Generate(f, s, Options{})
			if err != nil {
				continue // refused: fine
			}
			if f == Swaks || f == Curl {
				t.Errorf("%s accepted %q", f, bad)
			}
			for _, r := range r.Code {
				if r != '\n' && r != '\t' && isControl(r) {
					t.Errorf("%s export of %q holds the raw control character %U", f, bad, r)
				}
			}
		}
	}
}

// TestStringLiteralsRoundTrip has Python and Node.js read back the
// literals written for hostile strings.
func TestStringLiteralsRoundTrip(t *testing.T) {
	values := append([]string{"tab\there", "nul\x00", "esc\x1b[0m", "bidi\u202e", "astral \U0001F600 \U000E0001", "crlf\r\n", "del\x7f", "c1\u0085"}, hostileValues...)
	check := func(tool string, style literalStyle, args ...string) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Logf("%s not found: literals for it not checked", tool)
			return
		}
		var src strings.Builder
		for _, v := range values {
			src.WriteString(stringLiteral(v, style) + "\n")
		}
		cmd := exec.Command(tool, args...)
		cmd.Stdin = strings.NewReader(src.String())
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", tool, err)
		}
		got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		for i, v := range values {
			if i >= len(got) || got[i] != hexOf(v) {
				t.Errorf("%s read %q back wrong", tool, v)
			}
		}
	}
	check("python3", stylePython, "-c", `import ast, sys
for line in sys.stdin:
    print(ast.literal_eval(line).encode("utf-8", "surrogatepass").hex())`)
	check("node", styleJS, "-e", `const lines = require("fs").readFileSync(0, "utf8").trimEnd().split("\n");
for (const l of lines) console.log(Buffer.from(JSON.parse(JSON.stringify(eval(l))), "utf8").toString("hex"));`)
}

func hexOf(s string) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, digits[s[i]>>4], digits[s[i]&15])
	}
	return string(b)
}
