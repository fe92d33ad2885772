package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// wordBreakAfter are the characters after which a word too long for a
// whole line (a URL, a token, a path) is split, when one is close enough
// to the end of the line.
const wordBreakAfter = "/-?&=.,;:_@"

// minBreakShare is how much of the line a split at wordBreakAfter must
// fill: a split leaving most of the line empty reads worse than a split
// in the middle of the word.
const minBreakShare = 2 // at least half the width

// wrapText wraps unstyled text to width cells. It breaks at spaces, keeps
// every other character (the spaces at a break are the only ones dropped,
// runs of spaces inside a line stay), never splits a word that fits on a
// line of its own, and splits a longer word (a URL, a base64 token) at a
// '/', '-', '?', … near the end of the line, or at the width. Every line is
// at most width cells wide; wide characters count two.
func wrapText(text string, width int) []string {
	width = max(width, 1)
	if ansi.StringWidth(text) <= width {
		return []string{text}
	}
	var lines []string
	line, lineW := "", 0
	flush := func() {
		// Spaces at the end of a line are the spaces of a break.
		lines = append(lines, strings.TrimRight(line, " "))
		line, lineW = "", 0
	}
	for _, tok := range splitWords(text) {
		w := ansi.StringWidth(tok.text)
		if tok.space {
			if lineW > 0 && lineW+w < width {
				line, lineW = line+tok.text, lineW+w
			} else if lineW > 0 {
				flush() // the break: these spaces are dropped
			} else if len(lines) == 0 {
				// Leading spaces of the text are part of it.
				line, lineW = tok.text, min(w, width)
				if w > width {
					line = ansi.Truncate(tok.text, width, "")
				}
			}
			continue
		}
		if lineW+w <= width {
			line, lineW = line+tok.text, lineW+w
			continue
		}
		if w <= width {
			// Fits on a line of its own: start one. Leading spaces that
			// leave it no room give way.
			if strings.TrimSpace(line) != "" {
				flush()
			}
			if lineW+w > width {
				line, lineW = "", 0
			}
			line, lineW = line+tok.text, lineW+w
			continue
		}
		// Longer than any line: it starts a line of its own, and is split
		// where it must be.
		if strings.TrimSpace(line) != "" {
			flush()
		}
		rest := tok.text
		for rest != "" {
			room := width - lineW
			if rw := ansi.StringWidth(rest); rw <= room {
				line, lineW = line+rest, lineW+rw
				break
			}
			head := splitWord(rest, room)
			if head == "" && lineW > 0 {
				flush() // not even one character fits here
				continue
			}
			if head == "" {
				// A character wider than a whole line gets a line anyway.
				_, size := firstGrapheme(rest)
				head = rest[:size]
			}
			line += head
			rest = rest[len(head):]
			flush()
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// wrapToken is a run of spaces or a run of other characters.
type wrapToken struct {
	text  string
	space bool
}

// splitWords cuts text into alternating runs of spaces and words.
func splitWords(text string) []wrapToken {
	var out []wrapToken
	start := 0
	for i := 1; i <= len(text); i++ {
		if i == len(text) || (text[i] == ' ') != (text[start] == ' ') {
			out = append(out, wrapToken{text: text[start:i], space: text[start] == ' '})
			start = i
		}
	}
	return out
}

// splitWord returns the longest head of word that fits in room cells,
// ending after a break character when one lies in the second half; ""
// when not even the first character fits.
func splitWord(word string, room int) string {
	head := ansi.Truncate(word, max(room, 0), "")
	if i := strings.LastIndexAny(head, wordBreakAfter); i >= 0 && (i+1)*minBreakShare >= len(head) && i+1 < len(head) {
		return head[:i+1]
	}
	return head
}

// firstGrapheme returns the first character of s and its length in bytes.
func firstGrapheme(s string) (string, int) {
	for i := range s {
		if i > 0 {
			return s[:i], i
		}
	}
	return s, len(s)
}
