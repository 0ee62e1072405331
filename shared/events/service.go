package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/ics"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/mail"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"
	"espaceosc/shared/validate"
)

// Service is the capability's logic.
type Service struct {
	store         Store
	outbox        Deliverer
	exporter      Exporter
	portalOrigin  string
	noticeVersion string
	log           *slog.Logger
	now           func() time.Time
	rand          io.Reader
	retry         RetryPolicy
}

// RetryPolicy is how a registration that lost the race for a waitlist
// position tries again.
type RetryPolicy string

const (
	// RetryAdaptive (the default) waits a decorrelated jittered delay based
	// on how long the lost transaction took (see adaptiveWait).
	RetryAdaptive RetryPolicy = "adaptive"
	// RetryLinear is the former policy: a jittered delay growing linearly
	// with each attempt (kept to measure against).
	RetryLinear RetryPolicy = "linear"
)

// WithRetryPolicy selects how lost waitlist races are retried ("" or an
// unknown name: the default).
func (s *Service) WithRetryPolicy(p RetryPolicy) *Service {
	c := *s
	c.retry = p
	return &c
}

// NewService returns the service. exporter may be nil for functions that do
// not export.
func NewService(store Store, ob Deliverer, exporter Exporter, portalOrigin, noticeVersion string, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{
		store: store, outbox: ob, exporter: exporter, portalOrigin: portalOrigin, noticeVersion: noticeVersion, log: log,
		now: func() time.Time { return time.Now().UTC() }, rand: defaultRand,
	}
}

// WithClock replaces the clock (tests).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// IdempotencyScope names registrations among idempotency records.
const IdempotencyScope = "events.register"

var (
	errEventNotFound = apperr.New(apperr.NotFound, "events.not_found")
	errRegNotFound   = apperr.New(apperr.NotFound, "events.registration_not_found")
)

func (s *Service) clock() time.Time { return s.now().Truncate(time.Second) }

func (s *Service) deliver(ctx context.Context, e outbox.Email) {
	if err := s.outbox.Deliver(ctx, e); err != nil {
		s.log.Warn("email deferred to the sweeper", "emailId", e.ID, "kind", e.Kind, "refId", e.RefID, "code", apperr.CodeOf(err))
	}
}

func (s *Service) email(kind string, r Registration, m mail.Message, now time.Time, att ...outbox.Attachment) (outbox.Email, error) {
	c, err := m.Render()
	if err != nil {
		return outbox.Email{}, err
	}
	id, err := secret.NewID(s.rand)
	if err != nil {
		return outbox.Email{}, err
	}
	return outbox.Email{
		ID: id, To: r.Email, Subject: c.Subject, Text: c.Text, HTML: c.HTML, Attachments: att,
		Lang: r.Lang, Kind: kind, RefID: r.ID, CreatedAt: now,
	}, nil
}

// getEvent reads an event, NotFound for a malformed ID.
func (s *Service) getEvent(ctx context.Context, id string) (Event, error) {
	if !ValidEventID(id) {
		return Event{}, errEventNotFound
	}
	e, err := s.store.GetEvent(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Event{}, errEventNotFound
	}
	if err != nil {
		return Event{}, fmt.Errorf("get event %s: %w", id, err)
	}
	return e, nil
}

// ---------------------------------------------------------------- public

// ListPublic lists published events (upcoming ones soonest first, or all latest first).
func (s *Service) ListPublic(ctx context.Context, upcoming bool, lang i18n.Lang, limit int, cursor string) ([]PublicView, string, error) {
	now := s.clock()
	from := time.Time{}
	if upcoming {
		from = now
	}
	items, next, err := s.store.ListPublishedEvents(ctx, from, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list events: %w", err)
	}
	out := make([]PublicView, 0, len(items))
	for _, e := range items {
		out = append(out, e.Public(string(lang), now))
	}
	return out, next, nil
}

// GetPublic returns a published (or cancelled) event; drafts are not found.
func (s *Service) GetPublic(ctx context.Context, id string, lang i18n.Lang) (PublicView, error) {
	e, err := s.getEvent(ctx, id)
	if err != nil {
		return PublicView{}, err
	}
	if e.Status == Draft {
		return PublicView{}, errEventNotFound
	}
	return e.Public(string(lang), s.clock()), nil
}

