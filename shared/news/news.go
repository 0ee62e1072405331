// Package news is the Actualités of the civil-society space: items written in
// one language each (French and Arabic separately), drafted by administrators,
// published (possibly backdated) and read by everyone. It holds the entities,
// their validation, the publication rules, the views, the service and the
// Store it needs; it imports no AWS package (ddbstore/newsdb implements Store).
package news

import (
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
	// Version is incremented by every write (optimistic locking); 0 for an
	// item stored before items had one.
	Version int
}

// Published reports whether the public may read the item.
func (it Item) Published() bool { return it.Status == StatusPublished }

// Filter narrows the administrators' listing; zero values mean "any".
type Filter struct {
	Lang   i18n.Lang
	Status Status
}
