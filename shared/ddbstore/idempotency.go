package ddbstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/idempotency"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Idempotency records: PK IDEM#<scope>#<sha256(key)>, SK IDEM, expiresAt +24h.

var _ idempotency.Store = (*Store)(nil)

const idemSK = "IDEM"

type idemItem struct {
	PK          string `dynamodbav:"PK"`
	SK          string `dynamodbav:"SK"`
	Type        string `dynamodbav:"type"`
	Fingerprint string `dynamodbav:"fingerprint"`
	Status      int    `dynamodbav:"status"`
	Body        []byte `dynamodbav:"body"`
	CreatedAt   string `dynamodbav:"createdAt"`
	ExpiresAt   int64  `dynamodbav:"expiresAt"`
}

func idemKey(scope, keyHash string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: joinKey("IDEM", scope, keyHash)},
		"SK": &types.AttributeValueMemberS{Value: idemSK},
	}
}

// idempotencyPut is the transaction item recording r, conditioned on the key
// being new (or its record expired and not yet removed by the TTL): a
// transaction cancelled on it means ErrRecorded.
func idempotencyPut(table string, r idempotency.Record, now time.Time) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(idemItem{
		PK: joinKey("IDEM", r.Scope, r.KeyHash), SK: idemSK, Type: "idempotency",
		Fingerprint: r.Fingerprint, Status: r.Status, Body: r.Body,
		CreatedAt: outboxTime(r.CreatedAt), ExpiresAt: r.ExpiresAt.Unix(),
	})
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("marshal idempotency record: %w", err)
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName:           aws.String(table),
		Item:                av,
		ConditionExpression: aws.String("attribute_not_exists(PK) OR expiresAt < :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)},
		},
	}}, nil
}

// GetIdempotency implements idempotency.Store. An expired record that the TTL
// has not removed yet counts as absent.
func (s *Store) GetIdempotency(ctx context.Context, scope, keyHash string) (idempotency.Record, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            idemKey(scope, keyHash),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return idempotency.Record{}, classify("get idempotency record", err)
	}
	if len(out.Item) == 0 {
		return idempotency.Record{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("idempotency record %s: not found", scope))
	}
	var it idemItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return idempotency.Record{}, fmt.Errorf("unmarshal idempotency record: %w", err)
	}
	r := idempotency.Record{
		Scope: scope, KeyHash: keyHash, Fingerprint: it.Fingerprint, Status: it.Status, Body: it.Body,
		CreatedAt: parseOutboxTime(it.CreatedAt),
	}
	r.ExpiresAt = r.CreatedAt.Add(idempotency.TTL)
	if it.ExpiresAt > 0 && s.now().Unix() > it.ExpiresAt {
		return idempotency.Record{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("idempotency record %s: expired", scope))
	}
	return r, nil
}
