package protocol

import (
	"fmt"
	"strings"
)

// EnhancedInfo describes one entry of the IANA "SMTP Enhanced Status Codes"
// registry (RFC 3463, RFC 5248), with a meaning written for people who
// meet the code in a failed session.
type EnhancedInfo struct {
	Code    string // the registry's form: "X.7.8" (any class), "X.7.XXX" (a subject), "5.XXX.XXX" (a class)
	Name    string // the IANA title, as registered
	Meaning string // what it means, in plain words
	Subject string // the subject in words: "security or policy"
	RFC     string // the defining document(s): "RFC 4954"
}

// enhancedPlaceholder is how the registry writes "any value" in a code.
const enhancedPlaceholder = "XXX"

// enhancedSubject is one subject row of the registry (X.n.XXX).
type enhancedSubject struct {
	words   string // short lower-case name used in sentences
	title   string // the IANA title
	meaning string
}

// enhancedSubjects are the RFC 3463 section 3 subjects (0-7).
var enhancedSubjects = [...]enhancedSubject{
	0: {"other or undefined", "Other or Undefined Status", "The server gave no more specific category for what happened."},
	1: {"addressing", "Addressing Status", "Something about the sender or recipient address: it does not exist, is malformed, or cannot be routed."},
	2: {"mailbox", "Mailbox Status", "The address is fine but the mailbox behind it has a problem: disabled, full, or the message is too large for it."},
	3: {"mail system", "Mail System Status", "The receiving mail system itself has a problem: full, not accepting mail, or misconfigured."},
	4: {"network and routing", "Network and Routing Status", "Delivery failed along the way: no answer, a bad connection, DNS trouble, congestion, or a routing loop."},
	5: {"mail delivery protocol", "Mail Delivery Protocol Status", "The SMTP conversation itself went wrong: an unknown command, bad syntax, or commands in the wrong order."},
	6: {"message content or media", "Message Content or Media Status", "The message content could not be handled: its format, encoding or character set."},
	7: {"security or policy", "Security or Policy Status", "A security or policy rule refused it: authentication, permissions, encryption, anti-spam or sender authentication checks."},
}

// enhancedClasses are the RFC 3463 section 3.1 classes.
var enhancedClasses = map[int]EnhancedInfo{
	2: {Code: "2.XXX.XXX", Name: "Success", RFC: "RFC 3463",
		Meaning: "The action succeeded; the rest of the code says more about what was done."},
	4: {Code: "4.XXX.XXX", Name: "Persistent Transient Failure", RFC: "RFC 3463",
		Meaning: "A temporary failure: the request was valid, and the same message may go through if sent again later."},
	5: {Code: "5.XXX.XXX", Name: "Permanent Failure", RFC: "RFC 3463",
		Meaning: "A permanent failure: sending the same message the same way again will fail again; something must change first."},
}

// enhancedDetail is one code row of the registry (X.s.d).
type enhancedDetail struct {
	name, meaning, rfc string
}

// enhancedKey identifies a registry row by subject and detail.
type enhancedKey struct{ subject, detail int }

