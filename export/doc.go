// Package export turns an smtpscope session into code that does the same
// thing outside smtpscope: a swaks or curl command, a Python smtplib
// script, nodemailer transport options with sendMail, or Go net/smtp code.
// It also writes the share-safe Markdown report of a session.
//
// The input is a [Session]: where the session went, how it protected the
// connection, the EHLO name, the AUTH mechanism and username, the envelope
// and the message. [FromLines] rebuilds one from a transcript (live, or
// read back with session.ReadJSONL); [Generate] writes the code.
//
// Secrets are never written: the code reads the password or token from an
// environment variable whose name the [Result] lists. Certificate
// verification stays on in every export; a CA file for a private server
// comes from another environment variable.
package export
