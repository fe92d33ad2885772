// Package sasl provides the SASL client mechanisms smtpscope speaks, all
// behind go-sasl's [sasl.Client] interface: PLAIN, OAUTHBEARER, EXTERNAL
// and ANONYMOUS from go-sasl; SCRAM-SHA-1 and SCRAM-SHA-256 over
// github.com/xdg-go/scram; and LOGIN (tolerant of any prompt wording),
// CRAM-MD5 and XOAUTH2, written here.
package sasl