// enhancedDetails is every X.s.d row of the IANA registry (2020 snapshot,
// testdata/enhanced_codes.tsv), with our own explanation.
var enhancedDetails = map[enhancedKey]enhancedDetail{
	{0, 0}: {"Other undefined Status", "Nothing more specific is known; read the text of the reply for the reason.", "RFC 3463"},

	{1, 0}:  {"Other address status", "Something is wrong with an address, without a more precise reason.", "RFC 3463"},
	{1, 1}:  {"Bad destination mailbox address", "The recipient's mailbox does not exist at this domain: the part before the @ is unknown here.", "RFC 3463"},
	{1, 2}:  {"Bad destination system address", "The recipient's domain is wrong or does not accept mail: the part after the @ cannot be reached.", "RFC 3463"},
	{1, 3}:  {"Bad destination mailbox address syntax", "The recipient address is not a valid address; check for typos, spaces and missing angle brackets.", "RFC 3463"},
	{1, 4}:  {"Destination mailbox address ambiguous", "The recipient address matches more than one mailbox here, so the server will not guess.", "RFC 3463"},
	{1, 5}:  {"Destination address valid", "The recipient address is good (a success detail, given on RCPT).", "RFC 3463"},
	{1, 6}:  {"Destination mailbox has moved, No forwarding address", "The recipient used to exist here but has moved, and no new address is known.", "RFC 3463"},
	{1, 7}:  {"Bad sender's mailbox address syntax", "The sender address (MAIL FROM) is not a valid address.", "RFC 3463"},
	{1, 8}:  {"Bad sender's system address", "The sender's domain does not exist or cannot receive replies (no MX or A record), so the server refuses it.", "RFC 3463"},
	{1, 9}:  {"Message relayed to non-compliant mailer", "The message was passed on to a system that may not send delivery notifications.", "RFC 3886"},
	{1, 10}: {"Recipient address has null MX", "The recipient's domain publishes a null MX: it declares that it accepts no mail at all.", "RFC 7505; RFC 7504"},

	{2, 0}: {"Other or undefined mailbox status", "The mailbox exists but something about it prevents delivery.", "RFC 3463"},
	{2, 1}: {"Mailbox disabled, not accepting messages", "The recipient's mailbox is disabled or suspended and takes no mail.", "RFC 3463"},
	{2, 2}: {"Mailbox full", "The recipient's mailbox is over its storage quota.", "RFC 3463"},
	{2, 3}: {"Message length exceeds administrative limit", "The message is larger than this mailbox or site allows.", "RFC 3463"},
	{2, 4}: {"Mailing list expansion problem", "The recipient is a mailing list that could not be expanded to its members.", "RFC 3463"},

	{3, 0}: {"Other or undefined mail system status", "The receiving mail system had a problem of its own.", "RFC 3463"},
	{3, 1}: {"Mail system full", "The receiving system has run out of storage.", "RFC 3463"},
	{3, 2}: {"System not accepting network messages", "The receiving system is not taking mail now (shutting down, or it never accepts mail).", "RFC 3463; RFC 7504"},
	{3, 3}: {"System not capable of selected features", "The message needs a feature this system does not have.", "RFC 3463"},
	{3, 4}: {"Message too big for system", "The message is larger than the whole system accepts.", "RFC 3463"},
	{3, 5}: {"System incorrectly configured", "The receiving system is misconfigured; only its administrators can fix this.", "RFC 3463"},
	{3, 6}: {"Requested priority was changed", "The message was accepted, but with a different priority than asked for.", "RFC 6710"},

	{4, 0}: {"Other or undefined network or routing status", "Something went wrong on the way to the destination.", "RFC 3463"},
	{4, 1}: {"No answer from host", "The next mail server did not answer the connection.", "RFC 3463"},
	{4, 2}: {"Bad connection", "The connection to the next mail server broke off.", "RFC 3463"},
	{4, 3}: {"Directory server failure", "A lookup service (DNS, LDAP, a directory) failed while routing the message.", "RFC 3463"},
	{4, 4}: {"Unable to route", "No route to the destination was found, often because the domain has no usable MX or A record.", "RFC 3463"},
	{4, 5}: {"Mail system congestion", "The mail system is overloaded or a sending quota or rate limit was reached.", "RFC 3463"},
	{4, 6}: {"Routing loop detected", "The message went round in a loop between servers and was stopped.", "RFC 3463"},
	{4, 7}: {"Delivery time expired", "The message waited in a queue too long and was given up.", "RFC 3463"},

	{5, 0}: {"Other or undefined protocol status", "The SMTP exchange failed for an unspecified protocol reason.", "RFC 3463"},
	{5, 1}: {"Invalid command", "The command is unknown or not allowed at this point of the session (for example RCPT before MAIL).", "RFC 3463"},
	{5, 2}: {"Syntax error", "The command was recognised but written wrongly, or its data could not be decoded.", "RFC 3463"},
	{5, 3}: {"Too many recipients", "The message has more recipients than the server takes in one transaction; send the rest in another.", "RFC 3463"},
	{5, 4}: {"Invalid command arguments", "The command's arguments or parameters are not valid or not supported here.", "RFC 3463"},
	{5, 5}: {"Wrong protocol version", "The two sides disagree on the protocol version.", "RFC 3463"},
	{5, 6}: {"Authentication Exchange line is too long", "A line of the AUTH exchange was longer than the server accepts.", "RFC 4954"},

	{6, 0}:  {"Other or undefined media error", "The content of the message could not be handled.", "RFC 3463"},
	{6, 1}:  {"Media not supported", "The message uses a content type or encoding the server does not support.", "RFC 3463"},
	{6, 2}:  {"Conversion required and prohibited", "The content would need converting, but the message forbids conversion.", "RFC 3463"},
	{6, 3}:  {"Conversion required but not supported", "The content would need converting, and this server cannot do it.", "RFC 3463"},
	{6, 4}:  {"Conversion with loss performed", "The content was converted and something was lost on the way (a success or warning detail).", "RFC 3463"},
	{6, 5}:  {"Conversion Failed", "Converting the content failed.", "RFC 3463"},
	{6, 6}:  {"Message content not available", "Content referenced from elsewhere (BURL) could not be fetched.", "RFC 4468"},
	{6, 7}:  {"Non-ASCII addresses not permitted for that sender/recipient", "An address contains non-ASCII characters, and this sender or recipient may not use them.", "RFC 6531"},
	{6, 8}:  {"UTF-8 string reply is required, but not permitted by the SMTP client", "The answer would need UTF-8, but the client did not say it can take UTF-8 (SMTPUTF8).", "RFC 6531"},
	{6, 9}:  {"UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected", "The message has UTF-8 headers and a recipient's server cannot take them.", "RFC 6531"},
	{6, 10}: {"(deprecated: duplicate of X.6.8)", "An old duplicate of X.6.8: a UTF-8 reply would be needed but the client did not allow it.", "RFC 6531"},

	{7, 0}:  {"Other or undefined security status", "A security or policy rule refused the request; the text usually says which (often: authenticate or start TLS first).", "RFC 3463"},
	{7, 1}:  {"Delivery not authorized, message refused", "The sender is not allowed to send this message here: a policy, block list, relay or permission rule said no.", "RFC 3463"},
	{7, 2}:  {"Mailing list expansion prohibited", "The sender is not allowed to send to this mailing list.", "RFC 3463"},
	{7, 3}:  {"Security conversion required but not possible", "The message would need a security conversion that cannot be done.", "RFC 3463"},
	{7, 4}:  {"Security features not supported", "The message asks for security features this server does not support.", "RFC 3463"},
	{7, 5}:  {"Cryptographic failure", "A cryptographic operation (decryption, signature check) failed.", "RFC 3463"},
	{7, 6}:  {"Cryptographic algorithm not supported", "The message uses a cryptographic algorithm the server does not support.", "RFC 3463"},
	{7, 7}:  {"Message integrity failure", "The message was changed or damaged; its integrity check failed.", "RFC 3463"},
	{7, 8}:  {"Authentication credentials invalid", "The username or password (or token) was not accepted.", "RFC 4954"},
	{7, 9}:  {"Authentication mechanism is too weak", "The server will not accept this login method; it wants a stronger one (or a provider-specific credential such as an app password).", "RFC 4954"},
	{7, 10}: {"Encryption Needed", "This needs an encrypted connection: start TLS first.", "RFC 5248"},
	{7, 11}: {"Encryption required for requested authentication mechanism", "This login method is only allowed over an encrypted connection: start TLS first.", "RFC 4954"},
	{7, 12}: {"A password transition is needed", "The account's password must be changed or migrated before this login method works.", "RFC 4954"},
	{7, 13}: {"User Account Disabled", "The account is disabled.", "RFC 5248"},
	{7, 14}: {"Trust relationship required", "The server needs a trust relationship with the client (or an interactive sign-in) that is missing.", "RFC 5248"},
	{7, 15}: {"Priority Level is too low", "The message's priority is too low to be accepted now.", "RFC 6710"},
	{7, 16}: {"Message is too big for the specified priority", "The message is too large for the priority it asked for.", "RFC 6710"},
	{7, 17}: {"Mailbox owner has changed", "The recipient mailbox has a new owner since the date the sender gave (RRVS).", "RFC 7293"},
	{7, 18}: {"Domain owner has changed", "The recipient domain has a new owner since the date the sender gave (RRVS).", "RFC 7293"},
	{7, 19}: {"RRVS test cannot be completed", "The server could not check whether the mailbox changed owner (RRVS).", "RFC 7293"},
	{7, 20}: {"No passing DKIM signature found", "The message has no DKIM signature that verifies.", "RFC 7372; RFC 6376"},
	{7, 21}: {"No acceptable DKIM signature found", "DKIM signatures verified, but none is acceptable to the receiver's policy.", "RFC 7372; RFC 6376"},
	{7, 22}: {"No valid author-matched DKIM signature found", "No valid DKIM signature belongs to the domain in the From: header.", "RFC 7372; RFC 6376"},
	{7, 23}: {"SPF validation failed", "The sending IP is not allowed by the SPF record of the sender's domain.", "RFC 7372; RFC 7208"},
	{7, 24}: {"SPF validation error", "The sender's SPF record could not be evaluated (DNS error or a broken record).", "RFC 7372; RFC 7208"},
	{7, 25}: {"Reverse DNS validation failed", "The sending IP has no reverse DNS (PTR) name, or that name does not point back to the IP.", "RFC 7372 Section 3.3"},
	{7, 26}: {"Multiple authentication checks failed", "Several sender authentication checks (SPF, DKIM, DMARC) failed together.", "RFC 7372"},
	{7, 27}: {"Sender address has null MX", "The sender's domain publishes a null MX, so it cannot receive replies and is refused as a sender.", "RFC 7505"},
	{7, 28}: {"Mail flood detected", "The receiver saw an unusual flood of mail from this source and is slowing or blocking it.", "draft-levine-mailbomb-header"},
	{7, 29}: {"ARC validation failure", "The message's ARC chain (authentication results kept across forwarders) did not validate.", "RFC 8617"},
	{7, 30}: {"REQUIRETLS support required", "The message demands REQUIRETLS, and the next hop cannot guarantee TLS all the way.", "RFC 8689"},
}

