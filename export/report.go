package export

import (
	"fmt"
	"net"
	"runtime"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// ReportOptions say what a share-safe report hides and states.
type ReportOptions struct {
	Version string // smtpscope's version
	OS      string // "" uses this machine's (runtime.GOOS/GOARCH)
	// Usernames and Secrets are hidden wherever they appear, in any form
	// (as typed, base64, URL-encoded, inside a SASL PLAIN blob). User
	// names the transcript shows are found without being listed; the
	// transcript never holds a secret, so Secrets is a second guard.
	Usernames []string
	Secrets   []string
	// HideAddresses replaces mail addresses, HideHosts host names and IP
	// addresses, each by a numbered stand-in ("[address 1]", "[host 2]").
	HideAddresses bool
	HideHosts     bool
}

// Report turns a transcript into one Markdown document ready to paste
// into an issue: smtpscope's version and the OS, the connection, the
// explanation of the last failing reply, and the transcript, with AUTH
// payloads, secrets and user names redacted, and mail addresses and host
// names too when asked.
func Report(lines []session.Line, o ReportOptions) string {
	red := newRedactor(o.Secrets, o.Usernames, o.HideAddresses, o.HideHosts)
	for _, l := range lines {
		red.learnUsers(l.Text)
	}
	red.learnSASL(lines)
	red.build()
	body := transcriptLines(lines, red)
	failing, ctx := lastFailure(lines)

	var b strings.Builder
	b.WriteString("# smtpscope session report\n\n")
	osName := o.OS
	if osName == "" {
		osName = runtime.GOOS + "/" + runtime.GOARCH
	}
	version := o.Version
	if version == "" {
		version = "unknown"
	}
	fmt.Fprintf(&b, "- smtpscope %s on %s\n", version, osName)
	if s := FromLines(lines); s.Host != "" {
		fmt.Fprintf(&b, "- server %s, %s\n", s.Address(), s.Security)
	}
	hidden := []string{"passwords, tokens and AUTH exchanges", "user names"}
	if o.HideAddresses {
		hidden = append(hidden, "mail addresses")
	}
	if o.HideHosts {
		hidden = append(hidden, "host names and IP addresses")
	}
	fmt.Fprintf(&b, "- redacted: %s\n", strings.Join(hidden, ", "))

	if failing != nil {
		b.WriteString("\n## The failing reply\n\n")
		writeExplanation(&b, *failing, protocol.Explain(*failing, ctx))
	}
	b.WriteString("\n## Transcript\n\n")
	fence := codeFence(body)
	b.WriteString(fence + "text\n" + body + fence + "\n")
	// A last pass over everything, explanation included: no path
	// around the redaction.
	return red.text(b.String())
}

// transcriptLines renders the transcript in the C:/S: form, with AUTH
// payloads replaced by what they were and every line redacted.
func transcriptLines(lines []session.Line, red *redactor) string {
	var b strings.Builder
	inAuth := false
	for _, l := range lines {
		text := l.Text
		switch l.Dir {
		case session.DirClient:
			text = redactClientLine(text, &inAuth)
		case session.DirServer:
			inAuth = strings.HasPrefix(text, "334")
		}
		prefix := string(rune(l.Dir)) + ": "
		if l.Dir == session.DirNote {
			prefix = "# "
		}
		b.WriteString(prefix + red.text(text) + "\n")
	}
	return b.String()
}

// redactClientLine hides an AUTH initial response and every line sent in
// answer to a 334 challenge (RFC 4954 4), whatever the transcript already
// did: a transcript from elsewhere, or typed by hand, is covered too.
func redactClientLine(text string, inAuth *bool) string {
	if *inAuth {
		*inAuth = false
		if text == "*" { // RFC 4954 4: the client cancels
			return text
		}
		return markSASL
	}
	cmd := protocol.ParseCommand(text)
	if cmd.Verb == protocol.VerbAUTH && len(cmd.Args) > 1 && cmd.Args[1] != "=" {
		return "AUTH " + cmd.Args[0] + " " + markSASL
	}
	return text
}

// lastFailure finds the last reply of class 4 or 5 and what is known
// about where it came from.
func lastFailure(lines []session.Line) (*protocol.Reply, protocol.ExplainContext) {
	var failing *protocol.Reply
	var ctx protocol.ExplainContext
	var greeting string
	var caps *protocol.Capabilities
	var inTLS bool // the line being read travelled inside TLS
	w := &walker{byGen: map[int]*connection{}}
	w.onReply = func(c *connection, verb string, r protocol.Reply) {
		switch {
		case verb == "" && greeting == "":
			greeting = r.OneLine()
		case verb == protocol.VerbEHLO && r.Class() == protocol.ClassSuccess:
			cp := protocol.ParseEHLO(r)
			caps = &cp
		}
		if cl := r.Class(); cl == protocol.ClassTransient || cl == protocol.ClassPermanent {
			rr := r
			failing = &rr
			ctx = protocol.ExplainContext{Command: verb, Greeting: greeting, Caps: caps, TLS: inTLS}
			if host, _, err := net.SplitHostPort(c.address); err == nil {
				ctx.Host = host
			}
		}
	}
	for _, l := range lines {
		inTLS = l.TLS
		w.line(l)
	}
	return failing, ctx
}

// writeExplanation renders an explanation as Markdown.
func writeExplanation(b *strings.Builder, r protocol.Reply, e protocol.Explanation) {
	for _, l := range r.Lines {
		b.WriteString("    " + protocol.Sanitize(l.Raw) + "\n")
	}
	b.WriteString("\n")
	head := fmt.Sprintf("%03d", e.Code)
	if e.Enhanced != "" {
		head += " " + e.Enhanced
	}
	fmt.Fprintf(b, "**%s**: %s\n", head, e.Summary)
	if e.InContext != "" {
		fmt.Fprintf(b, "\n%s\n", e.InContext)
	}
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(b, "\n%s:\n\n", title)
		for _, it := range items {
			b.WriteString("- " + it + "\n")
		}
	}
	list("Likely causes", e.Causes)
	if e.Provider.Name != "" {
		list(e.Provider.Name+"'s fix", e.Playbook)
	}
	list("What to do", e.Actions)
	list("How the reply departs from the RFCs", e.Diagnostics)
	if len(e.References) > 0 {
		fmt.Fprintf(b, "\nReferences: %s\n", strings.Join(e.References, " · "))
	}
}

// codeFence returns a backtick fence longer than any run of backticks in
// text, so that the transcript cannot close its code block (CommonMark
// 4.5).
func codeFence(text string) string {
	longest, run := 0, 0
	for _, c := range text {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
