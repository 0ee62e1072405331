package events

import (
	"context"
	"espaceosc/shared/bulk"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/secret"
	"espaceosc/shared/validate"
)

// Create stores a new draft event.
func (s *Service) Create(ctx context.Context, in Input) (AdminView, error) {
	p, err := in.validate(true)
	if err != nil {
		return AdminView{}, err
	}
	now := s.clock()
	e := Event{ID: in.ID, Status: Draft, CreatedAt: now, UpdatedAt: now, Version: 1}
	if e.ID == "" {
		if e.ID, err = secret.NewID(s.Rand); err != nil {
			return AdminView{}, err
		}
	}
	in.apply(&e, p)
	if err := s.Store.CreateEvent(ctx, e); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return AdminView{}, apperr.Wrap(apperr.Conflict, "events.id_taken", err)
		}
		return AdminView{}, fmt.Errorf("create event: %w", err)
	}
	s.Log.Info("event created", "eventId", e.ID)
	return e.Admin(), nil
}

// Get returns an event to an administrator.
func (s *Service) Get(ctx context.Context, id string) (AdminView, error) {
	e, err := s.getEvent(ctx, id)
	if err != nil {
		return AdminView{}, err
	}
	return e.Admin(), nil
}

// List lists every event, newest first.
func (s *Service) List(ctx context.Context, limit int, cursor string) ([]AdminView, string, error) {
	items, next, err := s.Store.ListEvents(ctx, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list events: %w", err)
	}
	views := make([]AdminView, 0, len(items))
	for _, e := range items {
		views = append(views, e.Admin())
	}
	return views, next, nil
}

// changeAttempts bounds the re-read-and-apply loop of an administrator's
// change racing registrations.
const changeAttempts = 4

// change re-reads the event and applies f until the write wins.
func (s *Service) change(ctx context.Context, id string, f func(e *Event, now time.Time) error) (Event, error) {
	e, _, err := s.changeTelling(ctx, id, func(e *Event, now time.Time) (*bulk.Job, error) { return nil, f(e, now) })
	return e, err
}

// changeTelling is change where f may also return a job (a fan-out of the
// change to the registrants), recorded in the change's transaction; it
// returns the job recorded with the write that won, if any.
func (s *Service) changeTelling(ctx context.Context, id string, f func(e *Event, now time.Time) (*bulk.Job, error)) (Event, *bulk.Job, error) {
	var lastErr error
	for range changeAttempts {
		e, err := s.getEvent(ctx, id)
		if err != nil {
			return Event{}, nil, err
		}
		prev := e.Version
		now := s.clock()
		job, err := f(&e, now)
		if err != nil {
			return Event{}, nil, err
		}
		e.UpdatedAt, e.Version = now, prev+1
		if job != nil {
			err = s.Store.UpdateEventWithJob(ctx, e, prev, *job)
		} else {
			err = s.Store.UpdateEvent(ctx, e, prev)
		}
		if apperr.Is(err, apperr.Conflict) {
			lastErr = err
			continue // a registration or another change came first: read again
		}
		if err != nil {
			return Event{}, nil, fmt.Errorf("update event %s: %w", id, err)
		}
		return e, job, nil
	}
	return Event{}, nil, apperr.Wrap(apperr.Conflict, "events.stale", lastErr)
}

// moved reports whether an edit changed what a registrant's calendar and
// plans rest on: the date and time, the place, the online link.
func moved(before, after Event) bool {
	sameVenue := (before.Venue == nil) == (after.Venue == nil) && (before.Venue == nil || *before.Venue == *after.Venue)
	return !before.StartsAt.Equal(after.StartsAt) || !before.EndsAt.Equal(after.EndsAt) || !sameVenue ||
		before.Online != after.Online || before.OnlineURL != after.OnlineURL
}

// Update replaces an event's editable fields. Capacity cannot go below the
// seats taken (409). Seats a raise frees go to the waitlist first come first
// served, as a cancellation's seat does. An edit of a published event that
// moves it (date, time, place, online link) tells its registrants: a
// JobUpdated recorded with the edit, run by the notifier.
func (s *Service) Update(ctx context.Context, id string, in Input) (AdminView, error) {
	p, err := in.validate(false)
	if err != nil {
		return AdminView{}, err
	}
	e, job, err := s.changeTelling(ctx, id, func(e *Event, now time.Time) (*bulk.Job, error) {
		if e.Status == Cancelled {
			return nil, apperr.New(apperr.Conflict, "events.cancelled")
		}
		if in.Capacity < e.Confirmed {
			return nil, &apperr.Error{Code: apperr.Conflict, Key: "events.capacity_below_confirmed", Params: map[string]any{"confirmed": e.Confirmed}}
		}
		before := *e
		if e.Venue != nil {
			v := *e.Venue
			before.Venue = &v
		}
		in.apply(e, p)
		e.Sequence++
		if e.Status == Published && moved(before, *e) {
			j := bulk.New(JobUpdated, e.ID, e.Sequence, now)
			return &j, nil
		}
		return nil, nil
	})
	if err != nil {
		return AdminView{}, err
	}
	if job != nil {
		s.startJob(ctx, job.ID)
		s.Log.Info("event moved: registrants told", "eventId", e.ID, "jobId", job.ID, "sequence", e.Sequence)
	}
	// Every edit fills free seats from the waitlist, so one that stopped
	// halfway (a timeout) is completed by the next.
	filled, n, err := s.fillSeats(ctx, id)
	if err != nil {
		return AdminView{}, fmt.Errorf("update event %s: promote the waitlist: %w", id, err)
	}
	if n > 0 {
		return filled.Admin(), nil
	}
	return e.Admin(), nil
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
		err = s.Store.Promote(ctx, p)
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
		s.Log.Info("registration promoted", "eventId", e.ID, "registrationId", p.Registration.ID, "reason", "capacity")
	}
}

