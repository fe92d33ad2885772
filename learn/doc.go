// Package learn is smtpscope's lesson track: lessons kept as data, one
// embedded catalog file per language (catalog/en.toml), and goals written
// in a small vocabulary of conditions on what happened in the live
// session — replies with their codes and the commands they answered, TLS
// handshakes, capability lists, AUTH exchanges — never on what was typed.
//
// A [Track] is a loaded catalog. A [Course] follows one learner through a
// track: the lesson being taken, the hints shown, the goal's steps reached
// so far, and the lessons completed, which a [Store] keeps between runs in
// the user's state directory. The course is fed the session's events
// ([Course.Observe]) through an [Observer] that pairs every reply with the
// command it answered, so that a condition can ask for "a 235 to an AUTH
// PLAIN answered by hand" or "a 354 to a DATA sent in one group with MAIL".
//
// The package knows no screen and opens no socket; the ui package draws a
// course and feeds it the events it already receives.
//
// # Goal conditions
//
// A lesson's goal is a tree. An inner node is a table holding one of
//
//	all      = [ … ]   every condition below, in any order
//	in_order = [ … ]   each condition after the one before it
//	any      = [ … ]   one of them
//
// and a leaf is a table holding exactly one of these event keys, with
// optional qualifiers:
//
//	reply = 250 | "5xx" | [534, 535]     a complete reply with that code or class
//	    to        = "EHLO" | ["MAIL", "end of data"] | "greeting"
//	    enhanced  = "5.7.9"             the enhanced code starts so
//	    tls       = true                the reply came inside TLS
//	    params    = ["SIZE", "BODY"]    the command answered carried these ESMTP parameters
//	    pipelined = true                it was sent while an earlier command was unanswered
//	    by_hand   = true                the user sent it (and every line of its AUTH exchange)
//	    mechanism = "PLAIN"             the AUTH exchange it ends used this mechanism
//	    prompt    = "username"          a 334 whose decoded challenge holds this text
//	    headers   = ["From", "Subject"] the message it answers had these header fields
//	    body      = true                the message had a blank line and a body after it
//	    dot_stuffed = true              a message line went out dot-stuffed ("..")
//	tls_handshake = true                a TLS handshake finished
//	    verified  = true                and the certificate was verified
//	capabilities = ["AUTH", "SIZE"]     the server's latest EHLO listed them all
//	    tls       = true                that EHLO was inside TLS
//
// Every condition may carry a label; the steps of a goal (the conditions
// directly under its root) must, since the screen lists them.
package learn
