package calls

import (
	"context"
	"fmt"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/validate"
)

// The evaluators' side: each sees only what is assigned to them, opens the
// dossier through short-lived links, scores the call's grid or recuses.

// assigned returns the evaluation of id by sub, 403 if sub is not assigned
// (an unknown candidacy answers the same, so ids cannot be probed).
func (s *Service) assigned(ctx context.Context, sub, id string) (Evaluation, error) {
	if !ValidID(id) || !ValidSub(sub) {
		return Evaluation{}, errNotAssigned
	}
	e, err := s.Store.GetEvaluation(ctx, id, sub)
	if apperr.Is(err, apperr.NotFound) {
		return Evaluation{}, errNotAssigned
	}
	if err != nil {
		return Evaluation{}, fmt.Errorf("get evaluation of candidacy %s: %w", id, err)
	}
	return e, nil
}

// MyAssignments lists what is assigned to the evaluator sub, latest first.
func (s *Service) MyAssignments(ctx context.Context, sub string, limit int, cursor string) ([]AssignmentView, string, error) {
	if !ValidSub(sub) {
		return nil, "", apperr.New(apperr.Unauthorized, "")
	}
	evs, next, err := s.Store.EvaluationsByEvaluator(ctx, sub, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list assignments: %w", err)
	}
	out := make([]AssignmentView, 0, len(evs))
	for _, e := range evs {
		out = append(out, e.AssignmentView())
	}
	return out, next, nil
}

// ForEvaluator returns an assigned candidacy as its evaluator sees it, with
// links to its verified documents valid DocumentLinkTTL (none once recused).
func (s *Service) ForEvaluator(ctx context.Context, sub, id string, lang i18n.Lang) (EvaluatorCandidacyView, error) {
	e, err := s.assigned(ctx, sub, id)
	if err != nil {
		return EvaluatorCandidacyView{}, err
	}
	c, call, err := s.candidacy(ctx, id)
	if err != nil {
		return EvaluatorCandidacyView{}, err
	}
	v := c.EvaluatorView(call, e, lang)
	if e.Status != EvaluationRecused {
		now := s.now()
		for i, d := range v.Documents {
			doc, _, _ := c.Document(d.Type)
			u, err := s.Files.PresignGet(ctx, doc.Key, "", "", DocumentLinkTTL)
			if err != nil {
				return EvaluatorCandidacyView{}, fmt.Errorf("presign document of candidacy %s: %w", c.ID, err)
			}
			v.Documents[i].URL, v.Documents[i].ExpiresAt = u, rfc3339(now.Add(DocumentLinkTTL))
		}
	}
	s.Log.Info("candidacy opened by evaluator", "candidacyId", c.ID, "documents", len(v.Documents))
	return v, nil
}

// Score records the evaluator's scores (replacing earlier ones) while the
// call is evaluating.
func (s *Service) Score(ctx context.Context, sub, id string, in ScoreInput, lang i18n.Lang) (EvaluationView, error) {
	return s.changeEvaluation(ctx, sub, id, lang, func(e *Evaluation, call Call, now time.Time) error {
		scores, err := in.Validate(call)
		if err != nil {
			return err
		}
		if e.Status == EvaluationRecused {
			return errRecused
		}
		if call.Status != StatusEvaluating {
			return errNotEvaluating
		}
		e.Scores, e.Status, e.ScoredAt = scores, EvaluationScored, now
		return nil
	})
}

// Recuse declares the evaluator's conflict of interest: their scores no
// longer count and they can no longer score or open the dossier.
func (s *Service) Recuse(ctx context.Context, sub, id string, in RecuseInput, lang i18n.Lang) (EvaluationView, error) {
	var fs apperr.Fields
	validate.Text(&fs, "reason", in.Reason, 3, MaxReasonRunes, false)
	if err := fs.Err(); err != nil {
		return EvaluationView{}, err
	}
	return s.changeEvaluation(ctx, sub, id, lang, func(e *Evaluation, call Call, now time.Time) error {
		if e.Status == EvaluationRecused {
			return errRecused
		}
		if call.Status != StatusEvaluating && call.Status != StatusClosed {
			return errNotEvaluating
		}
		e.Status, e.Reason, e.RecusedAt, e.Scores = EvaluationRecused, strings.TrimSpace(in.Reason), now, nil
		return nil
	})
}

func (s *Service) changeEvaluation(ctx context.Context, sub, id string, lang i18n.Lang, change func(*Evaluation, Call, time.Time) error) (EvaluationView, error) {
	for range updateAttempts {
		e, err := s.assigned(ctx, sub, id)
		if err != nil {
			return EvaluationView{}, err
		}
		call, err := s.Store.GetCall(ctx, e.CallID)
		if err != nil {
			return EvaluationView{}, fmt.Errorf("call %s: %w", e.CallID, err)
		}
		now := s.clock()
		prev := e.Version
		if err := change(&e, call, now); err != nil {
			return EvaluationView{}, err
		}
		e.Version = prev + 1
		err = s.Store.UpdateEvaluation(ctx, e, prev)
		if apperr.Is(err, apperr.Conflict) {
			continue
		}
		if err != nil {
			return EvaluationView{}, fmt.Errorf("update evaluation of candidacy %s: %w", id, err)
		}
		s.Log.Info("evaluation recorded", "candidacyId", id, "status", e.Status)
		return e.View(call, lang), nil
	}
	return EvaluationView{}, errStale
}
