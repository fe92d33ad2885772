package protocol

// softwareMarkers are the MTA software's markers: banners, log tags and
// the fixed reply texts of Postfix (src/smtpd/smtpd.c, smtpd_check.c),
// Exim, Sendmail and qmail. They come after the services' markers, since
// a service may run on one of them.
var softwareMarkers = []providerMarker{
	{"esmtp opensmtpd", ProviderOpenSMTPD},
	{"opensmtpd", ProviderOpenSMTPD},
	{"smtp-in: ", ProviderOpenSMTPD},
	{"network error on destination mxs", ProviderOpenSMTPD}, // mta.c, no MX answered
	{"esmtp postfix", ProviderPostfix},
	{"postfix/", ProviderPostfix}, // syslog tags: postfix/smtpd[123]
	{"postgrey", ProviderPostfix},
	{"relay access denied", ProviderPostfix},
	{"user unknown in local recipient table", ProviderPostfix},
	{"user unknown in virtual mailbox table", ProviderPostfix},
	{"user unknown in virtual alias table", ProviderPostfix},
	{"must declare smtputf8", ProviderPostfix},
	{"recipient address rejected:", ProviderPostfix},
	{"sender address rejected:", ProviderPostfix},
	{"client host rejected:", ProviderPostfix},
	{"helo command rejected:", ProviderPostfix},
	{"data command rejected:", ProviderPostfix},
	{"error: authentication failed:", ProviderPostfix},
	{"error: too many errors", ProviderPostfix},
	{"error: nested mail command", ProviderPostfix},
	{"error: need mail command", ProviderPostfix},
	{"error: need rcpt command", ProviderPostfix},
	{"error: message file too big", ProviderPostfix},
	{"error: command not recognized", ProviderPostfix},
	{"improper use of smtp command pipelining", ProviderPostfix},
	{"noqueue: reject:", ProviderPostfix},
	{"service unavailable; client host", ProviderPostfix},
	{"cannot find your hostname", ProviderPostfix},
	{"cannot find your reverse hostname", ProviderPostfix},
	{"need fully-qualified hostname", ProviderPostfix},
	{"need fully-qualified address", ProviderPostfix},
	{"message size exceeds fixed limit", ProviderPostfix},
	{"message size exceeds file system imposed limit", ProviderPostfix},
	{"tls not available due to local problem", ProviderPostfix},
	{"error: command not implemented", ProviderPostfix},
	{"error: authentication not enabled", ProviderPostfix},
	{"error: already authenticated", ProviderPostfix},
	{"error: send helo/ehlo first", ProviderPostfix},
	{"error: send auth command first", ProviderPostfix},
	{"error: queue file write error", ProviderPostfix},
	{"error: too many hops", ProviderPostfix},
	{"error: too many connections from", ProviderPostfix},
	{"error: too many recipients", ProviderPostfix},
	{"error: too much mail from", ProviderPostfix},
	{"error: timeout exceeded", ProviderPostfix},
	{"error: insufficient authorization", ProviderPostfix},
	{"error: no valid recipients", ProviderPostfix},
	{"error: mail transaction in progress", ProviderPostfix},
	{"error: smtp protocol synchronization", ProviderPostfix},
	{"error: tls already active", ProviderPostfix},
	{"error: bad syntax", ProviderPostfix},
	{"error: bare <lf> received", ProviderPostfix},
	{"unverified address:", ProviderPostfix},
	{"undeliverable address:", ProviderPostfix},
	{"unable to look up mail exchanger", ProviderPostfix},
	{"name service error", ProviderPostfix}, // smtp/smtp_addr.c: the MTA's own DNS lookup failed
	{"bad recipient address syntax", ProviderPostfix},
	{"connection lost to authentication server", ProviderPostfix}, // xsasl_dovecot_server.c
	{"temporary authentication failure:", ProviderPostfix},        // smtpd_sasl_glue.c: "454 4.7.0 Temporary authentication failure: %s"
	{"esmtp exim", ProviderExim},
	{"exim", ProviderExim},
	{"lowest numbered mx record points to local host", ProviderExim},
	// Exim's own failure text for message_size_limit (its bounce intro
	// is only a wrapper: LABELING.md, "A wrapper is not the replier").
	{"a message that you sent was longer than the maximum size", ProviderExim},
	{"restricted characters in address", ProviderExim}, // the default configuration's RCPT ACL
	{"incorrect authentication data", ProviderExim},
	{"relay not permitted", ProviderExim},
	{"please turn on smtp authentication", ProviderExim},
	{"callout verification failed", ProviderExim},
	{"sender verify failed", ProviderExim},
	{"administrative prohibition", ProviderExim},
	{"rejected after data", ProviderExim},
	{"authenticator failed for", ProviderExim},
	{"sender not yet given", ProviderExim},
	{"valid rcpt command must precede data", ProviderExim},
	{"auth command used when not advertised", ProviderExim},
	{"too many concurrent smtp connections", ProviderExim},
	{"temporary local problem - please try later", ProviderExim},
	{"syntactically invalid helo argument", ProviderExim},
	{"smtp protocol synchronization error", ProviderExim},
	{"smtp protocol error in", ProviderExim},
	{"verification failed for <", ProviderExim},
	{"junkmail rejected", ProviderExim},      // cPanel's Exim block-list ACL
	{"retry time not reached", ProviderExim}, // the queue runner's own deferral
	// cPanel's Exim outgoing limits, written by the sending server itself.
	{"has exceeded the max emails per hour", ProviderExim},
	{"max defers and failures per hour", ProviderExim},
	{"esmtp sendmail", ProviderSendmail},
	{">... ", ProviderSendmail}, // "<user@example.org>... User unknown"
	{"sendmail", ProviderSendmail},
	{"relaying denied. ip name lookup failed", ProviderSendmail},
	{"relaying denied. proper authentication required", ProviderSendmail},
	{"sm-mta[", ProviderSendmail},
	{"ruleset=check_", ProviderSendmail},
	{"ip name lookup failed", ProviderSendmail},
	{"insufficient disk space; try again later", ProviderSendmail},
	{"message is too large;", ProviderSendmail},
	{"too many hops", ProviderSendmail},
	{"headers too large (", ProviderSendmail},
	{"no mailbox here by that name", ProviderQmail},
	{"couldn't find any host named", ProviderQmail},
	{"couldnt find any host named", ProviderQmail},
	// qmail-remote.c: no MX and no A record for the recipient's domain.
	{"couldn't find a mail exchanger or ip address", ProviderQmail},
	{"wasn't able to establish an smtp connection", ProviderQmail},
	{"wasnt able to establish an smtp connection", ProviderQmail},
	{"couldnt find a mail exchanger or ip address", ProviderQmail},
	{"allowed rcpthosts", ProviderQmail}, // qmail-smtpd: "that domain isn't in my list of allowed rcpthosts"
	{"qmail", ProviderQmail},
	// qmail-smtpd's reports of qmail-queue's failures ("451 qq trouble in
	// home directory", "451 qq write error or disk full (#4.3.0)").
	{"qq trouble", ProviderQmail},
	{"qq write error", ProviderQmail},
	{"qq read error", ProviderQmail},
	{"qq temporary problem", ProviderQmail},
	{"qq internal bug", ProviderQmail},
	{"qq out of memory", ProviderQmail},
}

// queueTexts are an MTA's own words about its queue ("Message will be
// deleted from queue"): they name that software only when no reply is in
// the paste, since after a quoted reply they are the bounce's wrapper.
var queueTexts = []providerMarker{
	{"message will be deleted from queue", ProviderSendmail}, // queue.c
	{"will keep trying until message is", ProviderSendmail},
}
