// Package handler serves the administrators' content routes of
// AdminContentFunction: news drafts, publication, edits and deletion, and the
// useful links. Every route requires the admins group. It is a package of its
// own (not main) so that the seed tool's tests can route to it in process.
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

type handler struct {
	news  *news.Service
	links *links.Service
}

// New returns the router of the function.
func New(log *slog.Logger, newsSvc *news.Service, linksSvc *links.Service) *httpapi.Router {
	h := &handler{news: newsSvc, links: linksSvc}
	rt := httpapi.NewRouter(log)
	rt.Admin("GET /api/admin/news", h.listNews)
	rt.Admin("POST /api/admin/news", h.createNews)
	rt.Admin("GET /api/admin/news/{slug}", h.getNews)
	rt.Admin("PUT /api/admin/news/{slug}", h.updateNews)
	rt.Admin("DELETE /api/admin/news/{slug}", h.deleteNews)
	rt.Admin("POST /api/admin/news/{slug}/publish", h.publishNews)
	rt.Admin("POST /api/admin/news/{slug}/unpublish", h.unpublishNews)
	rt.Admin("GET /api/admin/links", h.listLinks)
	rt.Admin("POST /api/admin/links", h.createLink)
	rt.Admin("PUT /api/admin/links/{id}", h.updateLink)
	rt.Admin("DELETE /api/admin/links/{id}", h.deleteLink)
	return rt
}

// Page is a page of a listing.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"nextCursor,omitempty"`
}

func (h *handler) listNews(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	f, err := news.ParseFilter(r.Query("lang"), r.Query("status"))
	if err != nil {
		return httpapi.Response{}, err
	}
	limit, err := r.Limit(20, 50)
	if err != nil {
		return httpapi.Response{}, err
	}
	p, err := h.news.ListAll(ctx, f, limit, r.Query("cursor"))
	if err != nil {
		return httpapi.Response{}, err
	}
	out := Page[news.AdminView]{Items: make([]news.AdminView, 0, len(p.Items)), NextCursor: p.NextCursor}
	for _, it := range p.Items {
		out.Items = append(out.Items, it.Admin())
	}
	return httpapi.JSON(http.StatusOK, out), nil
}

func (h *handler) createNews(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	var d news.Draft
	if err := r.Decode(&d); err != nil {
		return httpapi.Response{}, err
	}
	it, err := h.news.Create(ctx, d)
	if err != nil {
		return httpapi.Response{}, err
	}
	r.Log.Info("news created", "slug", it.Slug)
	return httpapi.Response{Status: http.StatusCreated, Body: it.Admin(),
		Headers: map[string]string{"Location": "/api/admin/news/" + it.Slug}}, nil
}

func (h *handler) getNews(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	it, err := h.news.Get(ctx, r.Path("slug"))
	if err != nil {
		return httpapi.Response{}, err
	}
	return httpapi.JSON(http.StatusOK, it.Admin()), nil
}

func (h *handler) updateNews(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	var ch news.Changes
	if err := r.Decode(&ch); err != nil {
		return httpapi.Response{}, err
	}
	it, err := h.news.Update(ctx, r.Path("slug"), ch)
	if err != nil {
		return httpapi.Response{}, err
	}
	return httpapi.JSON(http.StatusOK, it.Admin()), nil
}

func (h *handler) deleteNews(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	if err := h.news.Delete(ctx, r.Path("slug")); err != nil {
		return httpapi.Response{}, err
	}
	r.Log.Info("news deleted", "slug", r.Path("slug"))
	return httpapi.NoContent(), nil
}

func (h *handler) publishNews(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	var in news.PublishInput
	// The body is optional: an empty POST publishes now (or at the draft's date).
	if strings.TrimSpace(r.Body) != "" {
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
	}
	it, err := h.news.Publish(ctx, r.Path("slug"), in)
	if err != nil {
		return httpapi.Response{}, err
	}
	r.Log.Info("news published", "slug", it.Slug)
	return httpapi.JSON(http.StatusOK, it.Admin()), nil
}

func (h *handler) unpublishNews(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	it, err := h.news.Unpublish(ctx, r.Path("slug"))
	if err != nil {
		return httpapi.Response{}, err
	}
	r.Log.Info("news unpublished", "slug", it.Slug)
	return httpapi.JSON(http.StatusOK, it.Admin()), nil
}

func (h *handler) listLinks(ctx context.Context, _ *httpapi.Request) (httpapi.Response, error) {
	ls, err := h.links.List(ctx, "fr")
	if err != nil {
		return httpapi.Response{}, err
	}
	out := Page[links.AdminView]{Items: make([]links.AdminView, 0, len(ls))}
	for _, l := range ls {
		out.Items = append(out.Items, l.Admin())
	}
	return httpapi.JSON(http.StatusOK, out), nil
}

func (h *handler) createLink(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	var in links.NewLink
	if err := r.Decode(&in); err != nil {
		return httpapi.Response{}, err
	}
	l, err := h.links.Create(ctx, in)
	if err != nil {
		return httpapi.Response{}, err
	}
	r.Log.Info("link created", "id", l.ID)
	return httpapi.Response{Status: http.StatusCreated, Body: l.Admin(),
		Headers: map[string]string{"Location": "/api/admin/links/" + l.ID}}, nil
}

func (h *handler) updateLink(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	var in links.Input
	if err := r.Decode(&in); err != nil {
		return httpapi.Response{}, err
	}
	l, err := h.links.Update(ctx, r.Path("id"), in)
	if err != nil {
		return httpapi.Response{}, err
	}
	return httpapi.JSON(http.StatusOK, l.Admin()), nil
}

func (h *handler) deleteLink(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
	if err := h.links.Delete(ctx, r.Path("id")); err != nil {
		return httpapi.Response{}, err
	}
	r.Log.Info("link deleted", "id", r.Path("id"))
	return httpapi.NoContent(), nil
}
