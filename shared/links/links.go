// Package links is the "Liens utiles de participation citoyenne": one list
// of external sites, each with a title and a description in French and
// Arabic, ordered by administrators. It holds the types, their validation,
// the service and the Store it needs; it imports no AWS package.
package links

import (
	"context"
	"time"
)

// Limits of the fields (API contract).
const (
	URLMax         = 500
	TitleMax       = 200
	DescriptionMax = 500
	OrderMax       = 10000
	IDMin          = 2
	IDMax          = 64
)

// Text is a text in both languages; French is required for titles and is
// the fallback of Arabic.
type Text struct {
	FR string `json:"fr"`
	AR string `json:"ar"`
}

// In returns the text in lang, or French when that one is empty.
func (t Text) In(lang string) string {
	if lang == "ar" && t.AR != "" {
		return t.AR
	}
	return t.FR
}

// Link is one useful link.
type Link struct {
	ID          string
	URL         string
	Title       Text
	Description Text
	Order       int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Store keeps the links. Implementations return *apperr.Error values for
// the documented cases and wrap anything else (DynamoDB throttling or
// outage is apperr.Unavailable).
type Store interface {
	// Create stores a new link. Returns Conflict ("links.id_taken") if its ID is used.
	Create(ctx context.Context, l Link) error
	// Update replaces the URL, texts and order of link l.ID (its CreatedAt
	// stays) and returns the stored link. Returns NotFound ("links.not_found").
	Update(ctx context.Context, l Link) (Link, error)
	// Delete removes a link. Returns NotFound ("links.not_found").
	Delete(ctx context.Context, id string) error
	// List returns every link, in no particular order.
	List(ctx context.Context) ([]Link, error)
}
