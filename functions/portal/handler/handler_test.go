package handler

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"espaceosc/infra/template"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"

	"github.com/aws/aws-lambda-go/events"
)

func newTestHandler(t *testing.T) *Handler {
	t.Helper()
	root, err := fs.Sub(embedded, "site")
	if err != nil {
		t.Fatal(err)
	}
	site, err := LoadSite(root, Auth{})
	if err != nil {
		t.Fatalf("LoadSite: %v", err)
	}
	return NewHandler(site, httpapi.NewLogger(io.Discard))
}

// get builds the event API Gateway sends for GET rawPath: the root route for
// "/", the greedy route otherwise, with the path parameter decoded as API
// Gateway does.
func get(t testing.TB, rawPath string, headers map[string]string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	var ev events.APIGatewayV2HTTPRequest
	if rawPath == "/" {
		ev = httpapitest.Load(t, "get-root.json")
	} else {
		ev = httpapitest.Load(t, "get-proxy.json")
		proxy, err := url.PathUnescape(strings.TrimPrefix(rawPath, "/"))
		if err != nil {
			t.Fatal(err)
		}
		ev.PathParameters = map[string]string{"proxy": proxy}
	}
	ev.RawPath = rawPath
	ev.RequestContext.HTTP.Path = rawPath
	for k, v := range headers {
		if v == "" {
			delete(ev.Headers, k)
		} else {
			ev.Headers[k] = v
		}
	}
	return ev
}

func serve(t *testing.T, h *Handler, ev events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := h.Serve(context.Background(), ev)
	if err != nil {
		t.Fatalf("Serve returned an error: %v", err)
	}
	return resp
}

// noGzip asks for the identity encoding, so bodies can be read as text.
var noGzip = map[string]string{"accept-encoding": ""}

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "PortalFunction", newTestHandler(t).Routes())
}

func TestRootRedirectsByAcceptLanguage(t *testing.T) {
	h := newTestHandler(t)
	for _, tc := range []struct{ accept, want string }{
		{"ar-MA,ar;q=0.9,fr;q=0.8", "/ar/"},
		{"fr-FR,fr;q=0.9", "/fr/"},
		{"en-US,en;q=0.9,ar;q=0.5", "/ar/"},
		{"fr;q=0.4, ar;q=0.8", "/ar/"},
		{"ar;q=0, fr", "/fr/"},
		{"en-GB", "/fr/"},
		{"", "/fr/"},
	} {
		t.Run(tc.accept, func(t *testing.T) {
			resp := serve(t, h, get(t, "/", map[string]string{"accept-language": tc.accept}))
			if got, want := resp.StatusCode, 302; got != want {
				t.Fatalf("status = %d, want %d", got, want)
			}
			if got := resp.Headers["Location"]; got != tc.want {
				t.Errorf("Location = %q, want %q", got, tc.want)
			}
			if got := resp.Headers["Vary"]; got != "Accept-Language" {
				t.Errorf("Vary = %q, want Accept-Language", got)
			}
			checkSecurityHeaders(t, resp)
		})
	}
}

