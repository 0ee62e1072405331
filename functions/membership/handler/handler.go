// Package handler serves the public routes of MembershipFunction: joining
// the space and the private link, the directory, the working groups.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/httpapi"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/membership"
)

// private are the headers of an answer to the private link: never cached,
// never sent on as a referrer.
var private = map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

// New serves the public membership routes.
func New(svc *membership.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Handle("GET /api/membership/options", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, svc.Options(lang)), nil
	})
	rt.Handle("POST /api/memberships", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		key, err := idempotency.ParseKey(r.HeaderValue(idempotency.Header))
		if err != nil {
			return httpapi.Response{}, err
		}
		var in membership.JoinRequest
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		receipt, err := svc.Join(ctx, in, key)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, receipt), nil
	})
	rt.Handle("GET /api/memberships/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.View(ctx, r.Path("id"), r.Query("token"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusOK, Body: v, Headers: private}, nil
	})
	rt.Handle("PUT /api/memberships/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in membership.Details
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Update(ctx, r.Path("id"), r.Query("token"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusOK, Body: v, Headers: private}, nil
	})
	rt.Handle("DELETE /api/memberships/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if err := svc.Leave(ctx, r.Path("id"), r.Query("token")); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.NoContent(), nil
	})
	rt.Handle("POST /api/memberships/{id}/confirm", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Confirm(ctx, r.Path("id"), r.Query("token"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusOK, Body: v, Headers: private}, nil
	})
	rt.Handle("POST /api/memberships/{id}/group-requests", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in membership.GroupRequestInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.RequestGroup(ctx, r.Path("id"), r.Query("token"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusCreated, Body: v, Headers: private}, nil
	})
	rt.Handle("GET /api/directory", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(20, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.Directory(ctx, r.Query("region"), r.Query("theme"), limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Handle("GET /api/working-groups", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		items, err := svc.Groups(ctx, r.Query("kind"), lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, ""), nil
	})
	rt.Handle("GET /api/working-groups/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		page, err := svc.Group(ctx, r.Path("id"), lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, page), nil
	})
	return rt
}
