package message

import (
	"bytes"
	"strings"
	"testing"

	"github.com/smtpscope/smtpscope/protocol"
)

var formAlice = Form{From: "alice@x.test", To: []string{"bob@y.test"}, Subject: "from the form"}

func verdicts(r *FileReport) map[string]Verdict {
	out := map[string]Verdict{}
	for _, f := range r.Fields {
		out[f.Field] = f.Verdict
	}
	return out
}

func TestInspectFields(t *testing.T) {
	full := "From: Alice <Alice@x.test>\r\nTo: bob@y.test\r\nSubject: from the form\r\nDate: Sat, 14 Mar 2026 15:09:26 +0100\r\nMessage-ID: <1@x.test>\r\n\r\nbody\r\n"
	tests := []struct {
		name string
		file string
		form Form
		want map[string]Verdict
	}{
		{"everything agrees", full, formAlice,
			map[string]Verdict{"From": Agrees, "To": Agrees, "Subject": Agrees, "Date": FromFile, "Message-ID": FromFile}},
		{"the file overrides", "From: mallory@z.test\nTo: carol@z.test\nCc: bob@y.test\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\nDate: Sat, 14 Mar 2026 15:09:26 +0100\n\nbody\n", formAlice,
			map[string]Verdict{"From": Overrides, "To": Overrides, "Subject": Overrides, "Date": FromFile, "Message-ID": Missing}},
		{"the form is empty", full, Form{To: []string{"bob@y.test"}},
			map[string]Verdict{"From": FromFile, "To": Agrees, "Subject": FromFile, "Date": FromFile, "Message-ID": FromFile}},
		{"the file lacks fields", "X-Mailer: test\n\nbody\n", formAlice,
			map[string]Verdict{"From": Missing, "To": NotAdded, "Subject": NotAdded, "Date": Missing, "Message-ID": Missing}},
		{"no header at all", "just some text\nwith lines\n", formAlice,
			map[string]Verdict{"From": Missing, "To": NotAdded, "Subject": NotAdded, "Date": Missing, "Message-ID": Missing}},
		{"folded To", "From: alice@x.test\nTo: bob@y.test,\n  dave@y.test\n\nhi\n", Form{From: "alice@x.test", To: []string{"bob@y.test", "dave@y.test"}},
			map[string]Verdict{"From": Agrees, "To": Agrees, "Subject": Missing, "Date": Missing, "Message-ID": Missing}},
	}
	for _, tt := range tests {
		r, err := Inspect(strings.NewReader(tt.file), tt.form)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := verdicts(r)
		for field, want := range tt.want {
			if got[field] != want {
				t.Errorf("%s: %s is %v, want %v", tt.name, field, got[field], want)
			}
		}
		if len(r.Fields) != 5 {
			t.Errorf("%s: %d fields reported", tt.name, len(r.Fields))
		}
		for _, f := range r.Fields {
			if f.Text == "" {
				t.Errorf("%s: %s has no sentence", tt.name, f.Field)
			}
		}
	}
}

