package protocol

import (
	"fmt"
	"regexp"
	"strings"
)

// providerMarkers are fragments a server writes about itself: software
// names in greetings, its own help URLs, private code formats and server
// ids. A provider's domain name alone is not a marker (a relay's reply
// may name the domain it could not reach, and a mailbox address names a
// recipient, not the server), and a marker right after '@' or '=' is
// part of an address or a log field, not the server's own words.
// Services come before the MTA software they may run on.
var providerMarkers = append(serviceMarkers, softwareMarkers...)

// providerMarker is one fragment and the provider it names.
type providerMarker struct {
	marker string
	id     string
}

// serviceMarkers are the services' markers (mailbox providers, sending
// services, gateways, hosting providers).
var serviceMarkers = []providerMarker{
	{"gsmtp", ProviderGmail},
	{"the email account that you tried to reach", ProviderGmail},
	{"gmail users", ProviderGmail},
	{"sent to gmail", ProviderGmail},
	{"gmail has detected", ProviderGmail},
	{"support.google.com", ProviderGmail},
	{"mail.google.com", ProviderGmail},
	{"accounts.google.com", ProviderGmail},
	{"google.com/mail", ProviderGmail},
	{"email account you tried to reach", ProviderGmail},
	{"please log in via your web browser", ProviderGmail},
	{"log in with your web browser", ProviderGmail},
	{"application-specific password required", ProviderGmail},
	{"username and password not accepted", ProviderGmail},
	{"google's", ProviderGmail},
	{"google’s", ProviderGmail},
	{"illegal attachment on your message", ProviderGmail},
	{"is receiving mail at a rate that prevents", ProviderGmail},
	{"try again later, closing connection", ProviderGmail},
	{"temporary system problem. try again later", ProviderGmail},
	{"mail server temporarily rejected message", ProviderGmail},
	{"your email has been blocked because the sender is unauthenticated", ProviderGmail},
	{"suspicious due to the very low reputation", ProviderGmail},
	{"authentication required. learn more at", ProviderGmail},
	// More of Gmail's documented reply texts (Gmail's SMTP error reference,
	// support.google.com/a/answer/3726730).
	{"authentication required. for more information, go to", ProviderGmail},
	{"the user you are trying to contact is receiving mail", ProviderGmail},
	{"this mail has been rate limited because", ProviderGmail},
	{"gmail requires all senders", ProviderGmail},
	{"dns type 'mx' lookup of", ProviderGmail}, // Gmail's bounce for a domain's DNS ("DNS Error: 80458680 DNS type 'mx' lookup of …")
	{"prod.outlook.com", ProviderMicrosoft},
	{"protection.outlook.com", ProviderMicrosoft},
	{"outlook.office365.com", ProviderMicrosoft},
	{"go.microsoft.com", ProviderMicrosoft},
	{"aka.ms/", ProviderMicrosoft},
	{"postmaster.live.com", ProviderMicrosoft},
	{"mail.live.com", ProviderMicrosoft},
	{"sender.office.com", ProviderMicrosoft},
	{"smtpclientauthentication", ProviderMicrosoft},
	{"submissionquotaexceeded", ProviderMicrosoft},
	{"[outlook.com]", ProviderMicrosoft},
	{"outlook.cn", ProviderMicrosoft},
	// Exchange Online's and Outlook.com's own hosts and fixed texts.
	{"prod.exchangelabs.com", ProviderMicrosoft},
	{"resource forest", ProviderMicrosoft},
	{"bad outbound sender", ProviderMicrosoft},
	{"weren't recognized as a valid sender", ProviderMicrosoft},
	{"weren’t recognized as a valid sender", ProviderMicrosoft},
	{"part of their network is on our block list", ProviderMicrosoft},
	{"microsoft esmtp mail service", ProviderExchange},
	{"client does not have permissions to send as this sender", ProviderExchange},
	{"storedrv.", ProviderExchange},
	{"transport.rules.", ProviderExchange},
	{"total session duration", ProviderExchange}, // SmtpReceive's timeout text
	{"sendasdenied", ProviderExchange},
	{"resolver.adr.", ProviderExchange},
	{"resolver.rst.", ProviderExchange},
	{"queue.expired", ProviderExchange},
	{"mapiexception", ProviderExchange},
	{"unable to relay", ProviderExchange},
	{"authentication unsuccessful", ProviderExchange},
	{"unrecognized authentication type", ProviderExchange},
	{"starttls is required to send mail", ProviderExchange},
	{"hop count exceeded - possible mail loop", ProviderExchange},
	{"message rejected as spam by content filtering", ProviderExchange},
	{"submission rate for this client", ProviderExchange},
	{"[tss0*", ProviderYahoo},
	{"[ts0*", ProviderYahoo},
	{"(#auth0*", ProviderYahoo},
	{"#mbr*", ProviderYahoo},
	{"delivery error: dd", ProviderYahoo},
	{"postmaster.yahooinc.com", ProviderYahoo},
	{"senders.yahooinc.com", ProviderYahoo},
	{"help.yahoo.com", ProviderYahoo},
	{"yahoo.com/kb", ProviderYahoo},
	{"yahoo requires all senders", ProviderYahoo},
	{"[bl2*", ProviderYahoo},
	{"[#4.16.", ProviderYahoo},                  // Yahoo's deferral codes: "[#4.16.1]"
	{"this user doesn't have a", ProviderYahoo}, // "This user doesn't have a yahoo.com account"
	// Yahoo's delivery-error template ("554 delivery error: Sorry, your
	// message to … cannot be delivered. This account is over quota.").
	{"delivery error: sorry, your message to", ProviderYahoo},
	{"support.apple.com", ProviderICloud},
	{"mail.icloud.com", ProviderICloud},
	{"icloud mail", ProviderICloud},
	{"[cs0*", ProviderICloud}, // Apple's bracketed codes: [CS01], [HM08]
	{"[hm0*", ProviderICloud},
	{"service.mail.qq.com", ProviderQQ},
	{"service.exmail.qq.com", ProviderQQ},
	{"exmail.qq.com", ProviderQQ},
	{"mail.qq.com", ProviderQQ},
	{"qq mail", ProviderQQ},
	{"please enter your authorization code", ProviderQQ},
	{"login fail. please enter your authorization", ProviderQQ},
	{"login fail.please enter your authorization", ProviderQQ},
	{"qq mail server", ProviderQQ},
	{"by qq mail", ProviderQQ},
	// QQ Mail's documented replies (service.mail.qq.com), and its own name
	// in the Chinese half of a reply ("超过QQ邮箱限制").
	{"qq邮箱", ProviderQQ},
	{"mail is rejected by recipients", ProviderQQ},
	{"dt:spm", ProviderNetEase},
	{"dt:rbl", ProviderNetEase},
	{"dt:sum", ProviderNetEase},
	{"hl:", ProviderNetEase}, // NetEase's private codes: HL:IFC, HL:ICC, HL:REP, …
	{"wm:bl", ProviderNetEase},
	{"mi:", ProviderNetEase},
	{"rp:", ProviderNetEase},
	{"mail.163.com", ProviderNetEase},
	{"help.163.com", ProviderNetEase},
	{"163.com/help", ProviderNetEase},
	{"126 smtp*", ProviderNetEase},
	{"163 smtp*", ProviderNetEase},
	{"too much fail authentication", ProviderNetEase},
	{"163com", ProviderNetEase},
	{"网易", ProviderNetEase},
	{"coremail", ProviderNetEase},
	{"zoho mail", ProviderZoho},
	{"zoho.com/mail", ProviderZoho},
	{"mx.zoho", ProviderZoho},
	{"relaying disallowed as", ProviderZoho},
	{"amazon ses", ProviderSES},
	{"authentication credentials invalid", ProviderSES},
	{"sendgrid.com", ProviderSendGrid},
	{"sendgrid.net", ProviderSendGrid},
	{"bad username / password", ProviderSendGrid},
	{"unauthenticated senders not allowed", ProviderSendGrid},
	{"sandbox subdomains", ProviderMailgun},
	{"mailgun.org", ProviderMailgun},
	{"mailgun.com", ProviderMailgun},
	{"mailgun.net", ProviderMailgun},
	{"mailgun is not loving", ProviderMailgun},
	{"yandex.ru/support", ProviderYandex},
	{"yandex.com/support", ProviderYandex},
	{"mx.yandex", ProviderYandex},
	{"help.yandex", ProviderYandex},
	{"ya.cc/", ProviderYandex},
	{"prove you are not a robot", ProviderYandex},
	{"阿里邮箱", ProviderAliyun},
	{"阿里郵箱", ProviderAliyun},
	{"qiye.aliyun.com", ProviderAliyun},
	{"mxhichina", ProviderAliyun},
	// Alibaba Mail's fixed texts and private codes (its help page of
	// SMTP errors).
	{"is achieved the maximum threshold", ProviderAliyun},
	{"authentication failure[*", ProviderAliyun},
	{"username or passwd is null", ProviderAliyun},
	{"cipher text is invalid base64", ProviderAliyun},
	{"doesn't conform with authentication", ProviderAliyun},
	{"reject by behaviour spam", ProviderAliyun},
	{"dosn't exist", ProviderAliyun},
	{"mailfrom account is a local account", ProviderAliyun},
	{"rcptto account isn", ProviderAliyun},
	{"is non-local account", ProviderAliyun},
	{"alimail", ProviderAliyun},
	{"发件人邮箱不是本系统账号", ProviderAliyun},
	{"收件人邮箱不可用", ProviderAliyun},
	{"发件人不允许发送邮件", ProviderAliyun},
	{"收件人不允许接收邮件", ProviderAliyun},
	{"cuda_nsu", ProviderBarracuda}, // the Barracuda appliance's own tag; "Barracuda Reputation" is a block list others query
	// Mimecast's fixed texts, documented on its help page (DOC-1369).
	{"mimecast.com", ProviderMimecast},
	{"mcspamsignature", ProviderMimecast},
	{"envelope blocked", ProviderMimecast},
	{"rejected by header based", ProviderMimecast},
	{"rejected by header-based", ProviderMimecast},
	{"sender invalid - envelope rejected", ProviderMimecast},
	{"local ct ip reputation", ProviderMimecast},
	{"pphosted.com", ProviderProofpoint},
	{"ipcheck.proofpoint.com", ProviderProofpoint},
	{"support.proofpoint.com", ProviderProofpoint},
	{"prs.proofpoint.com", ProviderProofpoint}, // its reputation service, queried by its own gateways
	{"iphmx.com", ProviderIronPort},
	{"#5.1.0 address rejected", ProviderIronPort},
	{"messagelabs.com", ProviderSymantec},
	{"symanteccloud.com", ProviderSymantec},
	{"knowledge.broadcom.com", ProviderSymantec}, // Symantec's help pages since Broadcom
	{"connection rejected by policy [7.7]", ProviderSymantec},
	{"secureserver.net", ProviderGoDaddy},
	{"ibsmtp", ProviderGoDaddy},
	{"a problem occurred. (ask your postmaster", ProviderTOnline},
	{"rx.t-online.de", ProviderTOnline},
	{"protonmail.ch", ProviderProtonMail},
	{"available in bridge", ProviderProtonMail},
	{"improvmx.com", ProviderImprovMX},
	{"(#id-5.9.", ProviderImprovMX},
	{"help.mail.ru", ProviderMailRu},
	{"message was not accepted -- invalid mailbox", ProviderMailRu},
	{"due to the sending mta's poor reputation", ProviderIronPort},
	{"due to the sending mta’s poor reputation", ProviderIronPort},
	{"recipient not in route list", ProviderHMailServer},
	{"throttling failure", ProviderSES},
	{"ses.amazonaws.com", ProviderSES},
	{"your aws account", ProviderSES},
	// SES's IAM refusal names its actions and resources; its suppression
	// list refusal is its documented "Address blacklisted".
	{"ses:sendrawemail", ProviderSES},
	{"ses:sendemail", ProviderSES},
	{"arn:aws:ses:", ProviderSES},
	{"message rejected: address blacklisted", ProviderSES},
	{"email address is not verified", ProviderSES},
	{"identities failed the check in region", ProviderSES},
	{"maximum credits exceeded", ProviderSendGrid},
	{"authorization grant is invalid", ProviderSendGrid},
	{"verified sender identity", ProviderSendGrid},
	{"not one of your addresses", ProviderICloud},
	{"to continue sending messages, please sign in", ProviderMicrosoft},
	{"client was not authenticated", ProviderExchange},
	{"not owned by auth user", ProviderYandex},
	{"gmx.net", ProviderGMX},
	{"web.de", ProviderGMX},
	// Services that say their own name, help URL or host in replies.
	{"postmaster.comcast.net", ProviderComcast},
	{"comcast block for", ProviderComcast},
	{"comcast requires", ProviderComcast},
	{"bl00000*", ProviderComcast}, // Comcast's private codes: BL000000 (block list), RL000001 (rate)
	{"rl00000*", ProviderComcast},
	{"forwardemail.net", ProviderForwardEmail},
	{"forward-email txt record", ProviderForwardEmail},
	{"ionos.com/help", ProviderIONOS},
	{"kundenserver.de", ProviderIONOS},
	{"1and1.", ProviderIONOS},       // 1&1, IONOS's former name, in its hosts and postmaster pages
	{"your 1&1 ", ProviderIONOS},    // its notices' signature ("Your 1&1 Mail team")
	{"1&1 internet", ProviderIONOS}, // and its company name
	{"mail.ovh.net", ProviderOVH},
	{"spectrum.net/support", ProviderSpectrum},
	{"anonaddy.me", ProviderAnonAddy},
	{"by zerospam", ProviderZeroSpam},
	{"esmtp sophos", ProviderSophos},
	{"sophos email appliance", ProviderSophos},
	{"esmtp mailsac", ProviderMailsac},
	// Haraka's fixed texts (connection.js) and its plugin log fields.
	{"i cannot deliver mail for", ProviderHaraka},
	{"go ahead, make my day", ProviderHaraka}, // its 354 to DATA
	{"queuing declined or disabled", ProviderHaraka},
	{"retval=deny", ProviderHaraka},
	{"retval=denysoft", ProviderHaraka},
	{"haraka", ProviderHaraka},
	// Postal's banner and fixed texts (postalserver.io).
	{"esmtp postal/", ProviderPostal},
	{"invalid/unsupported command", ProviderPostal},
}

