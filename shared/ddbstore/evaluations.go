package ddbstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Evaluation keys: PK CAND#<candidacyId>, SK EVAL#<evaluatorSub>; GSI1
// EVALBY#<evaluatorSub> / <assignedAt>#<candidacyId> (an evaluator's
// assignments); GSI2 EVALCALL#<callId> / <candidacyId>#<evaluatorSub> (a
// call's evaluations, for the ranking and the export).
//
// Results: PK CAND#<candidacyId>, SK RESULT (the outcome was published and
// emailed: written once); PK CALL#<callId>, SK SELECTED#<seq>#<candidacyId>
// (the public selection, no personal data); PK WG#<groupId>, SK
// MEMBER#<candidacyId> (working-group membership). Exports: PK
// CALL#<callId>, SK EXPORT#<at>#<exportId>.

// Evaluations is the calls.EvaluationStore of the table.
type Evaluations struct{ *Store }

var _ calls.EvaluationStore = (*Evaluations)(nil)

// Evaluations returns the store's evaluations view.
func (s *Store) Evaluations() *Evaluations { return &Evaluations{Store: s} }

type scoreAV struct {
	Criterion string `dynamodbav:"criterion"`
	Score     int    `dynamodbav:"score"`
	Comment   string `dynamodbav:"comment,omitempty"`
}

type evalItem struct {
	PK          string    `dynamodbav:"PK"`
	SK          string    `dynamodbav:"SK"`
	GSI1PK      string    `dynamodbav:"GSI1PK"`
	GSI1SK      string    `dynamodbav:"GSI1SK"`
	GSI2PK      string    `dynamodbav:"GSI2PK"`
	GSI2SK      string    `dynamodbav:"GSI2SK"`
	Type        string    `dynamodbav:"type"`
	CandidacyID string    `dynamodbav:"candidacyId"`
	CallID      string    `dynamodbav:"callId"`
	Evaluator   string    `dynamodbav:"evaluator"`
	Reference   string    `dynamodbav:"reference,omitempty"`
	Association string    `dynamodbav:"association,omitempty"`
	Status      string    `dynamodbav:"status"`
	Scores      []scoreAV `dynamodbav:"scores,omitempty"`
	Reason      string    `dynamodbav:"reason,omitempty"`
	AssignedBy  string    `dynamodbav:"assignedBy,omitempty"`
	AssignedAt  string    `dynamodbav:"assignedAt"`
	ScoredAt    string    `dynamodbav:"scoredAt,omitempty"`
	RecusedAt   string    `dynamodbav:"recusedAt,omitempty"`
	ExpiresAt   int64     `dynamodbav:"expiresAt,omitempty"`
	Version     int       `dynamodbav:"version"`
}

func evalKey(candidacyID, evaluator string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(joinKey("CAND", candidacyID)), "SK": str(joinKey("EVAL", evaluator))}
}

func toEvalItem(e calls.Evaluation) evalItem {
	it := evalItem{
		PK: joinKey("CAND", e.CandidacyID), SK: joinKey("EVAL", e.Evaluator),
		GSI1PK: joinKey("EVALBY", e.Evaluator), GSI1SK: obsTime(e.AssignedAt) + "#" + e.CandidacyID,
		GSI2PK: joinKey("EVALCALL", e.CallID), GSI2SK: e.CandidacyID + "#" + e.Evaluator,
		Type: "evaluation", CandidacyID: e.CandidacyID, CallID: e.CallID, Evaluator: e.Evaluator,
		Reference: e.Reference, Association: e.Association, Status: string(e.Status), Reason: e.Reason,
		AssignedBy: e.AssignedBy, AssignedAt: obsTime(e.AssignedAt), ScoredAt: obsTime(e.ScoredAt),
		RecusedAt: obsTime(e.RecusedAt), Version: e.Version,
	}
	if !e.ExpiresAt.IsZero() {
		it.ExpiresAt = e.ExpiresAt.Unix()
	}
	for _, s := range e.Scores {
		it.Scores = append(it.Scores, scoreAV{Criterion: s.Criterion, Score: s.Score, Comment: s.Comment})
	}
	return it
}

func (it evalItem) evaluation() calls.Evaluation {
	e := calls.Evaluation{
		CandidacyID: it.CandidacyID, CallID: it.CallID, Evaluator: it.Evaluator, Reference: it.Reference,
		Association: it.Association, Status: calls.EvaluationStatus(it.Status), Reason: it.Reason,
		AssignedBy: it.AssignedBy, AssignedAt: parseObsTime(it.AssignedAt), ScoredAt: parseObsTime(it.ScoredAt),
		RecusedAt: parseObsTime(it.RecusedAt), Version: it.Version,
	}
	if it.ExpiresAt > 0 {
		e.ExpiresAt = time.Unix(it.ExpiresAt, 0).UTC()
	}
	for _, s := range it.Scores {
		e.Scores = append(e.Scores, calls.Score{Criterion: s.Criterion, Score: s.Score, Comment: s.Comment})
	}
	return e
}