func TestShellPerLanguage(t *testing.T) {
	h := newTestHandler(t)
	for _, tc := range []struct {
		path      string
		status    int
		lang, dir string
		navText   string
	}{
		{"/ar/", 200, "ar", "rtl", "الأخبار"},
		{"/fr/", 200, "fr", "ltr", "Actualités"},
		{"/fr", 200, "fr", "ltr", "Actualités"},
		{"/fr/actualites", 200, "fr", "ltr", "Actualités"},
		{"/fr/actualites/x", 200, "fr", "ltr", "Actualités"},
		{"/ar/actualites/resultats-copil-2024", 200, "ar", "rtl", "الأخبار"},
		{"/ar/liens", 200, "ar", "rtl", "الأخبار"},
		{"/fr/observations/nouvelle", 200, "fr", "ltr", "Actualités"},
		{"/ar/observations/01JD5Q?token=abc", 200, "ar", "rtl", "الأخبار"},
		{"/fr/admin", 200, "fr", "ltr", "Actualités"},
		{"/fr/evenements", 200, "fr", "ltr", "Actualités"},
		{"/ar/evenements/atelier-cocreation-pan", 200, "ar", "rtl", "الأخبار"},
		{"/ar/registrations/01jd8zq6v4k3m2n1p0r9s8t7u6", 200, "ar", "rtl", "الأخبار"},
		{"/fr/candidatures", 200, "fr", "ltr", "Actualités"},
		{"/fr/candidatures/appels/copil-societe-civile", 200, "fr", "ltr", "Actualités"},
		{"/fr/candidatures/01jd8zq6v4k3m2n1p0r9s8t7u6", 200, "fr", "ltr", "Actualités"},
		{"/fr/candidatures/appels", 200, "fr", "ltr", "Actualités"},
		{"/fr/nope", 404, "fr", "ltr", "Actualités"},
		{"/ar/actualites/a/b", 404, "ar", "rtl", "الأخبار"},
		{"/en/", 404, "fr", "ltr", "Actualités"}, // the visitor's Accept-Language is French
	} {
		t.Run(tc.path, func(t *testing.T) {
			p, _, _ := strings.Cut(tc.path, "?")
			resp := serve(t, h, get(t, p, noGzip))
			if got := resp.StatusCode; got != tc.status {
				t.Fatalf("status = %d, want %d", got, tc.status)
			}
			if got, want := resp.Headers["Content-Type"], "text/html; charset=utf-8"; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			wantHTML := `<html lang="` + tc.lang + `" dir="` + tc.dir + `">`
			if !strings.Contains(resp.Body, wantHTML) {
				t.Errorf("body lacks %s", wantHTML)
			}
			if !strings.Contains(resp.Body, tc.navText) {
				t.Errorf("body lacks the navigation label %q", tc.navText)
			}
			if got, want := resp.Headers["Cache-Control"], cacheRevalidate; got != want {
				t.Errorf("Cache-Control = %q, want %q", got, want)
			}
			if resp.Headers["ETag"] == "" {
				t.Error("no ETag")
			}
			if got := resp.Headers["Content-Language"]; got != tc.lang {
				t.Errorf("Content-Language = %q, want %q", got, tc.lang)
			}
			checkSecurityHeaders(t, resp)
		})
	}
}

func TestShellHasNoInlineCodeAndVersionedAssets(t *testing.T) {
	h := newTestHandler(t)
	body := serve(t, h, get(t, "/fr/", noGzip)).Body
	prefix := "/assets/" + h.site.Version + "/"
	for _, want := range []string{prefix + "app.js", prefix + "style.css", `type="module"`} {
		if !strings.Contains(body, want) {
			t.Errorf("shell lacks %q", want)
		}
	}
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(m, ` src="`) {
			t.Errorf("inline script: %s", m)
		}
	}
	for _, bad := range []string{"<style", " style=", " onclick=", " onload=", "javascript:", "{{"} {
		if strings.Contains(body, bad) {
			t.Errorf("shell contains %q", bad)
		}
	}
}

func TestAssetsContentTypeAndCaching(t *testing.T) {
	h := newTestHandler(t)
	v := h.site.Version
	for _, tc := range []struct {
		path, contentType, cache string
	}{
		{"/assets/" + v + "/app.js", "text/javascript; charset=utf-8", cacheImmutable},
		{"/assets/" + v + "/pages/admin.js", "text/javascript; charset=utf-8", cacheImmutable},
		{"/assets/" + v + "/i18n/ar.js", "text/javascript; charset=utf-8", cacheImmutable},
		{"/assets/" + v + "/style.css", "text/css; charset=utf-8", cacheImmutable},
		{"/assets/" + v + "/icon.svg", "image/svg+xml", cacheImmutable},
		{"/assets/v0000000000/app.js", "text/javascript; charset=utf-8", cacheRevalidate}, // an old page asking
		{"/robots.txt", "text/plain; charset=utf-8", cacheRevalidate},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp := serve(t, h, get(t, tc.path, noGzip))
			if got, want := resp.StatusCode, 200; got != want {
				t.Fatalf("status = %d, want %d", got, want)
			}
			if got := resp.Headers["Content-Type"]; got != tc.contentType {
				t.Errorf("Content-Type = %q, want %q", got, tc.contentType)
			}
			if got := resp.Headers["Cache-Control"]; got != tc.cache {
				t.Errorf("Cache-Control = %q, want %q", got, tc.cache)
			}
			if resp.Body == "" || resp.IsBase64Encoded {
				t.Errorf("body empty or encoded without gzip asked")
			}
			checkSecurityHeaders(t, resp)
		})
	}
}

func TestEveryAssetIsServed(t *testing.T) {
	h := newTestHandler(t)
	if len(h.site.assets) < 10 {
		t.Fatalf("only %d assets embedded", len(h.site.assets))
	}
	for name, a := range h.site.assets {
		resp := serve(t, h, get(t, "/assets/"+h.site.Version+"/"+name, noGzip))
		if resp.StatusCode != 200 || resp.Body != string(a.body) {
			t.Errorf("%s: status %d, body match %v", name, resp.StatusCode, resp.Body == string(a.body))
		}
	}
}

