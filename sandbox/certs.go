package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"time"
)

// CertKind chooses the certificate a scenario presents.
type CertKind int

// Certificate kinds. Every kind is signed by the sandbox's in-memory CA,
// so that a client trusting [Server.RootCAs] fails only for the reason
// the scenario teaches.
const (
	CertValid     CertKind = iota // valid for the host name, localhost, 127.0.0.1 and ::1
	CertExpired                   // valid names, but expired a month ago
	CertWrongHost                 // current, but for wrong-host.invalid only
)

// Certificate validity. The sandbox lives as long as its process, but a
// life under 30 days would make every probe of it warn "expires soon", so
// it gets a year; the back-dating absorbs small clock skew.
const (
	certLifetime  = 365 * 24 * time.Hour
	certBackdate  = time.Hour
	expiredBy     = 30 * 24 * time.Hour
	wrongHostName = "wrong-host.invalid"
	serialNumBits = 64
	caCommonName  = "smtpscope sandbox CA (in memory, this run only)"
	localhostName = "localhost"
)

// certificates is the sandbox's CA and the leaf it serves.
type certificates struct {
	pool  *x509.CertPool
	leaf  tls.Certificate
	caPEM []byte // the CA certificate (never its key), PEM-encoded
}

// newCertificates makes a fresh ECDSA P-256 CA and a leaf of the given
// kind for host. Nothing touches the disk.
func newCertificates(host string, kind CertKind, now time.Time) (*certificates, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sandbox: CA key: %w", err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: caCommonName, Organization: []string{"smtpscope"}},
		NotBefore:             now.Add(-certBackdate - expiredBy*2),
		NotAfter:              now.Add(certLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("sandbox: CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("sandbox: CA certificate: %w", err)
	}

	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sandbox: server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: host},
		NotBefore:    now.Add(-certBackdate),
		NotAfter:     now.Add(certLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{host, localhostName},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	switch kind {
	case CertExpired:
		tmpl.NotBefore = now.Add(-2 * expiredBy)
		tmpl.NotAfter = now.Add(-expiredBy)
	case CertWrongHost:
		tmpl.Subject.CommonName = wrongHostName
		tmpl.DNSNames = []string{wrongHostName}
		tmpl.IPAddresses = nil
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("sandbox: server certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &certificates{
		pool:  pool,
		leaf:  tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: leafKey},
		caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
	}, nil
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
