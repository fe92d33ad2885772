package protocol

import (
	"fmt"
	"strings"
)

// genericCauseTable gives the usual reasons for a basic code when no
// provider or known text says more.
var genericCauseTable = map[int][]string{
	basicNotAvailable:      {"The server is overloaded, restarting or shutting down.", "The server refuses your IP or rate for now (reputation, too many connections)."},
	basicMailboxBusy:       {"The mailbox is temporarily unavailable, or the server greylists first attempts.", "A temporary policy (rate limit, reputation) deferred the request."},
	basicLocalError:        {"A temporary problem on the server (a lookup failed, a backend is down), or a deliberate deferral."},
	basicInsufficientSpace: {"The server is short of storage, or the number of recipients in this transaction reached its limit (RFC 5321 4.5.3.1.10)."},
	basicTempAuthFailure:   {"The authentication backend (or TLS) is temporarily unavailable, or logins are being rate-limited."},
	basicUnrecognized:      {"A misspelled command, a command this server does not know, or a line over 512 octets."},
	basicSyntaxParams:      {"A missing or malformed argument (MAIL FROM: <a@b> with a space, a path without <>), or arguments given to a command that takes none."},
	basicNotImplemented:    {"The server does not support this command (VRFY and EXPN are often switched off)."},
	basicBadSequence:       {"The command came out of order: RCPT before MAIL, DATA before a RCPT was accepted, MAIL before EHLO, or AUTH when already logged in."},
	basicParamNotImpl:      {"The parameter or AUTH mechanism is not supported here."},
	basicAuthRequired:      {"The server only accepts this command from a logged-in client, or only over TLS."},
	basicMechTooWeak:       {"The server refuses this mechanism, or requires a different kind of credential (an app password or OAuth2)."},
	basicAuthFailed:        {"A wrong username or password.", "The username must be the full address on many servers.", "The provider refuses account passwords for SMTP and wants an app password, authorization code or OAuth2 token."},
	basicEncryptForMech:    {"The mechanism sends the password in a way that needs TLS."},
	basicMailboxUnavail:    {"The address does not exist here.", "A policy refused it: relay denied, block list, sender authentication (SPF/DKIM/DMARC) or permissions."},
	basicUserNotLocalFail:  {"The server does not handle this recipient and will not forward it."},
	basicExceededStorage:   {"The message is larger than the server or mailbox allows, or the mailbox is full."},
	basicMailboxNameBad:    {"The address is malformed, or the server does not let you use it (for example MAIL FROM differs from the logged-in user)."},
	basicTransactionFailed: {"A policy refused the transaction (content, reputation), or no recipient was accepted before DATA.", "As a greeting: the server refuses to talk to your IP."},
	basicParamsNotRecog:    {"A MAIL or RCPT parameter the server does not support (check its EHLO list)."},
}

// genericCauses returns the usual reasons for the reply's basic code.
func genericCauses(r Reply, ctx ExplainContext) []string {
	// The enhanced code's meaning is already the summary.
	out := append([]string(nil), genericCauseTable[r.Code]...)
	if r.Code == basicBadSequence && ctx.Command == VerbRCPT {
		out = []string{"RCPT came before an accepted MAIL FROM."}
	}
	return out
}

// genericActions gives next steps from the code, the command and what the
// server advertised.
func genericActions(r Reply, ctx ExplainContext) []string {
	caps := ctx.Caps
	switch r.Code {
	case basicNotAvailable:
		return []string{"Reconnect later; if it keeps happening, check your IP's reputation and how fast you send."}
	case basicInsufficientSpace:
		if strings.EqualFold(ctx.Command, VerbRCPT) {
			return []string{"Send to the remaining recipients in a new transaction."}
		}
	case basicTempAuthFailure:
		if strings.EqualFold(ctx.Command, VerbAUTH) {
			return []string{"Do not re-enter the password: wait and try again."}
		}
	case basicUnrecognized, basicNotImplemented, basicSyntaxParams, basicParamNotImpl, basicParamsNotRecog:
		return []string{"Check the command's spelling and arguments, and what the server's EHLO reply advertises."}
	case basicBadSequence:
		return []string{"Send commands in order: EHLO, STARTTLS and EHLO again, AUTH, MAIL FROM, RCPT TO, DATA. RSET starts a transaction over."}
	case basicAuthRequired:
		return authRequiredActions(caps, ctx.TLS)
	case basicMechTooWeak, basicEncryptForMech:
		return []string{"Use STARTTLS first, then a mechanism the server offers; some providers need an app password or OAuth2 token instead of the account password."}
	case basicAuthFailed:
		return []string{"Check the username (often the full address) and the password; many providers require an app password or OAuth2 for SMTP."}
	case basicMailboxUnavail:
		if r.Enhanced.Subject == 7 {
			return []string{"Read the reply text for the policy that refused you, and fix that (login, sender address, SPF/DKIM/DMARC, IP reputation)."}
		}
		return []string{"Check the address for typos; if it is right, read the reply text for the policy that refused it."}
	case basicMailboxNameBad, basicUserNotLocalFail:
		return []string{"Use an address the server accepts; for MAIL FROM that is usually the address you logged in with."}
	case basicExceededStorage:
		if n, ok := capsSize(caps); ok {
			return []string{fmt.Sprintf("Make the message smaller: the server advertised SIZE %d octets.", n)}
		}
		return []string{"Make the message smaller, or ask the recipient to free space."}
	case basicTransactionFailed:
		return []string{"Read the reply text for the reason; as a greeting, this server will not take mail from your IP."}
	}
	switch r.Class() {
	case ClassSuccess:
		return []string{"Nothing to fix: carry on with the next command."}
	case ClassIntermediate:
		return []string{"Send what the server asks for next."}
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
