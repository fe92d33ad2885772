package protocol

import "testing"

// TestSharedVocabularyReadings checks readings of the shared vocabulary
// on replies written for the test (not corpus lines): each phrase class
// on more than one wording, and lines it must not take over.
func TestSharedVocabularyReadings(t *testing.T) {
	tests := []struct {
		reply, host, command string
		reason               Reason
	}{
		// RFC 5321's own 550 text alone is an unknown recipient; with
		// more said, the rest decides.
		{"550 Requested action not taken: mailbox unavailable", "", "", ReasonRecipientUnknown},
		{"550 5.1.1 Requested action not taken: mailbox unavailable", "", "", ReasonRecipientUnknown},
		{"550 Requested action not taken: mailbox unavailable. Message rejected due to policy restrictions", "", "", ReasonPolicy},
		// Sending from a dynamic or dial-up address.
		{"550 5.7.1 Please use the SMTP server of your ISP", "", VerbMAIL, ReasonBlocked},
		{"554 Dynamic IP addresses not allowed, use your provider's relay", "", "", ReasonBlocked},
		{"550 Mail from dial-up hosts refused", "", "", ReasonBlocked},
		// Excessive volume is a rate.
		{"421 4.7.0 Deferred due to excessive volume from your IP", "", "", ReasonRateLimited},
		{"450 4.7.1 Excessive mail from this sender, slow down", "", "", ReasonRateLimited},
		// Outlook.com's outbound-spam verdicts.
		{"554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; WASCL UserAction verdict is not None. Actual verdict is RefuseQuota. [Hostname=AB1PR01MB0001.eurprd01.prod.outlook.com]", "", "", ReasonSendingQuota},
		{"554 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; Actual verdict is HipNotify. [Hostname=AB1PR01MB0001.eurprd01.prod.outlook.com]", "", "", ReasonAccountRestricted},
	}
	for _, tt := range tests {
		p, err := ParsePastedInput(tt.reply)
		if err != nil {
			t.Errorf("%q: %v", tt.reply, err)
			continue
		}
		e := ExplainPasted(p, ExplainContext{Host: tt.host, Command: tt.command})
		if e.Reason != tt.reason {
			t.Errorf("%q: reason %s (%s), want %s", tt.reply, e.Reason, e.Evidence, tt.reason)
		}
	}
}
