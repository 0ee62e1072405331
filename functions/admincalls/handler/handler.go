// Package handler serves the administrators' call routes of AdminCallsFunction
// (/api/admin/calls...). It is a package of its own so that other packages
// (the seed's tests) can serve the same routes in process.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/calls"
	"espaceosc/shared/httpapi"
)

// New serves the administrators' call routes.
func New(svc *calls.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Admin("GET /api/admin/calls", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(20, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.ListCalls(ctx, r.Query("status"), limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Admin("POST /api/admin/calls", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in calls.CallInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.CreateCall(ctx, in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusCreated, Body: v, Headers: map[string]string{"Location": "/api/admin/calls/" + v.ID}}, nil
	})
	rt.Admin("GET /api/admin/calls/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.GetCall(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("PUT /api/admin/calls/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in calls.CallInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.UpdateCall(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("POST /api/admin/calls/{id}/status", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in calls.StatusInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.SetCallStatus(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	return rt
}