func TestNotFound(t *testing.T) {
	h := newTestHandler(t)
	v := h.site.Version
	for _, tc := range []struct {
		path    string
		problem bool // application/problem+json, else the HTML shell
	}{
		{"/../main.go", true},
		{"/%2e%2e/main.go", true},
		{"/%2e%2e/", true},
		{"/assets/" + v + "/../../main.go", true},
		{"/assets/" + v + "/%2e%2e/%2e%2e/handler.go", true},
		{"/assets/" + v + "/..%5c..%5cmain.go", true},
		{"/assets/" + v + "/nope.js", true},
		{"/assets/" + v + "/i18n", true},
		{"/assets/" + v, false},
		{"/fr/./admin", true},
		{"/fr//admin", true},
		{"/api/x", true},
		{"/api/news/a/b/c", true},
		{"/main.go", false},
		{"/shell.html", false},
		{"/site/shell.html", false},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp := serve(t, h, get(t, tc.path, noGzip))
			if got, want := resp.StatusCode, 404; got != want {
				t.Fatalf("status = %d, want %d", got, want)
			}
			for _, leak := range []string{"package main", "{{index", "go:embed"} {
				if strings.Contains(resp.Body, leak) {
					t.Fatalf("body leaks source (%q)", leak)
				}
			}
			checkSecurityHeaders(t, resp)
			if !tc.problem {
				if got := resp.Headers["Content-Type"]; got != "text/html; charset=utf-8" {
					t.Errorf("Content-Type = %q, want the HTML shell", got)
				}
				return
			}
			if got, want := resp.Headers["Content-Type"], "application/problem+json; charset=utf-8"; got != want {
				t.Fatalf("Content-Type = %q, want %q", got, want)
			}
			var p httpapi.Problem
			if err := json.Unmarshal([]byte(resp.Body), &p); err != nil {
				t.Fatal(err)
			}
			if p.Status != 404 || p.Type != httpapi.ProblemTypeBase+"not_found" || p.Title == "" {
				t.Errorf("problem = %+v", p)
			}
		})
	}
}

func TestProblemIsInTheVisitorsLanguage(t *testing.T) {
	h := newTestHandler(t)
	resp := serve(t, h, get(t, "/api/x", map[string]string{"accept-language": "ar"}))
	if got, want := resp.Headers["Content-Language"], "ar"; got != want {
		t.Errorf("Content-Language = %q, want %q", got, want)
	}
}

func TestConditionalRequests(t *testing.T) {
	h := newTestHandler(t)
	for _, p := range []string{"/assets/" + h.site.Version + "/style.css", "/ar/actualites", "/robots.txt"} {
		t.Run(p, func(t *testing.T) {
			first := serve(t, h, get(t, p, noGzip))
			etag := first.Headers["ETag"]
			if !regexp.MustCompile(`^"[0-9a-f]{24}"$`).MatchString(etag) {
				t.Fatalf("ETag = %q, want a quoted strong validator", etag)
			}
			for _, tc := range []struct {
				ifNoneMatch string
				status      int
			}{
				{etag, 304},
				{"W/" + etag, 304},
				{`"other", ` + etag, 304},
				{gzipETag(etag), 304},
				{"*", 304},
				{`"other"`, 200},
				{"", 200},
			} {
				headers := map[string]string{"accept-encoding": "", "if-none-match": tc.ifNoneMatch}
				resp := serve(t, h, get(t, p, headers))
				if resp.StatusCode != tc.status {
					t.Errorf("If-None-Match %s: status = %d, want %d", tc.ifNoneMatch, resp.StatusCode, tc.status)
				}
				if tc.status == 304 && (resp.Body != "" || resp.Headers["ETag"] != etag) {
					t.Errorf("304 with body %d bytes, ETag %q", len(resp.Body), resp.Headers["ETag"])
				}
			}
		})
	}
	// A page that is not found is never "not modified".
	notFound := serve(t, h, get(t, "/fr/nope", noGzip))
	resp := serve(t, h, get(t, "/fr/nope", map[string]string{"accept-encoding": "", "if-none-match": notFound.Headers["ETag"]}))
	if got, want := resp.StatusCode, 404; got != want {
		t.Errorf("unknown page with a matching ETag: status = %d, want %d", got, want)
	}
}

