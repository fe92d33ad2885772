package sandbox

import (
	"sync"
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
	Data     []byte    // the content, CRLF line ends; nil when the server keeps no bodies
	Summary  Summary   // read from the header when the message was accepted; see also [Message.Parts]
}

// messageStore keeps the latest messages, bounded in count.
type messageStore struct {
	mu     sync.Mutex
	max    int // < 0: keep none
	nextID int
	list   []*Message
}

// add assigns m its ID and keeps it, dropping the oldest past the bound.
func (s *messageStore) add(m *Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	m.ID = s.nextID
	if s.max < 0 {
		return
	}
	s.list = append(s.list, m)
	if over := len(s.list) - s.max; over > 0 {
		copy(s.list, s.list[over:])
		clear(s.list[len(s.list)-over:])
		s.list = s.list[:len(s.list)-over]
	}
}

// snapshot returns copies of the kept messages, oldest first.
func (s *messageStore) snapshot() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.list))
	for i, m := range s.list {
		out[i] = *m
		out[i].To = append([]string(nil), m.To...)
	}
	return out
}
