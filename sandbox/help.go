package sandbox

import (
	"fmt"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// helpTopics explains each command in a line or two, for HELP <command>.
var helpTopics = map[string][]string{
	protocol.VerbEHLO:     {"EHLO <your host name> - say hello and get the list of extensions; start here", "Example: EHLO laptop.example.com"},
	protocol.VerbHELO:     {"HELO <your host name> - the old greeting, without extensions; prefer EHLO"},
	protocol.VerbSTARTTLS: {"STARTTLS - switch the connection to TLS; then send EHLO again (RFC 3207)"},
	protocol.VerbAUTH:     {"AUTH <mechanism> [initial response] - log in; offered after STARTTLS", "Example: AUTH PLAIN AGRlbW8AZGVtby1wYXNzd29yZA== (base64 of \\0demo\\0demo-password)"},
	protocol.VerbMAIL:     {"MAIL FROM:<address> [SIZE=n BODY=8BITMIME SMTPUTF8 ...] - start a message", "Example: MAIL FROM:<demo@sandbox.test>   (MAIL FROM:<> is the null sender of bounces)"},
	protocol.VerbRCPT:     {"RCPT TO:<address> - add a recipient; repeat for more", "Any address @sandbox.test is accepted. Example: RCPT TO:<friend@sandbox.test>"},
	protocol.VerbDATA:     {"DATA - then type the message: headers, an empty line, the body, and a line with a single dot", "Example: Subject: hi / (empty line) / Hello! / ."},
	protocol.VerbBDAT:     {"BDAT <octets> [LAST] - send the message in chunks of exact size instead of DATA (RFC 3030)"},
	protocol.VerbRSET:     {"RSET - forget the current message and start over; the session stays"},
	protocol.VerbNOOP:     {"NOOP - do nothing; the server answers 250 (keeps the connection alive)"},
	protocol.VerbVRFY:     {"VRFY <user> - ask whether a mailbox exists; like most servers the sandbox will not say (252)"},
	protocol.VerbEXPN:     {"EXPN <list> - ask for a mailing list's members; disabled here, as almost everywhere"},
	protocol.VerbHELP:     {"HELP [command] - this help; HELP MAIL explains MAIL, and so on"},
	protocol.VerbQUIT:     {"QUIT - say goodbye and close the connection"},
}

// helpOrder is the order commands appear in the general help.
var helpOrder = []string{
	protocol.VerbEHLO, protocol.VerbSTARTTLS, protocol.VerbAUTH, protocol.VerbMAIL, protocol.VerbRCPT,
	protocol.VerbDATA, protocol.VerbBDAT, protocol.VerbRSET, protocol.VerbNOOP, protocol.VerbVRFY,
	protocol.VerbEXPN, protocol.VerbHELO, protocol.VerbHELP, protocol.VerbQUIT,
}

// help answers HELP (RFC 5321 4.1.1.8) with a guide for learners.
func (c *conn) help(cmd protocol.Command) {
	if len(cmd.Args) > 0 {
		topic := strings.ToUpper(cmd.Args[0])
		if lines, ok := helpTopics[topic]; ok {
			c.send(reply(codeHelp, enhOK, lines...))
			return
		}
		c.send(reply(codeNotImplemented, enhInvalidCommand, fmt.Sprintf(
			"No help for %q - type HELP for the list of commands", protocol.Sanitize(cmd.Args[0]))))
		return
	}
	lines := []string{
		"smtpscope sandbox, scenario " + c.srv.scenario.Name + " - a practice server; mail stays in memory",
		"A message goes: EHLO, (STARTTLS, EHLO, AUTH), MAIL FROM, RCPT TO, DATA, the text, a line with \".\"",
		fmt.Sprintf("Demo login: %s / %s (XOAUTH2 token %s), after STARTTLS", DemoUsername, DemoPassword, DemoToken),
		fmt.Sprintf("Mistakes are fine: the server hangs up only after %d bad commands", c.srv.maxErrors),
		"Commands:",
	}
	for _, v := range helpOrder {
		lines = append(lines, "  "+helpTopics[v][0])
	}
	lines = append(lines, "HELP <command> explains one command; commands are case-insensitive")
	c.send(reply(codeHelp, enhOK, lines...))
}
