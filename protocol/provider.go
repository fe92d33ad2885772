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
	ProviderExchange  = "exchange" // Exchange Server, when nothing shows it is Exchange Online
	ProviderAliyun    = "aliyun"   // Alibaba Mail (阿里邮箱, Aliyun enterprise mail)
	ProviderBarracuda = "barracuda"
	ProviderGMX       = "gmx" // GMX and WEB.DE (1&1 mail)
	ProviderOpenSMTPD = "opensmtpd"
	ProviderQmail     = "qmail"

	ProviderMimecast    = "mimecast"
	ProviderProofpoint  = "proofpoint"
	ProviderIronPort    = "ironport" // Cisco Secure Email (IronPort)
	ProviderSymantec    = "symantec" // Symantec / Broadcom Email Security.cloud (MessageLabs)
	ProviderRackspace   = "rackspace"
	ProviderGoDaddy     = "godaddy"
	ProviderOrange      = "orange"
	ProviderLaPoste     = "laposte"
	ProviderTOnline     = "tonline"
	ProviderProtonMail  = "protonmail"
	ProviderImprovMX    = "improvmx"
	ProviderMailRu      = "mailru"
	ProviderHMailServer = "hmailserver"

	ProviderComcast      = "comcast" // Comcast / Xfinity
	ProviderForwardEmail = "forwardemail"
	ProviderIONOS        = "ionos" // IONOS (1&1 hosting; kundenserver.de)
	ProviderOVH          = "ovh"
	ProviderKDDI         = "kddi" // KDDI au (ezweb.ne.jp)
	ProviderSpectrum     = "spectrum"
	ProviderAnonAddy     = "anonaddy"
	ProviderZeroSpam     = "zerospam"
	ProviderSophos       = "sophos" // Sophos Email Appliance
	ProviderHaraka       = "haraka"
	ProviderPostal       = "postal"
	ProviderMailsac      = "mailsac"
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
	{ProviderExchange, "Microsoft Exchange"},
	{ProviderAliyun, "Alibaba Mail (阿里邮箱)"},
	{ProviderBarracuda, "Barracuda Email Security"},
	{ProviderGMX, "GMX / WEB.DE"},
	{ProviderOpenSMTPD, "OpenSMTPD"},
	{ProviderQmail, "qmail"},
	{ProviderMimecast, "Mimecast"},
	{ProviderProofpoint, "Proofpoint"},
	{ProviderIronPort, "Cisco Secure Email (IronPort)"},
	{ProviderSymantec, "Symantec Email Security.cloud"},
	{ProviderRackspace, "Rackspace Email"},
	{ProviderGoDaddy, "GoDaddy Email"},
	{ProviderOrange, "Orange"},
	{ProviderLaPoste, "La Poste"},
	{ProviderTOnline, "T-Online"},
	{ProviderProtonMail, "Proton Mail"},
	{ProviderImprovMX, "ImprovMX"},
	{ProviderMailRu, "Mail.ru"},
	{ProviderHMailServer, "hMailServer"},
	{ProviderComcast, "Comcast / Xfinity"},
	{ProviderForwardEmail, "Forward Email"},
	{ProviderIONOS, "IONOS"},
	{ProviderOVH, "OVHcloud"},
	{ProviderKDDI, "KDDI au"},
	{ProviderSpectrum, "Spectrum"},
	{ProviderAnonAddy, "addy.io (AnonAddy)"},
	{ProviderZeroSpam, "ZEROSPAM"},
	{ProviderSophos, "Sophos Email Appliance"},
	{ProviderHaraka, "Haraka"},
	{ProviderPostal, "Postal"},
	{ProviderMailsac, "Mailsac"},
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
	{"aliyun.com", ProviderAliyun},
	{"mxhichina.com", ProviderAliyun}, // Aliyun enterprise mail's MX and SMTP hosts
	{"alibaba.com", ProviderAliyun},
	{"barracudanetworks.com", ProviderBarracuda},
	{"barracuda.com", ProviderBarracuda},
	{"gmx.net", ProviderGMX},
	{"gmx.com", ProviderGMX},
	{"gmx.de", ProviderGMX},
	{"web.de", ProviderGMX},
	{"mimecast.com", ProviderMimecast},
	{"pphosted.com", ProviderProofpoint},
	{"proofpoint.com", ProviderProofpoint},
	{"iphmx.com", ProviderIronPort},
	{"messagelabs.com", ProviderSymantec},
	{"emailsrvr.com", ProviderRackspace},
	{"secureserver.net", ProviderGoDaddy},
	{"orange.fr", ProviderOrange},
	{"wanadoo.fr", ProviderOrange},
	{"laposte.net", ProviderLaPoste},
	{"t-online.de", ProviderTOnline},
	{"protonmail.ch", ProviderProtonMail},
	{"proton.me", ProviderProtonMail},
	{"improvmx.com", ProviderImprovMX},
	{"mail.ru", ProviderMailRu},
	{"comcast.net", ProviderComcast}, // mx1.comcast.net, imta*.comcast.net
	{"forwardemail.net", ProviderForwardEmail},
	{"kundenserver.de", ProviderIONOS}, // mx01.kundenserver.de
	{"ionos.com", ProviderIONOS},
	{"ionos.de", ProviderIONOS},
	{"ovh.net", ProviderOVH}, // mx*.mail.ovh.net, ex*.mail.ovh.net
	{"ezweb.ne.jp", ProviderKDDI},
	{"charter.net", ProviderSpectrum},
	{"anonaddy.me", ProviderAnonAddy},
	{"addy.io", ProviderAnonAddy},
	{"mailsac.com", ProviderMailsac},
}

// sesHostPrefixes are the Amazon SES endpoint names under amazonaws.com
// (email-smtp.us-east-1.amazonaws.com); other amazonaws.com hosts are
// ordinary EC2 machines, not SES.
var sesHostPrefixes = []string{"email-smtp.", "email-smtp-fips.", "inbound-smtp."}

// DetectProvider names the provider behind a server, from its host name
// first (smtp.gmail.com, *.protection.outlook.com, smtp.qq.com, …) and
// then from greeting or reply text: the greeting's own host name and the
// markers servers write about themselves ("gsmtp", "Microsoft ESMTP MAIL
// Service", "Coremail", an Exchange Online server id, …). Domain names
// that merely appear in the text (a recipient's address, a relay's
// mention of another provider) do not count. host may carry a port. It
// returns the zero Provider when nothing says.
func DetectProvider(host, text string) Provider {
	return detectSender(host, text, "", nil).provider
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
	// Akamai's traffic-management names carry the customer's own host
	// before their suffix (mx2.me.com.akadns.net is Apple's MX).
	host = strings.TrimSuffix(host, ".akadns.net")
	for _, d := range providerDomains {
		if host == d.domain || strings.HasSuffix(host, "."+d.domain) {
			return ProviderByID(d.id)
		}
	}
	// An organisation's host name is no provider, unless it names the
	// appliance it is (LABELING.md: "ironportin-1.example.edu").
	if first, _, _ := strings.Cut(host, "."); strings.HasPrefix(first, "ironport") {
		return ProviderByID(ProviderIronPort)
	}
	return Provider{}, false
}