// exchangeOnlineServerID matches the server names Exchange Online puts in
// its replies and greetings ("MN2PR05CA0004", "BN3PR03CA0067",
// "PR2FRA01FT009"): an on-premises Exchange names its own host instead.
var exchangeOnlineServerID = regexp.MustCompile(`\b[A-Z]{2,4}\d[A-Z0-9]{1,6}(?:CA|MB|FT|HT|EX)\d{3,5}\b`)

// exchangeOnlineAttr is the attribution tag Exchange Online appends to
// its deferrals ("450 4.7.1 Unable to Relay. ATTR14", "(ATTR18)").
var exchangeOnlineAttr = regexp.MustCompile(`\bATTR\d{1,3}\b`)

// providerFamilies are providers whose replies share wording: a marker of
// the more specific member refines the other ("Microsoft ESMTP MAIL
// Service" is Exchange; a 5.7.139 or an Exchange Online server id in a
// reply shows it is Exchange Online).
var providerFamilies = map[string]string{
	ProviderExchange: ProviderMicrosoft,
}

// markerCues turns the markers into matcher cues.
func markerCues() []cue {
	out := make([]cue, len(providerMarkers))
	for i, m := range providerMarkers {
		out[i] = cue{phrase: m.marker, marks: m.id, rank: i}
	}
	return out
}

