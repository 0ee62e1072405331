// Package news is the Actualités of the civil-society space: items written in
// one language each (French and Arabic separately), drafted by administrators,
// published (possibly backdated) and read by everyone. It holds the types,
// their validation, the service and the Store it needs; it imports no AWS
// package (shared/ddbstore implements Store).
package news

import (
	"context"
	"time"

	"espaceosc/shared/i18n"
)

// Status is the publication state of an item.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
)

// Limits of the fields (API contract).
const (
	SlugMin    = 3
	SlugMax    = 80
	TitleMax   = 200
	SummaryMax = 500
	BodyMax    = 20000
)

// Item is one news item, in one language.
type Item struct {
	Slug    string
	Lang    i18n.Lang
	Title   string
	Summary string
	// Body is plain text, paragraphs separated by blank lines; always rendered escaped.
	Body   string
	Status Status
	// PublishedAt is the publication date shown to readers. A draft may carry
	// the date it will be published with.
	PublishedAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Published reports whether the public may read the item.
func (it Item) Published() bool { return it.Status == StatusPublished }

// Page is one page of a listing; NextCursor is empty on the last page.
type Page struct {
	Items      []Item
	NextCursor string
}

// Filter narrows the administrators' listing; zero values mean "any".
type Filter struct {
	Lang   i18n.Lang
	Status Status
}

// Store keeps news items. Implementations return *apperr.Error values for
// the documented cases and wrap anything else (DynamoDB throttling or
// outage is apperr.Unavailable).
type Store interface {
	// Create stores a new item (its Status and keys as given).
	// Returns Conflict (key "news.slug_taken") if the slug is already used.
	Create(ctx context.Context, it Item) error
	// Get returns the item with slug, drafts included.
	// Returns NotFound (key "news.not_found") if there is none.
	Get(ctx context.Context, slug string) (Item, error)
	// Update replaces the stored item it.Slug, provided it was last updated
	// at prevUpdatedAt (optimistic lock). Index keys follow it.Status.
	// Returns NotFound if the item is gone, Conflict (key "news.changed") if
	// it changed since it was read.
	Update(ctx context.Context, it Item, prevUpdatedAt time.Time) error
	// Publish marks the item published at `at` (it enters the public
	// listing of its language) and returns it. lang is the language the
	// caller read; the item must still have it.
	// Returns NotFound if the item is gone, Conflict (key "news.changed") if
	// its language changed meanwhile.
	Publish(ctx context.Context, slug string, lang i18n.Lang, at, now time.Time) (Item, error)
	// Unpublish turns the item back into a draft (it leaves the public
	// listing) and returns it. Returns NotFound if there is none.
	Unpublish(ctx context.Context, slug string, now time.Time) (Item, error)
	// Delete removes the item. Returns NotFound if there is none.
	Delete(ctx context.Context, slug string) error
	// ListPublished returns published items of lang, newest PublishedAt
	// first. Returns Invalid (field "cursor") for a cursor it did not issue
	// for this listing.
	ListPublished(ctx context.Context, lang i18n.Lang, limit int, cursor string) (Page, error)
	// ListAll returns every item matching f, newest CreatedAt first.
	// Returns Invalid (field "cursor") for a cursor it did not issue.
	ListAll(ctx context.Context, f Filter, limit int, cursor string) (Page, error)
}