// registerAttempts bounds the optimistic retries of a registration whose
// waitlist position was taken by a concurrent one (with waits of at most
// waitCap, well within the function's 29 s).
const registerAttempts = 60

// Register registers someone for an event: a seat while seats remain, else
// a waitlist position, else 409 full. It reads the event once per attempt
// and writes everything in one transaction conditioned on what it read.
func (s *Service) Register(ctx context.Context, eventID string, in RegistrationInput, idemKey string) (Receipt, error) {
	if idemKey != "" {
		if err := idempotency.ValidateKey(idemKey); err != nil {
			return Receipt{}, err
		}
	}
	var rec *idempotency.Record
	var fingerprint string
	var wait time.Duration
	for attempt := 0; ; attempt++ {
		e, err := s.getEvent(ctx, eventID)
		if err != nil {
			return Receipt{}, err
		}
		answers, verr := in.validate(e)
		now := s.clock()
		if verr != nil {
			return Receipt{}, verr
		}
		if reason := e.closedReason(now); reason != "" {
			if idemKey != "" && attempt > 0 {
				// The event closed while we retried: an earlier attempt may have won.
				if prev, ok, rerr := s.replayFor(ctx, idemKey, in, eventID); ok || rerr != nil {
					return prev, rerr
				}
			}
			return Receipt{}, apperr.New(apperr.Conflict, reason)
		}
		op := Registering{}
		r, token, err := s.newRegistration(e, in, answers, now)
		if err != nil {
			return Receipt{}, err
		}
		switch place, position := e.place(); place {
		case Confirmed:
			op.Seat = true
			r.Status, r.ConfirmedAt = Confirmed, now
		case Waitlisted:
			r.Status, r.Position = Waitlisted, position
			op.ReadWaitlistSeq = e.WaitlistSeq
		default:
			// Full: someone already registered still gets their link back.
			if _, err := s.store.RegistrationByEmail(ctx, e.ID, EmailHash(in.Email)); err == nil {
				s.resendLink(ctx, e, in.Email, now)
				return Receipt{}, apperr.New(apperr.Conflict, "events.already_registered")
			}
			return Receipt{}, apperr.New(apperr.Conflict, "events.full")
		}
		op.Registration = r
		link := ManageLink(s.portalOrigin, r.Lang, r.ID, token)
		if op.Seat {
			op.Email, err = s.email(KindConfirmed, r, confirmedMessage(e, r, link, false), now, calendar(ics.Request, e, r, s.portalOrigin, now, e.Sequence))
		} else {
			op.Email, err = s.email(KindWaitlisted, r, waitlistedMessage(e, r, link), now)
		}
		if err != nil {
			return Receipt{}, err
		}
		receipt := Receipt{ID: r.ID, Status: r.Status, Position: r.Position, Code: r.Code}
		if idemKey != "" {
			if fingerprint, err = idempotency.Fingerprint(struct {
				Event string
				In    RegistrationInput
			}{eventID, in}); err != nil {
				return Receipt{}, err
			}
			body, err := json.Marshal(receipt)
			if err != nil {
				return Receipt{}, fmt.Errorf("marshal receipt: %w", err)
			}
			rr := idempotency.New(IdempotencyScope, idemKey, fingerprint, http.StatusCreated, body, now)
			rec = &rr
			op.Idempotency = rec
		}

		began := time.Now()
		err = s.store.Register(ctx, op)
		took := time.Since(began)
		switch {
		case err == nil:
			s.deliver(ctx, op.Email)
			s.log.Info("registered", "eventId", e.ID, "registrationId", r.ID, "status", r.Status, "position", r.Position, "attempts", attempt+1)
			return receipt, nil
		case rec != nil && (errors.Is(err, idempotency.ErrRecorded) || apperr.Is(err, apperr.Unavailable)):
			if prev, ok, rerr := s.replay(ctx, rec, fingerprint); ok || rerr != nil {
				return prev, rerr
			}
			return Receipt{}, fmt.Errorf("register for %s: %w", eventID, err)
		case errors.Is(err, ErrDuplicate):
			if rec != nil {
				// The duplicate may be this key's first attempt (a store may
				// report only the first failed condition of a transaction).
				if prev, ok, rerr := s.replay(ctx, rec, fingerprint); ok || rerr != nil {
					return prev, rerr
				}
			}
			s.resendLink(ctx, e, in.Email, now)
			return Receipt{}, apperr.Wrap(apperr.Conflict, "events.already_registered", err)
		case errors.Is(err, ErrStale):
			if attempt+1 >= registerAttempts {
				return Receipt{}, apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("register for %s: %d attempts lost the race: %w", eventID, attempt+1, err))
			}
			wait = s.nextWait(attempt, wait, took)
			if err := sleep(ctx, wait); err != nil {
				return Receipt{}, apperr.Wrap(apperr.Unavailable, "", err)
			}
			continue
		default:
			return Receipt{}, fmt.Errorf("register for %s: %w", eventID, err)
		}
	}
}

