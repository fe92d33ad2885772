// Package message builds and inspects the messages smtpscope sends from
// its message form: real MIME (RFC 2045-2049) with
// github.com/emersion/go-message, the transfer encoding chosen for the
// content and the server, RFC 2047 headers, attachments, and a report of
// what the message needs of the server (8BITMIME, SMTPUTF8) and of its
// size as it goes on the wire (RFC 1870). Everything here is a function of
// its inputs: the clock, the randomness and the files come in as values,
// an io.Reader or an fs.FS.
package message

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"github.com/smtpscope/smtpscope/protocol"
)

// DefaultMaxSize bounds a composed message in memory when
// [Options.MaxSize] is 0: well above what providers accept (25 to 50 MB).
const DefaultMaxSize = 64 << 20

// fallbackDomain is the Message-ID domain when neither the sender nor the
// client has a usable one (RFC 2606 3: .invalid never resolves).
const fallbackDomain = "smtpscope.invalid"

// nullSenderFrom is the From header of a message with the null envelope
// sender, which RFC 5322 3.6.2 still requires (a bounce says who sent it).
const nullSenderFrom = "MAILER-DAEMON"

// boundaryPrefix starts every multipart boundary, which also makes it
// easy to find in a transcript.
const boundaryPrefix = "smtpscope-"

// boundaryRandom is how many random octets follow the prefix: enough that
// the boundary never occurs in the content (RFC 2046 5.1.1).
const boundaryRandom = 12

// Draft is a message as the user describes it in the form.
type Draft struct {
	From        Address   // the sender; the zero Address is the null sender <>
	To          []Address // the recipients: the envelope and the To header
	Subject     string
	Text        string   // the body text, any line endings; may be empty when there are attachments
	Attachments []string // files to attach, as names in the fs.FS given to Compose
}

// Options are the facts Compose takes from outside.
type Options struct {
	Now      time.Time             // the Date header and the Message-ID
	Caps     protocol.Capabilities // what the server offered: 8BITMIME lets UTF-8 text go as 8bit; SMTPUTF8 allows UTF-8 addresses
	Hostname string                // the client's EHLO name: the Message-ID domain when the sender has none
	Random   io.Reader             // for the Message-ID and the boundary; nil = crypto/rand
	MaxSize  int64                 // bound on the composed message; 0 = DefaultMaxSize
}

// Message is a composed message, ready for [session.Message].
type Message struct {
	From        string                // envelope sender, "" for <>
	To          []string              // envelope recipients
	Content     []byte                // headers and body, CRLF line ends, as sent after DATA (before dot-stuffing)
	Size        int64                 // octets on the wire: the SIZE= value (RFC 1870)
	Needs       protocol.MessageNeeds // BODY=8BITMIME, SMTPUTF8
	MessageID   string                // without angle brackets
	Encoding    string                // the text's Content-Transfer-Encoding
	Attachments []AttachmentInfo
	Notes       []string // what was decided and why, in plain words, for the screen
}

// Reader returns the content, for session.Message.Body.
func (m *Message) Reader() io.Reader { return bytes.NewReader(m.Content) }

// SizeError reports a message or attachment over the size bound.
type SizeError struct {
	What  string // "the message", "attachment report.pdf"
	Size  int64  // octets, or the bound + 1 when it was cut short
	Limit int64
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("%s is over %d octets, the most smtpscope composes in memory; send a large file with @path (sent as it is, streamed)", e.What, e.Limit)
}

