package cocreation

import (
	"context"
	"errors"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/secret"
)

// A support counts once it is confirmed: RequestSupport records the address
// with a confirmation link valid ConfirmationValidity and emails it;
// ConfirmSupport, given the link, records one support per address and
// proposal and adds it to the counts, both in one transaction, so that any
// number of concurrent confirmations of one address count it once.

// supportAttempts bounds the re-reads of ConfirmSupport when the proposal
// changes (moderation, response) between its read and its write.
const supportAttempts = 3

// RequestSupport sends a confirmation link for a support of the published
// proposal id by in.Email. An unknown or unpublished proposal is NotFound;
// nothing is stored then. The address's support is not revealed: the answer
// is the same whether it already supports the proposal or not.
func (s *Service) RequestSupport(ctx context.Context, proposalID string, in SupportInput) (SupportReceipt, error) {
	if err := in.Validate(); err != nil {
		return SupportReceipt{}, err
	}
	p, err := s.getProposal(ctx, proposalID)
	if err != nil {
		return SupportReceipt{}, err
	}
	if !p.Public() {
		return SupportReceipt{}, apperr.New(apperr.NotFound, "cocreation.not_supportable")
	}
	plan, err := s.getPlan(ctx, p.PlanID)
	if err != nil {
		return SupportReceipt{}, fmt.Errorf("plan of proposal %s: %w", p.ID, err)
	}
	now := s.clock()
	id, err := secret.NewID(s.Rand)
	if err != nil {
		return SupportReceipt{}, err
	}
	token, hash, err := secret.NewToken(s.Rand)
	if err != nil {
		return SupportReceipt{}, err
	}
	lang, _ := i18n.Parse(in.Lang)
	r := SupportRequest{
		ID: id, ProposalID: p.ID, PlanID: p.PlanID, Email: in.Email, Lang: lang,
		Consent: Consent{At: now, NoticeVersion: s.NoticeVersion}, TokenHash: hash,
		CreatedAt: now, ExpiresAt: now.Add(ConfirmationValidity), SupportExpiresAt: plan.supportExpiry(now),
	}
	e, err := s.Mailer.Compose(r.Email, lang, KindSupportConfirm, r.ID, supportData{
		Lang: lang, Title: p.Title, Reference: p.Reference, Link: SupportLink(s.PortalOrigin, lang, r.ID, token),
		ValidUntil: r.ExpiresAt.In(i18n.Casablanca).Format("02/01/2006 15:04"),
	})
	if err != nil {
		return SupportReceipt{}, err
	}
	if err := s.Store.CreateSupportRequest(ctx, r, e); err != nil {
		return SupportReceipt{}, fmt.Errorf("support request for %s: %w", p.ID, err)
	}
	if err := s.Mailer.Deliver(ctx, e); err != nil {
		s.Log.Warn("support confirmation email deferred to the sweeper", "supportRequestId", r.ID, "emailId", e.ID, "code", apperr.CodeOf(err))
	}
	s.Log.Info("support requested", "supportRequestId", r.ID, "proposalId", p.ID)
	return SupportReceipt{ProposalID: p.ID, ConfirmBy: rfc3339(r.ExpiresAt)}, nil
}

// ConfirmSupport counts the support the request id waits for, given its
// token. A wrong token is the same NotFound as an unknown request; an
// expired link is a Conflict; a proposal no longer published is a Conflict;
// in each case nothing changes. Confirming an address that already supports
// the proposal (the same link again, or another request) counts nothing and
// says so.
func (s *Service) ConfirmSupport(ctx context.Context, id string, in ConfirmInput) (Confirmation, error) {
	if !ValidID(id) || in.Token == "" || len(in.Token) > TokenMax {
		return Confirmation{}, errSupportNotFound
	}
	r, err := s.Store.GetSupportRequest(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Confirmation{}, errSupportNotFound
	}
	if err != nil {
		return Confirmation{}, fmt.Errorf("get support request %s: %w", id, err)
	}
	if !r.TokenMatches(in.Token) {
		return Confirmation{}, errSupportNotFound
	}
	now := s.clock()
	if !now.Before(r.ExpiresAt) {
		return Confirmation{}, apperr.New(apperr.Conflict, "cocreation.support_expired")
	}
	sup := Support{
		ProposalID: r.ProposalID, EmailHash: secret.EmailHash(r.Email), RequestID: r.ID,
		Consent: r.Consent, ConfirmedAt: now, ExpiresAt: r.SupportExpiresAt,
	}
	var lastErr error
	for range supportAttempts {
		p, err := s.getProposal(ctx, r.ProposalID)
		if err != nil {
			return Confirmation{}, fmt.Errorf("proposal of support request %s: %w", id, err)
		}
		if !p.Public() {
			return Confirmation{}, apperr.New(apperr.Conflict, "cocreation.not_supportable")
		}
		err = s.Store.AddSupport(ctx, p, sup)
		switch {
		case errors.Is(err, ErrAlreadySupported):
			s.Log.Info("support already counted", "supportRequestId", r.ID, "proposalId", p.ID)
			return Confirmation{ProposalID: p.ID, Reference: p.Reference, Counted: false}, nil
		case apperr.Is(err, apperr.Conflict):
			lastErr = err
			continue // moderated or answered meanwhile: read again
		case err != nil:
			return Confirmation{}, fmt.Errorf("add support to %s: %w", p.ID, err)
		}
		s.Log.Info("support counted", "supportRequestId", r.ID, "proposalId", p.ID)
		return Confirmation{ProposalID: p.ID, Reference: p.Reference, Counted: true}, nil
	}
	return Confirmation{}, apperr.Wrap(apperr.Conflict, "cocreation.changed", lastErr)
}
