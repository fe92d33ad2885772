package protocol

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestEnhancedRegistryComplete checks every row of the IANA registry
// snapshot (testdata/enhanced_codes.tsv) against the built-in registry.
func TestEnhancedRegistryComplete(t *testing.T) {
	f, err := os.Open("../testdata/enhanced_codes.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	rows := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 3 || cols[0] == "code" {
			continue
		}
		rows++
		code, name, ref := cols[0], cols[1], cols[2]
		info, ok := LookupEnhancedEntry(code)
		if !ok {
			t.Errorf("%s (%s) missing from the registry", code, name)
			continue
		}
		if info.Name != name {
			t.Errorf("%s name = %q, want IANA's %q", code, info.Name, name)
		}
		if info.RFC != ref {
			t.Errorf("%s RFC = %q, want %q", code, info.RFC, ref)
		}
		if info.Meaning == "" || info.Meaning == info.Name {
			t.Errorf("%s has no meaning of its own: %q", code, info.Meaning)
		}
		if strings.HasPrefix(code, "X.") && info.Subject == "" {
			t.Errorf("%s has no subject", code)
		}
	}
	if rows != len(enhancedDetails)+len(enhancedSubjects)+len(enhancedClasses) {
		t.Errorf("file has %d rows; registry has %d codes, %d subjects, %d classes",
			rows, len(enhancedDetails), len(enhancedSubjects), len(enhancedClasses))
	}
}

func TestLookupEnhanced(t *testing.T) {
	tests := []struct {
		code       string
		ok         bool
		name, subj string
	}{
		{"5.7.8", true, "Authentication credentials invalid", "security or policy"},
		{"4.7.8", true, "Authentication credentials invalid", "security or policy"},
		{"5.1.1", true, "Bad destination mailbox address", "addressing"},
		{"4.2.2", true, "Mailbox full", "mailbox"},
		{"5.7.139", false, "", "security or policy"}, // Microsoft's own
		{"5.9.1", false, "", ""},
	}
	for _, tt := range tests {
		c, _ := ParseEnhancedCode(tt.code)
		info, ok := LookupEnhanced(c)
		if ok != tt.ok || info.Name != tt.name || info.Subject != tt.subj {
			t.Errorf("LookupEnhanced(%s) = %+v, %v; want name %q subject %q ok %v", tt.code, info, ok, tt.name, tt.subj, tt.ok)
		}
	}
	if _, ok := LookupEnhanced(EnhancedCode{}); ok {
		t.Error("zero code found")
	}
	for _, bad := range []string{"", "X.7", "Y.7.8", "X.a.8", "9.XXX.XXX", "X.7.1234"} {
		if _, ok := LookupEnhancedEntry(bad); ok {
			t.Errorf("LookupEnhancedEntry(%q) found something", bad)
		}
	}
}

func TestSubjectName(t *testing.T) {
	want := map[int]string{0: "other or undefined", 1: "addressing", 5: "mail delivery protocol", 7: "security or policy", 8: "", -1: ""}
	for s, w := range want {
		if got := SubjectName(s); got != w {
			t.Errorf("SubjectName(%d) = %q, want %q", s, got, w)
		}
	}
}

func TestBasicCodes(t *testing.T) {
	for _, c := range []int{220, 221, 235, 250, 334, 354, 421, 450, 451, 452, 454, 500, 501, 502, 503, 504, 530, 534, 535, 550, 552, 553, 554, 555} {
		info, ok := LookupBasic(c)
		if !ok || info.Name == "" || info.Meaning == "" || !strings.HasPrefix(info.RFC, "RFC ") {
			t.Errorf("LookupBasic(%d) = %+v, %v", c, info, ok)
		}
	}
	info, ok := LookupBasic(459)
	if ok || info.Meaning != basicClassMeaning[ClassTransient] {
		t.Errorf("unknown 459 should fall back to its class: %+v %v", info, ok)
	}
}

func TestMeaningAfter(t *testing.T) {
	tests := []struct {
		verb string
		code int
		want string // a fragment
	}{
		{"RCPT", 503, "MAIL FROM must be accepted first"},
		{"rcpt", 550, "transaction stays open"},
		{"DATA", 354, "single dot"},
		{EndOfDataVerb, 250, "accepted for delivery"},
		{EndOfDataVerb, 451, "not accepted this time"},
		{"EHLO", 502, "HELO"},
		{"AUTH", 334, "base64"},
		{"AUTH", 454, "do not re-enter"},
		{"STARTTLS", 220, "EHLO again"},
		{"NOOP", 500, "did not recognise"},
		{"", 220, "send EHLO"},
	}
	for _, tt := range tests {
		if got := MeaningAfter(tt.verb, tt.code); !strings.Contains(got, tt.want) {
			t.Errorf("MeaningAfter(%q, %d) = %q, want it to contain %q", tt.verb, tt.code, got, tt.want)
		}
	}
	if got := MeaningAfter("", 550); got != "" {
		t.Errorf("greeting 550: %q, want nothing specific", got)
	}
}
