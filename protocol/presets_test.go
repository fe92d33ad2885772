package protocol

import (
	"strings"
	"testing"
)

// requiredPresets are the providers the product promises presets for.
var requiredPresets = []string{"gmail", "microsoft", "outlook", "yahoo", "icloud", "qq", "exmail",
	"163", "126", "zoho", "ses", "sendgrid", "mailgun", "yandex", "fastmail"}

func TestPresetTableIsComplete(t *testing.T) {
	seen := map[string]string{}
	for _, p := range Presets() {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if n != strings.ToLower(n) {
				t.Errorf("%s: name or alias %q must be lower case", p.Name, n)
			}
			if other, dup := seen[n]; dup {
				t.Errorf("%q names both %s and %s", n, other, p.Name)
			}
			seen[n] = p.Name
		}
		switch {
		case p.Title == "" || p.Host == "" || p.Port == 0 || p.Username == "" || p.Docs == "":
			t.Errorf("%s: title, host, port, username and docs are required: %+v", p.Name, p)
		case p.TLS != PresetSTARTTLS && p.TLS != PresetImplicit:
			t.Errorf("%s: TLS mode %q", p.Name, p.TLS)
		case len(p.Mechanisms) == 0 || len(p.Needs) == 0:
			t.Errorf("%s: mechanisms and needs are required", p.Name)
		case p.Identity.Kind == "" || p.Identity.Rule == "" || p.Identity.Refusal == "" || p.Identity.Fix == "":
			t.Errorf("%s: the identity policy is incomplete: %+v", p.Name, p.Identity)
		case p.Implicit() != (p.Port == portSubmissions):
			t.Errorf("%s: port %d with TLS %s: implicit TLS belongs on 465", p.Name, p.Port, p.TLS)
		}
		if p.Provider != "" {
			if _, ok := ProviderByID(p.Provider); !ok {
				t.Errorf("%s: provider %q is not a known provider ID", p.Name, p.Provider)
			}
			if host, err := p.HostFor(""); err == nil {
				if got := DetectProvider(host, ""); got.ID != p.Provider {
					t.Errorf("%s: DetectProvider(%q) = %q, want the preset's provider %q", p.Name, host, got.ID, p.Provider)
				}
			}
		}
		for _, d := range p.Domains {
			if got, ok := PresetForDomain(d); !ok || got.Name != p.Name {
				t.Errorf("PresetForDomain(%q) = %q, want %s", d, got.Name, p.Name)
			}
		}
	}
	for _, name := range requiredPresets {
		if _, ok := LookupPreset(name); !ok {
			t.Errorf("no preset %q", name)
		}
	}
}

func TestLookupPreset(t *testing.T) {
	tests := []struct{ name, want string }{
		{"gmail", "gmail"}, {"GMail", "gmail"}, {" office365 ", "microsoft"}, {"hotmail", "outlook"},
		{"netease", "163"}, {"amazon", "ses"}, {"nope", ""},
	}
	for _, tt := range tests {
		p, ok := LookupPreset(tt.name)
		if p.Name != tt.want || ok != (tt.want != "") {
			t.Errorf("LookupPreset(%q) = %q, %v; want %q", tt.name, p.Name, ok, tt.want)
		}
	}
}

func TestPresetAddress(t *testing.T) {
	ses, _ := LookupPreset("ses")
	gmail, _ := LookupPreset("gmail")
	tests := []struct {
		p      Preset
		region string
		want   string
		err    string
	}{
		{gmail, "", "smtp.gmail.com:587", ""},
		{gmail, "eu-west-1", "", "no regions"},
		{ses, "", "email-smtp.us-east-1.amazonaws.com:587", ""},
		{ses, "EU-West-1", "email-smtp.eu-west-1.amazonaws.com:587", ""},
		{ses, "ap-southeast-2", "email-smtp.ap-southeast-2.amazonaws.com:587", ""},
		{ses, "mars", "", "not a region"},
		{ses, "us-east-1.evil.example", "", "not a region"},
	}
	for _, tt := range tests {
		got, err := tt.p.Address(tt.region)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s.Address(%q) error = %v, want %q", tt.p.Name, tt.region, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s.Address(%q) = %q, %v; want %q", tt.p.Name, tt.region, got, err, tt.want)
		}
	}
}

func TestPresetForMXAndHost(t *testing.T) {
	mx := []struct{ host, want, region string }{
		{"aspmx.l.google.com.", "gmail", ""},
		{"ALT1.ASPMX.L.GOOGLE.COM", "gmail", ""},
		{"contoso-com.mail.protection.outlook.com", "microsoft", ""},
		{"mxbiz1.qq.com", "exmail", ""},
		{"in1-smtp.messagingengine.com", "fastmail", ""},
		{"inbound-smtp.eu-west-1.amazonaws.com", "ses", "eu-west-1"},
		{"mx.example.org", "", ""},
		{"notgoogle.com", "", ""},
	}
	for _, tt := range mx {
		p, region, ok := PresetForMX(tt.host)
		if p.Name != tt.want || region != tt.region || ok != (tt.want != "") {
			t.Errorf("PresetForMX(%q) = %q, %q, %v; want %q, %q", tt.host, p.Name, region, ok, tt.want, tt.region)
		}
	}
	hosts := []struct{ host, want string }{
		{"smtp.gmail.com", "gmail"}, {"SMTP.QQ.COM.", "qq"}, {"email-smtp.eu-west-1.amazonaws.com", "ses"},
		{"email-smtp..amazonaws.com", ""}, {"smtp.example.org", ""},
	}
	for _, tt := range hosts {
		p, ok := PresetForHost(tt.host)
		if p.Name != tt.want || ok != (tt.want != "") {
			t.Errorf("PresetForHost(%q) = %q, %v; want %q", tt.host, p.Name, ok, tt.want)
		}
	}
}
