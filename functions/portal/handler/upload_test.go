package handler

import (
	"io"
	"io/fs"
	"strings"
	"testing"

	"espaceosc/shared/httpapi"
)

func TestParseUploadOrigin(t *testing.T) {
	const bucket = "https://espace-osc-dossiers-prod-123456789012.s3.eu-west-3.amazonaws.com"
	for _, tc := range []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "off", in: "", want: ""},
		{name: "virtual-hosted bucket", in: bucket, want: bucket},
		{name: "trailing slash, upper case", in: "https://Bucket.S3.eu-west-3.amazonaws.com/", want: "https://bucket.s3.eu-west-3.amazonaws.com"},
		{name: "local S3", in: "http://127.0.0.1:41234", want: "http://127.0.0.1:41234"},
		{name: "http elsewhere", in: "http://bucket.s3.amazonaws.com", wantErr: true},
		{name: "a path", in: bucket + "/espace-osc-dossiers", wantErr: true},
		{name: "a query", in: bucket + "?x=1", wantErr: true},
		{name: "CSP injection", in: "https://a.example; script-src *", wantErr: true},
		{name: "no scheme", in: "bucket.s3.amazonaws.com", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseUploadOrigin(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("origin = %q, want %q", got, tc.want)
			}
		})
	}
}

// The bucket's origin joins connect-src, and nothing else changes.
func TestCSPAllowsTheUploadOrigin(t *testing.T) {
	root, err := fs.Sub(embedded, "site")
	if err != nil {
		t.Fatal(err)
	}
	site, err := LoadSite(root, Auth{})
	if err != nil {
		t.Fatal(err)
	}
	const origin = "https://espace-osc-dossiers-prod-123456789012.s3.eu-west-3.amazonaws.com"
	site.UploadOrigin = origin
	h := NewHandler(site, httpapi.NewLogger(io.Discard))
	resp := serve(t, h, get(t, "/fr/candidatures/01jd8zq6v4k3m2n1p0r9s8t7u6", noGzip))
	if got, want := resp.StatusCode, 200; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	csp := resp.Headers["Content-Security-Policy"]
	if !strings.Contains(csp, "connect-src 'self' "+origin+";") {
		t.Errorf("CSP %q does not let the page post to %s", csp, origin)
	}
	for _, d := range []string{"script-src 'self';", "default-src 'self';", "form-action 'self';"} {
		if !strings.Contains(csp, d) {
			t.Errorf("CSP %q lost %q", csp, d)
		}
	}
}

// New reads the function's configuration (what main.go passes from the
// environment) and refuses a bad value rather than serving a wrong CSP.
func TestNewReadsTheConfig(t *testing.T) {
	const origin = "https://espace-osc-dossiers-prod-123456789012.s3.eu-west-3.amazonaws.com"
	h, err := New(Config{AuthDomain: "osc.auth.eu-west-3.amazoncognito.com", AuthClientID: "client1", UploadOrigin: origin}, httpapi.NewLogger(io.Discard))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	csp := serve(t, h, get(t, "/fr/", noGzip)).Headers["Content-Security-Policy"]
	if want := "connect-src 'self' https://osc.auth.eu-west-3.amazoncognito.com " + origin + ";"; !strings.Contains(csp, want) {
		t.Errorf("CSP %q, want %q in it", csp, want)
	}
	for _, cfg := range []Config{
		{AuthDomain: "http://osc.example.ma", AuthClientID: "client1"},
		{UploadOrigin: "https://a.example; script-src *"},
	} {
		if _, err := New(cfg, httpapi.NewLogger(io.Discard)); err == nil {
			t.Errorf("New(%+v) accepted a bad value", cfg)
		}
	}
}
