// Package handler serves the public content routes of PublicContentFunction:
// published news by language, useful links and the loi 09-08 notice. It only
// reads.
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

// Config is what the notice route needs from the environment.
type Config struct {
	CNDPNumber    string // CNDP_NOTICE
	NoticeVersion string // NOTICE_VERSION
}

// cached marks an answer that browsers and the CDN may keep briefly.
func cached(resp httpapi.Response) httpapi.Response {
	resp.Headers = map[string]string{"Cache-Control": "public, max-age=60"}
	return resp
}

// New serves the public content routes.
func New(newsSvc *news.Service, linksSvc *links.Service, cfg Config, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Handle("GET /api/news", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		limit, err := r.Limit(10, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := newsSvc.ListPublished(ctx, lang, limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return cached(httpapi.PageOf(items, next)), nil
	})
	rt.Handle("GET /api/news/{slug}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := newsSvc.GetPublished(ctx, r.Path("slug"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return cached(httpapi.JSON(http.StatusOK, v)), nil
	})
	rt.Handle("GET /api/links", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		items, err := linksSvc.ListPublic(ctx, lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return cached(httpapi.PageOf(items, "")), nil
	})
	rt.Handle("GET /api/notice", func(_ context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		return cached(httpapi.JSON(http.StatusOK, notice.For(lang, cfg.CNDPNumber, cfg.NoticeVersion))), nil
	})
	return rt
}
