package ddbstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/observations"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Observation keys: PK OBS#<id>, SK OBS; GSI1 OBSALL / <createdAt>#<id>;
// GSI2 OBSSTATUS#<status> / <createdAt>#<id>; ByEmail EmailHash.

// Observations is the observations.Store of the table.
type Observations struct{ *Store }

var _ observations.Store = (*Observations)(nil)

// Observations returns the store's observations view.
func (s *Store) Observations() *Observations { return &Observations{Store: s} }

const (
	obsSK    = "OBS"
	obsAllPK = "OBSALL"
)

type obsResponse struct {
	Text       string `dynamodbav:"text"`
	AnsweredAt string `dynamodbav:"answeredAt,omitempty"`
}

type obsConsent struct {
	Given         bool   `dynamodbav:"given"`
	At            string `dynamodbav:"at"`
	NoticeVersion string `dynamodbav:"noticeVersion"`
}

type obsItem struct {
	PK           string       `dynamodbav:"PK"`
	SK           string       `dynamodbav:"SK"`
	GSI1PK       string       `dynamodbav:"GSI1PK"`
	GSI1SK       string       `dynamodbav:"GSI1SK"`
	GSI2PK       string       `dynamodbav:"GSI2PK"`
	GSI2SK       string       `dynamodbav:"GSI2SK"`
	EmailHash    string       `dynamodbav:"EmailHash"`
	Type         string       `dynamodbav:"type"`
	ID           string       `dynamodbav:"id"`
	Reference    string       `dynamodbav:"reference"`
	Topic        string       `dynamodbav:"topic"`
	Subject      string       `dynamodbav:"subject"`
	Message      string       `dynamodbav:"message"`
	Name         string       `dynamodbav:"name"`
	Email        string       `dynamodbav:"email"`
	Organisation string       `dynamodbav:"organisation,omitempty"`
	Lang         string       `dynamodbav:"lang"`
	Status       string       `dynamodbav:"status"`
	Consent      obsConsent   `dynamodbav:"consent"`
	Response     *obsResponse `dynamodbav:"response,omitempty"`
	TokenHash    string       `dynamodbav:"tokenHash"`
	CreatedAt    string       `dynamodbav:"createdAt"`
	UpdatedAt    string       `dynamodbav:"updatedAt"`
	ExpiresAt    int64        `dynamodbav:"expiresAt"`
	Version      int          `dynamodbav:"version"`
}

func obsTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func parseObsTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339, s)
	return t.UTC()
}

func obsKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: joinKey("OBS", id)},
		"SK": &types.AttributeValueMemberS{Value: obsSK},
	}
}

func toObsItem(o observations.Observation) obsItem {
	created := obsTime(o.CreatedAt)
	it := obsItem{
		PK: joinKey("OBS", o.ID), SK: obsSK,
		GSI1PK: obsAllPK, GSI1SK: created + "#" + o.ID,
		GSI2PK: joinKey("OBSSTATUS", string(o.Status)), GSI2SK: created + "#" + o.ID,
		EmailHash: observations.EmailHash(o.Email),
		Type:      "observation", ID: o.ID, Reference: o.Reference, Topic: o.Topic, Subject: o.Subject,
		Message: o.Message, Name: o.Name, Email: o.Email, Organisation: o.Organisation,
		Lang: string(o.Lang), Status: string(o.Status),
		Consent:   obsConsent{Given: o.Consent.Given, At: obsTime(o.Consent.At), NoticeVersion: o.Consent.NoticeVersion},
		TokenHash: o.TokenHash, CreatedAt: created, UpdatedAt: obsTime(o.UpdatedAt),
		ExpiresAt: o.ExpiresAt.Unix(), Version: o.Version,
	}
	if o.Response != nil {
		it.Response = &obsResponse{Text: o.Response.Text, AnsweredAt: obsTime(o.Response.AnsweredAt)}
	}
	return it
}

func (it obsItem) observation() observations.Observation {
	lang, _ := i18n.Parse(it.Lang)
	o := observations.Observation{
		ID: it.ID, Reference: it.Reference, Topic: it.Topic, Subject: it.Subject, Message: it.Message,
		Name: it.Name, Email: it.Email, Organisation: it.Organisation, Lang: lang,
		Status:    observations.Status(it.Status),
		Consent:   observations.Consent{Given: it.Consent.Given, At: parseObsTime(it.Consent.At), NoticeVersion: it.Consent.NoticeVersion},
		TokenHash: it.TokenHash, CreatedAt: parseObsTime(it.CreatedAt), UpdatedAt: parseObsTime(it.UpdatedAt),
		ExpiresAt: time.Unix(it.ExpiresAt, 0).UTC(), Version: it.Version,
	}
	if it.Response != nil {
		o.Response = &observations.Response{Text: it.Response.Text, AnsweredAt: parseObsTime(it.Response.AnsweredAt)}
	}
	return o
}

