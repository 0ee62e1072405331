package cocreation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/validate"
)

// changeAttempts bounds the read-apply-write loops when another write wins
// the race (an administrator, or supports moving a proposal's count).
const changeAttempts = 3

// CreatePlan validates in and stores a new plan. Returns Invalid, or
// Conflict ("cocreation.plan_taken").
func (s *Service) CreatePlan(ctx context.Context, in NewPlan) (AdminPlanView, error) {
	p, err := in.plan()
	if err != nil {
		return AdminPlanView{}, err
	}
	now := s.clock()
	p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
	err = s.Store.CreatePlan(ctx, p)
	if apperr.Is(err, apperr.Conflict) {
		return AdminPlanView{}, apperr.Wrap(apperr.Conflict, "cocreation.plan_taken", err)
	}
	if err != nil {
		return AdminPlanView{}, fmt.Errorf("create plan %s: %w", p.ID, err)
	}
	s.Log.Info("plan created", "planId", p.ID, "phases", len(p.Phases), "themes", len(p.Themes))
	return p.AdminView(now), nil
}

// AdminPlan returns the plan id with both languages. Returns NotFound.
func (s *Service) AdminPlan(ctx context.Context, id string) (AdminPlanView, error) {
	p, err := s.getPlan(ctx, id)
	if err != nil {
		return AdminPlanView{}, err
	}
	return p.AdminView(s.clock()), nil
}

// UpdatePlan replaces the plan's title, description, phases and themes. A
// theme cannot be removed (proposals are filed under it). Returns Invalid,
// NotFound or Conflict.
func (s *Service) UpdatePlan(ctx context.Context, id string, in PlanInput) (AdminPlanView, error) {
	next, err := in.plan()
	if err != nil {
		return AdminPlanView{}, err
	}
	var lastErr error
	for range changeAttempts {
		p, err := s.getPlan(ctx, id)
		if err != nil {
			return AdminPlanView{}, err
		}
		if dropped, ok := p.keepsThemes(next); !ok {
			var fs apperr.Fields
			fs.Add("themes", "cocreation.theme_removed", map[string]any{"theme": dropped})
			return AdminPlanView{}, fs.Err()
		}
		now := s.clock()
		upd := next
		upd.ID, upd.CreatedAt, upd.UpdatedAt, upd.Version = p.ID, p.CreatedAt, now, p.Version+1
		err = s.Store.UpdatePlan(ctx, upd, p.Version)
		if apperr.Is(err, apperr.Conflict) {
			lastErr = err
			continue
		}
		if err != nil {
			return AdminPlanView{}, fmt.Errorf("update plan %s: %w", id, err)
		}
		s.Log.Info("plan updated", "planId", id)
		return upd.AdminView(now), nil
	}
	return AdminPlanView{}, apperr.Wrap(apperr.Conflict, "cocreation.changed", lastErr)
}

// AdminProposals returns a plan's proposals with their moderation (all, or
// those in moderation state m), newest first, and the next page's cursor.
// Returns Invalid.
func (s *Service) AdminProposals(ctx context.Context, planID, m string, limit int, cursor string) ([]AdminProposalView, string, error) {
	if m != "" {
		var fs apperr.Fields
		validate.OneOf(&fs, "moderation", m, Moderations...)
		if err := fs.Err(); err != nil {
			return nil, "", err
		}
	}
	if !ValidPlanID(planID) {
		return nil, "", errPlanNotFound
	}
	items, next, err := s.Store.ListProposals(ctx, planID, Moderation(m), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list proposals of %s: %w", planID, err)
	}
	return views(items, Proposal.AdminView), next, nil
}

// AdminProposal returns everything about a proposal, its proposer's contact
// included until it expires. Returns NotFound.
func (s *Service) AdminProposal(ctx context.Context, id string) (AdminProposalView, error) {
	p, err := s.getProposal(ctx, id)
	if err != nil {
		return AdminProposalView{}, err
	}
	v := p.AdminView()
	who, err := s.Store.GetProposer(ctx, id)
	switch {
	case err == nil:
		v.Proposer = who.View()
	case !apperr.Is(err, apperr.NotFound):
		return AdminProposalView{}, fmt.Errorf("proposer of %s: %w", id, err)
	}
	return v, nil
}

// change is one administrator's change of a proposal: the next state (or
// changed false) and what its transaction carries.
type change func(p Proposal, now time.Time) (next Proposal, changed bool, w Write, err error)

// changeProposal reads the proposal, applies f and writes the result on
// what it read; when another write wins the race it reads again and
// applies f to what it finds. It delivers the change's email once written.
func (s *Service) changeProposal(ctx context.Context, id, what string, f change) (Proposal, error) {
	var lastErr error
	for range changeAttempts {
		p, err := s.getProposal(ctx, id)
		if err != nil {
			return Proposal{}, err
		}
		next, changed, w, err := f(p, s.clock())
		if err != nil || !changed {
			return next, err
		}
		err = s.Store.UpdateProposal(ctx, p, next, w)
		switch {
		case errors.Is(err, ErrNoCommitment):
			var fs apperr.Fields
			fs.Add("commitmentId", "cocreation.unknown_commitment", nil)
			return Proposal{}, fs.Err()
		case apperr.Is(err, apperr.Conflict):
			lastErr = err
			continue
		case err != nil:
			return Proposal{}, fmt.Errorf("%s proposal %s: %w", what, id, err)
		}
		if w.Email != nil {
			if err := s.Mailer.Deliver(ctx, *w.Email); err != nil {
				s.Log.Warn("email deferred to the sweeper", "proposalId", id, "emailId", w.Email.ID, "code", apperr.CodeOf(err))
			}
		}
		s.Log.Info("proposal changed", "proposalId", id, "change", what, "moderation", next.Moderation.State, "status", next.Status(), "emailed", w.Email != nil)
		return next, nil
	}
	return Proposal{}, apperr.Wrap(apperr.Conflict, "cocreation.changed", lastErr)
}