// Compose builds the message of d. Files named in d.Attachments are read
// from fsys. It returns an [*AddressError] for an unusable address, an
// [*protocol.ExtensionError] when the message needs an extension the
// server (opt.Caps) did not offer, and a [*SizeError] past opt.MaxSize.
func Compose(d Draft, fsys fs.FS, opt Options) (*Message, error) {
	if err := checkDraft(d); err != nil {
		return nil, err
	}
	rnd := opt.Random
	if rnd == nil {
		rnd = rand.Reader
	}
	limit := opt.MaxSize
	if limit <= 0 {
		limit = DefaultMaxSize
	}
	m := &Message{From: d.From.Addr}
	for _, a := range d.To {
		m.To = append(m.To, a.Addr)
	}
	needs, err := addressNeeds(d)
	if err != nil {
		return nil, err
	}
	id, err := messageID(d.From, opt, rnd)
	if err != nil {
		return nil, err
	}
	m.MessageID = id

	eightBitOK := opt.Caps.Has(protocol.Ext8BitMIME)
	text := normalizeText(d.Text)
	te := chooseTextEncoding(text, eightBitOK)
	m.Encoding = te.cte
	m.Notes = append(m.Notes, te.notes...)

	h := topHeader(d, opt, id)
	if d.From.IsNull() {
		m.Notes = append(m.Notes, fmt.Sprintf("the envelope sender is <> (a bounce); the From header says %s", h.Get("From")))
	}
	if cleanHeaderText(d.Subject) != strings.TrimSpace(d.Subject) {
		m.Notes = append(m.Notes, "line breaks and control characters in the subject were replaced by spaces")
	}
	buf := &limitedBuffer{limit: limit}
	if len(d.Attachments) == 0 {
		err = writeSingle(buf, h, te, text)
	} else {
		var notes []string
		m.Attachments, notes, err = writeMixed(buf, h, te, text, d.Attachments, fsys, eightBitOK, limit, rnd)
		m.Notes = append(m.Notes, notes...)
	}
	if errors.Is(err, errTooLarge) {
		return nil, &SizeError{What: "the message", Size: limit + 1, Limit: limit}
	}
	if err != nil {
		return nil, err
	}
	m.Content = buf.Bytes()
	if !bytes.HasSuffix(m.Content, []byte("\r\n")) {
		m.Content = append(m.Content, '\r', '\n')
	}
	var c protocol.ContentCounter
	c.Write(m.Content)
	st := c.Stats()
	m.Size = st.Size
	if st.EightBit {
		why := "the text goes as 8bit"
		if needs.UTF8 {
			why = "the header has UTF-8 addresses"
		}
		needs = needs.Merge(protocol.MessageNeeds{EightBit: true, EightBitWhy: why})
	}
	m.Needs = needs
	if _, err := protocol.MailParams(opt.Caps, m.Size, needs); err != nil {
		return nil, err
	}
	return m, nil
}

// checkDraft checks the addresses again, so that a Draft built by hand
// gets the form's checks.
func checkDraft(d Draft) error {
	if err := CheckAddress("From", d.From.Addr, true); err != nil {
		return err
	}
	if len(d.To) == 0 {
		return &AddressError{Field: "To", Reason: errNoRecipient.Error()}
	}
	for _, a := range d.To {
		if err := CheckAddress("To", a.Addr, false); err != nil {
			return err
		}
	}
	if len(d.Text) > 0 && strings.IndexByte(d.Text, 0) >= 0 {
		return errors.New("the text has a NUL character, which no message may carry (RFC 5322 2.1); attach binary data as a file instead")
	}
	return nil
}

// addressNeeds reports the SMTPUTF8 a non-ASCII address needs (RFC 6531
// 3.4): on the envelope and, unencodable, in the From and To headers.
func addressNeeds(d Draft) (protocol.MessageNeeds, error) {
	if !d.From.ASCII() {
		return protocol.MessageNeeds{UTF8: true, UTF8Why: fmt.Sprintf("the sender address %s is not ASCII", protocol.Sanitize(d.From.Addr))}, nil
	}
	for _, a := range d.To {
		if !a.ASCII() {
			return protocol.MessageNeeds{UTF8: true, UTF8Why: fmt.Sprintf("the recipient address %s is not ASCII", protocol.Sanitize(a.Addr))}, nil
		}
	}
	return protocol.MessageNeeds{}, nil
}

// messageID returns a Message-ID on the sender's domain (RFC 5322 3.6.4):
// the clock and 64 random bits on the left, so that it is unique.
func messageID(from Address, opt Options, rnd io.Reader) (string, error) {
	var b [8]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	left := strconv.FormatInt(opt.Now.UnixNano(), 36) + "." + strconv.FormatUint(binary.BigEndian.Uint64(b[:]), 36)
	return left + "@" + idDomain(from.Domain(), opt.Hostname), nil
}

// idDomain picks the right side of a Message-ID: the sender's domain,
// else the client's name, when it is a plain ASCII domain.
func idDomain(candidates ...string) string {
	for _, d := range candidates {
		if isDotAtom(d) {
			return strings.ToLower(d)
		}
	}
	return fallbackDomain
}

// isDotAtom reports whether s is an ASCII domain name (letters, digits,
// hyphens, dots between labels).
func isDotAtom(s string) bool {
	if s == "" || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// topHeader returns the message header fields in the order they are
// written. go-message writes the fields last-added first, so they are
// added from the bottom up.
func topHeader(d Draft, opt Options, id string) mail.Header {
	var h mail.Header
	h.SetMessageID(id)
	h.SetDate(opt.Now)
	if s := cleanHeaderText(d.Subject); s != "" {
		h.SetSubject(s)
	}
	to := make([]*mail.Address, len(d.To))
	for i, a := range d.To {
		to[i] = &mail.Address{Name: a.Name, Address: a.Addr}
	}
	h.SetAddressList("To", to)
	from := &mail.Address{Name: d.From.Name, Address: d.From.Addr}
	if d.From.IsNull() {
		from.Address = nullSenderFrom + "@" + idDomain(opt.Hostname)
	}
	h.SetAddressList("From", []*mail.Address{from})
	return h
}

// cleanHeaderText makes s one line: line breaks and control characters
// become spaces, so that no text can add a header field.
func cleanHeaderText(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s))
}

