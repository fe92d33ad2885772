package message

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	gomessage "github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode RFC 2047 words in any charset (GBK, ISO-2022-JP, …)
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"

	"github.com/smtpscope/smtpscope/protocol"
)

// MaxHeaderSection bounds the header section Inspect parses. Postfix's
// header_size_limit is 100 KB; past this the fields are not read.
const MaxHeaderSection = 1 << 20

// Form is what the message form says besides the file: the envelope and
// the subject.
type Form struct {
	From    string   // envelope sender, "" for <>
	To      []string // envelope recipients
	Subject string
}

// Verdict says how a field of a file relates to the form.
type Verdict int

// Verdicts, from harmless to worth a look.
const (
	Agrees    Verdict = iota // the file says what the form says
	FromFile                 // the form has nothing for it; the file's value goes out
	Overrides                // the file's value goes out instead of the form's
	NotAdded                 // the form has a value the file lacks; a file goes as it is, so it is not added
	Missing                  // neither has it, and RFC 5322 3.6 requires it
)

var verdictNames = [...]string{"agrees", "from file", "overrides", "not added", "missing"}

func (v Verdict) String() string {
	if v >= 0 && int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return "unknown"
}

// FieldReport compares one field of the form (From, To, Subject, Date,
// Message-ID) with the file's header.
type FieldReport struct {
	Field   string // "From", "To", "Subject", "Date", "Message-ID"
	File    string // the file's value, decoded and sanitized; "" when it has none
	Form    string // what the form has for it; "" when nothing
	Verdict Verdict
	Text    string // one sentence for the screen
}

// FileReport is what a message file holds and what sending it as it is
// means.
type FileReport struct {
	Stats     protocol.ContentStats // Stats.Size is the SIZE= value (RFC 1870)
	HasHeader bool                  // the file starts with a header section
	Header    []HeaderField         // the file's header fields, in order
	Fields    []FieldReport         // From, To, Subject, Date, Message-ID against the form
	Needs     protocol.MessageNeeds
	Notes     []string
}

// HeaderField is one field of a header section.
type HeaderField struct {
	Name  string // as written
	Value string // unfolded; encoded words left as they are
}

// Overrides returns the fields whose verdict is not Agrees.
func (r *FileReport) Overrides() []FieldReport {
	var out []FieldReport
	for _, f := range r.Fields {
		if f.Verdict != Agrees {
			out = append(out, f)
		}
	}
	return out
}

// SendableAsIs returns an error when the file must not go out as it is:
// a line over 998 octets (RFC 5322 2.1.1), which servers refuse or break.
func (r *FileReport) SendableAsIs() error {
	if r.Stats.OverMax > 0 {
		return fmt.Errorf("%s longer than %d octets (RFC 5322 2.1.1); servers refuse such a message (500 line too long) or break the lines: attach the file instead, or send it by hand after DATA",
			plural(r.Stats.OverMax, "line is", "lines are"), protocol.MaxContentLine)
	}
	if r.Stats.NUL {
		return errors.New("the file has NUL octets, which no message may carry (RFC 5322 2.1): attach it instead")
	}
	return nil
}

// Inspect reads a message file to be sent as it is and reports its size
// on the wire, what it needs of the server, and how its header relates to
// the form. It reads r to the end; memory stays bounded by
// MaxHeaderSection. Only a read error is returned.
func Inspect(r io.Reader, form Form) (*FileReport, error) {
	var c protocol.ContentCounter
	br := bufio.NewReader(io.TeeReader(r, &c))
	section, hasHeader, complete, err := readHeaderSection(br)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return nil, err
	}
	rep := &FileReport{Stats: c.Stats(), HasHeader: hasHeader}
	if bytes.HasPrefix(section, []byte("From ")) {
		rep.Notes = append(rep.Notes, "the file starts with an mbox \"From \" line, which is not a header field; remove it before sending")
	}
	var h mail.Header
	switch {
	case !hasHeader:
		rep.Notes = append(rep.Notes, "the file has no header section: it would go without From, Date or Subject")
	case !complete:
		rep.Notes = append(rep.Notes, fmt.Sprintf("the header section is over %d octets or has no empty line after it; its fields were not read", MaxHeaderSection))
	default:
		th, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(section)))
		if err != nil {
			rep.Notes = append(rep.Notes, "the header section could not be read: "+protocol.Sanitize(err.Error()))
		}
		h = mail.Header{Header: gomessage.Header{Header: th}}
		for f := th.Fields(); f.Next(); {
			rep.Header = append(rep.Header, HeaderField{Name: f.Key(), Value: f.Value()})
		}
	}
	rep.Fields = compareFields(h, hasHeader && complete, form)
	rep.Needs = fileNeeds(section, rep.Stats)
	if len(h.Values("Bcc")) > 0 {
		rep.Notes = append(rep.Notes, "the file has a Bcc: field; it goes as it is, so every recipient sees it")
	}
	if n := rep.Stats.OverPref - rep.Stats.OverMax; n > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s longer than %d characters, which RFC 5322 2.1.1 advises against",
			plural(n, "line is", "lines are"), protocol.PreferredContentLine))
	}
	return rep, nil
}

