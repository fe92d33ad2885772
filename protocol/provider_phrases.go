package protocol

// providerPhrases are a provider's own words and private codes, which
// mean the same thing every time that provider sends them. They count
// only for replies from that provider and beat the shared vocabulary.
var providerPhrases = concatCues(
	// NetEase (163, 126, yeah.net) private codes, documented on its help
	// pages: two letters, a colon, three letters.
	forProvider(ProviderNetEase, ReasonBlocked, "*hl:rep", "*hl:odh", "*hl:mep", "*hl:ihu", "*hl:ipb", "*hl:itc",
		"*dt:rbl", "*wm:bli", "ip in blacklist"),
	forProvider(ProviderNetEase, ReasonRateLimited, "*hl:icc", "*hl:ifc", "*mi:dmc", "*mi:ccl", "*rp:drc", "*rp:ccl",
		"*mi:sfq", "*rp:qrc", "*rp:rcl"),
	forProvider(ProviderNetEase, ReasonSendingQuota, "*mi:stc", "*rp:trc"),
	forProvider(ProviderNetEase, ReasonTooManyErrors, "*mi:cel", "*rp:cel"),
	forProvider(ProviderNetEase, ReasonSpam, "*dt:spm"),
	forProvider(ProviderNetEase, ReasonSenderDenied, "*wm:blu", "*mi:spb", "*dt:sum"),
	forProvider(ProviderNetEase, ReasonSenderAuth, "*mi:spf", "*mi:dma"),
	forProvider(ProviderNetEase, ReasonSenderInvalid, "*mi:imf", "null sender is not allowed"),
	forProvider(ProviderNetEase, ReasonReverseDNS, "*mi:nhd"),
	forProvider(ProviderNetEase, ReasonRelayDenied, "*rp:frl"),
	forProvider(ProviderNetEase, ReasonVirus, "illegal attachment"),
	forProvider(ProviderNetEase, ReasonAuthLocked, "smtp auth error limit exceed"),

	// Microsoft's transport exception names.
	forProvider(ProviderMicrosoft, ReasonSenderDenied, "sendasdenied", "sendasdeniedexception"),
	forProvider(ProviderMicrosoft, ReasonSendingQuota, "submissionquotaexceeded", "submissionquotaexceededexception"),
	forProvider(ProviderMicrosoft, ReasonRecipientUnknown, "recipientnotfound", "recipnotfound"),
	forProvider(ProviderMicrosoft, ReasonAccountRestricted, "spam abuse detected", "banned sender"),
	// Outlook.com's outbound-spam verdicts (OutboundSpamException: "Actual
	// verdict is RefuseQuota" when the daily limit is used up, "HipNotify"
	// when the account must be verified first).
	forProvider(ProviderMicrosoft, ReasonSendingQuota, "*refusequota"),
	forProvider(ProviderMicrosoft, ReasonAccountRestricted, "*hipnotify"),
	// Entra ID's security defaults turn legacy (basic) authentication off:
	// "user is locked by your organization's security defaults policy".
	forProvider(ProviderMicrosoft, ReasonAuthDisabled, "security defaults"),

	// Zoho Mail's outgoing blocks ("554 5.1.8 Sender Address Blocked",
	// "550 5.4.6 Unusual sending activity detected").
	forProvider(ProviderZoho, ReasonAccountRestricted, "sender address blocked", "unusual sending activity"),

	// Comcast's private codes (postmaster.comcast.net's error list).
	forProvider(ProviderComcast, ReasonBlocked, "bl00000*"),
	forProvider(ProviderComcast, ReasonRateLimited, "rl00000*"),
	// SES's "Message rejected: Address blacklisted" is its own
	// suppression list refusing the recipient.
	forProvider(ProviderSES, ReasonRecipientRejected, "message rejected: address blacklisted"),

	// Haraka's fixed replies (connection.js): no plugin took the
	// recipient; no queue plugin is configured.
	forProvider(ProviderHaraka, ReasonRecipientRejected, "i cannot deliver mail for"),
	forProvider(ProviderHaraka, ReasonServerError, "queuing declined or disabled"),
	// Forward Email: the recipient domain's forwarding TXT record is wrong.
	forProvider(ProviderForwardEmail, ReasonRecipientRejected, "forward-email txt record"),

	// Mimecast's documented texts (DOC-1369).
	forProvider(ProviderMimecast, ReasonGreylisted, "internal resource temporarily unavailable",
		"internal resource is temporarily unavailable"),
	forProvider(ProviderMimecast, ReasonBlocked, "administrative prohibition - envelope blocked", "local ct ip reputation"),
	forProvider(ProviderMimecast, ReasonSpam, "mcspamsignature"),
	forProvider(ProviderMimecast, ReasonSenderAuth, "sender invalid - envelope rejected", "anti-spoofing policy"),

	// GoDaddy's IB codes, documented on its help page of SMTP errors.
	forProvider(ProviderGoDaddy, ReasonServiceUnavailable, "ib101"),
	forProvider(ProviderGoDaddy, ReasonBlocked, "ib103", "ib106", "ib109"),
	forProvider(ProviderGoDaddy, ReasonReverseDNS, "ib108", "ib301"),
	forProvider(ProviderGoDaddy, ReasonRateLimited, "ib007", "ib110", "ib111", "ib112", "ib504", "ib510", "ib605", "ib607"),
	forProvider(ProviderGoDaddy, ReasonSpam, "ib212"),
	forProvider(ProviderGoDaddy, ReasonAuthDisabled, "ib401"),
	forProvider(ProviderGoDaddy, ReasonContent, "ib501"),
	forProvider(ProviderGoDaddy, ReasonSenderInvalid, "ib502", "ib506"),
	forProvider(ProviderGoDaddy, ReasonSenderAuth, "ib508"),
	forProvider(ProviderGoDaddy, ReasonVirus, "ib705"),

	// T-Online answers a refused client with "IP=… - A problem occurred",
	// the cause in brackets: (BL) block list, (DIAL) dial-up range.
	forProvider(ProviderTOnline, ReasonBlocked, "a problem occurred", "(bl)", "(dial)", "dialup/transient ip"),

	forProvider(ProviderYahoo, ReasonSenderInvalid, "unresolvable rfc.5321 from domain"),

	// Alibaba Mail's documented replies about local and non-local
	// accounts: a sender that is not one of its accounts; a local account
	// sending without logging in; a recipient it does not have.
	forProvider(ProviderAliyun, ReasonSenderDenied, "is non-local account", "发件人邮箱不是本系统账号"),
	forProvider(ProviderAliyun, ReasonAuthRequired, "mailfrom account is a local account"),
	forProvider(ProviderAliyun, ReasonRecipientUnknown, "rcptto account isn", "收件人邮箱不可用"),
	// QQ Mail's help page on the authorization code (授权码), linked from
	// its 535 replies.
	forProvider(ProviderQQ, ReasonAuthAppPassword, "no=1001256"),

	forProvider(ProviderProtonMail, ReasonAuthFailed, "not available in bridge"),
	forProvider(ProviderSymantec, ReasonPolicy, "rejected by policy [7.7]"),

	// Yahoo's bracketed codes.
	forProvider(ProviderYahoo, ReasonRateLimited, "[ts01]"),
	forProvider(ProviderYahoo, ReasonBlocked, "[tss04]", "[tss06]", "[tss09]", "[tss11]", "[bl21]", "[bl23]", "[ts03]"),
	forProvider(ProviderYahoo, ReasonAuthLocked, "(#auth005)"),
)

// forProvider makes provider-only cues of one reason.
func forProvider(provider string, reason Reason, phrases ...string) []cue {
	out := say(weightProvider, reason, phrases...)
	for i := range out {
		out[i].provider = provider
	}
	return out
}
