package links

import "context"

// Store is what the service needs of the table (ddbstore/linksdb). It returns
// apperr codes without message keys (the service chooses what people read);
// a table that is down or throttling is apperr.Unavailable.
type Store interface {
	// CreateLink stores a new link. Returns apperr.Conflict if its ID is used.
	CreateLink(ctx context.Context, l Link) error
	// UpdateLink replaces the URL, texts, order and UpdatedAt of link l.ID
	// (its CreatedAt stays) and returns the stored link. Returns
	// apperr.NotFound if there is none.
	UpdateLink(ctx context.Context, l Link) (Link, error)
	// DeleteLink removes a link. Returns apperr.NotFound if there is none.
	DeleteLink(ctx context.Context, id string) error
	// ListLinks returns every link, in no particular order.
	ListLinks(ctx context.Context) ([]Link, error)
}
