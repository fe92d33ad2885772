package doctor

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/smtpscope/smtpscope/protocol"
)

// maxAutoconfigOctets bounds an autoconfig document: real ones are a few
// kilobytes.
const maxAutoconfigOctets = 1 << 20

// autoconfigURLs are where mail clients look for a domain's settings
// document (Thunderbird's autoconfig format), in the order Thunderbird
// tries them: the autoconfig subdomain, then the domain's .well-known
// location, over HTTPS first, then over plain HTTP as Thunderbird still
// does. {domain} and {address} are filled in.
var autoconfigURLs = []string{
	"https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={address}",
	"https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
	"http://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={address}",
	"http://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
}

// DefaultISPDB is Thunderbird's database of mail providers' settings
// (ISPDB), which mail clients ask when a domain publishes no document of
// its own: the domain, then the domain of its MX host, is appended.
const DefaultISPDB = "https://autoconfig.thunderbird.net/v1.1/"

// fetchISPDB looks domain up in the ISPDB at base; address fills the
// document's placeholders.
func fetchISPDB(ctx context.Context, client *http.Client, base, address, domain string) (autoconfigServer, string, error) {
	u := base + url.PathEscape(domain)
	srv, err := fetchOneAutoconfig(ctx, client, u, address, domain)
	if err != nil {
		return autoconfigServer{}, fmt.Sprintf("ISPDB %s: %v", u, err), err
	}
	return srv, "ISPDB " + u + ": found", nil
}

// autoconfigDoc is the part of a config-v1.1.xml document discovery reads.
type autoconfigDoc struct {
	XMLName  xml.Name `xml:"clientConfig"`
	Provider struct {
		Outgoing []struct {
			Type       string `xml:"type,attr"`
			Hostname   string `xml:"hostname"`
			Port       string `xml:"port"`
			SocketType string `xml:"socketType"`
		} `xml:"outgoingServer"`
	} `xml:"emailProvider"`
}

// autoconfigServer is an outgoing server found in a document.
type autoconfigServer struct {
	address  string
	implicit bool
	url      string
	plain    bool // no TLS at all (socketType plain)
}

// fetchAutoconfig tries each autoconfig location for address and returns
// the first SMTP server found, with what each attempt gave.
func fetchAutoconfig(ctx context.Context, client *http.Client, address, domain string) (autoconfigServer, []string, error) {
	var tried []string
	for _, tmpl := range autoconfigURLs {
		u := strings.NewReplacer("{domain}", domain, "{address}", url.QueryEscape(address)).Replace(tmpl)
		srv, err := fetchOneAutoconfig(ctx, client, u, address, domain)
		if err == nil {
			if strings.HasPrefix(u, "http:") {
				tried = append(tried, fmt.Sprintf("%s: found (over plain HTTP: anyone on the path could have changed it)", u))
			} else {
				tried = append(tried, u+": found")
			}
			return srv, tried, nil
		}
		tried = append(tried, fmt.Sprintf("%s: %v", u, err))
		if ctx.Err() != nil {
			break
		}
	}
	return autoconfigServer{}, tried, errors.New("no autoconfig document")
}

// fetchOneAutoconfig fetches and reads one autoconfig document.
func fetchOneAutoconfig(ctx context.Context, client *http.Client, u, address, domain string) (autoconfigServer, error) {
	ctx, cancel := context.WithTimeout(ctx, DefaultLookupTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return autoconfigServer{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return autoconfigServer{}, shortHTTPError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return autoconfigServer{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAutoconfigOctets+1))
	if err != nil {
		return autoconfigServer{}, err
	}
	if len(body) > maxAutoconfigOctets {
		return autoconfigServer{}, fmt.Errorf("the document is larger than %d octets", maxAutoconfigOctets)
	}
	srv, err := parseAutoconfig(body, address, domain)
	srv.url = u
	return srv, err
}

// parseAutoconfig reads the SMTP server of a document, preferring one
// with TLS; placeholders (%EMAILDOMAIN%) are filled in.
func parseAutoconfig(body []byte, address, domain string) (autoconfigServer, error) {
	var doc autoconfigDoc
	if err := xml.Unmarshal(body, &doc); err != nil {
		return autoconfigServer{}, fmt.Errorf("not an autoconfig document: %w", err)
	}
	local, _, _ := strings.Cut(address, "@")
	fill := strings.NewReplacer("%EMAILDOMAIN%", domain, "%EMAILADDRESS%", address, "%EMAILLOCALPART%", local)
	var found []autoconfigServer
	for _, o := range doc.Provider.Outgoing {
		if !strings.EqualFold(o.Type, "smtp") {
			continue
		}
		host := strings.TrimSpace(fill.Replace(o.Hostname))
		port, err := strconv.Atoi(strings.TrimSpace(o.Port))
		if !validHostname(host) || err != nil || port < 1 || port > 65535 {
			continue
		}
		s := autoconfigServer{address: net.JoinHostPort(host, strconv.Itoa(port))}
		switch strings.ToUpper(strings.TrimSpace(o.SocketType)) {
		case "SSL", "TLS":
			s.implicit = true
		case "PLAIN":
			s.plain = true
		}
		found = append(found, s)
	}
	for _, s := range found {
		if !s.plain {
			return s, nil
		}
	}
	if len(found) > 0 {
		return found[0], nil
	}
	return autoconfigServer{}, errors.New("the document names no usable SMTP server")
}

// validHostname accepts a DNS name or an IP address, nothing that could
// carry other text.
func validHostname(host string) bool {
	if host == "" || len(host) > 253 {
		return false
	}
	if net.ParseIP(host) != nil {
		return true
	}
	for _, r := range host {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '_':
		default:
			return false
		}
	}
	return true
}

// shortHTTPError keeps the part of a fetch error a person needs.
func shortHTTPError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return errors.New("no such host")
	}
	return errors.New(protocol.Sanitize(err.Error()))
}
