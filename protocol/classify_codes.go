package protocol

import "fmt"

// registryReasons maps the IANA enhanced codes (RFC 3463, RFC 5248 and
// later) to reasons, by subject and detail. Catch-alls that say little
// (X.0.0, X.7.0, X.7.1, X.5.1) are left out: the basic code and the
// command say more about them.
var registryReasons = map[enhancedKey]Reason{
	{1, 0}: ReasonRecipientRejected, {1, 1}: ReasonRecipientUnknown, {1, 2}: ReasonHostUnknown,
	{1, 3}: ReasonRecipientInvalid, {1, 4}: ReasonRecipientRejected, {1, 6}: ReasonMailboxMoved,
	{1, 7}: ReasonSenderInvalid, {1, 8}: ReasonSenderInvalid, {1, 10}: ReasonHostUnknown,
	{2, 1}: ReasonMailboxDisabled, {2, 2}: ReasonMailboxFull, {2, 3}: ReasonTooBig, {2, 4}: ReasonServerError,
	{3, 1}: ReasonServerError, {3, 2}: ReasonServiceUnavailable, {3, 3}: ReasonNotImplemented,
	{3, 4}: ReasonTooBig, {3, 5}: ReasonServerError,
	{4, 1}: ReasonNetwork, {4, 2}: ReasonNetwork, {4, 3}: ReasonServerError, {4, 4}: ReasonHostUnknown,
	{4, 5}: ReasonServiceUnavailable, {4, 6}: ReasonServerError, {4, 7}: ReasonExpired,
	{5, 2}: ReasonSyntax, {5, 3}: ReasonRateLimited, {5, 4}: ReasonSyntax, {5, 5}: ReasonNotImplemented, {5, 6}: ReasonSyntax,
	{6, 0}: ReasonContent, {6, 1}: ReasonContent, {6, 2}: ReasonContent, {6, 3}: ReasonContent, {6, 4}: ReasonContent,
	{6, 5}: ReasonContent, {6, 6}: ReasonContent, {6, 7}: ReasonNotImplemented, {6, 8}: ReasonNotImplemented,
	{6, 9}: ReasonNotImplemented, {6, 10}: ReasonContent,
	{7, 2}: ReasonPolicy, {7, 3}: ReasonPolicy, {7, 4}: ReasonAuthMechanism, {7, 5}: ReasonTLSUnavailable,
	{7, 6}: ReasonTLSUnavailable, {7, 7}: ReasonContent, {7, 8}: ReasonAuthFailed, {7, 9}: ReasonAuthMechanism,
	{7, 10}: ReasonTLSRequired, {7, 11}: ReasonAuthMechanism, {7, 12}: ReasonAuthLocked, {7, 13}: ReasonAccountRestricted,
	{7, 14}: ReasonPolicy, {7, 15}: ReasonPolicy, {7, 16}: ReasonTooBig, {7, 17}: ReasonMailboxMoved,
	{7, 18}: ReasonMailboxMoved, {7, 19}: ReasonPolicy, {7, 20}: ReasonSenderAuth, {7, 21}: ReasonSenderAuth,
	{7, 22}: ReasonSenderAuth, {7, 23}: ReasonSenderAuth, {7, 24}: ReasonSenderAuth, {7, 25}: ReasonReverseDNS,
	{7, 26}: ReasonSenderAuth, {7, 27}: ReasonSenderInvalid, {7, 28}: ReasonRateLimited, {7, 29}: ReasonSenderAuth,
	{7, 30}: ReasonTLSRequired,
}

