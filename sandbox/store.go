package sandbox

import (
	"bytes"
	"fmt"
	"os"
	"sync"
)

// Memory bounds for message content. A body larger than inMemoryBody goes
// to a file while it arrives, so a connection holds at most that much; the
// kept messages hold at most Config.MaxStoredBytes in memory together, and
// older bodies move to files when newer ones need the room.
const (
	inMemoryBody = 1 << 20
	// bodyFileMode keeps message content readable by the user alone.
	bodyFileMode = 0o600
)

// spillDir is the server's private temporary directory for message
// content, made on first use and removed by Close.
type spillDir struct {
	mu   sync.Mutex
	path string
	err  error
}

// create returns a new file in the directory.
func (d *spillDir) create() (*os.File, error) {
	d.mu.Lock()
	if d.path == "" && d.err == nil {
		d.path, d.err = os.MkdirTemp("", "smtpscope-sandbox-")
	}
	path, err := d.path, d.err
	d.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("no temporary directory for message content: %w", err)
	}
	f, err := os.CreateTemp(path, "message-*.eml")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(bodyFileMode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// write stores data in a new file and returns its name.
func (d *spillDir) write(data []byte) (string, error) {
	f, err := d.create()
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// removeAll deletes the directory and every file in it.
func (d *spillDir) removeAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.path != "" {
		os.RemoveAll(d.path)
		d.path = ""
	}
}

// bodyBuffer gathers the content of one message: in memory up to
// inMemoryBody, then in a file. When the file cannot be written the
// content is counted but dropped, and note says why.
type bodyBuffer struct {
	dir  *spillDir
	mem  bytes.Buffer
	f    *os.File
	note string
}

func (b *bodyBuffer) Write(p []byte) (int, error) {
	switch {
	case b.note != "":
	case b.f == nil && b.mem.Len()+len(p) <= inMemoryBody:
		b.mem.Write(p)
	default:
		if b.f == nil {
			f, err := b.dir.create()
			if err != nil {
				b.drop(err)
				return len(p), nil
			}
			b.f = f
			if _, err := b.f.Write(b.mem.Bytes()); err != nil {
				b.drop(err)
				return len(p), nil
			}
			b.mem = bytes.Buffer{}
		}
		if _, err := b.f.Write(p); err != nil {
			b.drop(err)
		}
	}
	return len(p), nil
}

// drop gives up on keeping the content.
func (b *bodyBuffer) drop(err error) {
	b.note = "the content was not kept: " + err.Error()
	b.mem = bytes.Buffer{}
	if b.f != nil {
		b.f.Close()
		os.Remove(b.f.Name())
		b.f = nil
	}
}

// take hands the content over to a message and empties the buffer.
func (b *bodyBuffer) take(m *Message) {
	switch {
	case b.note != "":
		m.Note = b.note
	case b.f != nil:
		if err := b.f.Close(); err != nil {
			os.Remove(b.f.Name())
			m.Note = "the content was not kept: " + err.Error()
		} else {
			m.BodyFile = b.f.Name()
		}
	default:
		m.Data = bytes.Clone(b.mem.Bytes())
	}
	b.f, b.note = nil, ""
	b.mem.Reset()
}

// reset throws the content away.
func (b *bodyBuffer) reset() {
	if b.f != nil {
		b.f.Close()
		os.Remove(b.f.Name())
		b.f = nil
	}
	b.mem.Reset()
	b.note = ""
}

// messageStore keeps the latest messages, bounded in count and in the
// memory their bodies take.
type messageStore struct {
	mu       sync.Mutex
	max      int   // < 0: keep none
	maxBytes int64 // bodies in memory, together
	dir      *spillDir
	nextID   int
	list     []*Message // the store's own copies, oldest first
	inMemory int64
}

// add assigns m its ID and keeps a copy of it, dropping the oldest past
// the count bound and moving older bodies to files past the memory bound.
func (s *messageStore) add(m *Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	m.ID = s.nextID
	if s.max < 0 {
		return
	}
	kept := *m
	kept.To = append([]string(nil), m.To...)
	s.list = append(s.list, &kept)
	s.inMemory += int64(len(kept.Data))
	if over := len(s.list) - s.max; over > 0 {
		for _, old := range s.list[:over] {
			s.forget(old)
		}
		copy(s.list, s.list[over:])
		clear(s.list[len(s.list)-over:])
		s.list = s.list[:len(s.list)-over]
	}
	for i := 0; s.inMemory > s.maxBytes && i < len(s.list); i++ {
		if old := s.list[i]; old.Data != nil {
			s.spill(old)
		}
	}
}

// spill moves a kept body to a file, or drops it with a note.
func (s *messageStore) spill(m *Message) {
	s.inMemory -= int64(len(m.Data))
	name, err := s.dir.write(m.Data)
	m.Data = nil
	if err != nil {
		m.Note = "the content was dropped to bound the sandbox's memory: " + err.Error()
		return
	}
	m.BodyFile = name
}

// forget releases what a dropped message holds.
func (s *messageStore) forget(m *Message) {
	s.inMemory -= int64(len(m.Data))
	if m.BodyFile != "" {
		os.Remove(m.BodyFile)
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
