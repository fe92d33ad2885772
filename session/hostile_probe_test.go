package session

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// A server talking out of turn makes a probe's later findings worthless
// ("AUTH not offered", no TLS): the probe stops at the stage where it saw
// it and says so, instead of reporting them with success.
func TestProbeDetectsAServerOutOfStep(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script func(p *peer)
		stage  Stage
	}{
		{"early talker", func(p *peer) {
			p.write("220 mx.test\r\n250-mx.test\r\n250 PIPELINING\r\n")
			p.readline()
			ehloReply(p, "STARTTLS", "AUTH PLAIN")
			p.readline()
		}, StageBanner},
		{"doubled reply", func(p *peer) {
			p.writeline("220 mx.test")
			p.expect("EHLO")
			p.write("250-mx.test\r\n250 PIPELINING\r\n250-mx.test\r\n250 PIPELINING\r\n")
			p.readline()
		}, StageEHLO},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := serve(t, 1, tc.script)
			rep, err := Probe(context.Background(), Config{Address: addr})
			var pe *ProbeError
			if !errors.As(err, &pe) || pe.Stage != tc.stage || !errors.Is(err, ErrOutOfStep) {
				t.Fatalf("probe error %v, want ErrOutOfStep at the %s stage", err, tc.stage)
			}
			if !rep.OutOfStep || !strings.Contains(rep.Error, "out of step") {
				t.Errorf("report: out_of_step %v, error %q", rep.OutOfStep, rep.Error)
			}
		})
	}
}

// Bytes injected after the 220 to STARTTLS are reported by probe, as a
// warning and as a JSON field, not silently dropped.
func TestProbeReportsSTARTTLSInjection(t *testing.T) {
	pki := newPKI(t)
	addr := starttlsServer(t, pki.goodLeaf(t), "250-injected\r\n250 AUTH PLAIN\r\n")
	rep, err := Probe(context.Background(), Config{Address: addr, RootCAs: pki.pool})
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	b, _ := json.Marshal(rep)
	var doc struct {
		Injection *struct {
			Octets  int    `json:"octets"`
			Preview string `json:"preview"`
		} `json:"starttls_injection"`
	}
	json.Unmarshal(b, &doc)
	if doc.Injection == nil || doc.Injection.Octets != len("250-injected\r\n250 AUTH PLAIN\r\n") || !strings.Contains(doc.Injection.Preview, "250-injected") {
		t.Errorf("JSON starttls_injection = %+v", doc.Injection)
	}
}

// 999 lines of 65 KB in every reply: the probe keeps the head of each
// reply, so what it holds stays bounded whatever the server sends.
func TestProbeHoldsBoundedMemoryAgainstHugeReplies(t *testing.T) {
	long := strings.Repeat("x", 65_000)
	huge := func(p *peer, code string) {
		var sb strings.Builder
		for i := 0; i < 998; i++ {
			sb.WriteString(code + "-" + long + "\r\n")
		}
		p.write(sb.String() + code + " end\r\n")
	}
	addr := serve(t, 1, func(p *peer) {
		huge(p, "220")
		p.expect("EHLO")
		huge(p, "250")
		p.readline()
		p.writeline("221 bye")
	})
	rep, err := Probe(context.Background(), Config{Address: addr, StartTLS: StartTLSOff})
	if err != nil {
		t.Fatalf("probe: %v", err)
	}
	held := len(rep.Banner)
	tr := rep.Transcript()
	for i := 0; i < tr.Len(); i++ {
		held += len(tr.Line(i).Text)
	}
	if limit := 4 * (maxReplyOctets + maxLineOctets); held > limit {
		t.Errorf("the probe holds %d octets of server text, want at most %d", held, limit)
	}
}
