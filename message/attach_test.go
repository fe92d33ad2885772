package message

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
)

func TestGuessType(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	tests := []struct {
		name string
		head []byte
		want string
	}{
		{"report.pdf", []byte("%PDF-1.7"), "application/pdf"},
		{"REPORT.PDF", nil, "application/pdf"},
		{"notes.txt", []byte("plain words"), "text/plain; charset=us-ascii"},
		{"notes.txt", []byte("Grüße"), "text/plain; charset=utf-8"},
		{"notes.txt", []byte("Gr\xfc\xdfe"), "text/plain"},
		{"cut.txt", []byte("ab\xc3"), "text/plain; charset=utf-8"},
		{"photo", png, "image/png"},
		{"noext", []byte("just text\n"), "text/plain; charset=us-ascii"},
		{"blob", []byte{0, 1, 2, 3, 0xff}, "application/octet-stream"},
		{"forward.eml", []byte("From: a@b\r\n"), "message/rfc822"},
		{"table.csv", []byte("a,b\n"), "text/csv; charset=us-ascii"},
	}
	for _, tt := range tests {
		if got := GuessType(tt.name, tt.head); got != tt.want {
			t.Errorf("GuessType(%q, %q) = %q, want %q", tt.name, tt.head, got, tt.want)
		}
	}
}

// Attachments come back intact, with their names and guessed types; the
// text part comes first.
func TestComposeAttachments(t *testing.T) {
	binary := make([]byte, 70000)
	for i := range binary {
		binary[i] = byte(i * 7)
	}
	fsys := fstest.MapFS{
		"docs/report.pdf":     {Data: append([]byte("%PDF-1.4\n"), binary...)},
		"Größe Übersicht.txt": {Data: []byte("zeile eins\nzeile zwei\n")},
		"empty.bin":           {Data: nil},
	}
	d := Draft{From: addr("a@x.test"), To: []Address{addr("b@x.test")}, Subject: "files", Text: "see attached\n",
		Attachments: []string{"docs/report.pdf", "Größe Übersicht.txt", "empty.bin"}}
	m, err := Compose(d, fsys, opts(caps(t)))
	if err != nil {
		t.Fatal(err)
	}
	checkWireForm(t, m)
	h, parts := parse(t, m.Content)
	if ct, params, _ := h.ContentType(); ct != "multipart/mixed" || !strings.HasPrefix(params["boundary"], boundaryPrefix) {
		t.Errorf("top Content-Type %s %v", ct, params)
	}
	if len(parts) != 4 {
		t.Fatalf("%d parts, want text + 3 attachments", len(parts))
	}
	if parts[0].body != "see attached\r\n" && parts[0].body != "see attached\n" {
		t.Errorf("text part %q", parts[0].body)
	}
	want := []struct{ name, ctype string }{
		{"report.pdf", "application/pdf"},
		{"Größe Übersicht.txt", "text/plain"},
		{"empty.bin", "application/octet-stream"},
	}
	for i, w := range want {
		p := parts[i+1]
		if p.filename != w.name || p.contentType != w.ctype || p.encoding != EncBase64 {
			t.Errorf("attachment %d: %q %s %s, want %q %s base64", i, p.filename, p.contentType, p.encoding, w.name, w.ctype)
		}
		if data := fsys[d.Attachments[i]].Data; !bytes.Equal([]byte(p.body), data) {
			t.Errorf("attachment %s: %d octets decoded, want the %d of the file", w.name, len(p.body), len(data))
		}
		if m.Attachments[i].Name != w.name || m.Attachments[i].Size != int64(len(fsys[d.Attachments[i]].Data)) {
			t.Errorf("reported %+v", m.Attachments[i])
		}
	}
}

// An attached message goes as it is (RFC 2046 5.2.1 allows no base64)
// when its content allows, else as a plain file.
func TestComposeAttachedMessage(t *testing.T) {
	plain := "From: a@b.test\nSubject: inner\n\nbody\n"
	utf := "From: a@b.test\nSubject: inner\n\nGrüße\n"
	tests := []struct {
		name, content string
		caps          []string
		ctype, enc    string
		note          string
	}{
		{"ASCII", plain, nil, "message/rfc822", Enc7Bit, ""},
		{"8-bit with 8BITMIME", utf, []string{"8BITMIME"}, "message/rfc822", Enc8Bit, ""},
		{"8-bit without 8BITMIME", utf, nil, "application/octet-stream", EncBase64, "8BITMIME"},
		{"a long line", "From: a@b.test\n\n" + strings.Repeat("x", 1200) + "\n", nil, "application/octet-stream", EncBase64, "998"},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{"fwd.eml": {Data: []byte(tt.content)}}
		m, err := Compose(Draft{From: addr("a@x.test"), To: []Address{addr("b@x.test")}, Attachments: []string{"fwd.eml"}}, fsys, opts(caps(t, tt.caps...)))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		checkWireForm(t, m)
		_, parts := parse(t, m.Content)
		if len(parts) != 1 {
			t.Fatalf("%s: %d parts, want the attachment alone (no text)", tt.name, len(parts))
		}
		p := parts[0]
		if p.contentType != tt.ctype || p.encoding != tt.enc {
			t.Errorf("%s: %s %s, want %s %s", tt.name, p.contentType, p.encoding, tt.ctype, tt.enc)
		}
		if got := strings.ReplaceAll(p.body, "\r\n", "\n"); got != tt.content {
			t.Errorf("%s: the attached message changed: %q", tt.name, abbrev(got))
		}
		if m.Needs.EightBit != (tt.enc == Enc8Bit) {
			t.Errorf("%s: Needs.EightBit = %v", tt.name, m.Needs.EightBit)
		}
		if notes := strings.Join(m.Notes, " "); tt.note != "" && !strings.Contains(notes, tt.note) {
			t.Errorf("%s: notes %q lack %q", tt.name, notes, tt.note)
		}
	}
}

func TestComposeAttachmentErrors(t *testing.T) {
	fsys := fstest.MapFS{"dir/a.txt": {Data: []byte("x")}, "big.bin": {Data: make([]byte, 5000)}}
	tests := []struct {
		file string
		want string
	}{
		{"missing.pdf", "missing.pdf"},
		{"dir", "directory"},
		{"../etc/passwd", "not a file name"},
		{"big.bin", "over 4000 octets"},
	}
	for _, tt := range tests {
		o := opts(caps(t))
		o.MaxSize = 4000
		_, err := Compose(Draft{From: addr("a@x.test"), To: []Address{addr("b@x.test")}, Attachments: []string{tt.file}}, fsys, o)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", tt.file, err, tt.want)
		}
	}
}