// writeSingle writes a one-part text message.
func writeSingle(w io.Writer, top mail.Header, te textEncoding, text string) error {
	h := top.Copy()
	setTextType(&h.Header, te)
	h.Set("MIME-Version", "1.0")
	tw, err := gomessage.CreateWriter(w, reorder(h.Header))
	if err != nil {
		return err
	}
	if _, err := io.WriteString(tw, text); err != nil {
		return err
	}
	return tw.Close()
}

// writeMixed writes multipart/mixed (RFC 2046 5.1.3): the text, then each
// file as an attachment.
func writeMixed(w io.Writer, top mail.Header, te textEncoding, text string, files []string, fsys fs.FS, eightBitOK bool, limit int64, rnd io.Reader) ([]AttachmentInfo, []string, error) {
	var b [boundaryRandom]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return nil, nil, fmt.Errorf("boundary: %w", err)
	}
	h := top.Copy()
	h.SetContentType("multipart/mixed", map[string]string{"boundary": boundaryPrefix + hex.EncodeToString(b[:])})
	h.Set("MIME-Version", "1.0")
	mw, err := gomessage.CreateWriter(w, reorder(h.Header))
	if err != nil {
		return nil, nil, err
	}
	if text != "" {
		var th gomessage.Header
		setTextType(&th, te)
		tw, err := mw.CreatePart(reorder(th))
		if err != nil {
			return nil, nil, err
		}
		if _, err := io.WriteString(tw, text); err != nil {
			return nil, nil, err
		}
		if err := tw.Close(); err != nil {
			return nil, nil, err
		}
	}
	var infos []AttachmentInfo
	var notes []string
	for _, name := range files {
		info, n, err := attachment{fsys: fsys, name: name, eight: eightBitOK, limit: limit}.write(mw)
		if err != nil {
			return nil, nil, err
		}
		infos = append(infos, info)
		notes = append(notes, n...)
	}
	return infos, notes, mw.Close()
}

// setTextType sets the Content-Type and Content-Transfer-Encoding of a
// text/plain part.
func setTextType(h *gomessage.Header, te textEncoding) {
	h.SetContentType("text/plain", map[string]string{"charset": te.charset})
	h.Set("Content-Transfer-Encoding", te.cte)
}

// headerOrder is the order of the fields smtpscope writes, with the
// spelling people expect (go-message canonicalizes "Message-Id"); other
// fields follow.
var headerOrder = []string{"From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"}

// maxHeaderLine is the header line length folding aims for (RFC 5322
// 2.1.1: 78 characters, excluding the CRLF).
const maxHeaderLine = protocol.PreferredContentLine

// reorder returns h with the fields of headerOrder first, in that order,
// the others after them, each folded by foldField. go-message writes the
// fields last-added first, so they are added from the bottom up.
func reorder(h gomessage.Header) gomessage.Header {
	var fields [][2]string
	for _, k := range headerOrder {
		for _, v := range h.Values(k) {
			fields = append(fields, [2]string{k, v})
		}
	}
	for f := h.Fields(); f.Next(); {
		if !slices.ContainsFunc(headerOrder, func(k string) bool { return strings.EqualFold(k, f.Key()) }) {
			fields = append(fields, [2]string{f.Key(), f.Value()})
		}
	}
	var out gomessage.Header
	for i := len(fields) - 1; i >= 0; i-- {
		out.AddRaw(foldField(fields[i][0], fields[i][1]))
	}
	return out
}

// foldField formats one header field, folding at spaces so that lines
// keep to maxHeaderLine where the words allow (RFC 5322 2.2.3). A word is
// never split; an RFC 2047 encoded-word is at most 75 characters, so a
// folded subject keeps to 76.
func foldField(name, value string) []byte {
	b := []byte(name + ":")
	line := len(b)
	for _, word := range strings.Split(value, " ") {
		if line+1+len(word) > maxHeaderLine && line > len(name)+1 {
			b = append(b, '\r', '\n')
			line = 0
		}
		b = append(b, ' ')
		b = append(b, word...)
		line += 1 + len(word)
	}
	return append(b, '\r', '\n')
}

// errTooLarge is returned by a limitedBuffer past its limit.
var errTooLarge = errors.New("message too large")

// limitedBuffer is a bytes.Buffer that refuses to grow past limit.
type limitedBuffer struct {
	bytes.Buffer
	limit int64
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if int64(b.Len()+len(p)) > b.limit {
		return 0, errTooLarge
	}
	return b.Buffer.Write(p)
}
