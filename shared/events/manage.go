package events

import (
	"context"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/secret"
)

// manageable returns the registration id if token opens it. A missing or
// wrong token is errRegNotFound, exactly like an unknown id.
func (s *Service) manageable(ctx context.Context, id, token string) (Registration, error) {
	if !ValidRegistrationID(id) || token == "" || len(token) > 100 {
		return Registration{}, errRegNotFound
	}
	r, err := s.Store.GetRegistration(ctx, id)
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
	return r.manageView(e, s.clock()), nil
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
		now := s.clock()
		if r.Status == RegCancelled {
			return r.manageView(e, now), nil // already done: same answer
		}
		if !now.Before(e.StartsAt) {
			return ManageView{}, apperr.New(apperr.Conflict, "events.past")
		}
		next := r
		next.Status, next.CancelledAt, next.UpdatedAt, next.Version = RegCancelled, now, now, r.Version+1
		w := Withdrawal{Registration: next, PrevVersion: r.Version}
		// A seat held came with an invitation (.ics): the acknowledgement
		// takes it out of the person's calendar with a CANCEL.
		ack, err := s.compose(next, KindWithdrawn, withdrawnData{s.emailData(e, next, now, false), r.Status == RegConfirmed})
		if err != nil {
			return ManageView{}, err
		}
		w.Emails = append(w.Emails, ack)
		if r.Status == RegConfirmed && e.Status == Published {
			p, ok, err := s.promotion(ctx, e, now)
			if err != nil {
				return ManageView{}, fmt.Errorf("withdraw %s: %w", id, err)
			}
			if ok {
				w.Promoted, w.PromotedPrevVersion = &p.Registration, p.PrevVersion
				w.Emails = append(w.Emails, p.Email)
			}
		}
		w.Freed = freed(r.Status, w.Promoted != nil)
		err = s.Store.Withdraw(ctx, w)
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
		s.Log.Info("registration cancelled", "eventId", e.ID, "registrationId", r.ID, "promotedId", promoted)
		return next.manageView(e, now), nil
	}
	return ManageView{}, apperr.Wrap(apperr.Conflict, "events.stale", lastErr)
}

// promotion gives the first waitlisted person of e a seat: their new state
// and confirmation email (with the .ics). ok is false if nobody waits.
// Cancellations and capacity raises both promote through it.
func (s *Service) promotion(ctx context.Context, e Event, now time.Time) (Promotion, bool, error) {
	first, err := s.Store.FirstWaitlisted(ctx, e.ID)
	if apperr.Is(err, apperr.NotFound) {
		return Promotion{}, false, nil
	}
	if err != nil {
		return Promotion{}, false, fmt.Errorf("first waitlisted: %w", err)
	}
	p := first
	p.Status, p.ConfirmedAt, p.UpdatedAt, p.Version = RegConfirmed, now, now, first.Version+1
	p.NotifiedSequence = e.Sequence
	// A new manage link: the token is not stored, so the promotion email carries a fresh one.
	token, hash, err := secret.NewToken(s.Rand)
	if err != nil {
		return Promotion{}, false, err
	}
	p.TokenHash = hash
	m, err := s.compose(p, KindPromoted, confirmedData{s.emailData(e, p, now, true), ManageLink(s.PortalOrigin, p.Lang, p.ID, token)})
	if err != nil {
		return Promotion{}, false, err
	}
	return Promotion{Registration: p, PrevVersion: first.Version, Email: m}, true, nil
}
