// Package handler is PortalFunction's handler: the portal's pages and static
// assets (FR and AR), embedded in the binary (site/), served through
// API Gateway's GET / and GET /{proxy+} routes.
package handler

import (
	"context"
	"embed"
	"encoding/base64"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/i18n"

	"github.com/aws/aws-lambda-go/events"
)

// securityHeaders go on every response of the portal, with the
// Content-Security-Policy (contentSecurityPolicy); follow-up URLs carry a
// private token, hence no-referrer.
var securityHeaders = map[string]string{
	"Referrer-Policy":              "no-referrer",
	"X-Content-Type-Options":       "nosniff",
	"X-Frame-Options":              "DENY",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Permissions-Policy":           "camera=(), microphone=(), geolocation=(), payment=()",
	"Strict-Transport-Security":    "max-age=31536000",
}

// Cache policies: versioned assets never change under their URL; the shell
// and unversioned files are revalidated with their ETag on every use.
const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

// pages are the client-side routes under /fr/ and /ar/ ("*" is one segment).
// Other paths under a language get the shell with a 404 status, which the
// client renders as "page not found".
var pages = [][]string{
	{},
	{"actualites"},
	{"actualites", "*"},
	{"liens"},
	{"observations", "nouvelle"},
	{"observations", "*"},
	{"evenements"},
	{"evenements", "*"},
	{"registrations", "*"},
	{"candidatures"},
	{"candidatures", "appels", "*"},
	{"candidatures", "*"},
	{"admin"},
	{"evaluation"},
}

//go:embed site
var embedded embed.FS

// Config is the portal's configuration, read from the function's environment.
type Config struct {
	// AuthDomain and AuthClientID (AUTH_DOMAIN, AUTH_CLIENT_ID, optional) turn on
	// the administrators' sign-in through Cognito managed login (see ParseAuth).
	AuthDomain, AuthClientID string
	// UploadOrigin (UPLOAD_ORIGIN, optional) lets the candidacy page upload
	// documents to the dossier bucket (CSP connect-src; see ParseUploadOrigin).
	UploadOrigin string
}

// New builds the portal's handler over the embedded site.
func New(cfg Config, log *slog.Logger) (*Handler, error) {
	auth, err := ParseAuth(cfg.AuthDomain, cfg.AuthClientID)
	if err != nil {
		return nil, err
	}
	upload, err := ParseUploadOrigin(cfg.UploadOrigin)
	if err != nil {
		return nil, err
	}
	root, err := fs.Sub(embedded, "site")
	if err != nil {
		return nil, fmt.Errorf("embedded site: %w", err)
	}
	site, err := LoadSite(root, auth)
	if err != nil {
		return nil, err
	}
	site.UploadOrigin = upload
	return NewHandler(site, log), nil
}

// Handler serves the portal.
type Handler struct {
	site   *Site
	router *httpapi.Router
	csp    string
}

// NewHandler builds the portal's router over site.
func NewHandler(site *Site, log *slog.Logger) *Handler {
	h := &Handler{site: site, router: httpapi.NewRouter(log), csp: contentSecurityPolicy(site.Auth, site.UploadOrigin)}
	h.router.Handle("GET /", h.root)
	h.router.Handle("GET /{proxy+}", h.proxy)
	return h
}

// Routes lists the route keys the handler serves.
func (h *Handler) Routes() []string { return h.router.Routes() }

// Serve handles one API Gateway event: the router's response, compressed
// when the client accepts gzip, with the security headers.
func (h *Handler) Serve(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	resp, _ := h.router.Serve(ctx, ev)
	if resp.Headers == nil {
		resp.Headers = map[string]string{}
	}
	for k, v := range securityHeaders {
		resp.Headers[k] = v
	}
	resp.Headers["Content-Security-Policy"] = h.csp
	if a := h.compressed(resp); a != nil && acceptsGzip(headerValue(ev.Headers, "accept-encoding")) {
		if gz := a.gzipBody(); gz != nil {
			resp.Body = base64.StdEncoding.EncodeToString(gz)
			resp.IsBase64Encoded = true
			resp.Headers["Content-Encoding"] = "gzip"
			resp.Headers["ETag"] = gzipETag(a.etag)
		}
	}
	return resp, nil
}

// compressed finds the asset a 200 response carries, if it is worth gzip.
func (h *Handler) compressed(resp events.APIGatewayV2HTTPResponse) *asset {
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
		return nil
	}
	etag := resp.Headers["ETag"]
	if etag == "" || !compressible(resp.Headers["Content-Type"]) {
		return nil
	}
	for _, a := range h.site.shells {
		if a.etag == etag {
			return a
		}
	}
	for _, a := range h.site.assets {
		if a.etag == etag {
			return a
		}
	}
	for _, a := range h.site.root {
		if a.etag == etag {
			return a
		}
	}
	return nil
}

