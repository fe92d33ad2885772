package protocol

import (
	"fmt"
	"strings"
)

// codeActions gives next steps from the code, the command and what the
// server advertised, when only the code is known. It returns nil when the
// code alone does not say what to do (the reason's steps are used then).
func codeActions(r Reply, ctx ExplainContext) []string {
	caps := ctx.Caps
	switch r.Code {
	case basicClosing:
		return []string{"Nothing to fix: the session is over. Reconnect to start another."}
	case basicInsufficientSpace:
		if strings.EqualFold(ctx.Command, VerbRCPT) {
			return []string{"Send to the remaining recipients in a new transaction."}
		}
	case basicTempAuthFailure:
		if strings.EqualFold(ctx.Command, VerbAUTH) {
			return []string{"Do not re-enter the password: wait and try again."}
		}
	case basicBadSequence:
		return []string{"Send commands in order: EHLO, STARTTLS and EHLO again, AUTH, MAIL FROM, RCPT TO, DATA. RSET starts a transaction over."}
	case basicAuthRequired:
		return authRequiredActions(caps, ctx.TLS)
	case basicMechTooWeak, basicEncryptForMech:
		return []string{"Use STARTTLS first, then a mechanism the server offers; some providers need an app password or OAuth2 token instead of the account password."}
	case basicMailboxNameBad, basicUserNotLocalFail:
		return []string{"Use an address the server accepts; for MAIL FROM that is usually the address you logged in with."}
	case basicExceededStorage:
		if n, ok := capsSize(caps); ok {
			return []string{fmt.Sprintf("Make the message smaller: the server advertised SIZE %d octets.", n)}
		}
		return []string{"Make the message smaller, or ask the recipient to free space."}
	}
	return nil
}

// authRequiredActions says whether STARTTLS or AUTH comes next.
func authRequiredActions(caps *Capabilities, tls bool) []string {
	if caps != nil && !tls && caps.Has("STARTTLS") {
		return []string{"The server offers STARTTLS: start TLS, send EHLO again, then AUTH."}
	}
	if caps != nil {
		if mechs := caps.AuthMechanisms(); len(mechs) > 0 {
			return []string{"Log in first: the server offers AUTH " + strings.Join(mechs, " ") + "."}
		}
	}
	return []string{"Log in with AUTH (after STARTTLS) before this command."}
}

// capsSize returns the advertised SIZE limit, if any.
func capsSize(caps *Capabilities) (int64, bool) {
	if caps == nil {
		return 0, false
	}
	n, ok := caps.Size()
	return n, ok && n > 0
}
