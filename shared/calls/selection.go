package calls

import (
	"context"
	"fmt"
	"slices"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/validate"
)

// The administrators' selection: a call's candidacies, assignments to
// evaluators, the scores, the ranking and the decisions.

// List lists a call's candidacies (all, or those with status), newest first.
func (s *Service) List(ctx context.Context, callID, status string, limit int, cursor string) ([]CandidacySummary, string, error) {
	if status != "" {
		var fs apperr.Fields
		if !validate.OneOf(&fs, "status", status, CandidacyStatuses...) {
			return nil, "", fs.Err()
		}
	}
	if _, err := s.getCall(ctx, callID); err != nil {
		return nil, "", err
	}
	cs, next, err := s.Store.ListCandidacies(ctx, callID, CandidacyStatus(status), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list candidacies of call %s: %w", callID, err)
	}
	out := make([]CandidacySummary, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Summary())
	}
	return out, next, nil
}

// ForAdmin returns a candidacy with every evaluator's scores and its
// weighted total.
func (s *Service) ForAdmin(ctx context.Context, id string, lang i18n.Lang) (AdminCandidacyView, error) {
	c, call, err := s.candidacy(ctx, id)
	if err != nil {
		return AdminCandidacyView{}, err
	}
	evs, err := s.Store.EvaluationsOf(ctx, c.ID)
	if err != nil {
		return AdminCandidacyView{}, fmt.Errorf("evaluations of candidacy %s: %w", c.ID, err)
	}
	return c.AdminView(call, evs, lang, s.now()), nil
}

