package calls

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/validate"
)

// Evaluations is the evaluation and results logic: assignments, scores,
// recusals, ranking, decisions, exports and publication. Functions wire
// only what their routes use (the public results need no Files and no
// Deliverer).
type Evaluations struct {
	store  Store
	evals  EvaluationStore
	files  Files
	outbox Deliverer
	log    *slog.Logger
	now    func() time.Time
	rand   io.Reader
}

// NewEvaluations returns the evaluation service.
func NewEvaluations(store Store, evals EvaluationStore, files Files, ob Deliverer, log *slog.Logger) *Evaluations {
	if log == nil {
		log = slog.Default()
	}
	return &Evaluations{store: store, evals: evals, files: files, outbox: ob, log: log,
		now: func() time.Time { return time.Now().UTC() }, rand: defaultRand}
}

// WithClock replaces the clock (tests).
func (s *Evaluations) WithClock(now func() time.Time) *Evaluations {
	c := *s
	c.now = now
	return &c
}

var (
	errNotAssigned    = apperr.New(apperr.Forbidden, "calls.not_assigned")
	errNotEvaluating  = apperr.New(apperr.Conflict, "calls.not_evaluating")
	errRecused        = apperr.New(apperr.Conflict, "calls.recused")
	errNotSubmitted   = apperr.New(apperr.Conflict, "calls.not_submitted")
	errNotAssignable  = apperr.New(apperr.Conflict, "calls.not_assignable")
	errNotPublished   = apperr.New(apperr.NotFound, "calls.results_not_published")
	errCandNotFound   = apperr.New(apperr.NotFound, "calls.candidacy_not_found")
	errNoVerifiedDocs = apperr.New(apperr.Conflict, "calls.no_documents")
)

// candidacy returns a candidacy and its call (admins).
func (s *Evaluations) candidacy(ctx context.Context, id string) (Candidacy, Call, error) {
	if !ValidID(id) {
		return Candidacy{}, Call{}, errCandNotFound
	}
	c, err := s.store.GetCandidacy(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Candidacy{}, Call{}, errCandNotFound
	}
	if err != nil {
		return Candidacy{}, Call{}, err
	}
	call, err := s.store.GetCall(ctx, c.CallID)
	if err != nil {
		return Candidacy{}, Call{}, fmt.Errorf("call %s of candidacy %s: %w", c.CallID, c.ID, err)
	}
	return c, call, nil
}

func (s *Evaluations) call(ctx context.Context, id string) (Call, error) {
	if !ValidCallID(id) {
		return Call{}, errCallNotFound
	}
	c, err := s.store.GetCall(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Call{}, errCallNotFound
	}
	return c, err
}

// ---------------------------------------------------------------- assignments (admins)

// AssignInput is the body of POST /api/admin/candidacies/{id}/assignments.
type AssignInput struct {
	Evaluators []string `json:"evaluators"`
}

// Validate checks the evaluators' subs.
func (in AssignInput) Validate() error {
	var fs apperr.Fields
	switch {
	case len(in.Evaluators) == 0:
		fs.Add("evaluators", "required", nil)
	case len(in.Evaluators) > MaxEvaluatorsPerRequest:
		fs.Add("evaluators", "calls.too_many", map[string]any{"max": MaxEvaluatorsPerRequest})
	}
	seen := map[string]bool{}
	for i, sub := range in.Evaluators {
		f := fmt.Sprintf("evaluators[%d]", i)
		switch {
		case !ValidSub(sub):
			fs.Add(f, "calls.sub", nil)
		case seen[sub]:
			fs.Add(f, "calls.duplicate", nil)
		}
		seen[sub] = true
	}
	return fs.Err()
}

// Assign assigns a submitted candidacy to evaluators (those already
// assigned are kept as they are) while its call is closed or evaluating.
func (s *Evaluations) Assign(ctx context.Context, id, by string, in AssignInput) ([]EvaluationView, error) {
	if err := in.Validate(); err != nil {
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
	now := s.now().Truncate(time.Second)
	for _, sub := range in.Evaluators {
		e := Evaluation{
			CandidacyID: c.ID, CallID: c.CallID, Evaluator: sub, Reference: c.Reference, Association: c.Association.Name,
			Status: EvaluationAssigned, AssignedBy: by, AssignedAt: now, ExpiresAt: c.ExpiresAt, Version: 1,
		}
		err := s.evals.CreateEvaluation(ctx, e)
		if err != nil && !apperr.Is(err, apperr.Conflict) {
			return nil, fmt.Errorf("assign candidacy %s: %w", c.ID, err)
		}
	}
	s.log.Info("candidacy assigned", "candidacyId", c.ID, "evaluators", len(in.Evaluators))
	evs, err := s.evals.EvaluationsOf(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]EvaluationView, 0, len(evs))
	for _, e := range evs {
		out = append(out, e.View(call, i18n.FR))
	}
	return out, nil
}