// transactAttempts bounds the retries of a transaction cancelled only by a
// conflicting concurrent transaction.
const transactAttempts = 4

// transactWithRetry runs items, retrying transaction conflicts with jittered backoff.
func (s *Store) transactWithRetry(ctx context.Context, op string, items []types.TransactWriteItem) error {
	var err error
	for attempt := range transactAttempts {
		if attempt > 0 {
			backoff := time.Duration(10<<attempt)*time.Millisecond + time.Duration(rand.IntN(20))*time.Millisecond
			select {
			case <-ctx.Done():
				return classify(op, ctx.Err())
			case <-time.After(backoff):
			}
		}
		_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil || !transactionConflict(err) {
			return err
		}
	}
	return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("dynamodb %s: transaction kept conflicting: %w", op, err))
}

// CreateObservation implements observations.Store: observation, email and
// idempotency record in one TransactWriteItems.
func (s *Observations) CreateObservation(ctx context.Context, o observations.Observation, ack outbox.Email, rec *idempotency.Record) error {
	av, err := attributevalue.MarshalMap(toObsItem(o))
	if err != nil {
		return fmt.Errorf("marshal observation %s: %w", o.ID, err)
	}
	email, err := outboxPut(s.table, ack)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.table), Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		email,
	}
	if rec != nil {
		put, err := idempotencyPut(s.table, *rec, s.now())
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	err = s.transactWithRetry(ctx, "create observation", items)
	if err == nil {
		return nil
	}
	if ok, idx := conditionFailed(err); ok {
		for _, i := range idx {
			if i == 2 {
				return fmt.Errorf("create observation %s: %w", o.ID, idempotency.ErrRecorded)
			}
		}
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("create observation %s: id taken", o.ID))
	}
	return classify("create observation "+o.ID, err)
}

// GetObservation implements observations.Store.
func (s *Observations) GetObservation(ctx context.Context, id string) (observations.Observation, error) {
	var it obsItem
	if err := s.getItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: obsKey(id)}, "observation "+id, &it); err != nil {
		return observations.Observation{}, err
	}
	return it.observation(), nil
}

// ListObservations implements observations.Store: GSI1 OBSALL, or GSI2
// OBSSTATUS#<status>, newest first.
func (s *Observations) ListObservations(ctx context.Context, status observations.Status, limit int, cursor string) ([]observations.Observation, string, error) {
	index, pkAttr, skAttr, pk := IndexGSI1, "GSI1PK", "GSI1SK", obsAllPK
	if status != "" {
		index, pkAttr, skAttr, pk = IndexGSI2, "GSI2PK", "GSI2SK", joinKey("OBSSTATUS", string(status))
	}
	page, next, err := s.indexPage(ctx, "list observations", index, pkAttr, skAttr, pk, false, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := decodeAll(page, "observation", obsItem.observation)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// UpdateObservation implements observations.Store: a conditional put on the
// version, with the email (if any) in the same transaction.
func (s *Observations) UpdateObservation(ctx context.Context, o observations.Observation, prevVersion int, email *outbox.Email) error {
	av, err := attributevalue.MarshalMap(toObsItem(o))
	if err != nil {
		return fmt.Errorf("marshal observation %s: %w", o.ID, err)
	}
	items := []types.TransactWriteItem{{Put: &types.Put{
		TableName:                aws.String(s.table),
		Item:                     av,
		ConditionExpression:      aws.String("attribute_exists(PK) AND #v = :prev"),
		ExpressionAttributeNames: map[string]string{"#v": "version"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":prev": &types.AttributeValueMemberN{Value: strconv.Itoa(prevVersion)},
		},
	}}}
	if email != nil {
		put, err := outboxPut(s.table, *email)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	err = s.transactWithRetry(ctx, "update observation", items)
	if ok, _ := conditionFailed(err); ok {
		// Changed or deleted meanwhile: the caller re-reads and tells which.
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("update observation %s: version %d is stale", o.ID, prevVersion))
	}
	return classify("update observation "+o.ID, err)
}
