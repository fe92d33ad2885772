package export

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redaction marks in the report.
const (
	markSecret   = "[secret]"
	markUser     = "[user]"
	markSASL     = "[SASL data redacted]"
	markB64Token = "[encoded credentials redacted]"
)

// minBase64Token is the shortest run of base64 characters that is decoded
// to look for a credential inside (the base64 of a 3-letter name is 4).
const minBase64Token = 4

// shortNameLen: names shorter than this are matched only as whole words,
// so that a user "bo" does not blank out every "bo" in the transcript.
const shortNameLen = 4

var (
	base64Token  = regexp.MustCompile(`[A-Za-z0-9+/_-]{4,}={0,2}`)
	mailAddress  = regexp.MustCompile(`[A-Za-z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*`)
	hostName     = regexp.MustCompile(`\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]\b`)
	ipv4Address  = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	ipv6Address  = regexp.MustCompile(`\[?\b(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}\b\]?`)
	shownUserRef = regexp.MustCompile(`\(username "`)
)

// redactor hides credentials, user names and, on request, mail addresses
// and host names in text.
type redactor struct {
	secrets   []string // exact, case-sensitive
	users     []string // case-insensitive
	literals  []literal
	addresses bool
	hosts     bool
	labels    map[string]string // address or host → its stand-in
	counts    map[string]int
}

type literal struct {
	text, mark string
	fold       bool // case-insensitive
	word       bool // only as a whole word
}

func newRedactor(secrets, users []string, addresses, hosts bool) *redactor {
	r := &redactor{addresses: addresses, hosts: hosts, labels: map[string]string{}, counts: map[string]int{}}
	for _, s := range secrets {
		if s != "" {
			r.secrets = append(r.secrets, s)
		}
	}
	for _, u := range users {
		r.addUser(u)
	}
	r.build()
	return r
}

// addUser adds a user name to hide, once.
func (r *redactor) addUser(u string) {
	if u == "" {
		return
	}
	for _, have := range r.users {
		if strings.EqualFold(have, u) {
			return
		}
	}
	r.users = append(r.users, u)
}

// build lists every literal form to replace, longest first so that a
// name inside a longer secret does not break the secret's match: the
// values themselves, their base64 and URL-encoded forms, and the SASL
// PLAIN blobs that combine them (RFC 4616: authzid NUL authcid NUL passwd).
func (r *redactor) build() {
	r.literals = nil
	add := func(text, mark string, fold bool) {
		if text == "" {
			return
		}
		word := utf8.RuneCountInString(text) < shortNameLen
		r.literals = append(r.literals, literal{text: text, mark: mark, fold: fold, word: word})
		if q := url.QueryEscape(text); q != text {
			r.literals = append(r.literals, literal{text: q, mark: mark, fold: fold, word: word})
		}
	}
	for _, s := range r.secrets {
		add(s, markSecret, false)
		for _, enc := range encodings(s) {
			add(enc, markSecret, false)
		}
		for _, u := range append(r.users, "") {
			for _, blob := range []string{"\x00" + u + "\x00" + s, u + "\x00" + u + "\x00" + s} {
				for _, enc := range encodings(blob) {
					add(enc, markSecret, false)
				}
			}
		}
	}
	for _, u := range r.users {
		add(u, markUser, true)
		for _, enc := range encodings(u) {
			add(enc, markUser, false)
		}
	}
	sort.SliceStable(r.literals, func(i, j int) bool { return len(r.literals[i].text) > len(r.literals[j].text) })
}

// encodings are the base64 forms of s: standard and URL alphabets, with
// and without padding.
func encodings(s string) []string {
	b := []byte(s)
	return uniq(base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b))
}

func uniq(list ...string) []string {
	var out []string
	for _, s := range list {
		if s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// learnUsers finds user names the transcript shows: AUTH lines saved
// with the username shown carry `(username "…"`.
func (r *redactor) learnUsers(text string) {
	for _, loc := range shownUserRef.FindAllStringIndex(text, -1) {
		if u, ok := shownUsername(text[loc[0]:]); ok {
			r.addUser(u)
		}
	}
}

// text redacts one piece of text.
func (r *redactor) text(s string) string {
	s = r.base64Tokens(s)
	for _, l := range r.literals {
		s = replaceLiteral(s, l)
	}
	if r.addresses {
		s = mailAddress.ReplaceAllStringFunc(s, func(a string) string { return r.label("address", a) })
	}
	if r.hosts {
		s = ipv6Address.ReplaceAllStringFunc(s, func(h string) string {
			if strings.Count(h, ":") < 2 || !strings.ContainsAny(h, "0123456789abcdefABCDEF") {
				return h
			}
			return r.label("host", h)
		})
		s = ipv4Address.ReplaceAllStringFunc(s, func(h string) string { return r.label("host", h) })
		s = hostName.ReplaceAllStringFunc(s, func(h string) string { return r.label("host", h) })
	}
	return s
}

// base64Tokens decodes every base64-looking run and hides it when what it
// carries contains a secret or user name, whatever the alignment or the
// mechanism that packed it.
func (r *redactor) base64Tokens(s string) string {
	if len(r.secrets)+len(r.users) == 0 {
		return s
	}
	return base64Token.ReplaceAllStringFunc(s, func(tok string) string {
		if len(tok) < minBase64Token {
			return tok
		}
		for _, dec := range decodings(tok) {
			if r.holdsCredential(dec) {
				return markB64Token
			}
		}
		return tok
	})
}

// decodings tries every base64 alphabet on tok.
func decodings(tok string) []string {
	var out []string
	trimmed := strings.TrimRight(tok, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(trimmed); err == nil {
			out = append(out, string(b))
		}
	}
	return out
}

func (r *redactor) holdsCredential(decoded string) bool {
	for _, s := range r.secrets {
		if strings.Contains(decoded, s) {
			return true
		}
	}
	lower := strings.ToLower(decoded)
	for _, u := range r.users {
		// Random bytes hold a short name now and then; real encoded
		// credentials are text.
		if utf8.RuneCountInString(u) < shortNameLen && !utf8.ValidString(decoded) {
			continue
		}
		if strings.Contains(lower, strings.ToLower(u)) {
			return true
		}
	}
	return false
}

// label returns a stable stand-in for an address or host: the same value
// always gets the same label, so that the report still reads.
func (r *redactor) label(kind, value string) string {
	key := kind + "\x00" + strings.ToLower(value)
	if l, ok := r.labels[key]; ok {
		return l
	}
	r.counts[kind]++
	l := fmt.Sprintf("[%s %d]", kind, r.counts[kind])
	r.labels[key] = l
	return l
}

// replaceLiteral replaces every occurrence of l in s.
func replaceLiteral(s string, l literal) string {
	if !l.fold && !l.word {
		return strings.ReplaceAll(s, l.text, l.mark)
	}
	var b strings.Builder
	hay, needle := s, l.text
	if l.fold {
		hay, needle = strings.ToLower(s), strings.ToLower(l.text)
	}
	if len(hay) != len(s) { // lower-casing changed the length: match exactly
		hay, needle = s, l.text
	}
	i := 0
	for {
		j := strings.Index(hay[i:], needle)
		if j < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		start, end := i+j, i+j+len(needle)
		if l.word && (wordRuneBefore(s, start) || wordRuneAfter(s, end)) {
			b.WriteString(s[i:end])
			i = end
			continue
		}
		b.WriteString(s[i:start])
		b.WriteString(l.mark)
		i = end
	}
}

func wordRuneBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func wordRuneAfter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i < len(s) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