// providerCodeReasons are the enhanced codes providers use for a meaning
// of their own (Gmail's 5.7.26 is a DMARC failure; Microsoft's 5.7.57 a
// missing login). They are read before the registry, for replies from
// that provider only.
var providerCodeReasons = map[string]map[string]Reason{
	ProviderMicrosoft: {
		"5.7.139": ReasonAuthFailed, "5.7.57": ReasonAuthRequired, "5.7.60": ReasonSenderDenied,
		"5.7.3": ReasonAuthFailed, "5.7.501": ReasonAccountRestricted, "5.7.502": ReasonAccountRestricted,
		"5.7.503": ReasonAccountRestricted, "5.7.705": ReasonAccountRestricted, "5.7.750": ReasonAccountRestricted,
		"5.7.708": ReasonBlocked, "5.7.606": ReasonBlocked, "5.7.511": ReasonBlocked, "5.7.512": ReasonContent,
		"4.7.650": ReasonRateLimited, "4.7.651": ReasonRateLimited, "4.7.500": ReasonRateLimited,
		"5.2.252": ReasonSenderDenied, "5.4.1": ReasonRecipientRejected, "5.1.10": ReasonRecipientUnknown,
		"5.7.509": ReasonSenderAuth, "5.7.510": ReasonSenderAuth, "5.7.133": ReasonPolicy, "5.7.134": ReasonPolicy,
		"5.7.135": ReasonPolicy, "5.7.136": ReasonPolicy, "5.1.8": ReasonAccountRestricted,
		"5.2.121": ReasonRateLimited, "5.2.122": ReasonRateLimited, "4.4.316": ReasonNetwork,
		"5.3.4": ReasonTooBig, "5.7.64": ReasonBlocked, "5.7.23": ReasonSenderAuth,
		// A recipient restricted to senders on its accept list (5.7.129);
		// recipients on the tenant's block list (5.7.703).
		"5.7.129": ReasonRecipientRejected, "5.7.703": ReasonRecipientRejected,
	},
	ProviderGmail: {
		"5.7.26": ReasonSenderAuth, "5.7.9": ReasonAuthAppPassword, "5.7.14": ReasonAuthLocked,
		"4.7.28": ReasonRateLimited, "5.4.5": ReasonSendingQuota,
		// Rate limited because the From: domain is not aligned with SPF or
		// DKIM: the cause named beats the symptom (LABELING.md).
		"4.7.32": ReasonSenderAuth,
		"5.7.25": ReasonReverseDNS, "5.7.8": ReasonAuthFailed, "4.2.2": ReasonMailboxFull,
	},
	ProviderYahoo: {"5.7.9": ReasonPolicy},
}

// ambiguousProviderCodes are private codes a provider uses for several
// situations (Microsoft's 5.7.139 covers a wrong password, SMTP AUTH
// switched off and a locked account): the text decides for them.
var ambiguousProviderCodes = map[string]bool{
	"5.7.139": true, "5.7.3": true, "5.7.8": true, "5.7.9": true, "4.2.2": true, "5.3.4": true, "5.1.8": true,
	"5.7.133": true, "5.7.134": true, "5.7.135": true, "5.7.136": true,
}

// decisiveCode returns the fixed meaning of a provider's private code.
func decisiveCode(e EnhancedCode, provider string) (Reason, bool) {
	code := e.String()
	if code == "" || ambiguousProviderCodes[code] {
		return "", false
	}
	for _, id := range []string{provider, providerFamilies[provider]} {
		if r, ok := providerCodeReasons[id][code]; ok {
			return r, true
		}
	}
	return "", false
}

// reasonFromEnhanced is the reason an enhanced code gives for a reply from
// provider, or "" when the code is a catch-all.
func reasonFromEnhanced(e EnhancedCode, provider string) (Reason, string) {
	if e.IsZero() || e.Class == 2 {
		return "", ""
	}
	code := e.String()
	for _, id := range []string{provider, providerFamilies[provider]} {
		if r, ok := providerCodeReasons[id][code]; ok {
			return r, fmt.Sprintf("%s's own code %s", providerName(id), code)
		}
	}
	if r, ok := registryReasons[enhancedKey{e.Subject, e.Detail}]; ok {
		return r, "the enhanced code " + code
	}
	return "", ""
}

func providerName(id string) string {
	p, _ := ProviderByID(id)
	if p.Name == "" {
		return id
	}
	return p.Name
}

// reasonFromCode is what the basic code says, alone (FromCode) or with
// the command it answered (FromContext). It returns "" when the code
// names no situation (a bare 550 could be almost anything).
func reasonFromCode(code int, command string) (Reason, ReasonSource) {
	switch ClassOf(code) {
	case ClassSuccess:
		return ReasonAccepted, FromCode
	case ClassIntermediate:
		return ReasonContinue, FromCode
	}
	if r, ok := contextReasons[contextKey{verb: command, code: code}]; ok && command != "" {
		return r, FromContext
	}
	if r, ok := codeReasons[code]; ok {
		return r, FromCode
	}
	return "", ""
}