// nextWait is the delay before attempt+1 of a registration that lost the
// race for a waitlist position; prev is the previous delay and took how long
// the lost transaction took.
func (s *Service) nextWait(attempt int, prev, took time.Duration) time.Duration {
	if s.retry == RetryLinear {
		return backoff(attempt)
	}
	return adaptiveWait(prev, took, rand.Int64N)
}

const (
	waitFloor = 2 * time.Millisecond
	waitCap   = 250 * time.Millisecond
)

// adaptiveWait is decorrelated jitter (a random delay from a base up to
// three times the previous delay, or four times the base, capped) whose
// base is how long the lost transaction took: under load the writes to the
// event's counters queue, each lost attempt takes longer, and the losers
// spread over a window that grows with the queue instead of colliding again
// in lockstep (every collision is one more transaction to queue; retrying
// at once after a re-read, or waiting a fixed few milliseconds, measured
// 3.4-3.9 transactions per registration in the in-process surge, this 1.8).
// randN(n) is uniform in [0, n).
func adaptiveWait(prev, took time.Duration, randN func(int64) int64) time.Duration {
	base := min(max(took, waitFloor), waitCap)
	hi := max(prev*3, base*4)
	return min(waitCap, base+time.Duration(randN(int64(hi-base))))
}

// backoff is a jittered delay growing with the attempt, capped (the
// RetryLinear policy, and the withdrawal's retry).
func backoff(attempt int) time.Duration {
	base := time.Duration(min(2+attempt*3, 60)) * time.Millisecond
	return base/2 + time.Duration(rand.Int64N(int64(base)))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (s *Service) replayFor(ctx context.Context, key string, in RegistrationInput, eventID string) (Receipt, bool, error) {
	fp, err := idempotency.Fingerprint(struct {
		Event string
		In    RegistrationInput
	}{eventID, in})
	if err != nil {
		return Receipt{}, false, err
	}
	rec := idempotency.New(IdempotencyScope, key, fp, 0, nil, s.now())
	return s.replay(ctx, &rec, fp)
}

func (s *Service) replay(ctx context.Context, rec *idempotency.Record, fingerprint string) (Receipt, bool, error) {
	return idempotency.Lookup[Receipt](ctx, s.store, rec, fingerprint)
}

// linkResendInterval is the least time between two manage-link emails
// triggered by duplicate registrations (a burst of duplicates sends one).
const linkResendInterval = 10 * time.Minute

// resendLink emails the existing registration's manage link (a new token;
// only hashes are stored, so the old link stops working).
func (s *Service) resendLink(ctx context.Context, e Event, email string, now time.Time) {
	r, err := s.store.RegistrationByEmail(ctx, e.ID, EmailHash(email))
	if err != nil {
		s.log.Warn("duplicate registration: existing one not found", "eventId", e.ID, "code", apperr.CodeOf(err))
		return
	}
	token, hash, err := secret.NewToken(s.rand)
	if err != nil {
		return
	}
	m, err := s.email(KindLink, r, linkMessage(e, r, ManageLink(s.portalOrigin, r.Lang, r.ID, token)), now)
	if err != nil {
		return
	}
	err = s.store.ResendLink(ctx, r, hash, now.Add(-linkResendInterval), m)
	if apperr.Is(err, apperr.Conflict) {
		return // sent a moment ago
	}
	if err != nil {
		s.log.Warn("duplicate registration: link not resent", "registrationId", r.ID, "code", apperr.CodeOf(err))
		return
	}
	s.deliver(ctx, m)
}

func (s *Service) newRegistration(e Event, in RegistrationInput, answers map[string][]string, now time.Time) (Registration, string, error) {
	id, err := secret.NewID(s.rand)
	if err != nil {
		return Registration{}, "", err
	}
	code, err := newCode(s.rand)
	if err != nil {
		return Registration{}, "", err
	}
	token, hash, err := secret.NewToken(s.rand)
	if err != nil {
		return Registration{}, "", err
	}
	lang, _ := i18n.Parse(in.Lang)
	return Registration{
		ID: id, EventID: e.ID, Code: code,
		FullName: strings.TrimSpace(in.FullName), Email: strings.TrimSpace(in.Email),
		Organisation: strings.TrimSpace(in.Organisation), Phone: strings.TrimSpace(in.Phone),
		Answers: answers, Lang: lang,
		Consent:   Consent{Given: true, At: now, NoticeVersion: s.noticeVersion},
		TokenHash: hash, CreatedAt: now, UpdatedAt: now, ExpiresAt: e.EndsAt.Add(Retention), Version: 1,
	}, token, nil
}

// manageable returns the registration id if token opens it.
func (s *Service) manageable(ctx context.Context, id, token string) (Registration, error) {
	if !ValidRegistrationID(id) || token == "" || len(token) > 100 {
		return Registration{}, errRegNotFound
	}
	r, err := s.store.GetRegistration(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Registration{}, errRegNotFound
	}
	if err != nil {
		return Registration{}, fmt.Errorf("get registration %s: %w", id, err)
	}
	if !r.TokenMatches(token) {
		return Registration{}, errRegNotFound
	}
	return r, nil
}

func (s *Service) manageView(r Registration, e Event) ManageView {
	v := ManageView{
		ID: r.ID, Status: r.Status, Position: r.Position, Code: r.Code, FullName: r.FullName,
		CreatedAt: rfc3339(r.CreatedAt), Event: e.Public(string(r.Lang), s.clock()),
	}
	if r.Status == Confirmed && e.Status == Published && e.Online {
		v.OnlineURL = e.OnlineURL
	}
	return v
}

// Manage returns the registration id to the holder of its token.
func (s *Service) Manage(ctx context.Context, id, token string) (ManageView, error) {
	r, err := s.manageable(ctx, id, token)
	if err != nil {
		return ManageView{}, err
	}
	e, err := s.getEvent(ctx, r.EventID)
	if err != nil {
		return ManageView{}, err
	}
	return s.manageView(r, e), nil
}

// withdrawAttempts bounds the retries of a cancellation racing another.
const withdrawAttempts = 8

// Withdraw cancels the registration id for the holder of its token. A seat
// it held goes to the first person on the waitlist, in the same transaction,
// with their confirmation email.
func (s *Service) Withdraw(ctx context.Context, id, token string) (ManageView, error) {
	var lastErr error
	for attempt := range withdrawAttempts {
		r, err := s.manageable(ctx, id, token)
		if err != nil {
			return ManageView{}, err
		}
		e, err := s.getEvent(ctx, r.EventID)
		if err != nil {
			return ManageView{}, err
		}
		if r.Status == Withdrawn {
			return s.manageView(r, e), nil // already done: same answer
		}
		now := s.clock()
		if !now.Before(e.StartsAt) {
			return ManageView{}, apperr.New(apperr.Conflict, "events.past")
		}
		w := Withdrawal{PrevStatus: r.Status, PrevVersion: r.Version}
		next := r
		next.Status, next.CancelledAt, next.UpdatedAt, next.Version = Withdrawn, now, now, r.Version+1
		w.Registration = next
		ack, err := s.email(KindWithdrawn, next, withdrawnMessage(e, next), now)
		if err != nil {
			return ManageView{}, err
		}
		w.Emails = append(w.Emails, ack)
		if r.Status == Confirmed && e.Status == Published {
			p, ok, err := s.promotion(ctx, e, now)
			if err != nil {
				return ManageView{}, fmt.Errorf("withdraw %s: %w", id, err)
			}
			if ok {
				w.Promoted, w.PromotedPrevVersion = &p.Registration, p.PrevVersion
				w.Emails = append(w.Emails, p.Email)
			}
		}
		err = s.store.Withdraw(ctx, w)
		if apperr.Is(err, apperr.Conflict) {
			lastErr = err
			if err := sleep(ctx, backoff(attempt)); err != nil {
				return ManageView{}, apperr.Wrap(apperr.Unavailable, "", err)
			}
			continue
		}
		if err != nil {
			return ManageView{}, fmt.Errorf("withdraw %s: %w", id, err)
		}
		for _, m := range w.Emails {
			s.deliver(ctx, m)
		}
		promoted := ""
		if w.Promoted != nil {
			promoted = w.Promoted.ID
		}
		s.log.Info("registration cancelled", "eventId", e.ID, "registrationId", r.ID, "promotedId", promoted)
		return s.manageView(next, e), nil
	}
	return ManageView{}, apperr.Wrap(apperr.Conflict, "events.stale", lastErr)
}

// promotion gives the first waitlisted person of e a seat: their new state
// and confirmation email (with the .ics). ok is false if nobody waits.
// Cancellations and capacity raises both promote through it.
func (s *Service) promotion(ctx context.Context, e Event, now time.Time) (Promotion, bool, error) {
	first, err := s.store.FirstWaitlisted(ctx, e.ID)
	if apperr.Is(err, apperr.NotFound) {
		return Promotion{}, false, nil
	}
	if err != nil {
		return Promotion{}, false, fmt.Errorf("first waitlisted: %w", err)
	}
	p := first
	p.Status, p.ConfirmedAt, p.UpdatedAt, p.Version = Confirmed, now, now, first.Version+1
	// A new manage link: the token is not stored, so the promotion email carries a fresh one.
	token, hash, err := secret.NewToken(s.rand)
	if err != nil {
		return Promotion{}, false, err
	}
	p.TokenHash = hash
	m, err := s.email(KindPromoted, p, confirmedMessage(e, p, ManageLink(s.portalOrigin, p.Lang, p.ID, token), true), now,
		calendar(ics.Request, e, p, s.portalOrigin, now, e.Sequence))
	if err != nil {
		return Promotion{}, false, err
	}
	return Promotion{Registration: p, PrevVersion: first.Version, Email: m}, true, nil
}

// promoteAttempts bounds the retries of one capacity-raise promotion racing
// cancellations or registrations.
const promoteAttempts = 8

// fillSeats gives the free seats of event id to the waitlist, first come
// first served, one transaction per promotion (each with its email), until
// no seat is free or nobody waits. It returns the event as last read.
func (s *Service) fillSeats(ctx context.Context, id string) (Event, int, error) {
	promoted, conflicts := 0, 0
	for {
		e, err := s.getEvent(ctx, id)
		if err != nil {
			return Event{}, promoted, err
		}
		if e.Status != Published || e.SeatsLeft() == 0 || e.Waitlisted == 0 {
			return e, promoted, nil
		}
		now := s.clock()
		p, ok, err := s.promotion(ctx, e, now)
		if err != nil || !ok {
			return e, promoted, err
		}
		err = s.store.Promote(ctx, p)
		if apperr.Is(err, apperr.Conflict) {
			if conflicts++; conflicts >= promoteAttempts {
				return e, promoted, apperr.Wrap(apperr.Conflict, "events.stale", err)
			}
			if err := sleep(ctx, backoff(conflicts)); err != nil {
				return e, promoted, apperr.Wrap(apperr.Unavailable, "", err)
			}
			continue
		}
		if err != nil {
			return e, promoted, fmt.Errorf("promote %s: %w", p.Registration.ID, err)
		}
		conflicts = 0
		promoted++
		s.deliver(ctx, p.Email)
		s.log.Info("registration promoted", "eventId", e.ID, "registrationId", p.Registration.ID, "reason", "capacity")
	}
}

// ---------------------------------------------------------------- admin

// Create stores a new draft event.
func (s *Service) Create(ctx context.Context, in Input) (Event, error) {
	p, err := in.validate(true)
	if err != nil {
		return Event{}, err
	}
	now := s.clock()
	e := Event{ID: in.ID, Status: Draft, CreatedAt: now, UpdatedAt: now, Version: 1}
	if e.ID == "" {
		if e.ID, err = secret.NewID(s.rand); err != nil {
			return Event{}, err
		}
	}
	in.apply(&e, p)
	if err := s.store.CreateEvent(ctx, e); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Event{}, apperr.Wrap(apperr.Conflict, "events.id_taken", err)
		}
		return Event{}, fmt.Errorf("create event: %w", err)
	}
	s.log.Info("event created", "eventId", e.ID)
	return e, nil
}

