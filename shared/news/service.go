package news

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
)

// Config is what the service is built from.
type Config struct {
	Store Store
	Log   *slog.Logger
	Now   func() time.Time // nil: the system clock
	Rand  io.Reader        // nil: crypto/rand (slug suffixes of Arabic titles)
}

// Service is the capability's logic. Its methods return the views the API
// shows.
type Service struct{ Config }

// NewService returns the service of cfg.
func NewService(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	return &Service{cfg}
}

// clock is the service's time, UTC.
func (s *Service) clock() time.Time { return s.Now().UTC() }

var errNotFound = apperr.New(apperr.NotFound, "news.not_found")

// get reads an item, drafts included; a malformed or unknown slug is
// errNotFound.
func (s *Service) get(ctx context.Context, slug string) (Item, error) {
	if !ValidSlug(slug) {
		return Item{}, errNotFound
	}
	it, err := s.Store.GetNews(ctx, slug)
	if apperr.Is(err, apperr.NotFound) {
		return Item{}, errNotFound
	}
	if err != nil {
		return Item{}, fmt.Errorf("get news %s: %w", slug, err)
	}
	return it, nil
}

// ListPublished is the public listing of lang, newest first, and the next
// page's cursor ("" on the last). Returns Invalid ("cursor").
func (s *Service) ListPublished(ctx context.Context, lang i18n.Lang, limit int, cursor string) ([]PublicView, string, error) {
	items, next, err := s.Store.ListPublishedNews(ctx, lang, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list published news (%s): %w", lang, err)
	}
	return views(items, Item.PublicView), next, nil
}

// GetPublished returns a published item; a draft is NotFound, exactly like
// a missing item.
func (s *Service) GetPublished(ctx context.Context, slug string) (PublicView, error) {
	it, err := s.get(ctx, slug)
	if err != nil {
		return PublicView{}, err
	}
	if !it.Published() {
		return PublicView{}, errNotFound
	}
	return it.PublicView(), nil
}