func TestGzip(t *testing.T) {
	h := newTestHandler(t)
	p := "/assets/" + h.site.Version + "/pages/admin.js"
	plain := serve(t, h, get(t, p, noGzip))
	for _, tc := range []struct {
		accept string
		gzip   bool
	}{
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.8", true},
		{"GZIP", true},
		{"gzip;q=0", false},
		{"deflate, br", false},
		{"", false},
	} {
		t.Run(tc.accept, func(t *testing.T) {
			resp := serve(t, h, get(t, p, map[string]string{"accept-encoding": tc.accept}))
			if got, want := resp.StatusCode, 200; got != want {
				t.Fatalf("status = %d, want %d", got, want)
			}
			if got := resp.Headers["Vary"]; got != "Accept-Encoding" {
				t.Errorf("Vary = %q, want Accept-Encoding", got)
			}
			if !tc.gzip {
				if resp.Headers["Content-Encoding"] != "" || resp.Body != plain.Body {
					t.Fatalf("compressed although the client did not ask")
				}
				return
			}
			if got := resp.Headers["Content-Encoding"]; got != "gzip" || !resp.IsBase64Encoded {
				t.Fatalf("Content-Encoding = %q, base64 %v", got, resp.IsBase64Encoded)
			}
			if got, want := resp.Headers["ETag"], gzipETag(plain.Headers["ETag"]); got != want {
				t.Errorf("ETag = %q, want %q", got, want)
			}
			raw, err := base64.StdEncoding.DecodeString(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if len(raw) >= len(plain.Body) {
				t.Errorf("gzip body %d bytes, not smaller than %d", len(raw), len(plain.Body))
			}
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != plain.Body {
				t.Error("gunzipped body differs from the asset")
			}
		})
	}
}

func checkSecurityHeaders(t *testing.T, resp events.APIGatewayV2HTTPResponse) {
	t.Helper()
	csp := resp.Headers["Content-Security-Policy"]
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http") {
		t.Errorf("CSP %q allows inline code or another origin", csp)
	}
	for k, want := range map[string]string{"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if got := resp.Headers[k]; got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestCleanSegments(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"fr/actualites", true},
		{"fr/", true},
		{"assets/v1/pages/home.js", true},
		{"", false},
		{"../main.go", false},
		{"fr/../../etc/passwd", false},
		{"./fr", false},
		{"fr//x", false},
		{`..\main.go`, false},
		{"fr/\x00", false},
	} {
		if _, got := cleanSegments(tc.in); got != tc.ok {
			t.Errorf("cleanSegments(%q) ok = %v, want %v", tc.in, got, tc.ok)
		}
	}
}

// The client's routes (app.js) and the server's pages must agree, or a
// reload would answer 404 for a page the client knows.
func TestClientRoutesMatchServerPages(t *testing.T) {
	src := readSite(t, "assets/app.js")
	for _, p := range pages {
		quoted := make([]string, len(p))
		for i, s := range p {
			quoted[i] = "'" + s + "'"
		}
		want := "pattern: [" + strings.Join(quoted, ", ") + "]"
		if !strings.Contains(src, want) {
			t.Errorf("app.js has no route %s", want)
		}
	}
	if got, want := strings.Count(src, "pattern: ["), len(pages); got != want {
		t.Errorf("app.js has %d routes, the server %d pages", got, want)
	}
}

// Every relative module import resolves to an embedded file (no build step
// would catch a typo), and no module imports from another origin.
func TestModuleImportsResolve(t *testing.T) {
	h := newTestHandler(t)
	importRE := regexp.MustCompile(`(?m)^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'`)
	for name := range h.site.assets {
		if path.Ext(name) != ".js" {
			continue
		}
		src := string(h.site.assets[name].body)
		for _, m := range importRE.FindAllStringSubmatch(src, -1) {
			spec := m[1]
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s imports %q: only relative imports are allowed", name, spec)
				continue
			}
			target := path.Join(path.Dir(name), spec)
			if _, ok := h.site.assets[target]; !ok {
				t.Errorf("%s imports %q: no such asset %s", name, spec, target)
			}
		}
	}
}

func readSite(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(embedded, "site/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BenchmarkLoadSite measures what the portal adds to a cold start: hashing
// the embedded assets and rendering the shell in both languages.
func BenchmarkLoadSite(b *testing.B) {
	root, err := fs.Sub(embedded, "site")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := LoadSite(root, Auth{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkServeShell(b *testing.B) {
	root, _ := fs.Sub(embedded, "site")
	site, err := LoadSite(root, Auth{})
	if err != nil {
		b.Fatal(err)
	}
	h := NewHandler(site, httpapi.NewLogger(io.Discard))
	b.Run("gzip", func(b *testing.B) {
		ev := get(b, "/fr/actualites", nil)
		for b.Loop() {
			_, _ = h.Serve(context.Background(), ev)
		}
	})
}
