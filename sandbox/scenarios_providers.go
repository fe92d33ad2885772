package sandbox

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/smtpscope/smtpscope/protocol"
)

// The provider scenarios send the replies real providers send, word for
// word (see /work/shared/reference/provider_replies.tsv), with the
// sandbox's own host name and session ids in place of theirs.

// gsmtpID imitates the session id Gmail appends to its replies.
func gsmtpID(v View) string {
	return fmt.Sprintf("s%dsm%07dsbx.%d - gsmtp", v.Conn, v.Conn*7919%10000000, v.Transactions+1)
}

// gmailScenario imitates smtp.gmail.com on port 587.
func gmailScenario() *Scenario {
	return &Scenario{
		Name: "gmail",
		Description: "smtp.gmail.com: 530 5.7.0 before STARTTLS, 530 without AUTH, 534 5.7.9 for the account password " +
			"(an app password is needed), 535 5.7.8 for wrong credentials, all with Gmail's texts",
		Banner:       func(v View) string { return v.Hostname + " ESMTP " + gsmtpID(v) },
		EHLOGreeting: func(v View) string { return v.Hostname + " at your service, [" + v.RemoteIP() + "]" },
		Extensions:   []string{extSize, ext8BitMIME, extEnhancedStatusCodes, extPipelining, extChunking, extSMTPUTF8},
		Mechanisms:   []string{MechLogin, MechPlain, MechXOAuth2},
		Credentials: []Credential{
			{Mechanisms: []string{MechLogin, MechPlain}, Username: DemoAddress, Secret: DemoPassword,
				Note: "plays the app password: accepted (235 2.7.0)"},
			{Mechanisms: []string{MechLogin, MechPlain}, Username: DemoAddress, Secret: DemoAccountPassword,
				Note: "plays the Google account password: 534 5.7.9 Application-specific password required"},
			{Mechanisms: []string{MechLogin, MechPlain}, Username: DemoAddress, Secret: "wrong-password",
				Note: "any other password: 535 5.7.8 Username and Password not accepted"},
			{Mechanisms: []string{MechXOAuth2}, Username: DemoAddress, Secret: DemoToken,
				Note: "an OAuth 2 access token: accepted"},
		},
		Hooks: func(Env) Hooks {
			return Hooks{
				Command: gmailCommand,
				Auth: func(v View, a AuthAttempt) *Reply {
					switch a.Verdict {
					case AuthAccepted:
						return reply(codeAuthOK, enhAuthOK, "Accepted")
					case AuthAccountPassword:
						return reply(534, "5.7.9", "Application-specific password required. Learn more at",
							" https://support.google.com/mail/?p=InvalidSecondFactor "+gsmtpID(v))
					}
					return reply(codeAuthInvalid, enhAuthInvalid, "Username and Password not accepted. Learn more at",
						" https://support.google.com/mail/?p=BadCredentials "+gsmtpID(v))
				},
				Data: func(v View, m *Message) *Reply {
					return reply(codeOK, enhOK, fmt.Sprintf("OK  %d %s", v.Now.Unix(), gsmtpID(v)))
				},
			}
		},
	}
}

// gmailCommand refuses AUTH and MAIL before TLS, and MAIL before AUTH.
func gmailCommand(v View, c protocol.Command) *Reply {
	if v.Helo == "" || (c.Verb != protocol.VerbAUTH && c.Verb != protocol.VerbMAIL) {
		return nil
	}
	switch {
	case !v.TLS:
		return reply(codeAuthRequired, "5.7.0", "Must issue a STARTTLS command first. "+gsmtpID(v))
	case c.Verb == protocol.VerbMAIL && v.User == "":
		return reply(codeAuthRequired, "5.7.0", "Authentication Required. Learn more at",
			" https://support.google.com/mail/?p=WantAuthError "+gsmtpID(v))
	}
	return nil
}

// outlookServerID imitates the front-end server name Microsoft appends in brackets.
func outlookServerID(v View) string {
	return fmt.Sprintf("[SBX%dPR01CA%04d.SANDBOX.PROD.OUTLOOK.TEST]", v.Conn%10, v.Conn%10000)
}

