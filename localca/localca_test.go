package localca

import (
	"crypto/x509"
	"net"
	"strings"
	"testing"
	"time"
)

// now is a fixed clock: certificates are checked at this instant.
var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func newCA(t *testing.T) *Authority {
	t.Helper()
	ca, err := New(Options{CommonName: "test CA", Organization: "smtpscope", NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

func TestIssueVerifiesAgainstPool(t *testing.T) {
	ca := newCA(t)
	cert, err := ca.Issue(Leaf{CommonName: "proxy.test", DNSNames: []string{"proxy.test", "localhost"},
		IPs: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(cert.Certificate) != 2 {
		t.Fatalf("chain has %d certificates, want leaf and CA", len(cert.Certificate))
	}
	for _, name := range []string{"proxy.test", "localhost", "127.0.0.1"} {
		_, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: name, CurrentTime: now})
		if err != nil {
			t.Errorf("verify for %s: %v", name, err)
		}
	}
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "other.test", CurrentTime: now}); err == nil {
		t.Error("the certificate verified for a name it does not carry")
	}
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: newCA(t).Pool(), CurrentTime: now}); err == nil {
		t.Error("the certificate verified against another CA")
	}
}

func TestLoadRoundTrip(t *testing.T) {
	ca := newCA(t)
	key, err := ca.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"cert then key": append(ca.CertificatePEM(), key...),
		"key then cert": append(append([]byte(nil), key...), ca.CertificatePEM()...),
	} {
		got, err := Load(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Fingerprint() != ca.Fingerprint() {
			t.Errorf("%s: fingerprint %s, want %s", name, got.Fingerprint(), ca.Fingerprint())
		}
		leaf, err := got.Issue(Leaf{CommonName: "x", DNSNames: []string{"x"}, NotBefore: now, NotAfter: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := leaf.Leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "x", CurrentTime: now}); err != nil {
			t.Errorf("%s: a leaf of the loaded CA does not verify against the original: %v", name, err)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	ca, other := newCA(t), newCA(t)
	otherKey, _ := other.KeyPEM()
	leaf, _ := ca.Issue(Leaf{CommonName: "x", NotBefore: now, NotAfter: now.Add(time.Hour)})
	leafKey := keyPEM(t, leaf.PrivateKey)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "no PEM CERTIFICATE"},
		{"certificate only", ca.CertificatePEM(), "no PEM PRIVATE KEY"},
		{"key of another CA", append(ca.CertificatePEM(), otherKey...), "does not belong"},
		{"not a CA", append(pemOf(leaf.Certificate[0]), leafKey...), "not a CA"},
	} {
		_, err := Load(tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestFingerprintForm(t *testing.T) {
	fp := newCA(t).Fingerprint()
	if len(fp) != 32*3-1 || strings.Count(fp, ":") != 31 || strings.ToUpper(fp) != fp {
		t.Errorf("fingerprint %q is not 32 colon-separated upper-case hex pairs", fp)
	}
}

func TestNewRejectsEmptyValidity(t *testing.T) {
	if _, err := New(Options{CommonName: "x", NotBefore: now, NotAfter: now}); err == nil {
		t.Error("a CA with no validity period was made")
	}
}
