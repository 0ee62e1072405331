package calls

import (
	"context"
	"fmt"
	"reflect"

	"espaceosc/shared/apperr"
	"espaceosc/shared/validate"
)

// The administrators' calls: create, read, list, edit and move forward.

// CreateCall records a new call as a draft.
func (s *Service) CreateCall(ctx context.Context, in CallInput) (AdminCallView, error) {
	if err := in.Validate(); err != nil {
		return AdminCallView{}, err
	}
	now := s.clock()
	id := in.ID
	if id == "" {
		suffix, err := randomBase32(s.Rand, 6)
		if err != nil {
			return AdminCallView{}, err
		}
		id = in.Kind + "-" + in.OpensAt[:min(4, len(in.OpensAt))] + "-" + suffix
		if !ValidCallID(id) {
			id = in.Kind + "-" + suffix
		}
	}
	c := Call{ID: id, Status: StatusDraft, CreatedAt: now, UpdatedAt: now, Version: 1}
	in.apply(&c)
	if err := s.Store.CreateCall(ctx, c); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return AdminCallView{}, apperr.Wrap(apperr.Conflict, "calls.id_taken", err)
		}
		return AdminCallView{}, fmt.Errorf("create call: %w", err)
	}
	s.Log.Info("call created", "callId", c.ID, "kind", c.Kind)
	return c.AdminView(s.now()), nil
}

// GetCall returns any call, drafts included.
func (s *Service) GetCall(ctx context.Context, id string) (AdminCallView, error) {
	c, err := s.getCall(ctx, id)
	if err != nil {
		return AdminCallView{}, err
	}
	return c.AdminView(s.now()), nil
}

// ListCalls lists calls: all (newest created first), or those with status.
func (s *Service) ListCalls(ctx context.Context, status string, limit int, cursor string) ([]AdminCallView, string, error) {
	if status != "" {
		var fs apperr.Fields
		if !validate.OneOf(&fs, "status", status, Statuses...) {
			return nil, "", fs.Err()
		}
	}
	cs, next, err := s.Store.ListCalls(ctx, Status(status), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list calls: %w", err)
	}
	now := s.now()
	views := make([]AdminCallView, 0, len(cs))
	for _, c := range cs {
		views = append(views, c.AdminView(now))
	}
	return views, next, nil
}

// UpdateCall replaces a call's content. A draft or open call can be edited;
// once closed, the rules of the selection are frozen.
func (s *Service) UpdateCall(ctx context.Context, id string, in CallInput) (AdminCallView, error) {
	if in.ID != "" && in.ID != id {
		var fs apperr.Fields
		fs.Add("id", "calls.immutable_id", nil)
		return AdminCallView{}, fs.Err()
	}
	in.ID = ""
	if err := in.Validate(); err != nil {
		return AdminCallView{}, err
	}
	return s.changeCall(ctx, id, func(c *Call) error {
		if err := editable(*c, Kind(in.Kind)); err != nil {
			return err
		}
		in.apply(c)
		return nil
	})
}

// SetCallStatus moves a call one step forward: draft → open → closed →
// evaluating (publishing the results is PublishResults). Asking for the
// status the call has changes nothing.
func (s *Service) SetCallStatus(ctx context.Context, id string, in StatusInput) (AdminCallView, error) {
	if err := in.Validate(); err != nil {
		return AdminCallView{}, err
	}
	to := Status(in.Status)
	return s.changeCall(ctx, id, func(c *Call) error {
		if err := transition(c.Status, to); err != nil {
			return err
		}
		c.Status = to
		return nil
	})
}

// changeCall applies change to the call id with optimistic locking (a lost
// race reads again); a change that changes nothing writes nothing.
func (s *Service) changeCall(ctx context.Context, id string, change func(*Call) error) (AdminCallView, error) {
	for range updateAttempts {
		c, err := s.getCall(ctx, id)
		if err != nil {
			return AdminCallView{}, err
		}
		before := c
		if err := change(&c); err != nil {
			return AdminCallView{}, err
		}
		if reflect.DeepEqual(before, c) {
			return c.AdminView(s.now()), nil
		}
		c.UpdatedAt, c.Version = s.clock(), before.Version+1
		err = s.Store.UpdateCall(ctx, c, before.Version)
		if apperr.Is(err, apperr.Conflict) {
			continue
		}
		if err != nil {
			return AdminCallView{}, fmt.Errorf("update call %s: %w", id, err)
		}
		s.Log.Info("call updated", "callId", c.ID, "status", c.Status, "version", c.Version)
		return c.AdminView(s.now()), nil
	}
	return AdminCallView{}, errStale
}
