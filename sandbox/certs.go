package sandbox

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"time"

	"github.com/smtpscope/smtpscope/localca"
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
	caCommonName  = "smtpscope sandbox CA (in memory for this run only)"
	caOrg         = "smtpscope"
	localhostName = "localhost"
)

// certificates is the sandbox's CA and the leaf it serves.
type certificates struct {
	ca    *localca.Authority
	pool  *x509.CertPool
	leaf  tls.Certificate
	caPEM []byte // the CA certificate (never its key), PEM-encoded
}

// newCertificates makes a leaf of the given kind for host, signed by ca,
// or by a fresh CA when ca is nil. Nothing touches the disk.
func newCertificates(ca *localca.Authority, host string, kind CertKind, now time.Time) (*certificates, error) {
	if ca == nil {
		var err error
		ca, err = localca.New(localca.Options{
			CommonName: caCommonName, Organization: caOrg,
			// Back-dated far enough to cover the expired leaf.
			NotBefore: now.Add(-certBackdate - expiredBy*2),
			NotAfter:  now.Add(certLifetime),
		})
		if err != nil {
			return nil, err
		}
	}
	leaf := localca.Leaf{
		CommonName: host,
		DNSNames:   []string{host, localhostName},
		IPs:        []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:  now.Add(-certBackdate),
		NotAfter:   now.Add(certLifetime),
	}
	switch kind {
	case CertExpired:
		leaf.NotBefore = now.Add(-2 * expiredBy)
		leaf.NotAfter = now.Add(-expiredBy)
	case CertWrongHost:
		leaf.CommonName = wrongHostName
		leaf.DNSNames = []string{wrongHostName}
		leaf.IPs = nil
	}
	cert, err := ca.Issue(leaf)
	if err != nil {
		return nil, err
	}
	return &certificates{ca: ca, pool: ca.Pool(), leaf: cert, caPEM: ca.CertificatePEM()}, nil
}
