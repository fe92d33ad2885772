package session

import (
	"bytes"
	"encoding/base64"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// redactedMark stands in for credentials in events and the transcript.
const redactedMark = "●●●●●●●●"

// redactAuthCommand returns how an AUTH command line is shown: the
// mechanism stays, an initial response is replaced by a note of what it
// carried. For PLAIN the username can be shown when the user allows it.
func redactAuthCommand(cmd protocol.Command, showUsername bool) outLine {
	head := "AUTH"
	if len(cmd.Args) == 0 {
		return outLine{text: head}
	}
	mech := strings.ToUpper(cmd.Args[0])
	head += " " + cmd.Args[0]
	if len(cmd.Args) < 2 {
		return outLine{text: head}
	}
	ir := cmd.Args[1]
	if ir == "=" { // RFC 4954 4: an empty initial response
		return outLine{text: head + " ="}
	}
	out := outLine{redacted: true, text: head + " " + redactedMark + " (initial response, redacted)"}
	if mech == "PLAIN" {
		out.text = head + " " + redactedMark + " (username and password, redacted)"
		if user := plainUsername(ir); user != "" {
			out.withUsername = head + " " + redactedMark + ` (username "` + user + `" and password, redacted)`
		}
	}
	return out
}

// plainUsername extracts the authentication identity from a base64 PLAIN
// initial response (RFC 4616 2: [authzid] NUL authcid NUL passwd).
func plainUsername(ir string) string {
	raw, err := base64.StdEncoding.DecodeString(ir)
	if err != nil {
		return ""
	}
	parts := bytes.Split(raw, []byte{0})
	if len(parts) != 3 {
		return ""
	}
	return string(parts[1])
}

// redactSASLResponse returns how a line typed in answer to a 334 is shown.
func redactSASLResponse(line string) outLine {
	if line == "*" { // RFC 4954 4: the client cancels the exchange
		return outLine{text: "*"}
	}
	return outLine{text: redactedMark + " (SASL response, redacted)", redacted: true}
}

// saslCommand is the command handed to the state machine for a line typed
// inside an AUTH exchange: the machine keeps pending commands, so it gets
// no credentials at all.
func saslCommand(cmd protocol.Command) protocol.Command {
	if cmd.Verb != protocol.VerbAUTH || len(cmd.Args) < 2 {
		return cmd
	}
	return protocol.Command{Raw: "AUTH " + cmd.Args[0], Verb: protocol.VerbAUTH, Args: cmd.Args[:1]}
}

// decodeChallenge decodes the text of a 334 line for display. Binary
// content is shown escaped; text that is not base64 is said so.
func decodeChallenge(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return "(empty challenge)"
	}
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return "(not valid base64)"
	}
	decoded, _ := protocol.DecodeText(raw)
	return protocol.Sanitize(decoded)
}
