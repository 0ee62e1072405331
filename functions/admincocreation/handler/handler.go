// Package handler serves the administrators' co-creation routes of
// AdminCocreationFunction.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/cocreation"
	"espaceosc/shared/httpapi"
)

// New serves the administrators' co-creation routes.
func New(svc *cocreation.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	ok := func(v any, err error) (httpapi.Response, error) {
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	}
	rt.Admin("POST /api/admin/cocreation/plans", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in cocreation.NewPlan
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.CreatePlan(ctx, in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, v), nil
	})
	rt.Admin("GET /api/admin/cocreation/plans/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		return ok(svc.AdminPlan(ctx, r.Path("id")))
	})
	rt.Admin("PUT /api/admin/cocreation/plans/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in cocreation.PlanInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		return ok(svc.UpdatePlan(ctx, r.Path("id"), in))
	})
	rt.Admin("GET /api/admin/cocreation/plans/{id}/proposals", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(20, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.AdminProposals(ctx, r.Path("id"), r.Query("moderation"), limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Admin("POST /api/admin/cocreation/plans/{id}/commitments", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in cocreation.CommitmentInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.CreateCommitment(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, v), nil
	})
	rt.Admin("GET /api/admin/cocreation/proposals/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		return ok(svc.AdminProposal(ctx, r.Path("id")))
	})
	rt.Admin("POST /api/admin/cocreation/proposals/{id}/moderation", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in cocreation.ModerationInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		return ok(svc.Moderate(ctx, r.Path("id"), in, r.Identity.Subject))
	})
	rt.Admin("PUT /api/admin/cocreation/proposals/{id}/response", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in cocreation.ResponseInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		return ok(svc.Respond(ctx, r.Path("id"), in, r.Identity.Subject))
	})
	rt.Admin("PUT /api/admin/cocreation/proposals/{id}/commitment", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in cocreation.LinkInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		return ok(svc.Link(ctx, r.Path("id"), in))
	})
	rt.Admin("DELETE /api/admin/cocreation/proposals/{id}/commitment", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		return ok(svc.Unlink(ctx, r.Path("id")))
	})
	rt.Admin("GET /api/admin/cocreation/commitments/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		return ok(svc.AdminCommitment(ctx, r.Path("id")))
	})
	rt.Admin("PUT /api/admin/cocreation/commitments/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in cocreation.CommitmentInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		return ok(svc.UpdateCommitment(ctx, r.Path("id"), in))
	})
	return rt
}