func (h *Handler) root(_ context.Context, r *httpapi.Request) (httpapi.Response, error) {
	return httpapi.Response{
		Status: http.StatusFound,
		Headers: map[string]string{
			"Location":      "/" + string(r.Lang) + "/",
			"Vary":          "Accept-Language",
			"Cache-Control": "private, no-cache",
		},
	}, nil
}

func (h *Handler) proxy(_ context.Context, r *httpapi.Request) (httpapi.Response, error) {
	p, ok := r.PathParameters["proxy"]
	if !ok {
		p = strings.TrimPrefix(r.RawPath, "/")
	}
	segs, ok := cleanSegments(p)
	if !ok {
		return httpapi.Response{}, apperr.New(apperr.NotFound, "no_route")
	}
	switch {
	case segs[0] == "api":
		return httpapi.Response{}, apperr.New(apperr.NotFound, "no_route")
	case segs[0] == "assets" && len(segs) >= 3:
		a, found := h.site.assets[strings.Join(segs[2:], "/")]
		if !found {
			return httpapi.Response{}, apperr.New(apperr.NotFound, "")
		}
		cache := cacheImmutable
		if segs[1] != h.site.Version {
			// An older or unknown version: serve what we have, but never pin it.
			cache = cacheRevalidate
		}
		return serveAsset(r, a, http.StatusOK, cache), nil
	case len(segs) == 1 && h.site.root[segs[0]] != nil:
		return serveAsset(r, h.site.root[segs[0]], http.StatusOK, cacheRevalidate), nil
	}
	if l, isLang := i18n.Parse(segs[0]); isLang && segs[0] == string(l) {
		status := http.StatusOK
		if !isPage(segs[1:]) {
			status = http.StatusNotFound
		}
		resp := serveAsset(r, h.site.shells[l], status, cacheRevalidate)
		resp.Headers["Content-Language"] = string(l)
		return resp, nil
	}
	// Not a portal page: the shell in the visitor's language shows "not found".
	resp := serveAsset(r, h.site.shells[r.Lang], http.StatusNotFound, cacheRevalidate)
	resp.Headers["Content-Language"] = string(r.Lang)
	resp.Headers["Vary"] = "Accept-Encoding, Accept-Language"
	return resp, nil
}

// cleanSegments splits a request path into its segments, refusing anything
// that could step outside the site: "." and ".." segments, backslashes, NUL
// and empty names. Assets are only ever looked up in maps built from the
// embedded files, so this is a second fence, not the only one.
func cleanSegments(p string) ([]string, bool) {
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return nil, false
	}
	segs := strings.Split(p, "/")
	for _, s := range segs {
		if s == "" || s == "." || s == ".." || strings.ContainsAny(s, "\\\x00") {
			return nil, false
		}
	}
	if !fs.ValidPath(p) {
		return nil, false
	}
	return segs, true
}

func isPage(segs []string) bool {
	for _, pattern := range pages {
		if len(pattern) != len(segs) {
			continue
		}
		match := true
		for i, want := range pattern {
			if want != "*" && want != segs[i] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// serveAsset answers with a, or 304 when the client's copy is current.
func serveAsset(r *httpapi.Request, a *asset, status int, cache string) httpapi.Response {
	headers := map[string]string{"ETag": a.etag, "Cache-Control": cache}
	if compressible(a.contentType) {
		headers["Vary"] = "Accept-Encoding"
	}
	if status == http.StatusOK && etagMatches(r.Header("if-none-match"), a.etag) {
		return httpapi.Response{Status: http.StatusNotModified, Headers: headers}
	}
	return httpapi.Response{Status: status, Raw: a.body, ContentType: a.contentType, Headers: headers}
}

// etagMatches implements If-None-Match's weak comparison; the gzip variant
// of an ETag matches its identity form.
func etagMatches(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" {
		return false
	}
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag || t == gzipETag(etag) {
			return true
		}
	}
	return false
}

func gzipETag(etag string) string { return strings.TrimSuffix(etag, `"`) + `-gz"` }

// acceptsGzip reads Accept-Encoding: gzip unless its q is 0.
func acceptsGzip(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

func headerValue(h map[string]string, name string) string {
	v, _ := httpapi.LookupHeader(h, name)
	return v
}
