// Package handler serves the routes of CandidaciesFunction: associations
// apply to a call and, with their candidacy's private token, read and edit
// the draft, get presigned uploads for its documents, submit and withdraw.
package handler

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"espaceosc/shared/calls"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/idempotency"
)

// private marks responses that carry a candidacy: never cached, and the
// token in the page's URL never leaks through a Referer.
var private = map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

// token reads the candidacy token: `Authorization: Bearer <token>`, else ?token=.
func token(r *httpapi.Request) string {
	if h := r.Header("authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t)
		}
	}
	return r.Query("token")
}

// answer is a private 200 (or status) with v.
func answer(status int, v any) httpapi.Response {
	return httpapi.Response{Status: status, Body: v, Headers: private}
}

// New serves the association's candidacy routes.
func New(svc *calls.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Handle("POST /api/calls/{id}/candidacies", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		key, err := idempotency.ParseKey(r.HeaderValue(idempotency.Header))
		if err != nil {
			return httpapi.Response{}, err
		}
		var in calls.Application
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		created, err := svc.Apply(ctx, r.Path("id"), in, key)
		if err != nil {
			return httpapi.Response{}, err
		}
		return answer(http.StatusCreated, created), nil
	})
	rt.Handle("GET /api/candidacies/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Open(ctx, r.Path("id"), token(r), r.Lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return answer(http.StatusOK, v), nil
	})
	rt.Handle("PATCH /api/candidacies/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if err := svc.CheckToken(ctx, r.Path("id"), token(r)); err != nil {
			return httpapi.Response{}, err // a stranger learns nothing from validation errors
		}
		var p calls.CandidacyPatch
		if err := r.Decode(&p); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Patch(ctx, r.Path("id"), token(r), p, r.Lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return answer(http.StatusOK, v), nil
	})
	rt.Handle("POST /api/candidacies/{id}/documents", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if err := svc.CheckToken(ctx, r.Path("id"), token(r)); err != nil {
			return httpapi.Response{}, err
		}
		var in calls.DocumentRequest
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		u, err := svc.RequestUpload(ctx, r.Path("id"), token(r), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return answer(http.StatusOK, u), nil
	})
	rt.Handle("POST /api/candidacies/{id}/submit", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Submit(ctx, r.Path("id"), token(r), r.Lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return answer(http.StatusOK, v), nil
	})
	rt.Handle("POST /api/candidacies/{id}/withdraw", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Withdraw(ctx, r.Path("id"), token(r), r.Lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return answer(http.StatusOK, v), nil
	})
	return rt
}