// codeReasons are basic codes with one meaning whatever the command
// (RFC 5321 4.2.3, RFC 4954 6, RFC 7504).
var codeReasons = map[int]Reason{
	basicNotAvailable:      ReasonServiceUnavailable,
	basicUnrecognized:      ReasonSyntax,
	basicSyntaxParams:      ReasonSyntax,
	basicNotImplemented:    ReasonNotImplemented,
	basicBadSequence:       ReasonSequence,
	basicParamNotImpl:      ReasonNotImplemented,
	basicNoMail:            ReasonHostUnknown,
	basicEncryptionNeeded:  ReasonTLSRequired,
	basicAuthRequired:      ReasonAuthRequired,
	basicMechTooWeak:       ReasonAuthMechanism,
	basicAuthFailed:        ReasonAuthFailed,
	basicEncryptForMech:    ReasonAuthMechanism,
	basicPasswordTransit:   ReasonAuthLocked,
	basicParamsNotRecog:    ReasonNotImplemented,
	basicParamsTempFailure: ReasonNotImplemented,
	basicDomainNoMail:      ReasonHostUnknown,
}

// contextReasons are basic codes whose meaning depends on the command.
var contextReasons = map[contextKey]Reason{
	{verb: VerbAUTH, code: basicTempAuthFailure}:      ReasonAuthFailed,
	{verb: VerbAUTH, code: basicAuthRequired}:         ReasonTLSRequired,
	{verb: VerbAUTH, code: basicParamNotImpl}:         ReasonAuthMechanism,
	{verb: VerbAUTH, code: basicMailboxUnavail}:       ReasonAuthFailed,
	{verb: VerbAUTH, code: basicTransactionFailed}:    ReasonAuthFailed,
	{verb: VerbAUTH, code: basicSyntaxParams}:         ReasonSyntax,
	{verb: VerbSTARTTLS, code: basicTempAuthFailure}:  ReasonTLSUnavailable,
	{verb: VerbSTARTTLS, code: basicNotImplemented}:   ReasonTLSUnavailable,
	{verb: VerbMAIL, code: basicMailboxUnavail}:       ReasonSenderDenied,
	{verb: VerbMAIL, code: basicMailboxNameBad}:       ReasonSenderInvalid,
	{verb: VerbMAIL, code: basicExceededStorage}:      ReasonTooBig,
	{verb: VerbMAIL, code: basicMailboxBusy}:          ReasonSenderDenied,
	{verb: VerbRCPT, code: basicMailboxUnavail}:       ReasonRecipientRejected,
	{verb: VerbRCPT, code: basicMailboxBusy}:          ReasonRecipientRejected,
	{verb: VerbRCPT, code: basicMailboxNameBad}:       ReasonRecipientInvalid,
	{verb: VerbRCPT, code: basicExceededStorage}:      ReasonMailboxFull,
	{verb: VerbRCPT, code: basicInsufficientSpace}:    ReasonRateLimited,
	{verb: VerbRCPT, code: basicTransactionFailed}:    ReasonRecipientRejected,
	{verb: EndOfDataVerb, code: basicExceededStorage}: ReasonTooBig,
	{verb: VerbDATA, code: basicExceededStorage}:      ReasonTooBig,
	{verb: VerbBDAT, code: basicExceededStorage}:      ReasonTooBig,
	{verb: "", code: basicTransactionFailed}:          ReasonServiceUnavailable,
}

