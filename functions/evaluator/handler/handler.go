// Package handler serves the routes of EvaluatorFunction: members of the
// independent selection committee (group "evaluators") list what is
// assigned to them, open an assigned candidacy with short-lived links to
// its documents, score it or declare a conflict of interest.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/calls"
	"espaceosc/shared/httpapi"
)

// New serves the evaluators' routes; every route requires the evaluators
// group and acts on the caller's own assignments only.
func New(svc *calls.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	handle := func(key string, h httpapi.HandlerFunc) {
		rt.Handle(key, httpapi.RequireGroup(httpapi.GroupEvaluators, h))
	}
	handle("GET /api/evaluator/candidacies", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(20, 100)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.MyAssignments(ctx, r.Identity.Subject, limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	handle("GET /api/evaluator/candidacies/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.ForEvaluator(ctx, r.Identity.Subject, r.Path("id"), r.Lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		// The document links are personal to the caller and short-lived.
		return httpapi.Response{Status: http.StatusOK, Body: v, Headers: map[string]string{"Cache-Control": "no-store"}}, nil
	})
	handle("PUT /api/evaluator/candidacies/{id}/score", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in calls.ScoreInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Score(ctx, r.Identity.Subject, r.Path("id"), in, r.Lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	handle("POST /api/evaluator/candidacies/{id}/recuse", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in calls.RecuseInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Recuse(ctx, r.Identity.Subject, r.Path("id"), in, r.Lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	return rt
}
