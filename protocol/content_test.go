package protocol

import (
	"bytes"
	"strings"
	"testing"
)

// unstuffed is what a server keeps of DotStuff's output: the content
// without the end marker and without the doubled leading dots. Its length
// is what SIZE must declare (RFC 1870 3).
func unstuffed(wire []byte) []byte {
	wire = bytes.TrimSuffix(wire, []byte(EndOfData))
	var out []byte
	for _, line := range bytes.SplitAfter(wire, []byte("\r\n")) {
		out = append(out, bytes.TrimPrefix(line, []byte("."))...)
	}
	return out
}

func countContent(parts ...[]byte) ContentStats {
	var c ContentCounter
	for _, p := range parts {
		c.Write(p)
	}
	return c.Stats()
}

// The counted size is the size of what DotWriter sends, less the
// dot-stuffing and the end marker, for every input of the DotWriter table
// and every split of it into writes.
func TestContentCounterMatchesDotWriter(t *testing.T) {
	for _, tt := range dotStuffTests {
		want := int64(len(unstuffed(DotStuff([]byte(tt.in)))))
		in := []byte(tt.in)
		for i := 0; i <= len(in); i++ {
			if got := countContent(in[:i], in[i:]).Size; got != want {
				t.Errorf("%s: size of %q split at %d = %d, want %d", tt.name, tt.in, i, got, want)
			}
		}
		if got := countContent(in).BareCR; got != tt.bareCR {
			t.Errorf("%s: BareCR = %d, want %d", tt.name, got, tt.bareCR)
		}
	}
}

func TestContentStats(t *testing.T) {
	long := strings.Repeat("x", MaxContentLine+1)
	wide := strings.Repeat("y", PreferredContentLine+1)
	tests := []struct {
		name string
		in   string
		want ContentStats
	}{
		{"empty", "", ContentStats{}},
		{"LF endings grow by one octet a line", "a\nb\n", ContentStats{Size: 6, Lines: 2, Longest: 1}},
		{"unterminated last line is counted with its CRLF", "abc", ContentStats{Size: 5, Lines: 1, Longest: 3}},
		{"998 octets is the limit", strings.Repeat("z", MaxContentLine) + "\r\n",
			ContentStats{Size: int64(MaxContentLine) + 2, Lines: 1, Longest: int64(MaxContentLine), OverPref: 1}},
		{"a line over 998", long + "\r\nok\r\n",
			ContentStats{Size: int64(len(long)) + 6, Lines: 2, Longest: int64(len(long)), OverMax: 1, OverPref: 1}},
		{"unterminated long last line", long,
			ContentStats{Size: int64(len(long)) + 2, Lines: 1, Longest: int64(len(long)), OverMax: 1, OverPref: 1}},
		{"a line over 78", wide + "\n", ContentStats{Size: int64(len(wide)) + 2, Lines: 1, Longest: int64(len(wide)), OverPref: 1}},
		{"8-bit", "Grüße\r\n", ContentStats{Size: 9, Lines: 1, Longest: 7, EightBit: true}},
		{"NUL", "a\x00b\r\n", ContentStats{Size: 5, Lines: 1, Longest: 3, NUL: true}},
		{"bare CR stays one octet", "a\rb\r\n", ContentStats{Size: 5, Lines: 1, Longest: 3, BareCR: 1}},
	}
	for _, tt := range tests {
		if got := countContent([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: stats of %q = %+v, want %+v", tt.name, abbrevTest(tt.in), got, tt.want)
		}
	}
}

func abbrevTest(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func FuzzContentCounter(f *testing.F) {
	for _, tt := range dotStuffTests {
		f.Add([]byte(tt.in), uint(len(tt.in)/2))
	}
	f.Fuzz(func(t *testing.T, in []byte, split uint) {
		cut := int(split % uint(len(in)+1))
		got := countContent(in[:cut], in[cut:])
		if want := int64(len(unstuffed(DotStuff(in)))); got.Size != want {
			t.Fatalf("size of %q = %d, DotWriter sends %d content octets", in, got.Size, want)
		}
		if whole := countContent(in); whole != got {
			t.Fatalf("split at %d: %+v, whole: %+v", cut, got, whole)
		}
	})
}

// BenchmarkContentCounter measures SIZE counting of LF-ended text, the
// pass an @file gets before it is sent.
func BenchmarkContentCounter(b *testing.B) {
	line := []byte(strings.Repeat("0123456789", 7) + "\n")
	buf := bytes.Repeat(line, (1<<20)/len(line))
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		var c ContentCounter
		c.Write(buf)
	}
}
