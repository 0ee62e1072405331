// Package handler serves the public content routes of PublicContentFunction:
// published news by language, useful links and the loi 09-08 notice. It only
// reads. It is a package of its own (not main) so that the seed tool's tests
// can route to it in process.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/httpapi"
	"espaceosc/shared/links"
	"espaceosc/shared/news"
	"espaceosc/shared/notice"
)

// Config is what the handler needs from the environment.
type Config struct {
	CNDPNumber    string // CNDP_NOTICE
	NoticeVersion string // NOTICE_VERSION
}

// Public listings may be cached briefly by browsers and the CDN.
var cacheable = map[string]string{"Cache-Control": "public, max-age=60"}

type handler struct {
	news  *news.Service
	links *links.Service
	cfg   Config
}

// New returns the router of the function.
func New(log *slog.Logger, newsSvc *news.Service, linksSvc *links.Service, cfg Config) *httpapi.Router {
	h := &handler{news: newsSvc, links: linksSvc, cfg: cfg}
	rt := httpapi.NewRouter(log)
	rt.Handle("GET /api/news", h.listNews)
	rt.Handle("GET /api/news/{slug}", h.getNews)
	rt.Handle("GET /api/links", h.listLinks)
	rt.Handle("GET /api/notice", h.getNotice)
	return rt
}

// Page is a page of a listing.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor,omitempty"`
}

func (h *handler) listNews(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	lang, err := r.QueryLang()
	if err != nil {
		return httpapi.Response{}, err
	}
	limit, err := r.Limit(10, 50)
	if err != nil {
		return httpapi.Response{}, err
	}
	p, err := h.news.ListPublished(ctx, lang, limit, r.Query("cursor"))
	if err != nil {
		return httpapi.Response{}, err
	}
	out := Page[news.PublicView]{Items: make([]news.PublicView, 0, len(p.Items)), NextCursor: p.NextCursor}
	for _, it := range p.Items {
		out.Items = append(out.Items, it.Public())
	}
	return httpapi.Response{Status: http.StatusOK, Body: out, Headers: cacheable}, nil
}

func (h *handler) getNews(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	it, err := h.news.GetPublished(ctx, r.Path("slug"))
	if err != nil {
		return httpapi.Response{}, err
	}
	return httpapi.Response{Status: http.StatusOK, Body: it.Public(), Headers: cacheable}, nil
}

func (h *handler) listLinks(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	lang, err := r.QueryLang()
	if err != nil {
		return httpapi.Response{}, err
	}
	ls, err := h.links.List(ctx, string(lang))
	if err != nil {
		return httpapi.Response{}, err
	}
	out := Page[links.PublicView]{Items: make([]links.PublicView, 0, len(ls))}
	for _, l := range ls {
		out.Items = append(out.Items, l.Public(string(lang)))
	}
	return httpapi.Response{Status: http.StatusOK, Body: out, Headers: cacheable}, nil
}

func (h *handler) getNotice(_ context.Context, r *httpapi.Request) (httpapi.Response, error) {
	lang, err := r.QueryLang()
	if err != nil {
		return httpapi.Response{}, err
	}
	return httpapi.Response{Status: http.StatusOK, Body: notice.For(lang, h.cfg.CNDPNumber, h.cfg.NoticeVersion), Headers: cacheable}, nil
}
