package protocol

import (
	"fmt"
	"regexp"
	"strings"
)

// The formats that name a provider besides its phrases: private code
// formats, how a software writes an address or an enhanced code, which
// capitals its templates have, and which names in a reply are an address's
// rather than the replier's.

// privateCodeFormats are the shapes of codes only one provider writes
// (LABELING.md: private code formats count as markers): GoDaddy's
// "IB506", Rackspace's "(G1F)", Orange's "OFR006_102", La Poste's
// "LPN105_402", Proofpoint's "OXSUS001_514", Microsoft's "AS(201806281)".
// Each alternative is one capture group, in the order of
// privateCodeProviders.
var privateCodeFormats = regexp.MustCompile(`\b(IB\d{3})\b|(\(G[0-9A-Z]{1,2}\))|\b((?i:ofr)\d*_\d{3})\b|\b(LPN\d{3}_\d{3})\b|\b(OXSUS\d{3}_\d{3})\b|(\bAS\(\d{6,}\)|\(AS\d{6,}\))|(\(S\d{3,10}\))|\b((?:OU|SC|DY)-00\d)\b`)

// The last two formats are Outlook.com's: "(S3150)", "(S2017062302)" after
// its block and mailbox texts, and "550 SC-001", "OU-002", "DY-001".
var privateCodeProviders = []string{ProviderGoDaddy, ProviderRackspace, ProviderOrange, ProviderLaPoste, ProviderProofpoint, ProviderMicrosoft,
	ProviderMicrosoft, ProviderMicrosoft}

// providerFromCodeFormat finds a private code format in text.
func providerFromCodeFormat(text string) (Provider, string, bool) {
	if !strings.Contains(text, "IB") && !strings.Contains(text, "(G") && !strings.Contains(text, "_") &&
		!strings.Contains(text, "AS") && !outlookCodeAnchor(text) {
		return Provider{}, "", false // none of the formats can be there: skip the regexp
	}
	m := privateCodeFormats.FindStringSubmatchIndex(text)
	if m == nil {
		return Provider{}, "", false
	}
	for g := range privateCodeProviders {
		if start := m[2+2*g]; start >= 0 {
			p, _ := ProviderByID(privateCodeProviders[g])
			return p, text[start:m[3+2*g]], true
		}
	}
	return Provider{}, "", false
}

// outlookCodeAnchor reports a cheap sign of Outlook.com's code formats:
// "(S" or "-00" followed by a digit.
func outlookCodeAnchor(text string) bool {
	for _, a := range []string{"(S", "-00"} {
		for i := strings.Index(text, a); i >= 0; {
			if j := i + len(a); j < len(text) && text[j] >= '0' && text[j] <= '9' {
				return true
			}
			next := strings.Index(text[i+1:], a)
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return false
}

// qmailCodeFormat is qmail's way of writing the enhanced code after the
// text ("Sorry, no mailbox here by that name. (#5.1.1)"); servers that
// copy it carry markers of their own, which are read first.
var qmailCodeFormat = regexp.MustCompile(`\(#[245]\.\d{1,3}\.\d{1,3}\)`)

// sendmailAddrFormat is Sendmail's way of naming the address a reply is
// about, without the angle brackets ("550 bob@example.org... No such
// user"; with them, the marker ">... " finds it).
var sendmailAddrFormat = regexp.MustCompile(`(?:^|\s)[^\s<>@]+@[^\s<>@]+[a-zA-Z]\.\.\. [A-Z]`)

// caseFixedTemplates are templates a server's source writes with fixed
// capitals (Postfix's smtpd_check.c): the same words in other capitals
// are another server's own text ("recipient address rejected: Inactive").
var caseFixedTemplates = map[string]string{}

func init() {
	for _, t := range []string{"Recipient address rejected:", "Sender address rejected:", "Client host rejected:",
		"Helo command rejected:", "Data command rejected:", "Relay access denied"} {
		caseFixedTemplates[strings.ToLower(t)] = t
	}
}

// writtenAsTemplate reports whether a matched marker is written as its
// software writes it, for the templates whose capitals are fixed.
func writtenAsTemplate(matched string) bool {
	want, ok := caseFixedTemplates[strings.ToLower(matched)]
	return !ok || matched == want
}

// inAddress reports a marker at text[at:] that is part of a mail address
// or a message id ("bounce@email.amazonses.com", "<id@ismtpd.sendgrid.net>"):
// a domain there names whoever owns the address, not the server that
// replied (LABELING.md).
func inAddress(text string, at int) bool {
	if at >= len(text) || !isWordByte(text[at]) {
		return false // a format marker (Sendmail's ">... "), not a name
	}
	for i := at - 1; i >= 0 && at-i < 256; i-- {
		switch text[i] {
		case '@':
			return true
		case ' ', '\t', '\n', '<', '(', '[', '"', '\'', ',', ';', '=':
			return false
		}
	}
	return false
}

// hashCodeSender reads the markers that include an enhanced code written
// with '#' in front ("550 #5.1.0 Address rejected.", Cisco IronPort's
// reply), which the reply's text no longer holds.
func hashCodeSender(r Reply, text string) providerFinding {
	if r.Enhanced.IsZero() || len(r.Lines) == 0 || !strings.Contains(r.Lines[len(r.Lines)-1].Raw, "#"+r.Enhanced.String()) {
		return providerFinding{}
	}
	withCode := "#" + r.Enhanced.String() + " " + text
	if p, m, ok := providerFromMarkers(withCode, matcher.find(foldText(withCode))); ok {
		return providerFinding{p, fmt.Sprintf("the reply ('%s')", Sanitize(m))}
	}
	return providerFinding{}
}
