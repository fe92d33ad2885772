package session

import (
	"context"
	"errors"
	"net"
	"reflect"
	"strings"
	"testing"
)

type fakeResolver struct {
	mx  []*net.MX
	err error
}

func (f fakeResolver) LookupMX(context.Context, string) ([]*net.MX, error) { return f.mx, f.err }

func TestLookupMX(t *testing.T) {
	notFound := &net.DNSError{Err: "no such host", Name: "x.test", IsNotFound: true}
	cases := []struct {
		name    string
		r       fakeResolver
		want    []MXHost
		wantErr string
	}{
		{"by preference", fakeResolver{mx: []*net.MX{{Host: "b.x.test.", Pref: 20}, {Host: "a.x.test.", Pref: 10}, {Host: "c.x.test.", Pref: 20}}},
			[]MXHost{{"a.x.test", 10}, {"b.x.test", 20}, {"c.x.test", 20}}, ""},
		{"implicit MX", fakeResolver{err: notFound}, []MXHost{{"x.test", 0}}, ""},
		{"null MX", fakeResolver{mx: []*net.MX{{Host: ".", Pref: 0}}}, nil, "accepts no mail"},
		{"resolver failure", fakeResolver{err: errors.New("server misbehaving")}, nil, "failed"},
	}
	for _, c := range cases {
		got, err := LookupMX(context.Background(), c.r, "x.test.")
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: error %v, want %q", c.name, err, c.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}