// providerFinding is a provider and where it was found.
type providerFinding struct {
	provider Provider
	where    string // for the "Read as" line: "the host name smtp.gmail.com", "the reply ('gsmtp')"
}

// providerFromMarkers returns the first provider whose marker is among the
// hits of text.
//
// When several providers' markers appear, the one listed first in
// providerMarkers wins: a service's marker over the MTA software it runs
// on (Exchange Online's MX writes Postfix-like "Recipient address
// rejected:").
func providerFromMarkers(text string, hits []phraseHit) (Provider, string, bool) {
	if p, m, ok := providerFromCodeFormat(text); ok {
		return p, m, true
	}
	best := -1
	for i, h := range hits {
		c := &allCues[h.payload]
		if c.marks == "" || inAddress(text, h.start) || !writtenAsTemplate(text[h.start:h.end]) {
			continue
		}
		if best < 0 || c.rank < allCues[hits[best].payload].rank {
			best = i
		}
	}
	if best >= 0 {
		h := hits[best]
		p, _ := ProviderByID(allCues[h.payload].marks)
		return p, text[h.start:h.end], true
	}
	if m := exchangeOnlineServerID.FindString(text); m != "" {
		p, _ := ProviderByID(ProviderMicrosoft)
		return p, m, true
	}
	if m := exchangeOnlineAttr.FindString(text); m != "" {
		p, _ := ProviderByID(ProviderMicrosoft)
		return p, m, true
	}
	if strings.Contains(text, "(#") {
		if m := qmailCodeFormat.FindString(text); m != "" {
			p, _ := ProviderByID(ProviderQmail)
			return p, m, true
		}
	}
	if strings.Contains(text, "... ") {
		if m := sendmailAddrFormat.FindString(text); m != "" {
			p, _ := ProviderByID(ProviderSendmail)
			return p, strings.TrimSpace(m), true
		}
	}
	return Provider{}, "", false
}

