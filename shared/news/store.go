package news

import (
	"context"

	"espaceosc/shared/i18n"
)

// Store is what the service needs of the table (ddbstore/newsdb). It returns
// apperr codes without message keys (the service chooses what people read);
// a table that is down or throttling is apperr.Unavailable.
type Store interface {
	// CreateNews stores a new item. Returns apperr.Conflict if its slug is
	// already used.
	CreateNews(ctx context.Context, it Item) error
	// GetNews returns the item with slug, drafts included, or apperr.NotFound.
	GetNews(ctx context.Context, slug string) (Item, error)
	// UpdateNews replaces the stored item it.Slug, provided it is still at
	// prevVersion (optimistic lock); the public listing follows it.Status,
	// it.Lang and it.PublishedAt. Returns apperr.Conflict if the item
	// changed since it was read, or is gone.
	UpdateNews(ctx context.Context, it Item, prevVersion int) error
	// DeleteNews removes the item. Returns apperr.NotFound if there is none.
	DeleteNews(ctx context.Context, slug string) error
	// ListPublishedNews returns up to limit published items of lang, newest
	// PublishedAt first, and the next page's cursor ("" on the last). A
	// cursor it did not issue for this listing is apperr.Invalid (field
	// "cursor").
	ListPublishedNews(ctx context.Context, lang i18n.Lang, limit int, cursor string) ([]Item, string, error)
	// ListNews returns up to limit items matching f, newest CreatedAt first,
	// and the next page's cursor ("" on the last; a page may be short when
	// f drops many items). A bad cursor is apperr.Invalid (field "cursor").
	ListNews(ctx context.Context, f Filter, limit int, cursor string) ([]Item, string, error)
}
