package doctor

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// testZone is the DNS data the discovery tests serve, as zone-file lines.
var testZone = []string{
	"_submissions._tcp.srv.example. 60 IN SRV 0 1 465 mail.srv.example.",
	"_submission._tcp.srv.example. 60 IN SRV 0 1 587 mail.srv.example.",
	"_submission._tcp.srv587.example. 60 IN SRV 10 1 587 smtp.srv587.example.",
	"_submission._tcp.srv587.example. 60 IN SRV 20 1 2525 backup.srv587.example.",
	"_submissions._tcp.dot.example. 60 IN SRV 0 0 0 .",
	"_submission._tcp.dot.example. 60 IN SRV 0 1 587 smtp.dot.example.",
	"workspace.example. 60 IN MX 1 aspmx.l.google.com.",
	"workspace.example. 60 IN MX 5 alt1.aspmx.l.google.com.",
	"m365.example. 60 IN MX 0 m365-example.mail.protection.outlook.com.",
	"sesin.example. 60 IN MX 10 inbound-smtp.eu-west-1.amazonaws.com.",
	"own.example. 60 IN MX 10 mx.own.example.",
	"smtp.own.example. 60 IN A 192.0.2.25",
	"other.example. 60 IN MX 10 mx.other.example.",
	"hosted.example. 60 IN MX 10 mx01.hoster.example.",
	"hosted.example. 60 IN MX 20 mx02.hoster.example.",
}

// startDNS serves testZone on a loopback UDP port and returns a resolver
// that asks only it.
func startDNS(t *testing.T) Resolver {
	t.Helper()
	records := map[string][]dns.RR{}
	for _, line := range testZone {
		rr, err := dns.NewRR(line)
		if err != nil {
			t.Fatalf("zone line %q: %v", line, err)
		}
		key := strings.ToLower(rr.Header().Name) + "/" + dns.TypeToString[rr.Header().Rrtype]
		records[key] = append(records[key], rr)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		q := req.Question[0]
		m.Answer = records[strings.ToLower(q.Name)+"/"+dns.TypeToString[q.Qtype]]
		if len(m.Answer) == 0 {
			m.Rcode = dns.RcodeNameError
			for key := range records {
				if strings.HasPrefix(key, strings.ToLower(q.Name)+"/") {
					m.Rcode = dns.RcodeSuccess // the name exists, not with this type
				}
			}
		}
		w.WriteMsg(m)
	})}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	addr := pc.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
}

// autoconfigDocs are served by host and path.
var autoconfigDocs = map[string]string{
	"autoconfig.auto.example/mail/config-v1.1.xml": `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="auto.example">
  <incomingServer type="imap"><hostname>imap.auto.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
  <outgoingServer type="smtp"><hostname>plain.auto.example</hostname><port>25</port><socketType>plain</socketType></outgoingServer>
  <outgoingServer type="smtp"><hostname>smtp.%EMAILDOMAIN%</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
</emailProvider></clientConfig>`,
	"wk.example/.well-known/autoconfig/mail/config-v1.1.xml": `<clientConfig version="1.1"><emailProvider id="wk">
  <outgoingServer type="smtp"><hostname>mail.wk.example</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>
</emailProvider></clientConfig>`,
	"autoconfig.thunderbird.net/v1.1/ispdb.example": `<clientConfig version="1.1"><emailProvider id="ispdb.example">
  <outgoingServer type="smtp"><hostname>smtp.ispdb.example</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>
</emailProvider></clientConfig>`,
	"autoconfig.thunderbird.net/v1.1/hoster.example": `<clientConfig version="1.1"><emailProvider id="hoster.example">
  <outgoingServer type="smtp"><hostname>submit.hoster.example</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
</emailProvider></clientConfig>`,
	"autoconfig.bad.example/mail/config-v1.1.xml": `<clientConfig><emailProvider>
  <outgoingServer type="smtp"><hostname>evil host\r\nX: y</hostname><port>99999</port></outgoingServer>
</emailProvider></clientConfig>`,
}

