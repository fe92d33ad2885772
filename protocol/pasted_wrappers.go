package protocol

import (
	"regexp"
	"strings"
)

// The wrappers MTAs put around a remote server's reply in their bounces
// (LABELING.md, "A wrapper is not the replier"): their own lines are not
// the reply, and their wording does not name the server that replied.

// qmailSaidRe is how qmail's bounces introduce the remote reply: "Remote
// host said:", "remote host 192.0.2.1 said:" (Postfix writes "host X
// said:" without "remote").
var qmailSaidRe = regexp.MustCompile(`(?i)\bremote host(?: \S+)? said$`)

// qmailReply keeps the reply of a qmail bounce: its first line and the
// lines that continue it ("550-…", "550 …"). What follows is qmail's own
// ("Giving up on 192.0.2.1.", "I'm not going to try again; this message
// has been in the queue too long.", its status "(#5.5.0)"), not the
// remote server's words.
func qmailReply(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	n := 1
	for n < len(lines) && replyLineRe.MatchString(strings.TrimSpace(lines[n])) {
		n++
	}
	return strings.TrimSpace(strings.Join(lines[:n], "\n"))
}

// replyLineRe is a line that starts with a reply code.
var replyLineRe = regexp.MustCompile(`^[2-5]\d\d(?:[ -]|$)`)

// sendmailSectionRe starts one server's part of a Sendmail transcript
// ("... while talking to mx.example.org.:").
var sendmailSectionRe = regexp.MustCompile(`(?im)^\s*(?:\.\.\.\s*)?while talking to\s+([a-z0-9][a-z0-9.-]*[a-z0-9])\.?:?\s*$`)

// sendmailTranscript reads a Sendmail transcript of session. When it
// talked to several servers, an earlier one's transient refusal was only
// the MX tried first: the part to explain is the last server's that
// failed permanently, else the last one that failed. In that part the
// lines after "<<<" are the server's replies and the others ("550 5.1.1
// <a@b>... User unknown", "554 5.0.0 Service unavailable", "Deferred: …")
// are Sendmail's own status lines, which are not. It returns the part
// to read, the server's host name, and false when t is no transcript.
func sendmailTranscript(t string) (string, string, bool) {
	if !strings.Contains(t, "<<<") {
		return "", "", false
	}
	starts := sendmailSectionRe.FindAllStringSubmatchIndex(t, 8)
	if len(starts) == 0 {
		return "", "", false
	}
	pick, pickClass := -1, byte(0)
	for i, m := range starts {
		end := len(t)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		if c := worstRemoteClass(t[m[1]:end]); c >= '4' && c >= pickClass {
			pick, pickClass = i, c
		}
	}
	if pick < 0 {
		return "", "", false
	}
	m := starts[pick]
	end := len(t)
	if pick+1 < len(starts) {
		end = starts[pick+1][0]
	}
	kept := []string{strings.TrimSpace(t[m[0]:m[1]])}
	for _, l := range strings.Split(t[m[1]:end], "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "<<<") || strings.HasPrefix(l, ">>>") {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n"), strings.ToLower(t[m[2]:m[3]]), true
}

// worstRemoteClass returns the highest first digit of the replies after
// "<<<" in a transcript part ('5' when one failed permanently), or 0.
func worstRemoteClass(part string) byte {
	var worst byte
	for _, l := range strings.Split(part, "\n") {
		l = strings.TrimSpace(l)
		if r, ok := strings.CutPrefix(l, "<<<"); ok {
			if r = strings.TrimSpace(r); len(r) > 0 && r[0] > worst && r[0] >= '2' && r[0] <= '5' {
				worst = r[0]
			}
		}
	}
	return worst
}

// capabilities returns the EHLO capabilities a pasted transcript shows
// (its last multi-line 250 reply) and whether a 220 about TLS followed
// them (STARTTLS succeeded); nil when the paste shows none.
func (p *Pasted) capabilities() (*Capabilities, bool) {
	var caps *Capabilities
	tls := false
	for _, o := range p.Others {
		switch {
		case o.Code == basicOK && len(o.Lines) > 1:
			c := ParseEHLO(o)
			caps, tls = &c, false
		case o.Code == basicServiceReady && caps != nil && strings.Contains(strings.ToUpper(o.OneLine()), "TLS"):
			tls = true
		}
	}
	return caps, tls
}
