package callsdb

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
)

type scoreItem struct {
	Criterion string `dynamodbav:"criterion"`
	Score     int    `dynamodbav:"score"`
	Comment   string `dynamodbav:"comment,omitempty"`
}

type evalItem struct {
	PK          string      `dynamodbav:"PK"`
	SK          string      `dynamodbav:"SK"`
	GSI1PK      string      `dynamodbav:"GSI1PK"`
	GSI1SK      string      `dynamodbav:"GSI1SK"`
	GSI2PK      string      `dynamodbav:"GSI2PK"`
	GSI2SK      string      `dynamodbav:"GSI2SK"`
	Type        string      `dynamodbav:"type"`
	CandidacyID string      `dynamodbav:"candidacyId"`
	CallID      string      `dynamodbav:"callId"`
	Evaluator   string      `dynamodbav:"evaluator"`
	Reference   string      `dynamodbav:"reference,omitempty"`
	Association string      `dynamodbav:"association,omitempty"`
	Status      string      `dynamodbav:"status"`
	Scores      []scoreItem `dynamodbav:"scores,omitempty"`
	Reason      string      `dynamodbav:"reason,omitempty"`
	AssignedBy  string      `dynamodbav:"assignedBy,omitempty"`
	AssignedAt  string      `dynamodbav:"assignedAt"`
	ScoredAt    string      `dynamodbav:"scoredAt,omitempty"`
	RecusedAt   string      `dynamodbav:"recusedAt,omitempty"`
	ExpiresAt   int64       `dynamodbav:"expiresAt,omitempty"`
	Version     int         `dynamodbav:"version"`
}

func evalSK(evaluator string) string { return ddbstore.JoinKey("EVAL", evaluator) }

func toEvalItem(e calls.Evaluation) evalItem {
	it := evalItem{
		PK: candPK(e.CandidacyID), SK: evalSK(e.Evaluator),
		GSI1PK: ddbstore.JoinKey("EVALBY", e.Evaluator), GSI1SK: ddbstore.Time(e.AssignedAt) + "#" + e.CandidacyID,
		GSI2PK: ddbstore.JoinKey("EVALCALL", e.CallID), GSI2SK: e.CandidacyID + "#" + e.Evaluator,
		Type: "evaluation", CandidacyID: e.CandidacyID, CallID: e.CallID, Evaluator: e.Evaluator,
		Reference: e.Reference, Association: e.Association, Status: string(e.Status), Reason: e.Reason,
		AssignedBy: e.AssignedBy, AssignedAt: ddbstore.Time(e.AssignedAt), ScoredAt: ddbstore.Time(e.ScoredAt),
		RecusedAt: ddbstore.Time(e.RecusedAt), ExpiresAt: ddbstore.Expiry(e.ExpiresAt), Version: e.Version,
	}
	for _, s := range e.Scores {
		it.Scores = append(it.Scores, scoreItem{Criterion: s.Criterion, Score: s.Score, Comment: s.Comment})
	}
	return it
}

func (it evalItem) evaluation() calls.Evaluation {
	e := calls.Evaluation{
		CandidacyID: it.CandidacyID, CallID: it.CallID, Evaluator: it.Evaluator, Reference: it.Reference,
		Association: it.Association, Status: calls.EvaluationStatus(it.Status), Reason: it.Reason,
		AssignedBy: it.AssignedBy, AssignedAt: ddbstore.ParseTime(it.AssignedAt), ScoredAt: ddbstore.ParseTime(it.ScoredAt),
		RecusedAt: ddbstore.ParseTime(it.RecusedAt), ExpiresAt: ddbstore.ParseExpiry(it.ExpiresAt), Version: it.Version,
	}
	for _, s := range it.Scores {
		e.Scores = append(e.Scores, calls.Score{Criterion: s.Criterion, Score: s.Score, Comment: s.Comment})
	}
	return e
}

// CreateEvaluation implements calls.Store.
func (s Store) CreateEvaluation(ctx context.Context, e calls.Evaluation) error {
	err := s.Put(ctx, "evaluation of "+e.CandidacyID, toEvalItem(e), ddbstore.NotExists)
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("assign candidacy %s: already assigned", e.CandidacyID))
	}
	return err
}

// GetEvaluation implements calls.Store (strongly consistent).
func (s Store) GetEvaluation(ctx context.Context, candidacyID, evaluator string) (calls.Evaluation, error) {
	var it evalItem
	if err := s.Get(ctx, "evaluation of "+candidacyID, ddbstore.Key(candPK(candidacyID), evalSK(evaluator)), true, &it); err != nil {
		return calls.Evaluation{}, err
	}
	return it.evaluation(), nil
}

// UpdateEvaluation implements calls.Store: a put conditioned on the version.
func (s Store) UpdateEvaluation(ctx context.Context, e calls.Evaluation, prevVersion int) error {
	err := s.Put(ctx, "evaluation of "+e.CandidacyID, toEvalItem(e), ddbstore.VersionIs(prevVersion))
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("update evaluation of %s: version %d is stale", e.CandidacyID, prevVersion))
	}
	return err
}

// EvaluationsOf implements calls.Store: PK CAND#<id>, SK EVAL#…
func (s Store) EvaluationsOf(ctx context.Context, candidacyID string) ([]calls.Evaluation, error) {
	items, err := s.All(ctx, "list evaluations of "+candidacyID, ddbstore.Query{PK: candPK(candidacyID), Prefix: "EVAL#", Forward: true, Consistent: true})
	if err != nil {
		return nil, err
	}
	return ddbstore.DecodeAll(items, "evaluation", evalItem.evaluation)
}

func (s Store) evaluations(ctx context.Context, q ddbstore.Query, limit int, cursor string) ([]calls.Evaluation, string, error) {
	page, next, err := s.Page(ctx, "list evaluations", q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := ddbstore.DecodeAll(page, "evaluation", evalItem.evaluation)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// EvaluationsByEvaluator implements calls.Store: GSI1 EVALBY#<sub>, latest first.
func (s Store) EvaluationsByEvaluator(ctx context.Context, evaluator string, limit int, cursor string) ([]calls.Evaluation, string, error) {
	return s.evaluations(ctx, ddbstore.Query{Index: ddbstore.IndexGSI1, PK: ddbstore.JoinKey("EVALBY", evaluator)}, limit, cursor)
}

// EvaluationsOfCall implements calls.Store: GSI2 EVALCALL#<callId>, by candidacy.
func (s Store) EvaluationsOfCall(ctx context.Context, callID string, limit int, cursor string) ([]calls.Evaluation, string, error) {
	return s.evaluations(ctx, ddbstore.Query{Index: ddbstore.IndexGSI2, PK: ddbstore.JoinKey("EVALCALL", callID), Forward: true}, limit, cursor)
}
