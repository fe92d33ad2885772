package protocol

import (
	"net"
	"strings"
)

// Provider is a mail service or server software whose replies have a
// known meaning of their own. The zero value is "unknown".
type Provider struct {
	ID   string // stable identifier used in JSON output; "" when unknown
	Name string // for people: "Gmail / Google Workspace"
}

// Provider identifiers. They are stable: they appear in `smtpscope explain
// --json` output.
const (
	ProviderGmail     = "gmail"
	ProviderMicrosoft = "microsoft" // Microsoft 365, Exchange Online, Outlook.com
	ProviderYahoo     = "yahoo"     // Yahoo and AOL
	ProviderICloud    = "icloud"
	ProviderQQ        = "qq" // QQ Mail and Tencent Exmail
	ProviderNetEase   = "netease"
	ProviderZoho      = "zoho"
	ProviderSES       = "ses"
	ProviderSendGrid  = "sendgrid"
	ProviderMailgun   = "mailgun"
	ProviderYandex    = "yandex"
	ProviderPostfix   = "postfix"
	ProviderExim      = "exim"
	ProviderSendmail  = "sendmail"
	ProviderExchange  = "exchange" // Exchange Server on-premises
)

// providers lists every known provider, in the order shown to users.
var providers = []Provider{
	{ProviderGmail, "Gmail / Google Workspace"},
	{ProviderMicrosoft, "Microsoft 365 / Outlook.com"},
	{ProviderYahoo, "Yahoo / AOL"},
	{ProviderICloud, "iCloud Mail"},
	{ProviderQQ, "QQ Mail / Tencent Exmail"},
	{ProviderNetEase, "NetEase 163 / 126 / yeah.net"},
	{ProviderZoho, "Zoho Mail"},
	{ProviderSES, "Amazon SES"},
	{ProviderSendGrid, "SendGrid"},
	{ProviderMailgun, "Mailgun"},
	{ProviderYandex, "Yandex Mail"},
	{ProviderPostfix, "Postfix"},
	{ProviderExim, "Exim"},
	{ProviderSendmail, "Sendmail"},
	{ProviderExchange, "Microsoft Exchange (on-premises)"},
}

// Providers returns every provider smtpscope knows, in display order.
func Providers() []Provider { return append([]Provider(nil), providers...) }

// ProviderByID returns the provider with the given identifier.
func ProviderByID(id string) (Provider, bool) {
	for _, p := range providers {
		if p.ID == id {
			return p, true
		}
	}
	return Provider{}, false
}

// providerDomains maps a registered domain to a provider: a host matches
// when it is the domain or a name under it.
var providerDomains = []struct {
	domain string
	id     string
}{
	{"gmail.com", ProviderGmail}, // smtp.gmail.com, smtp-relay.gmail.com
	{"googlemail.com", ProviderGmail},
	{"google.com", ProviderGmail},      // aspmx.l.google.com, gmail-smtp-in.l.google.com
	{"outlook.com", ProviderMicrosoft}, // smtp-mail.outlook.com, *.mail.protection.outlook.com
	{"office365.com", ProviderMicrosoft},
	{"hotmail.com", ProviderMicrosoft},
	{"live.com", ProviderMicrosoft},
	{"yahoo.com", ProviderYahoo},
	{"yahoodns.net", ProviderYahoo}, // mta5.am0.yahoodns.net
	{"aol.com", ProviderYahoo},
	{"icloud.com", ProviderICloud},
	{"me.com", ProviderICloud}, // smtp.mail.me.com
	{"mac.com", ProviderICloud},
	{"qq.com", ProviderQQ}, // smtp.qq.com, smtp.exmail.qq.com, mx*.qq.com
	{"foxmail.com", ProviderQQ},
	{"163.com", ProviderNetEase},
	{"126.com", ProviderNetEase},
	{"yeah.net", ProviderNetEase},
	{"188.com", ProviderNetEase},
	{"netease.com", ProviderNetEase},
	{"zoho.com", ProviderZoho},
	{"zoho.eu", ProviderZoho},
	{"zoho.in", ProviderZoho},
	{"zoho.com.au", ProviderZoho},
	{"zohomail.com", ProviderZoho},
	{"amazonses.com", ProviderSES},
	{"sendgrid.net", ProviderSendGrid},
	{"mailgun.org", ProviderMailgun},
	{"mailgun.net", ProviderMailgun},
	{"yandex.ru", ProviderYandex},
	{"yandex.com", ProviderYandex},
	{"yandex.net", ProviderYandex},
	{"ya.ru", ProviderYandex},
}

// sesHostPrefixes are the Amazon SES endpoint names under amazonaws.com
// (email-smtp.us-east-1.amazonaws.com); other amazonaws.com hosts are
// ordinary EC2 machines, not SES.
var sesHostPrefixes = []string{"email-smtp.", "email-smtp-fips.", "inbound-smtp."}

