package cocreation

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/secret"
)

// CreateCommitment adds a commitment to the plan planID. Returns Invalid or
// NotFound.
func (s *Service) CreateCommitment(ctx context.Context, planID string, in CommitmentInput) (AdminCommitmentView, error) {
	c, err := in.commitment()
	if err != nil {
		return AdminCommitmentView{}, err
	}
	plan, err := s.getPlan(ctx, planID)
	if err != nil {
		return AdminCommitmentView{}, err
	}
	id, err := secret.NewID(s.Rand)
	if err != nil {
		return AdminCommitmentView{}, err
	}
	now := s.clock()
	c.ID, c.PlanID, c.CreatedAt, c.UpdatedAt, c.Version = id, plan.ID, now, now, 1
	if err := s.Store.CreateCommitment(ctx, c); err != nil {
		return AdminCommitmentView{}, fmt.Errorf("create commitment of %s: %w", plan.ID, err)
	}
	s.Log.Info("commitment created", "commitmentId", c.ID, "planId", plan.ID, "number", c.Number)
	return c.AdminView(nil), nil
}

// AdminCommitment returns a commitment with both languages and the
// proposals behind it. Returns NotFound.
func (s *Service) AdminCommitment(ctx context.Context, id string) (AdminCommitmentView, error) {
	c, err := s.getCommitment(ctx, id)
	if err != nil {
		return AdminCommitmentView{}, err
	}
	ps, err := s.Store.CommitmentProposals(ctx, id)
	if err != nil {
		return AdminCommitmentView{}, fmt.Errorf("proposals of commitment %s: %w", id, err)
	}
	return c.AdminView(ps), nil
}

// UpdateCommitment replaces a commitment's number, texts and milestones.
// Returns Invalid, NotFound or Conflict.
func (s *Service) UpdateCommitment(ctx context.Context, id string, in CommitmentInput) (AdminCommitmentView, error) {
	next, err := in.commitment()
	if err != nil {
		return AdminCommitmentView{}, err
	}
	var lastErr error
	for range changeAttempts {
		c, err := s.getCommitment(ctx, id)
		if err != nil {
			return AdminCommitmentView{}, err
		}
		now := s.clock()
		upd := next
		upd.ID, upd.PlanID, upd.CreatedAt, upd.UpdatedAt, upd.Version = c.ID, c.PlanID, c.CreatedAt, now, c.Version+1
		err = s.Store.UpdateCommitment(ctx, upd, c.Version)
		if apperr.Is(err, apperr.Conflict) {
			lastErr = err
			continue
		}
		if err != nil {
			return AdminCommitmentView{}, fmt.Errorf("update commitment %s: %w", id, err)
		}
		ps, err := s.Store.CommitmentProposals(ctx, id)
		if err != nil {
			return AdminCommitmentView{}, fmt.Errorf("proposals of commitment %s: %w", id, err)
		}
		s.Log.Info("commitment updated", "commitmentId", id)
		return upd.AdminView(ps), nil
	}
	return AdminCommitmentView{}, apperr.Wrap(apperr.Conflict, "cocreation.changed", lastErr)
}
