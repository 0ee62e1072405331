package news

import "time"

// The life of an item: created as a draft, edited, published (it enters the
// public listing of its language) and taken back to draft (it leaves it), in
// any order and as often as administrators like. Every write stamps
// UpdatedAt and moves Version on.

// newDraft is the draft a validated Draft becomes.
func newDraft(slug string, c content, now time.Time) Item {
	return Item{
		Slug: slug, Lang: c.lang, Title: c.title, Summary: c.summary, Body: c.body,
		Status: StatusDraft, PublishedAt: c.publishedAt, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
}

// touched is it after a write at now.
func (it Item) touched(now time.Time) Item {
	it.UpdatedAt = now
	it.Version++
	return it
}

// edited is it with new content: the slug, status and creation time stay; an
// empty language or date keeps the item's. A published item moves in the
// public listing if its language or date changes.
func (it Item) edited(c content, now time.Time) Item {
	if c.lang != "" {
		it.Lang = c.lang
	}
	it.Title, it.Summary, it.Body = c.title, c.summary, c.body
	if !c.publishedAt.IsZero() {
		it.PublishedAt = c.publishedAt
	}
	return it.touched(now)
}

// published is it made public. Its date is the one asked for, else the date
// the draft already carries, else now: administrators may backdate, and
// publishing again with no date keeps the item's.
func (it Item) published(asked, now time.Time) Item {
	switch {
	case !asked.IsZero():
		it.PublishedAt = asked
	case it.PublishedAt.IsZero():
		it.PublishedAt = now
	}
	it.Status = StatusPublished
	return it.touched(now)
}

// unpublished is it back to draft; it keeps its date for a later publication.
func (it Item) unpublished(now time.Time) Item {
	it.Status = StatusDraft
	return it.touched(now)
}
