package session

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// dateLayout is how certificate dates appear in messages.
const dateLayout = "2006-01-02"

// certInfo describes one certificate for display.
func certInfo(c *x509.Certificate) CertInfo {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	return CertInfo{
		Subject:    ReadableName(c.Subject),
		Issuer:     ReadableName(c.Issuer),
		DNSNames:   names,
		NotBefore:  c.NotBefore,
		NotAfter:   c.NotAfter,
		KeyType:    keyType(c),
		Signature:  c.SignatureAlgorithm.String(),
		SelfSigned: selfSigned(c),
		DER:        c.Raw,
	}
}

// keyType names the public key: "RSA 2048", "ECDSA P-256", "Ed25519".
func keyType(c *x509.Certificate) string {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return c.PublicKeyAlgorithm.String()
}

// selfSigned reports whether c is signed by its own key.
func selfSigned(c *x509.Certificate) bool {
	// CheckSignatureFrom would also demand CA flags, which many
	// self-signed server certificates lack.
	return bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

// verifyProblem is why a chain did not verify: the reasons in plain
// words, and separately the command-line settings that would get past
// them, so that a program with other ways (keys, a dialog) can offer
// those instead.
type verifyProblem struct {
	reasons []string
	hints   []string // command-line remedies: "pass it with --ca FILE"
}

func (p *verifyProblem) add(reason, hint string) {
	p.reasons = append(p.reasons, reason)
	if hint != "" {
		p.hints = append(p.hints, hint)
	}
}

// Error is the reasons, then the remedies in parentheses.
func (p *verifyProblem) Error() string {
	if h := p.hint(); h != "" {
		return p.reason() + " (" + h + ")"
	}
	return p.reason()
}

func (p *verifyProblem) reason() string { return strings.Join(p.reasons, "; ") }
func (p *verifyProblem) hint() string   { return strings.Join(p.hints, "; ") }

// verifyChain checks the peer chain against roots and the host name and
// returns nil or a [*verifyProblem] saying why in plain words.
func verifyChain(chain []*x509.Certificate, name string, roots *x509.CertPool, now time.Time) *verifyProblem {
	if len(chain) == 0 {
		return &verifyProblem{reasons: []string{"the server sent no certificate"}}
	}
	leaf := chain[0]
	var p verifyProblem
	if name != "" {
		if err := leaf.VerifyHostname(name); err != nil {
			p.add(hostnameProblem(leaf, name))
		}
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now})
	if err != nil {
		p.add(chainProblem(err, chain, now))
	}
	if len(p.reasons) == 0 {
		return nil
	}
	return &p
}

// hostnameProblem says which names the certificate is valid for, and
// the settings that would match one.
func hostnameProblem(leaf *x509.Certificate, name string) (reason, hint string) {
	names := certInfo(leaf).DNSNames
	if len(names) == 0 && leaf.Subject.CommonName != "" {
		names = []string{leaf.Subject.CommonName + " (common name only, which verifiers ignore)"}
	}
	if len(names) == 0 {
		return fmt.Sprintf("the certificate names no host at all, so it cannot be valid for %s", name), ""
	}
	const maxNames = 6
	shown := names
	more := ""
	if len(shown) > maxNames {
		shown, more = shown[:maxNames], fmt.Sprintf(" and %d more", len(names)-maxNames)
	}
	return fmt.Sprintf("the certificate is valid only for %s%s, not for %s", strings.Join(shown, ", "), more, name),
		"connect by one of those names, or set --sni"
}

// chainProblem turns an x509 verification error into plain words, and
// the settings that would get past it.
func chainProblem(err error, chain []*x509.Certificate, now time.Time) (reason, hint string) {
	var inv x509.CertificateInvalidError
	if errors.As(err, &inv) && inv.Reason == x509.Expired {
		for _, c := range chain {
			if now.After(c.NotAfter) {
				return fmt.Sprintf("the certificate %s expired on %s", quoted(commonName(c)), c.NotAfter.UTC().Format(dateLayout)), ""
			}
			if now.Before(c.NotBefore) {
				return fmt.Sprintf("the certificate %s is not valid before %s (is this computer's clock right?)", quoted(commonName(c)), c.NotBefore.UTC().Format(dateLayout)), ""
			}
		}
		return "a certificate in the chain is outside its validity period", ""
	}
	var ua x509.UnknownAuthorityError
	if errors.As(err, &ua) {
		leaf := chain[0]
		switch {
		case selfSigned(leaf):
			return fmt.Sprintf("the certificate %s is self-signed, so nothing vouches for it", quoted(commonName(leaf))),
				"trust it with --ca FILE"
		case len(chain) == 1:
			return fmt.Sprintf("the certificate is issued by %s, which is not a trusted root here, and the server sent no intermediate certificate: either the server leaves out the intermediate that links it to a trusted root (a configuration error), or the issuer is a private CA", quoted(issuerName(leaf))),
				"a private CA? pass it with --ca FILE"
		default:
			top := chain[len(chain)-1]
			return fmt.Sprintf("the certificate is signed by an unknown authority %s", quoted(issuerName(top))),
				"a private CA? pass it with --ca FILE"
		}
	}
	if errors.As(err, &inv) {
		return "a certificate in the chain is not valid here: " + inv.Error(), ""
	}
	return err.Error(), ""
}

// quoted puts server-given text in quotes for a sentence, with control,
// bidi and zero-width characters as visible symbols (as everywhere else),
// not Go's escapes.
func quoted(s string) string { return `"` + protocol.Sanitize(s) + `"` }

func commonName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return ReadableName(c.Subject)
}

func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	return ReadableName(c.Issuer)
}