// readHeaderSection reads the header section (up to and including the
// empty line), at most MaxHeaderSection octets. hasHeader is false when
// the first line is not a header field; complete is false when the
// section was cut or has no empty line after it.
func readHeaderSection(br *bufio.Reader) (section []byte, hasHeader, complete bool, err error) {
	var buf bytes.Buffer
	for first := true; ; first = false {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			buf.Write(line)
			return buf.Bytes(), !first || isFieldLine(line), false, nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, false, false, err
		}
		trimmed := bytes.TrimRight(line, "\r\n")
		switch {
		case first && !isFieldLine(line):
			return line, false, false, nil
		case len(line) == 0:
			// The end, right after a whole field line: a header and no
			// body (RFC 5322 3.5); go-message wants the empty line.
			buf.WriteString("\r\n")
			return buf.Bytes(), true, true, nil
		case len(trimmed) == 0 && len(line) > 0:
			buf.Write(line)
			return buf.Bytes(), true, true, nil
		case !first && !isFieldLine(line) && line[0] != ' ' && line[0] != '\t':
			// RFC 5322 2.2: not a field and not a continuation; the
			// header section ends without its empty line.
			return buf.Bytes(), true, false, nil
		}
		if buf.Len()+len(line) > MaxHeaderSection {
			return buf.Bytes(), true, false, nil
		}
		buf.Write(line)
		if errors.Is(err, io.EOF) {
			// A header and no body: RFC 5322 3.5 allows it, but go-message
			// wants the empty line.
			buf.WriteString("\r\n")
			return buf.Bytes(), true, len(trimmed) > 0, nil
		}
	}
}

// isFieldLine reports whether line starts a header field: a name of
// printable ASCII but ':' (RFC 5322 2.2 ftext), then ':'.
func isFieldLine(line []byte) bool {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return false
	}
	for _, c := range line[:colon] {
		if c < '!' || c > '~' {
			return false
		}
	}
	return true
}

// fileNeeds reports the extensions a file sent as it is needs: 8-bit
// octets need 8BITMIME (RFC 6152), and raw UTF-8 in the header needs
// SMTPUTF8 (RFC 6532 3, RFC 6531 3.4).
func fileNeeds(section []byte, st protocol.ContentStats) protocol.MessageNeeds {
	var n protocol.MessageNeeds
	if st.EightBit {
		n.EightBit, n.EightBitWhy = true, "the file has 8-bit octets (text that is not encoded)"
	}
	if !isASCII(string(section)) {
		n.UTF8, n.UTF8Why = true, "the file's header has raw UTF-8 (RFC 6532)"
	}
	return n
}

// compareFields says, for each field the form fills in, what the file
// does with it. A file goes out as it is: its header is what recipients
// see, while the form's From and To stay the envelope.
func compareFields(h mail.Header, parsed bool, form Form) []FieldReport {
	fileFrom := addressesOf(h, "From")
	fileTo := addressesOf(h, "To", "Cc")
	subject := ""
	if parsed {
		subject = decoded(h, "Subject")
	}
	formFrom := form.From
	return []FieldReport{
		addressField("From", fileFrom, formFrom, []string{formFrom}),
		addressField("To", fileTo, strings.Join(form.To, ", "), form.To),
		textField("Subject", subject, form.Subject, false),
		textField("Date", decoded(h, "Date"), "", true),
		textField("Message-ID", decoded(h, "Message-Id"), "", false),
	}
}

