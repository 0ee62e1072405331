package main

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

// newRouter serves the association's candidacy routes.
func newRouter(svc *calls.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	view := func(c calls.Candidacy, call calls.Call, r *httpapi.Request) httpapi.Response {
		return httpapi.Response{Status: http.StatusOK, Body: c.View(call, r.Lang, svc.Now()), Headers: private}
	}
	rt.Handle("POST /api/calls/{id}/candidacies", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		key, present := r.HeaderValue(idempotency.Header) // an empty Idempotency-Key is an error, a missing one is not
		if present {
			if err := idempotency.ValidateKey(key); err != nil {
				return httpapi.Response{}, err
			}
		}
		var in calls.Application
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		created, err := svc.Apply(ctx, r.Path("id"), in, key)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusCreated, Body: created, Headers: private}, nil
	})
	rt.Handle("GET /api/candidacies/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		c, call, err := svc.Open(ctx, r.Path("id"), token(r))
		if err != nil {
			return httpapi.Response{}, err
		}
		return view(c, call, r), nil
	})
	rt.Handle("PATCH /api/candidacies/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if _, _, err := svc.Open(ctx, r.Path("id"), token(r)); err != nil {
			return httpapi.Response{}, err // a stranger learns nothing from validation errors
		}
		var p calls.CandidacyPatch
		if err := r.Decode(&p); err != nil {
			return httpapi.Response{}, err
		}
		c, call, err := svc.Patch(ctx, r.Path("id"), token(r), p)
		if err != nil {
			return httpapi.Response{}, err
		}
		return view(c, call, r), nil
	})
	rt.Handle("POST /api/candidacies/{id}/documents", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if _, _, err := svc.Open(ctx, r.Path("id"), token(r)); err != nil {
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
		return httpapi.Response{Status: http.StatusOK, Body: u, Headers: private}, nil
	})
	rt.Handle("POST /api/candidacies/{id}/submit", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		c, call, err := svc.Submit(ctx, r.Path("id"), token(r))
		if err != nil {
			return httpapi.Response{}, err
		}
		return view(c, call, r), nil
	})
	rt.Handle("POST /api/candidacies/{id}/withdraw", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		c, call, err := svc.Withdraw(ctx, r.Path("id"), token(r))
		if err != nil {
			return httpapi.Response{}, err
		}
		return view(c, call, r), nil
	})
	return rt
}
