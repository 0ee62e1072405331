// Package handler serves the public observation routes of ObservationsFunction.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/httpapi"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/observations"
)

// New serves the public observation routes.
func New(svc *observations.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Handle("POST /api/observations", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		key, err := idempotency.ParseKey(r.HeaderValue(idempotency.Header))
		if err != nil {
			return httpapi.Response{}, err
		}
		var sub observations.Submission
		if err := r.Decode(&sub); err != nil {
			return httpapi.Response{}, err
		}
		receipt, err := svc.Submit(ctx, sub, key)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, receipt), nil
	})
	rt.Handle("GET /api/observations/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.FollowUp(ctx, r.Path("id"), r.Query("token"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{
			Status:  http.StatusOK,
			Body:    v,
			Headers: map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
		}, nil
	})
	return rt
}
