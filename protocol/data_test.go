package protocol

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

var dotStuffTests = []struct {
	name   string
	in     string
	want   string
	bareCR int
}{
	{"empty body", "", ".\r\n", 0},
	{"one line with CRLF", "hello\r\n", "hello\r\n.\r\n", 0},
	{"no final line end", "hello", "hello\r\n.\r\n", 0},
	{"leading dot", ".hidden\r\n", "..hidden\r\n.\r\n", 0},
	{"lone dot line", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n", 0},
	{"dots mid-line untouched", "a.b\r\n x.\r\n", "a.b\r\n x.\r\n.\r\n", 0},
	{"two dots", "..\r\n", "...\r\n.\r\n", 0},
	{"bare LF normalized", "a\nb\n", "a\r\nb\r\n.\r\n", 0},
	{"bare LF then dot", "a\n.\nb", "a\r\n..\r\nb\r\n.\r\n", 0},
	{"smuggling attempt LF.CRLF", "a\n.\r\nMAIL FROM:<x@y>\r\n", "a\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n", 0},
	{"bare CR kept and counted", "a\rb\r\n", "a\rb\r\n.\r\n", 1},
	{"bare CR before dot is not a line start", "a\r.b\r\n", "a\r.b\r\n.\r\n", 1},
	{"final CR completed to CRLF", "a\r", "a\r\n.\r\n", 0},
	{"CR CR LF", "a\r\r\n", "a\r\r\n.\r\n", 1},
	{"only LF", "\n", "\r\n.\r\n", 0},
	{"dot at very start", ".", "..\r\n.\r\n", 0},
	{"8-bit kept", "Grüße\r\n", "Grüße\r\n.\r\n", 0},
}

func TestDotStuff(t *testing.T) {
	for _, tt := range dotStuffTests {
		if got := string(DotStuff([]byte(tt.in))); got != tt.want {
			t.Errorf("%s: DotStuff(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// Every split of the input into two or three writes gives the same bytes:
// the writer keeps its state across Write boundaries.
func TestDotWriterSplitWrites(t *testing.T) {
	for _, tt := range dotStuffTests {
		in := []byte(tt.in)
		for i := 0; i <= len(in); i++ {
			for j := i; j <= len(in); j++ {
				var buf bytes.Buffer
				d := NewDotWriter(&buf)
				for _, part := range [][]byte{in[:i], in[i:j], in[j:]} {
					if n, err := d.Write(part); err != nil || n != len(part) {
						t.Fatalf("%s: Write(%q) = %d, %v", tt.name, part, n, err)
					}
				}
				if err := d.Close(); err != nil {
					t.Fatalf("%s: Close: %v", tt.name, err)
				}
				if buf.String() != tt.want || d.BareCR() != tt.bareCR {
					t.Errorf("%s split at %d,%d: got %q (%d bare CR), want %q (%d)", tt.name, i, j, buf.String(), d.BareCR(), tt.want, tt.bareCR)
				}
				if d.Written() != int64(buf.Len()) {
					t.Errorf("%s: Written() = %d, want %d", tt.name, d.Written(), buf.Len())
				}
			}
		}
	}
}

// Byte-at-a-time writes of a larger body agree with one big write.
func TestDotWriterByteAtATime(t *testing.T) {
	body := strings.Repeat("line one\r\n.dot line\n\rmixed\r\r\n..\n", 50) + "tail"
	want := DotStuff([]byte(body))
	var buf bytes.Buffer
	d := NewDotWriter(&buf)
	for i := 0; i < len(body); i++ {
		if _, err := d.Write([]byte{body[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("byte-at-a-time output differs from one write:\n got %q\nwant %q", buf.Bytes(), want)
	}
	if d.BareCR() != 100 {
		t.Errorf("BareCR() = %d, want 100", d.BareCR())
	}
}

// The output parses back: a receiver that strips one leading dot from each
// line and stops at "." recovers the body with CRLF line ends.
func TestDotStuffRoundTrip(t *testing.T) {
	bodies := []string{"", "a", ".\r\n", "..\r\n.\r\n", "x\n.\n.\n", "Subject: t\r\n\r\n.\r\nbye"}
	for _, body := range bodies {
		wire := string(DotStuff([]byte(body)))
		if !strings.HasSuffix(wire, "\r\n.\r\n") && wire != ".\r\n" {
			t.Errorf("DotStuff(%q) = %q does not end with the marker", body, wire)
		}
		lines := strings.Split(strings.TrimSuffix(wire, "\r\n"), "\r\n")
		if lines[len(lines)-1] != "." {
			t.Fatalf("DotStuff(%q): last line %q", body, lines[len(lines)-1])
		}
		var got []string
		for _, l := range lines[:len(lines)-1] {
			if l == "." {
				t.Fatalf("DotStuff(%q) = %q has an early end marker", body, wire)
			}
			got = append(got, strings.TrimPrefix(l, "."))
		}
		want := strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
		if want != "" && !strings.HasSuffix(want, "\r\n") {
			want += "\r\n"
		}
		joined := strings.Join(got, "\r\n")
		if len(got) > 0 {
			joined += "\r\n"
		}
		if joined != want {
			t.Errorf("round trip of %q = %q, want %q", body, joined, want)
		}
	}
}

type failingWriter struct{ after int }

var errDisk = errors.New("connection reset")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.after {
		n := f.after
		f.after = 0
		return n, errDisk
	}
	f.after -= len(p)
	return len(p), nil
}

func TestDotWriterErrors(t *testing.T) {
	d := NewDotWriter(&failingWriter{after: 10})
	big := bytes.Repeat([]byte("0123456789\r\n"), dotWriterBuffer/6)
	_, err := d.Write(big)
	if err == nil {
		err = d.Close()
	}
	if !errors.Is(err, errDisk) {
		t.Errorf("error = %v, want the writer's error", err)
	}
	d = NewDotWriter(io.Discard)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Errorf("second Close = %v, want nil", err)
	}
	if _, err := d.Write([]byte("x")); !errors.Is(err, ErrDotWriterClosed) {
		t.Errorf("Write after Close = %v, want ErrDotWriterClosed", err)
	}
}

// The writer does not hold the body: memory stays bounded by its buffer
// whatever the message size.
func TestDotWriterConstantMemory(t *testing.T) {
	chunk := bytes.Repeat([]byte("a line of text\n.dot\n"), 1000)
	d := NewDotWriter(io.Discard)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := d.Write(chunk); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Write allocates %.1f times per call, want 0", allocs)
	}
}

func TestFindBareLineEndings(t *testing.T) {
	tests := []struct {
		in   string
		want []BareEnding
	}{
		{"a\r\nb\r\n", nil},
		{"a\nb", []BareEnding{{Offset: 1}}},
		{"a\rb", []BareEnding{{Offset: 1, CR: true}}},
		{"\n.\r\n", []BareEnding{{Offset: 0}}},
		{"a\r\r\n\n", []BareEnding{{Offset: 1, CR: true}, {Offset: 4}}},
		{"end\r", []BareEnding{{Offset: 3, CR: true}}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := FindBareLineEndings([]byte(tt.in)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FindBareLineEndings(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestDotWriterLongLines(t *testing.T) {
	ok := strings.Repeat("x", MaxTextLineOctets-2)
	long := ok + "y"
	tests := []struct {
		name string
		body string
		want int
	}{
		{"998 octets is the limit", ok + "\r\n", 0},
		{"999 octets", long + "\r\n", 1},
		{"LF line end", long + "\n" + ok + "\n", 1},
		{"unterminated last line", ok + "\r\n" + long, 1},
		{"ending in CR", ok + "\r", 0},
		{"bare CR does not end a line", ok[:500] + "\r" + ok[:500] + "\r\n", 1},
		{"two long lines", long + "\r\n" + long + "\r\n", 2},
		{"empty lines", "\r\n\n\r\n", 0},
	}
	for _, tt := range tests {
		in := []byte(tt.body)
		for _, step := range []int{1, 7, 999, 1000, 1001, len(in) + 1} {
			d := NewDotWriter(io.Discard)
			for i := 0; i < len(in); i += step {
				if _, err := d.Write(in[i:min(i+step, len(in))]); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			if d.LongLines() != tt.want {
				t.Errorf("%s, writes of %d: LongLines() = %d, want %d", tt.name, step, d.LongLines(), tt.want)
			}
		}
	}
}
