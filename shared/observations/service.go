package observations

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/secret"
)

// Config is what the service is built from.
type Config struct {
	Store         Store
	Mailer        Mailer
	PortalOrigin  string // builds the follow-up links
	NoticeVersion string // stored with every consent
	Log           *slog.Logger
	Now           func() time.Time // nil: the system clock
	Rand          io.Reader        // nil: crypto/rand
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

// IdempotencyScope names submissions among idempotency records.
const IdempotencyScope = "observations.submit"

var errNotFound = apperr.New(apperr.NotFound, "observations.not_found")

// Submit records a valid submission with its acknowledgement email, then
// sends the email. A failed send does not fail the submission: the email
// stays in the outbox for the sweeper. With an idempotency key, a retry of
// the same submission returns the first receipt and records nothing; the
// same key with another submission is apperr.Unprocessable.
func (s *Service) Submit(ctx context.Context, sub Submission, key idempotency.Key) (Receipt, error) {
	if err := sub.Validate(); err != nil {
		return Receipt{}, err
	}
	sub = sub.normalized()
	req, err := idempotency.Begin(IdempotencyScope, key, sub)
	if err != nil {
		return Receipt{}, err
	}
	now := s.clock()
	o, token, err := s.newObservation(sub, now)
	if err != nil {
		return Receipt{}, err
	}
	ack, err := s.Mailer.Compose(o.Email, o.Lang, KindAck, o.ID, ackData{
		Lang: o.Lang, Name: o.Name, Subject: o.Subject, Reference: o.Reference,
		Link: FollowUpLink(s.PortalOrigin, o.Lang, o.ID, token),
	})
	if err != nil {
		return Receipt{}, err
	}
	receipt := Receipt{ID: o.ID, Reference: o.Reference, Status: o.Status}
	rec, err := req.Record(http.StatusCreated, receipt, now)
	if err != nil {
		return Receipt{}, err
	}
	if err := s.Store.CreateObservation(ctx, o, ack, rec); err != nil {
		if idempotency.Retried(err) {
			if prev, ok, perr := idempotency.Earlier[Receipt](ctx, s.Store, req); ok || perr != nil {
				return prev, perr // an earlier attempt with this key won
			}
		}
		return Receipt{}, fmt.Errorf("submit observation: %w", err)
	}
	if err := s.Mailer.Deliver(ctx, ack); err != nil {
		s.Log.Warn("acknowledgement email deferred to the sweeper", "observationId", o.ID, "emailId", ack.ID, "code", apperr.CodeOf(err))
	}
	s.Log.Info("observation submitted", "observationId", o.ID, "topic", o.Topic, "lang", o.Lang)
	return receipt, nil
}

func (s *Service) newObservation(sub Submission, now time.Time) (Observation, string, error) {
	id, err := secret.NewID(s.Rand)
	if err != nil {
		return Observation{}, "", err
	}
	ref, err := newReference(s.Rand, now)
	if err != nil {
		return Observation{}, "", err
	}
	token, hash, err := secret.NewToken(s.Rand)
	if err != nil {
		return Observation{}, "", err
	}
	lang, _ := i18n.Parse(sub.Lang)
	return Observation{
		ID: id, Reference: ref, Topic: sub.Topic, Subject: sub.Subject, Message: sub.Message,
		Name: sub.Name, Email: sub.Email, Organisation: sub.Organisation, Lang: lang,
		Status:    Received,
		Consent:   Consent{Given: true, At: now, NoticeVersion: s.NoticeVersion},
		TokenHash: hash, CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(Retention), Version: 1,
	}, token, nil
}

// FollowUp returns the observation id to its author. A missing or wrong
// token is apperr.NotFound, exactly like an unknown id.
func (s *Service) FollowUp(ctx context.Context, id, token string) (AuthorView, error) {
	if !secret.ValidID(id) || token == "" || len(token) > 100 {
		return AuthorView{}, errNotFound
	}
	o, err := s.Store.GetObservation(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return AuthorView{}, errNotFound
	}
	if err != nil {
		return AuthorView{}, fmt.Errorf("follow up observation %s: %w", id, err)
	}
	if !o.TokenMatches(token) {
		return AuthorView{}, errNotFound
	}
	return o.AuthorView(), nil
}
