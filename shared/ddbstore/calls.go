package ddbstore

import (
	"context"
	"fmt"
	"strconv"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Call keys: PK CALL#<id>, SK CALL; GSI1 CALLSTATUS#<status> / <opensAt>#<id>;
// GSI2 CALLALL / <createdAt>#<id>. The call's reference counter: PK
// CALL#<id>, SK SEQ (see candidacies.go).

// Calls is the calls.Store of the table (calls and their candidacies).
type Calls struct{ *Store }

var _ calls.Store = (*Calls)(nil)

// Calls returns the store's calls view.
func (s *Store) Calls() *Calls { return &Calls{Store: s} }

const (
	callSK    = "CALL"
	callAllPK = "CALLALL"
)

type textAV struct {
	FR string `dynamodbav:"fr"`
	AR string `dynamodbav:"ar"`
}

type docSpecAV struct {
	Type     string `dynamodbav:"type"`
	Label    textAV `dynamodbav:"label"`
	Required bool   `dynamodbav:"required"`
	MaxBytes int64  `dynamodbav:"maxBytes"`
}

type criterionAV struct {
	ID       string `dynamodbav:"id"`
	Label    textAV `dynamodbav:"label"`
	Weight   int    `dynamodbav:"weight"`
	MaxScore int    `dynamodbav:"maxScore"`
}

type groupAV struct {
	ID   string `dynamodbav:"id"`
	Name textAV `dynamodbav:"name"`
}

type callItem struct {
	PK            string        `dynamodbav:"PK"`
	SK            string        `dynamodbav:"SK"`
	GSI1PK        string        `dynamodbav:"GSI1PK"`
	GSI1SK        string        `dynamodbav:"GSI1SK"`
	GSI2PK        string        `dynamodbav:"GSI2PK"`
	GSI2SK        string        `dynamodbav:"GSI2SK"`
	Type          string        `dynamodbav:"type"`
	ID            string        `dynamodbav:"id"`
	Kind          string        `dynamodbav:"kind"`
	Title         textAV        `dynamodbav:"title"`
	Description   textAV        `dynamodbav:"description"`
	Eligibility   textAV        `dynamodbav:"eligibility"`
	WorkingGroups []groupAV     `dynamodbav:"workingGroups,omitempty"`
	OpensAt       string        `dynamodbav:"opensAt"`
	ClosesAt      string        `dynamodbav:"closesAt"`
	Seats         int           `dynamodbav:"seats"`
	Documents     []docSpecAV   `dynamodbav:"documents,omitempty"`
	Criteria      []criterionAV `dynamodbav:"criteria,omitempty"`
	Status        string        `dynamodbav:"status"`
	CreatedAt     string        `dynamodbav:"createdAt"`
	UpdatedAt     string        `dynamodbav:"updatedAt"`
	Version       int           `dynamodbav:"version"`
}

func toText(t calls.Text) textAV  { return textAV{FR: t.FR, AR: t.AR} }
func (t textAV) text() calls.Text { return calls.Text{FR: t.FR, AR: t.AR} }

func callKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: joinKey("CALL", id)},
		"SK": &types.AttributeValueMemberS{Value: callSK},
	}
}

func toCallItem(c calls.Call) callItem {
	it := callItem{
		PK: joinKey("CALL", c.ID), SK: callSK,
		GSI1PK: joinKey("CALLSTATUS", string(c.Status)), GSI1SK: obsTime(c.OpensAt) + "#" + c.ID,
		GSI2PK: callAllPK, GSI2SK: obsTime(c.CreatedAt) + "#" + c.ID,
		Type: "call", ID: c.ID, Kind: string(c.Kind),
		Title: toText(c.Title), Description: toText(c.Description), Eligibility: toText(c.Eligibility),
		OpensAt: obsTime(c.OpensAt), ClosesAt: obsTime(c.ClosesAt), Seats: c.Seats, Status: string(c.Status),
		CreatedAt: obsTime(c.CreatedAt), UpdatedAt: obsTime(c.UpdatedAt), Version: c.Version,
	}
	for _, g := range c.WorkingGroups {
		it.WorkingGroups = append(it.WorkingGroups, groupAV{ID: g.ID, Name: toText(g.Name)})
	}
	for _, d := range c.Documents {
		it.Documents = append(it.Documents, docSpecAV{Type: d.Type, Label: toText(d.Label), Required: d.Required, MaxBytes: d.MaxBytes})
	}
	for _, k := range c.Criteria {
		it.Criteria = append(it.Criteria, criterionAV{ID: k.ID, Label: toText(k.Label), Weight: k.Weight, MaxScore: k.MaxScore})
	}
	return it
}

