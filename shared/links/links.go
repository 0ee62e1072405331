// Package links is the "Liens utiles de participation citoyenne": one list
// of external sites, each with a title and a description in French and
// Arabic, ordered by administrators. It holds the entity, its validation,
// its order, the views, the service and the Store it needs; it imports no
// AWS package (ddbstore/linksdb implements Store).
package links

import (
	"time"

	"espaceosc/shared/i18n"
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

// Link is one useful link. Its title is required in French, which is also
// the fallback of an empty Arabic text.
type Link struct {
	ID          string
	URL         string
	Title       i18n.Text
	Description i18n.Text
	Order       int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}
