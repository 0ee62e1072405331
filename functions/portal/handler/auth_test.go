package handler

import (
	"io"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"espaceosc/shared/httpapi"
)

func newAuthHandler(t *testing.T, auth Auth) *Handler {
	t.Helper()
	root, err := fs.Sub(embedded, "site")
	if err != nil {
		t.Fatal(err)
	}
	site, err := LoadSite(root, auth)
	if err != nil {
		t.Fatalf("LoadSite: %v", err)
	}
	return NewHandler(site, httpapi.NewLogger(io.Discard))
}

func TestParseAuth(t *testing.T) {
	const cognito = "espace-osc-prod-123456789012.auth.eu-west-3.amazoncognito.com"
	for _, tc := range []struct {
		name, domain, client string
		want                 Auth
		wantErr              bool
	}{
		{name: "off", want: Auth{}},
		{name: "off without the client either", domain: "  ", client: "abc", want: Auth{}},
		{name: "cognito host", domain: cognito, client: "4s1ot2k9v0example", want: Auth{Origin: "https://" + cognito, ClientID: "4s1ot2k9v0example"}},
		{name: "https origin, upper case", domain: "https://Login.Example.MA/", client: "c1", want: Auth{Origin: "https://login.example.ma", ClientID: "c1"}},
		{name: "loopback for tests", domain: "http://127.0.0.1:43123", client: "c1", want: Auth{Origin: "http://127.0.0.1:43123", ClientID: "c1"}},
		{name: "localhost for tests", domain: "http://localhost:9000", client: "c1", want: Auth{Origin: "http://localhost:9000", ClientID: "c1"}},
		{name: "no client", domain: cognito, wantErr: true},
		{name: "client with a quote", domain: cognito, client: `a"b`, wantErr: true},
		{name: "plain http elsewhere", domain: "http://" + cognito, client: "c1", wantErr: true},
		{name: "other scheme", domain: "javascript://x", client: "c1", wantErr: true},
		{name: "path", domain: cognito + "/oauth2", client: "c1", wantErr: true},
		{name: "query", domain: "https://" + cognito + "?a=b", client: "c1", wantErr: true},
		{name: "user info", domain: "https://u@" + cognito, client: "c1", wantErr: true},
		{name: "bad host", domain: "-x.example", client: "c1", wantErr: true},
		{name: "unresolved template value", domain: ".auth.eu-west-3.amazoncognito.com", client: "c1", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAuth(tc.domain, tc.client)
			if gotErr := err != nil; gotErr != tc.wantErr {
				t.Fatalf("ParseAuth(%q, %q) error = %v, want error %v", tc.domain, tc.client, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("ParseAuth(%q, %q) = %+v, want %+v", tc.domain, tc.client, got, tc.want)
			}
		})
	}
}

var metaRE = regexp.MustCompile(`<meta name="(auth-[a-z-]+)" content="([^"]*)">`)

func authMeta(body string) map[string]string {
	got := map[string]string{}
	for _, m := range metaRE.FindAllStringSubmatch(body, -1) {
		got[m[1]] = m[2]
	}
	return got
}

func TestShellAnnouncesTheSignIn(t *testing.T) {
	const origin = "https://espace-osc-prod-123456789012.auth.eu-west-3.amazoncognito.com"
	for _, tc := range []struct {
		name     string
		auth     Auth
		wantMeta map[string]string
		wantCSP  string // connect-src directive
	}{
		{name: "local cloud: no hosted sign-in", auth: Auth{}, wantMeta: map[string]string{}, wantCSP: "connect-src 'self';"},
		{
			name:     "AWS: managed login",
			auth:     Auth{Origin: origin, ClientID: "4s1ot2k9v0example"},
			wantMeta: map[string]string{"auth-domain": origin, "auth-client-id": "4s1ot2k9v0example"},
			wantCSP:  "connect-src 'self' " + origin + ";",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newAuthHandler(t, tc.auth)
			for _, p := range []string{"/fr/admin", "/ar/admin", "/fr/", "/fr/nope/nope", "/assets/x/app.js"} {
				resp := serve(t, h, get(t, p, noGzip))
				csp := resp.Headers["Content-Security-Policy"]
				if !strings.Contains(csp, tc.wantCSP) {
					t.Errorf("%s: CSP %q lacks %q", p, csp, tc.wantCSP)
				}
				for _, want := range []string{"default-src 'self'", "script-src 'self'", "form-action 'self'", "frame-ancestors 'none'"} {
					if !strings.Contains(csp, want) {
						t.Errorf("%s: CSP %q lacks %q", p, csp, want)
					}
				}
				if strings.Contains(csp, "unsafe") {
					t.Errorf("%s: CSP %q allows unsafe code", p, csp)
				}
				if strings.HasPrefix(p, "/assets/") {
					continue
				}
				got := authMeta(resp.Body)
				if len(got) != len(tc.wantMeta) {
					t.Errorf("%s: auth meta %v, want %v", p, got, tc.wantMeta)
				}
				for k, want := range tc.wantMeta {
					if got[k] != want {
						t.Errorf("%s: meta %s = %q, want %q", p, k, got[k], want)
					}
				}
			}
		})
	}
}

// The settings come from the environment, not from visitors, but the shell
// escapes them all the same.
func TestShellEscapesTheSignInSettings(t *testing.T) {
	h := newAuthHandler(t, Auth{Origin: `https://x.example"><script>alert(1)</script>`, ClientID: `c"&<`})
	body := serve(t, h, get(t, "/fr/admin", noGzip)).Body
	if strings.Contains(body, "<script>alert") || strings.Contains(body, `c"&<`) {
		t.Fatalf("shell carries the settings unescaped:\n%s", body)
	}
	if !strings.Contains(body, `content="c&#34;&amp;&lt;"`) {
		t.Errorf("shell lacks the escaped client ID:\n%s", body)
	}
}