// Get returns an event to an administrator.
func (s *Service) Get(ctx context.Context, id string) (Event, error) { return s.getEvent(ctx, id) }

// List lists every event, newest first.
func (s *Service) List(ctx context.Context, limit int, cursor string) ([]Event, string, error) {
	items, next, err := s.store.ListEvents(ctx, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list events: %w", err)
	}
	return items, next, nil
}

// change re-reads the event and applies f until the write wins.
func (s *Service) change(ctx context.Context, id string, f func(e *Event, now time.Time) error) (Event, error) {
	var lastErr error
	for range 4 {
		e, err := s.getEvent(ctx, id)
		if err != nil {
			return Event{}, err
		}
		prev := e.Version
		now := s.clock()
		if err := f(&e, now); err != nil {
			return Event{}, err
		}
		e.UpdatedAt, e.Version = now, prev+1
		err = s.store.UpdateEvent(ctx, e, prev)
		if apperr.Is(err, apperr.Conflict) {
			lastErr = err
			continue
		}
		if err != nil {
			return Event{}, fmt.Errorf("update event %s: %w", id, err)
		}
		return e, nil
	}
	return Event{}, apperr.Wrap(apperr.Conflict, "events.stale", lastErr)
}

// Update replaces an event's editable fields. Capacity cannot go below the
// seats taken (409). Seats a raise frees go to the waitlist first come first
// served, as a cancellation's seat does.
func (s *Service) Update(ctx context.Context, id string, in Input) (Event, error) {
	p, err := in.validate(false)
	if err != nil {
		return Event{}, err
	}
	e, err := s.change(ctx, id, func(e *Event, now time.Time) error {
		if e.Status == Cancelled {
			return apperr.New(apperr.Conflict, "events.cancelled")
		}
		if in.Capacity < e.Confirmed {
			return &apperr.Error{Code: apperr.Conflict, Key: "events.capacity_below_confirmed", Params: map[string]any{"confirmed": e.Confirmed}}
		}
		in.apply(e, p)
		e.Sequence++
		return nil
	})
	if err != nil {
		return Event{}, err
	}
	// Every edit fills free seats from the waitlist, so one that stopped
	// halfway (a timeout) is completed by the next.
	filled, n, err := s.fillSeats(ctx, id)
	if err != nil {
		return Event{}, fmt.Errorf("update event %s: promote the waitlist: %w", id, err)
	}
	if n > 0 {
		return filled, nil
	}
	return e, nil
}

