package localca

import (
	"crypto/x509"
	"encoding/pem"
	"testing"
)

func pemOf(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: pemCertificate, Bytes: der})
}

// leafKeyPEM encodes a leaf's private key the way KeyPEM encodes a CA's.
func keyPEM(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der})
}
