package news

import (
	"context"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
)

// Get returns any item, drafts included. Returns NotFound ("news.not_found").
func (s *Service) Get(ctx context.Context, slug string) (AdminView, error) {
	it, err := s.get(ctx, slug)
	if err != nil {
		return AdminView{}, err
	}
	return it.AdminView(), nil
}

// List is the administrators' listing, newest first across languages (by publication date, else creation), narrowed by
// lang and status ("" for any), and the next page's cursor ("" on the
// last). Returns Invalid (fields "lang", "status" or "cursor").
func (s *Service) List(ctx context.Context, lang, status string, limit int, cursor string) ([]AdminView, string, error) {
	f, err := parseFilter(lang, status)
	if err != nil {
		return nil, "", err
	}
	items, next, err := s.Store.ListNews(ctx, f, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list news: %w", err)
	}
	return views(items, Item.AdminView), next, nil
}

// Create validates d and stores a new draft, with d.Slug or a slug derived
// from its title. Returns Invalid with field errors, or Conflict
// ("news.slug_taken").
func (s *Service) Create(ctx context.Context, d Draft) (AdminView, error) {
	c, err := d.content()
	if err != nil {
		return AdminView{}, err
	}
	slug := d.Slug
	if slug == "" {
		suffix, err := randomSuffix(s.Rand)
		if err != nil {
			return AdminView{}, fmt.Errorf("news slug suffix: %w", err)
		}
		slug = deriveSlug(c.title, c.lang, suffix)
	}
	it := newDraft(slug, c, s.clock())
	err = s.Store.CreateNews(ctx, it)
	if apperr.Is(err, apperr.Conflict) {
		return AdminView{}, apperr.Wrap(apperr.Conflict, "news.slug_taken", err)
	}
	if err != nil {
		return AdminView{}, fmt.Errorf("create news %s: %w", slug, err)
	}
	s.Log.Info("news created", "slug", slug, "lang", it.Lang)
	return it.AdminView(), nil
}

// Update validates ch and replaces the item's content (see Item.edited).
// Returns Invalid or NotFound.
func (s *Service) Update(ctx context.Context, slug string, ch Changes) (AdminView, error) {
	c, err := ch.content()
	if err != nil {
		return AdminView{}, err
	}
	it, err := s.change(ctx, slug, func(it Item, now time.Time) Item { return it.edited(c, now) })
	if err != nil {
		return AdminView{}, err
	}
	s.Log.Info("news updated", "slug", slug)
	return it.AdminView(), nil
}

// Publish makes the item public (see Item.published). Returns Invalid or
// NotFound.
func (s *Service) Publish(ctx context.Context, slug string, in PublishInput) (AdminView, error) {
	at, err := in.at()
	if err != nil {
		return AdminView{}, err
	}
	it, err := s.change(ctx, slug, func(it Item, now time.Time) Item { return it.published(at, now) })
	if err != nil {
		return AdminView{}, err
	}
	s.Log.Info("news published", "slug", slug, "lang", it.Lang)
	return it.AdminView(), nil
}

// Unpublish turns the item back into a draft. Returns NotFound.
func (s *Service) Unpublish(ctx context.Context, slug string) (AdminView, error) {
	it, err := s.change(ctx, slug, func(it Item, now time.Time) Item { return it.unpublished(now) })
	if err != nil {
		return AdminView{}, err
	}
	s.Log.Info("news unpublished", "slug", slug)
	return it.AdminView(), nil
}

// Delete removes the item. Returns NotFound.
func (s *Service) Delete(ctx context.Context, slug string) error {
	if !ValidSlug(slug) {
		return errNotFound
	}
	err := s.Store.DeleteNews(ctx, slug)
	if apperr.Is(err, apperr.NotFound) {
		return errNotFound
	}
	if err != nil {
		return fmt.Errorf("delete news %s: %w", slug, err)
	}
	s.Log.Info("news deleted", "slug", slug)
	return nil
}

// changeAttempts bounds the read-apply-write loop of change when other
// writes win the race.
const changeAttempts = 3

// change reads the item, applies f and writes the result on the version it
// read. When another write wins the race it reads again (which also tells
// a deleted item) and applies f to what it finds.
func (s *Service) change(ctx context.Context, slug string, f func(Item, time.Time) Item) (Item, error) {
	var lastErr error
	for range changeAttempts {
		it, err := s.get(ctx, slug)
		if err != nil {
			return Item{}, err
		}
		next := f(it, s.clock())
		err = s.Store.UpdateNews(ctx, next, it.Version)
		if apperr.Is(err, apperr.Conflict) {
			lastErr = err
			continue
		}
		if err != nil {
			return Item{}, fmt.Errorf("update news %s: %w", slug, err)
		}
		return next, nil
	}
	return Item{}, apperr.Wrap(apperr.Conflict, "news.changed", lastErr)
}
