package session

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestReadJSONLRoundTrip(t *testing.T) {
	tr := NewTranscript()
	at := time.Date(2026, 1, 2, 3, 4, 5, 678901234, time.UTC)
	want := []Line{
		{Time: at, Gen: 1, Dir: DirNote, Text: ConnectNote("[::1]:587")},
		{Time: at, Gen: 1, Dir: DirServer, Code: 220, Text: "220 mx.test \"quoted\" ␛ \\ ESMTP"},
		{Time: at, Gen: 2, Dir: DirClient, TLS: true, Redacted: true, Text: "AUTH PLAIN ●●●●●●●● (username and password, redacted)"},
	}
	for _, l := range want {
		tr.append(l, "")
	}
	var buf bytes.Buffer
	if err := tr.WriteJSONL(&buf, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSONL(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d lines, want %d", len(got), len(want))
	}
	for i := range want {
		if !got[i].Time.Equal(want[i].Time) || got[i].Gen != want[i].Gen || got[i].Dir != want[i].Dir || got[i].TLS != want[i].TLS ||
			got[i].Code != want[i].Code || got[i].Redacted != want[i].Redacted || got[i].Text != want[i].Text {
			t.Errorf("line %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if addr, ok := ParseConnectNote(got[0].Text); !ok || addr != "[::1]:587" {
		t.Errorf("ParseConnectNote = %q, %v", addr, ok)
	}
}

func TestReadJSONLErrorsNameTheLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"dir":"C","text":"x"}` + "\nnot json\n", "line 2"},
		{`{"dir":"X","text":"x"}`, `line 1: dir is "X"`},
		{`{"dir":"S","time":"yesterday"}`, "line 1: time"},
		{"\n\n", "no transcript records"},
		{`{"dir":"S","text":"` + strings.Repeat("a", maxJSONLLine) + `"}`, "longer than"},
	} {
		if _, err := ReadJSONL(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadJSONL(%.40q) = %v, want an error with %q", c.in, err, c.want)
		}
	}
}
