// Package handler serves the administrators' event routes of
// AdminEventsFunction (/api/admin/events...). The seed's tests serve the
// same routes in process.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
)

// New serves the administrators' event routes.
func New(svc *events.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Admin("GET /api/admin/events", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(20, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.List(ctx, limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Admin("POST /api/admin/events", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in events.Input
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Create(ctx, in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, v), nil
	})
	rt.Admin("GET /api/admin/events/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Get(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("PUT /api/admin/events/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in events.Input
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Update(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("POST /api/admin/events/{id}/publish", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Publish(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("POST /api/admin/events/{id}/cancel", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		res, err := svc.Cancel(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, res), nil
	})
	rt.Admin("GET /api/admin/notifications/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Notification(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("GET /api/admin/events/{id}/registrations", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(50, 200)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.ListRegistrations(ctx, r.Path("id"), r.Query("status"), limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Admin("POST /api/admin/events/{id}/exports", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Export(ctx, r.Path("id"), r.Identity.Subject)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, v), nil
	})
	rt.Admin("POST /api/admin/events/{id}/checkins", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in events.CheckInInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.CheckIn(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	return rt
}
