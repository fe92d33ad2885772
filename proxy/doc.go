// Package proxy sits between an application and its mail server and
// shows the application's own SMTP session, live, as the same typed
// events a [session.Session] emits.
//
// Each accepted connection gets its own connection to the upstream
// server. Commands and replies pass unchanged, in the groups they were
// sent in (RFC 2920 pipelining), and message content streams through in
// constant memory. The only changes are the ones TLS forces, and each is
// reported as an event:
//
//   - STARTTLS from the application is answered by smtpscope, which then
//     runs the TLS handshake with the application itself, with a
//     certificate from a CA made in memory at start ([localca]).
//   - The upstream leg is upgraded with STARTTLS on its own (per
//     [session.StartTLSPolicy]) right after the application's first EHLO,
//     which smtpscope repeats inside TLS (RFC 3207 4.2).
//   - The EHLO reply to the application advertises STARTTLS when smtpscope
//     can offer it on the application's leg and leaves it out when not.
//
// Every line is recorded with the leg it travelled ([Leg]): both (relayed
// unchanged), the application's only, or the upstream's only. AUTH
// exchanges are decoded (334 prompts) and every credential is redacted in
// events, transcripts and the log, including where a server echoes it.
// Mistakes the application makes (AUTH before STARTTLS, TLS spoken to the
// STARTTLS port, plain text to the TLS port, a short username, a From the
// account may not use, a mechanism not offered) become warning events
// that say what to change.
package proxy
