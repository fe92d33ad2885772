package session

import "time"

// TLSInfo describes a finished TLS handshake and how the peer's
// certificate chain fared in verification.
type TLSInfo struct {
	Version     string     // "TLS 1.3"
	Cipher      string     // "TLS_AES_128_GCM_SHA256"
	ServerName  string     // the SNI sent
	Verified    bool       // chain and host name verified against the roots
	Insecure    bool       // verification was switched off with --insecure
	Pinned      bool       // accepted because the user trusts exactly this certificate for this run
	VerifyError string     // plain-words reason when not verified
	VerifyHint  string     // the command-line settings that would get past it ("pass it with --ca FILE"); for command-line output only
	Chain       []CertInfo // the peer's chain, leaf first
	Handshake   time.Duration
}

// CertInfo is one certificate of the peer's chain, in display form.
type CertInfo struct {
	Subject    string // [ReadableName]: "CN=R11, O=Let's Encrypt, C=US"
	Issuer     string // likewise
	DNSNames   []string
	NotBefore  time.Time
	NotAfter   time.Time
	KeyType    string // "ECDSA P-256", "RSA 2048"
	Signature  string // "SHA256-RSA"
	SelfSigned bool
	// DER is the certificate as the server sent it, for saving the chain
	// as PEM; never displayed as text.
	DER []byte
}