// Publish opens a draft to the public; publishing a published event changes nothing.
func (s *Service) Publish(ctx context.Context, id string) (AdminView, error) {
	e, err := s.getEvent(ctx, id)
	if err != nil {
		return AdminView{}, err
	}
	if e.Status == Published {
		return e.Admin(), nil
	}
	e, err = s.change(ctx, id, func(e *Event, now time.Time) error {
		if e.Status != Draft {
			return apperr.New(apperr.Conflict, "events.cancelled")
		}
		e.Status, e.PublishedAt = Published, now
		return nil
	})
	if err != nil {
		return AdminView{}, err
	}
	s.Log.Info("event published", "eventId", e.ID)
	return e.Admin(), nil
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
		var lastErr error
		for range changeAttempts {
			if e, err = s.getEvent(ctx, id); err != nil {
				return CancelResult{}, err
			}
			if e.Status == Cancelled {
				break
			}
			prev, now := e.Version, s.clock()
			e.Status, e.CancelledAt, e.UpdatedAt, e.Version = Cancelled, now, now, prev+1
			e.Sequence++
			err = s.Store.UpdateEventWithJob(ctx, e, prev, bulk.New(JobCancelled, e.ID, e.Sequence, now))
			if apperr.Is(err, apperr.Conflict) {
				lastErr = err
				continue
			}
			if err != nil {
				return CancelResult{}, fmt.Errorf("cancel event %s: %w", id, err)
			}
			lastErr = nil
			break
		}
		if lastErr != nil {
			return CancelResult{}, apperr.Wrap(apperr.Conflict, "events.stale", lastErr)
		}
	}
	// Cancelling again (after a timeout) starts the same job again: it goes
	// on where it stands, and tells nobody twice.
	job := bulk.JobID(JobCancelled, e.ID, e.Sequence)
	s.startJob(ctx, job)
	s.Log.Info("event cancelled", "eventId", e.ID, "jobId", job)
	return CancelResult{Event: e.Admin(), Notification: NotificationView{ID: job, Recipients: e.Confirmed + e.Waitlisted}}, nil
}

// ListRegistrations lists an event's registrations, all or with one status.
func (s *Service) ListRegistrations(ctx context.Context, id, status string, limit int, cursor string) ([]RegistrationView, string, error) {
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
	items, next, err := s.Store.ListRegistrations(ctx, id, RegStatus(status), AllRegs, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list registrations of %s: %w", id, err)
	}
	views := make([]RegistrationView, 0, len(items))
	for _, r := range items {
		views = append(views, r.Admin())
	}
	return views, next, nil
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
	r, err := s.Store.RegistrationByCode(ctx, id, code)
	if apperr.Is(err, apperr.NotFound) {
		return CheckInView{}, apperr.New(apperr.NotFound, "events.code_not_found")
	}
	if err != nil {
		return CheckInView{}, fmt.Errorf("check in at %s: %w", id, err)
	}
	if !r.CheckedInAt.IsZero() {
		return CheckInView{}, apperr.New(apperr.Conflict, "events.already_checked_in")
	}
	if r.Status != RegConfirmed {
		return CheckInView{}, apperr.New(apperr.Conflict, "events.not_confirmed")
	}
	now := s.clock()
	err = s.Store.CheckIn(ctx, r, now)
	if apperr.Is(err, apperr.Conflict) {
		return CheckInView{}, apperr.Wrap(apperr.Conflict, "events.already_checked_in", err)
	}
	if err != nil {
		return CheckInView{}, fmt.Errorf("check in %s: %w", r.ID, err)
	}
	s.Log.Info("checked in", "eventId", id, "registrationId", r.ID)
	return CheckInView{RegistrationID: r.ID, Code: r.Code, FullName: r.FullName, CheckedInAt: rfc3339(now), Attended: e.Attended + 1}, nil
}
