package export

import (
	"fmt"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/session"
)

// maxRecordedLine is the longest message line the transcript keeps whole
// (the session cuts longer ones); a line this long may have been cut.
const maxRecordedLine = 1000

// Transcript notes the reader recognises by their words.
const (
	noteElidedData = "octets of message data" // BDAT chunks and the lines past the recorded ones
	noteInsecure   = "--insecure"             // the TLS note of an unverified handshake
)

// usernameMark precedes the username in AUTH lines saved with the
// username shown: `(username "alice@example.com" and password, redacted)`.
const usernameMark = `(username "`

// transaction is one MAIL … end of data seen in the transcript.
type transaction struct {
	from      string
	to        []string
	refused   []string
	body      []string
	inBody    bool
	bodyDone  bool
	missing   string // why the content is not known
	cut       bool   // a line may have been shortened
	delivered bool
	failed    string // the reply that refused the message
}

// connection is one generation of the transcript: one TCP connection.
type connection struct {
	gen         int // the connection's number in the transcript
	address     string
	sawServer   bool
	implicitTLS bool
	startTLS    bool
	insecure    bool
	helo        string
	auth        *Auth
	authOK      bool
	txns        []*transaction
	// saved is where the dialogue stands while another connection's
	// lines are read (a proxy log interleaves concurrent connections).
	saved dialogue
}

// dialogue is where one connection's exchange stands: the open
// transaction, the commands waiting for replies, a reply half read, and
// whether lines are message content or answers to an AUTH challenge.
type dialogue struct {
	txn     *transaction
	pending []pendingCmd
	reply   protocol.ReplyBuilder
	inData  bool
	inAuth  bool
}

// walker follows the dialogue: which reply answers which command, when
// lines are message content and when they answer an AUTH challenge.
type walker struct {
	conns []*connection
	byGen map[int]*connection
	c     *connection
	dialogue
	// onReply, when set, sees every complete reply with the verb it
	// answers ("" for the greeting) and the connection it came on.
	onReply func(c *connection, verb string, r protocol.Reply)
}

// pendingCmd is a command waiting for its reply.
type pendingCmd struct {
	verb string
	rcpt string // for RCPT: the address
	last bool   // for BDAT: the LAST chunk
}

// FromLines rebuilds what a session did from its transcript: the
// connection that delivered a message (or else the last one that tried),
// its address, TLS, EHLO name, AUTH mechanism and username (when the
// transcript shows it), envelope and message content.
func FromLines(lines []session.Line) Session {
	w := &walker{byGen: map[int]*connection{}}
	for _, l := range lines {
		w.line(l)
	}
	c, t := w.choose()
	if c == nil {
		return Session{}
	}
	var s Session
	if n := len(w.conns); n > 1 {
		s.Notes = append(s.Notes, fmt.Sprintf("the transcript holds %d connections; this is connection %d, %s",
			n, c.gen, chosenBecause(c, t)))
	}
	if c.address != "" {
		if err := s.SetAddress(c.address); err != nil {
			s.Notes = append(s.Notes, "the transcript's address is unusable: "+err.Error())
		}
	}
	switch {
	case c.implicitTLS:
		s.Security = ImplicitTLS
	case c.startTLS:
		s.Security = StartTLS
	}
	s.Insecure = c.insecure
	s.Helo = c.helo
	if c.auth != nil {
		a := *c.auth
		s.Auth = &a
	}
	if t == nil {
		return s
	}
	s.From, s.To = t.from, append([]string(nil), t.to...)
	if len(t.refused) > 0 {
		s.Notes = append(s.Notes, "in the session the server refused RCPT TO for "+strings.Join(t.refused, ", "))
	}
	if t.failed != "" {
		s.Notes = append(s.Notes, "in the session the server refused the message: "+t.failed)
	}
	switch {
	case t.missing != "":
		s.MessageMissing = t.missing
	case !t.bodyDone:
		s.MessageMissing = "the session never finished sending it"
	default:
		s.Message = []byte(strings.Join(t.body, "\r\n") + "\r\n")
		if t.cut {
			s.Notes = append(s.Notes, fmt.Sprintf("a message line reached the %d octets the transcript keeps and may have been cut", maxRecordedLine))
		}
		if approximate(t.body) {
			s.Notes = append(s.Notes, "the message held control characters or bytes that are not UTF-8; the transcript shows them as symbols, and so does the export")
		}
	}
	return s
}

