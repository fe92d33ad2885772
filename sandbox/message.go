package sandbox

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// Message is one message the sandbox accepted, as received: the envelope
// and the content with dot-stuffing undone.
type Message struct {
	ID       int       // 1, 2, … in the order received
	Conn     uint64    // the connection it came on
	Received time.Time // when the end of data was acknowledged
	Remote   string    // the client's address
	Helo     string    // the EHLO/HELO name the client gave
	User     string    // the authenticated user, "" when none
	TLS      bool      // the content travelled inside TLS
	From     string    // MAIL FROM path, "" for the null reverse-path <>
	To       []string  // accepted RCPT TO paths
	Size     int64     // content octets
	Chunked  bool      // sent with BDAT (RFC 3030) instead of DATA
	Data     []byte    // the content, CRLF line ends, when kept in memory
	// BodyFile holds the content instead of Data when it was large, or
	// when newer messages needed the memory: a file (mode 0600) in the
	// server's private temporary directory, removed when the message is
	// dropped or the server closes.
	BodyFile string
	// Note says why the content is neither in Data nor in BodyFile (the
	// server keeps no bodies, or storing it on disk failed), "" when kept.
	Note    string
	Summary Summary // read from the header when the message was accepted; see also [Message.Parts]
}

// Body returns the message content from memory or from its file.
func (m Message) Body() ([]byte, error) {
	if m.BodyFile == "" {
		if m.Data == nil && m.Note != "" {
			return nil, errors.New(m.Note)
		}
		return m.Data, nil
	}
	b, err := os.ReadFile(m.BodyFile)
	if err != nil {
		return nil, fmt.Errorf("message #%d: %w", m.ID, err)
	}
	return b, nil
}
