package main

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/httpapi"
	"espaceosc/shared/observations"
)

// page is a listing's response.
type page struct {
	Items      []observations.AdminView `json:"items"`
	NextCursor string                   `json:"nextCursor,omitempty"`
}

// newRouter serves the administrators' observation routes.
func newRouter(svc *observations.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Admin("GET /api/admin/observations", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(20, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.List(ctx, r.Query("status"), limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		p := page{Items: make([]observations.AdminView, 0, len(items)), NextCursor: next}
		for _, o := range items {
			p.Items = append(p.Items, o.AdminView())
		}
		return httpapi.JSON(http.StatusOK, p), nil
	})
	rt.Admin("GET /api/admin/observations/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		o, err := svc.Get(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, o.AdminView()), nil
	})
	rt.Admin("PATCH /api/admin/observations/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var p observations.Patch
		if err := r.Decode(&p); err != nil {
			return httpapi.Response{}, err
		}
		o, err := svc.Update(ctx, r.Path("id"), p)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, o.AdminView()), nil
	})
	return rt
}
