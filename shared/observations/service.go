package observations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/mail"
	"espaceosc/shared/outbox"
	"espaceosc/shared/validate"
)

// Store is what the service needs of the table.
type Store interface {
	idempotency.Store
	// CreateObservation writes o, its acknowledgement email ack and, when rec
	// is not nil, the idempotency record in one transaction (all or
	// nothing). It returns an error wrapping idempotency.ErrRecorded when
	// rec's key already has a record, and apperr.Unavailable when the table
	// is down or the transaction kept conflicting.
	CreateObservation(ctx context.Context, o Observation, ack outbox.Email, rec *idempotency.Record) error
	// GetObservation returns the observation id, or apperr.NotFound.
	GetObservation(ctx context.Context, id string) (Observation, error)
	// ListObservations returns up to limit observations (all, or those with
	// status if not empty), newest first, and the next page's cursor ("" on
	// the last). A bad cursor is apperr.Invalid (field "cursor").
	ListObservations(ctx context.Context, status Status, limit int, cursor string) ([]Observation, string, error)
	// UpdateObservation replaces the stored observation, whose version must
	// still be prevVersion, and records email (if not nil) in the same
	// transaction. It returns apperr.Conflict when the version changed
	// meanwhile and apperr.NotFound when the observation is gone.
	UpdateObservation(ctx context.Context, o Observation, prevVersion int, email *outbox.Email) error
}

// Deliverer sends an email recorded in the outbox (outbox.Outbox).
type Deliverer interface {
	// Deliver sends e if nobody else has; failures leave it to the sweeper.
	Deliver(ctx context.Context, e outbox.Email) error
}

// Service is the capability's logic.
type Service struct {
	store         Store
	outbox        Deliverer
	portalOrigin  string
	noticeVersion string
	log           *slog.Logger
	now           func() time.Time
	rand          io.Reader
}

// NewService returns the service. portalOrigin builds follow-up links,
// noticeVersion is stored with every consent.
func NewService(store Store, ob Deliverer, portalOrigin, noticeVersion string, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{
		store: store, outbox: ob, portalOrigin: portalOrigin, noticeVersion: noticeVersion, log: log,
		now: func() time.Time { return time.Now().UTC() }, rand: defaultRand,
	}
}

// WithClock replaces the clock (tests).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// IdempotencyScope names submissions among idempotency records.
const IdempotencyScope = "observations.submit"

var errNotFound = apperr.New(apperr.NotFound, "observations.not_found")

// Submit records a valid submission with its acknowledgement email, then
// sends the email. A failed send does not fail the submission: the email
// stays in the outbox for the sweeper. With an idempotency key, a retry of
// the same submission returns the first receipt and records nothing; the
// same key with another submission is apperr.Unprocessable.
func (s *Service) Submit(ctx context.Context, sub Submission, idemKey string) (Receipt, error) {
	if idemKey != "" {
		if err := idempotency.ValidateKey(idemKey); err != nil {
			return Receipt{}, err
		}
	}
	if err := sub.Validate(); err != nil {
		return Receipt{}, err
	}
	sub = sub.normalized()
	now := s.now().Truncate(time.Second)

	o, token, err := s.newObservation(sub, now)
	if err != nil {
		return Receipt{}, err
	}
	ack, err := s.email(KindAck, o, ackMessage(o, FollowUpLink(s.portalOrigin, o.Lang, o.ID, token)), now)
	if err != nil {
		return Receipt{}, err
	}
	receipt := Receipt{ID: o.ID, Reference: o.Reference, Status: o.Status}

	var rec *idempotency.Record
	var fingerprint string
	if idemKey != "" {
		if fingerprint, err = idempotency.Fingerprint(sub); err != nil {
			return Receipt{}, err
		}
		body, err := json.Marshal(receipt)
		if err != nil {
			return Receipt{}, fmt.Errorf("marshal receipt: %w", err)
		}
		r := idempotency.New(IdempotencyScope, idemKey, fingerprint, http.StatusCreated, body, now)
		rec = &r
	}

	if err := s.store.CreateObservation(ctx, o, ack, rec); err != nil {
		if rec != nil && (errors.Is(err, idempotency.ErrRecorded) || apperr.Is(err, apperr.Unavailable)) {
			// A previous attempt with this key won: answer as it did.
			if prev, ok, rerr := s.replay(ctx, rec, fingerprint); ok || rerr != nil {
				return prev, rerr
			}
		}
		return Receipt{}, fmt.Errorf("submit observation: %w", err)
	}
	if err := s.outbox.Deliver(ctx, ack); err != nil {
		s.log.Warn("acknowledgement email deferred to the sweeper", "observationId", o.ID, "emailId", ack.ID, "code", apperr.CodeOf(err))
	}
	s.log.Info("observation submitted", "observationId", o.ID, "topic", o.Topic, "lang", o.Lang)
	return receipt, nil
}

// replay returns the receipt recorded under rec's key; ok is false when there
// is none (the original failure stands).
func (s *Service) replay(ctx context.Context, rec *idempotency.Record, fingerprint string) (Receipt, bool, error) {
	return idempotency.Lookup[Receipt](ctx, s.store, rec, fingerprint)
}

