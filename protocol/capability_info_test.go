package protocol

import (
	"strings"
	"testing"
)

// The keywords a user may meet, from the list plus the Microsoft ones.
var requiredKeywords = []string{
	"PIPELINING", "SIZE", "8BITMIME", "BINARYMIME", "CHUNKING", "DSN", "SMTPUTF8", "STARTTLS", "AUTH",
	"ENHANCEDSTATUSCODES", "REQUIRETLS", "LIMITS", "MT-PRIORITY", "DELIVERBY", "FUTURERELEASE", "RRVS",
	"ETRN", "VRFY", "EXPN", "HELP", "PRDR", "XCLIENT", "XFORWARD", "BURL", "NO-SOLICITING",
	"X-EXPS", "X-LINK2STATE", "XEXCH50",
}

func TestCapabilityInfoCoversKnownKeywords(t *testing.T) {
	for _, kw := range requiredKeywords {
		info, ok := CapabilityInfo(kw)
		if !ok {
			t.Errorf("CapabilityInfo(%q) unknown", kw)
			continue
		}
		if info.Keyword != kw || info.Name == "" || len(info.Meaning) < 40 {
			t.Errorf("CapabilityInfo(%q) = %+v: want the keyword, a name and a real explanation", kw, info)
		}
		if !strings.HasPrefix(kw, "X") && !strings.HasPrefix(info.RFC, "RFC ") && !strings.HasPrefix(info.RFC, "draft-") {
			t.Errorf("CapabilityInfo(%q).RFC = %q, want an RFC reference", kw, info.RFC)
		}
	}
}

func TestCapabilityInfoLookup(t *testing.T) {
	if info, ok := CapabilityInfo(" starttls "); !ok || info.Keyword != "STARTTLS" || info.RFC != "RFC 3207" {
		t.Errorf("CapabilityInfo(starttls) = %+v, %v", info, ok)
	}
	if _, ok := CapabilityInfo("X-NOT-A-THING"); ok {
		t.Error("CapabilityInfo knows a made-up keyword")
	}
	// Every keyword of a real EHLO reply is explained.
	for _, kw := range ParseEHLO(replyOf(t, gmailEHLOAfterTLS)).Keywords() {
		if _, ok := CapabilityInfo(kw); !ok {
			t.Errorf("Gmail's %s is not explained", kw)
		}
	}
	if n := len(CapabilityKeywords()); n < len(requiredKeywords) {
		t.Errorf("CapabilityKeywords() has %d entries, want at least %d", n, len(requiredKeywords))
	}
}

// Parameters the grammar knows name capabilities the table explains.
func TestParamCapabilitiesAreExplained(t *testing.T) {
	for name := range paramRules {
		kw, _ := ParamCapability(Param{Name: name})
		if _, ok := CapabilityInfo(kw); kw != "" && !ok {
			t.Errorf("parameter %s needs %s, which CapabilityInfo does not explain", name, kw)
		}
	}
}
