package learn

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestStoreRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "smtpscope")
	st := Store{Dir: dir}
	p, err := st.Load()
	if err != nil || p.Current != "" || len(p.Completed) != 0 {
		t.Fatalf("missing file: %+v, %v", p, err)
	}
	want := Progress{Version: progressVersion, Current: "auth-login", Completed: []string{"greeting", "capabilities"}}
	if err := st.Save(want); err != nil {
		t.Fatal(err)
	}
	got, err := st.Load()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("loaded %+v, %v; want %+v", got, err, want)
	}
	fi, err := os.Stat(st.Path())
	if err != nil || fi.Mode().Perm() != stateFileMode {
		t.Errorf("file mode %v, %v; want %v", fi.Mode().Perm(), err, stateFileMode)
	}
	if di, err := os.Stat(dir); err != nil || di.Mode().Perm() != stateDirMode {
		t.Errorf("directory mode %v, %v", di.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the directory holds %d files: no temporary file may stay", len(entries))
	}
	if err := st.Reset(); err != nil {
		t.Fatal(err)
	}
	if p, err := st.Load(); err != nil || p.Current != "" {
		t.Errorf("after reset: %+v, %v", p, err)
	}
	if err := st.Reset(); err != nil {
		t.Errorf("resetting twice: %v", err)
	}
}

func TestStoreRefusesWhatItCannotRead(t *testing.T) {
	for name, content := range map[string]string{
		"damaged":   `{"version": 1, "current": `,
		"too large": `{"current": "` + strings.Repeat("x", maxProgressFile) + `"}`,
		"newer":     `{"version": 99}`,
	} {
		st := Store{Dir: t.TempDir()}
		if err := os.WriteFile(st.Path(), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := st.Load()
		if err == nil || !strings.Contains(err.Error(), "--reset") {
			t.Errorf("%s: %v, want an error that says how to start over", name, err)
		}
	}
}

// The saved progress holds lesson ids and nothing a session carried.
func TestProgressHoldsOnlyLessonIDs(t *testing.T) {
	tr := english(t)
	c := NewCourse(tr, Progress{Current: "auth-plain"})
	s := newScript(t)
	s.ehlo().handshake(true).ehlo().send("AUTH PLAIN AGRlbW8AZGVtby1wYXNzd29yZA==").reply("AUTH", "235 2.7.0 ok")
	for _, e := range s.events {
		c.Observe(e)
	}
	st := Store{Dir: t.TempDir()}
	if err := st.Save(c.Progress()); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(st.Path())
	for _, secret := range []string{"AGRlbW8", "demo", "AUTH", "sandbox.test"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("progress file holds %q:\n%s", secret, raw)
		}
	}
	if !strings.Contains(string(raw), `"auth-plain"`) {
		t.Errorf("progress file does not record the lesson:\n%s", raw)
	}
}
