package export

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime"
	"net/textproto"
	"strings"
	"unicode/utf8"
)

// header is one header field of a message, unfolded (RFC 5322 2.2.3).
type header struct {
	name, value string
}

// simpleMessage is a message that code can build field by field: a
// single text/plain part in UTF-8 or ASCII, without an encoding to undo.
type simpleMessage struct {
	headers []header // without the MIME fields that the library sets itself
	body    string
}

// mimeFields are set by EmailMessage.set_content from the body; a simple
// message drops its own.
var mimeFields = map[string]bool{
	"Mime-Version":              true,
	"Content-Type":              true,
	"Content-Transfer-Encoding": true,
}

// parseSimple reads msg (LF line ends) as a [simpleMessage]; ok is false
// when the message needs to be sent as it is (MIME parts, an encoded
// body, a charset other than UTF-8, text that is not UTF-8, or header
// lines that do not parse).
func parseSimple(msg []byte) (simpleMessage, bool) {
	if !utf8.Valid(msg) {
		return simpleMessage{}, false
	}
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(msg)))
	var m simpleMessage
	seen := map[string]bool{}
	for {
		line, err := r.ReadContinuedLine()
		if err != nil {
			return simpleMessage{}, false // no blank line after the headers
		}
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return simpleMessage{}, false
		}
		name = textproto.CanonicalMIMEHeaderKey(name)
		if seen[name] {
			return simpleMessage{}, false // libraries refuse a second From, Subject, …
		}
		seen[name] = true
		value = strings.TrimSpace(value)
		switch name {
		case "Content-Type":
			mt, params, err := mime.ParseMediaType(value)
			if err != nil || mt != "text/plain" {
				return simpleMessage{}, false
			}
			if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
				return simpleMessage{}, false
			}
		case "Content-Transfer-Encoding":
			if cte := strings.ToLower(value); cte != "7bit" && cte != "8bit" {
				return simpleMessage{}, false
			}
		}
		if strings.ContainsAny(value, "\r\n") {
			return simpleMessage{}, false
		}
		if !mimeFields[name] {
			m.headers = append(m.headers, header{name, value})
		}
	}
	body, err := io.ReadAll(r.R)
	if err != nil && !errors.Is(err, io.EOF) {
		return simpleMessage{}, false
	}
	m.body = string(body)
	return m, len(m.headers) > 0
}

// splitKeepLF splits text into lines that keep their LF, for code that
// writes one string literal per line.
func splitKeepLF(text string) []string {
	var out []string
	for text != "" {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			out = append(out, text)
			break
		}
		out = append(out, text[:i+1])
		text = text[i+1:]
	}
	return out
}
