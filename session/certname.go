package session

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"strings"
)

// Short names of the attributes found in certificate names (RFC 4514 3,
// RFC 4519), by OID.
var dnAttributeNames = map[string]string{
	"2.5.4.3":                    "CN",
	"2.5.4.4":                    "SN",
	"2.5.4.5":                    "serialNumber",
	"2.5.4.6":                    "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "ST",
	"2.5.4.9":                    "STREET",
	"2.5.4.10":                   "O",
	"2.5.4.11":                   "OU",
	"2.5.4.17":                   "postalCode",
	"2.5.4.42":                   "GN",
	"2.5.4.97":                   "organizationIdentifier",
	"0.9.2342.19200300.100.1.1":  "UID",
	"0.9.2342.19200300.100.1.25": "DC",
	"1.2.840.113549.1.9.1":       "emailAddress",
	"1.3.6.1.4.1.311.60.2.1.3":   "jurisdictionC",
	"2.5.4.15":                   "businessCategory",
}

// ReadableName formats a certificate name for people: most specific
// attribute first, as RFC 4514 orders them ("CN=R11, O=Let's Encrypt,
// C=US"), but without its escapes — a value holding a comma, a plus or a
// quote is put in quotes instead ("O=\"Example, Inc.\""), so that
// "Example, Inc." reads as written and still as one value.
func ReadableName(n pkix.Name) string {
	rdns := n.ToRDNSequence()
	parts := make([]string, 0, len(rdns))
	for i := len(rdns) - 1; i >= 0; i-- {
		attrs := make([]string, 0, len(rdns[i]))
		for _, a := range rdns[i] {
			attrs = append(attrs, attributeName(a.Type)+"="+readableValue(a.Value))
		}
		parts = append(parts, strings.Join(attrs, " + "))
	}
	return strings.Join(parts, ", ")
}

func attributeName(oid asn1.ObjectIdentifier) string {
	if name, ok := dnAttributeNames[oid.String()]; ok {
		return name
	}
	return oid.String()
}

// readableValue is an attribute value as text, quoted when it holds what
// would otherwise read as a separator.
func readableValue(v any) string {
	s, ok := v.(string)
	if !ok {
		s = fmt.Sprint(v)
	}
	if strings.ContainsAny(s, ",+\"") || strings.TrimSpace(s) != s {
		return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
	}
	return s
}
