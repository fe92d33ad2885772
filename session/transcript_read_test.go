package session

import (
	"bytes"
	"io"
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

// TestProxyTranscriptKeepsItsLegs: a proxy connection's transcript, saved
// from its view, says which lines one leg alone carried — marked in the
// text form, a "leg" in JSON lines — so that reading it back (export)
// leaves out smtpscope's own exchange with the server, as with the log.
func TestProxyTranscriptKeepsItsLegs(t *testing.T) {
	tr := NewTranscript()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, l := range []Line{
		{Time: at, Gen: 1, Dir: DirClient, Text: "EHLO app.example"},
		{Time: at, Gen: 1, Dir: DirClient, Text: "STARTTLS", Leg: LegUpstream},
		{Time: at, Gen: 1, Dir: DirServer, Code: 250, Text: "250 STARTTLS", Leg: LegApp},
	} {
		tr.append(l, "")
	}
	var text bytes.Buffer
	if err := tr.WriteText(&text, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"C: EHLO app.example\n", "C: STARTTLS  [⇢ smtpscope ↔ server only]\n", "S: 250 STARTTLS  [⇠ to the application only]\n"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text transcript lacks %q:\n%s", want, text.String())
		}
	}
	var buf bytes.Buffer
	if err := tr.WriteJSONL(&buf, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSONL(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Text != "EHLO app.example" || got[1].Leg != LegApp {
		t.Errorf("read back: %+v", got)
	}
}

// endlessRecords serves the same transcript record again and again, up
// to a guard that only stops a reader that never stops itself.
type endlessRecords struct{ served, guard int }

func (e *endlessRecords) Read(p []byte) (int, error) {
	const rec = `{"dir":"C","text":"NOOP"}` + "\n"
	if e.served >= e.guard*len(rec) {
		return 0, io.EOF
	}
	n := 0
	for n+len(rec) <= len(p) {
		n += copy(p[n:], rec)
	}
	e.served += n
	return n, nil
}

// A transcript longer than any smtpscope keeps (a proxy log of weeks, an
// endless pipe) is an error saying what to do, not all the memory there is.
func TestReadJSONLIsBounded(t *testing.T) {
	for _, tc := range []struct {
		records, octets int
	}{
		{1000, 1 << 20}, // the record count is reached first
		{1 << 20, 4096}, // the text is
	} {
		src := &endlessRecords{guard: 100_000}
		lines, err := readJSONL(src, tc.records, tc.octets)
		if err == nil || !strings.Contains(err.Error(), "export one connection") {
			t.Errorf("bounds %d records, %d octets: %d lines, error %v; want the bound's error", tc.records, tc.octets, len(lines), err)
		}
	}
}