func unmarshalEvals(items []map[string]types.AttributeValue) ([]calls.Evaluation, error) {
	return decodeAll(items, "evaluation", evalItem.evaluation)
}

// CreateEvaluation implements calls.EvaluationStore.
func (s *Evaluations) CreateEvaluation(ctx context.Context, e calls.Evaluation) error {
	av, err := attributevalue.MarshalMap(toEvalItem(e))
	if err != nil {
		return fmt.Errorf("marshal evaluation: %w", err)
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Name), Item: av,
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("assign candidacy %s: already assigned", e.CandidacyID))
	}
	return classify("assign candidacy "+e.CandidacyID, err)
}

// GetEvaluation implements calls.EvaluationStore (strongly consistent).
func (s *Evaluations) GetEvaluation(ctx context.Context, candidacyID, evaluator string) (calls.Evaluation, error) {
	var it evalItem
	if err := s.getItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Name), Key: evalKey(candidacyID, evaluator), ConsistentRead: aws.Bool(true)}, "evaluation of "+candidacyID, &it); err != nil {
		return calls.Evaluation{}, err
	}
	return it.evaluation(), nil
}

// UpdateEvaluation implements calls.EvaluationStore: a put conditioned on the version.
func (s *Evaluations) UpdateEvaluation(ctx context.Context, e calls.Evaluation, prevVersion int) error {
	av, err := attributevalue.MarshalMap(toEvalItem(e))
	if err != nil {
		return fmt.Errorf("marshal evaluation: %w", err)
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Name), Item: av,
		ConditionExpression:       aws.String("attribute_exists(PK) AND #v = :prev"),
		ExpressionAttributeNames:  map[string]string{"#v": "version"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":prev": n(prevVersion)}})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("update evaluation of %s: version %d is stale", e.CandidacyID, prevVersion))
	}
	return classify("update evaluation of "+e.CandidacyID, err)
}

// EvaluationsOf implements calls.EvaluationStore: PK CAND#<id>, SK begins with EVAL#.
func (s *Evaluations) EvaluationsOf(ctx context.Context, candidacyID string) ([]calls.Evaluation, error) {
	items, err := s.queryAll(ctx, "list evaluations of "+candidacyID, &dynamodb.QueryInput{
		TableName:                 aws.String(s.Name),
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :sk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(joinKey("CAND", candidacyID)), ":sk": str("EVAL#")},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		return nil, err
	}
	return unmarshalEvals(items)
}