// SubjectName returns an enhanced code's subject in lower-case words, such
// as "security or policy" for 7, or "" for a subject outside the registry.
func SubjectName(subject int) string {
	if subject < 0 || subject >= len(enhancedSubjects) {
		return ""
	}
	return enhancedSubjects[subject].words
}

// LookupEnhanced returns the registry entry for c, matched on subject and
// detail (the registry lists codes as X.s.d, valid for any class). For a
// code the registry does not list, such as a provider's own 5.7.139, it
// returns false together with what is still known: the code, the subject
// and the subject's meaning.
func LookupEnhanced(c EnhancedCode) (EnhancedInfo, bool) {
	if c.IsZero() {
		return EnhancedInfo{}, false
	}
	code := fmt.Sprintf("X.%d.%d", c.Subject, c.Detail)
	d, ok := enhancedDetails[enhancedKey{c.Subject, c.Detail}]
	if !ok {
		info := EnhancedInfo{Code: code, Subject: SubjectName(c.Subject)}
		if c.Subject >= 0 && c.Subject < len(enhancedSubjects) {
			info.Meaning = enhancedSubjects[c.Subject].meaning
			info.RFC = "RFC 3463"
		}
		return info, false
	}
	return EnhancedInfo{Code: code, Name: d.name, Meaning: d.meaning, Subject: SubjectName(c.Subject), RFC: d.rfc}, true
}

