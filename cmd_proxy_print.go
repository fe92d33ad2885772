package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
	"github.com/smtpscope/smtpscope/proxy"
	"github.com/smtpscope/smtpscope/session"
)

// proxyTimeLayout is how the headless transcript stamps lines.
const proxyTimeLayout = "15:04:05.000"

// printProxyIntro says where to point the application and how TLS works.
func printProxyIntro(w io.Writer, p *proxy.Proxy, cfg proxy.Config, o proxyOptions, createdCA bool) {
	up := cfg.Upstream
	mode := "STARTTLS " + strings.ToLower(o.upstreamSTLS)
	if up.TLSMode == session.TLSImplicit {
		mode = "implicit TLS"
	}
	verify := "certificate verified"
	if up.Insecure {
		verify = "certificate NOT verified (--insecure)"
	}
	fmt.Fprintf(w, "smtpscope proxy → %s (%s, %s)\n", p.Upstream(), mode, verify)
	offer := "STARTTLS offered"
	if cfg.NoDownstreamStartTLS {
		offer = "no STARTTLS offered"
	}
	fmt.Fprintf(w, "listening on %s (plain SMTP, %s): point the application here\n", p.Addr(), offer)
	if a := p.TLSAddr(); a != "" {
		fmt.Fprintf(w, "listening on %s (implicit TLS, for applications set to SSL/TLS)\n", a)
	}
	fmt.Fprintln(w, "TLS is terminated on both legs: the application talks TLS to smtpscope, and smtpscope talks TLS to the server on its own")
	ca := p.CA()
	where := "made at start, in memory only"
	switch {
	case createdCA:
		where = "made now and kept with its key in " + o.downstreamCA
	case o.downstreamCA != "":
		where = "read from " + o.downstreamCA
	}
	fmt.Fprintf(w, "smtpscope's certificate is for %s, signed by its CA (%s), SHA-256 fingerprint %s\n",
		strings.Join(certNames(p), ", "), where, ca.Fingerprint())
	if o.caOut != "" {
		fmt.Fprintf(w, "CA certificate written to %s: an application that verifies certificates must trust it\n", o.caOut)
	} else {
		fmt.Fprintln(w, "CA certificate (an application that verifies certificates must trust it; --ca-out FILE saves it):")
		w.Write(ca.CertificatePEM())
	}
}

// certNames lists the names smtpscope's certificate is valid for.
func certNames(p *proxy.Proxy) []string {
	leaf := p.Certificate().Leaf
	if leaf == nil {
		return nil
	}
	names := append([]string(nil), leaf.DNSNames...)
	for _, ip := range leaf.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

// proxyPrinter prints the live transcript of every connection, one line
// per event worth reading. Event text is already sanitized and redacted.
type proxyPrinter struct {
	w        io.Writer
	conns    int
	messages int
	said     map[uint64]string // the latest note printed per open connection
}

func newProxyPrinter(w io.Writer) *proxyPrinter {
	return &proxyPrinter{w: w, said: map[uint64]string{}}
}

// legTag marks a line that crossed only one leg.
func legTag(l proxy.Leg) string {
	switch l {
	case proxy.LegApp:
		return "app"
	case proxy.LegUpstream:
		return "server"
	}
	return ""
}

func (pr *proxyPrinter) print(e proxy.Event) {
	stamp := e.Time.Format(proxyTimeLayout)
	conn := "proxy"
	if e.Conn > 0 {
		conn = fmt.Sprintf("#%d", e.Conn)
	}
	line := func(tag, text string) { fmt.Fprintf(pr.w, "%s %-5s %-7s %s\n", stamp, conn, tag, text) }
	switch e.Kind {
	case session.KindClient:
		line(legTag(e.Leg), "C: "+e.Text)
	case session.KindServer:
		text := "S: " + e.Text
		if e.Decoded != "" {
			text += "  ⟶ " + e.Decoded
		}
		if l := e.Latency.Round(time.Millisecond); l > 0 {
			text += fmt.Sprintf("  (+%s)", l)
		}
		line(legTag(e.Leg), text)
	case session.KindInfo:
		pr.said[e.Conn] = e.Text
		line("note", e.Text)
	case session.KindWarning:
		line("WARNING", e.Text)
	case session.KindError:
		pr.said[e.Conn] = e.Text
		line("ERROR", e.Text)
	case session.KindConnected:
		if e.Leg == proxy.LegApp {
			pr.conns++
			line("", "application connected from "+e.Text)
		} else {
			line("server", "connected to "+e.Text)
		}
	case session.KindClosed:
		if e.Leg == proxy.LegApp && e.Info != nil {
			pr.messages += e.Info.Messages
			text := "connection closed"
			if e.Info.Err != "" && e.Info.Err != pr.said[e.Conn] {
				text += ": " + e.Info.Err
			}
			delete(pr.said, e.Conn)
			line("", fmt.Sprintf("%s (%s)", text, connSummary(e.Info)))
		}
	}
}

// connSummary is the one-line account of a finished connection.
func connSummary(i *proxy.ConnInfo) string {
	tls := func(t *session.TLSInfo) string {
		if t == nil {
			return "plain"
		}
		return t.Version
	}
	parts := []string{"application " + tls(i.App.TLS), "server " + tls(i.UpstreamLeg.TLS)}
	if i.Mechanism != "" {
		verdict := "refused"
		if i.Authenticated {
			verdict = "accepted"
		}
		parts = append(parts, "AUTH "+protocol.Sanitize(i.Mechanism)+" "+verdict)
	}
	parts = append(parts, fmt.Sprintf("%d messages", i.Messages))
	return strings.Join(parts, ", ")
}
