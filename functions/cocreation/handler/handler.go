// Package handler serves the public co-creation routes of CocreationFunction.
package handler

import (
	"context"
	"log/slog"
	"mime"
	"net/http"

	"espaceosc/shared/cocreation"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/idempotency"
)

// private are the headers of an answer reached through a private link.
var private = map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

// New serves the public co-creation routes.
func New(svc *cocreation.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Handle("GET /api/cocreation/plans", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		limit, err := r.Limit(20, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.ListPlans(ctx, lang, limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Handle("GET /api/cocreation/plans/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Plan(ctx, r.Path("id"), lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Handle("GET /api/cocreation/plans/{id}/proposals", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		limit, err := r.Limit(20, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.Proposals(ctx, r.Path("id"), r.Query("theme"), r.Query("status"), lang, limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Handle("POST /api/cocreation/plans/{id}/proposals", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		key, err := idempotency.ParseKey(r.HeaderValue(idempotency.Header))
		if err != nil {
			return httpapi.Response{}, err
		}
		var sub cocreation.Submission
		if err := r.Decode(&sub); err != nil {
			return httpapi.Response{}, err
		}
		receipt, err := svc.Submit(ctx, r.Path("id"), sub, key)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, receipt), nil
	})
	rt.Handle("GET /api/cocreation/plans/{id}/commitments", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		limit, err := r.Limit(50, 100)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.Commitments(ctx, r.Path("id"), lang, limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Handle("GET /api/cocreation/plans/{id}/statistics", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Statistics(ctx, r.Path("id"), lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Handle("GET /api/cocreation/plans/{id}/open-data/{dataset}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		f, err := svc.OpenData(ctx, r.Path("id"), r.Path("dataset"), r.Query("format"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{
			Status: http.StatusOK, Raw: f.Body, ContentType: f.ContentType,
			Headers: map[string]string{"Content-Disposition": mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})},
		}, nil
	})
	rt.Handle("GET /api/cocreation/proposals/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Proposal(ctx, r.Path("id"), r.Query("token"), lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusOK, Body: v, Headers: private}, nil
	})
	rt.Handle("POST /api/cocreation/proposals/{id}/supports", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in cocreation.SupportInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.RequestSupport(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusAccepted, v), nil
	})
	rt.Handle("POST /api/cocreation/supports/{id}/confirmation", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in cocreation.ConfirmInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.ConfirmSupport(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Response{Status: http.StatusOK, Body: v, Headers: private}, nil
	})
	rt.Handle("GET /api/cocreation/commitments/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		lang, err := r.QueryLang()
		if err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Commitment(ctx, r.Path("id"), lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	return rt
}