// LookupEnhancedEntry returns a registry entry by the registry's own
// notation: "X.7.8" for a code, "X.7.XXX" for a subject, "5.XXX.XXX" for a
// class.
func LookupEnhancedEntry(code string) (EnhancedInfo, bool) {
	parts := strings.Split(code, ".")
	if len(parts) != 3 {
		return EnhancedInfo{}, false
	}
	if parts[1] == enhancedPlaceholder && parts[2] == enhancedPlaceholder {
		class, ok := smallNumber(parts[0])
		if !ok || len(parts[0]) != 1 {
			return EnhancedInfo{}, false
		}
		info, ok := enhancedClasses[class]
		return info, ok
	}
	if parts[0] != "X" {
		return EnhancedInfo{}, false
	}
	subject, ok := smallNumber(parts[1])
	if !ok || subject >= len(enhancedSubjects) {
		return EnhancedInfo{}, false
	}
	s := enhancedSubjects[subject]
	if parts[2] == enhancedPlaceholder {
		return EnhancedInfo{Code: code, Name: s.title, Meaning: s.meaning, Subject: s.words, RFC: "RFC 3463"}, true
	}
	detail, ok := smallNumber(parts[2])
	if !ok {
		return EnhancedInfo{}, false
	}
	return LookupEnhanced(EnhancedCode{Class: 5, Subject: subject, Detail: detail})
}

// smallNumber parses one to three decimal digits.
func smallNumber(s string) (int, bool) {
	if len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
