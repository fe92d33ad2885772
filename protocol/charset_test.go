package protocol

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		cs   Charset
	}{
		{"ascii", "Ok queued", "Ok queued", CharsetASCII},
		{"utf-8 French", "Réessayez plus tard", "Réessayez plus tard", CharsetUTF8},
		{"utf-8 German", "Grüße", "Grüße", CharsetUTF8},
		{"utf-8 Chinese", "请使用授权码", "请使用授权码", CharsetUTF8},
		{"GBK", "\xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb", "请使用授权码", CharsetGBK},
		{"GBK with ASCII", "Error: \xc7\xeb\xca\xb9\xd3\xc3\xca\xda\xc8\xa8\xc2\xeb", "Error: 请使用授权码", CharsetGBK},
		{"mojibake", "ÇëÊ¹ÓÃÊÚÈ¨Âë", "请使用授权码", CharsetMojibake},
		{"mojibake in a sentence", "Error: ÇëÊ¹ÓÃÊÚÈ¨ÂëµÇÂ¼", "Error: 请使用授权码登录", CharsetMojibake},
		{"Latin-1 bytes", "caf\xe9", `caf\xE9`, CharsetBinary},
		{"garbage", "\xff\xfe\xfd", `\xFF\xFE\xFD`, CharsetBinary},
	}
	for _, tt := range tests {
		got, cs := DecodeText([]byte(tt.in))
		if got != tt.want || cs != tt.cs {
			t.Errorf("%s: DecodeText(%q) = %q, %v; want %q, %v", tt.name, tt.in, got, cs, tt.want, tt.cs)
		}
		if !utf8.ValidString(got) {
			t.Errorf("%s: DecodeText(%q) = %q is not valid UTF-8", tt.name, tt.in, got)
		}
	}
}

// Ordinary European text must never be "recovered" as Chinese.
func TestRecoverMojibakeLeavesEuropeanTextAlone(t *testing.T) {
	for _, s := range []string{"Réessayez plus tard", "Grüße", "Müller", "señor", "Ça va", "Größe ändern", "naïve café"} {
		if got, ok := RecoverMojibake(s); ok || got != s {
			t.Errorf("RecoverMojibake(%q) = %q, %v; want it unchanged", s, got, ok)
		}
	}
	if got, ok := RecoverMojibake("ÇëÊ¹ÓÃÊÚÈ¨Âë"); !ok || got != "请使用授权码" {
		t.Errorf("RecoverMojibake(mojibake) = %q, %v", got, ok)
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain text", "plain text"},
		{"esc\x1b[31mred", "esc␛[31mred"},
		{"nul\x00", "nul␀"},
		{"cr\rlf\n", "cr␍lf␊"},
		{"bell\x07", "bell␇"},
		{"del\x7f", "del␡"},
		{"tab\t", "tab␉"},
		{"c1 \u009b31m", "c1 <U+009B>31m"},
		{"bidi \u202egnp.exe", "bidi <U+202E>gnp.exe"},
		{"isolate \u2066x\u2069", "isolate <U+2066>x<U+2069>"},
		{"zero\u200bwidth\u200d join\ufeff", "zero<U+200B>width<U+200D> join<U+FEFF>"},
		{"soft\u00adhyphen line\u2028sep", "soft<U+00AD>hyphen line<U+2028>sep"},
		{"invalid \xff", `invalid \xFF`},
		{"请使用授权码", "请使用授权码"},
		{"Grüße", "Grüße"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// terminalUnsafe reports a byte or rune a terminal would act on.
func terminalUnsafe(s string) bool { return !IsDisplaySafe(s) }

func TestSanitizeAllBytes(t *testing.T) {
	var sb strings.Builder
	for b := 0; b < 256; b++ {
		sb.WriteByte(byte(b))
	}
	if got := Sanitize(sb.String()); terminalUnsafe(got) {
		t.Errorf("Sanitize(all bytes) = %q still has terminal controls", got)
	}
}

// Every rune Sanitize replaces is reported unsafe, and sanitizing twice
// changes nothing: the session can sanitize at its boundary without
// doubling what an earlier step already made visible.
func TestSanitizeIsIdempotentAndAgreesWithIsDisplaySafe(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		in := "a" + string(r) + "b"
		once := Sanitize(in)
		if !IsDisplaySafe(once) {
			t.Fatalf("Sanitize(%q) = %q is not display-safe", in, once)
		}
		if twice := Sanitize(once); twice != once {
			t.Fatalf("Sanitize(Sanitize(%q)) = %q, want %q", in, twice, once)
		}
		if IsDisplaySafe(in) != (once == in) {
			t.Fatalf("IsDisplaySafe(%q) = %v but Sanitize gives %q", in, IsDisplaySafe(in), once)
		}
	}
}

func TestLatin1(t *testing.T) {
	if got := Latin1([]byte("caf\xe9")); got != "café" {
		t.Errorf("Latin1 = %q, want café", got)
	}
}

func TestCharsetString(t *testing.T) {
	want := map[Charset]string{CharsetASCII: "ascii", CharsetUTF8: "utf-8", CharsetGBK: "gbk", CharsetMojibake: "gbk-mojibake", CharsetBinary: "binary"}
	for c, s := range want {
		if c.String() != s {
			t.Errorf("%d.String() = %q, want %q", c, c.String(), s)
		}
	}
}
