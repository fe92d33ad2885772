package protocol

// Documentation of the mail gateways and hosting providers.
const (
	mimecastCodes   = "https://community.mimecast.com/docs/DOC-1369"
	proofpointIP    = "https://ipcheck.proofpoint.com/"
	ciscoReputation = "https://talosintelligence.com/reputation_center"
	symantecTrouble = "https://knowledge.broadcom.com/external/article?legacyId=TECH246726"
	rackspaceCodes  = "https://docs.rackspace.com/docs/rackspace-email-bounce-codes"
	godaddyCodes    = "https://www.godaddy.com/help/what-do-email-bounce-back-codes-mean-40685"
	orangeSenders   = "https://postmaster.orange.fr/"
	tonlineSenders  = "https://postmaster.t-online.de/"
	protonBridge    = "https://proton.me/support/protonmail-bridge-clients"
	comcastCodes    = "https://postmaster.comcast.net/smtp-error-codes.php"
)

// gatewayRules: security gateways that answer for their customers'
// domains (Mimecast, Proofpoint, IronPort, Symantec), and hosting
// providers with their own codes.
var gatewayRules = []playbookRule{
	{
		provider: ProviderMimecast, reason: ReasonGreylisted,
		summary: "Mimecast greylisted the message: its first attempt from this sender and IP is deferred on purpose.",
		steps:   []string{"Let the queue retry: Mimecast accepts the retry after a few minutes from the same IP.", "Sending from a pool of IPs, retry from the same one."},
		refs:    []string{mimecastCodes},
	},
	{
		provider: ProviderMimecast, reason: ReasonRecipientRejected,
		summary: "Mimecast refused the message on the recipient's (or their administrator's) block list entry for this sender.",
		steps:   []string{"Reach the recipient by another channel and ask them to remove the sender from their blocked senders."},
		refs:    []string{mimecastCodes},
	},
	{
		provider: ProviderMimecast, reason: ReasonBlocked,
		summary: "Mimecast refused the sender's envelope or IP by its administrator's policy or its reputation data.",
		steps:   []string{"Ask the receiving organisation's Mimecast administrator to review the block for your sender and IP."},
		refs:    []string{mimecastCodes},
	},
	{
		provider: ProviderMimecast, reason: ReasonSpam,
		summary: "Mimecast's spam scanning refused the message.",
		steps:   []string{"Send plain, expected content from an authenticated domain (SPF, DKIM, DMARC); ask the recipient to permit the sender."},
		refs:    []string{mimecastCodes},
	},
	{
		provider: ProviderMimecast, reason: ReasonSenderAuth,
		summary: "Mimecast refused the message: SPF, DKIM or DMARC of the sender failed, or its anti-spoofing policy matched.",
		steps:   []string{"Publish SPF for the sending IP and sign with DKIM aligned to the From domain."},
		refs:    []string{mimecastCodes},
	},
	{
		provider: ProviderProofpoint, reason: ReasonBlocked,
		summary: "Proofpoint refused the connection: the sending IP has a poor reputation in its data.",
		steps:   []string{"Look the IP up at Proofpoint's IP check page and request removal there once the cause is fixed."},
		refs:    []string{proofpointIP},
	},
	{
		provider: ProviderProofpoint, reason: ReasonSenderAuth,
		summary: "Proofpoint refused the message under the sender domain's SPF or DMARC policy.",
		steps:   []string{"Add the sending IP to the domain's SPF record and align DKIM with the From domain."},
		refs:    []string{proofpointIP},
	},
	{
		provider: ProviderIronPort, reason: ReasonBlocked,
		summary: "A Cisco Secure Email (IronPort) gateway refused the sending IP for its reputation score.",
		steps:   []string{"Check the IP's reputation at Cisco Talos and fix what lowered it; ask the recipient's administrator to allow-list you meanwhile."},
		refs:    []string{ciscoReputation},
	},
	{
		provider: ProviderIronPort, reason: ReasonRecipientRejected,
		summary: "A Cisco Secure Email (IronPort) gateway refused the recipient address.",
		steps:   []string{"Check the address; the gateway refuses addresses its directory does not list."},
	},
	{
		provider: ProviderSymantec, reason: ReasonPolicy,
		summary: "Symantec Email Security.cloud (MessageLabs) refused the message or connection by its customer's policy.",
		steps:   []string{"Ask the recipient's administrator which policy matched; the bracketed code names it."},
		refs:    []string{symantecTrouble},
	},
	{
		provider: ProviderSymantec, reason: ReasonRelayDenied,
		summary: "Symantec Email Security.cloud does not relay for this sender: the client is not one of its customer's outbound servers.",
		steps:   []string{"Register the sending IP as an outbound route in the Symantec portal, or send through your own server."},
		refs:    []string{symantecTrouble},
	},
	{
		provider: ProviderRackspace, reason: ReasonReverseDNS,
		summary: "Rackspace refused the client: its IP has no PTR record.",
		steps:   []string{"Ask the IP's owner to publish a PTR record naming the sending host, with a matching A record."},
		refs:    []string{rackspaceCodes},
	},
	{
		provider: ProviderRackspace, reason: ReasonRateLimited,
		summary: "Rackspace throttled the sender: too many connections or messages from this IP, or to this mailbox, in a short time.",
		steps:   []string{"Let the queue retry later, with fewer connections at a time."},
		refs:    []string{rackspaceCodes},
	},
	{
		provider: ProviderRackspace, reason: ReasonVirus,
		summary: "Rackspace refused the message for a virus or an attachment type it bans.",
		steps:   []string{"Send the file another way (a link), or in a format the receiver accepts."},
		refs:    []string{rackspaceCodes},
	},
	{
		provider: ProviderGoDaddy, reason: ReasonAuthDisabled,
		summary: "GoDaddy's inbound servers take no login: authenticated sending goes through its outgoing server.",
		steps:   []string{"Send through smtpout.secureserver.net (port 465 or 587) with the mailbox's address and password."},
		refs:    []string{godaddyCodes},
	},
	{
		provider: ProviderGoDaddy, reason: ReasonSenderInvalid,
		summary: "GoDaddy refused the From address: it is blank, an IP address, or its domain does not resolve.",
		steps:   []string{"Use a From address whose domain exists in DNS."},
		refs:    []string{godaddyCodes},
	},
	{
		provider: ProviderGoDaddy, reason: ReasonRateLimited,
		summary: "GoDaddy throttled this IP or account: too many messages, sessions or recipients in the hour or the session.",
		steps:   []string{"Lower the volume per hour and per session; the IB code in the reply names the limit."},
		refs:    []string{godaddyCodes},
	},
	{
		provider: ProviderGoDaddy, reason: ReasonBlocked,
		summary: "GoDaddy refused the sending IP: it is on a block list or has a poor reputation.",
		steps:   []string{"Look the IP up on the list the reply names and request removal once the cause is fixed."},
		refs:    []string{godaddyCodes},
	},
	{
		provider: ProviderOrange, reason: ReasonBlocked,
		summary: "Orange refused the sending IP for spam reports or its reputation.",
		steps:   []string{"Request removal through Orange's postmaster page once the cause is fixed."},
		refs:    []string{orangeSenders},
	},
	{
		provider: ProviderOrange, reason: ReasonSenderInvalid,
		summary: "Orange refused the sender: its domain failed Orange's checks (SPF, DNS).",
		steps:   []string{"Check the sender domain's SPF and DNS records."},
		refs:    []string{orangeSenders},
	},
	{
		provider: ProviderLaPoste, reason: ReasonBlocked,
		summary: "La Poste refused the sending IP (a block list or its own reputation data).",
		steps:   []string{"Check the IP on the block list the reply names and request removal."},
	},
	{
		provider: ProviderTOnline, reason: ReasonBlocked,
		summary: "T-Online refused the sending IP: it is on its block list (BL) or in a dial-up range (DIAL), or has no proper PTR.",
		steps:   []string{"Send from an IP with a PTR record and a website with an imprint on its domain, then write to T-Online's postmaster to be unblocked."},
		refs:    []string{tonlineSenders},
	},
	{
		provider: ProviderProtonMail, reason: ReasonAuthFailed,
		summary: "Proton Mail refused the login: SMTP goes through Proton Mail Bridge (or an SMTP token), not the account password.",
		steps:   []string{"Use the host, port and password Proton Mail Bridge shows for the account, or an SMTP submission token."},
		refs:    []string{protonBridge},
	},
	{
		provider: ProviderImprovMX, reason: ReasonServerError,
		summary: "ImprovMX could not forward the message: the alias or the domain's forwarding setup is broken.",
		steps:   []string{"Check the alias and its destination in the ImprovMX dashboard."},
	},
	{
		provider: ProviderMailRu, reason: ReasonMailboxDisabled,
		summary: "Mail.ru refused the recipient: the mailbox is disabled.",
		steps:   []string{"Reach the recipient another way; the address takes no mail now."},
	},
	{
		provider: ProviderComcast, reason: ReasonBlocked,
		summary: "Comcast refused the sending IP (its own block list or reputation data; the code after # names which).",
		steps:   []string{"Look up the code the reply ends with (BL…, RL…) on Comcast's postmaster page, fix the cause, then ask Comcast to lift the block through that page."},
		refs:    []string{comcastCodes},
	},
	{
		provider: ProviderComcast, reason: ReasonReverseDNS,
		summary: "Comcast refused the sending IP: it has no PTR record, or the PTR name does not resolve back to it.",
		steps:   []string{"Have whoever runs the IP (hosting or ISP) set a PTR record to a name that resolves back to the IP."},
		refs:    []string{comcastCodes},
	},
	{
		provider: ProviderHaraka, reason: ReasonServerError,
		summary: "Haraka accepted the message but has no queue plugin to deliver it (\"Queuing declined or disabled\").",
		steps:   []string{"Running the server: enable a queue plugin (queue/smtp_forward, queue/lmtp, …) in config/plugins."},
	},
	{
		provider: ProviderHaraka, reason: ReasonRecipientRejected,
		summary: "Haraka refused the recipient: no plugin accepted it (the domain is not in host_list or no rcpt_to plugin is configured).",
		steps:   []string{"Running the server: add the domain to config/host_list, or enable the rcpt_to plugin that should accept it."},
	},
	{
		provider: ProviderHMailServer, reason: ReasonRecipientRejected,
		summary: "hMailServer refused the recipient: its domain is a route, and the address is not in the route's list.",
		steps:   []string{"Running the server: add the address to the route's list of addresses, or allow all addresses on the route."},
	},
}
