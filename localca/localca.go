// Package localca makes throwaway certificate authorities in memory and
// issues server certificates from them. The sandbox signs its demo
// certificate with one; the proxy signs the certificate it shows the
// application. A CA's private key stays in memory unless the caller asks
// for it ([Authority.KeyPEM]), so a certificate it issued is trusted only
// by whoever was handed [Authority.CertificatePEM] during its life.
package localca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// serialNumBits is the size of the random serial numbers (RFC 5280
// 4.1.2.2 allows up to 20 octets; CA/B rules ask for 64 random bits).
const serialNumBits = 64

// PEM block types.
const (
	pemCertificate = "CERTIFICATE"
	pemPrivateKey  = "PRIVATE KEY" // PKCS #8 (RFC 5208)
)

// Authority is a certificate authority: an ECDSA P-256 key and its
// self-signed certificate, limited to signing end-entity certificates
// (path length zero).
type Authority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// Options describe a new [Authority].
type Options struct {
	CommonName   string
	Organization string
	NotBefore    time.Time
	NotAfter     time.Time
}

// New makes a fresh CA. Nothing touches the disk.
func New(o Options) (*Authority, error) {
	if !o.NotAfter.After(o.NotBefore) {
		return nil, errors.New("localca: the CA's validity ends before it begins")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("localca: CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: o.CommonName},
		NotBefore:             o.NotBefore,
		NotAfter:              o.NotAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	if o.Organization != "" {
		tmpl.Subject.Organization = []string{o.Organization}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("localca: CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("localca: CA certificate: %w", err)
	}
	return &Authority{cert: cert, key: key}, nil
}

// Load reads a CA saved with [Authority.CertificatePEM] and
// [Authority.KeyPEM] (in one file or two, in any order): the first
// certificate and the first private key found.
func Load(pemData []byte) (*Authority, error) {
	var cert *x509.Certificate
	var key *ecdsa.PrivateKey
	for rest := pemData; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		switch {
		case b.Type == pemCertificate && cert == nil:
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("localca: the certificate cannot be read: %w", err)
			}
			cert = c
		case strings.HasSuffix(b.Type, pemPrivateKey) && key == nil:
			k, err := parseKey(b)
			if err != nil {
				return nil, err
			}
			key = k
		}
	}
	switch {
	case cert == nil:
		return nil, errors.New("localca: no PEM CERTIFICATE block found")
	case key == nil:
		return nil, errors.New("localca: no PEM PRIVATE KEY block found (the CA's key is needed to sign)")
	case !cert.IsCA:
		return nil, errors.New("localca: the certificate is not a CA certificate")
	case !key.PublicKey.Equal(cert.PublicKey):
		return nil, errors.New("localca: the private key does not belong to the certificate")
	}
	return &Authority{cert: cert, key: key}, nil
}

// parseKey reads an ECDSA key in PKCS #8 or SEC 1 form.
func parseKey(b *pem.Block) (*ecdsa.PrivateKey, error) {
	if k, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		if ec, ok := k.(*ecdsa.PrivateKey); ok {
			return ec, nil
		}
		return nil, errors.New("localca: the private key is not an ECDSA key")
	}
	k, err := x509.ParseECPrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("localca: the private key cannot be read: %w", err)
	}
	return k, nil
}

// Certificate returns the CA's certificate.
func (a *Authority) Certificate() *x509.Certificate { return a.cert }

// CertificatePEM returns the CA's certificate (never its key) in PEM form,
// for clients that must trust it.
func (a *Authority) CertificatePEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: pemCertificate, Bytes: a.cert.Raw})
}

// KeyPEM returns the CA's private key in PKCS #8 PEM form. Whoever holds
// it can make certificates the CA's trusters accept: write it only to a
// file readable by its owner alone.
func (a *Authority) KeyPEM() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(a.key)
	if err != nil {
		return nil, fmt.Errorf("localca: encoding the CA key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), nil
}

// Pool returns a pool trusting only this CA.
func (a *Authority) Pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(a.cert)
	return pool
}

// Fingerprint returns the SHA-256 fingerprint of the CA certificate as
// colon-separated upper-case hex, the form browsers and openssl show.
func (a *Authority) Fingerprint() string {
	sum := sha256.Sum256(a.cert.Raw)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// Leaf describes a server certificate to issue.
type Leaf struct {
	CommonName string
	DNSNames   []string
	IPs        []net.IP
	NotBefore  time.Time
	NotAfter   time.Time
}

// Issue makes a fresh ECDSA P-256 key and a server certificate for l,
// signed by the CA. The returned certificate carries the CA certificate
// after the leaf, so that clients which need the chain get it.
func (a *Authority) Issue(l Leaf) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("localca: server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: l.CommonName},
		NotBefore:    l.NotBefore,
		NotAfter:     l.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     l.DNSNames,
		IPAddresses:  l.IPs,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &key.PublicKey, a.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("localca: server certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("localca: server certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der, a.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// serial returns a random positive certificate serial number.
func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), serialNumBits))
	if err != nil {
		// crypto/rand does not fail on supported platforms; a fixed serial
		// is still a valid certificate.
		return big.NewInt(1)
	}
	return n.Add(n, big.NewInt(1))
}