// choose picks the connection and transaction to export: the last
// delivered message, else the last transaction tried, else the last
// connection.
func (w *walker) choose() (*connection, *transaction) {
	var lastTried *connection
	var lastTxn *transaction
	for i := len(w.conns) - 1; i >= 0; i-- {
		c := w.conns[i]
		for j := len(c.txns) - 1; j >= 0; j-- {
			if c.txns[j].delivered {
				return c, c.txns[j]
			}
			if lastTxn == nil {
				lastTried, lastTxn = c, c.txns[j]
			}
		}
	}
	if lastTxn != nil {
		return lastTried, lastTxn
	}
	if len(w.conns) == 0 {
		return nil, nil
	}
	return w.conns[len(w.conns)-1], nil
}

// chosenBecause says why choose picked connection c and transaction t.
func chosenBecause(c *connection, t *transaction) string {
	switch {
	case t != nil && t.delivered:
		return "the last one that delivered a message"
	case t != nil:
		return "the last one that tried to send (none delivered)"
	}
	return "the last one (none tried to send)"
}

// conn returns the connection of generation gen, starting one if needed,
// and makes its dialogue the current one: the lines of connections that
// ran at the same time (a proxy log) arrive interleaved, and each picks
// up where it stood.
func (w *walker) conn(gen int) *connection {
	c, ok := w.byGen[gen]
	if !ok {
		c = &connection{gen: gen}
		w.byGen[gen] = c
		w.conns = append(w.conns, c)
	}
	if c != w.c {
		if w.c != nil {
			w.c.saved = w.dialogue
		}
		w.c, w.dialogue = c, c.saved
	}
	return c
}

func (w *walker) line(l session.Line) {
	if l.Leg == session.LegUpstream && l.Dir != session.DirNote {
		return // a proxy's own exchange with the server, not the application's
	}
	c := w.conn(l.Gen)
	switch l.Dir {
	case session.DirNote:
		w.note(c, l.Text)
	case session.DirClient:
		w.client(c, l.Text)
	case session.DirServer:
		if !c.sawServer {
			c.sawServer = true
			c.implicitTLS = l.TLS
		}
		done, err := w.reply.Add([]byte(l.Text + "\r\n"))
		if err == nil && done {
			w.answered(c, w.reply.Reply())
		}
	}
}

func (w *walker) note(c *connection, text string) {
	if addr, ok := session.ParseConnectNote(text); ok {
		c.address = addr
		return
	}
	if strings.Contains(text, noteInsecure) {
		c.insecure = true
	}
	if w.txn != nil && strings.Contains(text, noteElidedData) {
		if strings.HasPrefix(text, "[") {
			w.txn.missing = "it went in BDAT chunks (RFC 3030 CHUNKING), whose content the transcript does not keep"
		} else if w.txn.missing == "" {
			w.txn.missing = "it is longer than the lines the transcript keeps"
		}
	}
}

// client handles a line smtpscope sent.
func (w *walker) client(c *connection, text string) {
	switch {
	case w.inData:
		if text == "." { // RFC 5321 4.1.1.4: the end of the data
			w.inData = false
			w.push(pendingCmd{verb: protocol.EndOfDataVerb})
			if w.txn != nil {
				w.txn.inBody, w.txn.bodyDone = false, true
			}
			return
		}
		if w.txn != nil && w.txn.inBody {
			if len(text) >= maxRecordedLine {
				w.txn.cut = true
			}
			w.txn.body = append(w.txn.body, unstuff(text))
		}
		return
	case w.inAuth:
		w.inAuth = false
		if u, ok := shownUsername(text); ok && c.auth != nil {
			c.auth.Username = u
		}
		w.push(pendingCmd{verb: protocol.VerbAUTH})
		return
	}
	cmd := protocol.ParseCommand(text)
	p := pendingCmd{verb: cmd.Verb}
	switch cmd.Verb {
	case protocol.VerbEHLO, protocol.VerbHELO:
		if len(cmd.Args) > 0 {
			c.helo = cmd.Args[0]
		}
	case protocol.VerbAUTH:
		if len(cmd.Args) > 0 {
			c.auth = &Auth{Mechanism: strings.ToUpper(cmd.Args[0])}
			c.authOK = false
			if u, ok := shownUsername(text); ok {
				c.auth.Username = u
			}
		}
	case protocol.VerbMAIL:
		w.txn = &transaction{from: cmd.Path}
		c.txns = append(c.txns, w.txn)
	case protocol.VerbRCPT:
		p.rcpt = cmd.Path
		if w.txn != nil {
			w.txn.to = append(w.txn.to, cmd.Path)
		}
	case protocol.VerbBDAT:
		p.last = len(cmd.Args) > 1 && strings.EqualFold(cmd.Args[1], "LAST")
		if w.txn != nil && w.txn.missing == "" {
			w.txn.missing = "it went in BDAT chunks (RFC 3030 CHUNKING), whose content the transcript does not keep"
		}
	case protocol.VerbRSET:
		w.txn = nil
	}
	w.push(p)
}