// EvaluatorView is a member of the evaluators group as administrators
// choose among them.
type EvaluatorView struct {
	Sub   string `json:"sub"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Evaluators lists the members of the evaluators group, by name.
func (s *Service) Evaluators(ctx context.Context) ([]EvaluatorView, error) {
	if s.Directory == nil {
		return nil, fmt.Errorf("list evaluators: no directory")
	}
	list, err := s.Directory.Evaluators(ctx)
	if err != nil {
		return nil, fmt.Errorf("list evaluators: %w", err)
	}
	out := make([]EvaluatorView, 0, len(list))
	for _, e := range list {
		out = append(out, EvaluatorView(e))
	}
	return out, nil
}

// Assign assigns a submitted candidacy to evaluators (those already
// assigned are kept as they are) while its call is closed or evaluating.
// Each must be a member of the evaluators group.
func (s *Service) Assign(ctx context.Context, id, by string, in AssignInput) ([]EvaluationView, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkEvaluators(ctx, in.Evaluators); err != nil {
		return nil, err
	}
	c, call, err := s.candidacy(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != CandidacySubmitted {
		return nil, errNotSubmitted
	}
	if call.Status != StatusClosed && call.Status != StatusEvaluating {
		return nil, errNotAssignable
	}
	now := s.clock()
	for _, sub := range in.Evaluators {
		e := Evaluation{
			CandidacyID: c.ID, CallID: c.CallID, Evaluator: sub, Reference: c.Reference, Association: c.Association.Name,
			Status: EvaluationAssigned, AssignedBy: by, AssignedAt: now, ExpiresAt: c.ExpiresAt, Version: 1,
		}
		if err := s.Store.CreateEvaluation(ctx, e); err != nil && !apperr.Is(err, apperr.Conflict) {
			return nil, fmt.Errorf("assign candidacy %s: %w", c.ID, err)
		}
	}
	s.Log.Info("candidacy assigned", "candidacyId", c.ID, "evaluators", len(in.Evaluators))
	evs, err := s.Store.EvaluationsOf(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("evaluations of candidacy %s: %w", c.ID, err)
	}
	out := make([]EvaluationView, 0, len(evs))
	for _, e := range evs {
		out = append(out, e.View(call, i18n.FR))
	}
	return out, nil
}

// checkEvaluators refuses subs that are not members of the evaluators
// group: an assignment nobody can see or score.
func (s *Service) checkEvaluators(ctx context.Context, subs []string) error {
	if s.Directory == nil {
		return fmt.Errorf("assign: no directory")
	}
	members, err := s.Directory.Evaluators(ctx)
	if err != nil {
		return fmt.Errorf("assign: list evaluators: %w", err)
	}
	known := map[string]bool{}
	for _, m := range members {
		known[m.Sub] = true
	}
	var fs apperr.Fields
	for i, sub := range subs {
		if !known[sub] {
			fs.Add(fmt.Sprintf("evaluators[%d]", i), "calls.not_evaluator", nil)
		}
	}
	return fs.Err()
}

// Decide records the outcome of a submitted candidacy while its call is
// evaluating.
func (s *Service) Decide(ctx context.Context, id string, in DecisionInput, lang i18n.Lang) (AdminCandidacyView, error) {
	if err := in.Validate(); err != nil {
		return AdminCandidacyView{}, err
	}
	for range updateAttempts {
		c, call, err := s.candidacy(ctx, id)
		if err != nil {
			return AdminCandidacyView{}, err
		}
		if c.Status != CandidacySubmitted {
			return AdminCandidacyView{}, errNotSubmitted
		}
		if call.Status != StatusEvaluating {
			return AdminCandidacyView{}, errNotEvaluating
		}
		if c.Outcome != Outcome(in.Outcome) {
			prev := c.Version
			c.Outcome, c.UpdatedAt, c.Version = Outcome(in.Outcome), s.clock(), prev+1
			err = s.Store.UpdateCandidacy(ctx, c, prev, nil)
			if apperr.Is(err, apperr.Conflict) {
				continue
			}
			if err != nil {
				return AdminCandidacyView{}, fmt.Errorf("decide candidacy %s: %w", id, err)
			}
			s.Log.Info("candidacy decided", "candidacyId", c.ID, "outcome", c.Outcome)
		}
		return s.ForAdmin(ctx, id, lang)
	}
	return AdminCandidacyView{}, errStale
}

// allCandidacies reads every candidacy of a call (with status, if not empty).
func (s *Service) allCandidacies(ctx context.Context, callID string, status CandidacyStatus) ([]Candidacy, error) {
	var all []Candidacy
	cursor := ""
	for {
		page, next, err := s.Store.ListCandidacies(ctx, callID, status, 100, cursor)
		if err != nil {
			return nil, fmt.Errorf("list candidacies of call %s: %w", callID, err)
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		cursor = next
	}
}

// allEvaluations reads every evaluation of a call, by candidacy.
func (s *Service) allEvaluations(ctx context.Context, callID string) (map[string][]Evaluation, error) {
	out := map[string][]Evaluation{}
	cursor := ""
	for {
		page, next, err := s.Store.EvaluationsOfCall(ctx, callID, 200, cursor)
		if err != nil {
			return nil, fmt.Errorf("list evaluations of call %s: %w", callID, err)
		}
		for _, e := range page {
			out[e.CandidacyID] = append(out[e.CandidacyID], e)
		}
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

// Ranking ranks a call's submitted candidacies by weighted total, highest
// first (rankOrder).
func (s *Service) Ranking(ctx context.Context, callID string) (RankingView, error) {
	call, err := s.getCall(ctx, callID)
	if err != nil {
		return RankingView{}, err
	}
	cs, err := s.allCandidacies(ctx, callID, CandidacySubmitted)
	if err != nil {
		return RankingView{}, err
	}
	evs, err := s.allEvaluations(ctx, callID)
	if err != nil {
		return RankingView{}, err
	}
	items := make([]RankedView, 0, len(cs))
	for _, c := range cs {
		items = append(items, c.RankedView(Tally(call, evs[c.ID])))
	}
	slices.SortStableFunc(items, rankOrder)
	for i := range items {
		items[i].Rank = i + 1
	}
	return RankingView{CallID: call.ID, Status: call.Status, Seats: call.Seats, MaxTotal: maxTotal(call), Items: items}, nil
}