// Publish opens a draft to the public; publishing a published event changes nothing.
func (s *Service) Publish(ctx context.Context, id string) (Event, error) {
	e, err := s.getEvent(ctx, id)
	if err != nil {
		return Event{}, err
	}
	if e.Status == Published {
		return e, nil
	}
	return s.change(ctx, id, func(e *Event, now time.Time) error {
		if e.Status != Draft {
			return apperr.New(apperr.Conflict, "events.cancelled")
		}
		e.Status, e.PublishedAt = Published, now
		return nil
	})
}

// Cancel cancels an event and emails every confirmed and waitlisted
// registrant an .ics CANCEL, once each: calling it again (after a timeout)
// emails only those not told yet.
func (s *Service) Cancel(ctx context.Context, id string) (CancelResult, error) {
	e, err := s.getEvent(ctx, id)
	if err != nil {
		return CancelResult{}, err
	}
	if e.Status != Cancelled {
		if e, err = s.change(ctx, id, func(e *Event, now time.Time) error {
			e.Status, e.CancelledAt = Cancelled, now
			e.Sequence++
			return nil
		}); err != nil {
			return CancelResult{}, err
		}
	}
	notified := 0
	for _, st := range []RegStatus{Confirmed, Waitlisted} {
		cursor := ""
		for {
			page, next, err := s.store.ListRegistrations(ctx, e.ID, st, NotCancelNotified, 100, cursor)
			if err != nil {
				return CancelResult{}, fmt.Errorf("cancel event %s: list %s: %w", id, st, err)
			}
			for _, r := range page {
				now := s.clock()
				m, err := s.email(KindEventCancelled, r, eventCancelledMessage(e, r), now, calendar(ics.Cancel, e, r, s.portalOrigin, now, e.Sequence))
				if err != nil {
					return CancelResult{}, err
				}
				err = s.store.MarkCancelNotified(ctx, r, now, m)
				if apperr.Is(err, apperr.Conflict) {
					continue
				}
				if err != nil {
					return CancelResult{}, fmt.Errorf("cancel event %s: notify %s: %w", id, r.ID, err)
				}
				notified++
				s.deliver(ctx, m)
			}
			if next == "" {
				break
			}
			cursor = next
		}
	}
	s.log.Info("event cancelled", "eventId", e.ID, "notified", notified)
	return CancelResult{Event: e.Admin(), Notified: notified}, nil
}

