package links

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	Rand  io.Reader        // nil: crypto/rand (IDs of links created without one)
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

var errNotFound = apperr.New(apperr.NotFound, "links.not_found")

// sorted returns every link in the order people read them in lang.
func (s *Service) sorted(ctx context.Context, lang i18n.Lang) ([]Link, error) {
	ls, err := s.Store.ListLinks(ctx)
	if err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	Sort(ls, lang)
	return ls, nil
}

// ListPublic returns every link in lang (French where a text has no
// Arabic), ordered (see Sort).
func (s *Service) ListPublic(ctx context.Context, lang i18n.Lang) ([]PublicView, error) {
	ls, err := s.sorted(ctx, lang)
	if err != nil {
		return nil, err
	}
	out := make([]PublicView, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.PublicView(lang))
	}
	return out, nil
}

// randomID is the ID of a link created without one: 16 hex digits.
func randomID(r io.Reader) (string, error) {
	b := make([]byte, 8)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
