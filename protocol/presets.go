package protocol

import (
	"fmt"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// PresetTLS says how a preset's port starts TLS.
type PresetTLS string

// TLS modes of a preset's port.
const (
	PresetSTARTTLS PresetTLS = "starttls" // plain first, then STARTTLS (RFC 3207; RFC 6409 submission, port 587)
	PresetImplicit PresetTLS = "implicit" // TLS from the first byte (RFC 8314 3.3, port 465)
)

// IdentityKind says which sender addresses a provider lets a logged-in
// account use, in MAIL FROM and in the From: header.
type IdentityKind string

// Sender policies.
const (
	// IdentityLogin: only the address that logged in (QQ, NetEase).
	IdentityLogin IdentityKind = "login-only"
	// IdentityAliases: the account and the aliases it verified; other From
	// addresses are refused or rewritten to the account (Gmail's "Send mail as").
	IdentityAliases IdentityKind = "aliases"
	// IdentitySendAs: the mailbox, and addresses an admin granted it Send As
	// rights on (Microsoft 365).
	IdentitySendAs IdentityKind = "send-as"
	// IdentityVerified: any address or domain verified with the service
	// (Amazon SES, SendGrid, Mailgun).
	IdentityVerified IdentityKind = "verified"
)

// IdentityPolicy is a provider's rule for sender addresses.
type IdentityPolicy struct {
	Kind IdentityKind
	Rule string // the rule in one sentence
	// Refusal says how a sender outside the rule fails: when and with
	// which reply ("refused at MAIL FROM with 501 …", "rewritten").
	Refusal string
	Fix     string // how to be allowed to send as another address
}

// Preset is what smtpscope knows of one provider's submission service:
// where it listens and what an account needs before it can send. Presets
// are data: `smtpscope connect --provider`, `smtpscope doctor` and
// `smtpscope providers` read the same table.
type Preset struct {
	Name     string   // the --provider value: "gmail"
	Aliases  []string // other accepted names: "google"
	Title    string   // for people: "Gmail / Google Workspace"
	Provider string   // the provider ID used by Explain, "" when Explain has none

	// Host is the submission host; a "{region}" in it is replaced by the
	// region (Amazon SES), DefaultRegion when none is given.
	Host          string
	DefaultRegion string
	Port          int
	TLS           PresetTLS
	Mechanisms    []string // AUTH mechanisms the service offers, in its order

	Username string   // what to give as the AUTH username
	Needs    []string // what the account needs before SMTP works, most important first
	Identity IdentityPolicy
	Docs     string // the provider's page on SMTP settings

	Domains    []string // address domains served by this preset (for doctor --for)
	MXSuffixes []string // MX host names showing a custom domain hosted here
}

// regionPlaceholder is replaced by the region in a preset's host.
const regionPlaceholder = "{region}"

// regionPattern is the shape of an AWS region name ("eu-west-1").
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)

// Regional reports whether the preset's host depends on a region.
func (p Preset) Regional() bool { return strings.Contains(p.Host, regionPlaceholder) }

// HostFor returns the preset's host for region ("" takes the default).
func (p Preset) HostFor(region string) (string, error) {
	if !p.Regional() {
		if region != "" {
			return "", fmt.Errorf("the %s preset has no regions; --region applies to ses", p.Name)
		}
		return p.Host, nil
	}
	if region == "" {
		region = p.DefaultRegion
	}
	region = strings.ToLower(strings.TrimSpace(region))
	if !regionPattern.MatchString(region) {
		return "", fmt.Errorf("%q is not a region name like us-east-1 or eu-west-1", region)
	}
	return strings.ReplaceAll(p.Host, regionPlaceholder, region), nil
}

// Address returns host:port for region ("" takes the default).
func (p Preset) Address(region string) (string, error) {
	host, err := p.HostFor(region)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(host, strconv.Itoa(p.Port)), nil
}

// Implicit reports whether the preset's port speaks TLS from the first byte.
func (p Preset) Implicit() bool { return p.TLS == PresetImplicit }

// Presets returns the preset table, sorted by name.
func Presets() []Preset {
	out := append([]Preset(nil), presets...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// PresetNames returns the names of the presets, sorted.
func PresetNames() []string {
	var names []string
	for _, p := range Presets() {
		names = append(names, p.Name)
	}
	return names
}

// LookupPreset finds a preset by name or alias, in any case.
func LookupPreset(name string) (Preset, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, p := range presets {
		if p.Name == name {
			return p, true
		}
		for _, a := range p.Aliases {
			if a == name {
				return p, true
			}
		}
	}
	return Preset{}, false
}

// PresetForDomain returns the preset of a mail domain the provider owns
// ("gmail.com" → gmail, "qq.com" → qq).
func PresetForDomain(domain string) (Preset, bool) {
	domain = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	for _, p := range presets {
		for _, d := range p.Domains {
			if d == domain {
				return p, true
			}
		}
	}
	return Preset{}, false
}

// sesInboundPattern reads the region from an Amazon SES inbound MX host.
var sesInboundPattern = regexp.MustCompile(`^inbound-smtp\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com$`)

// PresetForMX returns the preset whose service hosts a domain with this MX
// host (aspmx.l.google.com → gmail, *.mail.protection.outlook.com →
// microsoft), and the region the host names, if any.
func PresetForMX(host string) (p Preset, region string, ok bool) {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if m := sesInboundPattern.FindStringSubmatch(host); m != nil {
		p, ok = LookupPreset("ses")
		return p, m[1], ok
	}
	for _, p := range presets {
		for _, suffix := range p.MXSuffixes {
			if host == suffix || strings.HasSuffix(host, "."+suffix) {
				return p, "", true
			}
		}
	}
	return Preset{}, "", false
}

// PresetForHost returns the preset whose submission host is host
// (smtp.gmail.com → gmail), for the provider's policy when the user gave
// a host rather than a preset.
func PresetForHost(host string) (Preset, bool) {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	for _, p := range presets {
		if !p.Regional() && p.Host == host {
			return p, true
		}
		if p.Regional() {
			prefix, suffix, _ := strings.Cut(p.Host, regionPlaceholder)
			if strings.HasPrefix(host, prefix) && strings.HasSuffix(host, suffix) && len(host) > len(prefix)+len(suffix) {
				return p, true
			}
		}
	}
	return Preset{}, false
}