// ListRegistrations lists an event's registrations, all or with one status.
func (s *Service) ListRegistrations(ctx context.Context, id, status string, limit int, cursor string) ([]Registration, string, error) {
	if status != "" {
		var fs apperr.Fields
		validate.OneOf(&fs, "status", status, RegStatuses...)
		if err := fs.Err(); err != nil {
			return nil, "", err
		}
	}
	if _, err := s.getEvent(ctx, id); err != nil {
		return nil, "", err
	}
	items, next, err := s.store.ListRegistrations(ctx, id, RegStatus(status), AllRegs, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list registrations of %s: %w", id, err)
	}
	return items, next, nil
}

// CheckInInput is the body of POST /api/admin/events/{id}/checkins.
type CheckInInput struct {
	Code string `json:"code"`
}

// CheckIn marks the registrant with code as present: once (409 the second
// time), confirmed registrants only.
func (s *Service) CheckIn(ctx context.Context, id string, in CheckInInput) (CheckInView, error) {
	code := NormalizeCode(in.Code)
	if !validCode(code) {
		var fs apperr.Fields
		fs.Add("code", "format", nil)
		return CheckInView{}, fs.Err()
	}
	e, err := s.getEvent(ctx, id)
	if err != nil {
		return CheckInView{}, err
	}
	r, err := s.store.RegistrationByCode(ctx, id, code)
	if apperr.Is(err, apperr.NotFound) {
		return CheckInView{}, apperr.New(apperr.NotFound, "events.code_not_found")
	}
	if err != nil {
		return CheckInView{}, fmt.Errorf("check in at %s: %w", id, err)
	}
	if !r.CheckedInAt.IsZero() {
		return CheckInView{}, apperr.New(apperr.Conflict, "events.already_checked_in")
	}
	if r.Status != Confirmed {
		return CheckInView{}, apperr.New(apperr.Conflict, "events.not_confirmed")
	}
	now := s.clock()
	err = s.store.CheckIn(ctx, r, now)
	if apperr.Is(err, apperr.Conflict) {
		return CheckInView{}, apperr.Wrap(apperr.Conflict, "events.already_checked_in", err)
	}
	if err != nil {
		return CheckInView{}, fmt.Errorf("check in %s: %w", r.ID, err)
	}
	s.log.Info("checked in", "eventId", id, "registrationId", r.ID)
	return CheckInView{RegistrationID: r.ID, Code: r.Code, FullName: r.FullName, CheckedInAt: rfc3339(now), Attended: e.Attended + 1}, nil
}

