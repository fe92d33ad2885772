package protocol

import "strings"

// KeywordInfo explains one EHLO keyword for the capability table.
type KeywordInfo struct {
	Keyword string // upper-case, as servers advertise it
	Name    string // short title: "Command pipelining"
	Meaning string // what it lets a client do, in plain words
	RFC     string // where it is defined: "RFC 2920"; "" for vendor extensions without one
}

// capabilityInfo holds an explanation for every keyword a user is likely
// to meet in an EHLO reply, standard and vendor.
var capabilityInfo = map[string]KeywordInfo{
	"PIPELINING": {Name: "Command pipelining", RFC: "RFC 2920",
		Meaning: "The client may send several commands (MAIL, RCPT, RSET, …) without waiting for each reply, saving round trips; replies still come back one per command, in order."},
	"SIZE": {Name: "Message size declaration", RFC: "RFC 1870",
		Meaning: "The number is the largest message, in octets, the server accepts (0 or none: no fixed limit). A client may declare its size with MAIL FROM:<…> SIZE=n and be refused at once instead of after uploading."},
	"8BITMIME": {Name: "8-bit MIME transport", RFC: "RFC 6152",
		Meaning: "Message text may contain octets above 127 (accented or non-Latin text without quoted-printable) when MAIL FROM carries BODY=8BITMIME. Lines still end with CRLF and stay under 1000 octets."},
	"BINARYMIME": {Name: "Binary MIME", RFC: "RFC 3030",
		Meaning: "Messages may contain arbitrary binary data (BODY=BINARYMIME), without line-length limits; such messages must be sent with BDAT, which needs CHUNKING too."},
	"PIPECONNECT": {Name: "Early pipelining (Exim)", RFC: "",
		Meaning: "Exim's early pipelining: a client that saw this on an earlier connection may send EHLO (and more) right after connecting, before the 220 greeting arrives, saving a round trip. The server must have advertised it to this client before; otherwise sending early is an early-talker violation that many servers punish."},
	"CHUNKING": {Name: "Chunked message data (BDAT)", RFC: "RFC 3030",
		Meaning: "The message may be sent in chunks with BDAT <octets> [LAST] instead of DATA: no dot-stuffing and no end marker, since each chunk's size is declared up front."},
	"DSN": {Name: "Delivery status notifications", RFC: "RFC 3461",
		Meaning: "The client may ask for delivery reports: NOTIFY=SUCCESS,FAILURE,DELAY and ORCPT on RCPT, RET=FULL|HDRS and ENVID on MAIL."},
	"SMTPUTF8": {Name: "Internationalized email", RFC: "RFC 6531",
		Meaning: "Addresses and headers may be in UTF-8 (用户@例子.广告) when MAIL FROM carries the SMTPUTF8 parameter."},
	"STARTTLS": {Name: "Upgrade to TLS", RFC: "RFC 3207",
		Meaning: "The client may turn this plain connection into an encrypted one with STARTTLS. Afterwards both sides forget what they knew, and the client must send EHLO again; the list often changes (AUTH appears)."},
	"AUTH": {Name: "Authentication (SMTP AUTH)", RFC: "RFC 4954",
		Meaning: "The client may log in with one of the listed SASL mechanisms (PLAIN, LOGIN, XOAUTH2, …). Submission servers usually require it before they relay mail."},
	"ENHANCEDSTATUSCODES": {Name: "Enhanced status codes", RFC: "RFC 2034",
		Meaning: "Replies carry a detailed code such as 5.7.8 after the three-digit code, saying more precisely what went wrong (RFC 3463)."},
	"REQUIRETLS": {Name: "Require TLS for onward delivery", RFC: "RFC 8689",
		Meaning: "A message sent with MAIL FROM:<…> REQUIRETLS must only travel over verified TLS on every hop, or bounce instead. Only usable inside TLS."},
	"LIMITS": {Name: "Advertised limits", RFC: "RFC 9422",
		Meaning: "The server states its limits up front: RCPTMAX (recipients per message), MAILMAX (messages per connection), RCPTDOMAINMAX (recipient domains per message)."},
	"MT-PRIORITY": {Name: "Message transfer priority", RFC: "RFC 6710",
		Meaning: "The client may give a message a priority from -9 to 9 with MT-PRIORITY=n on MAIL; the parameter names the policy the server applies."},
	"DELIVERBY": {Name: "Deliver by", RFC: "RFC 2852",
		Meaning: "The client may ask for delivery within a time, with what to do if it is late: BY=seconds;R (return it) or ;N (notify). The number is the shortest time the server accepts."},
	"FUTURERELEASE": {Name: "Future message release", RFC: "RFC 4865",
		Meaning: "The client may ask the server to hold a message and deliver it later: HOLDFOR=seconds or HOLDUNTIL=date-time on MAIL. The numbers are the longest hold allowed."},
	"RRVS": {Name: "Require recipient valid since", RFC: "RFC 7293",
		Meaning: "The client may say RRVS=date-time on RCPT: deliver only if the mailbox has belonged to the same person since then, so mail does not reach a recycled address."},
	"ETRN": {Name: "Remote queue start", RFC: "RFC 1985",
		Meaning: "A client may ask the server to start delivering mail queued for a domain (ETRN example.com), for sites that connect only now and then."},
	"ATRN": {Name: "Authenticated TURN", RFC: "RFC 2645",
		Meaning: "An authenticated client may reverse the connection's roles and receive the mail queued for its domains (On-Demand Mail Relay)."},
	"VRFY": {Name: "Verify address", RFC: "RFC 5321 3.5",
		Meaning: "VRFY asks whether a mailbox exists. Most servers answer 252 (cannot verify, will try) to avoid helping spammers harvest addresses."},
	"EXPN": {Name: "Expand mailing list", RFC: "RFC 5321 3.5",
		Meaning: "EXPN asks for the members of a mailing list. Almost always disabled on public servers."},
	"HELP": {Name: "Help", RFC: "RFC 5321 4.1.1.8",
		Meaning: "HELP returns server-specific help text, sometimes a list of the commands it knows."},
	"PRDR": {Name: "Per-recipient data responses", RFC: "draft-hall-prdr",
		Meaning: "After the message data the server may accept it for some recipients and refuse it for others, each with its own reply, instead of one verdict for all."},
	"XCLIENT": {Name: "Client attribute override (Postfix)", RFC: "",
		Meaning: "A trusted proxy may tell the server the real client's address, name and login (XCLIENT ADDR=…). Only authorized hosts may use it."},
	"XFORWARD": {Name: "Forwarded client information (Postfix)", RFC: "",
		Meaning: "A trusted content filter may pass the original client's details (XFORWARD NAME=… ADDR=…) for logging. Only authorized hosts may use it."},
	"BURL": {Name: "Message from a URL", RFC: "RFC 4468",
		Meaning: "A client may send message parts by reference to an IMAP URL (BURL imap://…) instead of uploading them, mainly for mobile submission."},
	"NO-SOLICITING": {Name: "No soliciting", RFC: "RFC 3865",
		Meaning: "The server declares that it does not want solicitations; the parameters name the keywords a sender must put in a message's Solicitation header."},
	"UTF8SMTP": {Name: "Experimental internationalized email", RFC: "RFC 5336",
		Meaning: "The experimental forerunner of SMTPUTF8; modern clients should use SMTPUTF8."},
	"VERB": {Name: "Verbose mode (Sendmail)", RFC: "",
		Meaning: "Sendmail's debugging command: VERB makes it report delivery progress on the connection."},
	"ONEX": {Name: "One transaction (Sendmail)", RFC: "",
		Meaning: "Sendmail's ONEX command: the client promises only one message on this connection."},
	"XVERP": {Name: "Variable envelope return path (Postfix)", RFC: "",
		Meaning: "MAIL FROM may carry XVERP to have bounces come back with the recipient encoded in the sender address."},
	"X-EXPS": {Name: "Exchange authentication (Microsoft)", RFC: "",
		Meaning: "Exchange servers list Windows-integrated login mechanisms here (X-EXPS GSSAPI NTLM), used between Exchange servers and domain-joined clients."},
	"X-LINK2STATE": {Name: "Link state routing (Microsoft)", RFC: "",
		Meaning: "Exchange 2000/2003 routing-group information exchange between Exchange servers; nothing a client uses."},
	"XEXCH50": {Name: "Exchange properties (Microsoft)", RFC: "",
		Meaning: "Legacy Exchange command to pass message properties between Exchange servers; nothing a client uses."},
	"X-ANONYMOUSTLS": {Name: "Anonymous TLS (Microsoft)", RFC: "",
		Meaning: "Exchange servers use it to encrypt traffic between themselves without certificate checks; nothing a client uses."},
	"XRDST": {Name: "Redirect destination (Microsoft)", RFC: "",
		Meaning: "Exchange Online's internal extension for redirecting a connection between its front-end servers."},
	"XSHADOW": {Name: "Shadow redundancy (Microsoft)", RFC: "",
		Meaning: "Exchange keeps a shadow copy of a message until the next hop confirms delivery; used between Exchange servers."},
	"XOORG": {Name: "Originating organization (Microsoft)", RFC: "",
		Meaning: "Exchange passes the message's originating organization between its servers (XOORG=domain on MAIL)."},
	"CLIENTID": {Name: "Client identification", RFC: "draft-storey-smtp-client-id",
		Meaning: "The client may identify itself with a stable id, letting the server recognise a known device."},
}

// init fills in each entry's Keyword from its key, so the table names it once.
func init() {
	for k, v := range capabilityInfo {
		v.Keyword = k
		capabilityInfo[k] = v
	}
}

// CapabilityInfo explains an EHLO keyword (case-insensitive). ok is false
// for keywords smtpscope does not know; the UI still shows them as sent.
func CapabilityInfo(keyword string) (KeywordInfo, bool) {
	info, ok := capabilityInfo[strings.ToUpper(strings.TrimSpace(keyword))]
	return info, ok
}

// CapabilityKeywords returns every keyword [CapabilityInfo] knows, in no
// particular order.
func CapabilityKeywords() []string {
	out := make([]string, 0, len(capabilityInfo))
	for k := range capabilityInfo {
		out = append(out, k)
	}
	return out
}