// microsoftScenario imitates smtp.office365.com with basic authentication
// disabled for the tenant: only OAuth (XOAUTH2) logs in.
func microsoftScenario() *Scenario {
	return &Scenario{
		Name: "microsoft",
		Description: "smtp.office365.com: 535 5.7.139 basic authentication disabled (XOAUTH2 works), 530 5.7.57 " +
			"without AUTH, 554 5.2.0 SendAsDenied for a From that is not yours",
		Banner: func(v View) string {
			return v.Hostname + " Microsoft ESMTP MAIL Service ready at " + v.Now.UTC().Format(time.RFC1123Z)
		},
		EHLOGreeting: func(v View) string { return v.Hostname + " Hello [" + v.RemoteIP() + "]" },
		Extensions:   []string{extSize, extPipelining, extDSN, extEnhancedStatusCodes, ext8BitMIME, extChunking, extSMTPUTF8},
		Mechanisms:   []string{MechLogin, MechXOAuth2},
		Credentials: []Credential{
			{Mechanisms: []string{MechLogin}, Username: DemoAddress, Secret: DemoPassword,
				Note: "the right password, but basic authentication is disabled: 535 5.7.139"},
			{Mechanisms: []string{MechLogin}, Username: DemoAddress, Secret: "wrong-password",
				Note: "a wrong password: 535 5.7.139 ... the user credentials were incorrect"},
			{Mechanisms: []string{MechXOAuth2}, Username: DemoAddress, Secret: DemoToken,
				Note: "OAuth 2 works; then a MAIL FROM other than " + DemoAddress + " ends in 554 5.2.0 SendAsDenied"},
		},
		Hooks: func(Env) Hooks {
			return Hooks{
				Command: func(v View, c protocol.Command) *Reply {
					switch {
					case v.Helo == "":
						return nil
					case c.Verb == protocol.VerbAUTH && !v.TLS:
						return reply(codeParamNotImpl, "5.7.4", "Unrecognized authentication type "+outlookServerID(v))
					case c.Verb == protocol.VerbMAIL && v.User == "":
						return reply(codeAuthRequired, "5.7.57",
							"Client not authenticated to send mail. "+outlookServerID(v))
					}
					return nil
				},
				Auth: func(v View, a AuthAttempt) *Reply {
					switch {
					case a.Token && a.Verdict == AuthAccepted:
						return reply(codeAuthOK, enhAuthOK, "Authentication successful")
					case a.Token:
						return reply(codeAuthInvalid, "5.7.3", "Authentication unsuccessful "+outlookServerID(v))
					case a.Verdict == AuthRejected:
						return reply(codeAuthInvalid, "5.7.139",
							"Authentication unsuccessful, the user credentials were incorrect. "+outlookServerID(v))
					}
					return reply(codeAuthInvalid, "5.7.139",
						"Authentication unsuccessful, basic authentication is disabled. "+outlookServerID(v))
				},
				Data: func(v View, m *Message) *Reply {
					if !strings.EqualFold(m.From, userAddress(v.User)) {
						return reply(codeTransactionFailed, "5.2.0",
							"STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; "+
								"Failed to process message due to a permanent exception with message Cannot submit message.")
					}
					return reply(codeOK, enhOK, "OK [Hostname="+strings.Trim(outlookServerID(v), "[]")+"]")
				},
			}
		},
	}
}

// userAddress is the mailbox of an authenticated user: the username when
// it is an address, else username@MailDomain.
func userAddress(user string) string {
	if strings.Contains(user, "@") {
		return user
	}
	return user + "@" + MailDomain
}

// QQ Mail's texts. QQ sends no enhanced status codes.
const (
	qqHelpURL        = "http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=28&&no=1001256"
	qqLoginFail      = "Login Fail. Please enter your authorization code to login. More information in " + qqHelpURL
	qqSenderMismatch = "Mail from address must be same as authorization user."
	qqNeedAuth       = "Error: need EHLO and AUTH first !"
	// qqUseAuthCode is "Error: please log in with the authorization code.
	// Details: …", which QQ sends GBK-encoded.
	qqUseAuthCode = "Error: 请使用授权码登录。详情请看: " + qqHelpURL
)

// qqUseAuthCodeGBK is qqUseAuthCode as the bytes QQ puts on the wire.
var qqUseAuthCodeGBK = mustGBK(qqUseAuthCode)

// mustGBK encodes s to GBK; s is a constant that GBK can represent.
func mustGBK(s string) string {
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		panic("sandbox: GBK encoding of a constant failed: " + err.Error())
	}
	return b
}

// qqScenario imitates smtp.qq.com: the authorization code (授权码)
// instead of the account password, GBK-encoded Chinese errors, and a
// sender that must match the login.
func qqScenario() *Scenario {
	return &Scenario{
		Name: "qq",
		Description: "smtp.qq.com: 535 Login Fail for the account password (it wants the authorization code), a GBK-encoded " +
			"Chinese 535 for other wrong passwords, 501 for a sender that is not the login; no enhanced codes",
		Banner:        func(v View) string { return v.Hostname + " XMail Esmtp QQ Mail Server." },
		EHLOGreeting:  func(v View) string { return v.Hostname },
		Extensions:    []string{extPipelining, extSize, ext8BitMIME},
		Mechanisms:    []string{MechLogin, MechPlain, MechXOAuth2},
		AuthBeforeTLS: true,
		Credentials: []Credential{
			{Mechanisms: []string{MechLogin, MechPlain}, Username: DemoAddress, Secret: DemoPassword,
				Note: "plays the authorization code (授权码): accepted"},
			{Mechanisms: []string{MechLogin, MechPlain}, Username: DemoAddress, Secret: DemoAccountPassword,
				Note: "plays the QQ account password: 535 Login Fail. Please enter your authorization code"},
			{Mechanisms: []string{MechLogin, MechPlain}, Username: DemoAddress, Secret: "wrong-password",
				Note: "any other password: 535 Error: 请使用授权码登录 sent GBK-encoded, as QQ does"},
			{Mechanisms: []string{MechXOAuth2}, Username: DemoAddress, Secret: DemoToken,
				Note: "an OAuth 2 access token: accepted"},
		},
		Hooks: func(Env) Hooks {
			return Hooks{
				Command: func(v View, c protocol.Command) *Reply {
					if c.Verb != protocol.VerbMAIL || v.Helo == "" || v.InMail {
						return nil
					}
					if v.User == "" {
						return reply(codeBadSequence, "", qqNeedAuth)
					}
					if !strings.EqualFold(c.Path, userAddress(v.User)) {
						return reply(codeSyntaxArgs, "", qqSenderMismatch)
					}
					return nil
				},
				Auth: func(v View, a AuthAttempt) *Reply {
					switch a.Verdict {
					case AuthAccepted:
						return reply(codeAuthOK, "", "Authentication successful")
					case AuthAccountPassword:
						return reply(codeAuthInvalid, "", qqLoginFail)
					}
					return reply(codeAuthInvalid, "", qqUseAuthCodeGBK)
				},
				Data: func(View, *Message) *Reply { return reply(codeOK, "", "OK: queued as.") },
			}
		},
	}
}
