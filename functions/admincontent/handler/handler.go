// Package handler serves the administrators' content routes of
// AdminContentFunction: news drafts, publication, edits and deletion, and the
// useful links. Every route requires the admins group.
package handler

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"espaceosc/shared/httpapi"
	"espaceosc/shared/links"
	"espaceosc/shared/news"
)

// created is a 201 with the new resource's address.
func created(body any, location string) httpapi.Response {
	return httpapi.Response{Status: http.StatusCreated, Body: body, Headers: map[string]string{"Location": location}}
}

// New serves the administrators' news and links routes.
func New(newsSvc *news.Service, linksSvc *links.Service, log *slog.Logger) *httpapi.Router {
	rt := httpapi.NewRouter(log)
	rt.Admin("GET /api/admin/news", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		limit, err := r.Limit(20, 50)
		if err != nil {
			return httpapi.Response{}, err
		}
		items, next, err := newsSvc.List(ctx, r.Query("lang"), r.Query("status"), limit, r.Query("cursor"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, next), nil
	})
	rt.Admin("POST /api/admin/news", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var d news.Draft
		if err := r.Decode(&d); err != nil {
			return httpapi.Response{}, err
		}
		v, err := newsSvc.Create(ctx, d)
		if err != nil {
			return httpapi.Response{}, err
		}
		return created(v, "/api/admin/news/"+v.Slug), nil
	})
	rt.Admin("GET /api/admin/news/{slug}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := newsSvc.Get(ctx, r.Path("slug"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("PUT /api/admin/news/{slug}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var ch news.Changes
		if err := r.Decode(&ch); err != nil {
			return httpapi.Response{}, err
		}
		v, err := newsSvc.Update(ctx, r.Path("slug"), ch)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("DELETE /api/admin/news/{slug}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if err := newsSvc.Delete(ctx, r.Path("slug")); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.NoContent(), nil
	})
	rt.Admin("POST /api/admin/news/{slug}/publish", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in news.PublishInput
		// The body is optional: an empty POST publishes now (or at the draft's date).
		if strings.TrimSpace(r.Body) != "" {
			if err := r.Decode(&in); err != nil {
				return httpapi.Response{}, err
			}
		}
		v, err := newsSvc.Publish(ctx, r.Path("slug"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("POST /api/admin/news/{slug}/unpublish", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		v, err := newsSvc.Unpublish(ctx, r.Path("slug"))
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("GET /api/admin/links", func(ctx context.Context, _ *httpapi.Request) (httpapi.Response, error) {
		items, err := linksSvc.List(ctx)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.PageOf(items, ""), nil
	})
	rt.Admin("POST /api/admin/links", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in links.NewLink
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := linksSvc.Create(ctx, in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return created(v, "/api/admin/links/"+v.ID), nil
	})
	rt.Admin("PUT /api/admin/links/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in links.Input
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		v, err := linksSvc.Update(ctx, r.Path("id"), in)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.JSON(http.StatusOK, v), nil
	})
	rt.Admin("DELETE /api/admin/links/{id}", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		if err := linksSvc.Delete(ctx, r.Path("id")); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.NoContent(), nil
	})
	return rt
}
