package session

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// maxJSONLLine bounds one line of a saved transcript when it is read
// back. The session stores reply and message lines of at most a few
// kilobytes; AUTH lines can reach 12288 octets (RFC 4954 4), and JSON
// escaping can make a line up to six times longer.
const maxJSONLLine = 1 << 20

// directions maps the "dir" field back to directions.
var directions = map[string]Direction{
	DirClient.String(): DirClient,
	DirServer.String(): DirServer,
	DirNote.String():   DirNote,
}

// ReadJSONL reads back a transcript written by [Transcript.WriteJSONL]
// (smtpscope export uses it). Errors name the line.
//
// A proxy's log reads as the applications' sessions: each connection
// becomes a generation of its own (conn n is gen n), and the lines only
// the upstream leg carried (smtpscope's own STARTTLS, the server's EHLO
// list before smtpscope changed it) are left out, so that what remains is
// the dialogue the application had. Notes of every leg are kept.
//
// It reads at most what a transcript holds ([MaxTranscriptLines] records,
// [MaxTranscriptOctets] of text); a longer file is an error, not all the
// memory there is.
func ReadJSONL(r io.Reader) ([]Line, error) {
	return readJSONL(r, MaxTranscriptLines, MaxTranscriptOctets)
}

// readJSONL is ReadJSONL with its bounds given.
func readJSONL(r io.Reader, maxRecords, maxOctets int) ([]Line, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxJSONLLine)
	var out []Line
	n, octets := 0, 0
	for sc.Scan() {
		n++
		raw := sc.Bytes()
		if len(raw) == 0 {
			continue
		}
		if octets += len(raw); len(out) >= maxRecords || octets > maxOctets {
			return nil, fmt.Errorf("the file holds more than %d records or %d MiB, more than one session's transcript keeps; "+
				"for a proxy log, export one connection: grep '\"conn\":N,' FILE | smtpscope export -", maxRecords, maxOctets>>20)
		}
		var jl JSONLine
		if err := json.Unmarshal(raw, &jl); err != nil {
			return nil, fmt.Errorf("line %d is not a transcript record (was the file saved as JSON lines?): %w", n, err)
		}
		dir, ok := directions[jl.Dir]
		if !ok {
			return nil, fmt.Errorf("line %d: dir is %q; a transcript record has \"C\", \"S\" or \"note\"", n, jl.Dir)
		}
		var at time.Time
		if jl.Time != "" {
			t, err := time.Parse(time.RFC3339Nano, jl.Time)
			if err != nil {
				return nil, fmt.Errorf("line %d: time %q is not RFC 3339", n, jl.Time)
			}
			at = t
		}
		if jl.Leg == LegUpstream && dir != DirNote {
			continue
		}
		gen := jl.Gen
		if jl.Conn > 0 {
			gen = int(jl.Conn)
		}
		out = append(out, Line{Time: at, Gen: gen, Dir: dir, TLS: jl.TLS, Code: jl.Code, Redacted: jl.Redacted, Level: noteLevels[jl.Level], Text: jl.Text, Leg: jl.Leg})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d is longer than %d octets; this is not a transcript smtpscope saved", n+1, maxJSONLLine)
		}
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("the file holds no transcript records")
	}
	return out, nil
}
