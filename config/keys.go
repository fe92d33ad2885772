package config

import (
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// keyLines maps each dotted key of a TOML document ("profiles.work.port")
// and each table ("profiles.work") to the line it is defined on, so that
// errors found after decoding can name the line.
func keyLines(doc []byte) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset(doc)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyParts(e.Key())
			lines[strings.Join(table, ".")] = line(&p, e.Key())
		case unstable.KeyValue:
			full := append(append([]string(nil), table...), keyParts(e.Key())...)
			lines[strings.Join(full, ".")] = line(&p, e.Key())
		}
	}
	return lines
}

// keyParts returns the parts of a (dotted) key.
func keyParts(it unstable.Iterator) []string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return parts
}

// line returns the line of a key's first part.
func line(p *unstable.Parser, it unstable.Iterator) int {
	if !it.Next() {
		return 0
	}
	return p.Shape(it.Node().Raw).Start.Line
}

// keyHints suggest a key for common words people write instead.
var keyHints = map[string]string{
	"hostname": "host", "server": "host", "address": "host",
	"ehlo": "helo", "hello": "helo", "username": "user", "login": "user",
	"mechanism": "auth", "mech": "auth", "auth-mechanism": "auth",
	"cafile": "ca", "ca-file": "ca", "ca-cert": "ca", "cacert": "ca",
	"implicit-tls": "tls", "ssl": "tls", "secure": "tls",
	"start-tls": "starttls", "pass": "password", "passwd": "password",
	"password-command": "password-cmd", "password-file": "password-cmd",
	"skip-verify": "insecure", "no-verify": "insecure",
}

// suggestKey returns the known key closest to an unknown one, or "".
func suggestKey(unknown string, known []string) string {
	k := strings.ToLower(strings.ReplaceAll(unknown, "_", "-"))
	if h, ok := keyHints[k]; ok {
		return h
	}
	return nearest(k, known)
}

// nearest returns the word in known closest to w, or "" when none is
// within two edits.
func nearest(w string, known []string) string {
	best, bestDist := "", 3
	for _, cand := range known {
		if cand == w {
			return cand
		}
		if d := editDistance(w, cand); d < bestDist {
			best, bestDist = cand, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
