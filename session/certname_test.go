package session

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
)

func TestReadableName(t *testing.T) {
	for _, c := range []struct {
		name pkix.Name
		want string
	}{
		{pkix.Name{CommonName: "R11", Organization: []string{"Let's Encrypt"}, Country: []string{"US"}}, "CN=R11, O=Let's Encrypt, C=US"},
		{pkix.Name{CommonName: "Example CA", Organization: []string{"Example, Inc."}}, `CN=Example CA, O="Example, Inc."`},
		{pkix.Name{CommonName: `say "hi"`}, `CN="say \"hi\""`},
		{pkix.Name{CommonName: "a+b"}, `CN="a+b"`},
		{pkix.Name{ExtraNames: []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}, Value: "example"}}}, "DC=example"},
		{pkix.Name{ExtraNames: []pkix.AttributeTypeAndValue{{Type: asn1.ObjectIdentifier{1, 2, 3}, Value: "x"}}}, "1.2.3=x"},
		{pkix.Name{}, ""},
	} {
		if got := ReadableName(c.name); got != c.want {
			t.Errorf("ReadableName(%v) = %q, want %q", c.name, got, c.want)
		}
	}
}