// Moderate publishes or hides a proposal (hiding keeps the reason for the
// record). Returns Invalid, NotFound or Conflict.
func (s *Service) Moderate(ctx context.Context, id string, in ModerationInput, by string) (AdminProposalView, error) {
	if err := in.Validate(); err != nil {
		return AdminProposalView{}, err
	}
	p, err := s.changeProposal(ctx, id, in.Action, func(p Proposal, now time.Time) (Proposal, bool, Write, error) {
		next, changed, err := p.moderated(in, by, now)
		return next, changed, Write{}, err
	})
	if err != nil {
		return AdminProposalView{}, err
	}
	return p.AdminView(), nil
}

// commitmentOf reads the commitment id and checks that it belongs to the
// plan planID (Invalid, field commitmentId, otherwise).
func (s *Service) commitmentOf(ctx context.Context, id, planID string) (Commitment, error) {
	c, err := s.getCommitment(ctx, id)
	if apperr.Is(err, apperr.NotFound) || err == nil && c.PlanID != planID {
		var fs apperr.Fields
		fs.Add("commitmentId", "cocreation.unknown_commitment", nil)
		return Commitment{}, fs.Err()
	}
	return c, err
}

// Respond gives a published proposal its reasoned response (and links it to
// the commitment it names), publishes it and emails it to the proposer in
// their language, in the same transaction. Responding the same again
// changes nothing and sends nothing. Returns Invalid, NotFound or Conflict.
func (s *Service) Respond(ctx context.Context, id string, in ResponseInput, by string) (AdminProposalView, error) {
	if err := in.Validate(); err != nil {
		return AdminProposalView{}, err
	}
	p, err := s.getProposal(ctx, id)
	if err != nil {
		return AdminProposalView{}, err
	}
	var c *Commitment
	if in.CommitmentID != "" {
		got, err := s.commitmentOf(ctx, in.CommitmentID, p.PlanID)
		if err != nil {
			return AdminProposalView{}, err
		}
		c = &got
	}
	who, err := s.Store.GetProposer(ctx, id)
	hasContact := err == nil
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return AdminProposalView{}, fmt.Errorf("proposer of %s: %w", id, err)
	}
	next, err := s.changeProposal(ctx, id, "respond", func(p Proposal, now time.Time) (Proposal, bool, Write, error) {
		next, changed, notify, err := p.responded(in, by, now)
		if err != nil || !changed {
			return next, false, Write{}, err
		}
		w := Write{Commitment: in.CommitmentID}
		if notify && hasContact {
			data := responseData{
				Lang: who.Lang, Name: who.Name, Title: next.Title, Reference: next.Reference,
				Outcome: next.Response.Outcome, Justification: next.Response.Justification.In(who.Lang),
			}
			if c != nil {
				data.Commitment = commitmentLine(*c, who.Lang)
			}
			e, err := s.Mailer.Compose(who.Email, who.Lang, KindResponse, next.ID, data)
			if err != nil {
				return Proposal{}, false, Write{}, err
			}
			w.Email = &e
		}
		return next, true, w, nil
	})
	if err != nil {
		return AdminProposalView{}, err
	}
	return next.AdminView(), nil
}

// Link makes a published proposal part of a commitment of its plan. Returns
// Invalid, NotFound or Conflict.
func (s *Service) Link(ctx context.Context, id string, in LinkInput) (AdminProposalView, error) {
	if err := in.Validate(); err != nil {
		return AdminProposalView{}, err
	}
	p, err := s.getProposal(ctx, id)
	if err != nil {
		return AdminProposalView{}, err
	}
	if _, err := s.commitmentOf(ctx, in.CommitmentID, p.PlanID); err != nil {
		return AdminProposalView{}, err
	}
	next, err := s.changeProposal(ctx, id, "link", func(p Proposal, now time.Time) (Proposal, bool, Write, error) {
		next, changed, err := p.linked(in.CommitmentID, now)
		return next, changed, Write{Commitment: in.CommitmentID}, err
	})
	if err != nil {
		return AdminProposalView{}, err
	}
	return next.AdminView(), nil
}

// Unlink detaches a proposal from its commitment. Returns NotFound or
// Conflict.
func (s *Service) Unlink(ctx context.Context, id string) (AdminProposalView, error) {
	next, err := s.changeProposal(ctx, id, "unlink", func(p Proposal, now time.Time) (Proposal, bool, Write, error) {
		next, changed, err := p.unlinked(now)
		return next, changed, Write{}, err
	})
	if err != nil {
		return AdminProposalView{}, err
	}
	return next.AdminView(), nil
}
