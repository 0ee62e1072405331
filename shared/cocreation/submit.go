package cocreation

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/secret"
)

// IdempotencyScope names submissions among idempotency records.
const IdempotencyScope = "cocreation.submit"

// Submit records a valid proposal to the plan planID during its proposals
// phase, with its proposer's contact and the acknowledgement email, then
// sends the email (a failed send is left to the sweeper). Outside the phase
// it is a Conflict saying when proposals are received; a theme the plan does
// not have is Invalid. With an idempotency key, a retry of the same
// submission returns the first receipt and records nothing; the same key
// with another submission is Unprocessable.
func (s *Service) Submit(ctx context.Context, planID string, sub Submission, key idempotency.Key) (Receipt, error) {
	if err := sub.Validate(); err != nil {
		return Receipt{}, err
	}
	sub = sub.normalized()
	req, err := idempotency.Begin(IdempotencyScope, key, struct {
		Plan string     `json:"plan"`
		Sub  Submission `json:"submission"`
	}{planID, sub})
	if err != nil {
		return Receipt{}, err
	}
	plan, err := s.getPlan(ctx, planID)
	if err != nil {
		return Receipt{}, err
	}
	now := s.clock()
	if err := plan.acceptsProposals(now); err != nil {
		// A retry of a submission accepted just before the phase closed
		// still gets its receipt.
		if prev, ok, perr := idempotency.Earlier[Receipt](ctx, s.Store, req); ok || perr != nil {
			return prev, perr
		}
		return Receipt{}, err
	}
	if _, ok := plan.Theme(sub.Theme); !ok {
		var fs apperr.Fields
		fs.Add("theme", "cocreation.unknown_theme", nil)
		return Receipt{}, fs.Err()
	}
	p, who, token, err := s.newProposal(plan.ID, sub, now)
	if err != nil {
		return Receipt{}, err
	}
	ack, err := s.Mailer.Compose(who.Email, who.Lang, KindAck, p.ID, ackData{
		Lang: who.Lang, Name: who.Name, Title: p.Title, Reference: p.Reference, Plan: plan.Title.In(who.Lang),
		Link: ProposalLink(s.PortalOrigin, who.Lang, p.ID, token),
	})
	if err != nil {
		return Receipt{}, err
	}
	receipt := Receipt{ID: p.ID, Reference: p.Reference, Moderation: p.Moderation.State}
	rec, err := req.Record(http.StatusCreated, receipt, now)
	if err != nil {
		return Receipt{}, err
	}
	if err := s.Store.CreateProposal(ctx, p, who, ack, rec); err != nil {
		if idempotency.Retried(err) {
			if prev, ok, perr := idempotency.Earlier[Receipt](ctx, s.Store, req); ok || perr != nil {
				return prev, perr // an earlier attempt with this key won
			}
		}
		return Receipt{}, fmt.Errorf("submit proposal to %s: %w", plan.ID, err)
	}
	if err := s.Mailer.Deliver(ctx, ack); err != nil {
		s.Log.Warn("acknowledgement email deferred to the sweeper", "proposalId", p.ID, "emailId", ack.ID, "code", apperr.CodeOf(err))
	}
	s.Log.Info("proposal submitted", "proposalId", p.ID, "planId", plan.ID, "theme", p.Theme, "region", p.Region, "lang", p.Lang)
	return receipt, nil
}

// newProposal is the pending proposal sub becomes, its proposer and the
// private link's token.
func (s *Service) newProposal(planID string, sub Submission, now time.Time) (Proposal, Proposer, string, error) {
	id, err := secret.NewID(s.Rand)
	if err != nil {
		return Proposal{}, Proposer{}, "", err
	}
	ref, err := newReference(s.Rand, now)
	if err != nil {
		return Proposal{}, Proposer{}, "", err
	}
	token, hash, err := secret.NewToken(s.Rand)
	if err != nil {
		return Proposal{}, Proposer{}, "", err
	}
	lang, _ := i18n.Parse(sub.Lang)
	p := Proposal{
		ID: id, Reference: ref, PlanID: planID, Theme: sub.Theme, Title: sub.Title, Problem: sub.Problem,
		Solution: sub.Solution, Impact: sub.Impact, Region: sub.Region, Lang: lang,
		Moderation: ModerationRecord{State: Pending}, TokenHash: hash,
		CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if sub.Proposer.MemberOrganisationID != "" {
		p.MemberOrganisation = &MemberOrganisation{ID: sub.Proposer.MemberOrganisationID, Name: sub.Proposer.Organisation}
	}
	who := Proposer{
		ProposalID: id, Name: sub.Proposer.Name, Email: sub.Proposer.Email, Organisation: sub.Proposer.Organisation,
		Lang: lang, Consent: Consent{At: now, NoticeVersion: s.NoticeVersion}, ExpiresAt: now.Add(ProposerRetention),
	}
	return p, who, token, nil
}
