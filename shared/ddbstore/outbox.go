package ddbstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Outbox email keys: PK OUTBOX#<id>, SK OUTBOX; while pending, GSI1
// OUTBOXPENDING / <createdAt>#<id> (a sparse index: sent emails leave it).
const (
	outboxSK        = "OUTBOX"
	outboxPendingPK = "OUTBOXPENDING"
)

// Outbox is the outbox.Store of the table.
type Outbox struct{ s *Store }

var _ outbox.Store = (*Outbox)(nil)

// Outbox returns the store's outbox view.
func (s *Store) Outbox() *Outbox { return &Outbox{s: s} }

type outboxAttachment struct {
	Filename    string `dynamodbav:"filename"`
	ContentType string `dynamodbav:"contentType"`
	Data        []byte `dynamodbav:"data"`
}

type outboxItem struct {
	PK          string             `dynamodbav:"PK"`
	SK          string             `dynamodbav:"SK"`
	GSI1PK      string             `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK      string             `dynamodbav:"GSI1SK,omitempty"`
	Type        string             `dynamodbav:"type"`
	ID          string             `dynamodbav:"id"`
	To          string             `dynamodbav:"to"`
	Subject     string             `dynamodbav:"subject"`
	Text        string             `dynamodbav:"text"`
	HTML        string             `dynamodbav:"html"`
	Attachments []outboxAttachment `dynamodbav:"attachments,omitempty"`
	Lang        string             `dynamodbav:"lang"`
	Kind        string             `dynamodbav:"kind"`
	RefID       string             `dynamodbav:"refId"`
	CreatedAt   string             `dynamodbav:"createdAt"`
	Status      string             `dynamodbav:"status"`
	Attempts    int                `dynamodbav:"attempts"`
	LeaseUntil  int64              `dynamodbav:"leaseUntil"` // epoch ms; 0 = not leased
	SentAt      string             `dynamodbav:"sentAt,omitempty"`
	MessageID   string             `dynamodbav:"messageId,omitempty"`
	ExpiresAt   int64              `dynamodbav:"expiresAt"`
}

const outboxTimeLayout = "2006-01-02T15:04:05.000000000Z"

func outboxTime(t time.Time) string { return t.UTC().Format(outboxTimeLayout) }

func parseOutboxTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func outboxKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: joinKey("OUTBOX", id)},
		"SK": &types.AttributeValueMemberS{Value: outboxSK},
	}
}

// outboxPut is the transaction item that records e as pending. Other
// entities' writes add it to their own TransactWriteItems, so that an email
// exists if and only if the fact it reports does.
func outboxPut(table string, e outbox.Email) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(newOutboxItem(e))
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("marshal email %s: %w", e.ID, err)
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName:           aws.String(table),
		Item:                av,
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}, nil
}

// newOutboxItem is the pending record of e.
func newOutboxItem(e outbox.Email) outboxItem {
	created := outboxTime(e.CreatedAt)
	it := outboxItem{
		PK: joinKey("OUTBOX", e.ID), SK: outboxSK,
		GSI1PK: outboxPendingPK, GSI1SK: created + "#" + e.ID,
		Type: "outbox", ID: e.ID, To: e.To, Subject: e.Subject, Text: e.Text, HTML: e.HTML,
		Lang: e.Lang, Kind: e.Kind, RefID: e.RefID, CreatedAt: created, Status: "pending",
		ExpiresAt: e.CreatedAt.Add(outbox.Retention).Unix(),
	}
	for _, a := range e.Attachments {
		it.Attachments = append(it.Attachments, outboxAttachment{Filename: a.Filename, ContentType: a.ContentType, Data: a.Data})
	}
	return it
}

func (it outboxItem) email() outbox.Email {
	e := outbox.Email{
		ID: it.ID, To: it.To, Subject: it.Subject, Text: it.Text, HTML: it.HTML,
		Lang: it.Lang, Kind: it.Kind, RefID: it.RefID, CreatedAt: parseOutboxTime(it.CreatedAt), Attempts: it.Attempts,
	}
	for _, a := range it.Attachments {
		e.Attachments = append(e.Attachments, outbox.Attachment{Filename: a.Filename, ContentType: a.ContentType, Data: a.Data})
	}
	return e
}

func epochMillis(t time.Time) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(t.UnixMilli(), 10)}
}

// Claim implements outbox.Store.
func (o *Outbox) Claim(ctx context.Context, id string, leaseUntil time.Time) error {
	_, err := o.s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(o.s.table),
		Key:                      outboxKey(id),
		UpdateExpression:         aws.String("SET leaseUntil = :lease"),
		ConditionExpression:      aws.String("#status = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":lease":   epochMillis(leaseUntil),
			":now":     epochMillis(o.s.now()),
			":pending": &types.AttributeValueMemberS{Value: "pending"},
		},
	})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("claim email %s: not pending or leased", id))
	}
	return classify("claim email "+id, err)
}

// MarkSent implements outbox.Store. It rewrites the whole record without
// its GSI1 keys (rather than an UpdateItem REMOVE, which minidyn v0.8.2 does
// not apply), so that the email leaves the sparse pending index.
func (o *Outbox) MarkSent(ctx context.Context, e outbox.Email, messageID string) error {
	now := o.s.now()
	it := newOutboxItem(e)
	it.GSI1PK, it.GSI1SK = "", ""
	it.Status, it.SentAt, it.MessageID = "sent", outboxTime(now), messageID
	it.ExpiresAt = now.Add(outbox.Retention).Unix()
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return fmt.Errorf("marshal email %s: %w", e.ID, err)
	}
	_, err = o.s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                aws.String(o.s.table),
		Item:                     av,
		ConditionExpression:      aws.String("#status = :pending"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pending": &types.AttributeValueMemberS{Value: "pending"},
		},
	})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("mark email %s sent: not pending", e.ID))
	}
	return classify("mark email sent "+e.ID, err)
}

// Release implements outbox.Store.
func (o *Outbox) Release(ctx context.Context, id, attemptErr string) error {
	// An outage or throttling of SES says nothing about the email itself: it
	// does not count towards MaxAttempts, so a long outage loses no email.
	one := "1"
	if attemptErr == string(apperr.Unavailable) {
		one = "0"
	}
	_, err := o.s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(o.s.table),
		Key:                      outboxKey(id),
		UpdateExpression:         aws.String("SET attempts = attempts + :one, lastError = :err, lastAttemptAt = :at, leaseUntil = :zero"),
		ConditionExpression:      aws.String("#status = :pending"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pending": &types.AttributeValueMemberS{Value: "pending"},
			":zero":    &types.AttributeValueMemberN{Value: "0"},
			":one":     &types.AttributeValueMemberN{Value: one},
			":err":     &types.AttributeValueMemberS{Value: attemptErr},
			":at":      &types.AttributeValueMemberS{Value: outboxTime(o.s.now())},
		},
	})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("release email %s: not pending", id))
	}
	return classify("release email "+id, err)
}

// ListPending implements outbox.Store: GSI1 OUTBOXPENDING, oldest first.
func (o *Outbox) ListPending(ctx context.Context, limit int, cursor string) ([]outbox.Email, string, error) {
	page, next, err := o.s.indexPage(ctx, "list pending emails", IndexGSI1, "GSI1PK", "GSI1SK", outboxPendingPK, true, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	emails, err := decodeAll(page, "pending email", outboxItem.email)
	if err != nil {
		return nil, "", err
	}
	return emails, next, nil
}

// Put records e as pending on its own, for an email that reports no other
// write (e.g. a resent link). Emails that report a write go into that
// write's transaction instead. It returns apperr.Conflict if e.ID exists.
func (o *Outbox) Put(ctx context.Context, e outbox.Email) error {
	item, err := outboxPut(o.s.table, e)
	if err != nil {
		return err
	}
	_, err = o.s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           item.Put.TableName,
		Item:                item.Put.Item,
		ConditionExpression: item.Put.ConditionExpression,
	})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("put email %s: exists", e.ID))
	}
	return classify("put email "+e.ID, err)
}
