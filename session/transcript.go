package session

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"
)

// Direction says who produced a transcript line.
type Direction byte

// Directions of transcript lines.
const (
	DirClient Direction = 'C' // sent by smtpscope
	DirServer Direction = 'S' // received from the server
	DirNote   Direction = '#' // a note from smtpscope (message data elided, connection closed)
)

// String returns "C", "S" or "note", as used in JSON lines.
func (d Direction) String() string {
	switch d {
	case DirClient:
		return "C"
	case DirServer:
		return "S"
	}
	return "note"
}

// Line is one transcript line as stored: already sanitized and redacted.
type Line struct {
	Time     time.Time
	Gen      int // connection generation
	Dir      Direction
	TLS      bool      // travelled inside TLS
	Code     int       // the reply code of a server line, 0 otherwise
	Redacted bool      // Text hides a username or secret
	Level    NoteLevel // of a note: information, warning or error
	Text     string
	// Leg is set in a proxy's transcript for a line only one leg carried:
	// LegApp or LegUpstream ("" for a relayed line and outside a proxy).
	Leg string
}

// NoteLevel says how a note reads, on screen and in a saved transcript.
type NoteLevel uint8

// Note levels.
const (
	NoteInfo    NoteLevel = iota // "•": what smtpscope did or saw
	NoteWarning                  // "⚠": something to look at
	NoteError                    // "✗": something failed
)

// Mark is the note's symbol, as the session pane shows it.
func (l NoteLevel) Mark() string {
	switch l {
	case NoteWarning:
		return "⚠"
	case NoteError:
		return "✗"
	}
	return "•"
}

// String is the level's name in JSON lines.
func (l NoteLevel) String() string {
	switch l {
	case NoteWarning:
		return "warning"
	case NoteError:
		return "error"
	}
	return "info"
}

// noteLevels reads a level's name back.
var noteLevels = map[string]NoteLevel{"info": NoteInfo, "warning": NoteWarning, "error": NoteError}

// SaveOptions controls how a transcript is written. Secrets are never
// stored at all, so no option can reveal them.
type SaveOptions struct {
	ShowUsername bool // show the AUTH username where it was sent
}

// Storage sizes. Lines live in fixed-size chunks of small records and
// their text in large byte arenas, so a million-line transcript costs a
// few allocations per thousand lines, not one or more per line.
const (
	transcriptChunkLines     = 4096
	transcriptArenaBytes     = 1 << 20
	transcriptArenaDoublings = 6 // the first arena is 16 KiB
	transcriptFirstChunk     = 64
)

// Transcript bounds: past either, lines are counted instead of stored and
// one note says so (a session that long is a server flooding smtpscope;
// a person reads far less). At the bounds the transcript holds about
// 2M×32 octets of records plus its text.
const (
	MaxTranscriptLines  = 2_000_000
	MaxTranscriptOctets = 256 << 20
)

type lineRecord struct {
	nanos int64
	gen   int32
	code  int16
	dir   Direction
	flags uint8
	arena uint32 // index of the arena holding the text
	off   uint32
	n     uint32
}

const (
	flagTLS uint8 = 1 << iota
	flagRedacted
	flagWarning
	flagError
	flagLegApp      // a proxy's line only the application's leg carried
	flagLegUpstream // a proxy's line only the server's leg carried
)

// Transcript is the append-only record of every line of a session, safe
// for concurrent use: the session appends while the UI reads and saves.
type Transcript struct {
	mu       sync.RWMutex
	chunks   [][]lineRecord
	arenas   [][]byte
	n        int
	octets   int
	username map[int]string // line index → the text with the username shown

	maxLines, maxOctets int
	dropped             int // lines not stored past the bounds
}

// NewTranscript returns an empty transcript bounded by
// [MaxTranscriptLines] and [MaxTranscriptOctets].
func NewTranscript() *Transcript {
	return &Transcript{maxLines: MaxTranscriptLines, maxOctets: MaxTranscriptOctets}
}

// Dropped returns how many lines came after the transcript was full and
// were counted, not stored.
func (t *Transcript) Dropped() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.dropped
}

// Len returns the number of lines.
func (t *Transcript) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.n
}

// Line returns line i (0-based). It panics when i is out of range, like a
// slice index.
func (t *Transcript) Line(i int) Line {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if i < 0 || i >= t.n {
		panic("session: transcript line index out of range")
	}
	return t.line(i)
}