func (s *Evaluations) queryIndex(ctx context.Context, index, pkAttr, skAttr, pk string, forward bool, limit int, cursor string) ([]calls.Evaluation, string, error) {
	page, next, err := s.indexPage(ctx, "list evaluations", index, pkAttr, skAttr, pk, forward, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := unmarshalEvals(page)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// EvaluationsByEvaluator implements calls.EvaluationStore: GSI1 EVALBY#<sub>, latest first.
func (s *Evaluations) EvaluationsByEvaluator(ctx context.Context, evaluator string, limit int, cursor string) ([]calls.Evaluation, string, error) {
	return s.queryIndex(ctx, IndexGSI1, "GSI1PK", "GSI1SK", joinKey("EVALBY", evaluator), false, limit, cursor)
}

// EvaluationsOfCall implements calls.EvaluationStore: GSI2 EVALCALL#<callId>.
func (s *Evaluations) EvaluationsOfCall(ctx context.Context, callID string, limit int, cursor string) ([]calls.Evaluation, string, error) {
	return s.queryIndex(ctx, IndexGSI2, "GSI2PK", "GSI2SK", joinKey("EVALCALL", callID), true, limit, cursor)
}

// RecordExport implements calls.EvaluationStore.
func (s *Evaluations) RecordExport(ctx context.Context, x calls.Export) error {
	item := map[string]types.AttributeValue{
		"PK": str(joinKey("CALL", x.CallID)), "SK": str(joinKey("EXPORT", obsTime(x.At), x.ID)),
		"type": str("call-export"), "id": str(x.ID), "callId": str(x.CallID), "kind": str(x.Kind), "by": str(x.By),
		"at": str(obsTime(x.At)), "rows": n(x.Rows), "key": str(x.Key),
	}
	if x.CandidacyID != "" {
		item["candidacyId"] = str(x.CandidacyID)
	}
	_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Name), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(PK)")})
	return classify("record export "+x.ID, err)
}

type selectedItem struct {
	PK          string   `dynamodbav:"PK"`
	SK          string   `dynamodbav:"SK"`
	Type        string   `dynamodbav:"type"`
	CallID      string   `dynamodbav:"callId"`
	CandidacyID string   `dynamodbav:"candidacyId"`
	Sequence    int      `dynamodbav:"sequence"`
	Name        string   `dynamodbav:"name"`
	Acronym     string   `dynamodbav:"acronym,omitempty"`
	City        string   `dynamodbav:"city,omitempty"`
	Region      string   `dynamodbav:"region,omitempty"`
	Groups      []string `dynamodbav:"groups,omitempty"`
}

type memberItem struct {
	PK          string `dynamodbav:"PK"`
	SK          string `dynamodbav:"SK"`
	Type        string `dynamodbav:"type"`
	GroupID     string `dynamodbav:"groupId"`
	CandidacyID string `dynamodbav:"candidacyId"`
	CallID      string `dynamodbav:"callId"`
	Name        string `dynamodbav:"name"`
	Acronym     string `dynamodbav:"acronym,omitempty"`
	City        string `dynamodbav:"city,omitempty"`
	Region      string `dynamodbav:"region,omitempty"`
	Since       string `dynamodbav:"since"`
}

// RecordResult implements calls.EvaluationStore: the RESULT mark
// (attribute_not_exists), the email, the public entry and the memberships
// in one transaction.
func (s *Evaluations) RecordResult(ctx context.Context, r calls.Result, email outbox.Email, sel *calls.Selected, members []calls.Membership) error {
	mark := map[string]types.AttributeValue{
		"PK": str(joinKey("CAND", r.CandidacyID)), "SK": str("RESULT"), "type": str("candidacy-result"),
		"callId": str(r.CallID), "outcome": str(string(r.Outcome)), "at": str(obsTime(r.At)), "emailId": str(email.ID),
	}
	if !r.ExpiresAt.IsZero() {
		mark["expiresAt"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(r.ExpiresAt.Unix(), 10)}
	}
	items := []types.TransactWriteItem{{Put: &types.Put{TableName: aws.String(s.Name), Item: mark,
		ConditionExpression: aws.String("attribute_not_exists(PK)")}}}
	put, err := outboxPut(s.Name, email)
	if err != nil {
		return err
	}
	items = append(items, put)
	if sel != nil {
		av, err := attributevalue.MarshalMap(selectedItem{
			PK: joinKey("CALL", sel.CallID), SK: joinKey("SELECTED", fmt.Sprintf("%06d", sel.Sequence), sel.CandidacyID),
			Type: "call-selected", CallID: sel.CallID, CandidacyID: sel.CandidacyID, Sequence: sel.Sequence,
			Name: sel.Name, Acronym: sel.Acronym, City: sel.City, Region: sel.Region, Groups: sel.Groups,
		})
		if err != nil {
			return fmt.Errorf("marshal selected: %w", err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.Name), Item: av}})
	}
	for _, m := range members {
		av, err := attributevalue.MarshalMap(memberItem{
			PK: joinKey("WG", m.GroupID), SK: joinKey("MEMBER", m.CandidacyID), Type: "wg-member", GroupID: m.GroupID,
			CandidacyID: m.CandidacyID, CallID: m.CallID, Name: m.Name, Acronym: m.Acronym, City: m.City, Region: m.Region,
			Since: obsTime(m.Since),
		})
		if err != nil {
			return fmt.Errorf("marshal membership: %w", err)
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.Name), Item: av}})
	}
	err = s.transactWithRetry(ctx, "record result", items)
	if ok, idx := conditionFailed(err); ok && (len(idx) == 0 || idx[0] == 0) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("result of candidacy %s: already recorded", r.CandidacyID))
	}
	return classify("record result of "+r.CandidacyID, err)
}

// queryPrefix reads every item of PK pk whose SK begins with prefix.
func (s *Evaluations) queryPrefix(ctx context.Context, pk, prefix string) ([]map[string]types.AttributeValue, error) {
	return s.queryAll(ctx, "query "+prefix, &dynamodb.QueryInput{
		TableName:                 aws.String(s.Name),
		KeyConditionExpression:    aws.String("PK = :pk AND begins_with(SK, :sk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk), ":sk": str(prefix)},
	})
}

// SelectedOf implements calls.EvaluationStore.
func (s *Evaluations) SelectedOf(ctx context.Context, callID string) ([]calls.Selected, error) {
	items, err := s.queryPrefix(ctx, joinKey("CALL", callID), "SELECTED#")
	if err != nil {
		return nil, err
	}
	out := make([]calls.Selected, 0, len(items))
	for _, av := range items {
		var it selectedItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("unmarshal selected: %w", err)
		}
		out = append(out, calls.Selected{CallID: it.CallID, CandidacyID: it.CandidacyID, Sequence: it.Sequence, Name: it.Name,
			Acronym: it.Acronym, City: it.City, Region: it.Region, Groups: it.Groups})
	}
	return out, nil
}

// MembersOf implements calls.EvaluationStore.
func (s *Evaluations) MembersOf(ctx context.Context, groupID string) ([]calls.Membership, error) {
	items, err := s.queryPrefix(ctx, joinKey("WG", groupID), "MEMBER#")
	if err != nil {
		return nil, err
	}
	out := make([]calls.Membership, 0, len(items))
	for _, av := range items {
		var it memberItem
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("unmarshal membership: %w", err)
		}
		out = append(out, calls.Membership{GroupID: it.GroupID, CandidacyID: it.CandidacyID, CallID: it.CallID, Name: it.Name,
			Acronym: it.Acronym, City: it.City, Region: it.Region, Since: parseObsTime(it.Since)})
	}
	return out, nil
}
