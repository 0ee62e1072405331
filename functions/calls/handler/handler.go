// Package handler serves the public routes of CallsFunction: the calls for
// applications that are not drafts, and their published results.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/calls"
	"espaceosc/shared/httpapi"
)

// New serves the public call routes. Their answers may be cached briefly:
// they hold nothing personal.
func New(svc *calls.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Handle("GET /api/calls", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		limit, err := r.Limit(10, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.PublicCalls(ctx, r.Query("status"), lang, limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return cached(httpapi.PageOf(items, next), "public, max-age=60"), nil
	})
	rt.Handle("GET /api/calls/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.PublicCall(ctx, r.Path("id"), lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return cached(httpapi.JSON(http.StatusOK, v), "public, max-age=60"), nil
	})
	rt.Handle("GET /api/calls/{id}/results", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.PublicResults(ctx, r.Path("id"), lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return cached(httpapi.JSON(http.StatusOK, v), "public, max-age=300"), nil
	})
	return rt
}

// cached lets caches keep resp as cacheControl says.
func cached(resp httpapi.Response, cacheControl string) httpapi.Response {
	resp.Headers = map[string]string{"Cache-Control": cacheControl}
	return resp
}
