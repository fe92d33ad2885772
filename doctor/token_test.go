package doctor

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/smtpscope/smtpscope/protocol"
)

// makeJWT builds an unsigned-looking JWT with these claims.
func makeJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." + enc(claims) + ".c2lnbmF0dXJl"
}

var tokenNow = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func TestDecodeTokenAndPredict(t *testing.T) {
	later, earlier := tokenNow.Add(time.Hour).Unix(), tokenNow.Add(-time.Hour).Unix()
	ms := func(extra map[string]any) map[string]any {
		c := map[string]any{"aud": "https://outlook.office.com", "iss": "https://sts.windows.net/tenant-id/",
			"scp": "SMTP.Send offline_access", "upn": "me@contoso.com", "exp": later}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	tests := []struct {
		name     string
		token    string
		provider string
		user     string
		kind     string
		wantErr  bool
		predict  []string // substrings, one per expected prediction; nil: none
		fact     string   // a substring of the facts
	}{
		{name: "microsoft delegated token", token: makeJWT(t, ms(nil)), provider: protocol.ProviderMicrosoft, user: "ME@contoso.com",
			kind: TokenJWT, fact: "scopes: SMTP.Send offline_access"},
		{name: "microsoft token known by its issuer", token: makeJWT(t, ms(map[string]any{"scp": "Mail.Read"})), user: "me@contoso.com",
			kind: TokenJWT, predict: []string{"lacks the SMTP permission"}},
		{name: "graph audience", token: makeJWT(t, ms(map[string]any{"aud": "https://graph.microsoft.com"})), provider: protocol.ProviderMicrosoft,
			user: "me@contoso.com", kind: TokenJWT, predict: []string{"Microsoft Graph"}},
		{name: "audience as a list", token: makeJWT(t, ms(map[string]any{"aud": []string{"https://outlook.office365.com/"}})), provider: protocol.ProviderMicrosoft,
			user: "me@contoso.com", kind: TokenJWT},
		{name: "expired", token: makeJWT(t, ms(map[string]any{"exp": earlier})), provider: protocol.ProviderMicrosoft, user: "me@contoso.com",
			kind: TokenJWT, predict: []string{"expired at 2026-12-04T11:00:00Z (1h0m0s ago)"}, fact: "ago"},
		{name: "another user", token: makeJWT(t, ms(nil)), provider: protocol.ProviderMicrosoft, user: "other@contoso.com",
			kind: TokenJWT, predict: []string{"issued to me@contoso.com, but AUTH names other@contoso.com"}},
		{name: "app-only without the role", token: makeJWT(t, map[string]any{"aud": "https://outlook.office365.com", "roles": []string{"Mail.Send"}, "exp": later}),
			provider: protocol.ProviderMicrosoft, user: "me@contoso.com", kind: TokenJWT, predict: []string{"SMTP.SendAsApp"}},
		{name: "app-only with the role", token: makeJWT(t, map[string]any{"aud": "00000002-0000-0ff1-ce00-000000000000", "roles": []string{"SMTP.SendAsApp"}, "exp": later}),
			provider: protocol.ProviderMicrosoft, user: "me@contoso.com", kind: TokenJWT},
		{name: "google id token", token: makeJWT(t, map[string]any{"iss": "https://accounts.google.com", "aud": "123.apps.googleusercontent.com", "email": "me@gmail.com", "exp": later}),
			provider: protocol.ProviderGmail, user: "me@gmail.com", kind: TokenJWT, predict: []string{"ID token"}},
		{name: "jwt without the gmail scope", token: makeJWT(t, map[string]any{"scope": "https://www.googleapis.com/auth/gmail.send", "exp": later}),
			provider: protocol.ProviderGmail, user: "me@gmail.com", kind: TokenJWT, predict: []string{"do not include https://mail.google.com/"}},
		{name: "google access token", token: "ya29.a0AfB_byC-opaque", provider: protocol.ProviderGmail, kind: TokenGoogleAccess,
			predict: []string{"https://mail.google.com/"}, fact: "opaque"},
		{name: "opaque", token: "demo-token", kind: TokenOpaque, fact: "10 characters"},
		{name: "two segments are opaque", token: "abc.def", kind: TokenOpaque},
		{name: "bad base64", token: "e30.%%%.sig", wantErr: true},
		{name: "header not JSON", token: base64.RawURLEncoding.EncodeToString([]byte("nope")) + ".e30.sig", wantErr: true},
		{name: "claims not JSON", token: makeJWT(t, nil)[:10] + "." + base64.RawURLEncoding.EncodeToString([]byte("[1,2")) + ".sig", wantErr: true},
		{name: "empty", token: "", kind: TokenOpaque},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := DecodeToken(tt.token)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("DecodeToken(%q) = %+v, want an error", tt.token, info)
				}
				return
			}
			if err != nil || info.Kind != tt.kind {
				t.Fatalf("DecodeToken = %+v, %v; want kind %s", info, err, tt.kind)
			}
			got := info.Predict(tt.provider, tt.user, tokenNow)
			if len(got) != len(tt.predict) {
				t.Fatalf("predictions = %q, want %d like %q", got, len(tt.predict), tt.predict)
			}
			for i, want := range tt.predict {
				if !strings.Contains(got[i], want) {
					t.Errorf("prediction %d = %q, want %q", i, got[i], want)
				}
			}
			facts := strings.Join(info.Facts(tokenNow), "\n")
			if tt.fact != "" && !strings.Contains(facts, tt.fact) {
				t.Errorf("facts lack %q:\n%s", tt.fact, facts)
			}
		})
	}
}

func TestLooksLikeToken(t *testing.T) {
	for s, want := range map[string]bool{
		makeJWT(t, map[string]any{"sub": "x"}): true, "ya29.abc": true, "hunter2": false, "a.b.c": false, "": false,
	} {
		if got := looksLikeToken(s); got != want {
			t.Errorf("looksLikeToken(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestQueueIDRules(t *testing.T) {
	for _, r := range queueIDRules {
		if id, _ := QueueID(r.example); id != r.want {
			t.Errorf("QueueID(%q) = %q, want %q", r.example, id, r.want)
		}
	}
	for _, text := range []string{"OK: queued as.", "2.0.0 Ok", "Great success", ""} {
		if id, _ := QueueID(text); id != "" {
			t.Errorf("QueueID(%q) = %q, want none", text, id)
		}
	}
}
