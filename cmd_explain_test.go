package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runExplainArgs(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	root := append([]string{"explain"}, args...)
	code = run(context.Background(), root, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestExplainJSONFields(t *testing.T) {
	code, out, errOut := runExplainArgs(t, "", "--json", "535 5.7.8 Username and Password not accepted")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := []string{"code", "enhanced", "class", "subject", "provider", "reason", "reason_from", "server_text",
		"summary", "causes", "actions", "references", "diagnostics"}
	if len(m) != len(want) {
		t.Errorf("JSON has %d fields, want exactly %d: %v", len(m), len(want), m)
	}
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if m["code"].(float64) != 535 || m["enhanced"] != "5.7.8" || m["class"] != "permanent" || m["subject"] != "security or policy" {
		t.Errorf("code/enhanced/class/subject = %v %v %v %v", m["code"], m["enhanced"], m["class"], m["subject"])
	}
	for _, k := range []string{"causes", "actions", "references", "diagnostics"} {
		if _, ok := m[k].([]any); !ok {
			t.Errorf("%s = %#v, want a JSON array (never null)", k, m[k])
		}
	}
}

func TestExplainJSONNeverNull(t *testing.T) {
	_, out, _ := runExplainArgs(t, "", "--json", "250")
	if strings.Contains(out, "null") {
		t.Errorf("JSON has null:\n%s", out)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if m["class"] != "success" || m["enhanced"] != "" || m["provider"] != "" {
		t.Errorf("250: %v", m)
	}
}

func TestExplainHostSelectsProvider(t *testing.T) {
	_, out, _ := runExplainArgs(t, "", "--json", "--host", "smtp.office365.com", "535", "5.7.139", "Authentication unsuccessful")
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if m["provider"] != "microsoft" {
		t.Errorf("provider = %v, want microsoft", m["provider"])
	}
	if !strings.Contains(m["summary"].(string), "Microsoft") {
		t.Errorf("summary %q is not Microsoft's", m["summary"])
	}
}

func TestExplainPlainOutputHasNoEscapes(t *testing.T) {
	code, out, _ := runExplainArgs(t, "", "--command", "AUTH", "535-5.7.8 Username and Password not accepted.\n535 5.7.8 https://support.google.com/mail/?p=BadCredentials - gsmtp")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Errorf("piped output contains ESC:\n%q", out)
	}
	for _, want := range []string{"535 5.7.8", "Gmail", "After AUTH:", "app password", "RFC 4954 §6"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestExplainServerTextCannotInjectEscapes(t *testing.T) {
	_, out, _ := runExplainArgs(t, "", "550 5.7.1 evil \x1b]0;pwned\x07 text")
	if strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 0x07) {
		t.Errorf("server text reached the terminal raw:\n%q", out)
	}
}

func TestExplainStdin(t *testing.T) {
	reply := "550-5.1.1 The email account that you tried to reach does not exist.\r\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser - gsmtp\r\n"
	code, out, errOut := runExplainArgs(t, reply, "--json", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"provider": "gmail"`) || !strings.Contains(out, `"enhanced": "5.1.1"`) {
		t.Errorf("stdin reply not explained:\n%s", out)
	}
}

func TestExplainEndOfDataCommand(t *testing.T) {
	for _, c := range []string{"EOD", "."} {
		_, out, _ := runExplainArgs(t, "", "--command", c, "250 2.0.0 OK queued")
		if !strings.Contains(out, "After the end of data: The message was accepted") {
			t.Errorf("--command %s:\n%s", c, out)
		}
	}
}

func TestExplainUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no reply", nil},
		{"no code", []string{"hello world"}},
		{"not a reply code", []string{"700 nope"}},
		{"unknown command", []string{"--command", "FROB", "250"}},
	}
	for _, tt := range tests {
		code, out, errOut := runExplainArgs(t, "", tt.args...)
		if code != exitUsage {
			t.Errorf("%s: exit %d, want %d", tt.name, code, exitUsage)
		}
		if out != "" {
			t.Errorf("%s: printed on stdout: %q", tt.name, out)
		}
		if tt.name != "unknown command" && !strings.Contains(errOut, "smtpscope explain 535 5.7.8") {
			t.Errorf("%s: stderr does not show accepted shapes: %q", tt.name, errOut)
		}
	}
}
