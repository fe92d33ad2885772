package sandbox

import (
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// EHLO keywords the sandbox knows.
const (
	extPipelining          = "PIPELINING"          // RFC 2920
	extSize                = "SIZE"                // RFC 1870
	ext8BitMIME            = "8BITMIME"            // RFC 6152
	extSMTPUTF8            = "SMTPUTF8"            // RFC 6531
	extEnhancedStatusCodes = "ENHANCEDSTATUSCODES" // RFC 2034
	extChunking            = "CHUNKING"            // RFC 3030
	extDSN                 = "DSN"                 // RFC 3461
	extHelp                = "HELP"                // RFC 5321 4.1.1.8
	extStartTLS            = "STARTTLS"            // RFC 3207
	extAuth                = "AUTH"                // RFC 4954
)

// defaultExtensions are advertised unless a scenario lists its own.
var defaultExtensions = []string{
	extPipelining, extSize, ext8BitMIME, extSMTPUTF8, extEnhancedStatusCodes, extChunking, extDSN, extHelp,
}

// extensions returns the scenario's EHLO keywords, without STARTTLS and AUTH.
func (sc *Scenario) extensions() []string {
	if sc.Extensions != nil {
		return sc.Extensions
	}
	return defaultExtensions
}

// hasExtension reports whether the scenario advertises keyword.
func (sc *Scenario) hasExtension(keyword string) bool {
	for _, e := range sc.extensions() {
		if strings.EqualFold(e, keyword) {
			return true
		}
	}
	return false
}

// mechanisms returns the AUTH mechanisms the scenario offers.
func (sc *Scenario) mechanisms() []string {
	if sc.Mechanisms != nil {
		return sc.Mechanisms
	}
	return defaultMechanisms
}

// credentials returns the logins to print for the scenario.
func (sc *Scenario) credentials() []Credential {
	if sc.Credentials != nil {
		return sc.Credentials
	}
	return defaultCredentials(sc.mechanisms())
}

// offersAuth reports whether AUTH is advertised and allowed now.
func (c *conn) offersAuth() bool {
	return c.tls || c.srv.scenario.AuthBeforeTLS
}

// ehloLines returns the EHLO reply: the greeting line, then one keyword a line.
func (c *conn) ehloLines() []string {
	sc := c.srv.scenario
	first := c.srv.cfg.Hostname + " Hello " + c.helo
	if g := sc.EHLOGreeting; g != nil {
		first = g(c.view())
	}
	lines := []string{first}
	for _, e := range sc.extensions() {
		if e == extSize {
			e += " " + strconv.FormatInt(c.srv.cfg.MaxMessageSize, 10)
		}
		lines = append(lines, e)
	}
	if !c.tls {
		lines = append(lines, extStartTLS)
	}
	if c.offersAuth() {
		lines = append(lines, extAuth+" "+strings.Join(sc.mechanisms(), " "))
	}
	return lines
}

// hello answers EHLO and HELO (RFC 5321 4.1.1.1). Either one resets the
// transaction, like RSET (RFC 5321 4.1.4).
func (c *conn) hello(cmd protocol.Command) {
	if r := problemReply(cmd); r != nil {
		c.send(r)
		return
	}
	c.helo = cmd.Args[0]
	c.extended = cmd.Verb == protocol.VerbEHLO
	c.resetTransaction()
	// RFC 2034 3: replies to EHLO and HELO carry no enhanced status code.
	if !c.extended {
		c.write(protocol.FormatReply(codeOK, "", c.srv.cfg.Hostname+" Hello "+c.helo+" (HELO: no extensions; use EHLO for them)"))
		return
	}
	c.write(protocol.FormatReply(codeOK, "", c.ehloLines()...))
}
