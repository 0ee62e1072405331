package news

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/validate"
)

// Service applies the rules of news on a Store.
type Service struct {
	store Store
	now   func() time.Time
	// randomID returns a short random suffix for slugs of Arabic titles.
	randomID func() string
}

// NewService returns a service on store; now is the clock (UTC).
func NewService(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now, randomID: randomSuffix}
}

// WithRandomID replaces the random slug suffix generator (tests).
func (s *Service) WithRandomID(f func() string) *Service {
	c := *s
	c.randomID = f
	return &c
}

// Create validates d and stores a new draft.
// Returns Invalid with field errors, or Conflict ("news.slug_taken").
func (s *Service) Create(ctx context.Context, d Draft) (Item, error) {
	var fs apperr.Fields
	c := checkContent(&fs, d.Lang, true, d.Title, d.Summary, d.Body, d.PublishedAt)
	slug := d.Slug
	if slug != "" && !ValidSlug(slug) {
		fs.Add("slug", "news.slug", nil)
	}
	if err := fs.Err(); err != nil {
		return Item{}, err
	}
	if slug == "" {
		slug = s.deriveSlug(c.title, c.lang)
	}
	now := s.now().UTC()
	it := Item{
		Slug: slug, Lang: c.lang, Title: c.title, Summary: c.summary, Body: c.body,
		Status: StatusDraft, PublishedAt: c.publishedAt, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.Create(ctx, it); err != nil {
		return Item{}, fmt.Errorf("create news %s: %w", slug, err)
	}
	return it, nil
}

// deriveSlug makes a slug from a title. Arabic titles (and any title with
// too few Latin letters) get a short random suffix, as they cannot be
// spelled in ASCII.
func (s *Service) deriveSlug(title string, lang i18n.Lang) string {
	slug := SlugFromTitle(title)
	if lang == i18n.AR || len(slug) < SlugMin {
		suffix := s.randomID()
		if slug == "" {
			slug = "actualite"
		}
		if max := SlugMax - len(suffix) - 1; len(slug) > max {
			slug = slug[:max]
		}
		slug = trimHyphens(slug) + "-" + suffix
	}
	return slug
}

func trimHyphens(s string) string {
	for len(s) > 0 && s[len(s)-1] == '-' {
		s = s[:len(s)-1]
	}
	return s
}

const suffixAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// randomSuffix is 6 random characters (about 30 bits): unique enough for
// the few items a day administrators write, and a clash is a 409, not a loss.
func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = suffixAlphabet[int(b[i])%len(suffixAlphabet)]
	}
	return string(b)
}

// Get returns any item, drafts included (administrators).
// Returns NotFound ("news.not_found").
func (s *Service) Get(ctx context.Context, slug string) (Item, error) {
	if !ValidSlug(slug) {
		return Item{}, apperr.New(apperr.NotFound, "news.not_found")
	}
	it, err := s.store.Get(ctx, slug)
	if err != nil {
		return Item{}, fmt.Errorf("get news %s: %w", slug, err)
	}
	return it, nil
}

// GetPublished returns a published item; a draft is NotFound, exactly like
// a missing item.
func (s *Service) GetPublished(ctx context.Context, slug string) (Item, error) {
	it, err := s.Get(ctx, slug)
	if err != nil {
		return Item{}, err
	}
	if !it.Published() {
		return Item{}, apperr.New(apperr.NotFound, "news.not_found")
	}
	return it, nil
}

// Update validates ch and replaces the item's content; the slug, status and
// creation time stay. A published item moves in the public listing if its
// language or date changes. Returns Invalid, NotFound or Conflict ("news.changed").
func (s *Service) Update(ctx context.Context, slug string, ch Changes) (Item, error) {
	var fs apperr.Fields
	c := checkContent(&fs, ch.Lang, false, ch.Title, ch.Summary, ch.Body, ch.PublishedAt)
	if err := fs.Err(); err != nil {
		return Item{}, err
	}
	it, err := s.Get(ctx, slug)
	if err != nil {
		return Item{}, err
	}
	prev := it.UpdatedAt
	if c.lang != "" {
		it.Lang = c.lang
	}
	it.Title, it.Summary, it.Body = c.title, c.summary, c.body
	if !c.publishedAt.IsZero() {
		it.PublishedAt = c.publishedAt
	}
	it.UpdatedAt = s.now().UTC()
	if err := s.store.Update(ctx, it, prev); err != nil {
		return Item{}, fmt.Errorf("update news %s: %w", slug, err)
	}
	return it, nil
}

// Publish makes the item public. Its date is in.PublishedAt, else the date
// the draft already carries, else now (administrators may backdate).
// Returns Invalid, NotFound or Conflict.
func (s *Service) Publish(ctx context.Context, slug string, in PublishInput) (Item, error) {
	var fs apperr.Fields
	at := checkTime(&fs, "publishedAt", in.PublishedAt)
	if err := fs.Err(); err != nil {
		return Item{}, err
	}
	it, err := s.Get(ctx, slug)
	if err != nil {
		return Item{}, err
	}
	now := s.now().UTC()
	if at.IsZero() {
		at = it.PublishedAt
	}
	if at.IsZero() {
		at = now
	}
	it, err = s.store.Publish(ctx, slug, it.Lang, at, now)
	if err != nil {
		return Item{}, fmt.Errorf("publish news %s: %w", slug, err)
	}
	return it, nil
}

// Unpublish turns the item back into a draft. Returns NotFound.
func (s *Service) Unpublish(ctx context.Context, slug string) (Item, error) {
	if !ValidSlug(slug) {
		return Item{}, apperr.New(apperr.NotFound, "news.not_found")
	}
	it, err := s.store.Unpublish(ctx, slug, s.now().UTC())
	if err != nil {
		return Item{}, fmt.Errorf("unpublish news %s: %w", slug, err)
	}
	return it, nil
}

// Delete removes the item. Returns NotFound.
func (s *Service) Delete(ctx context.Context, slug string) error {
	if !ValidSlug(slug) {
		return apperr.New(apperr.NotFound, "news.not_found")
	}
	if err := s.store.Delete(ctx, slug); err != nil {
		return fmt.Errorf("delete news %s: %w", slug, err)
	}
	return nil
}

// ListPublished is the public listing of lang. Returns Invalid ("cursor").
func (s *Service) ListPublished(ctx context.Context, lang i18n.Lang, limit int, cursor string) (Page, error) {
	p, err := s.store.ListPublished(ctx, lang, limit, cursor)
	if err != nil {
		return Page{}, fmt.Errorf("list published news (%s): %w", lang, err)
	}
	return p, nil
}

// ListAll is the administrators' listing. Returns Invalid ("cursor").
func (s *Service) ListAll(ctx context.Context, f Filter, limit int, cursor string) (Page, error) {
	p, err := s.store.ListAll(ctx, f, limit, cursor)
	if err != nil {
		return Page{}, fmt.Errorf("list news: %w", err)
	}
	return p, nil
}

// ParseFilter reads the administrators' ?lang= and ?status= filters.
// Returns Invalid with fields "lang" or "status".
func ParseFilter(lang, status string) (Filter, error) {
	var fs apperr.Fields
	var f Filter
	if lang != "" && validate.Lang(&fs, "lang", lang) {
		f.Lang = i18n.Lang(lang)
	}
	if status != "" && validate.OneOf(&fs, "status", status, string(StatusDraft), string(StatusPublished)) {
		f.Status = Status(status)
	}
	return f, fs.Err()
}
