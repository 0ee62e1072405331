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

type page struct {
	Items      []calls.AdminCallView `json:"items"`
	NextCursor string                `json:"nextCursor,omitempty"`
}

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
		now := svc.Now()
		p := page{Items: make([]calls.AdminCallView, 0, len(items)), NextCursor: next}
		for _, c := range items {
			p.Items = append(p.Items, c.AdminView(now))
		}
		return httpapi.JSON(http.StatusOK, p), nil
	})
	rt.Admin("POST /api/admin/calls", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in calls.CallInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		c, err := svc.CreateCall(ctx, in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusCreated, Body: c.AdminView(svc.Now()),
			Headers: map[string]string{"Location": "/api/admin/calls/" + c.ID}}, nil
	})
	rt.Admin("GET /api/admin/calls/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		c, err := svc.GetCall(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, c.AdminView(svc.Now())), nil
	})
	rt.Admin("PUT /api/admin/calls/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in calls.CallInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		c, err := svc.UpdateCall(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, c.AdminView(svc.Now())), nil
	})
	rt.Admin("POST /api/admin/calls/{id}/status", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in calls.StatusInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		c, err := svc.SetCallStatus(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, c.AdminView(svc.Now())), nil
	})
	return rt
}