// line reads line i; the caller holds the lock.
func (t *Transcript) line(i int) Line {
	r := &t.chunks[i/transcriptChunkLines][i%transcriptChunkLines]
	return Line{
		Time:     time.Unix(0, r.nanos),
		Gen:      int(r.gen),
		Dir:      r.dir,
		TLS:      r.flags&flagTLS != 0,
		Code:     int(r.code),
		Redacted: r.flags&flagRedacted != 0,
		Level:    levelOf(r.flags),
		Text:     string(t.arenas[r.arena][r.off : r.off+r.n]),
		Leg:      legOf(r.flags),
	}
}

// legOf reads a proxy line's leg from its record's flags.
func legOf(flags uint8) string {
	switch {
	case flags&flagLegApp != 0:
		return LegApp
	case flags&flagLegUpstream != 0:
		return LegUpstream
	}
	return ""
}

// levelOf reads a note's level from its record's flags.
func levelOf(flags uint8) NoteLevel {
	switch {
	case flags&flagError != 0:
		return NoteError
	case flags&flagWarning != 0:
		return NoteWarning
	}
	return NoteInfo
}

// append stores l. withUsername, when not "", is the text to show instead
// of l.Text if the user asks to see usernames.
func (t *Transcript) append(l Line, withUsername string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.maxLines > 0 && (t.n >= t.maxLines || t.octets+len(l.Text) > t.maxOctets) {
		if t.dropped == 0 {
			t.store(Line{Time: l.Time, Gen: l.Gen, Dir: DirNote, TLS: l.TLS,
				Text: fmt.Sprintf("the transcript is full (%d lines or %d MiB); later lines are counted, not kept", t.maxLines, t.maxOctets>>20)}, "")
		}
		t.dropped++
		return
	}
	t.store(l, withUsername)
}

// store adds l; the caller holds the lock.
func (t *Transcript) store(l Line, withUsername string) {
	t.octets += len(l.Text)
	if t.n%transcriptChunkLines == 0 {
		// The first chunk grows by append up to its full size: a probe's
		// few dozen lines do not cost 128 KiB of records.
		size := transcriptChunkLines
		if len(t.chunks) == 0 {
			size = transcriptFirstChunk
		}
		t.chunks = append(t.chunks, make([]lineRecord, 0, size))
	}
	arena := len(t.arenas) - 1
	if arena < 0 || len(t.arenas[arena])+len(l.Text) > cap(t.arenas[arena]) {
		// Arenas start small and double up to transcriptArenaBytes: a
		// probe's few dozen lines do not cost a megabyte.
		size := transcriptArenaBytes
		if len(t.arenas) < transcriptArenaDoublings {
			size = transcriptArenaBytes >> (transcriptArenaDoublings - len(t.arenas))
		}
		if len(l.Text) > size {
			size = len(l.Text)
		}
		t.arenas = append(t.arenas, make([]byte, 0, size))
		arena++
	}
	off := len(t.arenas[arena])
	t.arenas[arena] = append(t.arenas[arena], l.Text...)
	var flags uint8
	if l.TLS {
		flags |= flagTLS
	}
	if l.Redacted {
		flags |= flagRedacted
	}
	switch l.Level {
	case NoteWarning:
		flags |= flagWarning
	case NoteError:
		flags |= flagError
	}
	switch l.Leg {
	case LegApp:
		flags |= flagLegApp
	case LegUpstream:
		flags |= flagLegUpstream
	}
	c := len(t.chunks) - 1
	t.chunks[c] = append(t.chunks[c], lineRecord{
		nanos: l.Time.UnixNano(), gen: int32(l.Gen), code: int16(l.Code), dir: l.Dir,
		flags: flags, arena: uint32(arena), off: uint32(off), n: uint32(len(l.Text)),
	})
	if withUsername != "" {
		if t.username == nil {
			t.username = make(map[int]string)
		}
		t.username[t.n] = withUsername
	}
	t.n++
}

// Append stores l, for a transcript a package other than session fills
// (the proxy records each relayed connection in one). l.Text must already
// be sanitized and redacted.
func (t *Transcript) Append(l Line) { t.append(l, "") }