// ---------------------------------------------------------------- evaluators

// assigned returns the evaluation of id by sub, 403 if sub is not assigned
// (an unknown candidacy answers the same, so ids cannot be probed).
func (s *Evaluations) assigned(ctx context.Context, sub, id string) (Evaluation, error) {
	if !ValidID(id) || !ValidSub(sub) {
		return Evaluation{}, errNotAssigned
	}
	e, err := s.evals.GetEvaluation(ctx, id, sub)
	if apperr.Is(err, apperr.NotFound) {
		return Evaluation{}, errNotAssigned
	}
	return e, err
}

// MyAssignments lists what is assigned to the evaluator sub.
func (s *Evaluations) MyAssignments(ctx context.Context, sub string, limit int, cursor string) ([]AssignmentView, string, error) {
	if !ValidSub(sub) {
		return nil, "", apperr.New(apperr.Unauthorized, "")
	}
	evs, next, err := s.evals.EvaluationsByEvaluator(ctx, sub, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	out := make([]AssignmentView, 0, len(evs))
	for _, e := range evs {
		out = append(out, AssignmentView{CandidacyID: e.CandidacyID, CallID: e.CallID, Reference: e.Reference,
			Association: e.Association, Status: e.Status, AssignedAt: rfc3339(e.AssignedAt), ScoredAt: rfc3339(e.ScoredAt)})
	}
	return out, next, nil
}

// ForEvaluator returns an assigned candidacy as its evaluator sees it, with
// links to its verified documents valid DocumentLinkTTL (none once recused).
func (s *Evaluations) ForEvaluator(ctx context.Context, sub, id string, lang i18n.Lang) (EvaluatorCandidacyView, error) {
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
			u, err := s.files.PresignDownload(ctx, doc.Key, DocumentLinkTTL)
			if err != nil {
				return EvaluatorCandidacyView{}, fmt.Errorf("presign document of candidacy %s: %w", c.ID, err)
			}
			v.Documents[i].URL, v.Documents[i].ExpiresAt = u, rfc3339(now.Add(DocumentLinkTTL))
		}
	}
	s.log.Info("candidacy opened by evaluator", "candidacyId", c.ID, "documents", len(v.Documents))
	return v, nil
}

// ScoreInput is the body of PUT /api/evaluator/candidacies/{id}/score.
type ScoreInput struct {
	Scores []ScoreItem `json:"scores"`
}

// ScoreItem is one criterion's score.
type ScoreItem struct {
	Criterion string `json:"criterion"`
	Score     *int   `json:"score"`
	Comment   string `json:"comment"`
}

// Validate checks in against the call's grid: every criterion once, each
// score within 0..MaxScore, each comment at most MaxCommentRunes. It
// returns the scores in the grid's order.
func (in ScoreInput) Validate(call Call) ([]Score, error) {
	var fs apperr.Fields
	if len(in.Scores) == 0 {
		fs.Add("scores", "required", nil)
		return nil, fs.Err()
	}
	if len(in.Scores) > len(call.Criteria) {
		fs.Add("scores", "calls.too_many", map[string]any{"max": len(call.Criteria)})
	}
	given := map[string]Score{}
	for i, it := range in.Scores {
		f := fmt.Sprintf("scores[%d]", i)
		var crit Criterion
		found := false
		for _, k := range call.Criteria {
			if k.ID == it.Criterion {
				crit, found = k, true
			}
		}
		switch {
		case it.Criterion == "":
			fs.Add(f+".criterion", "required", nil)
		case !found:
			fs.Add(f+".criterion", "calls.unknown_criterion", nil)
		case given[it.Criterion].Criterion != "":
			fs.Add(f+".criterion", "calls.duplicate", nil)
		}
		switch {
		case it.Score == nil:
			fs.Add(f+".score", "required", nil)
		case found && (*it.Score < 0 || *it.Score > crit.MaxScore):
			fs.Add(f+".score", "range", map[string]any{"min": 0, "max": crit.MaxScore})
		}
		validate.Text(&fs, f+".comment", it.Comment, 0, MaxCommentRunes, false)
		if found && it.Score != nil {
			given[it.Criterion] = Score{Criterion: it.Criterion, Score: *it.Score, Comment: strings.TrimSpace(it.Comment)}
		}
	}
	var missing []string
	for _, k := range call.Criteria {
		if _, ok := given[k.ID]; !ok && !slices.ContainsFunc(in.Scores, func(it ScoreItem) bool { return it.Criterion == k.ID }) {
			missing = append(missing, k.ID)
		}
	}
	if len(missing) > 0 {
		fs.Add("scores", "calls.missing_criteria", map[string]any{"criteria": strings.Join(missing, ", ")})
	}
	if err := fs.Err(); err != nil {
		return nil, err
	}
	out := make([]Score, 0, len(call.Criteria))
	for _, k := range call.Criteria {
		out = append(out, given[k.ID])
	}
	return out, nil
}