// detectSender names the provider that sent a reply: the host it came
// from, then the greeting, then the reply's own markers. A marker of a
// family's specific member (Exchange Online) refines a generic finding
// (Exchange); markers never override a host name.
func detectSender(host, greeting, reply string, replyHits []phraseHit) providerFinding {
	var found providerFinding
	if p, ok := providerFromHost(host); ok {
		return providerFinding{p, "the host name " + Sanitize(hostOnly(host))}
	}
	if greeting != "" {
		first, _, _ := strings.Cut(strings.TrimSpace(greeting), " ")
		if p, ok := providerFromHost(first); ok {
			return providerFinding{p, fmt.Sprintf("the greeting's host name %s", Sanitize(first))}
		}
		if p, m, ok := providerFromMarkers(greeting, matcher.find(foldText(greeting))); ok {
			found = providerFinding{p, fmt.Sprintf("the greeting ('%s')", Sanitize(m))}
		}
	}
	if p, m, ok := providerFromMarkers(reply, replyHits); ok {
		switch {
		case found.provider.ID == "":
			found = providerFinding{p, fmt.Sprintf("the reply ('%s')", Sanitize(m))}
		case providerFamilies[found.provider.ID] == p.ID:
			found = providerFinding{p, fmt.Sprintf("%s and the reply ('%s')", found.where, Sanitize(m))}
		}
	}
	return found
}

// hostOnly strips a port from host.
func hostOnly(host string) string {
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.Contains(host, "]") && strings.Count(host, ":") == 1 {
		return h
	}
	return host
}
