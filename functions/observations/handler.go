package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"espaceosc/shared/httpapi"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/observations"
)

// newRouter serves the public observation routes.
func newRouter(svc *observations.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Handle("POST /api/observations", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		key, present := headerValue(r.Headers, idempotency.Header)
		if present {
			if err := idempotency.ValidateKey(key); err != nil {
				return httpapi.Response{}, err
			}
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
		o, err := svc.FollowUp(ctx, r.Path("id"), r.Query("token"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{
			Status:  http.StatusOK,
			Body:    o.AuthorView(),
			Headers: map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
		}, nil
	})
	return rt
}

// headerValue returns a header and whether it was sent at all (an empty
// Idempotency-Key is an error, a missing one is not).
func headerValue(h map[string]string, name string) (string, bool) {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}
