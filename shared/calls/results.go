package calls

import (
	"context"
	"fmt"
	"slices"
	"time"

	"espaceosc/shared/apperr"
)

// PublishResults publishes a call's results: every submitted candidacy
// must have an outcome (409 listing those without one); the call becomes
// results_published; then each candidacy's outcome is recorded in its own
// transaction with its email (in the candidate's language), its public
// entry if selected and, for a GT call, the association's memberships of
// the working groups it applied for. Publishing again resumes where a
// failure stopped, and records nothing twice.
func (s *Service) PublishResults(ctx context.Context, callID string) (PublishView, error) {
	call, err := s.getCall(ctx, callID)
	if err != nil {
		return PublishView{}, err
	}
	if call.Status != StatusEvaluating && call.Status != StatusResultsPublished {
		return PublishView{}, errNotEvaluating
	}
	cs, err := s.allCandidacies(ctx, callID, CandidacySubmitted)
	if err != nil {
		return PublishView{}, err
	}
	slices.SortFunc(cs, func(a, b Candidacy) int { return a.Sequence - b.Sequence })
	var fs apperr.Fields
	for _, c := range cs {
		if c.Outcome == OutcomeNone {
			fs.Add("candidacies."+c.Reference, "calls.undecided", nil)
		}
	}
	if len(fs) > 0 {
		return PublishView{}, &apperr.Error{Code: apperr.Conflict, Key: "calls.undecided_candidacies", Fields: fs}
	}
	if call.Status == StatusEvaluating {
		if call, err = s.publishCall(ctx, call); err != nil {
			return PublishView{}, err
		}
	}
	v := PublishView{CallID: call.ID, Status: call.Status}
	for _, c := range cs {
		r, sel, members := result(c, call, s.clock())
		e, err := s.Mailer.Compose(c.Association.Email, c.Lang, KindOutcomeEmail, c.ID, outcomeData{
			Lang: c.Lang, Name: c.Representative.Name, Association: c.Association.Name, Call: call.Title.In(c.Lang),
			Reference: c.Reference, Outcome: c.Outcome,
		})
		if err != nil {
			return PublishView{}, err
		}
		if sel != nil {
			v.Selected++
		}
		err = s.Store.RecordResult(ctx, r, e, sel, members)
		if apperr.Is(err, apperr.Conflict) {
			v.Already++
			continue
		}
		if err != nil {
			return PublishView{}, fmt.Errorf("publish result of candidacy %s (publishing again resumes): %w", c.ID, err)
		}
		v.Notified++
		v.Memberships += len(members)
		s.deliver(ctx, e)
	}
	s.Log.Info("results published", "callId", call.ID, "notified", v.Notified, "already", v.Already, "selected", v.Selected)
	return v, nil
}

// result is the publication of c's outcome at now: the result, the public
// entry if c is selected and, for a GT call, its memberships of the call's
// working groups it applied for.
func result(c Candidacy, call Call, now time.Time) (Result, *Selected, []Membership) {
	r := Result{CallID: call.ID, CandidacyID: c.ID, Outcome: c.Outcome, At: now, ExpiresAt: c.ExpiresAt}
	if c.Outcome != OutcomeSelected {
		return r, nil, nil
	}
	a := c.Association
	sel := &Selected{CallID: call.ID, CandidacyID: c.ID, Sequence: c.Sequence, Name: a.Name, Acronym: a.Acronym, City: a.City, Region: a.Region}
	var members []Membership
	if call.Kind == KindGT {
		for _, g := range c.WorkingGroups {
			if !call.HasWorkingGroup(g) {
				continue
			}
			sel.Groups = append(sel.Groups, g)
			members = append(members, Membership{GroupID: g, CandidacyID: c.ID, CallID: call.ID, Name: a.Name,
				Acronym: a.Acronym, City: a.City, Region: a.Region, Since: now})
		}
	}
	return r, sel, members
}

// publishCall moves call to results_published (a publication that another
// request started is fine).
func (s *Service) publishCall(ctx context.Context, call Call) (Call, error) {
	for range updateAttempts {
		prev := call.Version
		call.Status, call.UpdatedAt, call.Version = StatusResultsPublished, s.clock(), prev+1
		err := s.Store.UpdateCall(ctx, call, prev)
		if apperr.Is(err, apperr.Conflict) {
			if call, err = s.getCall(ctx, call.ID); err != nil {
				return Call{}, err
			}
			if call.Status == StatusResultsPublished {
				return call, nil
			}
			if call.Status != StatusEvaluating {
				return Call{}, errNotEvaluating
			}
			continue
		}
		if err != nil {
			return Call{}, fmt.Errorf("publish call %s: %w", call.ID, err)
		}
		s.Log.Info("call results published", "callId", call.ID)
		return call, nil
	}
	return Call{}, errStale
}
