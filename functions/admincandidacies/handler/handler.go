// Package handler serves the routes of AdminCandidaciesFunction:
// administrators list a call's candidacies, read one with every
// evaluator's scores, list the evaluators group and assign its members,
// rank, decide, export (CSV, dossier ZIP) and publish the results.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/calls"
	"espaceosc/shared/httpapi"
)

// New serves the administrators' candidacy and results routes.
func New(svc *calls.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Admin("GET /api/admin/calls/{id}/candidacies", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(20, 100)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.List(ctx, r.Path("id"), r.Query("status"), limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Admin("GET /api/admin/candidacies/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.ForAdmin(ctx, r.Path("id"), r.Lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("GET /api/admin/evaluators", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		items, err := svc.Evaluators(ctx)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, ""), nil // the whole group: one page
	})
	rt.Admin("POST /api/admin/candidacies/{id}/assignments", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in calls.AssignInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		items, err := svc.Assign(ctx, r.Path("id"), r.Identity.Subject, in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, ""), nil // every assignment: one page
	})
	rt.Admin("POST /api/admin/candidacies/{id}/decision", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in calls.DecisionInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Decide(ctx, r.Path("id"), in, r.Lang)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("POST /api/admin/candidacies/{id}/dossier", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Dossier(ctx, r.Path("id"), r.Identity.Subject)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, v), nil
	})
	rt.Admin("GET /api/admin/calls/{id}/ranking", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Ranking(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("POST /api/admin/calls/{id}/exports", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.ExportCSV(ctx, r.Path("id"), r.Identity.Subject)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, v), nil
	})
	rt.Admin("POST /api/admin/calls/{id}/results", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.PublishResults(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	return rt
}