func (w *walker) push(p pendingCmd) { w.pending = append(w.pending, p) }

// answered handles a complete reply, matched with the oldest command
// waiting for one (replies come in order, RFC 2920 3.1).
func (w *walker) answered(c *connection, r protocol.Reply) {
	if len(w.pending) == 0 {
		if w.onReply != nil {
			w.onReply(c, "", r)
		}
		return // the greeting, or a reply out of step
	}
	p := w.pending[0]
	w.pending = w.pending[1:]
	if w.onReply != nil {
		w.onReply(c, p.verb, r)
	}
	ok := r.Class() == protocol.ClassSuccess
	t := w.txn
	switch p.verb {
	case protocol.VerbSTARTTLS:
		c.startTLS = c.startTLS || r.Code == codeReady
	case protocol.VerbAUTH:
		w.inAuth = r.Code == codeChallenge
		c.authOK = c.authOK || r.Code == codeAuthOK
	case protocol.VerbMAIL:
		if !ok && t != nil {
			t.failed = r.OneLine()
		}
	case protocol.VerbRCPT:
		if !ok && t != nil {
			t.refused = append(t.refused, p.rcpt)
		}
	case protocol.VerbDATA:
		if r.Code == codeStartInput {
			w.inData = true
			if t != nil {
				t.inBody = true
			}
		}
	case protocol.EndOfDataVerb:
		w.finish(t, r)
	case protocol.VerbBDAT:
		if p.last || !ok {
			w.finish(t, r)
		}
	}
}

// finish records the outcome of a transaction's content.
func (w *walker) finish(t *transaction, r protocol.Reply) {
	if t == nil {
		return
	}
	if r.Class() == protocol.ClassSuccess {
		t.delivered = true
	} else {
		t.failed = fmt.Sprintf("%03d %s", r.Code, r.OneLine())
	}
	w.txn = nil
}

// Reply codes the reader acts on.
const (
	codeReady      = 220 // RFC 3207 4: ready to start TLS
	codeAuthOK     = 235 // RFC 4954 6
	codeChallenge  = 334 // RFC 4954 4
	codeStartInput = 354 // RFC 5321 4.2.2
)

// unstuff undoes dot-stuffing (RFC 5321 4.5.2: a first period on a line
// of other characters is deleted; the lone "." never gets here) and shows
// a tab again (the transcript shows it as the symbol ␉).
func unstuff(line string) string {
	return strings.ReplaceAll(strings.TrimPrefix(line, "."), "␉", "\t")
}

// shownUsername extracts the username from an AUTH line saved with the
// username shown.
func shownUsername(text string) (string, bool) {
	i := strings.Index(text, usernameMark)
	if i < 0 {
		return "", false
	}
	rest := text[i+len(usernameMark):]
	j := strings.LastIndex(rest, `"`)
	if j < 0 {
		return "", false
	}
	return rest[:j], true
}

// approximate reports message lines the transcript could not keep
// exactly: control characters shown as symbols (U+2400…) or bytes that
// are not UTF-8 shown as \xNN.
func approximate(body []string) bool {
	for _, l := range body {
		for _, r := range l {
			if r >= 0x2400 && r <= 0x2421 {
				return true
			}
		}
		if strings.Contains(l, `\x`) {
			return true
		}
	}
	return false
}