// addressField compares the addresses of a header field with the
// envelope.
func addressField(field string, file []string, formText string, envelope []string) FieldReport {
	formText = protocol.Sanitize(formText)
	fr := FieldReport{Field: field, File: strings.Join(file, ", "), Form: formText}
	envWord := map[string]string{"From": "sender (MAIL FROM)", "To": "recipients (RCPT TO)"}[field]
	switch {
	case len(file) == 0 && field == "From":
		fr.Verdict = Missing
		fr.Text = "the file has no From: field, which every message needs (RFC 5322 3.6.2); many servers refuse it"
	case len(file) == 0:
		fr.Verdict = NotAdded
		fr.Text = "the file has no To: or Cc: field; the message still goes to the form's " + envWord
	case sameAddresses(file, envelope):
		fr.Verdict = Agrees
		fr.Text = fmt.Sprintf("the file's %s: matches the form", field)
	case formText == "":
		fr.Verdict = FromFile
		fr.Text = fmt.Sprintf("the file's %s: %s is what recipients see", field, fr.File)
	default:
		fr.Verdict = Overrides
		fr.Text = fmt.Sprintf("recipients see the file's %s: %s; the form's %s stays the envelope %s", field, fr.File, formText, envWord)
	}
	return fr
}

// textField compares a field the form may fill in with the file's.
func textField(field, file, form string, required bool) FieldReport {
	form = protocol.Sanitize(form)
	fr := FieldReport{Field: field, File: file, Form: form}
	switch {
	case file == "" && form != "":
		fr.Verdict = NotAdded
		fr.Text = fmt.Sprintf("the file has no %s: field; the form's %q is not added, since a file goes as it is", field, form)
	case file == "" && required:
		fr.Verdict = Missing
		fr.Text = fmt.Sprintf("the file has no %s: field, which RFC 5322 3.6 requires; some servers add one, others refuse the message", field)
	case file == "":
		fr.Verdict = Missing
		fr.Text = fmt.Sprintf("the file has no %s: field; the form would have added one", field)
	case form == "":
		fr.Verdict = FromFile
		fr.Text = fmt.Sprintf("the file's %s: goes out: %s", field, file)
	case file == form:
		fr.Verdict = Agrees
		fr.Text = fmt.Sprintf("the file's %s: matches the form", field)
	default:
		fr.Verdict = Overrides
		fr.Text = fmt.Sprintf("the file's %s: %q goes out instead of the form's %q", field, file, form)
	}
	return fr
}

// addressesOf returns the addresses of the named fields, lower-cased;
// the raw text, sanitized, when a field does not parse.
func addressesOf(h mail.Header, keys ...string) []string {
	var out []string
	for _, k := range keys {
		for _, v := range h.Values(k) {
			if strings.TrimSpace(v) == "" {
				continue
			}
			list, err := mail.ParseAddressList(v)
			if err != nil {
				out = append(out, protocol.Sanitize(strings.TrimSpace(v)))
				continue
			}
			for _, a := range list {
				out = append(out, strings.ToLower(a.Address))
			}
		}
	}
	return out
}

// sameAddresses reports whether a and b name the same mailboxes.
func sameAddresses(a, b []string) bool {
	set := map[string]bool{}
	for _, x := range a {
		set[strings.ToLower(x)] = true
	}
	other := map[string]bool{}
	for _, x := range b {
		other[strings.ToLower(x)] = true
	}
	if len(set) != len(other) {
		return false
	}
	for x := range other {
		if !set[x] {
			return false
		}
	}
	return true
}

// decoded returns a field's value with RFC 2047 words decoded, sanitized
// for the screen; the raw value when it does not decode.
func decoded(h mail.Header, key string) string {
	v, err := h.Text(key)
	if err != nil {
		v = h.Get(key)
	}
	return protocol.Sanitize(strings.TrimSpace(v))
}