func TestInspectDecodesSubject(t *testing.T) {
	file := "Subject: =?gb2312?B?xOO6ww==?= =?utf-8?q?_w=C3=B6rld?=\n\n"
	r, err := Inspect(strings.NewReader(file), Form{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Fields[2].File; got != "你好 wörld" {
		t.Errorf("Subject decoded as %q", got)
	}
}

// The size is what goes on the wire after CRLF normalisation, and the
// needs follow the octets.
func TestInspectSizeAndNeeds(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		size     int64
		eightBit bool
		utf8     bool
		sendable bool
	}{
		{"LF line ends count as CRLF", "Subject: x\n\nbody\n", 20, false, false, true},
		{"CRLF already", "Subject: x\r\n\r\nbody\r\n", 20, false, false, true},
		{"unterminated last line", "Subject: x\n\nbody", 20, false, false, true},
		{"8-bit body", "Subject: x\n\nGrüße\n", 23, true, false, true},
		{"UTF-8 header", "Subject: Grüße\n\nx\n", 23, true, true, true},
		{"a line over 998", "Subject: x\n\n" + strings.Repeat("y", 1000) + "\n", 1016, false, false, false},
		{"NUL", "Subject: x\n\na\x00b\n", 19, false, false, false},
	}
	for _, tt := range tests {
		r, err := Inspect(strings.NewReader(tt.file), Form{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if r.Stats.Size != tt.size {
			t.Errorf("%s: size %d, want %d", tt.name, r.Stats.Size, tt.size)
		}
		if r.Needs.EightBit != tt.eightBit || r.Needs.UTF8 != tt.utf8 {
			t.Errorf("%s: needs %+v, want 8-bit %v, UTF-8 %v", tt.name, r.Needs, tt.eightBit, tt.utf8)
		}
		if err := r.SendableAsIs(); (err == nil) != tt.sendable {
			t.Errorf("%s: SendableAsIs = %v, want sendable %v", tt.name, err, tt.sendable)
		}
	}
}

func TestInspectNotes(t *testing.T) {
	tests := []struct {
		name, file, note string
	}{
		{"mbox line", "From alice@x.test Sat Mar 14 15:09:26 2026\nFrom: alice@x.test\n\nhi\n", "mbox"},
		{"Bcc", "From: a@x.test\nBcc: secret@y.test\n\nhi\n", "Bcc"},
		{"huge header", "X-Big: " + strings.Repeat("a ", MaxHeaderSection) + "\n\nbody\n", "not read"},
		{"no empty line", "From: a@x.test\nnot a field\n", "no empty line"},
		{"wide lines", "From: a@x.test\n\n" + strings.Repeat("w", 100) + "\n", "longer than 78"},
	}
	for _, tt := range tests {
		r, err := Inspect(strings.NewReader(tt.file), Form{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if notes := strings.Join(r.Notes, "\n"); !strings.Contains(notes, tt.note) {
			t.Errorf("%s: notes %q lack %q", tt.name, notes, tt.note)
		}
	}
}

// A composed message inspected as a file agrees with its form: the two
// halves of the package read the same header the same way.
func TestInspectComposed(t *testing.T) {
	m, err := Compose(Draft{From: Address{Name: "Zoë", Addr: "zoe@x.test"}, To: []Address{addr("bob@y.test")}, Subject: "Grüße", Text: "hi\n"}, nil, opts(caps(t)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Inspect(bytes.NewReader(m.Content), Form{From: "zoe@x.test", To: []string{"bob@y.test"}, Subject: "Grüße"})
	if err != nil {
		t.Fatal(err)
	}
	if o := r.Overrides(); len(o) != 2 || o[0].Field != "Date" || o[1].Field != "Message-ID" {
		t.Errorf("overrides %+v, want only Date and Message-ID from the file", o)
	}
	if r.Stats.Size != m.Size {
		t.Errorf("inspected size %d, composed %d", r.Stats.Size, m.Size)
	}
}

func FuzzInspect(f *testing.F) {
	f.Add([]byte("From: a@x.test\r\nTo: b@y.test\r\nSubject: =?utf-8?q?hi?=\r\n\r\nbody\r\n"), "a@x.test")
	f.Add([]byte("Subject: x\n folded\n\nbody"), "")
	f.Add([]byte("From a@x Sat Mar 14\nFrom: <>\n\n"), "")
	f.Add([]byte("To: \"a, b\" <a@x>, =?gb2312?B?xOO6ww==?= <c@y>\n\n\x00\xff"), "c@y")
	f.Add([]byte("\n\n\n"), "x")
	f.Add([]byte(":\n"), "")
	f.Fuzz(func(t *testing.T, file []byte, from string) {
		r, err := Inspect(bytes.NewReader(file), Form{From: from, To: []string{from}, Subject: from})
		if err != nil {
			t.Fatalf("Inspect: %v", err)
		}
		var c protocol.ContentCounter
		c.Write(file)
		if r.Stats != c.Stats() {
			t.Fatalf("stats %+v, counter %+v", r.Stats, c.Stats())
		}
		if len(r.Fields) != 5 {
			t.Fatalf("%d fields", len(r.Fields))
		}
		for _, fr := range r.Fields {
			for _, s := range []string{fr.File, fr.Text} {
				if strings.ContainsAny(s, "\r\n\x1b") {
					t.Fatalf("%s: unsanitized text %q", fr.Field, s)
				}
			}
		}
		if r.Needs.UTF8 && !r.Needs.EightBit {
			t.Fatalf("UTF-8 header without 8-bit content: %+v", r.Needs)
		}
	})
}

// TestInspectHeaderOnlyFile reads a file that is a header and nothing
// else, its last field ended by a line break or not: the fields are read.
func TestInspectHeaderOnlyFile(t *testing.T) {
	for _, file := range []string{"Subject: only a header\n", "Subject: only a header\r\n", "Subject: only a header"} {
		r, err := Inspect(strings.NewReader(file), Form{})
		if err != nil {
			t.Fatalf("%q: %v", file, err)
		}
		if len(r.Header) != 1 || r.Header[0].Value != "only a header" {
			t.Errorf("%q: header %+v, notes %q", file, r.Header, r.Notes)
		}
	}
}