// Score records the evaluator's scores (replacing earlier ones) while the
// call is evaluating.
func (s *Evaluations) Score(ctx context.Context, sub, id string, in ScoreInput, lang i18n.Lang) (EvaluationView, error) {
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

// RecuseInput is the body of POST /api/evaluator/candidacies/{id}/recuse.
type RecuseInput struct {
	Reason string `json:"reason"`
}

// Recuse declares the evaluator's conflict of interest: their scores no
// longer count and they can no longer score or open the dossier.
func (s *Evaluations) Recuse(ctx context.Context, sub, id string, in RecuseInput, lang i18n.Lang) (EvaluationView, error) {
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

func (s *Evaluations) changeEvaluation(ctx context.Context, sub, id string, lang i18n.Lang, change func(*Evaluation, Call, time.Time) error) (EvaluationView, error) {
	for range updateAttempts {
		e, err := s.assigned(ctx, sub, id)
		if err != nil {
			return EvaluationView{}, err
		}
		call, err := s.store.GetCall(ctx, e.CallID)
		if err != nil {
			return EvaluationView{}, fmt.Errorf("call %s: %w", e.CallID, err)
		}
		now := s.now().Truncate(time.Second)
		prev := e.Version
		if err := change(&e, call, now); err != nil {
			return EvaluationView{}, err
		}
		e.Version = prev + 1
		err = s.evals.UpdateEvaluation(ctx, e, prev)
		if apperr.Is(err, apperr.Conflict) {
			continue
		}
		if err != nil {
			return EvaluationView{}, fmt.Errorf("update evaluation of candidacy %s: %w", id, err)
		}
		s.log.Info("evaluation recorded", "candidacyId", id, "status", e.Status)
		return e.View(call, lang), nil
	}
	return EvaluationView{}, errStale
}

// ---------------------------------------------------------------- admins

// List lists a call's candidacies (all, or those with status), newest first.
func (s *Evaluations) List(ctx context.Context, callID, status string, limit int, cursor string) ([]CandidacySummary, string, error) {
	if status != "" {
		var fs apperr.Fields
		if !validate.OneOf(&fs, "status", status, CandidacyStatuses...) {
			return nil, "", fs.Err()
		}
	}
	if _, err := s.call(ctx, callID); err != nil {
		return nil, "", err
	}
	cs, next, err := s.store.ListCandidacies(ctx, callID, CandidacyStatus(status), limit, cursor)
	if err != nil {
		return nil, "", err
	}
	out := make([]CandidacySummary, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Summary())
	}
	return out, next, nil
}

// ForAdmin returns a candidacy with every evaluator's scores and its
// weighted total.
func (s *Evaluations) ForAdmin(ctx context.Context, id string, lang i18n.Lang) (AdminCandidacyView, error) {
	c, call, err := s.candidacy(ctx, id)
	if err != nil {
		return AdminCandidacyView{}, err
	}
	evs, err := s.evals.EvaluationsOf(ctx, c.ID)
	if err != nil {
		return AdminCandidacyView{}, err
	}
	v := AdminCandidacyView{CandidacyView: c.View(call, lang, s.now()), Outcome: c.Outcome, Evaluations: []EvaluationView{}}
	for _, e := range evs {
		v.Evaluations = append(v.Evaluations, e.View(call, lang))
	}
	t := Tally(call, evs)
	v.Total, v.Percent, v.Scored, v.Recused = t.Total, t.Percent, t.Scored, t.Recused
	return v, nil
}

// DecisionInput is the body of POST /api/admin/candidacies/{id}/decision.
type DecisionInput struct {
	Outcome string `json:"outcome"`
}

// Decide records the outcome of a submitted candidacy while its call is evaluating.
func (s *Evaluations) Decide(ctx context.Context, id string, in DecisionInput, lang i18n.Lang) (AdminCandidacyView, error) {
	var fs apperr.Fields
	if !validate.OneOf(&fs, "outcome", in.Outcome, Outcomes...) {
		return AdminCandidacyView{}, fs.Err()
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
			c.Outcome, c.UpdatedAt, c.Version = Outcome(in.Outcome), s.now().Truncate(time.Second), prev+1
			err = s.store.UpdateCandidacy(ctx, c, prev, nil)
			if apperr.Is(err, apperr.Conflict) {
				continue
			}
			if err != nil {
				return AdminCandidacyView{}, fmt.Errorf("decide candidacy %s: %w", id, err)
			}
			s.log.Info("candidacy decided", "candidacyId", c.ID, "outcome", c.Outcome)
		}
		return s.ForAdmin(ctx, id, lang)
	}
	return AdminCandidacyView{}, errStale
}