// broaderReasons lists, for a reason, the reasons that only say less
// about the same situation: a text that names the narrower one does not
// contradict a code that names the broader one.
var broaderReasons = map[Reason][]Reason{
	ReasonAuthAppPassword:   {ReasonAuthFailed, ReasonAuthMechanism},
	ReasonAuthDisabled:      {ReasonAuthFailed, ReasonAuthMechanism, ReasonAccountRestricted},
	ReasonAuthToken:         {ReasonAuthFailed},
	ReasonAuthLocked:        {ReasonAuthFailed, ReasonAuthMechanism},
	ReasonAuthMechanism:     {ReasonAuthFailed},
	ReasonAuthRequired:      {ReasonRelayDenied, ReasonTLSRequired},
	ReasonRelayDenied:       {ReasonAuthRequired, ReasonRecipientRejected},
	ReasonRecipientUnknown:  {ReasonRecipientRejected, ReasonMailboxDisabled, ReasonRecipientInvalid},
	ReasonRecipientInvalid:  {ReasonRecipientRejected, ReasonRecipientUnknown},
	ReasonMailboxFull:       {ReasonRecipientRejected, ReasonServerError, ReasonTooBig},
	ReasonMailboxDisabled:   {ReasonRecipientRejected, ReasonRecipientUnknown},
	ReasonMailboxMoved:      {ReasonRecipientRejected, ReasonRecipientUnknown},
	ReasonHostUnknown:       {ReasonRecipientRejected, ReasonNetwork},
	ReasonSenderInvalid:     {ReasonSenderDenied},
	ReasonTooBig:            {ReasonMailboxFull, ReasonServerError},
	ReasonGreylisted:        {ReasonRecipientRejected, ReasonMailboxDisabled, ReasonServiceUnavailable},
	ReasonRateLimited:       {ReasonServiceUnavailable},
	ReasonSendingQuota:      {ReasonRateLimited, ReasonServiceUnavailable},
	ReasonTooManyErrors:     {ReasonServiceUnavailable},
	ReasonTLSRequired:       {ReasonAuthRequired},
	ReasonTLSUnavailable:    {ReasonServiceUnavailable},
	ReasonAccountRestricted: {ReasonSenderDenied},
	ReasonServerError:       {ReasonServiceUnavailable},
}

// genericReasons say nothing a more specific reason would not say better.
func genericReason(r Reason) bool {
	return r == "" || r == ReasonUnknown || r == ReasonPolicy || r == ReasonRecipientRejected
}

// contradicts reports whether a text's reason disagrees with the reason
// of a code: both say something specific, and neither refines the other.
func contradicts(text, code Reason) bool {
	if text == code || genericReason(text) || genericReason(code) {
		return false
	}
	for _, b := range broaderReasons[text] {
		if b == code {
			return false
		}
	}
	for _, b := range broaderReasons[code] {
		if b == text {
			return false
		}
	}
	return true
}

// uniqueProviderCodes are private enhanced codes only one provider sends:
// a reply carrying one names its sender even without a host.
var uniqueProviderCodes = map[string]string{
	"5.7.139": ProviderMicrosoft, "5.7.57": ProviderMicrosoft,
	"5.7.501": ProviderMicrosoft, "5.7.502": ProviderMicrosoft, "5.7.503": ProviderMicrosoft,
	"5.7.705": ProviderMicrosoft, "5.7.708": ProviderMicrosoft, "5.7.750": ProviderMicrosoft,
	"4.7.650": ProviderMicrosoft, "4.7.651": ProviderMicrosoft,
	"5.7.509": ProviderMicrosoft, "5.7.606": ProviderMicrosoft, "5.7.520": ProviderMicrosoft,
	"5.1.90": ProviderMicrosoft, "5.7.700": ProviderMicrosoft, "5.7.703": ProviderMicrosoft,
	"5.7.704": ProviderMicrosoft, "5.7.706": ProviderMicrosoft, "5.7.707": ProviderMicrosoft,
	"5.7.600": ProviderMicrosoft, "5.7.601": ProviderMicrosoft, "5.7.602": ProviderMicrosoft,
	"5.7.603": ProviderMicrosoft, "5.7.604": ProviderMicrosoft, "5.7.605": ProviderMicrosoft,
	"5.7.129": ProviderMicrosoft,
	// Exchange Online's other 5.7.5xx codes (its NDR reference: IPv6,
	// banned sender, RFC 5322 compliance, client IP not served).
	"5.7.510": ProviderMicrosoft, "5.7.511": ProviderMicrosoft, "5.7.512": ProviderMicrosoft,
	"5.7.513": ProviderMicrosoft,
}