// ExportTTL is how long an export's download link works.
const ExportTTL = 10 * time.Minute

// Export writes every registration of the event (answers and attendance
// included) as CSV to the export store, records who exported what, and
// returns a short-lived download link.
func (s *Service) Export(ctx context.Context, id, by string) (ExportView, error) {
	e, err := s.getEvent(ctx, id)
	if err != nil {
		return ExportView{}, err
	}
	var regs []Registration
	cursor := ""
	for {
		page, next, err := s.store.ListRegistrations(ctx, id, "", AllRegs, 200, cursor)
		if err != nil {
			return ExportView{}, fmt.Errorf("export %s: %w", id, err)
		}
		regs = append(regs, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	slices.SortFunc(regs, func(a, b Registration) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	body, err := CSV(e, regs)
	if err != nil {
		return ExportView{}, err
	}
	now := s.clock()
	xid, err := secret.NewID(s.rand)
	if err != nil {
		return ExportView{}, err
	}
	key := fmt.Sprintf("exports/events/%s/%s-%s.csv", e.ID, now.Format("20060102T150405Z"), xid)
	if err := s.exporter.Put(ctx, key, "text/csv; charset=utf-8", body); err != nil {
		return ExportView{}, fmt.Errorf("export %s: store: %w", id, err)
	}
	x := Export{ID: xid, EventID: e.ID, By: by, At: now, Rows: len(regs), Key: key}
	if err := s.store.RecordExport(ctx, x); err != nil {
		return ExportView{}, fmt.Errorf("export %s: record: %w", id, err)
	}
	u, err := s.exporter.PresignGet(ctx, key, ExportTTL)
	if err != nil {
		return ExportView{}, fmt.Errorf("export %s: presign: %w", id, err)
	}
	s.log.Info("registrations exported", "eventId", id, "exportId", xid, "rows", len(regs))
	return ExportView{ID: xid, URL: u, ExpiresAt: rfc3339(now.Add(ExportTTL)), Rows: len(regs)}, nil
}

// ---------------------------------------------------------------- reminders

// reminderHorizon is how far ahead reminders look (the largest reminder time).
const reminderHorizon = MaxReminderHours * time.Hour

// SendReminders emails each confirmed registrant of every event whose
// reminder time has come one reminder: the mark and the email are one
// transaction, so a second run (or two runs at once) sends nothing twice.
func (s *Service) SendReminders(ctx context.Context) (ReminderResult, error) {
	var res ReminderResult
	now := s.clock()
	cursor := ""
	for {
		evs, next, err := s.store.ListPublishedEvents(ctx, now, 50, cursor)
		if err != nil {
			return res, fmt.Errorf("reminders: list events: %w", err)
		}
		for _, e := range evs {
			if e.StartsAt.After(now.Add(reminderHorizon)) {
				return res, nil // soonest first: the rest are later still
			}
			if e.Status != Published || now.Before(e.StartsAt.Add(-time.Duration(e.ReminderHours)*time.Hour)) {
				continue
			}
			res.Events++
			n, err := s.remind(ctx, e, now)
			res.Sent += n
			if err != nil {
				return res, err
			}
		}
		if next == "" {
			return res, nil
		}
		cursor = next
	}
}

func (s *Service) remind(ctx context.Context, e Event, now time.Time) (int, error) {
	sent := 0
	cursor := ""
	for {
		page, next, err := s.store.ListRegistrations(ctx, e.ID, Confirmed, NotReminded, 100, cursor)
		if err != nil {
			return sent, fmt.Errorf("reminders of %s: %w", e.ID, err)
		}
		for _, r := range page {
			m, err := s.email(KindReminder, r, reminderMessage(e, r), now, calendar(ics.Request, e, r, s.portalOrigin, now, e.Sequence))
			if err != nil {
				return sent, err
			}
			err = s.store.MarkReminded(ctx, r, now, m)
			if apperr.Is(err, apperr.Conflict) {
				continue // reminded by a concurrent run, or cancelled meanwhile
			}
			if err != nil {
				return sent, fmt.Errorf("remind %s: %w", r.ID, err)
			}
			sent++
			s.deliver(ctx, m)
		}
		if next == "" {
			return sent, nil
		}
		cursor = next
	}
}
