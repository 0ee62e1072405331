package cocreation

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/validate"
)

// Config is what the service is built from.
type Config struct {
	Store         Store
	Mailer        Mailer
	PortalOrigin  string // builds the links in emails
	NoticeVersion string // stored with every consent
	Log           *slog.Logger
	Now           func() time.Time // nil: the system clock
	Rand          io.Reader        // nil: crypto/rand
}

// Service is the capability's logic. Its methods return the views the API
// shows, computed with the service's clock.
type Service struct{ Config }

// NewService returns the service of cfg.
func NewService(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	return &Service{cfg}
}

// clock is the service's time, UTC, to the second (as stored and shown).
func (s *Service) clock() time.Time { return s.Now().UTC().Truncate(time.Second) }

var (
	errPlanNotFound       = apperr.New(apperr.NotFound, "cocreation.plan_not_found")
	errProposalNotFound   = apperr.New(apperr.NotFound, "cocreation.proposal_not_found")
	errCommitmentNotFound = apperr.New(apperr.NotFound, "cocreation.commitment_not_found")
	errSupportNotFound    = apperr.New(apperr.NotFound, "cocreation.support_not_found")
)

// getPlan reads a plan; a malformed or unknown ID is errPlanNotFound.
func (s *Service) getPlan(ctx context.Context, id string) (Plan, error) {
	if !ValidPlanID(id) {
		return Plan{}, errPlanNotFound
	}
	p, err := s.Store.GetPlan(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Plan{}, errPlanNotFound
	}
	if err != nil {
		return Plan{}, fmt.Errorf("get plan %s: %w", id, err)
	}
	return p, nil
}

// getProposal reads a proposal, public or not; a malformed or unknown ID is
// errProposalNotFound.
func (s *Service) getProposal(ctx context.Context, id string) (Proposal, error) {
	if !ValidID(id) {
		return Proposal{}, errProposalNotFound
	}
	p, err := s.Store.GetProposal(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Proposal{}, errProposalNotFound
	}
	if err != nil {
		return Proposal{}, fmt.Errorf("get proposal %s: %w", id, err)
	}
	return p, nil
}

// getCommitment reads a commitment; a malformed or unknown ID is
// errCommitmentNotFound.
func (s *Service) getCommitment(ctx context.Context, id string) (Commitment, error) {
	if !ValidID(id) {
		return Commitment{}, errCommitmentNotFound
	}
	c, err := s.Store.GetCommitment(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Commitment{}, errCommitmentNotFound
	}
	if err != nil {
		return Commitment{}, fmt.Errorf("get commitment %s: %w", id, err)
	}
	return c, nil
}

// ListPlans returns the plans in lang, newest first, and the next page's
// cursor ("" on the last).
func (s *Service) ListPlans(ctx context.Context, lang i18n.Lang, limit int, cursor string) ([]PlanView, string, error) {
	plans, next, err := s.Store.ListPlans(ctx, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list plans: %w", err)
	}
	now := s.clock()
	return views(plans, func(p Plan) PlanView { return p.View(lang, now) }), next, nil
}

// Plan returns the plan id in lang: its timeline, the current phase and its
// themes. Returns NotFound.
func (s *Service) Plan(ctx context.Context, id string, lang i18n.Lang) (PlanView, error) {
	p, err := s.getPlan(ctx, id)
	if err != nil {
		return PlanView{}, err
	}
	return p.View(lang, s.clock()), nil
}

// parseFilter reads the public listing's ?theme= and ?status=. Returns
// Invalid (fields "theme", "status").
func parseFilter(theme, status string) (Filter, error) {
	var fs apperr.Fields
	if theme != "" && !ValidThemeID(theme) {
		fs.Add("theme", "cocreation.slug", nil)
	}
	if status != "" {
		validate.OneOf(&fs, "status", status, Statuses...)
	}
	return Filter{Theme: theme, Status: Status(status)}, fs.Err()
}

// Proposals returns the published proposals of the plan planID in lang,
// newest first, narrowed by theme and status ("" for any), and the next
// page's cursor. An unknown plan or theme lists nothing. Returns Invalid.
func (s *Service) Proposals(ctx context.Context, planID, theme, status string, lang i18n.Lang, limit int, cursor string) ([]ProposalView, string, error) {
	f, err := parseFilter(theme, status)
	if err != nil {
		return nil, "", err
	}
	if !ValidPlanID(planID) {
		return []ProposalView{}, "", nil
	}
	items, next, err := s.Store.ListPublished(ctx, planID, f, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list published proposals of %s: %w", planID, err)
	}
	return views(items, func(p Proposal) ProposalView { return p.View(lang) }), next, nil
}

// Proposal returns a proposal in lang: the public view of a published one
// or, with its private token, the proposer's view whatever its moderation.
// Anything else (unknown, unpublished, wrong token) is the same NotFound.
func (s *Service) Proposal(ctx context.Context, id, token string, lang i18n.Lang) (AuthorView, error) {
	if len(token) > TokenMax {
		return AuthorView{}, errProposalNotFound
	}
	p, err := s.getProposal(ctx, id)
	if err != nil {
		return AuthorView{}, err
	}
	if token != "" && !p.TokenMatches(token) || token == "" && !p.Public() {
		return AuthorView{}, errProposalNotFound
	}
	v := AuthorView{ProposalView: p.View(lang)}
	if token != "" {
		v.Moderation = p.Moderation.State
	}
	if p.CommitmentID != "" {
		c, err := s.getCommitment(ctx, p.CommitmentID)
		if err != nil {
			return AuthorView{}, fmt.Errorf("commitment of proposal %s: %w", id, err)
		}
		v.Commitment = c.Ref(lang)
	}
	return v, nil
}

// Commitments returns the commitments of the plan planID in lang, by
// number, and the next page's cursor. An unknown plan lists nothing.
func (s *Service) Commitments(ctx context.Context, planID string, lang i18n.Lang, limit int, cursor string) ([]CommitmentView, string, error) {
	if !ValidPlanID(planID) {
		return []CommitmentView{}, "", nil
	}
	items, next, err := s.Store.ListCommitments(ctx, planID, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list commitments of %s: %w", planID, err)
	}
	return views(items, func(c Commitment) CommitmentView { return c.View(lang) }), next, nil
}

// Commitment returns the commitment id in lang with the published proposals
// behind it. Returns NotFound.
func (s *Service) Commitment(ctx context.Context, id string, lang i18n.Lang) (CommitmentView, error) {
	c, err := s.getCommitment(ctx, id)
	if err != nil {
		return CommitmentView{}, err
	}
	ps, err := s.Store.CommitmentProposals(ctx, id)
	if err != nil {
		return CommitmentView{}, fmt.Errorf("proposals of commitment %s: %w", id, err)
	}
	v := c.View(lang)
	v.Proposals = views(ps, func(p Proposal) ProposalView { return p.View(lang) })
	return v, nil
}
