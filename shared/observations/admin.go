package observations

import (
	"context"
	"fmt"
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"
	"espaceosc/shared/validate"
)

// get reads an observation; a malformed or unknown id is errNotFound.
func (s *Service) get(ctx context.Context, id string) (Observation, error) {
	if !secret.ValidID(id) {
		return Observation{}, errNotFound
	}
	o, err := s.Store.GetObservation(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Observation{}, errNotFound
	}
	if err != nil {
		return Observation{}, fmt.Errorf("get observation %s: %w", id, err)
	}
	return o, nil
}

// Get returns an observation to an administrator.
func (s *Service) Get(ctx context.Context, id string) (AdminView, error) {
	o, err := s.get(ctx, id)
	if err != nil {
		return AdminView{}, err
	}
	return o.AdminView(), nil
}

// List returns observations newest first, all or with one status.
func (s *Service) List(ctx context.Context, status string, limit int, cursor string) ([]AdminView, string, error) {
	if status != "" {
		var fs apperr.Fields
		validate.OneOf(&fs, "status", status, Statuses...)
		if err := fs.Err(); err != nil {
			return nil, "", err
		}
	}
	items, next, err := s.Store.ListObservations(ctx, Status(status), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list observations: %w", err)
	}
	views := make([]AdminView, 0, len(items))
	for _, o := range items {
		views = append(views, o.AdminView())
	}
	return views, next, nil
}

// updateAttempts bounds the re-read-and-apply loop of Update when another
// update wins the race.
const updateAttempts = 3

// Update applies an administrator's patch. Any status may follow any other;
// answered needs a response (given now or already stored). When the
// observation becomes answered, or its answer text changes while answered,
// the response is emailed to the author (outbox, same transaction).
func (s *Service) Update(ctx context.Context, id string, p Patch) (AdminView, error) {
	if err := p.Validate(); err != nil {
		return AdminView{}, err
	}
	var lastErr error
	for range updateAttempts {
		o, err := s.get(ctx, id)
		if err != nil {
			return AdminView{}, err
		}
		next, email, err := s.apply(o, p)
		if err != nil {
			return AdminView{}, err
		}
		err = s.Store.UpdateObservation(ctx, next, o.Version, email)
		if apperr.Is(err, apperr.Conflict) {
			lastErr = err
			continue // changed or deleted meanwhile: read again, which tells which
		}
		if err != nil {
			return AdminView{}, fmt.Errorf("update observation %s: %w", id, err)
		}
		if email != nil {
			if err := s.Mailer.Deliver(ctx, *email); err != nil {
				s.Log.Warn("answer email deferred to the sweeper", "observationId", id, "emailId", email.ID, "code", apperr.CodeOf(err))
			}
		}
		s.Log.Info("observation updated", "observationId", id, "status", next.Status, "answerEmailed", email != nil)
		return next.AdminView(), nil
	}
	return AdminView{}, apperr.Wrap(apperr.Conflict, "observations.stale", lastErr)
}

// apply is the patch's rule: the next state, and the answer email when one
// is owed.
func (s *Service) apply(o Observation, p Patch) (Observation, *outbox.Email, error) {
	now := s.clock()
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
	e, err := s.Mailer.Compose(next.Email, next.Lang, KindAnswer, next.ID, answerData{
		Lang: next.Lang, Name: next.Name, Subject: next.Subject, Reference: next.Reference, Answer: answered.Text,
	})
	if err != nil {
		return Observation{}, nil, err
	}
	return next, &e, nil
}
