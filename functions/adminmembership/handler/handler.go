// Package handler serves the administrators' routes of
// AdminMembershipFunction: requests to join the space, working groups,
// their members and the requests to join them.
package handler

import (
	"context"
	"log/slog"
	"net/http"

	"espaceosc/shared/httpapi"
	"espaceosc/shared/membership"
)

// New serves the administrators' membership routes.
func New(svc *membership.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Admin("GET /api/admin/memberships", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(20, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.List(ctx, r.Query("status"), limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Admin("GET /api/admin/memberships/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.Get(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("POST /api/admin/memberships/{id}/decision", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var d membership.Decision
		if err := r.Decode(&d); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.Decide(ctx, r.Path("id"), d)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("GET /api/admin/working-groups", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		items, err := svc.AllGroups(ctx)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, ""), nil
	})
	rt.Admin("POST /api/admin/working-groups", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in membership.NewGroup
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.CreateGroup(ctx, in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, v), nil
	})
	rt.Admin("GET /api/admin/working-groups/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := svc.AdminGroup(ctx, r.Path("id"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("PUT /api/admin/working-groups/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in membership.GroupInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.UpdateGroup(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("POST /api/admin/working-groups/{id}/members", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in membership.AddMemberInput
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.AddMember(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusCreated, v), nil
	})
	rt.Admin("DELETE /api/admin/working-groups/{id}/members/{memberId}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if err := svc.RemoveMember(ctx, r.Path("id"), r.Path("memberId")); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.NoContent(), nil
	})
	rt.Admin("GET /api/admin/group-requests", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(20, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := svc.GroupRequests(ctx, r.Query("status"), limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Admin("POST /api/admin/working-groups/{id}/requests/{organisationId}/decision", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var d membership.Decision
		if err := r.Decode(&d); err != nil {
			return httpapi.Response{}, err
		}
		v, err := svc.DecideGroupRequest(ctx, r.Path("id"), r.Path("organisationId"), d)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	return rt
}