// textMarkers identify a provider from greeting or reply text. They are
// stable fragments a provider sends every time (software names, help
// URLs, fixed phrases), checked in order: services before the MTA software
// they may run on. Matching is case-insensitive, after addresses such as
// <user@qq.com> are removed, since an address names a mailbox, not the
// server that wrote the reply.
var textMarkers = []struct {
	marker string
	id     string
}{
	{"gsmtp", ProviderGmail},
	{"support.google.com", ProviderGmail},
	{"mail.google.com", ProviderGmail},
	{"accounts.google.com", ProviderGmail},
	{"protection.outlook.com", ProviderMicrosoft},
	{"prod.outlook.com", ProviderMicrosoft},
	{"outlook.com", ProviderMicrosoft},
	{"office365.com", ProviderMicrosoft},
	{"postmaster.live.com", ProviderMicrosoft},
	{"mail.live.com", ProviderMicrosoft},
	{"STOREDRV.", ProviderMicrosoft},
	{"SendAsDenied", ProviderMicrosoft},
	{"RESOLVER.ADR.", ProviderMicrosoft},
	{"go.microsoft.com", ProviderMicrosoft},
	{"Microsoft ESMTP MAIL Service", ProviderExchange}, // with no Outlook.com marker above: an on-premises server
	{"Client does not have permissions to send as this sender", ProviderExchange},
	{"Client was not authenticated", ProviderExchange},
	{"yahoo", ProviderYahoo},
	{"[TSS0", ProviderYahoo},
	{"(#AUTH0", ProviderYahoo},
	{"icloud", ProviderICloud},
	{"support.apple.com", ProviderICloud},
	{"QQ Mail", ProviderQQ},
	{"mail.qq.com", ProviderQQ},
	{"qq.com", ProviderQQ},
	{"Coremail", ProviderNetEase},
	{"netease", ProviderNetEase},
	{"mail.163.com", ProviderNetEase},
	{"163.com", ProviderNetEase},
	{"126.com", ProviderNetEase},
	{"DT:SPM", ProviderNetEase},
	{"zoho", ProviderZoho},
	{"Amazon SES", ProviderSES},
	{"amazonses", ProviderSES},
	{"sendgrid", ProviderSendGrid},
	{"mailgun", ProviderMailgun},
	{"yandex", ProviderYandex},
	{"ESMTP Postfix", ProviderPostfix},
	{"postgrey", ProviderPostfix},
	{"Relay access denied", ProviderPostfix},
	{"User unknown in local recipient table", ProviderPostfix},
	{"Must declare SMTPUTF8", ProviderPostfix},
	{"Recipient address rejected:", ProviderPostfix},
	{"Sender address rejected:", ProviderPostfix},
	{"Error: authentication failed:", ProviderPostfix},
	{"Exim", ProviderExim},
	{"Incorrect authentication data", ProviderExim},
	{"relay not permitted", ProviderExim},
	{"Please turn on SMTP Authentication", ProviderExim},
	{"Sendmail", ProviderSendmail},
	{"Relaying denied", ProviderSendmail},
}

// lowerMarkers are the textMarkers, lower-cased once.
var lowerMarkers = func() []string {
	out := make([]string, len(textMarkers))
	for i, m := range textMarkers {
		out[i] = strings.ToLower(m.marker)
	}
	return out
}()

// DetectProvider names the provider behind a server, from its host name
// first (smtp.gmail.com, *.protection.outlook.com, smtp.qq.com, …) and
// then from greeting or reply text ("gsmtp", "Microsoft ESMTP MAIL
// Service", "Coremail", …). host may carry a port. It returns the zero
// Provider when neither says.
func DetectProvider(host, text string) Provider {
	if p, ok := providerFromHost(host); ok {
		return p
	}
	if p, ok := providerFromText(text); ok {
		return p
	}
	return Provider{}
}

// providerFromHost matches a host name against the providers' domains.
func providerFromHost(host string) (Provider, bool) {
	host = strings.TrimSpace(host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" || net.ParseIP(host) != nil {
		return Provider{}, false
	}
	if strings.HasSuffix(host, ".amazonaws.com") {
		for _, prefix := range sesHostPrefixes {
			if strings.HasPrefix(host, prefix) {
				return ProviderByID(ProviderSES)
			}
		}
		return Provider{}, false
	}
	for _, d := range providerDomains {
		if host == d.domain || strings.HasSuffix(host, "."+d.domain) {
			return ProviderByID(d.id)
		}
	}
	return Provider{}, false
}

// providerFromText looks for a provider's stable markers in text.
func providerFromText(text string) (Provider, bool) {
	if text == "" {
		return Provider{}, false
	}
	lower := strings.ToLower(withoutAddresses(text))
	for i, m := range textMarkers {
		if strings.Contains(lower, lowerMarkers[i]) {
			return ProviderByID(m.id)
		}
	}
	return Provider{}, false
}

// withoutAddresses removes every word that contains an '@' (mail
// addresses, with or without angle brackets).
func withoutAddresses(text string) string {
	if !strings.Contains(text, "@") {
		return text
	}
	fields := strings.Fields(text)
	kept := fields[:0]
	for _, f := range fields {
		if !strings.Contains(f, "@") {
			kept = append(kept, f)
		}
	}
	return strings.Join(kept, " ")
}
