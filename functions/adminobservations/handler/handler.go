// Package handler serves the administrators' observation routes of AdminObservationsFunction.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/httpapi"
	"espaceosc/shared/observations"
)

// New serves the administrators' observation routes.
func New(svc *observations.Service, log *slog.Logger) *httpapi.Router {
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
		return httpapi.PageOf(items, next), nil
	})
	rt.Admin("GET /api/admin/observations/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Get(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("PATCH /api/admin/observations/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var p observations.Patch
		if err := r.Decode(&p); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Update(ctx, r.Path("id"), p)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	return rt
}
