package events

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/secret"
)

// IdempotencyScope names registrations among idempotency records.
const IdempotencyScope = "events.register"

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

// registerAttempts bounds the optimistic retries of a registration whose
// waitlist position was taken by a concurrent one (with waits of at most
// waitCap, well within the function's 29 s).
const registerAttempts = 60

// registerRequest is what an Idempotency-Key's fingerprint covers: the
// event and the body.
type registerRequest struct {
	Event string
	In    RegistrationInput
}

// Register registers someone for an event: a seat while seats remain, else
// a waitlist position, else 409 full. It reads the event once per attempt
// and writes everything in one transaction conditioned on what it read.
// With an idempotency key, a retry of the same registration returns the
// first receipt and records nothing; the same key with another body is
// apperr.Unprocessable.
func (s *Service) Register(ctx context.Context, eventID string, in RegistrationInput, key idempotency.Key) (Receipt, error) {
	req, err := idempotency.Begin(IdempotencyScope, key, registerRequest{eventID, in})
	if err != nil {
		return Receipt{}, err
	}
	var wait time.Duration
	for attempt := 0; ; attempt++ {
		e, err := s.getEvent(ctx, eventID)
		if err != nil {
			return Receipt{}, err
		}
		answers, err := in.validate(e)
		if err != nil {
			return Receipt{}, err
		}
		now := s.clock()
		if reason := e.closedReason(now); reason != "" {
			if attempt > 0 {
				// The event closed while we retried: an earlier attempt with this key may have won.
				if prev, ok, perr := idempotency.Earlier[Receipt](ctx, s.Store, req); ok || perr != nil {
					return prev, perr
				}
			}
			return Receipt{}, apperr.New(apperr.Conflict, reason)
		}
		r, token, err := s.newRegistration(e, in, answers, now)
		if err != nil {
			return Receipt{}, err
		}
		r.NotifiedSequence = e.Sequence
		op := Registering{}
		switch place, position := e.place(); place {
		case RegConfirmed:
			op.Seat = true
			r.Status, r.ConfirmedAt = RegConfirmed, now
		case RegWaitlisted:
			r.Status, r.Position = RegWaitlisted, position
			op.ReadWaitlistSeq = e.WaitlistSeq
		default:
			// Full: someone already registered still gets their link back.
			if _, err := s.Store.RegistrationByEmail(ctx, e.ID, EmailHash(in.Email)); err == nil {
				s.resendLink(ctx, e, in.Email, now)
				return Receipt{}, apperr.New(apperr.Conflict, "events.already_registered")
			}
			return Receipt{}, apperr.New(apperr.Conflict, "events.full")
		}
		op.Registration = r
		link := ManageLink(s.PortalOrigin, r.Lang, r.ID, token)
		if op.Seat {
			op.Email, err = s.compose(r, KindConfirmed, confirmedData{s.emailData(e, r, now, true), link})
		} else {
			op.Email, err = s.compose(r, KindWaitlisted, waitlistedData{s.emailData(e, r, now, false), r.Position, link})
		}
		if err != nil {
			return Receipt{}, err
		}
		receipt := Receipt{ID: r.ID, Status: r.Status, Position: r.Position, Code: r.Code}
		if op.Idempotency, err = req.Record(http.StatusCreated, receipt, now); err != nil {
			return Receipt{}, err
		}

		began := time.Now()
		err = s.Store.Register(ctx, op)
		took := time.Since(began)
		switch {
		case err == nil:
			s.deliver(ctx, op.Email)
			s.Log.Info("registered", "eventId", e.ID, "registrationId", r.ID, "status", r.Status, "position", r.Position, "attempts", attempt+1)
			return receipt, nil
		case idempotency.Retried(err):
			if prev, ok, perr := idempotency.Earlier[Receipt](ctx, s.Store, req); ok || perr != nil {
				return prev, perr // an earlier attempt with this key won
			}
			return Receipt{}, fmt.Errorf("register for %s: %w", eventID, err)
		case errors.Is(err, ErrDuplicate):
			// The duplicate may be this key's first attempt (a store may
			// report only the first failed condition of a transaction).
			if prev, ok, perr := idempotency.Earlier[Receipt](ctx, s.Store, req); ok || perr != nil {
				return prev, perr
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
		default:
			return Receipt{}, fmt.Errorf("register for %s: %w", eventID, err)
		}
	}
}

func (s *Service) newRegistration(e Event, in RegistrationInput, answers map[string][]string, now time.Time) (Registration, string, error) {
	id, err := secret.NewID(s.Rand)
	if err != nil {
		return Registration{}, "", err
	}
	code, err := newCode(s.Rand)
	if err != nil {
		return Registration{}, "", err
	}
	token, hash, err := secret.NewToken(s.Rand)
	if err != nil {
		return Registration{}, "", err
	}
	lang, _ := i18n.Parse(in.Lang)
	return Registration{
		ID: id, EventID: e.ID, Code: code,
		FullName: strings.TrimSpace(in.FullName), Email: strings.TrimSpace(in.Email),
		Organisation: strings.TrimSpace(in.Organisation), Phone: strings.TrimSpace(in.Phone),
		Answers: answers, Lang: lang,
		Consent:   Consent{Given: true, At: now, NoticeVersion: s.NoticeVersion},
		TokenHash: hash, CreatedAt: now, UpdatedAt: now, ExpiresAt: e.EndsAt.Add(Retention), Version: 1,
	}, token, nil
}

// linkResendInterval is the least time between two manage-link emails
// triggered by duplicate registrations (a burst of duplicates sends one).
const linkResendInterval = 10 * time.Minute

// resendLink emails the existing registration's manage link (a new token;
// only hashes are stored, so the old link stops working).
func (s *Service) resendLink(ctx context.Context, e Event, email string, now time.Time) {
	r, err := s.Store.RegistrationByEmail(ctx, e.ID, EmailHash(email))
	if err != nil {
		s.Log.Warn("duplicate registration: existing one not found", "eventId", e.ID, "code", apperr.CodeOf(err))
		return
	}
	token, hash, err := secret.NewToken(s.Rand)
	if err != nil {
		return
	}
	r.TokenHash, r.LinkResentAt = hash, now
	m, err := s.compose(r, KindLink, linkData{s.emailData(e, r, now, false), ManageLink(s.PortalOrigin, r.Lang, r.ID, token)})
	if err != nil {
		return
	}
	err = s.Store.ResendLink(ctx, r, now.Add(-linkResendInterval), m)
	if apperr.Is(err, apperr.Conflict) {
		return // sent a moment ago
	}
	if err != nil {
		s.Log.Warn("duplicate registration: link not resent", "registrationId", r.ID, "code", apperr.CodeOf(err))
		return
	}
	s.deliver(ctx, m)
}

// nextWait is the delay before attempt+1 of a registration that lost the
// race for a waitlist position; prev is the previous delay and took how long
// the lost transaction took.
func (s *Service) nextWait(attempt int, prev, took time.Duration) time.Duration {
	if s.RetryPolicy == RetryLinear {
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
// RetryLinear policy, and the retries of withdrawals and promotions).
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
