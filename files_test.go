package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Files named on the command line are read with a bound: an endless one
// (/dev/zero) is a usage error naming the flag, not all the memory there
// is. A directory is named as one.
func TestFileFlagsAreReadWithABound(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	dir := t.TempDir()
	transcript := filepath.Join(dir, "s.jsonl")
	if err := os.WriteFile(transcript, []byte(`{"dir":"C","text":"EHLO a.test"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--server", "mx.test:25", "--to", "a@b.test", "--message", "/dev/zero", transcript}, "--message: /dev/zero is larger than 64 MiB"},
		{[]string{"export", "--server", "mx.test:25", "--to", "a@b.test", "--message", dir, transcript}, "is a directory"},
		{[]string{"proxy", "--upstream", "mx.test", "--downstream-ca", "/dev/zero"}, "--downstream-ca: /dev/zero is larger than 4 MiB"},
		{[]string{"proxy", "--upstream", "mx.test", "--downstream-ca", dir}, "is a directory"},
	} {
		code, out, errOut := runCmd(tc.args...)
		if code != exitUsage || !strings.Contains(oneLine(out+errOut), tc.want) {
			t.Errorf("smtpscope %v: exit %d, output %q; want exit %d and %q", tc.args, code, out+errOut, exitUsage, tc.want)
		}
	}
}

// The proxy's --log never appends through a symbolic link (one planted in
// a shared directory would send what applications type into another
// file), dangling or not, and says so before listening.
func TestProxyLogRefusesSymbolicLinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "victim")
	if err := os.WriteFile(target, []byte("keep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{target, filepath.Join(dir, "missing")} {
		link := filepath.Join(dir, "log-"+filepath.Base(to)+".jsonl")
		if err := os.Symlink(to, link); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		// Were the link followed, the proxy would listen until ctx ends.
		ctx, cancel := context.WithTimeout(context.Background(), testGuard)
		var stdout, stderr bytes.Buffer
		code := run(ctx, []string{"proxy", "--upstream", "mx.test", "--listen", "127.0.0.1:0", "--no-tui", "--log", link},
			strings.NewReader(""), &stdout, &stderr)
		cancel()
		out, errOut := stdout.String(), stderr.String()
		if code != exitUsage || !strings.Contains(oneLine(out+errOut), "is a symbolic link") {
			t.Errorf("--log %s -> %s: exit %d, output %q; want a usage error about the link", link, to, code, out+errOut)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "keep\n" {
		t.Errorf("the link's target was written: %q", b)
	}
	if _, err := os.Lstat(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the dangling link's target was created: %v", err)
	}
}

// oneLine joins the words of help output wrapped to the terminal width.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// export -o replaces a symbolic link with the file instead of writing
// through it into the link's target.
func TestExportOutputReplacesALinkNotItsTarget(t *testing.T) {
	dir := t.TempDir()
	transcript := filepath.Join(dir, "s.jsonl")
	lines := `{"dir":"S","text":"220 mx.test ESMTP","code":220}` + "\n" + `{"dir":"C","text":"EHLO a.test"}` + "\n"
	if err := os.WriteFile(transcript, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "victim")
	if err := os.WriteFile(target, []byte("keep\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "send.sh")
	if err := os.Symlink(target, out); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if code, stdout, stderr := runCmd("export", "--server", "mx.test:25", "--to", "a@b.test", "-o", out, transcript); code != exitOK {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep\n" {
		t.Errorf("written through the link into its target: %q", b)
	}
	if fi, err := os.Lstat(out); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("%s is not the exported file: %v", out, err)
	}
}
