package news

import "time"

// AdminView is the JSON of an item for administrators.
type AdminView struct {
	Slug        string `json:"slug"`
	Lang        string `json:"lang"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Body        string `json:"body"`
	Status      Status `json:"status"`
	PublishedAt string `json:"publishedAt,omitempty"`
	CreatedAt   string `json:"createdAt"`
	UpdatedAt   string `json:"updatedAt"`
}

// PublicView is the JSON of a published item for everyone.
type PublicView struct {
	Slug        string `json:"slug"`
	Lang        string `json:"lang"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Body        string `json:"body"`
	PublishedAt string `json:"publishedAt"`
}

// AdminView returns the administrators' view of it.
func (it Item) AdminView() AdminView {
	return AdminView{
		Slug: it.Slug, Lang: string(it.Lang), Title: it.Title, Summary: it.Summary, Body: it.Body,
		Status: it.Status, PublishedAt: stamp(it.PublishedAt),
		CreatedAt: stamp(it.CreatedAt), UpdatedAt: stamp(it.UpdatedAt),
	}
}

// PublicView returns the public view of it.
func (it Item) PublicView() PublicView {
	return PublicView{
		Slug: it.Slug, Lang: string(it.Lang), Title: it.Title, Summary: it.Summary, Body: it.Body,
		PublishedAt: stamp(it.PublishedAt),
	}
}

// stamp formats t as RFC 3339 UTC to the second ("" for the zero time).
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func views[V any](items []Item, view func(Item) V) []V {
	out := make([]V, 0, len(items))
	for _, it := range items {
		out = append(out, view(it))
	}
	return out
}
