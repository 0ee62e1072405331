package main

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/calls"
	"espaceosc/shared/httpapi"
)

type page struct {
	Items      []calls.PublicCallView `json:"items"`
	NextCursor string                 `json:"nextCursor,omitempty"`
}

// newRouter serves the public call routes.
func newRouter(svc *calls.Service, log *slog.Logger) *httpapi.Router {
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
		items, next, err := svc.PublicCalls(ctx, r.Query("status"), limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		now := svc.Now()
		p := page{Items: make([]calls.PublicCallView, 0, len(items)), NextCursor: next}
		for _, c := range items {
			p.Items = append(p.Items, c.PublicView(lang, now))
		}
		return httpapi.Response{Status: http.StatusOK, Body: p, Headers: map[string]string{"Cache-Control": "public, max-age=60"}}, nil
	})
	rt.Handle("GET /api/calls/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		c, err := svc.PublicCall(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusOK, Body: c.PublicView(lang, svc.Now()), Headers: map[string]string{"Cache-Control": "public, max-age=60"}}, nil
	})
	return rt
}
