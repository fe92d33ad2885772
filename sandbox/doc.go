// Package sandbox is smtpscope's built-in practice SMTP server.
//
// It listens on loopback, speaks ESMTP with STARTTLS (an in-memory
// certificate made at start), AUTH PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256
// and XOAUTH2 with demo credentials, keeps received mail (in memory up to
// Config.MaxStoredBytes, larger or older bodies in a private temporary
// directory removed by Close), and can imitate a provider's exact replies through a [Scenario]. Commands
// are parsed with [protocol.ParseCommand], so the sandbox and the client
// share one grammar.
//
// The sandbox never writes to stdout or stderr: what happens is reported
// through [Config.OnEvent], so that it can run under the TUI.
//
// # Adding a scenario
//
// A scenario is data plus small hooks; every hook may return nil to keep
// the default behaviour. Add it to the scenarios list in scenario.go:
//
//	&Scenario{
//		Name:        "busy",
//		Description: "421 to every MAIL FROM: the server is overloaded",
//		Hooks: func(env Env) Hooks {
//			return Hooks{Command: func(v View, c protocol.Command) *Reply {
//				if c.Verb != protocol.VerbMAIL {
//					return nil
//				}
//				return &Reply{Code: 421, Enhanced: "4.3.2", Lines: []string{"Try again later"}, Close: true}
//			}}
//		},
//	}
package sandbox
