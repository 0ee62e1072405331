// Package handler serves the public event routes of EventsFunction: the
// event list and pages, registration, and the registrant's private link.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/apperr"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/idempotency"
)

// New serves the public event routes.
func New(svc *events.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Handle("GET /api/events", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		limit, err := r.Limit(10, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		upcoming := false
		switch r.Query("upcoming") {
		case "", "false":
		case "true":
			upcoming = true
		default:
			var fs apperr.Fields
			fs.Add("upcoming", "one_of", map[string]any{"values": "true, false"})
			return httpapi.Response{}, fs.Err()
		}
		items, next, err := svc.ListPublic(ctx, upcoming, lang, limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		resp := httpapi.PageOf(items, next)
		resp.Headers = map[string]string{"Cache-Control": "public, max-age=30"}
		return resp, nil
	})
	rt.Handle("GET /api/events/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.GetPublic(ctx, r.Path("id"), lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusOK, Body: v, Headers: map[string]string{"Cache-Control": "public, max-age=10"}}, nil
	})
	rt.Handle("POST /api/events/{id}/registrations", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		key, err := idempotency.ParseKey(r.HeaderValue(idempotency.Header))
		if err != nil {
			return httpapi.Response{}, err
		}
		var in events.RegistrationInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		receipt, err := svc.Register(ctx, r.Path("id"), in, key)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, receipt), nil
	})
	private := map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
	rt.Handle("GET /api/registrations/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Manage(ctx, r.Path("id"), r.Query("token"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusOK, Body: v, Headers: private}, nil
	})
	rt.Handle("DELETE /api/registrations/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Withdraw(ctx, r.Path("id"), r.Query("token"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusOK, Body: v, Headers: private}, nil
	})
	return rt
}
