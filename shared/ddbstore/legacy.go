package ddbstore

// Transitional: the table's former API, used by the capability stores that
// have not moved to their own package yet. Removed with the last of them.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// conditionFailed reports whether err is a failed condition: a
// ConditionalCheckFailedException, or a transaction cancelled for one.
// It returns, for a transaction, the indexes of the items whose condition failed.
func conditionFailed(err error) (bool, []int) {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return true, nil
	}
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		var idx []int
		for i, r := range tce.CancellationReasons {
			if r.Code != nil && *r.Code == "ConditionalCheckFailed" {
				idx = append(idx, i)
			}
		}
		return len(idx) > 0, idx
	}
	return false, nil
}

// transactionConflict reports whether a transaction was cancelled only
// because another one touched the same items (safe to retry).
func transactionConflict(err error) bool {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		var tc *types.TransactionConflictException
		return errors.As(err, &tc)
	}
	for _, r := range tce.CancellationReasons {
		if r.Code != nil && *r.Code == "TransactionConflict" {
			return true
		}
	}
	return false
}

// encodeCursorLegacy turns a LastEvaluatedKey (string attributes only, as all our
// keys are) into an opaque page cursor.
func encodeCursorLegacy(key map[string]types.AttributeValue) string {
	if len(key) == 0 {
		return ""
	}
	m := make(map[string]string, len(key))
	for k, v := range key {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			m[k] = s.Value
		}
	}
	b, _ := json.Marshal(m)
	return base64.RawURLEncoding.EncodeToString(b)
}

// queryAll runs in and follows its pages to the end, returning every item.
func (s *Store) queryAll(ctx context.Context, op string, in *dynamodb.QueryInput) ([]map[string]types.AttributeValue, error) {
	var all []map[string]types.AttributeValue
	for {
		out, err := s.DB.Query(ctx, in)
		if err != nil {
			return nil, classify(op, err)
		}
		all = append(all, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			return all, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// getItem reads one item into it (a pointer to the item's struct): NotFound
// when there is none. what names it in errors ("call <id>").
func (s *Store) getItem(ctx context.Context, in *dynamodb.GetItemInput, what string, it any) error {
	out, err := s.DB.GetItem(ctx, in)
	if err != nil {
		return classify("get "+what, err)
	}
	if len(out.Item) == 0 {
		return apperr.Wrap(apperr.NotFound, "", fmt.Errorf("%s: not found", what))
	}
	if err := attributevalue.UnmarshalMap(out.Item, it); err != nil {
		return fmt.Errorf("unmarshal %s: %w", what, err)
	}
	return nil
}

// indexPage returns a page of the partition pk of an index whose key is
// (pkAttr, skAttr): descending sort keys unless forward, at most limit items,
// from cursor (the index's key attributes and the table's).
func (s *Store) indexPage(ctx context.Context, op, index, pkAttr, skAttr, pk string, forward bool, limit int, cursor string) ([]map[string]types.AttributeValue, string, error) {
	attrs := []string{"PK", "SK", pkAttr, skAttr}
	start, err := decodeCursor(cursor, attrs, pkAttr, pk)
	if err != nil {
		return nil, "", err
	}
	return s.queryPage(ctx, op, &dynamodb.QueryInput{
		TableName:                 aws.String(s.Name),
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ScanIndexForward:          aws.Bool(forward),
		Limit:                     aws.Int32(int32(limit)),
		ExclusiveStartKey:         start,
	}, attrs, pkAttr, pk)
}

// queryPage runs a query of one partition (pkAttr = pk, on the table or an
// index) and returns its items and the cursor of the next page ("" on the
// last). cursorAttrs are the key attributes a cursor of this listing holds.
//
// DynamoDB's LastEvaluatedKey always lies in the queried partition. minidyn
// (the DynamoDB of tests and of the local cloud) can return one outside it
// when a filter is used, after counting other partitions' entries against
// Limit; such a key is followed here, never handed out or taken for the end,
// so that no item of the partition is skipped.
func (s *Store) queryPage(ctx context.Context, op string, in *dynamodb.QueryInput, cursorAttrs []string, pkAttr, pk string) ([]map[string]types.AttributeValue, string, error) {
	limit := 0
	if in.Limit != nil {
		limit = int(*in.Limit)
	}
	var items []map[string]types.AttributeValue
	for range 1000 {
		out, err := s.DB.Query(ctx, in)
		if err != nil {
			return nil, "", classify(op, err)
		}
		items = append(items, out.Items...)
		lek := out.LastEvaluatedKey
		if len(lek) == 0 {
			return items, "", nil
		}
		if k, ok := lek[pkAttr].(*types.AttributeValueMemberS); ok && k.Value == pk {
			return items, encodeCursorLegacy(lek), nil
		}
		if limit > 0 && len(items) >= limit {
			// The page is full: the next one starts after its last item.
			last := items[len(items)-1]
			key := make(map[string]types.AttributeValue, len(cursorAttrs))
			for _, a := range cursorAttrs {
				key[a] = last[a]
			}
			return items, encodeCursorLegacy(key), nil
		}
		in.ExclusiveStartKey = lek
		if limit > 0 {
			in.Limit = aws.Int32(int32(limit - len(items)))
		}
	}
	return nil, "", fmt.Errorf("dynamodb %s: no end after 1000 pages", op)
}

// decodeAll unmarshals each item into the stored form I and converts it to
// the domain value T; what names the entity in errors.
func decodeAll[I, T any](items []map[string]types.AttributeValue, what string, conv func(I) T) ([]T, error) {
	out := make([]T, 0, len(items))
	for _, av := range items {
		var it I
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("unmarshal %s: %w", what, err)
		}
		out = append(out, conv(it))
	}
	return out, nil
}

// Store is the table (its former name).
type Store = Table

func classify(op string, err error) error { return Classify(op, err) }

func joinKey(parts ...string) string { return JoinKey(parts...) }

// outboxPut is the transaction item that records e as pending.
func outboxPut(table string, e outbox.Email) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(newOutboxItem(e))
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("marshal email %s: %w", e.ID, err)
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(table), Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}, nil
}

// idempotencyPut is the transaction item recording r.
func idempotencyPut(table string, r idempotency.Record, now time.Time) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(newIdemItem(r))
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("marshal idempotency record: %w", err)
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName:                 aws.String(table),
		Item:                      av,
		ConditionExpression:       aws.String("attribute_not_exists(PK) OR expiresAt < :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": N(now.Unix())},
	}}, nil
}

func outboxTime(t time.Time) string { return Time(t) }

func parseOutboxTime(s string) time.Time { return ParseTime(s) }

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
		_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err == nil || !transactionConflict(err) {
			return err
		}
	}
	return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("dynamodb %s: transaction kept conflicting: %w", op, err))
}

type obsConsent struct {
	Given         bool   `dynamodbav:"given"`
	At            string `dynamodbav:"at"`
	NoticeVersion string `dynamodbav:"noticeVersion"`
}

func obsTime(t time.Time) string { return Time(t) }

func parseObsTime(s string) time.Time { return ParseTime(s) }