func (s *Service) newObservation(sub Submission, now time.Time) (Observation, string, error) {
	id, err := newID(s.rand)
	if err != nil {
		return Observation{}, "", err
	}
	ref, err := newReference(s.rand, now)
	if err != nil {
		return Observation{}, "", err
	}
	token, hash, err := newToken(s.rand)
	if err != nil {
		return Observation{}, "", err
	}
	lang, _ := i18n.Parse(sub.Lang)
	return Observation{
		ID: id, Reference: ref, Topic: sub.Topic, Subject: sub.Subject, Message: sub.Message,
		Name: sub.Name, Email: sub.Email, Organisation: sub.Organisation, Lang: lang,
		Status:    Received,
		Consent:   Consent{Given: true, At: now, NoticeVersion: s.noticeVersion},
		TokenHash: hash, CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(Retention), Version: 1,
	}, token, nil
}

func (s *Service) email(kind string, o Observation, m mail.Message, now time.Time) (outbox.Email, error) {
	c, err := m.Render()
	if err != nil {
		return outbox.Email{}, err
	}
	id, err := newID(s.rand)
	if err != nil {
		return outbox.Email{}, err
	}
	return outbox.Email{
		ID: id, To: o.Email, Subject: c.Subject, Text: c.Text, HTML: c.HTML,
		Lang: string(o.Lang), Kind: kind, RefID: o.ID, CreatedAt: now,
	}, nil
}

// FollowUp returns the observation id to its author. A missing or wrong
// token is apperr.NotFound, exactly like an unknown id.
func (s *Service) FollowUp(ctx context.Context, id, token string) (Observation, error) {
	if !validID(id) || token == "" || len(token) > 100 {
		return Observation{}, errNotFound
	}
	o, err := s.store.GetObservation(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Observation{}, errNotFound
	}
	if err != nil {
		return Observation{}, fmt.Errorf("follow up observation %s: %w", id, err)
	}
	if !o.TokenMatches(token) {
		return Observation{}, errNotFound
	}
	return o, nil
}

// Get returns an observation to an administrator.
func (s *Service) Get(ctx context.Context, id string) (Observation, error) {
	if !validID(id) {
		return Observation{}, errNotFound
	}
	o, err := s.store.GetObservation(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Observation{}, errNotFound
	}
	if err != nil {
		return Observation{}, fmt.Errorf("get observation %s: %w", id, err)
	}
	return o, nil
}

// List returns observations newest first, all or with one status.
func (s *Service) List(ctx context.Context, status string, limit int, cursor string) ([]Observation, string, error) {
	if status != "" {
		var fs apperr.Fields
		validate.OneOf(&fs, "status", status, Statuses...)
		if err := fs.Err(); err != nil {
			return nil, "", err
		}
	}
	items, next, err := s.store.ListObservations(ctx, Status(status), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list observations: %w", err)
	}
	return items, next, nil
}

// updateAttempts bounds the re-read-and-apply loop of Update when another
// update wins the race.
const updateAttempts = 3

// Update applies an administrator's patch. Any status may follow any other;
// answered needs a response (given now or already stored). When the
// observation becomes answered, or its answer text changes while answered,
// the response is emailed to the author (outbox, same transaction).
func (s *Service) Update(ctx context.Context, id string, p Patch) (Observation, error) {
	if err := p.Validate(); err != nil {
		return Observation{}, err
	}
	var lastErr error
	for range updateAttempts {
		o, err := s.Get(ctx, id)
		if err != nil {
			return Observation{}, err
		}
		next, email, err := s.apply(o, p)
		if err != nil {
			return Observation{}, err
		}
		err = s.store.UpdateObservation(ctx, next, o.Version, email)
		if apperr.Is(err, apperr.Conflict) {
			lastErr = err
			continue // someone else updated it: apply the patch to the new state
		}
		if apperr.Is(err, apperr.NotFound) {
			return Observation{}, errNotFound
		}
		if err != nil {
			return Observation{}, fmt.Errorf("update observation %s: %w", id, err)
		}
		if email != nil {
			if err := s.outbox.Deliver(ctx, *email); err != nil {
				s.log.Warn("answer email deferred to the sweeper", "observationId", id, "emailId", email.ID, "code", apperr.CodeOf(err))
			}
		}
		s.log.Info("observation updated", "observationId", id, "status", next.Status, "answerEmailed", email != nil)
		return next, nil
	}
	return Observation{}, apperr.Wrap(apperr.Conflict, "observations.stale", lastErr)
}

func (s *Service) apply(o Observation, p Patch) (Observation, *outbox.Email, error) {
	now := s.now().Truncate(time.Second)
	next := o
	textChanged := false
	if p.Response != nil {
		text := strings.TrimSpace(*p.Response)
		if o.Response == nil || o.Response.Text != text {
			r := Response{Text: text}
			if o.Response != nil {
				r.AnsweredAt = o.Response.AnsweredAt
			}
			next.Response = &r
			textChanged = true
		}
	}
	if p.Status != nil {
		next.Status = Status(*p.Status)
	}
	if next.Status == Answered && next.Response == nil {
		var fs apperr.Fields
		fs.Add("response", "observations.response_required", nil)
		return Observation{}, nil, fs.Err()
	}
	next.UpdatedAt = now
	next.Version = o.Version + 1
	sendAnswer := next.Status == Answered && (o.Status != Answered || textChanged)
	if !sendAnswer {
		return next, nil, nil
	}
	answered := *next.Response
	answered.AnsweredAt = now
	next.Response = &answered
	e, err := s.email(KindAnswer, next, answerMessage(next), now)
	if err != nil {
		return Observation{}, nil, err
	}
	return next, &e, nil
}
