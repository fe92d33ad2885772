package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"strings"
	"time"

	gomessage "github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // subjects in GBK, ISO-2022-JP, … decode too
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"

	"github.com/smtpscope/smtpscope/protocol"
)

// The mailbox view of the messages the sandbox keeps: what a list needs
// (from, to, subject, size, time) and what a detail needs (header fields,
// MIME parts, raw source), like the web views of Mailpit or smtp4dev.

// maxSummaryHeader bounds the header section read for a message's
// summary; a longer header is left unread (Postfix's header_size_limit
// is 100 KB).
const maxSummaryHeader = 256 << 10

// maxParts bounds the MIME parts listed for one message.
const maxParts = 1000

// HeaderField is one field of a message's header, unfolded.
type HeaderField struct {
	Name  string // as written: "Subject"
	Value string // raw (RFC 2047 words left as they are); may hold any octets, sanitize before display
}

// Summary is what a mailbox list shows of a message, read from its header
// when it was accepted. Text fields are decoded (RFC 2047) and sanitized:
// safe to print.
type Summary struct {
	From      string        // the From: field, decoded: "José <jose@example.com>"; "" when absent
	To        string        // the To: field, decoded
	Subject   string        // decoded; "" when absent
	Date      time.Time     // the Date: field; zero when absent or unreadable
	MessageID string        // without angle brackets
	Header    []HeaderField // every field, in order
	Problem   string        // why the header could not be read, "" when it could
}

// summarizeKept reads the header of a message's kept content, from
// memory or from the head of its file.
func summarizeKept(m *Message) Summary {
	if m.BodyFile == "" {
		return summarize(m.Data)
	}
	f, err := os.Open(m.BodyFile)
	if err != nil {
		return Summary{Problem: "the content could not be read: " + err.Error()}
	}
	defer f.Close()
	head, err := io.ReadAll(io.LimitReader(f, maxSummaryHeader+4))
	if err != nil {
		return Summary{Problem: "the content could not be read: " + err.Error()}
	}
	return summarize(head)
}

// summarize reads the header of content (CRLF line ends).
func summarize(content []byte) Summary {
	if content == nil {
		return Summary{}
	}
	end := bytes.Index(content, []byte("\r\n\r\n"))
	switch {
	case bytes.HasPrefix(content, []byte("\r\n")):
		return Summary{Problem: "the message has no header"}
	case end < 0 && len(content) > maxSummaryHeader, end > maxSummaryHeader:
		return Summary{Problem: fmt.Sprintf("the header is over %d octets; it was not read", maxSummaryHeader)}
	case end < 0:
		end = len(content) // a header and no body
	}
	th, err := textproto.ReadHeader(bufio.NewReader(io.MultiReader(bytes.NewReader(content[:end]), strings.NewReader("\r\n\r\n"))))
	var s Summary
	if err != nil {
		s.Problem = "the header could not be read: " + protocol.Sanitize(err.Error())
	}
	for f := th.Fields(); f.Next(); {
		s.Header = append(s.Header, HeaderField{Name: f.Key(), Value: f.Value()})
	}
	h := mail.Header{Header: gomessage.Header{Header: th}}
	s.From = decodedText(h, "From")
	s.To = decodedText(h, "To")
	s.Subject = decodedText(h, "Subject")
	s.Date, _ = h.Date()
	s.MessageID, _ = h.MessageID()
	s.MessageID = protocol.Sanitize(s.MessageID)
	return s
}

// decodedText returns a field with its RFC 2047 words decoded, one line,
// sanitized; the raw value when it does not decode.
func decodedText(h mail.Header, key string) string {
	v, err := h.Text(key)
	if err != nil {
		v = h.Get(key)
	}
	return protocol.Sanitize(strings.Join(strings.Fields(v), " "))
}

// Part is one leaf of a message's MIME structure.
type Part struct {
	Index       int    // 0, 1, … in the order of the message
	ContentType string // "text/plain", "application/pdf"
	Charset     string // the charset parameter, "" when none
	Filename    string // from Content-Disposition (or the name parameter), sanitized; "" when none
	Attachment  bool   // Content-Disposition: attachment
	Encoding    string // the Content-Transfer-Encoding as written
	Content     []byte // decoded: base64 or quoted-printable undone, text/* converted to UTF-8 from its charset
}

// ErrNoContent is returned for a message whose content was not kept.
var ErrNoContent = errors.New("the sandbox did not keep this message's content")

// Parts returns the leaves of the message's MIME structure, decoded: the
// text and each attachment, as a mail program would show them. A message
// that is not MIME is one text/plain part.
func (m Message) Parts() ([]Part, error) {
	data, err := m.Body()
	if err != nil {
		return nil, err
	}
	if data == nil {
		return nil, ErrNoContent
	}
	e, err := gomessage.Read(bytes.NewReader(data))
	if err != nil && !gomessage.IsUnknownCharset(err) && !gomessage.IsUnknownEncoding(err) {
		return nil, fmt.Errorf("message #%d is not readable MIME: %w", m.ID, err)
	}
	var parts []Part
	err = e.Walk(func(_ []int, ent *gomessage.Entity, err error) error {
		if err != nil && !gomessage.IsUnknownCharset(err) {
			return err
		}
		media, params, _ := ent.Header.ContentType()
		if strings.HasPrefix(media, "multipart/") {
			return nil
		}
		if len(parts) == maxParts {
			return fmt.Errorf("message #%d has more than %d parts; the rest are not listed", m.ID, maxParts)
		}
		content, rerr := io.ReadAll(ent.Body)
		if rerr != nil {
			return fmt.Errorf("part %d of message #%d: %w", len(parts), m.ID, rerr)
		}
		if media == "" {
			media = "text/plain" // RFC 2045 5.2: the default
		}
		p := Part{Index: len(parts), ContentType: media, Charset: params["charset"], Content: content,
			Encoding: ent.Header.Get("Content-Transfer-Encoding")}
		disp, dparams, _ := ent.Header.ContentDisposition()
		p.Attachment = strings.EqualFold(disp, "attachment")
		p.Filename = dparams["filename"]
		if p.Filename == "" {
			p.Filename = params["name"]
		}
		if dec, err := new(mime.WordDecoder).DecodeHeader(p.Filename); err == nil {
			p.Filename = dec
		}
		p.Filename = protocol.Sanitize(p.Filename)
		parts = append(parts, p)
		return nil
	})
	return parts, err
}

// get returns a copy of the kept message with the given ID.
func (s *messageStore) get(id int) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.list {
		if m.ID == id {
			c := *m
			c.To = append([]string(nil), m.To...)
			return c, true
		}
	}
	return Message{}, false
}

// Message returns the kept message with the given ID (see [Message.ID]);
// false when there is none, or it was dropped to keep the store bounded.
func (s *Server) Message(id int) (Message, bool) { return s.store.get(id) }

// Source returns the raw content of the kept message with the given ID,
// as received (CRLF line ends, dot-stuffing undone); false when there is
// none or its content was not kept. The slice must not be modified.
func (s *Server) Source(id int) ([]byte, bool) {
	m, ok := s.store.get(id)
	if !ok {
		return nil, false
	}
	data, err := m.Body() // from memory, or from its file when large or old
	if err != nil || data == nil {
		return nil, false
	}
	return data, true
}