func (it callItem) call() calls.Call {
	c := calls.Call{
		ID: it.ID, Kind: calls.Kind(it.Kind), Title: it.Title.text(), Description: it.Description.text(),
		Eligibility: it.Eligibility.text(), OpensAt: parseObsTime(it.OpensAt), ClosesAt: parseObsTime(it.ClosesAt),
		Seats: it.Seats, Status: calls.Status(it.Status), CreatedAt: parseObsTime(it.CreatedAt),
		UpdatedAt: parseObsTime(it.UpdatedAt), Version: it.Version,
	}
	for _, g := range it.WorkingGroups {
		c.WorkingGroups = append(c.WorkingGroups, calls.WorkingGroup{ID: g.ID, Name: g.Name.text()})
	}
	for _, d := range it.Documents {
		c.Documents = append(c.Documents, calls.DocumentSpec{Type: d.Type, Label: d.Label.text(), Required: d.Required, MaxBytes: d.MaxBytes})
	}
	for _, k := range it.Criteria {
		c.Criteria = append(c.Criteria, calls.Criterion{ID: k.ID, Label: k.Label.text(), Weight: k.Weight, MaxScore: k.MaxScore})
	}
	return c
}

// CreateCall implements calls.CallStore.
func (s *Calls) CreateCall(ctx context.Context, c calls.Call) error {
	av, err := attributevalue.MarshalMap(toCallItem(c))
	if err != nil {
		return fmt.Errorf("marshal call %s: %w", c.ID, err)
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(s.Name), Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("create call %s: id taken", c.ID))
	}
	return classify("create call "+c.ID, err)
}

// GetCall implements calls.CallStore.
func (s *Calls) GetCall(ctx context.Context, id string) (calls.Call, error) {
	var it callItem
	if err := s.getItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Name), Key: callKey(id)}, "call "+id, &it); err != nil {
		return calls.Call{}, err
	}
	return it.call(), nil
}

// ListCalls implements calls.CallStore: GSI2 CALLALL (newest created
// first), or GSI1 CALLSTATUS#<status> (latest opening first).
func (s *Calls) ListCalls(ctx context.Context, status calls.Status, limit int, cursor string) ([]calls.Call, string, error) {
	index, pkAttr, skAttr, pk := IndexGSI2, "GSI2PK", "GSI2SK", callAllPK
	if status != "" {
		index, pkAttr, skAttr, pk = IndexGSI1, "GSI1PK", "GSI1SK", joinKey("CALLSTATUS", string(status))
	}
	page, next, err := s.indexPage(ctx, "list calls", index, pkAttr, skAttr, pk, false, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := decodeAll(page, "call", callItem.call)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// UpdateCall implements calls.CallStore: a put conditioned on the version
// (a put, not an update, so the status index keys move with the status).
func (s *Calls) UpdateCall(ctx context.Context, c calls.Call, prevVersion int) error {
	av, err := attributevalue.MarshalMap(toCallItem(c))
	if err != nil {
		return fmt.Errorf("marshal call %s: %w", c.ID, err)
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                aws.String(s.Name),
		Item:                     av,
		ConditionExpression:      aws.String("attribute_exists(PK) AND #v = :prev"),
		ExpressionAttributeNames: map[string]string{"#v": "version"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":prev": &types.AttributeValueMemberN{Value: strconv.Itoa(prevVersion)},
		},
	})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("update call %s: version %d is stale", c.ID, prevVersion))
	}
	return classify("update call "+c.ID, err)
}