// each calls fn for every line in order, holding the read lock: lines
// appended meanwhile wait, readers do not.
func (t *Transcript) each(o SaveOptions, fn func(Line) error) error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for i := 0; i < t.n; i++ {
		l := t.line(i)
		if o.ShowUsername {
			if u, ok := t.username[i]; ok {
				l.Text = u
			}
		}
		if err := fn(l); err != nil {
			return err
		}
	}
	if t.dropped > 0 && t.n > 0 {
		last := t.line(t.n - 1)
		return fn(Line{Time: last.Time, Gen: last.Gen, Dir: DirNote, Text: fmt.Sprintf("%d more lines were not kept", t.dropped)})
	}
	return nil
}

// TextTimeLayout is the time at the start of each line of a text
// transcript: the time of day, to the millisecond, as the session pane
// shows it.
const TextTimeLayout = "15:04:05.000"

// WriteText writes the transcript as the session pane shows it: one
// "C: …" or "S: …" line per wire line, in the seed format of RFC examples,
// and smtpscope's notes marked "•", "⚠" or "✗", each after the time of
// day it happened. A line that begins another connection is preceded by
// its date.
func (t *Transcript) WriteText(w io.Writer, o SaveOptions) error {
	bw := bufio.NewWriter(w)
	gen := 0
	err := t.each(o, func(l Line) error {
		if l.Gen != gen {
			gen = l.Gen
			fmt.Fprintf(bw, "# connection %d, %s\n", gen, l.Time.Format("2006-01-02 -0700"))
		}
		bw.WriteString(l.Time.Format(TextTimeLayout))
		bw.WriteByte(' ')
		if l.Dir == DirNote {
			bw.WriteString(l.Level.Mark())
		} else {
			bw.WriteByte(byte(l.Dir))
			bw.WriteByte(':')
		}
		bw.WriteByte(' ')
		bw.WriteString(l.Text)
		if mark := LegMark(l.Leg); mark != "" {
			bw.WriteString("  " + mark)
		}
		return bw.WriteByte('\n')
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// JSONLine is the shape of one JSON line; the field names are documented
// in docs/session.md (Transcript formats). Conn, Leg and UpstreamTLS are
// set only in a proxy's log: the application connection (from 1); for a
// line that crossed only one leg, "app" or "upstream" (TLS is then that
// leg's); for a relayed line, UpstreamTLS tells the upstream leg's TLS
// beside TLS, the application's.
type JSONLine struct {
	Time        string `json:"time"`
	Conn        uint64 `json:"conn,omitempty"`
	Gen         int    `json:"gen"`
	Dir         string `json:"dir"`
	Leg         string `json:"leg,omitempty"`
	TLS         bool   `json:"tls"`
	UpstreamTLS bool   `json:"upstream_tls,omitempty"`
	Text        string `json:"text"`
	Code        int    `json:"code,omitempty"`
	Redacted    bool   `json:"redacted,omitempty"`
	Level       string `json:"level,omitempty"` // of a note: "info", "warning" or "error"
}

// Leg values of a proxy log ([JSONLine.Leg]).
const (
	LegApp      = "app"
	LegUpstream = "upstream"
)

// LegMark is how a transcript marks a line only one leg of a proxy
// carried: "[⇠ to the application only]", "[⇢ smtpscope ↔ server only]",
// or "" for a relayed line.
func LegMark(leg string) string {
	switch leg {
	case LegApp:
		return "[⇠ to the application only]"
	case LegUpstream:
		return "[⇢ smtpscope ↔ server only]"
	}
	return ""
}

// NewJSONLine returns l as a JSON line record.
func NewJSONLine(l Line) JSONLine {
	j := JSONLine{
		Time: l.Time.Format(time.RFC3339Nano), Gen: l.Gen, Dir: l.Dir.String(),
		TLS: l.TLS, Text: l.Text, Code: l.Code, Redacted: l.Redacted, Leg: l.Leg,
	}
	if l.Dir == DirNote {
		j.Level = l.Level.String()
	}
	return j
}

// WriteJSONL writes one JSON object per line: time (RFC 3339 with
// nanoseconds), gen, dir ("C", "S" or "note"), tls, text, code (server
// lines) and redacted (when the text hides a credential).
func (t *Transcript) WriteJSONL(w io.Writer, o SaveOptions) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	err := t.each(o, func(l Line) error {
		return enc.Encode(NewJSONLine(l))
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}
