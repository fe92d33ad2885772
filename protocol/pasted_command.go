package protocol

import (
	"regexp"
	"strings"
)

// clientCommandRe finds a command the client sent in a transcript line:
// "C: AUTH PLAIN …", ">>> RCPT To:<…>", "Sent: MAIL FROM:<…>",
// "CLIENT -> SERVER: DATA", "--> RCPT TO:<…>".
var clientCommandRe = regexp.MustCompile(`(?i)^(?:.*?\s)?(?:c:|>>>|-->|->|sent:|client -> server:|client:)\s*([a-z]+(?:[ :][a-z]+)?)`)

// commandOfTranscript returns the last command the client sent before
// line index of lines, or "".
func commandOfTranscript(lines []string, index int) string {
	for i := min(index, len(lines)) - 1; i >= 0; i-- {
		m := clientCommandRe.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		if verb := commandFromPhrase(m[1]); verb != "" {
			if verb == VerbDATA && i+1 < index {
				// A DATA answered by 354 and then the message: what failed
				// is the end of data.
				for _, l := range lines[i+1 : index] {
					if strings.Contains(l, "354") {
						return EndOfDataVerb
					}
				}
			}
			return verb
		}
	}
	return ""
}

// clientPhrases are how client libraries say which command failed
// (nodemailer's "Mail command failed", PHPMailer's "DATA END command
// failed", Python's SMTPSenderRefused, Java's AuthenticationFailedException).
var clientPhrases = []struct {
	phrase, verb string
}{
	{"data end command failed", EndOfDataVerb},
	{"data not accepted", EndOfDataVerb},
	{"smtpdataerror", EndOfDataVerb},
	{"data command failed", VerbDATA},
	{"mail from command failed", VerbMAIL},
	{"mail command failed", VerbMAIL},
	{"smtpsenderrefused", VerbMAIL},
	{"sender address rejected by client", VerbMAIL},
	{"rcpt to command failed", VerbRCPT},
	{"recipient command failed", VerbRCPT},
	{"rcpt command failed", VerbRCPT},
	{"smtprecipientsrefused", VerbRCPT},
	{"all recipients were rejected", VerbRCPT},
	{"failed to add recipient", VerbRCPT},
	{"invalid login", VerbAUTH},
	{"password command failed", VerbAUTH},
	{"username command failed", VerbAUTH},
	{"smtpauthenticationerror", VerbAUTH},
	{"authenticationfailedexception", VerbAUTH},
	{"auth not accepted from server", VerbAUTH},
	{"failed to authenticate on smtp server", VerbAUTH},
	{"\"eauth\"", VerbAUTH},
	{"'eauth'", VerbAUTH},
	{"error upgrading connection with starttls", VerbSTARTTLS},
	{"starttls command failed", VerbSTARTTLS},
	{"ehlo command failed", VerbEHLO},
	{"expected response code 220", VerbSTARTTLS}, // Swift Mailer, PHPMailer: 220 answers STARTTLS
	{"expected status 220", VerbSTARTTLS},
	{"expected response code 354", VerbDATA},
	{"expected response code 235", VerbAUTH},
	{"expected response code 334", VerbAUTH},
	{"helo command failed", VerbHELO},
	// qmail-remote's bounce texts say how far the session got.
	{"but sender was rejected", VerbMAIL},
	{"but my name was rejected", VerbHELO},
	{"most progress was rcpt to response", VerbRCPT},
	{"does not like recipient", VerbRCPT},
}

// jsonCommandRe is the command field of a client's error object
// (nodemailer: "command": "AUTH PLAIN").
var jsonCommandRe = regexp.MustCompile(`(?i)["']?command["']?\s*:\s*["']([a-z]+(?: [a-z]+)?)`)

// commandOfClient returns the command a client's error text says failed,
// or "".
func commandOfClient(t string) string {
	lower := strings.ToLower(t)
	for _, c := range clientPhrases {
		if strings.Contains(lower, c.phrase) {
			return c.verb
		}
	}
	if strings.Contains(lower, "command") {
		if m := jsonCommandRe.FindStringSubmatch(t); m != nil {
			return commandFromPhrase(m[1])
		}
	}
	return ""
}