// Tallied is a candidacy's tally of scores.
type Tallied struct {
	Total   *float64 // mean over counting evaluations of Σ weight·score/max; nil when none counts
	Percent *float64 // Total as a percentage of Σ weight
	Scored  int      // evaluations that count
	Recused int
	// Means is each criterion's mean score (same order as the call's criteria); nil entries when none counts.
	Means []*float64
}

// Tally computes a candidacy's weighted total from its evaluations: for
// each evaluator who scored and did not recuse, Σ weight·score/maxScore
// over the call's criteria; the total is their mean.
func Tally(call Call, evs []Evaluation) Tallied {
	var t Tallied
	sums := make([]float64, len(call.Criteria))
	var sum float64
	weights := 0
	for _, k := range call.Criteria {
		weights += k.Weight
	}
	for _, e := range evs {
		if e.Status == EvaluationRecused {
			t.Recused++
			continue
		}
		if !e.Counts() {
			continue
		}
		t.Scored++
		for i, k := range call.Criteria {
			for _, sc := range e.Scores {
				if sc.Criterion == k.ID && k.MaxScore > 0 {
					sum += float64(k.Weight) * float64(sc.Score) / float64(k.MaxScore)
					sums[i] += float64(sc.Score)
				}
			}
		}
	}
	t.Means = make([]*float64, len(call.Criteria))
	if t.Scored == 0 {
		return t
	}
	total := round2(sum / float64(t.Scored))
	t.Total = &total
	if weights > 0 {
		p := round2(100 * sum / float64(t.Scored) / float64(weights))
		t.Percent = &p
	}
	for i := range sums {
		m := round2(sums[i] / float64(t.Scored))
		t.Means[i] = &m
	}
	return t
}

func round2(f float64) float64 {
	if f < 0 {
		return -round2(-f)
	}
	return float64(int64(f*100+0.5)) / 100
}

// allCandidacies reads every candidacy of a call (with status, if not empty).
func (s *Evaluations) allCandidacies(ctx context.Context, callID string, status CandidacyStatus) ([]Candidacy, error) {
	var all []Candidacy
	cursor := ""
	for {
		page, next, err := s.store.ListCandidacies(ctx, callID, status, 100, cursor)
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
func (s *Evaluations) allEvaluations(ctx context.Context, callID string) (map[string][]Evaluation, error) {
	out := map[string][]Evaluation{}
	cursor := ""
	for {
		page, next, err := s.evals.EvaluationsOfCall(ctx, callID, 200, cursor)
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
// first; candidacies nobody scored come last; ties keep the order of
// submission (the reference), so the ranking is stable.
func (s *Evaluations) Ranking(ctx context.Context, callID string) (RankingView, error) {
	call, err := s.call(ctx, callID)
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
		t := Tally(call, evs[c.ID])
		items = append(items, RankedView{CandidacyID: c.ID, Reference: c.Reference, Sequence: c.Sequence,
			Association: c.Association.Name, Acronym: c.Association.Acronym,
			Total: t.Total, Percent: t.Percent, Scored: t.Scored, Recused: t.Recused, Outcome: c.Outcome})
	}
	slices.SortStableFunc(items, func(a, b RankedView) int {
		switch {
		case a.Total == nil && b.Total != nil:
			return 1
		case a.Total != nil && b.Total == nil:
			return -1
		case a.Total != nil && b.Total != nil && *a.Total != *b.Total:
			return cmp.Compare(*b.Total, *a.Total)
		}
		if c := cmp.Compare(a.Sequence, b.Sequence); c != 0 {
			return c
		}
		return strings.Compare(a.CandidacyID, b.CandidacyID)
	})
	max := 0
	for _, k := range call.Criteria {
		max += k.Weight
	}
	for i := range items {
		items[i].Rank = i + 1
	}
	return RankingView{CallID: call.ID, Status: call.Status, Seats: call.Seats, MaxTotal: max, Items: items}, nil
}
