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

	// Yahoo's bracketed codes.
	forProvider(ProviderYahoo, ReasonRateLimited, "[tss04]", "[ts01]"),
	forProvider(ProviderYahoo, ReasonBlocked, "[tss06]", "[tss09]", "[tss11]", "[bl21]", "[bl23]", "[ts03]"),
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
