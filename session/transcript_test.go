package session

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestTranscriptHoldsAMillionLines(t *testing.T) {
	tr := NewTranscript()
	start := time.Unix(1700000000, 0)
	const n = 1_000_000
	for i := 0; i < n; i++ {
		tr.append(Line{Time: start.Add(time.Duration(i)), Gen: 1, Dir: DirServer, Code: 250, Text: fmt.Sprintf("250 line %d", i)}, "")
	}
	if tr.Len() != n {
		t.Fatalf("Len = %d", tr.Len())
	}
	l := tr.Line(n - 1)
	if l.Text != fmt.Sprintf("250 line %d", n-1) || l.Code != 250 || !l.Time.Equal(start.Add(n-1)) {
		t.Errorf("last line %+v", l)
	}
	if got := len(tr.chunks); got != (n+transcriptChunkLines-1)/transcriptChunkLines {
		t.Errorf("%d chunks: storage is not chunked", got)
	}
}

func TestTranscriptFormats(t *testing.T) {
	tr := NewTranscript()
	at := time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
	tr.append(Line{Time: at, Gen: 1, Dir: DirServer, Code: 220, Text: "220 mx.test"}, "")
	tr.append(Line{Time: at, Gen: 1, Dir: DirClient, TLS: true, Redacted: true, Text: "●●●●●●●● (username, redacted)"}, `ZGVtbw== (username "demo")`)
	tr.append(Line{Time: at, Gen: 1, Dir: DirNote, Text: "connection closed"}, "")
	var text strings.Builder
	tr.WriteText(&text, SaveOptions{})
	if want := "# connection 1, 2026-01-02 +0000\n03:04:05.000 S: 220 mx.test\n03:04:05.000 C: ●●●●●●●● (username, redacted)\n" +
		"03:04:05.000 • connection closed\n"; text.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", text.String(), want)
	}
	var js strings.Builder
	tr.WriteJSONL(&js, SaveOptions{ShowUsername: true})
	sc := bufio.NewScanner(strings.NewReader(js.String()))
	var lines []map[string]any
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 || lines[0]["code"] != float64(220) || lines[0]["dir"] != "S" || lines[0]["time"] != "2026-01-02T03:04:05.000000006Z" {
		t.Errorf("first JSON line %v", lines[0])
	}
	if lines[1]["text"] != `ZGVtbw== (username "demo")` || lines[1]["tls"] != true || lines[1]["redacted"] != true {
		t.Errorf("username line with ShowUsername %v", lines[1])
	}
	if lines[2]["dir"] != "note" {
		t.Errorf("note line %v", lines[2])
	}
}