// startAutoconfig serves autoconfigDocs and returns a client whose every
// connection goes to it.
func startAutoconfig(t *testing.T) *http.Client {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, ok := autoconfigDocs[r.Host+r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(doc))
	}))
	t.Cleanup(ts.Close)
	addr := ts.Listener.Addr().String()
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// testISPDB is the ISPDB's address over plain HTTP, which the test
// client sends to the local server.
const testISPDB = "http://autoconfig.thunderbird.net/v1.1/"

func TestWhereDiscovery(t *testing.T) {
	resolver, client := startDNS(t), startAutoconfig(t)
	tests := []struct {
		address  string
		want     string
		implicit bool
		preset   string
		how      string // a substring of how it was found
		fail     string
		warning  string
	}{
		{address: "me@gmail.com", want: "smtp.gmail.com:587", preset: "gmail", how: "gmail.com is a Gmail"},
		{address: "Me <me@QQ.com>", want: "smtp.qq.com:465", implicit: true, preset: "qq"},
		{address: "me@srv.example", want: "mail.srv.example:465", implicit: true, how: "SRV _submissions._tcp.srv.example"},
		{address: "me@srv587.example", want: "smtp.srv587.example:587", how: "SRV _submission._tcp.srv587.example"},
		{address: "me@dot.example", want: "smtp.dot.example:587", how: "SRV _submission._tcp.dot.example"},
		{address: "me@auto.example", want: "smtp.auto.example:587", how: "autoconfig http://autoconfig.auto.example/mail/config-v1.1.xml"},
		{address: "me@wk.example", want: "mail.wk.example:465", implicit: true, how: "autoconfig http://wk.example/.well-known/autoconfig/mail/config-v1.1.xml"},
		{address: "me@workspace.example", want: "smtp.gmail.com:587", preset: "gmail", how: "MX aspmx.l.google.com is Gmail"},
		{address: "me@m365.example", want: "smtp.office365.com:587", preset: "microsoft", how: "MX m365-example.mail.protection.outlook.com"},
		{address: "me@sesin.example", want: "email-smtp.eu-west-1.amazonaws.com:587", preset: "ses"},
		{address: "me@ispdb.example", want: "smtp.ispdb.example:465", implicit: true, how: "Thunderbird's ISPDB entry for ispdb.example"},
		{address: "me@hosted.example", want: "submit.hoster.example:587", how: "ISPDB entry for hoster.example, the domain of hosted.example's MX hosts"},
		{address: "me@own.example", want: "smtp.own.example:587", how: "guessed smtp.own.example", warning: "is a guess"},
		{address: "me@other.example", fail: "no submission server found for other.example"},
		{address: "me@bad.example", fail: "no submission server found"},
		{address: "not an address", fail: "is not an email address"},
	}
	for _, tt := range tests {
		t.Run(tt.address, func(t *testing.T) {
			t.Parallel()
			r := &runner{opts: Options{For: tt.address, Resolver: resolver, HTTP: client, ISPDB: testISPDB}.withDefaults(), report: &Report{}}
			target, res := r.where(context.Background())
			if tt.fail != "" {
				if res.Status != StatusFail || !strings.Contains(res.Error, tt.fail) {
					t.Fatalf("where = %+v, want a failure with %q", res, tt.fail)
				}
				return
			}
			if res.Status != StatusPass || target.Address != tt.want || target.Implicit != tt.implicit || target.Preset != tt.preset || !strings.Contains(target.How, tt.how) {
				t.Fatalf("where = %+v (%s)\n%s\nwant %s implicit=%v preset=%q how %q", target, res.Summary, strings.Join(res.Details, "\n"), tt.want, tt.implicit, tt.preset, tt.how)
			}
			if tt.warning != "" && !strings.Contains(strings.Join(res.Warnings, "\n"), tt.warning) {
				t.Errorf("warnings %q lack %q", res.Warnings, tt.warning)
			}
		})
	}
}

func TestParseAutoconfigRejects(t *testing.T) {
	for _, doc := range []string{"", "<html>", "<clientConfig/>", autoconfigDocs["autoconfig.bad.example/mail/config-v1.1.xml"]} {
		if srv, err := parseAutoconfig([]byte(doc), "me@x.example", "x.example"); err == nil {
			t.Errorf("parseAutoconfig(%q) = %+v, want an error", doc, srv)
		}
	}
}
