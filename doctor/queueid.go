package doctor

import "regexp"

// queueIDRule finds the queue or message id in a 250 reply to the end of
// data, for one server family.
type queueIDRule struct {
	what    string // "queue id", "message id"
	pattern *regexp.Regexp
	example string // a reply text (without the code) the rule must read
	want    string // the id in example
}

// queueIDRules are tried in order; the first match wins.
var queueIDRules = []queueIDRule{
	// Postfix, SendGrid, many others: "2.0.0 Ok: queued as 4XyZ1234Ab".
	{"queue id", regexp.MustCompile(`(?i)\bqueued as ([0-9A-Za-z][0-9A-Za-z._-]{3,})`),
		"2.0.0 Ok: queued as 4Q8hV70XyRz5", "4Q8hV70XyRz5"},
	// Exim: "OK id=1rAbCd-000Efg-Hi".
	{"queue id", regexp.MustCompile(`\bid=([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4})\b`),
		"OK id=1rKdUe-0004Xb-2Q", "1rKdUe-0004Xb-2Q"},
	// Sendmail: "2.0.0 4B1C2D3E4F5G6H Message accepted for delivery".
	{"queue id", regexp.MustCompile(`\b([0-9A-Za-z]{12,16}) Message accepted for delivery`),
		"2.0.0 4B1EA3pQ012345 Message accepted for delivery", "4B1EA3pQ012345"},
	// Amazon SES: "Ok 0100018f…-000000".
	{"message id", regexp.MustCompile(`(?i)^ok (0[0-9a-f]{15}-[0-9a-f]{8}-[0-9a-f-]{27,}-000000)\b`),
		"Ok 0100018f2b7c1a2d-6f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-000000", "0100018f2b7c1a2d-6f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-000000"},
	// Gmail: "2.0.0 OK  1712345678 a1b2c3d4e5f6-7g8h.123 - gsmtp".
	{"queue id", regexp.MustCompile(`(?i)\bOK\s+\d+\s+(\S+)\s+-\s+gsmtp\b`),
		"2.0.0 OK  1733300000 5b1f17b1804b1-434a1c2e2d0sm9876543f8f.17 - gsmtp", "5b1f17b1804b1-434a1c2e2d0sm9876543f8f.17"},
	// Microsoft 365: "2.0.0 OK <id@…prod.outlook.com> [Hostname=…]".
	{"message id", regexp.MustCompile(`\bOK <([^<>\s]+@[^<>\s]+)>`),
		"2.0.0 OK <DM6PR01MB1234ABCD@DM6PR01MB1234.namprd01.prod.outlook.com> [Hostname=DM6PR01MB1234.namprd01.prod.outlook.com]",
		"DM6PR01MB1234ABCD@DM6PR01MB1234.namprd01.prod.outlook.com"},
}

// QueueID reads the id a server gave an accepted message, from the text
// of its 250 reply; "" when it named none.
func QueueID(text string) (id, what string) {
	for _, r := range queueIDRules {
		if m := r.pattern.FindStringSubmatch(text); m != nil {
			return m[1], r.what
		}
	}
	return "", ""
}
