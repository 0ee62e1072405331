package events

import (
	"context"
	"crypto/rand"
	"espaceosc/shared/bulk"
	"fmt"
	"io"
	"log/slog"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
)

// Config is what the service is built from.
type Config struct {
	Store        Store
	Mailer       Mailer
	Files        Files  // the dossier bucket, for exports; nil in functions that do not export
	PortalOrigin string // builds the links of the emails
	// Organizer is the address the emails come from (SENDER_EMAIL): the
	// ORGANIZER of the .ics files, which iTIP (RFC 5546) requires.
	Organizer     string
	NoticeVersion string // stored with every consent
	Log           *slog.Logger
	Now           func() time.Time // nil: the system clock
	Rand          io.Reader        // nil: crypto/rand
	// RetryPolicy is how a registration that lost the race for a waitlist
	// position tries again ("": RetryAdaptive).
	RetryPolicy RetryPolicy
	// Jobs and Starter record and start the fan-outs to registrants
	// (cancellations, reminders); nil in functions that start none.
	Jobs    Jobs
	Starter bulk.Starter
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

// clock is the service's time, UTC, to the second (as stored and shown).
func (s *Service) clock() time.Time { return s.Now().UTC().Truncate(time.Second) }

var (
	errEventNotFound = apperr.New(apperr.NotFound, "events.not_found")
	errRegNotFound   = apperr.New(apperr.NotFound, "events.registration_not_found")
)

// deliver sends an email recorded in the outbox; a failure leaves it to the
// sweeper.
func (s *Service) deliver(ctx context.Context, e outbox.Email) {
	if err := s.Mailer.Deliver(ctx, e); err != nil {
		s.Log.Warn("email deferred to the sweeper", "emailId", e.ID, "kind", e.Kind, "refId", e.RefID, "code", apperr.CodeOf(err))
	}
}

// getEvent reads an event; a malformed or unknown id is errEventNotFound.
func (s *Service) getEvent(ctx context.Context, id string) (Event, error) {
	if !ValidEventID(id) {
		return Event{}, errEventNotFound
	}
	e, err := s.Store.GetEvent(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Event{}, errEventNotFound
	}
	if err != nil {
		return Event{}, fmt.Errorf("get event %s: %w", id, err)
	}
	return e, nil
}

// ListPublic lists published events in lang: upcoming ones soonest first,
// or all latest first.
func (s *Service) ListPublic(ctx context.Context, upcoming bool, lang i18n.Lang, limit int, cursor string) ([]PublicView, string, error) {
	now := s.clock()
	from := time.Time{}
	if upcoming {
		from = now
	}
	items, next, err := s.Store.ListPublishedEvents(ctx, from, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list events: %w", err)
	}
	out := make([]PublicView, 0, len(items))
	for _, e := range items {
		out = append(out, e.Public(lang, now))
	}
	return out, next, nil
}

// GetPublic returns a published (or cancelled) event in lang; drafts are not
// found.
func (s *Service) GetPublic(ctx context.Context, id string, lang i18n.Lang) (PublicView, error) {
	e, err := s.getEvent(ctx, id)
	if err != nil {
		return PublicView{}, err
	}
	if e.Status == Draft {
		return PublicView{}, errEventNotFound
	}
	return e.Public(lang, s.clock()), nil
}
