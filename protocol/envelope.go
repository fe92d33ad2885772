package protocol

import (
	"fmt"
	"strconv"
)

// Extension keywords a message may need on its envelope.
const (
	Ext8BitMIME = "8BITMIME" // RFC 6152: 8-bit message content
	ExtSMTPUTF8 = "SMTPUTF8" // RFC 6531: UTF-8 addresses and header fields
	ExtSize     = "SIZE"     // RFC 1870: message size declaration
)

// MessageNeeds says what a message needs of the server beyond plain SMTP.
type MessageNeeds struct {
	// EightBit: the content has octets over 127, which RFC 6152 3 allows
	// only after MAIL FROM:<…> BODY=8BITMIME to a server offering 8BITMIME.
	EightBit bool
	// UTF8: an address or a header field is UTF-8, which RFC 6531 3.4
	// allows only with the SMTPUTF8 parameter to a server offering it.
	UTF8 bool
	// EightBitWhy and UTF8Why name what needs each, for the error when
	// it is not offered: "the recipient address josé@example.com is not
	// ASCII". Empty: a general phrase is used.
	EightBitWhy, UTF8Why string
}

// Merge returns the needs of both.
func (n MessageNeeds) Merge(o MessageNeeds) MessageNeeds {
	if !n.EightBit {
		n.EightBit, n.EightBitWhy = o.EightBit, o.EightBitWhy
	}
	if !n.UTF8 {
		n.UTF8, n.UTF8Why = o.UTF8, o.UTF8Why
	}
	return n
}

// ExtensionError reports that a message needs an SMTP extension the
// server did not advertise, before anything is sent.
type ExtensionError struct {
	Extension string // the EHLO keyword: "SMTPUTF8"
	Why       string // what needs it: "the recipient address josé@example.com is not ASCII"
	Ref       string // the rule: "RFC 6531 3.4"
	Fix       string // what the user can do instead
}

func (e *ExtensionError) Error() string {
	msg := fmt.Sprintf("%s, which needs %s; the server did not offer %s in its EHLO reply (%s)", e.Why, e.Extension, e.Extension, e.Ref)
	if e.Fix != "" {
		msg += "; " + e.Fix
	}
	return msg
}

// MailParams returns the MAIL FROM parameters for a message of size
// octets (RFC 1870; -1 when unknown) with the given needs, for a server
// that advertised caps: SIZE=n when the server has SIZE, BODY=8BITMIME
// for 8-bit content (RFC 6152 3) and SMTPUTF8 for UTF-8 addresses or
// headers (RFC 6531 3.4). It returns an [*ExtensionError] when the
// message needs an extension that caps lack.
func MailParams(caps Capabilities, size int64, needs MessageNeeds) ([]Param, error) {
	var params []Param
	if _, ok := caps.Size(); ok && size >= 0 {
		params = append(params, Param{Name: ExtSize, Value: strconv.FormatInt(size, 10), HasValue: true})
	}
	if needs.UTF8 {
		if !caps.Has(ExtSMTPUTF8) {
			why := needs.UTF8Why
			if why == "" {
				why = "the message has UTF-8 addresses or header fields"
			}
			return nil, &ExtensionError{Extension: ExtSMTPUTF8, Why: why, Ref: "RFC 6531 3.4",
				Fix: "use ASCII addresses (an internationalized domain can be written in its xn-- form)"}
		}
	}
	if needs.EightBit {
		if !caps.Has(Ext8BitMIME) {
			why := needs.EightBitWhy
			if why == "" {
				why = "the message has 8-bit content"
			}
			return nil, &ExtensionError{Extension: Ext8BitMIME, Why: why, Ref: "RFC 6152 3",
				Fix: "encode it as 7-bit (quoted-printable or base64), as the message form does"}
		}
		params = append(params, Param{Name: "BODY", Value: Ext8BitMIME, HasValue: true})
	}
	if needs.UTF8 {
		params = append(params, Param{Name: ExtSMTPUTF8})
	}
	return params, nil
}
